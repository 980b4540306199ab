// P3, P5, P6: whether a payment, a use of credit or a reversal may be recorded.
#include "tally/payment_rules.hpp"

#include <algorithm>

#include "tally/errors.hpp"

namespace tally {

Cents check_payable(const PayableInvoice& inv, Date date, Date today) {
  if (inv.credit_note)
    throw refused("P6", "'{}' is a credit note: only invoices can be paid", inv.number);
  const Cents balance = inv.ttc - inv.paid - inv.credited;
  if (inv.ttc > 0 && inv.credited == inv.ttc)
    throw refused("P6", "invoice {} is void (fully credited): nothing to pay", inv.number);
  if (balance <= 0)
    throw refused("P6", "invoice {} is already paid (balance {}): nothing to pay", inv.number,
                  format_amount(balance));
  if (date < inv.issue_date)
    throw refused("P6", "payment dated {} refused: before the issue date {} of {}", format_date(date),
                  format_date(inv.issue_date), inv.number);
  if (date > today)
    throw refused("P6", "payment dated {} refused: after the business date {}", format_date(date),
                  format_date(today))
        .with(Hint::as_of);
  return balance;
}

Cents decide_credit_use(const std::string& invoice, const std::string& customer, Cents owed, Cents lowest_ahead,
                        Cents available, std::optional<Cents> amount, Date date) {
  if (lowest_ahead <= 0)
    throw refused("P3", "invoice {} owes {} today but was settled on a day after {}: credit dated {} would "
                  "settle it twice; use it from the day the invoice reopened",
                  invoice, format_amount(owed), format_date(date), format_date(date));
  if (available <= 0)
    throw refused("P3", "customer {} has no credit to use on {} (available {})", customer, format_date(date),
                  format_amount(available));
  if (amount && *amount > available)
    throw refused("P3", "amount {} exceeds the credit customer {} can use on {}: {}", format_amount(*amount),
                  customer, format_date(date), format_amount(available));
  if (amount && *amount > lowest_ahead)
    throw refused("P3", "amount {} exceeds the balance {} of {}: credit only settles what is owed",
                  format_amount(*amount), format_amount(lowest_ahead), invoice);
  return amount ? *amount : std::min(lowest_ahead, available);
}

void check_reversal(Date paid_on, bool sepa, int sepa_return_weeks, Date date, Date today) {
  if (date < paid_on)
    throw refused("P5", "reversal dated {} refused: before the payment's date {}", format_date(date),
                  format_date(paid_on));
  if (date > today)
    throw refused("P5", "reversal dated {} refused: after the business date {}", format_date(date),
                  format_date(today))
        .with(Hint::as_of);
  if (sepa) {
    const Date last = paid_on + date::days{7 * sepa_return_weeks};
    if (date > last)
      throw refused("P5", "a SEPA debit collected on {} can be returned up to {} weeks later ({}): {} is too late",
                    format_date(paid_on), sepa_return_weeks, format_date(last), format_date(date));
  }
}

}  // namespace tally
