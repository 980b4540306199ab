// The ledger's verbs of the seller's identity (E2), versioned like the policy.
// The identity, its keys and checks (E4) are in tally/einvoice.hpp.
// Included by tally/ledger.hpp (every verb of the ledger, one interface).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "tally/calendar.hpp"
#include "tally/einvoice.hpp"
#include "tally/ledger.hpp"

namespace tally {

// One recorded version of one key of the seller's identity.
struct SellerVersion {
  std::string key, value;
  Date effective;
};

// The seller's identity in force on day d: seed_seller() overlaid with the
// latest version of each key whose effective date is <= d.
SellerIdentity seller_at(Ledger& ledger, Date d);

// Records a new version of one key from `effective` on, checked (E4). The
// same value already recorded for that key and date changes nothing.
// Throws Error(usage) for an unknown key or bad value, Error(conflict) if
// that key has another value on that date, Error(refused) in a locked month.
void set_seller(Ledger& ledger, std::string_view key, std::string_view value, Date effective);

// Every version recorded, by effective date then as recorded.
std::vector<SellerVersion> seller_versions(Ledger& ledger);

}  // namespace tally
