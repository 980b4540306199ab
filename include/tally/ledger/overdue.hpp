// The ledger's verbs of overdue.hpp: what reads or writes the ledger file. The
// values they take and return, and the pure rules, are in tally/overdue.hpp.
// Included by tally/ledger.hpp (every verb of the ledger, one interface).
#pragma once

#include "tally/ledger.hpp"
#include "tally/overdue.hpp"

namespace tally {

// Every invoice of `customer` (all customers when none) that is late on
// as_of, or was paid late and still has interest or indemnity not billed on a
// penalty invoice issued on or before as_of, or was billed more than it owes
// (L8); ordered by customer then due date.
// Penalty invoices are never late (L1); fee invoices are. Throws
// Error(not_found) for an unknown customer.
std::vector<LateInvoice> late_invoices(Ledger& ledger, Date as_of, std::optional<std::string> customer = {});

// The overdue report on as_of. Reads only.
OverdueReport overdue(Ledger& ledger, Date as_of, std::optional<std::string> customer = {});

// L6: in one write dated as_of, issues for each customer one `penalty` invoice
// (VAT 0, M4) with a line per late invoice for the interest accrued and not
// yet billed (L4) and one for the indemnity not yet billed (L5), and records
// each customer's stage change since its last recorded stage (L3). L8: what
// penalty invoices billed above what is owed now is credited by a partial
// credit note citing each penalty invoice that billed it (latest first).
// Applying again on the same day issues and records nothing. Throws
// Error(refused) when penalties or stages were already applied after as_of,
// or the month is locked.
ApplyResult apply_overdue(Ledger& ledger, Date as_of, std::optional<std::string> customer = {});

// The status of one customer on as_of. Throws Error(not_found).
CustomerStatus customer_status(Ledger& ledger, std::string_view customer, Date as_of);

}  // namespace tally
