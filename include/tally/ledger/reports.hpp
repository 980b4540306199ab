// The ledger's verbs of reports.hpp: what reads or writes the ledger file. The
// values they take and return, and the pure rules, are in tally/reports.hpp.
// Included by tally/ledger.hpp (every verb of the ledger, one interface).
#pragma once

#include "tally/ledger.hpp"
#include "tally/reports.hpp"

namespace tally {

// The balance incl. VAT of every invoice on as_of (total - payments counted on
// that day - credit notes issued by then; penalty and fee invoices included:
// they are owed too), summed per customer by aging_bucket() under the policy in
// force on as_of. Only balances above 0 count; customers owing nothing are left
// out. One SQL aggregate: cost grows with the invoices not settled by as_of.
AgingReport aging_report(Ledger& ledger, Date as_of);

BalanceReport balance_report(Ledger& ledger, Date as_of);

// Suspense lines dated on or before as_of, by date then id, with their
// actions dated on or before as_of.
std::vector<SuspenseLine> suspense_lines(Ledger& ledger, Date as_of, SuspenseFilter filter = SuspenseFilter::all);

// The same lines one at a time, in the same order, each dropped once fn
// returns: an 88k-line suspense list read in bounded memory. fn must not use
// this Ledger.
void each_suspense_line(Ledger& ledger, Date as_of, const std::function<void(const SuspenseLine&)>& fn,
                        SuspenseFilter filter = SuspenseFilter::all);

// What suspense_total counts (tally/reports.hpp: SuspenseTotal).
SuspenseTotal suspense_total(Ledger& ledger, Date as_of);

// The line `id` as of `as_of`. Throws Error(not_found) naming the id.
SuspenseLine suspense_line(Ledger& ledger, std::int64_t id, Date as_of);

// The close of the month holding `month`, counting records dated from its first
// day to its last day (or to as_of while it runs). Reads only. Throws
// Error(usage) for a month that starts after as_of.
CloseReport close_report(Ledger& ledger, Date month, Date as_of);

// The latest locked month ("YYYY-MM"), if any: anything dated in it or before
// is refused (Ledger::Impl::check_open_period).
std::optional<std::string> locked_through(Ledger& ledger);

// Locks the month holding `month` (one write, journal event "period.lock"):
// afterwards nothing dated in it or before can be written. Returns false, and
// writes nothing, when it is already locked (it or a later month is).
// Throws Error(refused, rule "lock") when the month has not ended on as_of.
bool lock_month(Ledger& ledger, Date month, Date as_of);

}  // namespace tally
