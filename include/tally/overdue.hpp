// Late payment in the ledger (L1-L7): the overdue report evaluated at any
// date, the apply step that bills penalties and records stage transitions, and
// a customer's status.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "tally/late.hpp"
#include "tally/ledger.hpp"

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

// Every invoice of `customer` (all customers when none) that is late on
// as_of, or was paid late and still has interest or indemnity not billed on a
// penalty invoice issued on or before as_of, or was billed more than it owes
// (L8); ordered by customer then due date.
// Penalty invoices are never late (L1); fee invoices are. Throws
// Error(not_found) for an unknown customer.
std::vector<LateInvoice> late_invoices(Ledger& ledger, Date as_of, std::optional<std::string> customer = {});

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

// The overdue report on as_of. Reads only.
OverdueReport overdue(Ledger& ledger, Date as_of, std::optional<std::string> customer = {});

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

// L6: in one write dated as_of, issues for each customer one `penalty` invoice
// (VAT 0, M4) with a line per late invoice for the interest accrued and not
// yet billed (L4) and one for the indemnity not yet billed (L5), and records
// each customer's stage change since its last recorded stage (L3). L8: what
// penalty invoices billed above what is owed now is credited by a partial
// credit note citing each penalty invoice that billed it (latest first).
// Applying again on the same day issues and records nothing. Throws
// Error(refused) when penalties or stages were already applied after as_of,
// or the month is locked.
ApplyResult apply_overdue(Ledger& ledger, Date as_of, std::optional<std::string> customer = {});

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

// The status of one customer on as_of. Throws Error(not_found).
CustomerStatus customer_status(Ledger& ledger, std::string_view customer, Date as_of);

}  // namespace tally
