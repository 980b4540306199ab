// Cancellation (issue 5): C1 letter, C2 effective date, C3 statement, C4 after
// the effective date, in the pure rules and the ledger.
#include <catch2/catch.hpp>

#include "unit/fixtures.hpp"

#include "tally/cancellation.hpp"
#include "tally/errors.hpp"
#include "tally/payments.hpp"
#include "tally/standby.hpp"

using tally::test::d;

using namespace tally;

TEST_CASE("C2: effective at the end of the first term ending on or after letter + notice", "[cancel][C2]") {
  static const struct {
    const char* start;
    int commitment, notice;
    const char* letter;
    const char* effective;
  } cases[] = {
      // 2026-09-15 + 3 months = 2026-12-15 <= first term end 2026-12-31
      {"2026-01-01", 12, 3, "2026-09-15", "2026-12-31"},
      // 2026-10-01 + 3 = 2027-01-01 > 2026-12-31: next term, 2027-12-31
      {"2026-01-01", 12, 3, "2026-10-01", "2027-12-31"},
      {"2026-01-01", 12, 3, "2026-10-02", "2027-12-31"},
      // 2026-09-30 + 3 = 2026-12-30: still the first term
      {"2026-01-01", 12, 3, "2026-09-30", "2026-12-31"},
      // Several renewals: 2029-05-10 + 3 = 2029-08-10 <= term 4 end 2029-12-31
      {"2026-01-01", 12, 3, "2029-05-10", "2029-12-31"},
      // A letter before the start: the first term.
      {"2026-01-01", 12, 3, "2025-12-01", "2026-12-31"},
      // Start on the 31st, 1-month terms (L2): 2026-03-31 + 1 month -> 2026-04-30;
      // terms end add_months(2026-01-31, k) - 1: k=3 2026-04-29 < 04-30, k=4 2026-05-30
      {"2026-01-31", 1, 1, "2026-03-31", "2026-05-30"},
      // No notice: the current term.
      {"2026-03-15", 6, 0, "2026-09-14", "2026-09-14"},
      {"2026-03-15", 6, 0, "2026-09-15", "2027-03-14"},
  };
  for (const auto& c : cases) {
    INFO(c.start << " " << c.commitment << "/" << c.notice << " letter " << c.letter);
    CHECK(format_date(cancellation_effective_date(d(c.start), c.commitment, c.notice, d(c.letter))) == c.effective);
  }
}

TEST_CASE("C1: the letter's postal reference is required", "[cancel][C1]") {
  CHECK_NOTHROW(check_letter_ref("1A 123 456 7890 1"));
  for (const char* blank : {"", "   "}) {
    try {
      check_letter_ref(blank);
      FAIL("accepted a blank reference");
    } catch (const Error& e) {
      CHECK(e.code() == ExitCode::refused);
      CHECK(e.rule() == "C1");
    }
  }
  CHECK_THROWS_AS(check_letter_ref("ref\nwith newline"), Error);
  CHECK_THROWS_AS(check_letter_ref(std::string(101, 'x')), Error);
}

TEST_CASE("C3: cycles still to invoice up to the effective date", "[cancel][C3]") {
  const auto cycles = cycles_not_invoiced(d("2026-01-01"), Cycle::quarterly, d("2026-12-31"),
                                          {d("2026-01-01"), d("2026-04-01")});
  REQUIRE(cycles.size() == 2);
  CHECK(format_date(cycles[0].first) == "2026-07-01");
  CHECK(format_date(cycles[1].first) == "2026-10-01");
  CHECK(format_date(cycles[1].last) == "2026-12-31");
}

TEST_CASE("C3: a licence line prorated by day, and the statement total", "[cancel][C3][C4]") {
  Subscription s;
  s.amount_ht = 100000;
  s.cycle = Cycle::quarterly;
  s.start = d("2026-01-01");
  // Cycle 2026-10-01..2026-12-31 (92 days), contract ends 2026-11-15 (46 days):
  // 3000.00 x 46/92 = 1500.00 HT + 20 % = 1800.00
  const StatementLine l =
      licence_due(s, Period{d("2026-10-01"), d("2026-12-31")}, d("2026-11-15"), percent(20), {}, Policy{});
  CHECK(l.amount == 180000);
  CHECK(l.rule == "C4");
  CHECK(l.kind == "licence");
  const Statement st = make_statement(d("2026-09-01"), {l, StatementLine{"open", 50000, "open-balance", "C3", "ouvert"}}, 20000);
  REQUIRE(st.lines.size() == 3);
  CHECK(st.lines.back().amount == -20000);
  CHECK(st.total_due == 180000 + 50000 - 20000);  // 2100.00
}

// ---- In the ledger ----

static Ledger with_customer() {
  return test::ledger_with_acme();
}

static void subscribe(Ledger& l, Cycle cycle) {
  Subscription s;
  s.customer = "acme";
  s.amount_ht = 100000;
  s.cycle = cycle;
  s.start = d("2026-01-01");
  add_subscription(l, s);
}

// Bills the months from January to September 2026, each invoice paid by SEPA
// (no fee) on its issue date, so never late; September with `september` paid.
static void bill_and_pay(Ledger& l, Cents september) {
  for (Date m = d("2026-01-01"); m <= d("2026-09-01"); m = add_months(m, 1)) {
    const Invoice inv = run_billing(l, m, m).at(0);
    const Cents amount = m == d("2026-09-01") ? september : inv.total_ttc;
    if (amount == 0) continue;
    PaymentRequest p;
    p.invoice = inv.number;
    p.method = Method::sepa;
    p.amount = amount;
    p.date = m;
    p.today = m;
    pay(l, p);
  }
}

static CancelRequest letter(const char* date, const char* today) {
  return CancelRequest{"acme", d(date), "1A12345678901", d(today)};
}

TEST_CASE("C2-C4: cancel records the letter; a second cancel is a conflict", "[cancel][C2][C4][ledger]") {
  Ledger l = with_customer();
  CHECK_THROWS_AS(cancel(l, letter("2026-09-15", "2026-09-16")), Error);  // no subscription: refused
  subscribe(l, Cycle::monthly);
  bill_and_pay(l, 0);
  const auto r = cancel(l, letter("2026-09-15", "2026-09-16"));
  CHECK(format_date(r.effective_date) == "2026-12-31");
  REQUIRE(r.subscriptions.size() == 1);
  CHECK(format_date(*list_subscriptions(l, "acme")[0].end_date) == "2026-12-31");
  // Statement on 2026-09-16: September open (1200.00, due 2026-10-01: not late),
  // January to August paid on time, October, November and December not
  // invoiced: 3 x 1200.00. Total 4800.00.
  CHECK(r.statement.total_due == 480000);
  try {
    cancel(l, letter("2026-09-20", "2026-09-21"));
    FAIL("second cancel accepted");
  } catch (const Error& e) {
    CHECK(e.code() == ExitCode::conflict);
  }
  // C4: billing stops after 2026-12-31; standby refused after it.
  CHECK(run_billing(l, d("2026-12-01"), d("2026-12-01")).size() == 1);
  CHECK(run_billing(l, d("2027-01-01"), d("2027-01-01")).empty());
  StandbyRequest sb{"acme", "inactivity", d("2027-01-05"), std::nullopt, d("2027-01-02"), d("2027-01-02")};
  try {
    start_standby(l, sb);
    FAIL("standby after the effective date accepted");
  } catch (const Error& e) {
    CHECK(e.rule() == "C4");
  }
}

TEST_CASE("C3: the statement counts standby days and the credit", "[cancel][C3][S3][ledger]") {
  Ledger l = with_customer();
  subscribe(l, Cycle::monthly);
  bill_and_pay(l, 150000);  // September 1200.00 paid with 1500.00: credit 300.00
  REQUIRE(customer_credit(l, "acme", d("2026-09-05")) == 30000);
  // Standby for the whole of November (30 of 30 days).
  start_standby(l, StandbyRequest{"acme", "inactivity", d("2026-11-01"), d("2026-11-30"), d("2026-09-10"),
                                  d("2026-09-10")});
  const auto r = cancel(l, letter("2026-09-15", "2026-09-16"));
  // October 1200.00 + November 500.00 HT + 100.00 VAT = 600.00 + December 1200.00 - credit 300.00 = 2700.00
  REQUIRE(r.statement.lines.size() == 4);
  CHECK(r.statement.lines[0].amount == 120000);
  CHECK(r.statement.lines[1].amount == 60000);
  CHECK(r.statement.lines[1].rule == "S3");
  CHECK(r.statement.lines[3].kind == "credit");
  CHECK(r.statement.total_due == 270000);
}
