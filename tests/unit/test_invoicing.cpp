// Issue 18, items 4-7: chronological numbering (I2), partial credit notes and
// their bounds (I3), standby over a voided cycle (S3 with I3), fee invoices on
// terms and stage_kinds (P2, L3). The pure decisions by tables of cases, then
// the ledger verbs that load their snapshot and write.
#include <catch2/catch.hpp>

#include <functional>

#include "tally/errors.hpp"
#include "tally/invoicing.hpp"
#include "tally/late.hpp"
#include "tally/overdue.hpp"
#include "tally/payments.hpp"
#include "tally/standby.hpp"
#include "unit/fixtures.hpp"

using tally::test::d;
using tally::test::outcome;

using namespace tally;

namespace {

NewInvoice services(Date issue, Cents ht, std::optional<Date> business = std::nullopt) {
  NewInvoice n;
  n.customer = "acme";
  n.kind = InvoiceKind::services;
  n.issue_date = issue;
  n.business_date = business;
  n.lines.push_back(InvoiceLine{"work", 100, ht, ht, percent(20), "I1", ""});
  return n;
}

CreditSnapshot snapshot(Cents ht, Cents ttc, Cents balance, Cents credited_ttc, Cents credited_ht) {
  CreditSnapshot s;
  s.number = "F2026-000001";
  s.issue_date = d("2026-03-01");
  s.total_ttc = ttc;
  s.balance = balance;
  s.credited_ttc = credited_ttc;
  s.uncredited_ht[percent(20).bp] = ht - credited_ht;
  return s;
}

InvoiceLine line(Cents ht) { return InvoiceLine{"credit", 100, ht, ht, percent(20), "I3", ""}; }

}  // namespace

TEST_CASE("I2: chronology, table of cases", "[invoicing][I2]") {
  static const struct {
    const char* issue;
    const char* last;  // "" for the first of its series and year
    const char* business;
    const char* outcome;
  } cases[] = {
      {"2026-03-10", "", "2026-03-10", "accepted"},            // first of the year, on the business date
      {"2026-03-10", "2026-03-10", "2026-03-12", "accepted"},  // the same day as the last one
      {"2026-03-11", "2026-03-10", "2026-03-12", "accepted"},
      {"2026-03-09", "2026-03-10", "2026-03-12", "I2"},        // a day before the last one
      {"2026-03-13", "2026-03-10", "2026-03-12", "I2"},        // a day after the business date
      {"2026-03-12", "2026-03-10", "2026-03-12", "accepted"},  // on the business date
      {"2026-03-13", "", "2026-03-12", "I2"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.issue, c.last, c.business);
    const std::optional<Date> last = *c.last ? std::optional<Date>(d(c.last)) : std::nullopt;
    for (bool note : {false, true})
      CHECK(outcome([&] { check_chronology(note, d(c.issue), last, d(c.business)); }) == c.outcome);
  }
  try {
    check_chronology(false, d("2026-03-09"), d("2026-03-10"), d("2026-03-12"));
  } catch (const Error& e) {
    const std::string m = e.what();
    CHECK(m.find("I2: invoice dated 2026-03-09 refused") == 0);
    CHECK(m.find("2026-03-10") != std::string::npos);
    CHECK(m.find("--") == std::string::npos);  // the library names no flag
  }
}

TEST_CASE("I2, P2: a date that follows an event moves up to the series' last date", "[invoicing][I2][P2]") {
  CHECK(chronological_date(d("2026-03-05"), std::nullopt) == d("2026-03-05"));
  CHECK(chronological_date(d("2026-03-05"), d("2026-03-01")) == d("2026-03-05"));
  CHECK(chronological_date(d("2026-03-05"), d("2026-03-05")) == d("2026-03-05"));
  CHECK(chronological_date(d("2026-03-05"), d("2026-03-09")) == d("2026-03-09"));
}

TEST_CASE("I3: what a credit note may credit, table of cases", "[invoicing][I3]") {
  // The invoice: 1000.00 HT + 200.00 VAT = 1200.00 TTC.
  static const struct {
    Cents balance, credited_ttc, credited_ht;  // the invoice before the note
    Cents credit_ht;                           // the note
    const char* outcome;
    Cents applied, to_credit;
  } cases[] = {
      // Unpaid: 250.00 HT + 50.00 = 300.00 lowers the balance.
      {120000, 0, 0, 25000, "accepted", 30000, 0},
      // Paid in full: the 300.00 becomes customer credit (P3).
      {0, 0, 0, 25000, "accepted", 0, 30000},
      // 1100.00 paid (balance 100.00): 100.00 lowers it, 200.00 becomes credit.
      {10000, 0, 0, 25000, "accepted", 10000, 20000},
      // All of it at once.
      {120000, 0, 0, 100000, "accepted", 120000, 0},
      // One cent above: 1000.01 HT.
      {120000, 0, 0, 100001, "I3", 0, 0},
      // Voided while unpaid (credited 1200.00, balance 0): nothing left.
      {0, 120000, 100000, 1, "I3", 0, 0},
      // Paid, then voided (credit note all to customer credit): nothing left either;
      // the TTC credited counts every note, not only the part applied to the balance.
      {0, 120000, 100000, 50960, "I3", 0, 0},
      // 400.00 HT (480.00 TTC) already credited: 600.00 HT (720.00) remain.
      {72000, 48000, 40000, 60000, "accepted", 72000, 0},
      {72000, 48000, 40000, 60001, "I3", 0, 0},
      // Nothing to credit.
      {120000, 0, 0, 0, "exit 2", 0, 0},
  };
  for (const auto& c : cases) {
    CAPTURE(c.balance, c.credited_ttc, c.credited_ht, c.credit_ht);
    const CreditSnapshot s = snapshot(100000, 120000, c.balance, c.credited_ttc, c.credited_ht);
    CreditDecision got;
    CHECK(outcome([&] { got = decide_credit(s, {line(c.credit_ht)}, d("2026-03-05")); }) == c.outcome);
    if (std::string(c.outcome) == "accepted") {
      CHECK(got.applied == c.applied);
      CHECK(got.to_customer_credit == c.to_credit);
      CHECK(got.ttc == c.applied + c.to_credit);
    }
  }
  const CreditSnapshot s = snapshot(100000, 120000, 120000, 0, 0);
  // Before the invoice's issue date (2026-03-01).
  CHECK(outcome([&] { decide_credit(s, {line(100)}, d("2026-02-28")); }) == "I3");
  CreditSnapshot note = s;
  note.credit_note = true;
  CHECK(outcome([&] { decide_credit(note, {line(100)}, d("2026-03-05")); }) == "I3");
  // A line at another VAT rate than the invoice's: nothing of it to credit.
  CHECK(outcome([&] {
          decide_credit(s, {InvoiceLine{"x", 100, 100, 100, percent(10), "I3", ""}}, d("2026-03-05"));
        }) == "I3");
}

TEST_CASE("I3: partial credit line and void lines", "[invoicing][I3]") {
  const CreditSnapshot fresh = snapshot(100000, 120000, 120000, 0, 0);
  const InvoiceLine l = partial_credit_line(fresh, 15000, "outage");
  CHECK(l.amount_ht == 15000);
  CHECK(l.vat_rate == percent(20));
  CHECK(l.rule == "I3");
  CHECK(outcome([&] { partial_credit_line(fresh, 100001, "x"); }) == "I3");
  CHECK(outcome([&] { partial_credit_line(fresh, 0, "x"); }) == "exit 2");
  const CreditSnapshot voided = snapshot(100000, 120000, 0, 120000, 100000);
  CHECK(outcome([&] { partial_credit_line(voided, 1, "x"); }) == "I3");
  CHECK(outcome([&] { void_lines(voided, {line(100000)}); }) == "exit 5");
  // 250.00 HT credited: void credits the remaining 750.00 HT (900.00 TTC).
  const auto rest = void_lines(snapshot(100000, 120000, 90000, 30000, 25000), {line(100000)});
  REQUIRE(rest.size() == 1);
  CHECK(rest[0].amount_ht == 75000);
  CHECK(invoice_totals(rest).ttc == 90000);
}

TEST_CASE("K3: the note completing an invoice's crediting carries the VAT left, table of cases",
          "[invoicing][I3][K3]") {
  // An invoice at 20 % VAT, a first partial note (its VAT by M3), then the
  // note crediting all the HT left.
  static const struct {
    Cents ht;        // the invoice: VAT = ht x 20 % rounded (M3)
    Cents first_ht;  // the partial note before
    Cents vat_adjust, ttc;  // of the completing note
  } cases[] = {
      // 1000.04 HT: 200.008 -> 200.01 VAT, 1200.05 TTC. 500.02 credited: 100.004 ->
      // 100.00, 600.02 TTC. Left: 500.02 HT and 600.03 TTC; M3 gives 100.00 of VAT,
      // a cent short: the note carries 100.01 (was: 0.01 never credited).
      {100004, 50002, 1, 60003},
      // 1000.06 HT: 200.012 -> 200.01, 1200.07 TTC. 500.03 credited: 100.006 ->
      // 100.01, 600.04. Left: 500.03 HT and 600.03 TTC; M3 would give 100.01, a
      // cent too much: the note carries 100.00.
      {100006, 50003, -1, 60003},
      // 1000.00 HT, 1200.00 TTC; 250.00 credited (300.00): 750.00 HT and 900.00 TTC
      // left, M3 exact.
      {100000, 25000, 0, 90000},
  };
  for (const auto& c : cases) {
    CAPTURE(c.ht, c.first_ht);
    const Cents vat = apply_rate(c.ht, percent(20)), first_ttc = c.first_ht + apply_rate(c.first_ht, percent(20));
    const CreditSnapshot s = snapshot(c.ht, c.ht + vat, c.ht + vat - first_ttc, first_ttc, c.first_ht);
    const auto lines = void_lines(s, {line(c.ht)});
    REQUIRE(lines.size() == 1);
    CHECK(lines[0].amount_ht == c.ht - c.first_ht);
    const CreditDecision got = decide_credit(s, lines, d("2026-03-05"));
    CHECK(got.vat_adjust == c.vat_adjust);
    CHECK(got.ttc == c.ttc);
    CHECK(got.applied == c.ttc);  // unpaid: all of it lowers the balance, to 0.00
    // The stored note: M3's VAT plus the adjustment, on its only rate.
    const Totals t = stored_totals(lines, invoice_totals(lines).vat + got.vat_adjust);
    CHECK(t.ttc == c.ttc);
    CHECK(t.by_rate.back().vat == c.ttc - (c.ht - c.first_ht));
    // A cent less than all the HT left does not complete it: M3, no adjustment.
    const CreditDecision part = decide_credit(s, {line(c.ht - c.first_ht - 1)}, d("2026-03-05"));
    CHECK(part.vat_adjust == 0);
  }
  // Every other document: stored_totals is invoice_totals.
  const std::vector<InvoiceLine> two{line(1000), InvoiceLine{"x", 100, 333, 333, percent(10), "I1", ""}};
  const Totals m3 = invoice_totals(two), same = stored_totals(two, m3.vat);
  CHECK(same.vat == m3.vat);
  CHECK(same.by_rate[0].vat == 33);   // 3.33 x 10 % = 0.333 -> 0.33
  CHECK(same.by_rate[1].vat == 200);  // 10.00 x 20 %
  // A cent more than M3 goes on the last (highest) rate.
  const Totals more = stored_totals(two, m3.vat + 1);
  CHECK(more.by_rate[0].vat == 33);
  CHECK(more.by_rate[1].vat == 201);
  CHECK(more.ttc == 1000 + 333 + 234);
}

TEST_CASE("P3, P5 (K2): a backdated payment settles only what stays owed, table of cases", "[invoicing][P3][K2]") {
  // An invoice of 1200.00 owed today; the moves dated after the payment's day
  // (an allocation -, its reversal +, a credit note's applied part -).
  using Moves = std::vector<BalanceMove>;
  using Plan = std::vector<std::pair<std::string, Cents>>;
  struct Case {
    const char* what;
    Cents balance;
    Moves later;
    const char* from;
    Cents amount;
    Plan expect;
  };
  const std::vector<Case> cases = {
      {"nothing after it: all at once", 120000, {}, "2026-04-09", 120000, {{"2026-04-09", 120000}}},
      {"partial amount", 120000, {}, "2026-04-09", 50000, {{"2026-04-09", 50000}}},
      // paid 04-06 (before), returned 04-14: from 04-09 the balance is 0 until 04-14
      {"settled until a later reversal", 120000, {{d("2026-04-14"), 120000}}, "2026-04-09", 120000,
       {{"2026-04-14", 120000}}},
      // paid 04-10 (after it) then returned 04-14: 1200 owed on 04-09, 0 on 04-10..13
      {"a payment after it, returned later", 120000, {{d("2026-04-10"), -120000}, {d("2026-04-14"), 120000}},
       "2026-04-09", 120000, {{"2026-04-14", 120000}}},
      // 600 paid 04-10, returned 04-14: the lowest ahead is 600 from 04-09, 1200 from 04-14
      {"half settled ahead", 120000, {{d("2026-04-10"), -60000}, {d("2026-04-14"), 60000}}, "2026-04-09", 120000,
       {{"2026-04-09", 60000}, {"2026-04-14", 60000}}},
      {"half settled ahead, 700 paid", 120000, {{d("2026-04-10"), -60000}, {d("2026-04-14"), 60000}}, "2026-04-09",
       70000, {{"2026-04-09", 60000}, {"2026-04-14", 10000}}},
      // a credit note of 200 applied 04-12, today's balance 1000: 1200 - 200 from 04-12
      {"a later credit note lowers it", 100000, {{d("2026-04-12"), -20000}}, "2026-04-09", 100000,
       {{"2026-04-09", 100000}}},
      {"two moves on one day net out", 120000, {{d("2026-04-12"), -120000}, {d("2026-04-12"), 120000}}, "2026-04-09",
       120000, {{"2026-04-09", 120000}}},
  };
  for (const auto& c : cases) {
    INFO(c.what);
    Plan got;
    for (const auto& s : settlement_schedule(c.balance, c.later, d(c.from), c.amount))
      got.emplace_back(format_date(s.date), s.amount);
    CHECK(got == c.expect);
  }
  // What a credit note dated 04-09 may lower: the lowest balance from then on.
  CHECK(lowest_balance_ahead(120000, {{d("2026-04-14"), 120000}}, d("2026-04-09")) == 0);
  CHECK(lowest_balance_ahead(120000, {{d("2026-04-10"), -60000}, {d("2026-04-14"), 60000}}, d("2026-04-09")) ==
        60000);
  CHECK(lowest_balance_ahead(120000, {}, d("2026-04-09")) == 120000);
}

TEST_CASE("S3, I3: settling an invoiced cycle, table of cases", "[invoicing][S3][I3]") {
  // A cycle billed 1000.00 HT (1200.00 TTC); a standby makes it 645.16 (354.84 less).
  static const struct {
    Cents before, after, uncredited_ht, uncredited_ttc;
    bool by_hand;
    Cents credit, invoice;
  } cases[] = {
      {100000, 64516, 100000, 120000, false, 35484, 0},  // nothing credited yet: all of it
      {64516, 100000, 64516, 77419, false, 0, 35484},    // an early end bills it back
      // Voided by a person (paid or not: nothing left, a void cites it): nothing
      // credited, and an early end bills nothing for it.
      {100000, 64516, 0, 0, true, 0, 0},
      {64516, 100000, 0, 0, true, 0, 0},
      // 800.00 HT credited by hand: at most the 200.00 HT (240.00 TTC) left.
      {100000, 64516, 20000, 24000, true, 20000, 0},
      // VAT rounding (K3): 0.03 HT + 0.01 VAT would be 0.04, one cent above the
      // 0.03 TTC left; all the HT left is credited, decide_credit then carries
      // only the VAT left (0.00).
      {100000, 99997, 3, 3, true, 3, 0},
      // Less than all the HT left: lowered until its TTC fits (0.03 + 0.01 > 0.03).
      {100000, 99997, 4, 3, true, 2, 0},
      {100000, 100000, 100000, 120000, false, 0, 0},  // no change
  };
  for (const auto& c : cases) {
    CAPTURE(c.before, c.after, c.uncredited_ht, c.uncredited_ttc, c.by_hand);
    const CycleSettlement s = settle_invoiced_cycle(
        InvoicedCycleState{c.before, c.after, percent(20), c.uncredited_ht, c.uncredited_ttc, c.by_hand});
    CHECK(s.credit_ht == c.credit);
    CHECK(s.invoice_ht == c.invoice);
    CHECK(s.rule == "S3");
  }
}

TEST_CASE("L3: stage_kinds decide which late invoices move the stage, table of cases", "[invoicing][L3]") {
  const Date day = d("2026-06-15");
  static const struct {
    InvoiceKind kind;
    const char* due;
    bool late;
    Stage stage;
  } cases[] = {
      {InvoiceKind::subscription, "2026-06-14", true, Stage::late},
      {InvoiceKind::setup, "2026-05-15", true, Stage::admin_disabled},        // 1 month
      {InvoiceKind::services, "2026-04-15", true, Stage::platform_disabled},  // 2 months
      {InvoiceKind::fee, "2026-04-15", true, Stage::active},                  // a fee never moves it
      {InvoiceKind::penalty, "2025-12-15", true, Stage::active},
      {InvoiceKind::subscription, "2026-04-15", false, Stage::active},        // not late on the day
  };
  const Policy policy;
  for (const auto& c : cases) {
    CAPTURE(to_string(c.kind), c.due, c.late);
    CHECK(customer_stage({{c.kind, d(c.due), c.late}}, day, false, policy).stage == c.stage);
  }
  // The oldest invoice of a counted kind decides: a fee 6 months late beside a
  // subscription 1 day late leaves the customer `late`.
  CHECK(customer_stage({{InvoiceKind::fee, d("2025-12-15"), true}, {InvoiceKind::subscription, d("2026-06-14"), true}},
                       day, false, policy)
            .stage == Stage::late);
  // With fee in stage_kinds, the fee 2 months late decides.
  Policy with_fees;
  policy_param("stage_kinds").set(with_fees, "subscription,setup,services,fee");
  CHECK(customer_stage({{InvoiceKind::fee, d("2026-04-15"), true}}, day, false, with_fees).stage ==
        Stage::platform_disabled);
}

TEST_CASE("L3: the stage_kinds parameter", "[invoicing][L3][policy]") {
  const PolicyParam& p = policy_param("stage_kinds");
  CHECK(p.rule == "L3");
  Policy policy;
  CHECK(p.get(policy) == "subscription,setup,services");
  p.set(policy, "subscription");
  CHECK(policy.stage_kinds == std::vector<InvoiceKind>{InvoiceKind::subscription});
  for (const char* bad : {"", "subscription,", "subscription,subscription", "penalty", "licence"}) {
    CAPTURE(bad);
    CHECK(outcome([&] { p.set(policy, bad); }) == "exit 2");
  }
  // Stored and versioned like the others.
  Ledger l = test::ledger_with_acme();
  set_policy(l, "stage_kinds", "subscription,fee", d("2026-07-01"));
  CHECK(policy_at(l, d("2026-06-30")).stage_kinds.size() == 3);
  CHECK(policy_at(l, d("2026-07-01")).stage_kinds ==
        std::vector<InvoiceKind>{InvoiceKind::subscription, InvoiceKind::fee});
}

// ---- The ledger verbs ----

TEST_CASE("I2: the ledger refuses a document out of date order", "[invoicing][ledger][I2]") {
  Ledger l = test::ledger_with_acme();
  CHECK(issue_invoice(l, services(d("2026-03-10"), 1000)).number == "F2026-000001");
  CHECK(outcome([&] { issue_invoice(l, services(d("2026-03-09"), 1000)); }) == "I2");
  CHECK(outcome([&] { issue_invoice(l, services(d("2026-03-12"), 1000, d("2026-03-11"))); }) == "I2");
  // Refused writes consume no number: the next one is 2.
  CHECK(issue_invoice(l, services(d("2026-03-10"), 1000)).number == "F2026-000002");
  // Another year is another series.
  CHECK(issue_invoice(l, services(d("2027-01-02"), 1000)).number == "F2027-000001");
  CHECK(issue_invoice(l, services(d("2026-12-31"), 1000)).number == "F2026-000003");
  // Credit notes: their own series.
  CHECK(void_invoice(l, "F2026-000001", "x", d("2026-03-20")).number == "AV2026-000001");
  CHECK(outcome([&] { void_invoice(l, "F2026-000002", "x", d("2026-03-19")); }) == "I2");
  CHECK(outcome([&] { void_invoice(l, "F2026-000002", "x", d("2026-03-21"), d("2026-03-20")); }) == "I2");
}

TEST_CASE("I2, I4: a late billing run issues on the business date, due on its terms", "[invoicing][ledger][I2][I4]") {
  Ledger l = test::ledger_with_acme();
  Subscription s;
  s.customer = "acme";
  s.amount_ht = 100000;
  s.cycle = Cycle::monthly;
  s.start = d("2026-01-01");
  add_subscription(l, s);
  // March billed on 2026-03-20: issued 2026-03-20, due 2026-03-20 + 30 days = 2026-04-19.
  const auto issued = run_billing(l, d("2026-03-01"), d("2026-03-20"));
  REQUIRE(issued.size() == 1);
  CHECK(issued[0].issue_date == d("2026-03-20"));
  CHECK(issued[0].due_date == d("2026-04-19"));
  CHECK(issued[0].period == Period{d("2026-03-01"), d("2026-03-31")});
  CHECK(find_invoice(l, issued[0].number, d("2026-03-20")).issue_date == d("2026-03-20"));
  // Not late on 2026-04-19; no invoice already late when issued.
  CHECK(late_invoices(l, d("2026-04-19")).empty());
  // A run for February afterwards, on an earlier business date: refused (I2), nothing issued.
  CHECK(outcome([&] { run_billing(l, d("2026-02-01"), d("2026-03-19")); }) == "I2");
  CHECK(list_invoices(l, {}, d("2026-12-31")).size() == 1);
}

TEST_CASE("I3: a partial credit note, bounded by what remains uncredited", "[invoicing][ledger][I3]") {
  Ledger l = test::ledger_with_acme();
  const Invoice inv = issue_invoice(l, services(d("2026-03-01"), 100000));  // 1000.00 + 200.00 = 1200.00
  // 150.00 HT + 30.00 VAT = 180.00 TTC: balance 1200.00 - 180.00 = 1020.00.
  const Invoice note = credit_invoice(l, inv.number, 15000, "two days of outage", d("2026-03-05"));
  CHECK(note.credit_note);
  CHECK(note.number == "AV2026-000001");
  CHECK(note.cites == inv.number);
  CHECK(note.total_ht == 15000);
  CHECK(note.total_ttc == 18000);
  CHECK(note.reason == "two days of outage");
  CHECK(find_invoice(l, inv.number, d("2026-03-05")).balance == 102000);
  CHECK(find_invoice(l, inv.number, d("2026-03-05")).status == "partially-paid");
  // 850.00 HT remain: 850.01 refused, 850.00 accepted.
  CHECK(outcome([&] { credit_invoice(l, inv.number, 85001, "x", d("2026-03-05")); }) == "I3");
  CHECK(outcome([&] { credit_invoice(l, "AV2026-000001", 100, "x", d("2026-03-05")); }) == "I3");
  CHECK(outcome([&] { credit_invoice(l, "F2026-000099", 100, "x", d("2026-03-05")); }) == "exit 3");
  CHECK(credit_invoice(l, inv.number, 85000, "rest", d("2026-03-06")).total_ttc == 102000);
  CHECK(find_invoice(l, inv.number, d("2026-03-06")).status == "void");
  CHECK(outcome([&] { void_invoice(l, inv.number, "x", d("2026-03-06")); }) == "exit 5");
}

TEST_CASE("I3, P3: crediting a paid invoice, then voiding it, never credits more than it", "[invoicing][ledger][I3]") {
  Ledger l = test::ledger_with_acme();
  const Invoice inv = issue_invoice(l, services(d("2026-03-01"), 100000));  // 1200.00 TTC
  PaymentRequest r;
  r.invoice = inv.number;
  r.method = Method::sepa;  // no fee
  r.date = d("2026-03-02");
  r.today = d("2026-03-02");
  pay(l, r);
  // Paid: a 100.00 HT credit (120.00 TTC) becomes customer credit.
  credit_invoice(l, inv.number, 10000, "goodwill", d("2026-03-03"));
  CHECK(customer_credit(l, "acme", d("2026-03-03")) == 12000);
  // Void credits the 900.00 HT left (1080.00 TTC), all of it credit: 1200.00 in all.
  CHECK(void_invoice(l, inv.number, "cancelled", d("2026-03-04")).total_ttc == 108000);
  CHECK(customer_credit(l, "acme", d("2026-03-04")) == 120000);
  // Nothing more: neither a partial credit nor a second void.
  CHECK(outcome([&] { credit_invoice(l, inv.number, 1, "x", d("2026-03-05")); }) == "I3");
  CHECK(outcome([&] { void_invoice(l, inv.number, "x", d("2026-03-05")); }) == "exit 5");
}

namespace {

Ledger monthly_acme() {
  Ledger l = test::ledger_with_acme();
  Subscription s;
  s.customer = "acme";
  s.amount_ht = 100000;  // 1000.00 HT a month
  s.cycle = Cycle::monthly;
  s.start = d("2026-01-01");
  add_subscription(l, s);
  return l;
}

StandbyRequest standby_request(const char* from, const char* until, const char* today) {
  StandbyRequest r;
  r.customer = "acme";
  r.reason = "inactivity";
  r.first_day = d(from);
  r.last_day = d(until);
  r.requested = d(today);
  r.today = d(today);
  return r;
}

// What the customer was credited in all (credit notes, TTC) by day d.
Cents credited(Ledger& l, Date day) {
  Cents sum = 0;
  for (const Invoice& i : list_invoices(l, {}, day))
    if (i.credit_note) sum += i.total_ttc;
  return sum;
}

}  // namespace

TEST_CASE("S3, I3: a standby over a voided cycle credits nothing, its early end bills nothing",
          "[invoicing][ledger][S3][I3]") {
  for (bool paid : {false, true}) {
    CAPTURE(paid);
    Ledger l = monthly_acme();
    const auto march = run_billing(l, d("2026-03-01"), d("2026-03-01"));  // 1200.00 TTC
    REQUIRE(march.size() == 1);
    if (paid) {
      PaymentRequest r;
      r.invoice = march[0].number;
      r.method = Method::sepa;
      r.date = d("2026-03-02");
      r.today = d("2026-03-02");
      pay(l, r);
    }
    void_invoice(l, march[0].number, "wrong customer", d("2026-03-03"));
    CHECK(credited(l, d("2026-03-03")) == 120000);
    // 2026-03-10..2026-03-31 would reduce March by 354.84 HT: the cycle is void, nothing to credit.
    auto r = start_standby(l, standby_request("2026-03-10", "2026-03-31", "2026-03-04"));
    CHECK(r.documents.empty());
    CHECK(credited(l, d("2026-03-04")) == 120000);  // never above the invoice's 1200.00
    // Ended early on 2026-03-15: nothing is billed for the voided cycle.
    r = end_standby(l, "acme", d("2026-03-15"), d("2026-03-16"));
    CHECK(r.documents.empty());
    CHECK(list_invoices(l, {}, d("2026-03-16")).size() == 2);  // the invoice and its void
    CHECK(customer_balance(l, "acme", d("2026-03-16")) == 0);
    CHECK(customer_credit(l, "acme", d("2026-03-16")) == (paid ? 120000 : 0));
  }
}

TEST_CASE("S3, I3: a standby after a partial credit credits at most what remains", "[invoicing][ledger][S3][I3]") {
  Ledger l = monthly_acme();
  const auto march = run_billing(l, d("2026-03-01"), d("2026-03-01"));
  // 800.00 HT credited by hand: 200.00 HT (240.00 TTC) remain.
  credit_invoice(l, march[0].number, 80000, "commercial gesture", d("2026-03-02"));
  // The standby would credit 1000.00 x 22/31 x 50 % = 354.84 HT: only 200.00 HT are credited.
  const auto r = start_standby(l, standby_request("2026-03-10", "2026-03-31", "2026-03-03"));
  REQUIRE(r.documents.size() == 1);
  CHECK(r.documents[0].total_ht == 20000);
  CHECK(r.documents[0].total_ttc == 24000);
  CHECK(credited(l, d("2026-03-03")) == 120000);
  CHECK(find_invoice(l, march[0].number, d("2026-03-03")).status == "void");
}

TEST_CASE("P2, I4, L3: a fee invoice is due on the terms and never moves the stage", "[invoicing][ledger][P2][L3]") {
  Ledger l = monthly_acme();
  const auto march = run_billing(l, d("2026-03-01"), d("2026-03-01"));  // due 2026-03-31
  // Paid in full by transfer on its due date, without the 20.00 fee (24.00 TTC).
  PaymentRequest r;
  r.invoice = march[0].number;
  r.method = Method::transfer;
  r.amount = 120000;
  r.date = d("2026-03-31");
  r.today = d("2026-03-31");
  const PaymentResult paid = pay(l, r);
  REQUIRE(paid.fees.size() == 1);
  const Invoice& fee = paid.fees[0];
  CHECK(fee.total_ttc == 2400);
  CHECK(fee.issue_date == d("2026-03-31"));
  CHECK(fee.due_date == d("2026-04-30"));  // 2026-03-31 + 30 days (I4), not 2026-03-31
  // The next day: active, nothing late.
  CHECK(overdue(l, d("2026-04-01")).customers.front().stage.stage == Stage::active);
  CHECK(late_invoices(l, d("2026-04-01")).empty());
  // Four months after its due date (2026-08-30): the fee is late, accrues, but
  // the stage stays active and the platform on.
  const OverdueReport rep = overdue(l, d("2026-08-30"));
  REQUIRE(rep.invoices.size() == 1);
  CHECK(rep.invoices[0].number == fee.number);
  CHECK(rep.invoices[0].months_late == 4);
  // 24.00 x 10 % x 122 days / 365 = 0.8021 -> 0.80
  CHECK(rep.invoices[0].interest_accrued == 80);
  CHECK(rep.invoices[0].indemnity == 4000);
  CHECK(rep.customers.front().stage.stage == Stage::active);
  // Applied: a penalty invoice, no transition.
  const ApplyResult applied = apply_overdue(l, d("2026-08-30"));
  CHECK(applied.issued.size() == 1);
  CHECK(applied.transitions.empty());
  const CustomerStatus st = customer_status(l, "acme", d("2026-08-30"));
  CHECK(st.stage.stage == Stage::active);
  CHECK(st.capabilities.platform == Access::on);
  CHECK(st.capabilities.admin == Access::on);
}

TEST_CASE("P2, I2: a fee of a payment dated before the last invoice is issued on that invoice's date",
          "[invoicing][ledger][P2][I2]") {
  Ledger l = test::ledger_with_acme();
  const Invoice a = issue_invoice(l, services(d("2026-03-01"), 100000));
  issue_invoice(l, services(d("2026-03-10"), 100000));
  // A cheque (other: 20.00 fee) received on 2026-03-05, recorded on 2026-03-12.
  PaymentRequest r;
  r.invoice = a.number;
  r.method = Method::other;
  r.detail = "cheque 123";
  r.date = d("2026-03-05");
  r.today = d("2026-03-12");
  const PaymentResult paid = pay(l, r);
  REQUIRE(paid.fees.size() == 1);
  CHECK(paid.fees[0].number == "F2026-000003");
  CHECK(paid.fees[0].issue_date == d("2026-03-10"));  // not 2026-03-05: F2026-000002 is of 2026-03-10
  CHECK(paid.fees[0].due_date == d("2026-04-09"));    // 2026-03-10 + 30 days
  CHECK(paid.payment.date == d("2026-03-05"));
}
