// The ledger's verbs of standby.hpp: what reads or writes the ledger file. The
// values they take and return, and the pure rules, are in tally/standby.hpp.
// Included by tally/ledger.hpp (every verb of the ledger, one interface).
#pragma once

#include "tally/ledger.hpp"
#include "tally/standby.hpp"

namespace tally {

// S1-S5, C4: records an accepted standby in one write, and issues a credit
// note dated today for the reduction on every subscription invoice already
// issued for a cycle it overlaps. Refusals change nothing and are not recorded:
// Error(refused) "S1" for an unknown reason or a customer without subscription,
// "S2" for too long or overlapping, "C4" when it reaches past the end of a
// cancelled contract; Error(usage) for last < first or a request dated after
// today; Error(not_found) for an unknown customer.
StandbyResult start_standby(Ledger& ledger, const StandbyRequest& request);

// S3: ends the customer's standby holding `last_day` early: `last_day` becomes
// its last day in standby, and the licence of cycles already invoiced is
// recomputed (an invoice for what a credit note over-reduced). Ending it on its
// current last day changes nothing. Throws Error(not_found) when no standby of
// the customer holds that day.
StandbyResult end_standby(Ledger& ledger, std::string_view customer, Date last_day, Date today);

// The standby periods of a customer as billed: first day to last day in
// standby (an early end shortens it), ordered by first day. Throws
// Error(not_found) for an unknown customer.
std::vector<Period> standby_periods(Ledger& ledger, std::string_view customer_code);

// Every standby (of one customer when given), by customer then first day.
std::vector<Standby> standbys(Ledger& ledger, std::optional<std::string> customer = {});

}  // namespace tally
