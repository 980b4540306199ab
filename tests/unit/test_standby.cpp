// Standby (issue 5): S1 reasons, S2 length and overlap, S3 billing by day and
// the settlement of cycles already invoiced, in the pure rules and the ledger.
#include <catch2/catch.hpp>

#include "unit/fixtures.hpp"

#include <functional>

#include "tally/errors.hpp"
#include "tally/standby.hpp"

using tally::test::d;

using namespace tally;

static Period P(const char* a, const char* b) { return Period{d(a), d(b)}; }

static Cents ht(const std::vector<InvoiceLine>& lines) {
  Cents sum = 0;
  for (const auto& l : lines) sum += l.amount_ht;
  return sum;
}

static std::string rule_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const Error& e) {
    CHECK(e.code() == ExitCode::refused);
    return e.rule();
  }
  return "accepted";
}

TEST_CASE("S1: only the three reasons are accepted", "[standby][S1]") {
  CHECK(parse_standby_reason("inactivity") == StandbyReason::inactivity);
  CHECK(parse_standby_reason("awaiting-approval") == StandbyReason::awaiting_approval);
  CHECK(parse_standby_reason("third-party-integration") == StandbyReason::third_party_integration);
  for (const char* bad : {"holiday", "Inactivity", "", "awaiting_approval"}) {
    INFO(bad);
    CHECK(rule_of([&] { parse_standby_reason(bad); }) == "S1");
  }
}

TEST_CASE("S2: at most 3 calendar months, back-to-back standbys count as one", "[standby][S2]") {
  const Policy p;
  // Longest from 2026-01-31: add_months(2026-01-31, 3) = 2026-04-30, minus a day.
  CHECK(format_date(standby_max_last_day(d("2026-01-31"), p)) == "2026-04-29");
  CHECK(format_date(standby_max_last_day(d("2026-11-15"), p)) == "2027-02-14");
  static const struct {
    Period request;
    std::vector<Period> existing;
    const char* expected;  // the rule that refuses, or "accepted"
  } cases[] = {
      {P("2026-03-01", "2026-05-31"), {}, "accepted"},  // 3 months exactly
      {P("2026-03-01", "2026-06-01"), {}, "S2"},        // one day more
      {P("2026-11-15", "2027-02-14"), {}, "accepted"},  // across a year
      {P("2026-11-15", "2027-02-15"), {}, "S2"},
      // Back to back after 2026-01-01..2026-01-31: the procedure runs from
      // 2026-01-01, so it may last until 2026-03-31.
      {P("2026-02-01", "2026-03-31"), {P("2026-01-01", "2026-01-31")}, "accepted"},
      {P("2026-02-01", "2026-04-01"), {P("2026-01-01", "2026-01-31")}, "S2"},
      // Back to back before an existing one, and a chain of two.
      {P("2026-01-01", "2026-01-31"), {P("2026-02-01", "2026-04-01")}, "S2"},
      {P("2026-03-01", "2026-03-31"), {P("2026-01-01", "2026-01-31"), P("2026-02-01", "2026-02-28")}, "accepted"},
      {P("2026-03-01", "2026-04-01"), {P("2026-01-01", "2026-01-31"), P("2026-02-01", "2026-02-28")}, "S2"},
      // A gap of one day: a new procedure.
      {P("2026-02-02", "2026-05-01"), {P("2026-01-01", "2026-01-31")}, "accepted"},
      // Overlaps, by one day on either side.
      {P("2026-01-31", "2026-02-10"), {P("2026-01-01", "2026-01-31")}, "S2"},
      {P("2025-12-01", "2026-01-01"), {P("2026-01-01", "2026-01-31")}, "S2"},
  };
  for (const auto& c : cases) {
    INFO(format_date(c.request.first) << " to " << format_date(c.request.last));
    CHECK(rule_of([&] { check_standby(c.request, c.existing, p); }) == c.expected);
  }
  CHECK_THROWS_MATCHES(check_standby(P("2026-03-10", "2026-03-09"), {}, p), Error,
                       Catch::Predicate<Error>([](const Error& e) { return e.code() == ExitCode::usage; }));
}

TEST_CASE("S3: the reduction by day, rounded once", "[standby][S3]") {
  const Policy p;
  // 1000.00 x 22/31 x 50 % = 354.8387 -> 354.84
  CHECK(standby_reduction(100000, 31, 22, p) == 35484);
  // 3000.00 x 90/90 x 50 % = 1500.00
  CHECK(standby_reduction(300000, 90, 90, p) == 150000);
  CHECK(standby_reduction(100000, 31, 0, p) == 0);
  CHECK(standby_days(P("2026-03-01", "2026-03-31"), {P("2026-02-20", "2026-03-05"), P("2026-03-30", "2026-04-10")}) ==
        7);  // 1..5 March and 30..31 March
}

TEST_CASE("S3: cycle lines with standby days", "[standby][S3][I5]") {
  const Policy p;
  const Rate vat = percent(20);
  SECTION("monthly: 22 of 31 March days in standby") {
    const auto lines = subscription_cycle_lines(100000, Cycle::monthly, P("2026-03-01", "2026-03-31"), std::nullopt,
                                                vat, {P("2026-03-10", "2026-05-31")}, p);
    REQUIRE(lines.size() == 2);
    // Full price for 9 days: 1000.00 - round(1000.00 x 22/31 = 709.677) = 1000.00 - 709.68 = 290.32
    CHECK(lines[0].amount_ht == 29032);
    CHECK(lines[0].rule == "I5");
    // Standby days: 709.68 - 354.84 = 354.84
    CHECK(lines[1].amount_ht == 35484);
    CHECK(lines[1].rule == "S3");
    // Total 1000.00 - 354.84 = 645.16
    CHECK(ht(lines) == 64516);
  }
  SECTION("quarterly: 2026-04-01..2026-06-30 (91 days), standby 2026-05-16..2026-06-30 (46 days)") {
    const auto lines = subscription_cycle_lines(150000, Cycle::quarterly, P("2026-04-01", "2026-06-30"),
                                                std::nullopt, vat, {P("2026-05-16", "2026-08-15")}, p);
    // 4500.00 x 46/91 x 50 % = 1137.3626 -> 1137.36; 4500.00 - 1137.36 = 3362.64
    CHECK(ht(lines) == 336264);
  }
  SECTION("annual: 2026-01-01..2026-12-31 (365 days), standby 2026-03-01..2026-05-31 (92 days)") {
    const auto lines = subscription_cycle_lines(100000, Cycle::annual, P("2026-01-01", "2026-12-31"), std::nullopt,
                                                vat, {P("2026-03-01", "2026-05-31")}, p);
    // 12000.00 x 92/365 x 50 % = 1512.3288 -> 1512.33; 12000.00 - 1512.33 = 10487.67
    CHECK(ht(lines) == 1048767);
  }
  SECTION("across a year boundary on monthly cycles: split by cycle") {
    const std::vector<Period> sb{P("2026-12-15", "2027-01-14")};
    // December: 17 of 31 days: 1000.00 x 17/31 x 50 % = 274.1935 -> 274.19; 725.81 billed
    CHECK(ht(subscription_cycle_lines(100000, Cycle::monthly, P("2026-12-01", "2026-12-31"), std::nullopt, vat, sb,
                                      p)) == 72581);
    // January: 14 of 31 days: 1000.00 x 14/31 x 50 % = 225.8065 -> 225.81; 774.19 billed
    CHECK(ht(subscription_cycle_lines(100000, Cycle::monthly, P("2027-01-01", "2027-01-31"), std::nullopt, vat, sb,
                                      p)) == 77419);
  }
  SECTION("a whole cycle in standby: one S3 line at half price") {
    const auto lines = subscription_cycle_lines(100000, Cycle::monthly, P("2026-04-01", "2026-04-30"), std::nullopt,
                                                vat, {P("2026-03-10", "2026-05-31")}, p);
    REQUIRE(lines.size() == 1);
    CHECK(lines[0].rule == "S3");
    CHECK(lines[0].amount_ht == 50000);  // 1000.00 x 50 %
  }
  SECTION("standby and cancellation in the same cycle") {
    // Contract ends 2026-03-20: 20 of 31 days billed = round(1000.00 x 20/31 = 645.161) = 645.16;
    // standby 2026-03-11..2026-03-20 = 10 days: reduction 1000.00 x 10/31 x 50 % = 161.29 -> 483.87
    const auto lines = subscription_cycle_lines(100000, Cycle::monthly, P("2026-03-01", "2026-03-31"), d("2026-03-20"),
                                                vat, {P("2026-03-11", "2026-04-10")}, p);
    REQUIRE(lines.size() == 2);
    CHECK(lines[0].rule == "C4");
    CHECK(ht(lines) == 48387);
  }
}

// ---- In the ledger ----

static Ledger with_subscription(Cycle cycle, const char* start) {
  Ledger l = test::ledger_with_acme();
  Subscription s;
  s.customer = "acme";
  s.amount_ht = 100000;  // 1000.00 HT a month
  s.cycle = cycle;
  s.start = d(start);
  add_subscription(l, s);
  return l;
}

static StandbyRequest request(const char* from, std::optional<const char*> until, const char* today) {
  StandbyRequest r;
  r.customer = "acme";
  r.reason = "inactivity";
  r.first_day = d(from);
  if (until) r.last_day = d(*until);
  r.requested = d(today);
  r.today = d(today);
  return r;
}

// What the cycle starting on `first` was billed HT after all its documents:
// its invoice, less credit notes citing it, plus S3 invoices naming it.
static Cents net_billed(Ledger& l, const char* first, Date as_of) {
  Cents net = 0;
  std::string number;
  for (const Invoice& inv : list_invoices(l, {}, as_of))
    if (!inv.credit_note && inv.period && inv.period->first == d(first)) {
      net += inv.total_ht;
      number = inv.number;
    }
  REQUIRE(!number.empty());
  for (const Invoice& inv : list_invoices(l, {}, as_of)) {
    if (inv.credit_note && inv.cites == number) net -= inv.total_ht;
    if (!inv.credit_note && !inv.period && !inv.lines.empty() &&
        inv.lines[0].description.find(number) != std::string::npos)
      net += inv.total_ht;
  }
  return net;
}

TEST_CASE("S3: a standby recorded after the run is settled by a credit note", "[standby][S3][ledger]") {
  Ledger l = with_subscription(Cycle::monthly, "2026-01-01");
  run_billing(l, d("2026-03-01"), d("2026-03-01"));
  const auto r = start_standby(l, request("2026-03-10", "2026-03-31", "2026-03-05"));
  REQUIRE(r.documents.size() == 1);
  const Invoice& note = r.documents[0];
  CHECK(note.credit_note);
  CHECK(note.cites == "F2026-000001");
  CHECK(note.total_ht == 35484);  // 1000.00 x 22/31 x 50 % = 354.84
  CHECK(note.total_ttc == 42581);  // 354.84 + 20 % (70.968 -> 70.97) = 425.81
  CHECK(find_invoice(l, "F2026-000001", d("2026-03-05")).balance == 120000 - 42581);
  // The next run bills April in full: the standby ended in March.
  const auto april = run_billing(l, d("2026-04-01"), d("2026-04-01"));
  REQUIRE(april.size() == 1);
  CHECK(april[0].total_ht == 100000);
}

TEST_CASE("S3: an annual invoice is credited, an early end re-invoiced", "[standby][S3][ledger]") {
  Ledger l = with_subscription(Cycle::annual, "2026-01-01");
  run_billing(l, d("2026-01-01"), d("2026-01-01"));  // 12000.00 HT for 2026-01-01..2026-12-31 (365 days)
  // Standby 2026-03-01..2026-05-31 (92 days): 12000.00 x 92/365 x 50 % = 1512.3288 -> 1512.33
  auto r = start_standby(l, request("2026-03-01", std::nullopt, "2026-02-20"));
  CHECK(format_date(r.standby.last_day) == "2026-05-31");  // the longest: 3 months
  REQUIRE(r.documents.size() == 1);
  CHECK(r.documents[0].total_ht == 151233);
  // Ended early on 2026-03-31 (31 days): 12000.00 x 31/365 x 50 % = 509.589 -> 509.59;
  // the customer owes back 1512.33 - 509.59 = 1002.74 HT.
  r = end_standby(l, "acme", d("2026-03-31"), d("2026-04-01"));
  REQUIRE(r.documents.size() == 1);
  CHECK(!r.documents[0].credit_note);
  CHECK(r.documents[0].kind == InvoiceKind::subscription);
  CHECK(r.documents[0].total_ht == 100274);
  CHECK(r.documents[0].lines[0].rule == "S3");
  // After all documents, what subscription_cycle_lines bills for the final periods.
  CHECK(net_billed(l, "2026-01-01", d("2026-04-01")) == 1200000 - 50959);
  CHECK(net_billed(l, "2026-01-01", d("2026-04-01")) ==
        ht(subscription_cycle_lines(100000, Cycle::annual, P("2026-01-01", "2026-12-31"), std::nullopt, percent(20),
                                    standby_periods(l, "acme"), Policy{})));
  // Ending it again on the same day changes nothing.
  CHECK(end_standby(l, "acme", d("2026-03-31"), d("2026-04-02")).documents.empty());
}

TEST_CASE("S3: a standby across a month boundary, recorded late, credits each invoiced cycle",
          "[standby][S3][ledger]") {
  Ledger l = with_subscription(Cycle::monthly, "2026-01-01");
  run_billing(l, d("2026-03-01"), d("2026-03-01"));
  run_billing(l, d("2026-04-01"), d("2026-04-01"));
  // 2026-03-20..2026-04-09: 12 of 31 March days, 9 of 30 April days.
  const auto r = start_standby(l, request("2026-03-20", "2026-04-09", "2026-04-02"));
  REQUIRE(r.documents.size() == 2);
  CHECK(r.documents[0].total_ht == 19355);  // 1000.00 x 12/31 x 50 % = 193.548 -> 193.55
  CHECK(r.documents[1].total_ht == 15000);  // 1000.00 x 9/30 x 50 % = 150.00
  // May is not touched and bills in full.
  CHECK(run_billing(l, d("2026-05-01"), d("2026-05-01"))[0].total_ht == 100000);
}

TEST_CASE("S1, S2, S5: refusals record nothing; accepted requests keep date and reason", "[standby][S5][ledger]") {
  Ledger l = with_subscription(Cycle::monthly, "2026-01-01");
  const auto journal = read_journal(l).size();
  auto bad = request("2026-03-01", "2026-06-01", "2026-02-20");  // 3 months and a day
  CHECK_THROWS_AS(start_standby(l, bad), Error);
  bad = request("2026-03-01", std::nullopt, "2026-02-20");
  bad.reason = "holidays";
  CHECK_THROWS_AS(start_standby(l, bad), Error);
  CHECK(read_journal(l).size() == journal);
  CHECK(standbys(l).empty());
  auto ok = request("2026-03-01", "2026-03-31", "2026-02-25");
  ok.requested = d("2026-02-20");
  ok.reason = "awaiting-approval";
  start_standby(l, ok);
  const auto list = standbys(l, std::string("acme"));
  REQUIRE(list.size() == 1);
  CHECK(format_date(list[0].requested) == "2026-02-20");
  CHECK(list[0].reason == StandbyReason::awaiting_approval);
  CHECK(list[0].decision == "accepted");
  // Back to back: 2026-04-01..2026-05-31 completes the 3 months, one more day is refused.
  CHECK_THROWS_AS(start_standby(l, request("2026-04-01", "2026-06-01", "2026-02-25")), Error);
  CHECK_NOTHROW(start_standby(l, request("2026-04-01", "2026-05-31", "2026-02-25")));
}
