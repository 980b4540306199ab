// Late payment in the ledger (L1-L7): the overdue report evaluated at any
// date, the apply step that bills penalties and records stage transitions, and
// a customer's status.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "tally/late.hpp"
#include "tally/records.hpp"

namespace tally {

// An invoice late on a day (L1), or paid late with interest or an indemnity
// not yet billed, as evaluated on that day.
struct LateInvoice {
  std::int64_t id = 0;
  std::string number;
  std::string customer;  // customer code
  InvoiceKind kind = InvoiceKind::services;
  Date due_date;
  bool late = false;         // L1: late on the day (balance above 0)
  int days_late = 0;         // to the day, or to the payment when no longer late
  int months_late = 0;       // L2
  Cents balance = 0;         // incl. VAT, as of the day
  Cents interest_accrued = 0;   // L4: the whole delay up to the day
  Cents interest_billed = 0;    // on penalty invoices issued on or before the day
  Cents indemnity = 0;          // L5: owed (0 or the policy's amount)
  Cents indemnity_billed = 0;
  std::optional<Date> billed_through;  // the last application that billed it
  Rate interest_rate;                  // in force on the due date
  InterestMode interest_mode = InterestMode::annual;

  // What the next application would bill (never negative).
  Cents interest_unbilled() const { return interest_accrued > interest_billed ? interest_accrued - interest_billed : 0; }
  Cents indemnity_unbilled() const { return indemnity > indemnity_billed ? indemnity - indemnity_billed : 0; }
  // L8: what was billed above what is owed now, once a payment, credit note
  // or reversal dated before an application was recorded after it; the next
  // application credits it (never negative).
  Cents interest_overbilled() const { return interest_billed > interest_accrued ? interest_billed - interest_accrued : 0; }
  Cents indemnity_overbilled() const { return indemnity_billed > indemnity ? indemnity_billed - indemnity : 0; }
};

// A customer's stage on a day (L3) and the stages to come.
struct CustomerStage {
  std::string customer;
  StageAt stage;
};

struct OverdueReport {
  Date as_of;
  std::vector<LateInvoice> invoices;
  std::vector<CustomerStage> customers;  // every customer (or the one asked), by code
};

// A stage change as recorded by apply.
struct StageTransition {
  std::string customer;
  Stage from = Stage::active;
  Stage to = Stage::active;
  Date date;
};

struct ApplyResult {
  OverdueReport report;                   // after the application
  std::vector<Invoice> issued;            // penalty invoices, one per customer
  std::vector<Invoice> credited;          // L8: credit notes citing penalty invoices
  std::vector<StageTransition> transitions;
};

struct StandbyState {
  std::string reason;
  Period period;  // first and last day in standby
};

struct CancelState {
  Date letter_date;
  std::string letter_ref;
  Date effective_date;  // the last day of the contract (C2)
};

// What `tally status` shows.
struct CustomerStatus {
  std::string customer;
  StageAt stage;
  std::optional<StandbyState> standby;  // the standby holding the day
  std::optional<CancelState> cancelled; // every subscription cancelled by then (latest letter and end)
  Capabilities capabilities;
  Cents balance = 0;  // all invoices incl. VAT, as of the day
  Cents credit = 0;   // P3
};

}  // namespace tally
