// I1: the kinds of invoice, apart so that the policy (L3 stage_kinds) can
// name them. No I/O.
#pragma once

#include <string_view>

namespace tally {

// I1: the kinds of invoice.
enum class InvoiceKind { subscription, setup, services, fee, penalty };

std::string_view to_string(InvoiceKind k);
// Parse the command-line spelling; throw Error(usage) naming the accepted values.
InvoiceKind parse_invoice_kind(std::string_view text);

}  // namespace tally
