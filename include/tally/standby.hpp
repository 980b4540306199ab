// Standby (S1-S5): the pure rules (reasons, length and overlap, the licence
// reduction by day) and the ledger verbs that start, end and list standbys.
// A standby belongs to a customer and applies to all its subscriptions.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "tally/billing.hpp"
#include "tally/records.hpp"
#include "tally/policy.hpp"

namespace tally {

// S1: the accepted reasons.
enum class StandbyReason { inactivity, awaiting_approval, third_party_integration };

// "inactivity", "awaiting-approval", "third-party-integration".
std::string_view to_string(StandbyReason r);
// S1: parses the command-line spelling. Throws Error(refused, "S1") naming the
// three accepted reasons for anything else.
StandbyReason parse_standby_reason(std::string_view text);

// S2: the last day of the longest standby starting on `first`:
// add_months(first, policy.standby_max_months) - 1 day (L2 clamping).
Date standby_max_last_day(Date first, const Policy& policy);

// S2: checks a requested standby against the customer's existing ones (as
// billed: an early end shortens them). Throws Error(refused, "S2") when it
// overlaps one, or when the procedure it belongs to (itself plus the standbys
// back to back with it, each starting the day after the previous one ends) is
// longer than policy.standby_max_months calendar months. Throws Error(usage)
// when request.last < request.first.
void check_standby(Period request, const std::vector<Period>& existing, const Policy& policy);

// S1, C4: the last day of a standby from `first` asked by customer `code`
// until `asked_last` (none: the longest, `max_last`), when it has
// `subscriptions` and its contract ends on `contract_end` (every subscription
// cancelled; none while one runs on). Refused (S1) without a subscription,
// (C4) from after the contract's end or until a day after it; the longest
// standby stops with the contract.
Date decide_standby_last_day(const std::string& code, std::size_t subscriptions, Date first,
                             std::optional<Date> asked_last, Date max_last, std::optional<Date> contract_end);

// S3: the number of days of `cycle` inside the standby periods (which do not overlap).
int standby_days(Period cycle, const std::vector<Period>& standbys);

// S3: what `standby_days` days of a cycle of `days_in_cycle` days billed
// `cycle_amount` HT are not billed: cycle_amount x standby_days / days_in_cycle
// x (1 - policy.standby_rate), rounded once half away from zero (M3).
// 1000.00 x 22/31 x 50 % = 354.84. REQUIRES: days_in_cycle > 0.
Cents standby_reduction(Cents cycle_amount, int days_in_cycle, int standby_days, const Policy& policy);

// S3 with I3: a subscription cycle already invoiced, when a standby change
// makes it bill `after_ht` instead of `before_ht` (subscription_cycle_lines).
struct InvoicedCycleState {
  Cents before_ht = 0;
  Cents after_ht = 0;
  Rate vat_rate;               // the customer's, the rate of its licence lines
  Cents uncredited_ht = 0;     // what its invoice has left to credit at that rate
  Cents uncredited_ttc = 0;    // and in all, TTC
  bool credited_by_hand = false;  // a void or partial credit cites it (CreditSnapshot)
};

// What settles one invoiced cycle: a credit note of credit_ht citing its
// invoice, or an invoice of invoice_ht (at most one of them above 0).
struct CycleSettlement {
  Cents credit_ht = 0;
  Cents invoice_ht = 0;
  std::string rule = "S3";
  std::string why;
};

// S3: a cycle voided by a person (nothing left to credit, credited by hand)
// is settled by nothing: no credit, and no invoice on an early end. Otherwise
// less to bill is credited, at most what remains uncredited (HT at its rate,
// and its TTC with VAT rounded, M3); more to bill is invoiced.
CycleSettlement settle_invoiced_cycle(const InvoicedCycleState& cycle);

// ---- In the ledger ----

// A standby as recorded (S5): the request's date, reason and decision.
struct Standby {
  std::int64_t id = 0;
  std::string customer;  // customer code
  StandbyReason reason = StandbyReason::inactivity;
  Date requested;        // the date of the request e-mail (S5)
  Date first_day;
  Date last_day;         // as granted
  std::optional<Date> ended_early;  // the last day in standby after an early end
  std::string decision = "accepted";

  // The last day in standby: the early end if any, else last_day.
  Date billed_last() const { return ended_early ? *ended_early : last_day; }
};

struct StandbyRequest {
  std::string customer;
  std::string reason;          // as typed; checked against S1
  Date first_day;
  std::optional<Date> last_day;  // none: the longest allowed (S2)
  Date requested;              // the e-mail's date (S5), <= today
  Date today;                  // the business date (--as-of)
};

// What a standby start or end did: the standby and the documents that settle
// the licence of cycles already invoiced (S3): credit notes on start, invoices
// (kind subscription, rule S3) when an early end restores part of a reduction.
struct StandbyResult {
  Standby standby;
  std::vector<Invoice> documents;
};

}  // namespace tally
