// Cancellation (C1-C4): the effective date of a cancellation (C2), the
// balance statement communicated to the customer (C3), and the ledger verb that
// records a cancellation letter.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "tally/billing.hpp"
#include "tally/records.hpp"
#include "tally/policy.hpp"

namespace tally {

// C2: the day a cancellation received on `letter` takes effect: the last day of
// the first commitment term that ends on or after add_months(letter, notice).
// Terms run from `start` in blocks of `commitment_months`, renewed tacitly:
// term k ends on add_months(start, k x commitment_months) - 1 day (L2).
// REQUIRES: commitment_months > 0, notice_months >= 0.
Date cancellation_effective_date(Date start, int commitment_months, int notice_months, Date letter);

// C1: checks the registered letter's postal reference. Throws Error(refused,
// "C1") when it is empty or blank, Error(usage) when it is not people's text
// (check_text of tally/text.hpp) of at most 100 characters.
void check_letter_ref(std::string_view ref);

// C2: a customer is cancelled through its subscriptions: refused when
// customer `code` has none.
void check_cancellable(const std::string& code, std::size_t subscriptions);

// C3: the cycles of a subscription from `start` that begin on or before
// `effective` and are not in `invoiced` (the first days of the cycles already
// invoiced), in order.
std::vector<Period> cycles_not_invoiced(Date start, Cycle cycle, Date effective, const std::vector<Date>& invoiced);

// One line of the balance statement. Amounts incl. VAT where VAT applies;
// what reduces the balance (customer credit) is negative.
struct StatementLine {
  std::string label;
  Cents amount = 0;
  std::string kind;  // open-balance | interest | indemnity | licence | credit
  std::string rule;  // the rule that makes it owed: I5, C4, S3, L4, L5, P3...
  std::string label_fr;  // the label in French, for the letter (letters.hpp)
};

struct Statement {
  Date as_of;
  std::vector<StatementLine> lines;
  Cents total_due = 0;  // the sum of the lines; negative when owed to the customer
};

// C3: the statement line of a licence cycle still due and not yet invoiced:
// the lines `subscription_cycle_lines` would bill (the last cycle prorated by
// day up to `effective`, standby days reduced) with their VAT (M2), incl. VAT.
StatementLine licence_due(const Subscription& s, Period cycle, Date effective, Rate vat_rate,
                          const std::vector<Period>& standbys, const Policy& policy);

// C3: adds the line of the customer credit (if any, as a negative amount) and
// sums the lines into total_due.
Statement make_statement(Date as_of, std::vector<StatementLine> lines, Cents credit);

// C3: the statement as a letter: statement_letter() of tally/letters.hpp.

// ---- In the ledger ----

struct CancelRequest {
  std::string customer;
  Date letter_date;        // the reception date of the registered letter (C1)
  std::string letter_ref;  // its postal reference (C1)
  Date today;              // the business date (--as-of)
};

struct CancelResult {
  Customer customer;
  std::vector<Subscription> subscriptions;  // those cancelled by this letter, with end_date
  Date effective_date;                      // the latest of their end dates
  Statement statement;                      // C3, evaluated on today
  std::vector<Invoice> credit_notes;        // C4: the days of invoiced cycles after the effective date
};

}  // namespace tally
