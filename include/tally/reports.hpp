// Month-end reporting (issue 7): the aging of what customers owe, their
// balances, the suspense list of the bank import, the close of a month and the
// period lock. Every report is evaluated as of a day from the dated records,
// so it reads the same whenever it is run for that day.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "tally/billing.hpp"
#include "tally/calendar.hpp"
#include "tally/records.hpp"
#include "tally/money.hpp"
#include "tally/overdue.hpp"
#include "tally/payments.hpp"
#include "tally/policy.hpp"

namespace tally {

// ---- Aging (pure: src/core/aging.cpp) ----

// How late a balance is on a day, with the policy's stage thresholds (L3).
enum class AgingBucket { not_due, late_0_1, late_1_2, late_2_6, late_6_plus };
inline constexpr std::array<AgingBucket, 5> kAgingBuckets = {AgingBucket::not_due, AgingBucket::late_0_1,
                                                             AgingBucket::late_1_2, AgingBucket::late_2_6,
                                                             AgingBucket::late_6_plus};

// The JSON key of a bucket: "not_due", "late_0_1", "late_1_2", "late_2_6", "late_6_plus".
std::string_view to_string(AgingBucket b);

// The bucket of a balance due on `due`, on day as_of: not_due while as_of <= due
// (L1: late from the day after the due date); otherwise by the whole calendar
// months late, months_between(due, as_of) (L2), against the policy's thresholds:
// below admin_disable_months late_0_1, below platform_disable_months late_1_2,
// below data_deletion_months late_2_6, else late_6_plus.
AgingBucket aging_bucket(Date due, Date as_of, const Policy& policy);

// The latest day d <= as_of with months_between(d, as_of) >= months (L2): an
// invoice due on or before it is at least `months` months late on as_of.
// For months 0 it is as_of. REQUIRES: months >= 0.
Date latest_due_months_late(Date as_of, int months);

// Amounts incl. VAT by bucket.
struct AgingAmounts {
  std::array<Cents, kAgingBuckets.size()> by_bucket{};
  Cents& operator[](AgingBucket b) { return by_bucket[static_cast<std::size_t>(b)]; }
  Cents operator[](AgingBucket b) const { return by_bucket[static_cast<std::size_t>(b)]; }
  Cents total() const;
};

struct AgingRow {
  std::string customer;  // customer code
  AgingAmounts amounts;
};

struct AgingReport {
  Date as_of;
  std::vector<AgingRow> customers;  // those owing something on as_of, by code
  AgingAmounts total;
};

// ---- Balances ----

// What a customer was invoiced and how it was settled, as of a day (TTC).
struct BalanceRow {
  std::string customer;  // customer code ("" for the total)
  Cents invoiced = 0;    // subscription, setup and services invoices issued
  Cents fees = 0;        // fee invoices (P2)
  Cents penalties = 0;   // penalty invoices (L4, L5)
  Cents credited = 0;    // credit notes, the part applied to invoices (the rest is credit)
  Cents paid = 0;        // allocations to invoices counted that day: payments, net of
                         // reversals, and settlements from credit (P3)
  Cents balance = 0;     // invoiced + fees + penalties - credited - paid
  Cents credit = 0;      // customer credit (P3)
};

struct BalanceReport {
  Date as_of;
  std::vector<BalanceRow> customers;  // every customer created by as_of or with records by then, by code
  BalanceRow total;
};

// ---- Suspense ----

// What became of a suspense line (B2): open while part of it is neither
// assigned nor dismissed.
enum class SuspenseStatus { open, assigned, dismissed };
std::string_view to_string(SuspenseStatus s);

// One assignment (to an invoice, by a payment) or dismissal of a suspense line.
struct SuspenseAction {
  std::string action;          // "assign" | "dismiss"
  Date date;                   // the business date of the decision
  Cents amount = 0;
  std::int64_t payment_id = 0; // assign: the payment recorded
  std::string invoice;         // assign: the invoice paid
  std::string reason;          // dismiss: why
};

// A bank statement line the import could not record as a payment, as of a day.
struct SuspenseLine {
  std::int64_t id = 0;
  Date date;
  Cents amount = 0;
  std::string reference;
  std::string label;
  Method method = Method::transfer;
  std::string reason;  // why: no invoice number, unknown invoice, refused by a rule...
  std::string payer;       // as the bank gave it, "" when it did not
  std::string payer_iban;
  SuspenseStatus status = SuspenseStatus::open;
  Cents open_amount = 0;   // amount less what was assigned or dismissed by the day
  std::vector<SuspenseAction> actions;  // by the day, in order
};

// Which lines a suspense listing shows.
enum class SuspenseFilter { all, open, resolved };
// "open", "resolved" or "all"; throws Error(usage) naming the accepted values.
SuspenseFilter parse_suspense_filter(std::string_view text);

// ---- Month-end close ----

struct DocumentTotals {
  std::int64_t count = 0;
  Cents ht = 0;
  Cents vat = 0;
  Cents ttc = 0;
};

// VAT of one rate (M2): invoices issued minus credit notes issued in the month.
struct VatRateTotals {
  Rate rate;
  Cents invoiced_ht = 0, invoiced_vat = 0;
  Cents credited_ht = 0, credited_vat = 0;
  Cents net_ht() const { return invoiced_ht - credited_ht; }
  Cents net_vat() const { return invoiced_vat - credited_vat; }
};

// Money of one means of payment (P1) in the month.
struct CollectedTotals {
  Cents received = 0;  // payments dated in the month
  Cents reversed = 0;  // reversals dated in the month (P5), of payments of any date
  Cents net() const { return received - reversed; }
};

// I2: the numbers of one series (F or AV) of the month's year, 1..last, where
// last is the highest number issued on or before the month's end.
struct NumberSequence {
  int year = 0;
  std::string prefix;                // "F" or "AV"
  std::int64_t last = 0;             // 0: nothing issued that year yet
  std::int64_t count = 0;            // distinct numbers 1..last that exist
  std::vector<std::string> missing;  // the first kMaxMissingListed absent numbers
  bool gapless() const { return count == last; }
};
inline constexpr std::size_t kMaxMissingListed = 20;

struct PenaltyTotals {
  std::int64_t count = 0;  // penalty invoices issued
  Cents interest = 0;      // L4
  Cents indemnity = 0;     // L5
  Cents ttc = 0;           // no VAT (M4): interest + indemnity
};

// What customers owe incl. VAT over the month (A2 with the close): each
// figure read on its own from the ledger, so that the identity
// opening + invoiced - credit_notes - received + reversals = closing checks it.
struct ReceivablesRollForward {
  Cents opening = 0;       // the invoice balances on the day before the month (the aging total)
  Cents invoiced = 0;      // invoices issued in the month (fees and penalties included)
  Cents credit_notes = 0;  // the part of the month's credit notes applied to invoices (the rest is credit)
  Cents received = 0;      // allocations dated in the month: payments and credit used (P3)
  Cents reversals = 0;     // allocations reversed in the month (P5)
  Cents closing = 0;       // the invoice balances on the last day counted (the aging total)
  Cents computed() const { return opening + invoiced - credit_notes - received + reversals; }
  bool balances() const { return computed() == closing; }
};

// Customer credit (P3) over the month: what was added (overpayments,
// credit-note excess, reversals of credit used) and taken (credit used,
// reversals of overpayments).
struct CreditRollForward {
  Cents opening = 0, added = 0, taken = 0, closing = 0;
  bool balances() const { return opening + added - taken == closing; }
};

// A payment of the month whose fee was waived (P2), with its reason.
struct FeeWaiver {
  std::int64_t payment = 0;
  Date date;
  std::string customer, invoice;
  Method method = Method::transfer;
  std::string reason;
};
inline constexpr std::size_t kMaxWaiversListed = 100;

// Money received in one month (P1, P5), settlements from credit apart.
struct MonthCash {
  Date month;  // first day
  Cents received = 0, reversed = 0;
  Cents net() const { return received - reversed; }
};

// How many suspense lines are dated on or before as_of and their sum, and of
// them the open ones and what is still open of them (as of that day).
struct SuspenseTotal {
  std::int64_t count = 0;
  Cents amount = 0;
  std::int64_t open_count = 0;
  Cents open_amount = 0;
};

struct CloseReport {
  Date month;           // first day
  Date end;             // the last day counted: the month's last day, or as_of if earlier
  bool complete = false;  // the month had ended on as_of
  std::vector<std::pair<InvoiceKind, DocumentTotals>> invoiced;  // every kind, I1 order
  DocumentTotals invoiced_total;
  std::vector<VatRateTotals> vat_by_rate;  // by rate
  std::vector<std::pair<Method, CollectedTotals>> collected;  // transfer, card, sepa, other
  CollectedTotals collected_total;
  Cents credit_settled = 0;         // settled from customer credit (P3): not money received
  DocumentTotals fees;             // fee invoices issued (P2)
  std::int64_t fees_waived = 0;    // payments whose fee was waived (P2)
  PenaltyTotals penalties;
  DocumentTotals credit_notes;
  std::string first_number, last_number;  // F numbers issued in the month ("" if none)
  NumberSequence invoice_numbers, credit_note_numbers;
  bool gapless() const { return invoice_numbers.gapless() && credit_note_numbers.gapless(); }
  AgingReport aging;                        // on `end`
  std::vector<StageTransition> transitions;  // recorded with a date in the month, by date
  ReceivablesRollForward receivables;
  CreditRollForward customer_credit;
  SuspenseTotal suspense;                    // suspense lines dated by `end`
  std::vector<FeeWaiver> waivers;            // the first kMaxWaiversListed of the month, by date
  std::vector<MonthCash> cash_by_month;      // the 12 months ending with this one, oldest first
  std::optional<std::string> locked_through; // the latest locked month ("YYYY-MM")
  bool locked = false;                       // the month is locked
};

}  // namespace tally
