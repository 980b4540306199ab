// Whether a payment, a use of credit or a reversal may be recorded (P3, P5,
// P6), as pure decisions on plain values the ledger reads first. Each returns
// what may be settled or throws Error(refused) naming its rule. No I/O.
#pragma once

#include <optional>
#include <string>

#include "tally/calendar.hpp"
#include "tally/money.hpp"

namespace tally {

// An invoice as paying it needs it: its cached totals count every movement.
struct PayableInvoice {
  std::string number;
  bool credit_note = false;
  Date issue_date;
  Cents ttc = 0, paid = 0, credited = 0;
};

// P6: `inv` can be paid on `date` with business date `today`; returns its
// balance. Refused: a credit note, a void (fully credited) or paid invoice, a
// date before its issue date or after `today`.
Cents check_payable(const PayableInvoice& inv, Date date, Date today);

// P3: how much of a customer's credit `available` on `date` settles an invoice
// that owes `owed` today and `lowest_ahead` at least on every day from `date`
// on (K2); `amount` as asked (none: all it can). Refused: nothing to settle
// from that day, no credit, an amount above the credit or the balance.
Cents decide_credit_use(const std::string& invoice, const std::string& customer, Cents owed, Cents lowest_ahead,
                        Cents available, std::optional<Cents> amount, Date date);

// P5: a payment collected on `paid_on` by `sepa` (or not) may be reversed on
// `date` with business date `today` when no later than `sepa_return_weeks`
// after it for a SEPA debit. Refused otherwise.
void check_reversal(Date paid_on, bool sepa, int sepa_return_weeks, Date date, Date today);

}  // namespace tally
