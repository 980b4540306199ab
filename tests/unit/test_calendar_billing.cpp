// L2 month arithmetic, I4 due dates, I5 cycles, M2 VAT per invoice.
#include <catch2/catch.hpp>

#include "tally/billing.hpp"
#include "tally/errors.hpp"
#include "unit/fixtures.hpp"

using tally::test::d;

using namespace tally;
using date::days;

TEST_CASE("L2: adding calendar months clamps to the end of the month", "[calendar][L2]") {
  static const struct {
    const char* from;
    int months;
    const char* to;
  } cases[] = {
      {"2026-01-31", 1, "2026-02-28"}, {"2024-01-31", 1, "2024-02-29"}, {"2026-01-31", 2, "2026-03-31"},
      {"2026-03-31", 1, "2026-04-30"}, {"2026-08-31", 6, "2027-02-28"}, {"2026-11-15", 3, "2027-02-15"},
      {"2027-02-28", 12, "2028-02-28"}, {"2028-02-29", 12, "2029-02-28"}, {"2026-05-10", -3, "2026-02-10"},
  };
  for (const auto& c : cases) {
    INFO(c.from << " + " << c.months);
    CHECK(format_date(add_months(d(c.from), c.months)) == c.to);
  }
}

TEST_CASE("L2: whole months elapsed", "[calendar][L2]") {
  CHECK(months_between(d("2026-01-31"), d("2026-02-27")) == 0);
  CHECK(months_between(d("2026-01-31"), d("2026-02-28")) == 1);
  CHECK(months_between(d("2024-01-31"), d("2024-02-28")) == 0);
  CHECK(months_between(d("2024-01-31"), d("2024-02-29")) == 1);
  CHECK(months_between(d("2026-03-15"), d("2026-09-14")) == 5);
  CHECK(months_between(d("2026-03-15"), d("2026-09-15")) == 6);
  CHECK(months_between(d("2026-03-15"), d("2026-03-01")) == 0);
}

TEST_CASE("dates parse strictly", "[calendar]") {
  CHECK(format_date(d("2024-02-29")) == "2024-02-29");
  for (const char* bad : {"2026-02-29", "2026-13-01", "2026-1-01", "26-01-01", "2026/01/01", "", "2026-01-01x",
                          "1899-12-31", "2026-00-10"}) {
    INFO(bad);
    CHECK_THROWS_AS(parse_date(bad), Error);
  }
  CHECK(format_date(parse_month("2026-03")) == "2026-03-01");
  CHECK_THROWS_AS(parse_month("2026-13"), Error);
}

TEST_CASE("I4: due date and the 60-day cap", "[billing][I4]") {
  CHECK(format_date(due_date(d("2026-02-01"), 30)) == "2026-03-03");
  CHECK(format_date(due_date(d("2024-02-01"), 30)) == "2024-03-02");
  const Policy p;
  CHECK_NOTHROW(check_terms(60, p));
  try {
    check_terms(61, p);
    FAIL("accepted");
  } catch (const Error& e) {
    CHECK(e.code() == ExitCode::refused);
    CHECK(e.rule() == "I4");
  }
}

TEST_CASE("I5: the cycle starting in a month", "[billing][I5]") {
  static const struct {
    const char* start;
    Cycle cycle;
    const char* month;
    const char* first;  // nullptr: no cycle starts that month
    const char* last;
  } cases[] = {
      {"2026-01-15", Cycle::monthly, "2026-01-01", "2026-01-15", "2026-02-14"},
      {"2026-01-31", Cycle::monthly, "2026-02-01", "2026-02-28", "2026-03-30"},
      {"2026-01-31", Cycle::monthly, "2026-03-01", "2026-03-31", "2026-04-29"},
      {"2026-01-01", Cycle::quarterly, "2026-04-01", "2026-04-01", "2026-06-30"},
      {"2026-01-01", Cycle::quarterly, "2026-05-01", nullptr, nullptr},
      {"2025-11-01", Cycle::quarterly, "2026-02-01", "2026-02-01", "2026-04-30"},  // across a year
      {"2024-02-29", Cycle::annual, "2025-02-01", "2025-02-28", "2026-02-27"},     // leap day start
      {"2024-02-29", Cycle::annual, "2028-02-01", "2028-02-29", "2029-02-27"},
      {"2026-06-01", Cycle::annual, "2026-05-01", nullptr, nullptr},               // before the start
  };
  for (const auto& c : cases) {
    INFO(c.start << " " << to_string(c.cycle) << " in " << c.month);
    const auto p = cycle_starting_in(d(c.start), c.cycle, d(c.month));
    if (!c.first) {
      CHECK(!p);
    } else {
      REQUIRE(p);
      CHECK(format_date(p->first) == c.first);
      CHECK(format_date(p->last) == c.last);
    }
  }
}

TEST_CASE("I5: cycle containing a day", "[billing][I5]") {
  const Period p = cycle_containing(d("2026-01-31"), Cycle::monthly, d("2026-03-30"));
  CHECK(format_date(p.first) == "2026-02-28");
  CHECK(format_date(p.last) == "2026-03-30");
}

TEST_CASE("M2: VAT per invoice on the HT total of each rate", "[billing][M2][M3]") {
  const std::vector<InvoiceLine> lines = {
      {"a", 100, 10, 10, percent(20), "", ""},
      {"b", 100, 5, 5, percent(20), "", ""},
      {"c", 100, 333, 333, Rate{550}, "", ""},
  };
  const Totals t = invoice_totals(lines);
  // 0.15 at 20 % = 0.03 (not 0.02 + 0.01); 3.33 at 5.5 % = 0.18315 -> 0.18.
  REQUIRE(t.by_rate.size() == 2);
  CHECK(t.by_rate[0].rate.bp == 550);
  CHECK(t.by_rate[0].vat == 18);
  CHECK(t.by_rate[1].vat == 3);
  CHECK(t.ht == 348);
  CHECK(t.vat == 21);
  CHECK(t.ttc == 369);
}

TEST_CASE("I5/C4: cycle lines, prorated by day after a cancellation", "[billing][I5][C4]") {
  const Policy p;
  const Period q{d("2026-01-01"), d("2026-03-31")};  // 90 days
  auto full = subscription_cycle_lines(100000, Cycle::quarterly, q, std::nullopt, percent(20), {}, p);
  REQUIRE(full.size() == 1);
  CHECK(full[0].amount_ht == 300000);
  CHECK(full[0].rule == "I5");
  // Ends 2026-01-31: 31 of 90 days of 3000.00 = 1033.333.. -> 1033.33.
  auto part = subscription_cycle_lines(100000, Cycle::quarterly, q, d("2026-01-31"), percent(20), {}, p);
  REQUIRE(part.size() == 1);
  CHECK(part[0].amount_ht == 103333);
  CHECK(part[0].rule == "C4");
  CHECK(subscription_cycle_lines(100000, Cycle::quarterly, q, d("2025-12-31"), percent(20), {}, p).empty());
}
