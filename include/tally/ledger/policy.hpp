// The ledger's verbs of the policy: its versions by effective date. The
// parameters, their values and checks are in tally/policy.hpp.
// Included by tally/ledger.hpp (every verb of the ledger, one interface).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "tally/calendar.hpp"
#include "tally/ledger.hpp"
#include "tally/policy.hpp"

namespace tally {

// One recorded version of one policy parameter.
struct PolicyVersion {
  std::string key, value;
  Date effective;
};

// The policy in force on day d: the latest value of each parameter whose
// effective date is <= d (the defaults before the first version).
Policy policy_at(Ledger& ledger, Date d);

// Records a new version of one parameter from `effective` on.
// Throws Error(usage) for an unknown key or bad value, Error(conflict) if that
// key already has a version on that date.
void set_policy(Ledger& ledger, std::string_view key, std::string_view value, Date effective);

// Every version recorded, by effective date then as recorded.
std::vector<PolicyVersion> policy_versions(Ledger& ledger);

}  // namespace tally
