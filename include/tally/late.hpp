// Late payment (L1-L7) as pure functions: lateness of an invoice from its
// balance timeline, interest (L4), indemnity (L5), the customer's stage (L3)
// and what each stage leaves the customer (capabilities), and the notice (L7).
// No I/O.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "tally/calendar.hpp"
#include "tally/money.hpp"
#include "tally/policy.hpp"

namespace tally {

// L3: the stages of a customer who pays late, in order of severity.
enum class Stage { active, late, admin_disabled, platform_disabled, data_deleted };

// "active", "late", "admin-disabled", "platform-disabled", "data-deleted".
std::string_view to_string(Stage s);
// Parses the spelling of to_string. Throws Error(usage) naming the accepted values.
Stage parse_stage(std::string_view text);

// One change of an invoice's balance incl. VAT, effective from `date` on
// (the balance as of day d is the sum of the changes dated <= d).
struct BalanceChange {
  Date date;
  Cents delta = 0;  // + the invoice total, a reversal; - a payment, a credit note
};

// The balance as of day d: the sum of the changes dated <= d.
Cents balance_on(const std::vector<BalanceChange>& timeline, Date d);

// What lateness means for one invoice on one day (L1, L2, L4, L5).
struct Lateness {
  bool late = false;       // L1: d > due and the balance as of d > 0
  bool was_late = false;   // the balance was above 0 at the end of some day from due to d-1
  int days_late = 0;       // d - due when late; else the days of the delay it had (payment day - due)
  int months_late = 0;     // L2: months_between(due, the same end day)
  Cents balance = 0;       // as of d
  Decision interest;       // L4: accrued from the due date to d (whole delay), rule "L4"
  Decision indemnity;      // L5: policy.indemnity once was_late, else 0; rule "L5"
};

// Evaluates an invoice due on `due` on day d. The interest counts each day t
// from `due` to d-1 on which the balance at the end of t is above 0 (the date
// difference: due 15 April, paid 15 May = 30 days), and with
// policy.interest_mode annual is sum(balance x days) x interest_rate / 365,
// rounded once to the cent (M3); flat is interest_rate x the first balance that
// went late, once. `policy` is the one in force on the due date.
// The timeline may be in any order.
Lateness evaluate_lateness(std::vector<BalanceChange> timeline, Date due, Date d, const Policy& policy);

// L3: the stage for an oldest late invoice `months_late` whole months late
// (policy thresholds); a customer with no late invoice is active.
Stage stage_for_months(int months_late, const Policy& policy);

// L3: when a customer's stage is decided.
struct StageAt {
  Stage stage = Stage::active;
  std::optional<Stage> next;     // the next stage, if any
  std::optional<Date> next_date; // the day it starts if nothing is paid
  // Every later stage with the day it starts (L7: the dates of the next stages).
  std::vector<std::pair<Stage, Date>> upcoming;
};

// L2, L3: the stage on day d of a customer whose oldest late invoice (the
// earliest due date among those late on d) is due on `oldest_due` (none: no
// late invoice). `deletion_applied`: a transition to data-deleted was applied
// on or before d, which is final. REQUIRES: oldest_due < d.
StageAt stage_on(std::optional<Date> oldest_due, Date d, bool deletion_applied, const Policy& policy);

// One invoice of a customer as its stage sees it (L3).
struct StageInvoice {
  InvoiceKind kind = InvoiceKind::subscription;
  Date due_date;
  bool late = false;  // L1 on the day
};

// L3: a customer's stage on day d from its invoices: stage_on with the
// earliest due date among those late on d whose kind is in
// policy.stage_kinds. A late fee or penalty invoice (not in the default
// stage_kinds) never moves the stage.
StageAt customer_stage(const std::vector<StageInvoice>& invoices, Date d, bool deletion_applied,
                       const Policy& policy);

// L8: what one penalty invoice billed, net of what was credited against it,
// for one late invoice; `uncredited` is what the penalty invoice as a whole
// has left to credit (incl. VAT, which is 0 on penalties, M4).
struct PenaltySource {
  std::int64_t penalty_invoice_id = 0;
  Cents interest = 0;   // L4 billed for the late invoice, net
  Cents indemnity = 0;  // L5 billed for the late invoice, net
  Cents uncredited = 0;
};

// L8: what to credit on one penalty invoice.
struct PenaltyCredit {
  std::int64_t penalty_invoice_id = 0;
  Cents interest = 0;
  Cents indemnity = 0;
};

// L8: how `interest_over` and `indemnity_over` (billed above what L4 and L5 owe
// now, each >= 0) are credited: from the latest penalty invoice back
// (`sources` latest first), each taking at most what it billed of that kind
// for this invoice and what it has left to credit. What no source can take
// stays uncredited (a penalty invoice credited by hand already gave it back).
// Only sources with something to credit are returned, in the order given.
std::vector<PenaltyCredit> overbilled_credits(const std::vector<PenaltySource>& sources, Cents interest_over,
                                              Cents indemnity_over);

// What a customer can use (status): each on, off or limited.
enum class Access { on, off, limited };
std::string_view to_string(Access a);

struct Capabilities {
  Access admin = Access::on;       // administrator area
  Access platform = Access::on;    // the platform and its URL
  Access operations = Access::on;  // launching operations
  Access support = Access::on;     // support
};

// L3 and S4: admin-disabled turns the admin area off; platform-disabled and
// data-deleted turn admin, platform and operations off and limit support to
// regularising; a standby turns operations off and limits support (S4); after
// the cancellation takes effect (C4) everything is off.
Capabilities capabilities(Stage stage, bool in_standby, bool contract_ended);

// One invoice of a late-payment notice.
struct NoticeInvoice {
  std::string number;
  Date due_date;
  int days_late = 0;
  Cents balance = 0;
  Cents interest = 0;   // accrued to the notice date
  Cents indemnity = 0;
};

struct Notice {
  std::string customer_code;
  std::string customer_name;
  Date date;
  StageAt stage;
  std::vector<NoticeInvoice> invoices;
};

// L7: the late-payment notice: late_notice() of tally/letters.hpp.

// L6: penalties and stages are applied in date order: an application on `d`
// is refused when one was already made on a later day, `last_applied`.
void check_apply_order(Date d, std::optional<Date> last_applied);

}  // namespace tally
