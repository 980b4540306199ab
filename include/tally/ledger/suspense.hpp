// The ledger's verbs of suspense.hpp: what reads or writes the ledger file. The
// values they take and return, and the pure rules, are in tally/suspense.hpp.
// Included by tally/ledger.hpp (every verb of the ledger, one interface).
#pragma once

#include "tally/ledger.hpp"
#include "tally/suspense.hpp"

namespace tally {

// Assigns `amount` (default: what is still open of the line) of suspense line
// `id` to `invoice`: a payment with the rules of pay() (P1-P6, the P2 fee by
// the line's means), dated the line's date, whose reference is the line's
// with "#sN" for its N-th assignment ("suspense-ID#sN" when that would be too
// long), its detail the line's label. The line stays open while part of it
// is neither assigned nor dismissed. Checked under the write's lock.
// Throws Error(not_found) for an unknown line or invoice, Error(conflict) for
// a line already resolved, Error(refused, "B2") for an amount above what is
// open of the line, Error(usage) for an amount <= 0, and what pay() throws
// (P6 refusals: before the issue date, a locked month...).
SuspenseAssignment assign_suspense(Ledger& ledger, std::int64_t id, std::string_view invoice,
                                   std::optional<Cents> amount, Date today);

// Dismisses what is still open of suspense line `id` with `reason` (people's
// text, required): money that is not a customer's payment (a refund, a
// transfer between own accounts...). Returns the line after it.
// Throws Error(not_found), Error(conflict) for a line already resolved,
// Error(usage) for a missing or bad reason, Error(refused) for a business
// date before the line's date or in a locked month.
SuspenseLine dismiss_suspense(Ledger& ledger, std::int64_t id, std::string reason, Date today);

}  // namespace tally
