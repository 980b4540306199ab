// Payments (P1-P6): the processing-fee rule, and recording, reversing and
// listing payments in the ledger.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "tally/billing.hpp"
#include "tally/records.hpp"
#include "tally/policy.hpp"
#include "tally/text.hpp"  // check_ref and check_note are check_text

namespace tally {

// P1: the means of payment; `credit` is a settlement from customer credit (P3).
enum class Method { transfer, card, sepa, other, credit };

std::string_view to_string(Method m);
// Parses transfer|card|sepa|other (credit is not a command-line means of
// payment; allow_credit also accepts it, for filters). Throws Error(usage)
// naming the accepted values.
Method parse_method(std::string_view text, bool allow_credit = false);

// P2: the processing fee HT that a payment settling `settled_ttc` of an invoice
// of `kind` (and `cycle`, for subscription invoices) triggers. amount 0 when no
// fee applies; rule "P2"; why names the case.
// - card: card_fee_rate x settled_ttc (M3 rounding);
// - transfer: transfer_fee on a subscription invoice whose cycle is not annual
//   (an unknown cycle counts as not annual), else 0;
// - sepa: sepa_fee; other: other_fee; credit: 0;
// - paying a `fee` or `penalty` invoice triggers no fee (fees would chain).
Decision processing_fee(Method method, InvoiceKind kind, std::optional<Cycle> cycle, Cents settled_ttc,
                        const Policy& policy);

// P4: a reference is people's text (check_text of tally/text.hpp: UTF-8, no
// control characters or bidirectional controls, not blank) of at most
// kMaxRefLength characters. Throws Error(usage) quoting it (invalid bytes as
// \xNN, a long value cut, with its size).
inline constexpr std::size_t kMaxRefLength = 128;
void check_ref(std::string_view ref);

// Free text recorded with a payment (detail, waive reason, reversal reason):
// people's text of at most kMaxNoteLength characters, or "" (absent).
// Throws Error(usage) naming `what` and quoting the text as check_ref does.
inline constexpr std::size_t kMaxNoteLength = 1000;
void check_note(std::string_view text, std::string_view what);

struct PaymentRequest {
  std::string invoice;         // invoice number
  Method method = Method::transfer;
  std::optional<Cents> amount; // none: the balance plus the fee it triggers (P3)
  Date date;                   // day the money arrived (P6)
  Date today;                  // the business date (--as-of)
  std::string ref;             // external reference (P4), "" for none
  std::string detail;          // what "other" was (cheque number...)
  std::string waive_reason;    // "" unless the fee is waived (P2)
  // Whether PaymentResult::invoice, fees and credit (the state after payment)
  // are read back; a bulk import that does not show them turns it off.
  bool read_state = true;
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

// Where part of a payment went: an invoice's balance.
struct Allocation {
  std::string invoice;  // invoice number
  Cents amount = 0;
};

struct PaymentResult {
  Payment payment;
  std::vector<Invoice> fees;  // fee invoices issued (a duplicate: the one it issued then)
  Invoice invoice;            // the invoice after payment
  Cents credit = 0;           // customer credit after payment
  bool duplicate = false;     // P4: same reference, same details: nothing recorded
  // Where the amount went: the invoice, then its fee invoice, then to_credit
  // (P3); they add up to payment.amount. Empty for a duplicate.
  std::vector<Allocation> allocations;
  Cents to_credit = 0;        // part that became customer credit (P3)
  Decision fee;               // the P2 decision, also when waived or 0
};

// A reversal and what it changed, evaluated at the business date.
struct ReversalResult {
  Payment payment;                // reversed_on and reverse_reason set
  std::vector<Invoice> invoices;  // the invoices it had paid, reopened
  Cents credit = 0;               // customer credit after (may be negative: credit already spent)
};

struct PaymentFilter {
  std::optional<std::string> customer;  // customer code
  std::optional<std::string> invoice;   // the invoice named, or any invoice the payment went to
  std::optional<Method> method;
};

}  // namespace tally
