// The policy parameters (RULES.md), versioned by effective date, and the
// Decision every rule returns.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "tally/calendar.hpp"
#include "tally/kinds.hpp"
#include "tally/money.hpp"

namespace tally {

// How "penalties of 10 %" are read (L4): annual interest by day, or a one-off
// flat percentage of the unpaid amount.
enum class InterestMode { annual, flat };

// The parameters of the policy. Each field's default is the policy's own number
// (RULES.md); the ledger stores them with an effective date (tally policy set).
struct Policy {
  // The first day this version applies. Default: the policy's date.
  Date effective = date::sys_days{date::year{2019} / 10 / 31};

  // M2: standard VAT rate, per-customer override at customer creation. Default: 20 %.
  Rate vat_rate = percent(20);
  // I4: payment terms in days. Default: 30.
  int payment_terms_days = 30;
  // I4: the longest terms accepted (French legal cap). Default: 60.
  int max_terms_days = 60;
  // P2: card fee, a percentage of the TTC settled, charged HT. Default: 2 %.
  // French law (L112-12 CMF) may bar surcharging: it can be set to 0.
  Rate card_fee_rate = percent(2);
  // P2: fee per transfer on a non-annual subscription invoice, HT. Default: 20.00.
  Cents transfer_fee = 2000;
  // P2: fee per payment by other means (cheque, cash...), HT. Default: 20.00.
  Cents other_fee = 2000;
  // P2: fee per SEPA debit, HT. Default: 0.00.
  Cents sepa_fee = 0;
  // P5: how long a SEPA Core debit can be returned, in weeks. Default: 8.
  int sepa_return_weeks = 8;
  // L4: late-payment interest rate, per year (annual) or once (flat). Default: 10 %.
  Rate interest_rate = percent(10);
  // L4: annual interest by day (default) or the flat reading.
  InterestMode interest_mode = InterestMode::annual;
  // L5: fixed recovery indemnity per late invoice, no VAT. Default: 40.00.
  Cents indemnity = 4000;
  // L3: months late before the administrator area is deactivated. Default: 1.
  int admin_disable_months = 1;
  // L3: months late before the whole platform is deactivated. Default: 2.
  int platform_disable_months = 2;
  // L3: months late before the platform data is deleted. Default: 6.
  int data_deletion_months = 6;
  // L3: the invoice kinds whose lateness moves a customer's stage ("non-payment
  // of your subscription"); a late fee or penalty accrues L4/L5 but never
  // switches a platform off. Default: subscription, setup, services.
  std::vector<InvoiceKind> stage_kinds = {InvoiceKind::subscription, InvoiceKind::setup, InvoiceKind::services};
  // S2: longest standby procedure in calendar months. Default: 3.
  int standby_max_months = 3;
  // S3: licence during standby, as a share of the subscription. Default: 50 %.
  Rate standby_rate = percent(50);
  // C2: commitment term in months, renewed tacitly. Default: 12.
  int commitment_months = 12;
  // C2: notice period in months. Default: 3.
  int notice_months = 3;
  // D1: discount on the grid price for an urgent roadmap feature. Default: 50 %.
  Rate urgent_discount = percent(50);
  // D3: the professional services grid, "builtin" (data/services-grid.csv) or a
  // path to a CSV file. Default: builtin.
  std::string services_grid = "builtin";
  // U1: working days to ship an evolution of an existing feature. Default: 15.
  int evolution_working_days = 15;
  // U1: calendar months at least before a new feature ships. Default: 1.
  int feature_min_months = 1;

  // A2: the chart of accounts of the accounting export (FEC, hledger), French
  // PCG numbers: 3 digits then digits or letters. Defaults: customers 411 (one
  // auxiliary account per customer), customer credit (P3) 4191, revenue 706,
  // VAT collected 44571 (one sub-account per rate), bank 512, late interest
  // 7631, recovery indemnity 7588, result of earlier periods 110.
  std::string account_customer = "411";
  std::string account_customer_credit = "4191";
  std::string account_revenue = "706";
  std::string account_vat = "44571";
  std::string account_bank = "512";
  std::string account_interest = "7631";
  std::string account_indemnity = "7588";
  std::string account_retained = "110";
};

// One parameter of Policy as stored in the ledger and shown by `policy show`.
struct PolicyParam {
  std::string_view key;          // "vat_rate"
  std::string_view rule;         // "M2"
  std::string_view description;  // one line
  std::string_view accepted;     // what `policy set` accepts: "a percentage 0..100"
  std::string (*get)(const Policy&);
  // Sets the value from text; throws Error(usage) naming the value and what is accepted.
  void (*set)(Policy&, std::string_view);
};

// Every parameter, in RULES.md order.
const std::vector<PolicyParam>& policy_params();

// The parameter named key. Throws Error(usage) listing the known keys.
const PolicyParam& policy_param(std::string_view key);

// What a rule decided: an amount (or 0), the rule ID that produced it and a
// one-line explanation a person can read.
struct Decision {
  Cents amount = 0;
  std::string rule;
  std::string why;
};

// Contact details of the policy (L7, C1).
inline constexpr std::string_view kContactPhone = "01 79 65 66 63";
inline constexpr std::string_view kContactEmail = "support@particeep.com";
inline constexpr std::string_view kPostalAddress = "Particeep, 29 rue du Louvre 75002 Paris";

}  // namespace tally
