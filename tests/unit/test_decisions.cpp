// Issue 18 item 1: every refusal the ledger used to decide beside its SQL is a
// pure function of src/core on plain values. One table of cases per rule:
// each row the values, and "accepted" or the rule that refuses them.
#include <catch2/catch.hpp>

#include <functional>
#include <optional>
#include <string>

#include "tally/cancellation.hpp"
#include "tally/errors.hpp"
#include "tally/invoicing.hpp"
#include "tally/late.hpp"
#include "tally/matching.hpp"
#include "tally/payment_rules.hpp"
#include "tally/period_lock.hpp"
#include "tally/standby.hpp"
#include "unit/fixtures.hpp"

using tally::test::d;
using tally::test::outcome;
using namespace tally;

namespace {

std::optional<Date> opt(const char* s) { return *s ? std::optional<Date>(d(s)) : std::nullopt; }

}  // namespace

TEST_CASE("P6: an invoice can be paid, table of cases", "[decisions][P6]") {
  // 1200.00 TTC issued 2026-03-01; the business date 2026-03-20.
  static const struct {
    const char* what;
    bool credit_note;
    Cents paid, credited;
    const char* date;
    const char* outcome;
    Cents balance;
  } cases[] = {
      {"open, dated in range", false, 0, 0, "2026-03-10", "accepted", 120000},
      {"partly paid", false, 20000, 0, "2026-03-10", "accepted", 100000},
      {"partly credited", false, 0, 12000, "2026-03-01", "accepted", 108000},
      {"a credit note", true, 0, 0, "2026-03-10", "P6", 0},
      {"void", false, 0, 120000, "2026-03-10", "P6", 0},
      {"paid", false, 120000, 0, "2026-03-10", "P6", 0},
      {"before its issue date", false, 0, 0, "2026-02-28", "P6", 0},
      {"after the business date", false, 0, 0, "2026-03-21", "P6", 0},
      {"on the business date", false, 0, 0, "2026-03-20", "accepted", 120000},
  };
  for (const auto& c : cases) {
    INFO(c.what);
    const PayableInvoice inv{"F2026-000001", c.credit_note, d("2026-03-01"), 120000, c.paid, c.credited};
    Cents got = 0;
    CHECK(outcome([&] { got = check_payable(inv, d(c.date), d("2026-03-20")); }) == c.outcome);
    CHECK(got == c.balance);
  }
}

TEST_CASE("P3: credit used on an invoice, table of cases", "[decisions][P3]") {
  static const struct {
    const char* what;
    Cents owed, lowest_ahead, available;
    std::optional<Cents> amount;
    const char* outcome;
    Cents used;
  } cases[] = {
      {"all it can: the balance", 50000, 50000, 80000, std::nullopt, "accepted", 50000},
      {"all it can: the credit", 50000, 50000, 30000, std::nullopt, "accepted", 30000},
      {"an amount", 50000, 50000, 80000, 20000, "accepted", 20000},
      {"settled on a later day (K2)", 50000, 0, 80000, std::nullopt, "P3", 0},
      {"only part owed on every day ahead", 50000, 20000, 80000, std::nullopt, "accepted", 20000},
      {"no credit", 50000, 50000, 0, std::nullopt, "P3", 0},
      {"above the credit", 50000, 50000, 30000, 40000, "P3", 0},
      {"above the balance", 50000, 50000, 80000, 60000, "P3", 0},
  };
  for (const auto& c : cases) {
    INFO(c.what);
    Cents got = 0;
    CHECK(outcome([&] {
            got = decide_credit_use("F2026-000001", "acme", c.owed, c.lowest_ahead, c.available, c.amount,
                                    d("2026-03-10"));
          }) == c.outcome);
    CHECK(got == c.used);
  }
}

TEST_CASE("P5: a payment can be reversed, table of cases", "[decisions][P5]") {
  // Paid 2026-03-02; business date 2026-06-30; SEPA returns within 8 weeks (2026-04-27).
  static const struct {
    bool sepa;
    const char* date;
    const char* outcome;
  } cases[] = {
      {false, "2026-03-02", "accepted"}, {false, "2026-03-01", "P5"}, {false, "2026-07-01", "P5"},
      {false, "2026-06-30", "accepted"}, {true, "2026-04-27", "accepted"}, {true, "2026-04-28", "P5"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.sepa, c.date);
    CHECK(outcome([&] { check_reversal(d("2026-03-02"), c.sepa, 8, d(c.date), d("2026-06-30")); }) == c.outcome);
  }
}

TEST_CASE("lock: closed months, table of cases", "[decisions][lock]") {
  static const struct {
    const char* date;
    const char* locked;  // "" none
    const char* outcome;
  } writes[] = {
      {"2026-03-31", "", "accepted"},     {"2026-03-31", "2026-03", "lock"}, {"2026-01-15", "2026-03", "lock"},
      {"2026-04-01", "2026-03", "accepted"},
  };
  for (const auto& c : writes) {
    CAPTURE(c.date, c.locked);
    const std::optional<std::string> locked = *c.locked ? std::optional<std::string>(c.locked) : std::nullopt;
    CHECK(outcome([&] { check_open_period(d(c.date), locked, "payment"); }) == c.outcome);
  }
  CHECK(outcome([] { check_lockable(d("2026-03-01"), d("2026-03-31")); }) == "lock");  // not ended
  CHECK(outcome([] { check_lockable(d("2026-03-01"), d("2026-04-01")); }) == "accepted");
  CHECK(outcome([] { check_import_open("s.csv", 0, "2026-03", ""); }) == "accepted");
  CHECK(outcome([] { check_import_open("s.csv", 2, "2026-03", "line 3, line 4"); }) == "lock");
}

TEST_CASE("L6: penalties applied in date order, table of cases", "[decisions][L6]") {
  CHECK(outcome([] { check_apply_order(d("2026-03-31"), std::nullopt); }) == "accepted");
  CHECK(outcome([] { check_apply_order(d("2026-03-31"), d("2026-03-31")); }) == "accepted");  // again: nothing new
  CHECK(outcome([] { check_apply_order(d("2026-03-31"), d("2026-03-30")); }) == "accepted");
  CHECK(outcome([] { check_apply_order(d("2026-03-31"), d("2026-04-01")); }) == "L6");
}

TEST_CASE("I5, I2: billing month and numbers, table of cases", "[decisions][I5][I2]") {
  CHECK(outcome([] { check_billing_month(d("2026-04-01"), d("2026-04-01")); }) == "accepted");
  CHECK(outcome([] { check_billing_month(d("2026-04-01"), d("2026-03-31")); }) == "I5");
  CHECK(next_number(false, 2026, 0) == "F2026-000001");
  CHECK(next_number(true, 2026, 41) == "AV2026-000042");
  CHECK(next_number(false, 2026, 999'998) == "F2026-999999");
  CHECK(outcome([] { next_number(false, 2026, 999'999); }) == "I2");
}

TEST_CASE("S1, C4: the last day of a standby, table of cases", "[decisions][S1][C4]") {
  // From 2026-03-01; the longest ends 2026-05-31 (S2, 3 months).
  static const struct {
    const char* what;
    std::size_t subscriptions;
    const char* first;
    const char* asked;  // "" the longest
    const char* end;    // "" the contract runs on
    const char* outcome;
    const char* last;
  } cases[] = {
      {"no subscription", 0, "2026-03-01", "", "", "S1", ""},
      {"the longest", 1, "2026-03-01", "", "", "accepted", "2026-05-31"},
      {"asked", 1, "2026-03-01", "2026-03-20", "", "accepted", "2026-03-20"},
      {"stops with the contract", 1, "2026-03-01", "", "2026-04-15", "accepted", "2026-04-15"},
      {"asked past the contract", 1, "2026-03-01", "2026-04-20", "2026-04-15", "C4", ""},
      {"from after the contract", 1, "2026-04-16", "", "2026-04-15", "C4", ""},
      {"asked to its last day", 1, "2026-03-01", "2026-04-15", "2026-04-15", "accepted", "2026-04-15"},
  };
  for (const auto& c : cases) {
    INFO(c.what);
    Date got{};
    CHECK(outcome([&] {
            got = decide_standby_last_day("acme", c.subscriptions, d(c.first), opt(c.asked), d("2026-05-31"),
                                          opt(c.end));
          }) == c.outcome);
    if (*c.last) CHECK(got == d(c.last));
  }
}

TEST_CASE("C2: cancellation needs a subscription", "[decisions][C2]") {
  CHECK(outcome([] { check_cancellable("acme", 0); }) == "C2");
  CHECK(outcome([] { check_cancellable("acme", 2); }) == "accepted");
}

TEST_CASE("B2: the part of a suspense line assigned, table of cases", "[decisions][B2]") {
  // Line 7 dated 2026-03-10 of 500.00, 300.00 still open.
  static const struct {
    std::optional<Cents> asked;
    const char* today;
    const char* outcome;
    Cents part;
  } cases[] = {
      {std::nullopt, "2026-03-10", "accepted", 30000}, {10000, "2026-03-20", "accepted", 10000},
      {30000, "2026-03-20", "accepted", 30000},        {30001, "2026-03-20", "B2", 0},
      {std::nullopt, "2026-03-09", "B2", 0},
  };
  for (const auto& c : cases) {
    CAPTURE(c.today);
    Cents got = 0;
    CHECK(outcome([&] { got = decide_suspense_part(7, d("2026-03-10"), 30000, 50000, c.asked, d(c.today)); }) ==
          c.outcome);
    CHECK(got == c.part);
  }
}
