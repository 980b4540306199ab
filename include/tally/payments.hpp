// Payments (P1-P6): the processing-fee rule, and recording, reversing and
// listing payments in the ledger.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "tally/billing.hpp"
#include "tally/ledger.hpp"
#include "tally/policy.hpp"

namespace tally {

// P1: the means of payment; `credit` is a settlement from customer credit (P3).
enum class Method { transfer, card, sepa, other, credit };

std::string_view to_string(Method m);
// Parses transfer|card|sepa|other (credit is not a command-line means).
// Throws Error(usage) naming the accepted values.
Method parse_method(std::string_view text);

// P2: the processing fee HT that a payment settling `settled_ttc` of an invoice
// of `kind` (and `cycle`, for subscription invoices) triggers. amount 0 when no
// fee applies; rule "P2"; why names the case.
Decision processing_fee(Method method, InvoiceKind kind, std::optional<Cycle> cycle, Cents settled_ttc,
                        const Policy& policy);

struct PaymentRequest {
  std::string invoice;         // invoice number
  Method method = Method::transfer;
  std::optional<Cents> amount; // none: the balance plus the fee it triggers (P3)
  Date date;                   // day the money arrived (P6)
  Date today;                  // the business date (--as-of)
  std::string ref;             // external reference (P4), "" for none
  std::string detail;          // what "other" was (cheque number...)
  std::string waive_reason;    // "" unless the fee is waived (P2)
};

struct Payment {
  std::int64_t id = 0;
  std::string invoice;   // invoice number named when paying
  std::string customer;  // customer code
  Cents amount = 0;
  Method method = Method::transfer;
  Date date;
  std::string ref;
  std::string detail;
  std::string waive_reason;
  std::string fee_invoice;  // number of the fee invoice it triggered, "" for none
  std::optional<Date> reversed_on;
  std::string reverse_reason;
};

struct PaymentResult {
  Payment payment;
  std::vector<Invoice> fees;  // fee invoices issued
  Invoice invoice;            // the invoice after payment
  Cents credit = 0;           // customer credit after payment
  bool duplicate = false;     // P4: same reference, same details: nothing recorded
};

// Records a payment (P1-P6) in one write. Throws Error(not_found) for an
// unknown invoice, Error(refused) for a void or paid invoice or a date outside
// the issue date..today window (P6), Error(usage) for an amount <= 0,
// Error(conflict) for a known reference with other details (P4).
PaymentResult pay(Ledger& ledger, const PaymentRequest& request);

// Settles an invoice from the customer's credit (P3): amount none = as much of
// the balance as the credit covers. No fee. Throws Error(refused) when there is
// no credit.
PaymentResult pay_from_credit(Ledger& ledger, std::string_view invoice, std::optional<Cents> amount, Date date,
                              Date today);

// P5: reverses a payment from `date` on (returned SEPA debit, chargeback): its
// allocations stop counting from that day, the invoice reopens, the fee it
// triggered stays owed. Throws Error(not_found), Error(conflict) when already
// reversed, Error(refused) for a date before the payment or after today.
Payment reverse_payment(Ledger& ledger, std::int64_t payment_id, std::string reason, Date date, Date today);

struct PaymentFilter {
  std::optional<std::string> customer;
  std::optional<std::string> invoice;
  std::optional<Method> method;
};

std::vector<Payment> payments(Ledger& ledger, const PaymentFilter& filter, Date as_of);

}  // namespace tally
