// Month-end reports (issue 7): aging buckets (L1, L2, L3 thresholds), the
// aging and balance reports as of any day, the close of a month (M2, I2, P1,
// P2, P5, L4, L5), the period lock, and the bank-statement import into the
// ledger (P3, P4, P6). Every expected value is worked by hand from RULES.md in
// the comment beside it.
#include <catch2/catch.hpp>

#include "ledger/testing.hpp"
#include "tally/errors.hpp"
#include "tally/import.hpp"
#include "tally/overdue.hpp"
#include "tally/reports.hpp"
#include "unit/fixtures.hpp"

using tally::test::d;
using tally::test::code_of;

using namespace tally;

namespace {

// acme: 20 % VAT; bob: 0 % VAT; both 30 days terms.
Ledger two_customers() {
  Ledger l = Ledger::memory();
  for (auto [code, vat] : {std::pair{"acme", 20}, {"bob", 0}}) {
    Customer c;
    c.code = code;
    c.name = code;
    c.vat_rate = percent(vat);
    add_customer(l, c, d("2026-01-01"));
  }
  return l;
}

Invoice issue(Ledger& l, const char* customer, InvoiceKind kind, Cents ht, const char* date) {
  NewInvoice n;
  n.customer = customer;
  n.kind = kind;
  n.issue_date = d(date);
  n.lines.push_back(InvoiceLine{"work", 100, ht, ht, find_customer(l, customer).vat_rate, "I1", ""});
  return issue_invoice(l, n);
}

PaymentResult pay_on(Ledger& l, const std::string& number, Method m, Cents amount, const char* date) {
  PaymentRequest r;
  r.invoice = number;
  r.method = m;
  r.amount = amount;
  r.date = d(date);
  r.today = d(date);
  return pay(l, r);
}

std::int64_t count(Ledger& l, const std::string& sql) { return testing::database(l).execAndGet(sql).getInt64(); }

using Buckets = std::array<Cents, 5>;  // not_due, late_0_1, late_1_2, late_2_6, late_6_plus

}  // namespace

// ---- Pure ----

TEST_CASE("Aging: the bucket of a due date, calendar months late (L1, L2) and the policy thresholds (L3)",
          "[report][L1][L2][L3]") {
  const Policy p;  // thresholds 1, 2, 6 months
  struct Case {
    const char* due;
    const char* as_of;
    AgingBucket bucket;
  };
  const Case cases[] = {
      {"2026-01-31", "2026-01-31", AgingBucket::not_due},      // the due date itself: not late (L1)
      {"2026-01-31", "2026-02-01", AgingBucket::late_0_1},     // the day after
      {"2026-01-31", "2026-02-27", AgingBucket::late_0_1},
      {"2026-01-31", "2026-02-28", AgingBucket::late_1_2},     // 31 Jan + 1 month = 28 Feb (L2 clamping)
      {"2026-01-31", "2026-03-30", AgingBucket::late_1_2},
      {"2026-01-31", "2026-03-31", AgingBucket::late_2_6},     // + 2 months = 31 Mar
      {"2026-01-31", "2026-07-30", AgingBucket::late_2_6},
      {"2026-01-31", "2026-07-31", AgingBucket::late_6_plus},  // + 6 months = 31 Jul
      {"2026-03-15", "2026-04-14", AgingBucket::late_0_1},
      {"2026-03-15", "2026-04-15", AgingBucket::late_1_2},
      {"2026-03-15", "2027-03-15", AgingBucket::late_6_plus},
      {"2026-05-01", "2026-04-01", AgingBucket::not_due},
  };
  for (const auto& c : cases) {
    INFO(c.due << " on " << c.as_of);
    CHECK(aging_bucket(d(c.due), d(c.as_of), p) == c.bucket);
  }
  // The thresholds are the policy's: with platform_disable_months 3, 2 months late is still late_1_2.
  Policy q;
  q.platform_disable_months = 3;
  CHECK(aging_bucket(d("2026-01-31"), d("2026-03-31"), q) == AgingBucket::late_1_2);
  CHECK(to_string(AgingBucket::late_6_plus) == "late_6_plus");
}

TEST_CASE("Aging: the latest due date N months late on a day (L2)", "[report][L2]") {
  struct Case {
    const char* as_of;
    int months;
    const char* latest;
  };
  const Case cases[] = {
      {"2026-02-28", 1, "2026-01-31"},  // 31 Jan + 1 month = 28 Feb: 29-31 Jan qualify
      {"2026-02-27", 1, "2026-01-27"},
      {"2026-03-30", 1, "2026-02-28"},  // 28 Feb + 1 = 28 Mar <= 30 Mar; 1 Mar + 1 = 1 Apr > 30 Mar
      {"2026-04-30", 1, "2026-03-31"},  // 31 Mar + 1 = 30 Apr
      {"2026-04-30", 2, "2026-02-28"},  // 28 Feb + 2 = 28 Apr; 1 Mar + 2 = 1 May
      {"2026-08-31", 6, "2026-02-28"},  // 28 Feb + 6 = 28 Aug; 1 Mar + 6 = 1 Sep
      {"2024-02-29", 12, "2023-02-28"}, // 28 Feb 2023 + 12 = 28 Feb 2024 <= 29 Feb
      {"2026-03-15", 0, "2026-03-15"},
  };
  for (const auto& c : cases) {
    INFO(c.as_of << " minus " << c.months);
    const Date latest = latest_due_months_late(d(c.as_of), c.months);
    CHECK(latest == d(c.latest));
    CHECK(months_between(latest, d(c.as_of)) >= c.months);
    if (latest < d(c.as_of)) CHECK(months_between(latest + date::days{1}, d(c.as_of)) < c.months);
  }
}

// ---- Aging and balances in the ledger ----

TEST_CASE("Aging and balance reports as of any day, from the dated records", "[report][L2][P3][P5]") {
  Ledger l = two_customers();
  // acme (20 %): A1 1000.00 HT = 1200.00 TTC issued 01-01 due 01-31; A2 500.00 = 600.00 issued 03-01 due 03-31;
  // A3 100.00 = 120.00 issued 05-20 due 06-19; A4 50.00 = 60.00 issued 06-20 due 07-20.
  const Invoice a1 = issue(l, "acme", InvoiceKind::services, 100'000, "2026-01-01");
  // Numbers follow the dates (I2): bob's B1 of 01-10 before acme's A2 of 03-01.
  // bob (0 %): B1 300.00 issued 01-10 due 02-09, paid 350.00 by SEPA on 03-01: 50.00 to credit (P3).
  const Invoice b1 = issue(l, "bob", InvoiceKind::setup, 30'000, "2026-01-10");
  const Invoice a2 = issue(l, "acme", InvoiceKind::services, 50'000, "2026-03-01");
  issue(l, "acme", InvoiceKind::services, 10'000, "2026-05-20");
  issue(l, "acme", InvoiceKind::services, 5'000, "2026-06-20");
  pay_on(l, b1.number, Method::sepa, 35'000, "2026-03-01");
  // 200.00 paid on A1 on 02-10 (a transfer on services: no fee), reversed on 05-01 (P5).
  const auto p = pay_on(l, a1.number, Method::transfer, 20'000, "2026-02-10");
  CHECK(p.fees.empty());
  record_reversal(l, p.payment.id, "returned", d("2026-05-01"), d("2026-05-01"));
  // A credit note of 100.00 HT = 120.00 TTC on A2 on 04-10.
  issue_credit_note(l, a2.number, {InvoiceLine{"discount", 100, 10'000, 10'000, percent(20), "I3", ""}},
                      d("2026-04-10"), "discount");

  SECTION("on 2026-06-30") {
    const AgingReport r = aging_report(l, d("2026-06-30"));
    REQUIRE(r.customers.size() == 1);  // bob owes nothing: left out
    CHECK(r.customers[0].customer == "acme");
    // A4 60.00 not due; A3 120.00 11 days late; A1 1200.00 (the 200.00 reversed) 5 months late
    // (31 Jan + 5 = 30 Jun); A2 600.00 - 120.00 = 480.00 3 months late (31 Mar + 3 = 30 Jun).
    // late_2_6 = 1200.00 + 480.00 = 1680.00; total 60.00 + 120.00 + 1680.00 = 1860.00.
    CHECK(r.customers[0].amounts.by_bucket == Buckets{6'000, 12'000, 0, 168'000, 0});
    CHECK(r.total.by_bucket == Buckets{6'000, 12'000, 0, 168'000, 0});
    CHECK(r.total.total() == 186'000);

    const BalanceReport b = balance_report(l, d("2026-06-30"));
    REQUIRE(b.customers.size() == 2);
    const BalanceRow& acme = b.customers[0];
    CHECK(acme.customer == "acme");
    CHECK(acme.invoiced == 198'000);  // 1200.00 + 600.00 + 120.00 + 60.00
    CHECK(acme.credited == 12'000);   // the credit note, all applied (A2 owed 600.00)
    CHECK(acme.paid == 0);            // 200.00 reversed on 05-01
    CHECK(acme.balance == 186'000);   // 1980.00 - 120.00 - 0.00, the aging total
    CHECK(acme.credit == 0);
    const BalanceRow& bob = b.customers[1];
    CHECK(bob.invoiced == 30'000);
    CHECK(bob.paid == 30'000);  // 300.00 to the invoice...
    CHECK(bob.credit == 5'000); // ... 50.00 to credit
    CHECK(bob.balance == 0);
    CHECK(b.total.balance == 186'000);
    CHECK(b.total.invoiced == 228'000);  // 1980.00 + 300.00
  }
  SECTION("on 2026-02-28: A1 one month late by L2 clamping, bob not yet paid") {
    const AgingReport r = aging_report(l, d("2026-02-28"));
    REQUIRE(r.customers.size() == 2);
    // A1: 1200.00 - 200.00 paid 02-10 = 1000.00, 31 Jan + 1 month = 28 Feb: late_1_2.
    CHECK(r.customers[0].amounts.by_bucket == Buckets{0, 0, 100'000, 0, 0});
    // B1: 300.00 due 02-09, 19 days late (paid on 03-01, after the day).
    CHECK(r.customers[1].amounts.by_bucket == Buckets{0, 30'000, 0, 0, 0});
    CHECK(r.total.total() == 130'000);
  }
  SECTION("on 2026-02-27: one day earlier, A1 is under a month late") {
    const AgingReport r = aging_report(l, d("2026-02-27"));
    CHECK(r.customers[0].amounts.by_bucket == Buckets{0, 100'000, 0, 0, 0});
  }
  SECTION("on 2026-04-09 and 2026-04-10: the credit note counts from its date") {
    // A1 1000.00 2 months late (31 Jan + 2 = 31 Mar); A2 600.00 due 03-31, 9 days late.
    CHECK(aging_report(l, d("2026-04-09")).customers[0].amounts.by_bucket == Buckets{0, 60'000, 0, 100'000, 0});
    CHECK(aging_report(l, d("2026-04-10")).customers[0].amounts.by_bucket == Buckets{0, 48'000, 0, 100'000, 0});
  }
  SECTION("balances on 2026-03-15: A3, A4 and the credit note are not issued yet") {
    const BalanceReport b = balance_report(l, d("2026-03-15"));
    CHECK(b.customers[0].invoiced == 180'000);  // 1200.00 + 600.00
    CHECK(b.customers[0].paid == 20'000);       // the 200.00, not yet reversed
    CHECK(b.customers[0].balance == 160'000);
  }
  SECTION("before anything: no customer owes anything; customers are listed once created") {
    CHECK(aging_report(l, d("2025-12-31")).customers.empty());
    CHECK(balance_report(l, d("2025-12-31")).customers.empty());  // created 2026-01-01
  }
}

// ---- Close and lock ----

namespace {

// March 2026: invoices, a card payment with its fee, a reversed transfer, a
// credit note, penalties applied on 03-31; a payment in April.
Ledger march() {
  Ledger l = two_customers();
  issue(l, "acme", InvoiceKind::services, 10'000, "2026-02-15");   // F-000001 120.00, due 03-17
  issue(l, "acme", InvoiceKind::services, 100'000, "2026-03-02");  // F-000002 1200.00, due 04-01
  issue(l, "bob", InvoiceKind::setup, 50'000, "2026-03-03");       // F-000003 500.00 (0 %), due 04-02
  // Card: 2 % of 1200.00 = 24.00 HT + 4.80 VAT = 28.80, fee invoice F-000004 dated and due 03-10, unpaid.
  const auto card = pay_on(l, "F2026-000002", Method::card, 120'000, "2026-03-10");
  REQUIRE(card.fees.size() == 1);
  const auto transfer = pay_on(l, "F2026-000003", Method::transfer, 50'000, "2026-03-12");  // setup: no fee
  issue_credit_note(l, "F2026-000001", {InvoiceLine{"discount", 100, 5'000, 5'000, percent(20), "I3", ""}},
                      d("2026-03-20"), "discount");  // AV-000001 50.00 + 10.00 = 60.00
  record_reversal(l, transfer.payment.id, "returned", d("2026-03-25"), d("2026-03-25"));
  apply_overdue(l, d("2026-03-31"));  // F-000005, the penalties of acme (below)
  pay_on(l, "F2026-000004", Method::transfer, 2'880, "2026-04-02");  // April: not in the close
  return l;
}

}  // namespace

TEST_CASE("Close: the figures of a month", "[report][close][M2][I2][P1][P2][P5][L4][L5]") {
  Ledger l = march();
  const CloseReport r = close_report(l, d("2026-03-01"), d("2026-04-05"));
  CHECK(r.complete);
  CHECK(r.end == d("2026-03-31"));
  const auto kind = [&](InvoiceKind k) {
    for (const auto& [kk, t] : r.invoiced)
      if (kk == k) return t;
    FAIL("no kind");
    return DocumentTotals{};
  };
  REQUIRE(r.invoiced.size() == 5);  // every kind, also those with nothing
  CHECK(kind(InvoiceKind::subscription).count == 0);
  CHECK(kind(InvoiceKind::services).ttc == 120'000);  // F-000002 (F-000001 is February's)
  CHECK(kind(InvoiceKind::setup).ttc == 50'000);
  CHECK(kind(InvoiceKind::fee).ht == 2'400);
  CHECK(kind(InvoiceKind::fee).vat == 480);
  // Penalties of acme on 03-31 (L4: 10 % a year, rounded once per invoice; L5: 40.00 each):
  // F-000001 due 03-17: 120.00 x 3 days (17-19) + 60.00 x 11 days (20-30, after the credit note)
  //   = 1020.00 day-euros x 10 % / 365 = 0.2795 -> 0.28;
  // F-000004 (fee) of 03-10 is due on the terms (P2, I4): 03-10 + 30 days = 04-09, not late.
  // 0.28 + 40.00 = 40.28, no VAT (M4).
  CHECK(kind(InvoiceKind::penalty).ttc == 4'028);
  CHECK(r.penalties.count == 1);
  CHECK(r.penalties.interest == 28);
  CHECK(r.penalties.indemnity == 4'000);
  CHECK(r.penalties.ttc == 4'028);
  // 4 invoices: HT 1000.00 + 500.00 + 24.00 + 40.28 = 1564.28; VAT 200.00 + 4.80 = 204.80; TTC 1769.08.
  CHECK(r.invoiced_total.count == 4);
  CHECK(r.invoiced_total.ht == 156'428);
  CHECK(r.invoiced_total.vat == 20'480);
  CHECK(r.invoiced_total.ttc == 176'908);
  // VAT by rate (M2): 0 %: 500.00 + 40.28 HT; 20 %: 1000.00 + 24.00 = 1024.00 HT, VAT 204.80,
  // less the credit note 50.00 HT, 10.00 VAT: net 974.00 HT, 194.80 VAT.
  REQUIRE(r.vat_by_rate.size() == 2);
  CHECK(r.vat_by_rate[0].rate == percent(0));
  CHECK(r.vat_by_rate[0].invoiced_ht == 54'028);
  CHECK(r.vat_by_rate[0].net_vat() == 0);
  CHECK(r.vat_by_rate[1].rate == percent(20));
  CHECK(r.vat_by_rate[1].invoiced_ht == 102'400);
  CHECK(r.vat_by_rate[1].invoiced_vat == 20'480);
  CHECK(r.vat_by_rate[1].credited_ht == 5'000);
  CHECK(r.vat_by_rate[1].credited_vat == 1'000);
  CHECK(r.vat_by_rate[1].net_ht() == 97'400);
  CHECK(r.vat_by_rate[1].net_vat() == 19'480);
  // Collected (P1, P5): card 1200.00; transfer 500.00 received and reversed; the April payment is not counted.
  REQUIRE(r.collected.size() == 4);
  CHECK(r.collected[0].first == Method::transfer);
  CHECK(r.collected[0].second.received == 50'000);
  CHECK(r.collected[0].second.reversed == 50'000);
  CHECK(r.collected[1].first == Method::card);
  CHECK(r.collected[1].second.net() == 120'000);
  CHECK(r.collected_total.received == 170'000);
  CHECK(r.collected_total.net() == 120'000);
  CHECK(r.fees.count == 1);
  CHECK(r.fees.ttc == 2'880);
  CHECK(r.credit_notes.count == 1);
  CHECK(r.credit_notes.ttc == 6'000);
  // I2: F-000002 to F-000005 in March; F 1..5 and AV 1..1 of 2026 without gap.
  CHECK(r.first_number == "F2026-000002");
  CHECK(r.last_number == "F2026-000005");
  CHECK(r.invoice_numbers.last == 5);
  CHECK(r.invoice_numbers.count == 5);
  CHECK(r.credit_note_numbers.last == 1);
  CHECK(r.gapless());
  // Aging on 03-31: acme F-000001 60.00 (120.00 - 60.00) late under a month; F-000004 28.80 due
  // 04-09 and the penalty invoice 40.28 due 04-30 not due; bob F-000003 500.00 (payment reversed) due
  // 04-02 not due: not due 28.80 + 40.28 + 500.00 = 569.08, late 60.00.
  CHECK(r.aging.as_of == d("2026-03-31"));
  CHECK(r.aging.total.by_bucket == Buckets{56'908, 6'000, 0, 0, 0});
  // L3: acme became late on 03-31.
  REQUIRE(r.transitions.size() == 1);
  CHECK(r.transitions[0].customer == "acme");
  CHECK(r.transitions[0].from == Stage::active);
  CHECK(r.transitions[0].to == Stage::late);
  CHECK_FALSE(r.locked);
}

TEST_CASE("Close: the receivables roll forward to the closing balance", "[report][close][P3][P5]") {
  Ledger l = march();
  const CloseReport r = close_report(l, d("2026-03-01"), d("2026-04-05"));
  const ReceivablesRollForward& f = r.receivables;
  CHECK(f.opening == 12'000);        // on 02-28: F-000001 120.00
  CHECK(f.invoiced == 176'908);      // the 4 invoices of March, fee and penalty included
  CHECK(f.credit_notes == 6'000);    // AV-000001 60.00, all applied to F-000001 (balance 120.00)
  CHECK(f.received == 170'000);      // card 1200.00 (the fee left unpaid) + transfer 500.00
  CHECK(f.reversals == 50'000);      // the transfer returned on 03-25
  // 120.00 + 1769.08 - 60.00 - 1700.00 + 500.00 = 629.08 = the aging total on 03-31 (569.08 + 60.00).
  CHECK(f.computed() == 62'908);
  CHECK(f.closing == 62'908);
  CHECK(f.balances());
  // No customer credit moved; nothing in suspense; no fee waived.
  CHECK(r.customer_credit.opening == 0);
  CHECK(r.customer_credit.closing == 0);
  CHECK(r.suspense.count == 0);
  CHECK(r.waivers.empty());
  // Cash by month: April 2025 to March 2026; March: 1700.00 received, 500.00 reversed, 1200.00 net.
  REQUIRE(r.cash_by_month.size() == 12);
  CHECK(r.cash_by_month.front().month == d("2025-04-01"));
  CHECK(r.cash_by_month.back().month == d("2026-03-01"));
  CHECK(r.cash_by_month.back().received == 170'000);
  CHECK(r.cash_by_month.back().reversed == 50'000);
  CHECK(r.cash_by_month.back().net() == 120'000);
  CHECK(r.cash_by_month[10].net() == 0);  // February
  // April: the opening is March's closing; the fee paid on 04-02 (28.80) is received.
  const CloseReport april = close_report(l, d("2026-04-01"), d("2026-04-05"));
  CHECK(april.receivables.opening == 62'908);
  CHECK(april.receivables.received == 2'880);
  CHECK(april.receivables.closing == 62'908 - 2'880);
  CHECK(april.receivables.balances());
}

TEST_CASE("Close: a month still running counts up to the business date", "[report][close]") {
  Ledger l = march();
  const CloseReport r = close_report(l, d("2026-03-01"), d("2026-03-11"));
  CHECK_FALSE(r.complete);
  CHECK(r.end == d("2026-03-11"));
  CHECK(r.invoiced_total.count == 3);           // F-000002, F-000003, F-000004 (the fee of 03-10)
  CHECK(r.collected_total.received == 120'000);  // the card payment only
  CHECK(r.last_number == "F2026-000004");
  CHECK(r.invoice_numbers.last == 4);
  CHECK(code_of([&] { close_report(l, d("2026-04-01"), d("2026-03-31")); }) == ExitCode::usage);  // future month
}

TEST_CASE("Close: a missing number breaks the sequence (I2)", "[report][close][I2]") {
  Ledger l = two_customers();
  for (const char* date : {"2026-01-05", "2026-01-06", "2026-01-07"}) issue(l, "acme", InvoiceKind::setup, 100, date);
  testing::database(l).exec(
      "DELETE FROM invoice_line WHERE invoice_id = (SELECT id FROM invoice WHERE number = 'F2026-000002');"
      "DELETE FROM invoice WHERE number = 'F2026-000002'");
  const CloseReport r = close_report(l, d("2026-01-01"), d("2026-02-01"));
  CHECK(r.invoice_numbers.last == 3);
  CHECK(r.invoice_numbers.count == 2);
  CHECK(r.invoice_numbers.missing == std::vector<std::string>{"F2026-000002"});
  CHECK_FALSE(r.gapless());
  CHECK(r.credit_note_numbers.last == 0);  // none issued: trivially gapless
  CHECK(r.credit_note_numbers.gapless());
}

TEST_CASE("Lock: a locked month refuses anything dated in it or before", "[report][lock]") {
  Ledger l = march();
  // Not before the month has ended.
  CHECK(code_of([&] { lock_month(l, d("2026-03-01"), d("2026-03-31")); }) == ExitCode::refused);
  CHECK_FALSE(locked_through(l));
  const auto journal = read_journal(l).size();
  CHECK(lock_month(l, d("2026-03-15"), d("2026-04-01")));
  CHECK(read_journal(l).size() == journal + 1);
  CHECK(locked_through(l) == "2026-03");
  // Again, or an earlier month: already locked, nothing written.
  CHECK_FALSE(lock_month(l, d("2026-03-01"), d("2026-04-05")));
  CHECK_FALSE(lock_month(l, d("2026-02-01"), d("2026-04-05")));
  CHECK(read_journal(l).size() == journal + 1);
  CHECK(close_report(l, d("2026-03-01"), d("2026-04-05")).locked);
  CHECK(close_report(l, d("2026-02-01"), d("2026-04-05")).locked);

  // Every dated write in or before March is refused (exit 4), naming the month; April is open.
  const auto refusal = [&](const std::function<void()>& f) {
    try {
      f();
    } catch (const Error& e) {
      CHECK(e.rule() == "lock");
      CHECK_THAT(e.what(), Catch::Contains("month 2026-03 is locked"));
      return e.code();
    }
    return ExitCode::ok;
  };
  CHECK(refusal([&] { issue(l, "acme", InvoiceKind::setup, 100, "2026-03-31"); }) == ExitCode::refused);
  CHECK(refusal([&] { issue(l, "acme", InvoiceKind::setup, 100, "2026-02-01"); }) == ExitCode::refused);
  CHECK(refusal([&] {
          PaymentRequest r{"F2026-000003", Method::transfer, 100, d("2026-03-31"), d("2026-04-05"), "", "", ""};
          pay(l, r);
        }) == ExitCode::refused);
  CHECK(refusal([&] { void_invoice(l, "F2026-000003", "x", d("2026-03-31")); }) == ExitCode::refused);
  CHECK(refusal([&] { record_reversal(l, 1, "late return", d("2026-03-31"), d("2026-04-05")); }) == ExitCode::refused);
  CHECK(refusal([&] { set_policy(l, "indemnity", "50", d("2026-03-01")); }) == ExitCode::refused);
  CHECK(issue(l, "acme", InvoiceKind::setup, 100, "2026-04-01").number == "F2026-000006");
}

// ---- Import into the ledger ----

namespace {

// acme: F-000001 services 1200.00, F-000002 services 120.00, F-000003 a monthly subscription 600.00 (March).
Ledger to_import() {
  Ledger l = two_customers();
  issue(l, "acme", InvoiceKind::services, 100'000, "2026-03-01");
  issue(l, "acme", InvoiceKind::services, 10'000, "2026-03-01");
  Subscription s;
  s.customer = "acme";
  s.amount_ht = 50'000;
  s.cycle = Cycle::monthly;
  s.start = d("2026-03-01");
  add_subscription(l, s);
  REQUIRE(run_billing(l, d("2026-03-01"), d("2026-03-01")).size() == 1);
  return l;
}

const char* kStatement =
    "date,amount,reference,label\n"
    "2026-03-10,1200.00,BANK-001,VIR ACME F2026-000001\n"
    "2026-03-11,600.00,BANK-002,ACME F2026-000003 march\n"
    "2026-03-12,50.00,BANK-003,UNKNOWN PAYER\n"
    "2026-03-13,10.00,BANK-004,F2026-000099\n"
    "2026-03-14,130.00,BANK-005,F2026-000002 + extra\n"
    "2026-03-15,5.00,BANK-006,F2026-000001 again\n"
    "2026-03-16,20.00,BANK-007,F2026-000001 F2026-000002\n";

}  // namespace

TEST_CASE("Import: lines paid with the rules of pay, the rest in suspense, all in one write", "[import][P2][P3][P6]") {
  Ledger l = to_import();
  const ImportResult r = import_payments(l, kStatement, "bank.csv", d("2026-03-31"));
  REQUIRE(r.rejected.empty());
  REQUIRE(r.lines.size() == 7);
  CHECK(r.count(ImportStatus::recorded) == 3);
  CHECK(r.count(ImportStatus::suspense) == 4);
  // Line 2: 1200.00 on services by transfer, no fee (P2).
  CHECK(r.lines[0].status == ImportStatus::recorded);
  CHECK(r.lines[0].invoice == "F2026-000001");
  CHECK(r.lines[0].fee_invoice.empty());
  // Line 3: a transfer on a monthly subscription: fee 20.00 HT + 4.00 VAT = 24.00, invoice F-000004 (P2),
  // left open: the 600.00 only settle the invoice.
  CHECK(r.lines[1].fee_invoice == "F2026-000004");
  CHECK(find_invoice(l, "F2026-000004", d("2026-03-31")).balance == 2'400);
  CHECK(find_invoice(l, "F2026-000003", d("2026-03-31")).status == "paid");
  // Line 6: 130.00 on 120.00: 10.00 to customer credit (P3).
  CHECK(r.lines[4].status == ImportStatus::recorded);
  CHECK(r.lines[4].to_credit == 1'000);
  CHECK(customer_credit(l, "acme", d("2026-03-31")) == 1'000);
  // Suspense: no number, unknown invoice, already paid (refused, P6), several numbers.
  CHECK_THAT(r.lines[2].reason, Catch::Contains("no invoice number"));
  CHECK_THAT(r.lines[3].reason, Catch::Contains("B2: refers to no invoice: F2026-000099 is not in the ledger"));
  CHECK_THAT(r.lines[5].reason, Catch::Contains("already paid"));
  CHECK_THAT(r.lines[6].reason, Catch::Contains("several invoice numbers (F2026-000001, F2026-000002)"));
  CHECK(count(l, "SELECT COUNT(*) FROM payment") == 3);
  CHECK(count(l, "SELECT COUNT(*) FROM suspense") == 4);
  // The refused line left nothing behind (its savepoint was rolled back).
  CHECK(count(l, "SELECT COUNT(*) FROM payment WHERE ref = 'BANK-006'") == 0);
  CHECK(count(l, "SELECT COUNT(*) FROM journal WHERE kind = 'import.payments'") == 1);
  CHECK(count(l, "SELECT COUNT(*) FROM journal WHERE kind = 'pay'") == 3);
  const auto lines = suspense_lines(l, d("2026-03-31"));
  REQUIRE(lines.size() == 4);
  CHECK(lines[0].reference == "BANK-003");
  CHECK(lines[0].amount == 5'000);
  CHECK(lines[0].label == "UNKNOWN PAYER");
  CHECK(suspense_lines(l, d("2026-03-12")).size() == 1);  // as of a day: the lines dated by then

  SECTION("importing again records nothing and writes nothing (P4)") {
    const auto journal = read_journal(l).size();
    const ImportResult again = import_payments(l, kStatement, "bank.csv", d("2026-03-31"));
    CHECK(again.count(ImportStatus::duplicate) == 7);
    CHECK(again.lines[0].payment_id == r.lines[0].payment_id);
    CHECK(again.lines[2].payment_id == 0);  // a duplicate of a suspense line
    CHECK(read_journal(l).size() == journal);
  }
  SECTION("a known reference with other details is a conflict: nothing of the file is written") {
    const auto journal = read_journal(l).size();
    const std::string text =
        "date,amount,reference,label\n"
        "2026-03-20,1.00,BANK-NEW,F2026-000004\n"
        "2026-03-10,1200.01,BANK-001,VIR ACME F2026-000001\n"
        "2026-03-12,50.00,BANK-003,F2026-000002\n";  // was in suspense, same date and amount: duplicate
    try {
      import_payments(l, text, "bank2.csv", d("2026-03-31"));
      FAIL("no conflict");
    } catch (const Error& e) {
      CHECK(e.code() == ExitCode::conflict);
      CHECK_THAT(e.what(), Catch::Contains("line 3: reference 'BANK-001' is already payment"));
      CHECK_THAT(e.what(), Catch::Contains("amount 1200.00 (file 1200.01)"));
    }
    CHECK(read_journal(l).size() == journal);
    CHECK(count(l, "SELECT COUNT(*) FROM payment WHERE ref = 'BANK-NEW'") == 0);
  }
  SECTION("a payment recorded by hand with the reference is a duplicate, even without the number") {
    PaymentRequest p{"F2026-000004", Method::transfer, 2'400, d("2026-03-20"), d("2026-03-31"), "BANK-008", "", ""};
    pay(l, p);
    const ImportResult dup =
        import_payments(l, "date,amount,reference,label\n2026-03-20,24.00,BANK-008,ACME\n", "b.csv", d("2026-03-31"));
    CHECK(dup.count(ImportStatus::duplicate) == 1);
    CHECK(dup.lines[0].invoice == "F2026-000004");
  }
  SECTION("new lines in a locked month are refused; known ones are still duplicates") {
    REQUIRE(lock_month(l, d("2026-03-01"), d("2026-04-01")));
    CHECK(import_payments(l, kStatement, "bank.csv", d("2026-04-02")).count(ImportStatus::duplicate) == 7);
    try {
      import_payments(l, "date,amount,reference,label\n2026-03-31,1.00,BANK-LATE,x\n2026-04-01,1.00,BANK-APR,x\n",
                      "b.csv", d("2026-04-02"));
      FAIL("no refusal");
    } catch (const Error& e) {
      CHECK(e.code() == ExitCode::refused);
      CHECK(e.rule() == "lock");
      CHECK_THAT(e.what(), Catch::Contains("locked month 2026-03"));
      CHECK_THAT(e.what(), Catch::Contains("line 2: dated 2026-03-31"));
    }
    CHECK(count(l, "SELECT COUNT(*) FROM suspense WHERE reference = 'BANK-APR'") == 0);
  }
}

TEST_CASE("Import: malformed lines or a dry run write nothing", "[import][M1]") {
  Ledger l = to_import();
  const auto journal = read_journal(l).size();
  const ImportResult bad = import_payments(
      l, "date,amount,reference,label\n2026-03-10,1200.00,B1,F2026-000001\n2026-03-10,12.345,B2,x\n", "b.csv",
      d("2026-03-31"));
  REQUIRE(bad.rejected.size() == 1);
  CHECK(bad.rejected[0].line == 3);
  CHECK(bad.lines.empty());
  CHECK(read_journal(l).size() == journal);

  l.set_dry_run(true);
  const ImportResult dry = import_payments(l, kStatement, "bank.csv", d("2026-03-31"));
  CHECK(dry.count(ImportStatus::recorded) == 3);
  CHECK(dry.count(ImportStatus::suspense) == 4);
  CHECK(read_journal(l).size() == journal);
  CHECK(count(l, "SELECT COUNT(*) FROM payment") == 0);
  CHECK(count(l, "SELECT COUNT(*) FROM suspense") == 0);
}
