// The ledger's verbs of cancellation.hpp: what reads or writes the ledger file. The
// values they take and return, and the pure rules, are in tally/cancellation.hpp.
// Included by tally/ledger.hpp (every verb of the ledger, one interface).
#pragma once

#include "tally/ledger.hpp"
#include "tally/cancellation.hpp"

namespace tally {

// C1-C4: in one write, records the letter on every subscription of the
// customer not yet cancelled, with its effective date (C2), and computes the
// balance statement on `today` (C3): open invoice balances, interest and
// indemnities accrued and not billed (L4, L5), licences due up to the
// effective date and not yet invoiced, minus customer credit.
// Throws Error(not_found) for an unknown customer; Error(refused) "C1" for a
// blank reference, "C2" for a customer without subscription; Error(usage) for a
// letter dated after today; Error(conflict) when every subscription is already
// cancelled (naming the letter).
CancelResult cancel(Ledger& ledger, const CancelRequest& request);

}  // namespace tally
