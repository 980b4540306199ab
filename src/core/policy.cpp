// The table of policy parameters: key, rule ID, accepted values, get and set.
#include "tally/policy.hpp"

#include <algorithm>

#include "tally/errors.hpp"

namespace tally {
namespace {

int parse_int(std::string_view key, std::string_view v, int lo, int hi) {
  const auto n = parse_count(v, key, hi);
  if (n < lo) throw usage_error("invalid {} '{}': expected a whole number from {} to {}", key, v, lo, hi);
  return static_cast<int>(n);
}

// L3: "subscription,setup,services" -> the kinds, in the order given.
std::vector<InvoiceKind> parse_stage_kinds(std::string_view v) {
  constexpr std::string_view accepted = "a comma-separated list of subscription, setup, services, fee";
  std::vector<InvoiceKind> kinds;
  std::size_t start = 0;
  while (true) {
    const std::size_t comma = v.find(',', start);
    const std::string_view name = v.substr(start, comma == std::string_view::npos ? v.npos : comma - start);
    InvoiceKind k{};
    try {
      k = parse_invoice_kind(name);
    } catch (const Error&) {
      throw usage_error("invalid stage_kinds '{}': '{}' is not a kind; expected {}", v, name, accepted);
    }
    if (k == InvoiceKind::penalty)
      throw usage_error("invalid stage_kinds '{}': penalty invoices never move a stage (L1); expected {}", v,
                        accepted);
    if (std::find(kinds.begin(), kinds.end(), k) != kinds.end())
      throw usage_error("invalid stage_kinds '{}': '{}' is listed twice; expected {}", v, name, accepted);
    kinds.push_back(k);
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
  return kinds;
}

std::string format_stage_kinds(const std::vector<InvoiceKind>& kinds) {
  std::string out;
  for (const InvoiceKind k : kinds) {
    if (!out.empty()) out += ',';
    out += to_string(k);
  }
  return out;
}

// A2: a PCG account number as the FEC accepts it ([0-9]{3}[0-9a-zA-Z]*), at
// most 20 characters.
std::string parse_account(std::string_view key, std::string_view v) {
  bool ok = v.size() >= 3 && v.size() <= 20;
  for (std::size_t i = 0; ok && i < v.size(); ++i) {
    const char c = v[i];
    const bool digit = c >= '0' && c <= '9';
    const bool letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    ok = i < 3 ? digit : digit || letter;
  }
  if (!ok)
    throw usage_error("invalid {} '{}': expected an account number of 3 to 20 characters, 3 digits then digits or "
                      "letters (411, 44571, 706ABO)",
                      key, v);
  return std::string(v);
}

#define TALLY_ACCOUNT(field, desc)                                                            \
  PolicyParam {                                                                              \
    #field, "A2", desc, "an account number: 3 digits then digits or letters, at most 20",   \
        [](const Policy& p) { return p.field; },                                             \
        [](Policy& p, std::string_view v) { p.field = parse_account(#field, v); }           \
  }
#define TALLY_RATE(field, rule, desc)                                                         \
  PolicyParam {                                                                              \
    #field, rule, desc, "a percentage from 0 to 100, at most 2 decimals",                   \
        [](const Policy& p) { return format_rate(p.field); },                                \
        [](Policy& p, std::string_view v) { p.field = parse_rate(v); }                      \
  }
#define TALLY_AMOUNT(field, rule, desc)                                                       \
  PolicyParam {                                                                              \
    #field, rule, desc, "an amount in EUR, at most 2 decimals",                             \
        [](const Policy& p) { return format_amount(p.field); },                              \
        [](Policy& p, std::string_view v) { p.field = parse_amount(v); }                    \
  }
#define TALLY_INT(field, rule, desc, lo, hi)                                                  \
  PolicyParam {                                                                              \
    #field, rule, desc, "a whole number from " #lo " to " #hi,                              \
        [](const Policy& p) { return std::to_string(p.field); },                             \
        [](Policy& p, std::string_view v) { p.field = parse_int(#field, v, lo, hi); }       \
  }

}  // namespace

const std::vector<PolicyParam>& policy_params() {
  static const std::vector<PolicyParam> params = {
      TALLY_RATE(vat_rate, "M2", "standard VAT rate (per-customer override)"),
      TALLY_INT(payment_terms_days, "I4", "default payment terms in days", 0, 60),
      TALLY_INT(max_terms_days, "I4", "longest payment terms accepted (legal cap)", 0, 60),
      TALLY_RATE(card_fee_rate, "P2", "card fee, % of the TTC settled, billed HT (may be 0: L112-12 CMF)"),
      TALLY_AMOUNT(transfer_fee, "P2", "fee HT per transfer on a non-annual subscription invoice"),
      TALLY_AMOUNT(other_fee, "P2", "fee HT per payment by other means"),
      TALLY_AMOUNT(sepa_fee, "P2", "fee HT per SEPA direct debit"),
      TALLY_INT(sepa_return_weeks, "P5", "weeks a SEPA Core debit can be returned", 0, 520),
      TALLY_RATE(interest_rate, "L4", "late-payment interest rate (annual, or once when flat)"),
      PolicyParam{"interest_mode", "L4", "late interest: annual (by day, actual/365) or flat (once)",
                  "annual or flat",
                  [](const Policy& p) {
                    return std::string(p.interest_mode == InterestMode::annual ? "annual" : "flat");
                  },
                  [](Policy& p, std::string_view v) {
                    if (v == "annual") p.interest_mode = InterestMode::annual;
                    else if (v == "flat") p.interest_mode = InterestMode::flat;
                    else throw usage_error("invalid interest_mode '{}': expected annual or flat", v);
                  }},
      TALLY_AMOUNT(indemnity, "L5", "fixed recovery indemnity per late invoice (no VAT)"),
      TALLY_INT(admin_disable_months, "L3", "months late before the admin area is deactivated", 1, 120),
      TALLY_INT(platform_disable_months, "L3", "months late before the platform is deactivated", 1, 120),
      TALLY_INT(data_deletion_months, "L3", "months late before the platform data is deleted", 1, 120),
      PolicyParam{"stage_kinds", "L3", "invoice kinds whose lateness moves the stage (not fee, penalty)",
                  "a comma-separated list of subscription, setup, services, fee",
                  [](const Policy& p) { return format_stage_kinds(p.stage_kinds); },
                  [](Policy& p, std::string_view v) { p.stage_kinds = parse_stage_kinds(v); }},
      TALLY_INT(standby_max_months, "S2", "longest standby procedure in calendar months", 1, 120),
      TALLY_RATE(standby_rate, "S3", "licence during standby, % of the subscription"),
      TALLY_INT(commitment_months, "C2", "default commitment term in months (renewed tacitly)", 1, 120),
      TALLY_INT(notice_months, "C2", "default notice period in months", 0, 120),
      TALLY_RATE(urgent_discount, "D1", "discount on the grid price for an urgent roadmap feature"),
      PolicyParam{"services_grid", "D3", "professional services grid: builtin or a CSV file path",
                  "builtin or a path to a CSV file",
                  [](const Policy& p) { return p.services_grid; },
                  [](Policy& p, std::string_view v) {
                    if (v.empty()) throw usage_error("invalid services_grid '': expected builtin or a path");
                    p.services_grid = std::string(v);
                  }},
      TALLY_INT(evolution_working_days, "U1", "working days to ship an evolution", 0, 365),
      TALLY_INT(feature_min_months, "U1", "calendar months at least before a new feature ships", 0, 120),
      TALLY_ACCOUNT(account_customer, "customer receivables (auxiliary account: the customer code)"),
      TALLY_ACCOUNT(account_customer_credit, "customer credit: overpayments and credit-note excess (P3)"),
      TALLY_ACCOUNT(account_revenue, "revenue of subscription, setup, services and fee invoices"),
      TALLY_ACCOUNT(account_vat, "VAT collected; sub-account per rate: this number + the rate in basis points"),
      TALLY_ACCOUNT(account_bank, "bank: money received and reversed"),
      TALLY_ACCOUNT(account_interest, "late-payment interest (L4)"),
      TALLY_ACCOUNT(account_indemnity, "fixed recovery indemnities (L5)"),
      TALLY_ACCOUNT(account_retained, "result of the periods before an export (its opening entry)"),
  };
  return params;
}

const PolicyParam& policy_param(std::string_view key) {
  std::string known;
  for (const auto& p : policy_params()) {
    if (p.key == key) return p;
    known += known.empty() ? "" : ", ";
    known += p.key;
  }
  throw usage_error("unknown policy parameter '{}': expected one of {}", key, known);
}

}  // namespace tally
