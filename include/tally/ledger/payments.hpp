// The ledger's verbs of payments.hpp: what reads or writes the ledger file. The
// values they take and return, and the pure rules, are in tally/payments.hpp.
// Included by tally/ledger.hpp (every verb of the ledger, one interface).
#pragma once

#include "tally/ledger.hpp"
#include "tally/payments.hpp"

namespace tally {

// Records a payment (P1-P6) in one write; the fee invoice it triggers (P2) is
// issued in the same write, dated and due on the payment date, with the
// customer's VAT rate (M4), under the policy in force that day.
// The amount goes to the invoice's balance, then to the fee invoice, then to
// customer credit. No amount: the balance plus the fee TTC (P3).
// A known reference with the same invoice, method, date and amount (when one
// is given) returns that payment with duplicate = true and writes nothing (P4).
// Throws Error(not_found) for an unknown invoice, Error(refused) for a void,
// paid or credit-note invoice, a date outside the issue date..today window
// (P6) or a locked month, Error(usage) for an amount <= 0, a bad reference or
// `other` without detail, Error(conflict) for a known reference with other
// details (P4). A waive_reason when no fee applies is not recorded.
PaymentResult pay(Ledger& ledger, const PaymentRequest& request);

// Settles an invoice from the customer's credit (P3): amount none = as much of
// the balance as the credit covers. No fee. Throws Error(refused) when there is
// no credit, or when amount exceeds the credit available on `date` (and on
// every later day) or the invoice's balance; otherwise as pay().
PaymentResult pay_from_credit(Ledger& ledger, std::string_view invoice, std::optional<Cents> amount, Date date,
                              Date today);

// P5: reverses a payment from `date` on (returned SEPA debit, chargeback): its
// allocations stop counting from that day, the invoice reopens, the fee it
// triggered stays owed, and the credit it left (or used) is taken back.
// Throws Error(not_found), Error(conflict) when already reversed,
// Error(refused) for a date before the payment or after today, a SEPA debit
// past sepa_return_weeks, or a locked month; Error(usage) for an empty reason.
ReversalResult record_reversal(Ledger& ledger, std::int64_t payment_id, std::string reason, Date date, Date today);
// record_reversal(...).payment.
Payment reverse_payment(Ledger& ledger, std::int64_t payment_id, std::string reason, Date date, Date today);

// Payments dated on or before as_of, by date then id; a reversal after as_of
// is not shown (reversed_on empty). Throws Error(not_found) for an unknown
// customer or invoice in the filter.
std::vector<Payment> payments(Ledger& ledger, const PaymentFilter& filter, Date as_of);
// The same payments one at a time, none kept once fn returns (bounded memory
// on any ledger). fn must not use the ledger. The filter's customer and
// invoice are checked (Error not_found) before the first call.
void each_payment(Ledger& ledger, const PaymentFilter& filter, Date as_of,
                  const std::function<void(const Payment&)>& fn);

}  // namespace tally
