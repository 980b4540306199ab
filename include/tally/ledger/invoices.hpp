// The ledger's verbs of invoices and credit notes: issuing (I2), crediting
// (I3), reading, billing runs (I5). The records are in tally/records.hpp, the
// pure rules (totals, numbering, chronology, credits) in tally/invoicing.hpp.
// Included by tally/ledger.hpp (every verb of the ledger, one interface).
//
// Renamed from the former Ledger members, so that the verb does not read like
// a variable: invoice -> find_invoice, invoices -> list_invoices.
#pragma once

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "tally/calendar.hpp"
#include "tally/ledger.hpp"
#include "tally/money.hpp"
#include "tally/records.hpp"

namespace tally {

// Issues an invoice: assigns the next number of its issue year (I2), computes
// the totals (M2, M3) and the due date (I4). Throws Error(refused, "I2") when
// the issue date is before the last issued date of its series and year, or
// after the business date (check_chronology).
Invoice issue_invoice(Ledger& ledger, const NewInvoice& n);

// Issues a credit note citing `original` (I3), dated `date` (I2 as for
// invoices; business_date default: date). Lines are positive amounts to
// credit, at most what remains uncredited (decide_credit: Error refused
// "I3"). Whatever exceeds the original's balance becomes customer credit.
Invoice issue_credit_note(Ledger& ledger, std::string_view original, std::vector<InvoiceLine> lines, Date date,
                          std::string reason, std::optional<Date> business_date = std::nullopt);

// I3: a full credit note of the remaining (not yet credited) amount.
// Throws Error(conflict) when already void, Error(refused) for credit notes.
Invoice void_invoice(Ledger& ledger, std::string_view number, std::string reason, Date date,
                     std::optional<Date> business_date = std::nullopt);

// I3: a partial credit note of amount_ht at the invoice's VAT rate
// (partial_credit_line), at most what remains uncredited (Error refused "I3").
Invoice credit_invoice(Ledger& ledger, std::string_view number, Cents amount_ht, std::string reason, Date date,
                       std::optional<Date> business_date = std::nullopt);

// The invoice or credit note, evaluated at day d. Throws Error(not_found).
Invoice find_invoice(Ledger& ledger, std::string_view number, Date d);

// The invoices the filter selects, evaluated at day d, in id order.
std::vector<Invoice> list_invoices(Ledger& ledger, const InvoiceFilter& f, Date d);

// The same invoices one at a time, in id order, each with its lines and
// dropped once fn returns: a whole 1M-invoice ledger listed in bounded
// memory. fn must not use this Ledger. Throws Error(not_found) for an
// unknown customer in the filter, before the first call.
void each_invoice(Ledger& ledger, const InvoiceFilter& f, Date d, const std::function<void(const Invoice&)>& fn);

// I5: issues one invoice per subscription cycle starting in the month of
// `month`, unless already invoiced, each dated `today` (I2: the business
// date; its period names the cycle) and due today + terms (I4). Returns the
// invoices issued. `progress`, when given, is called with (subscriptions
// done, subscriptions in all).
std::vector<Invoice> run_billing(Ledger& ledger, Date month, Date today,
                                 const std::function<void(std::size_t, std::size_t)>& progress = {});

}  // namespace tally
