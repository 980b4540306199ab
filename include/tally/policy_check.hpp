// `tally policy check`: where the policy in force meets French law, as plain
// decisions. Pure functions: the legal interest rates arrive as CSV text
// (data/legal-interest-rates.csv, compiled in: builtin_data()).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "tally/einvoice.hpp"
#include "tally/policy.hpp"

namespace tally {

// The legal interest rate of one semester (Code monétaire et financier L313-2,
// creditors other than individuals), from its first day (1 January or 1 July).
struct LegalRate {
  Date from;
  Rate rate;
};

// Parses "semester_start,rate_percent" lines; '#' lines are comments, the
// header is required. Throws Error(usage) naming the line and what is
// accepted: a 1 January or 1 July date, a rate, dates in increasing order.
std::vector<LegalRate> parse_legal_rates(std::string_view csv);

// The rate of the semester that holds `d`, nullopt when it is not listed.
std::optional<LegalRate> legal_rate_on(const std::vector<LegalRate>& rates, Date d);

// The floor of the late-payment interest rate (Code de commerce L441-10):
// three times the legal rate. 2.62 % gives 7.86 %.
Rate late_interest_floor(Rate legal);

// One finding of the check: the rule of RULES.md, the law it cites and a
// sentence in English naming the values.
struct PolicyWarning {
  std::string rule;  // "L4", "P2", "E2"
  std::string law;   // "Code de commerce L441-10"
  std::string message;
};

// The warnings of the policy and seller identity in force on `d`:
// - L4: the late interest rate (annual) below late_interest_floor() of the
//   semester's legal rate, or no legal rate listed for that semester, or the
//   flat reading of L4 (the law's penalty runs by day);
// - P2: a card, transfer or SEPA fee on (L112-12 bars surcharging those
//   instruments, except commercial cards);
// - E2: seller keys that documents need (missing_seller_keys).
// Empty when none.
std::vector<PolicyWarning> policy_warnings(const Policy& policy, const SellerIdentity& seller,
                                           const std::vector<LegalRate>& rates, Date d);

}  // namespace tally
