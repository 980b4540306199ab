// Late payment (issue 4): L1-L7 as pure rules, then in the ledger on :memory:.
// Every expected value is worked by hand from RULES.md in the comment beside it.
#include <catch2/catch.hpp>

#include "ledger/testing.hpp"
#include "tally/errors.hpp"
#include "tally/letters.hpp"
#include "tally/overdue.hpp"
#include "unit/fixtures.hpp"

using tally::test::d;

using namespace tally;

// ---- Pure rules ----

TEST_CASE("L4: the worked example, 15000.00 unpaid 30 days at 15 %", "[late][L4]") {
  Policy p;
  p.interest_rate = percent(15);
  // due 15 April, paid 15 May = 30 days; 15000.00 x 15 % x 30 / 365 = 184.9315... -> 184.93
  const auto l = evaluate_lateness({{d("2026-04-01"), 1'500'000}, {d("2026-05-15"), -1'500'000}}, d("2026-04-15"),
                                   d("2026-05-20"), p);
  CHECK(l.interest.amount == 18'493);
  CHECK(l.interest.rule == "L4");
  CHECK(l.days_late == 30);
  CHECK_FALSE(l.late);
  CHECK(l.was_late);
  CHECK(l.balance == 0);
}

TEST_CASE("L4: interest is piecewise over partial payments, rounded once", "[late][L4]") {
  const Policy p;  // 10 % a year, annual
  // 1200.00 due 2026-03-03; 500.00 paid 2026-03-13; 700.00 paid 2026-04-02.
  // 1200.00 x 10 % x 10/365 = 3.28767 and 700.00 x 10 % x 20/365 = 3.83562:
  // total 7.12329 -> 7.12 (rounding each piece would give 3.29 + 3.84 = 7.13).
  const std::vector<BalanceChange> tl = {
      {d("2026-02-01"), 120'000}, {d("2026-03-13"), -50'000}, {d("2026-04-02"), -70'000}};
  const auto paid = evaluate_lateness(tl, d("2026-03-03"), d("2026-04-30"), p);
  CHECK(paid.interest.amount == 712);
  CHECK(paid.days_late == 30);  // 2026-03-03 -> 2026-04-02
  CHECK(paid.months_late == 0);  // one month would be 2026-04-03
  CHECK(paid.indemnity.amount == 4000);
  // On 2026-03-23, 700.00 still owed: 3.28767 + 700.00 x 10 % x 10/365 = 1.91781 -> 5.20548 -> 5.21
  const auto during = evaluate_lateness(tl, d("2026-03-03"), d("2026-03-23"), p);
  CHECK(during.late);
  CHECK(during.balance == 70'000);
  CHECK(during.days_late == 20);
  CHECK(during.interest.amount == 521);
}

TEST_CASE("L1, L4, L5: lateness on both sides of the due date", "[late][L1][L5]") {
  const Policy p;
  const Date due = d("2026-03-03");
  // Paid on the due date: never late, nothing owed.
  const auto on_time = evaluate_lateness({{d("2026-02-01"), 120'000}, {due, -120'000}}, due, d("2026-04-01"), p);
  CHECK_FALSE(on_time.was_late);
  CHECK(on_time.interest.amount == 0);
  CHECK(on_time.indemnity.amount == 0);
  // Unpaid, on the due date itself: not late yet.
  CHECK_FALSE(evaluate_lateness({{d("2026-02-01"), 120'000}}, due, due, p).late);
  // Unpaid, the day after: late 1 day; 1200.00 x 10 % x 1/365 = 0.32877 -> 0.33; indemnity 40.00.
  const auto next_day = evaluate_lateness({{d("2026-02-01"), 120'000}}, due, d("2026-03-04"), p);
  CHECK(next_day.late);
  CHECK(next_day.days_late == 1);
  CHECK(next_day.interest.amount == 33);
  CHECK(next_day.indemnity.amount == 4000);
  // Paid the day after: the money arrived 1 day late: 0.33 and the indemnity, no longer late.
  const auto paid_next =
      evaluate_lateness({{d("2026-02-01"), 120'000}, {d("2026-03-04"), -120'000}}, due, d("2026-03-10"), p);
  CHECK_FALSE(paid_next.late);
  CHECK(paid_next.days_late == 1);
  CHECK(paid_next.interest.amount == 33);
  CHECK(paid_next.indemnity.amount == 4000);
}

TEST_CASE("L4: actual/365 also in a leap year", "[late][L4]") {
  const Policy p;
  // 3650.00 due 2024-02-01, 2024-03-02 is 30 days later (29 days in February 2024):
  // 3650.00 x 10 % x 30 / 365 = 30.00 exactly.
  const auto l = evaluate_lateness({{d("2024-01-02"), 365'000}}, d("2024-02-01"), d("2024-03-02"), p);
  CHECK(l.days_late == 30);
  CHECK(l.months_late == 1);
  CHECK(l.interest.amount == 3'000);
}

TEST_CASE("L4, P5: a reversal after the due date makes the invoice late again", "[late][L4][P5]") {
  const Policy p;
  // 1200.00 due 2026-03-03, paid 2026-03-01, payment reversed 2026-03-20.
  const std::vector<BalanceChange> tl = {
      {d("2026-02-01"), 120'000}, {d("2026-03-01"), -120'000}, {d("2026-03-20"), 120'000}};
  CHECK_FALSE(evaluate_lateness(tl, d("2026-03-03"), d("2026-03-19"), p).was_late);
  const auto l = evaluate_lateness(tl, d("2026-03-03"), d("2026-03-25"), p);
  CHECK(l.late);
  CHECK(l.days_late == 22);  // counted from the due date (L2): 2026-03-03 -> 2026-03-25
  // Interest from the reversal only: 5 days (20..24 March): 1200.00 x 10 % x 5/365 = 1.64384 -> 1.64
  CHECK(l.interest.amount == 164);
  CHECK(l.indemnity.amount == 4000);
}

TEST_CASE("L4: the flat reading, once on the amount that went late", "[late][L4]") {
  Policy p;
  p.interest_mode = InterestMode::flat;
  // 500.00 paid before the due date, 700.00 went late: 10 % x 700.00 = 70.00, whatever the days.
  const std::vector<BalanceChange> tl = {{d("2026-02-01"), 120'000}, {d("2026-03-01"), -50'000}};
  CHECK(evaluate_lateness(tl, d("2026-03-03"), d("2026-03-04"), p).interest.amount == 7'000);
  CHECK(evaluate_lateness(tl, d("2026-03-03"), d("2026-09-04"), p).interest.amount == 7'000);
  CHECK(evaluate_lateness(tl, d("2026-03-03"), d("2026-03-03"), p).interest.amount == 0);
}

TEST_CASE("L2, L3: each stage threshold on both sides of its day", "[late][L2][L3]") {
  const Policy p;  // 1, 2, 6 months
  static const struct {
    const char* due;
    const char* day;
    Stage stage;
    const char* next_date;  // "" for none
  } cases[] = {
      {"2026-01-31", "2026-02-01", Stage::late, "2026-02-28"},
      {"2026-01-31", "2026-02-27", Stage::late, "2026-02-28"},
      {"2026-01-31", "2026-02-28", Stage::admin_disabled, "2026-03-31"},  // 31 Jan + 1 month, clamped
      {"2024-01-31", "2024-02-28", Stage::late, "2024-02-29"},            // leap year
      {"2024-01-31", "2024-02-29", Stage::admin_disabled, "2024-03-31"},
      {"2026-01-31", "2026-03-30", Stage::admin_disabled, "2026-03-31"},
      {"2026-01-31", "2026-03-31", Stage::platform_disabled, "2026-07-31"},
      {"2026-01-31", "2026-07-30", Stage::platform_disabled, "2026-07-31"},
      {"2026-01-31", "2026-07-31", Stage::data_deleted, ""},
      {"2026-08-31", "2027-02-27", Stage::platform_disabled, "2027-02-28"},  // 31 Aug + 6 months = 28 Feb
      {"2026-08-31", "2027-02-28", Stage::data_deleted, ""},
  };
  for (const auto& c : cases) {
    INFO("due " << c.due << " on " << c.day);
    const StageAt s = stage_on(d(c.due), d(c.day), false, p);
    CHECK(s.stage == c.stage);
    CHECK((s.next_date ? format_date(*s.next_date) : std::string()) == c.next_date);
  }
}

TEST_CASE("L3: no late invoice is active; an applied deletion is final; L7 upcoming dates", "[late][L3][L7]") {
  const Policy p;
  CHECK(stage_on(std::nullopt, d("2026-05-01"), false, p).stage == Stage::active);
  CHECK_FALSE(stage_on(std::nullopt, d("2026-05-01"), false, p).next);
  CHECK(stage_on(std::nullopt, d("2026-05-01"), true, p).stage == Stage::data_deleted);
  const StageAt s = stage_on(d("2026-01-31"), d("2026-02-01"), false, p);
  REQUIRE(s.upcoming.size() == 3);
  CHECK(s.upcoming[0] == std::pair{Stage::admin_disabled, d("2026-02-28")});
  CHECK(s.upcoming[1] == std::pair{Stage::platform_disabled, d("2026-03-31")});
  CHECK(s.upcoming[2] == std::pair{Stage::data_deleted, d("2026-07-31")});
  CHECK(s.next == Stage::admin_disabled);
}

TEST_CASE("L3, S4: capabilities by stage, standby and end of contract", "[late][L3][S4]") {
  using A = Access;
  static const struct {
    Stage stage;
    bool standby, ended;
    A admin, platform, operations, support;
  } cases[] = {
      {Stage::active, false, false, A::on, A::on, A::on, A::on},
      {Stage::late, false, false, A::on, A::on, A::on, A::on},
      {Stage::admin_disabled, false, false, A::off, A::on, A::on, A::on},
      {Stage::platform_disabled, false, false, A::off, A::off, A::off, A::limited},
      {Stage::data_deleted, false, false, A::off, A::off, A::off, A::limited},
      {Stage::active, true, false, A::on, A::on, A::off, A::limited},
      {Stage::admin_disabled, true, false, A::off, A::on, A::off, A::limited},
      {Stage::active, false, true, A::off, A::off, A::off, A::off},
  };
  for (const auto& c : cases) {
    INFO(to_string(c.stage) << " standby " << c.standby << " ended " << c.ended);
    const Capabilities cap = capabilities(c.stage, c.standby, c.ended);
    CHECK(cap.admin == c.admin);
    CHECK(cap.platform == c.platform);
    CHECK(cap.operations == c.operations);
    CHECK(cap.support == c.support);
  }
}

TEST_CASE("L7: the notice names the stage, the next dates and the contact", "[late][L7][letters]") {
  const Policy p;
  Notice n{"acme", "ACME SAS", d("2026-03-01"), stage_on(d("2026-01-31"), d("2026-03-01"), false, p), {}};
  n.invoices.push_back({"F2026-000001", d("2026-01-31"), 29, 120'000, 953, 4'000});
  for (bool md : {false, true}) {
    INFO("markdown " << md);
    const std::string text = late_notice(n, seed_seller(), Lang::fr, md);
    CHECK_THAT(text, Catch::Contains("F2026-000001"));
    CHECK_THAT(text, Catch::Contains("1 200,00 €"));
    CHECK_THAT(text, Catch::Contains("accès à l'espace administrateur désactivé"));  // admin-disabled
    CHECK_THAT(text, !Catch::Contains("admin-disabled"));  // no English stage code in French
    CHECK_THAT(text, Catch::Contains("31 mars 2026"));    // platform-disabled
    CHECK_THAT(text, Catch::Contains("31 juillet 2026")); // data-deleted
    CHECK_THAT(text, Catch::Contains("01 79 65 66 63"));
    CHECK_THAT(text, Catch::Contains("support@particeep.com"));
    CHECK_THAT(text, Catch::Contains("29 rue du Louvre"));  // the seller's letterhead (E2)
    // 1200.00 + 9.53 + 40.00 = 1249.53
    CHECK_THAT(text, Catch::Contains("1 249,53 €"));
    CHECK_THAT(text, Catch::Contains("Madame, Monsieur,"));
    CHECK_THAT(text, !Catch::Contains("Dear"));
  }
  const std::string en = late_notice(n, seed_seller(), Lang::en, false);
  CHECK_THAT(en, Catch::Contains("Dear Sir or Madam,"));
  CHECK_THAT(en, Catch::Contains("1,249.53 EUR"));
  CHECK_THAT(en, Catch::Contains("31 March 2026"));
  CHECK_THAT(en, !Catch::Contains("Madame"));
}

TEST_CASE("L7: ledger text is escaped for the notice's format", "[late][L7][letters]") {
  Notice n{"acme", "<b>ACME</b> | \x1b[31m", d("2026-03-01"), {}, {}};
  n.invoices.push_back({"F2026-000001", d("2026-01-31"), 29, 120'000, 953, 4'000});
  const std::string md = late_notice(n, seed_seller(), Lang::fr, true);
  CHECK_THAT(md, !Catch::Contains("<b>"));
  CHECK_THAT(md, Catch::Contains("&lt;b&gt;ACME&lt;/b&gt; &#124;"));
  const std::string txt = late_notice(n, seed_seller(), Lang::fr, false);
  CHECK_THAT(txt, !Catch::Contains("\x1b"));
  CHECK_THAT(txt, Catch::Contains("\\x1b[31m"));
  CHECK_THROWS_WITH(parse_lang("de"), "invalid language 'de': expected fr or en");
}

// ---- In the ledger ----

namespace {

Ledger with_customers() {
  Ledger l = Ledger::memory();
  for (const char* code : {"acme", "beta"}) {
    Customer c;
    c.code = code;
    c.name = code;
    c.vat_rate = percent(20);
    c.terms_days = 30;
    add_customer(l, c, d("2026-01-01"));
  }
  return l;
}

// A 1000.00 HT services invoice (1200.00 TTC) issued 2026-01-01, due 2026-01-31.
std::string invoice_1200(Ledger& l, const char* customer) {
  NewInvoice n;
  n.customer = customer;
  n.kind = InvoiceKind::services;
  n.issue_date = d("2026-01-01");
  n.lines.push_back(InvoiceLine{"work", 100, 100'000, 100'000, percent(20), "I1", ""});
  return issue_invoice(l, n).number;
}

// A SEPA payment allocated to one invoice, written as the payments module
// stores it (no fee). Returns the payment id.
std::int64_t pay_sql(Ledger& l, const std::string& number, Cents amount, const char* date) {
  SQLite::Database& db = testing::database(l);
  const auto inv = testing::invoice_id(l, number);
  SQLite::Statement p(db,
                      "INSERT INTO payment(customer_id, invoice_id, amount, method, date) "
                      "SELECT customer_id, id, ?, 'sepa', ? FROM invoice WHERE id = ?");
  p.bind(1, amount);
  p.bind(2, date);
  p.bind(3, inv);
  p.exec();
  const auto pid = db.getLastInsertRowid();
  SQLite::Statement a(db, "INSERT INTO allocation(invoice_id, payment_id, amount, date) VALUES (?, ?, ?, ?)");
  a.bind(1, inv);
  a.bind(2, pid);
  a.bind(3, amount);
  a.bind(4, date);
  a.exec();
  testing::refresh_invoice(l, inv);
  return pid;
}

void reverse_sql(Ledger& l, std::int64_t payment_id, const char* date) {
  SQLite::Database& db = testing::database(l);
  SQLite::Statement p(db, "UPDATE payment SET reversed_on = ?1 WHERE id = ?2");
  p.bind(1, date);
  p.bind(2, payment_id);
  p.exec();
  SQLite::Statement a(db, "UPDATE allocation SET reversed_on = ?1 WHERE payment_id = ?2");
  a.bind(1, date);
  a.bind(2, payment_id);
  a.exec();
  SQLite::Statement inv(db, "SELECT invoice_id FROM payment WHERE id = ?");
  inv.bind(1, payment_id);
  inv.executeStep();
  testing::refresh_invoice(l, inv.getColumn(0).getInt64());
}

const CustomerStage& stage_of(const OverdueReport& r, const std::string& code) {
  for (const auto& c : r.customers)
    if (c.customer == code) return c;
  FAIL("no customer " << code);
  return r.customers.front();
}

}  // namespace

TEST_CASE("L1, L3: the overdue report, exact to the day", "[late][ledger][L1][L3]") {
  Ledger l = with_customers();
  const auto f = invoice_1200(l, "acme");
  CHECK(overdue(l, d("2026-01-31")).invoices.empty());  // due today: not late
  const auto r = overdue(l, d("2026-02-27"));
  REQUIRE(r.invoices.size() == 1);
  const LateInvoice& i = r.invoices[0];
  CHECK(i.number == f);
  CHECK(i.late);
  CHECK(i.days_late == 27);
  CHECK(i.months_late == 0);
  CHECK(i.balance == 120'000);
  CHECK(i.interest_accrued == 888);  // 1200.00 x 10 % x 27/365 = 8.87671 -> 8.88
  CHECK(i.indemnity == 4'000);
  CHECK(stage_of(r, "acme").stage.stage == Stage::late);
  CHECK(stage_of(r, "acme").stage.next_date == d("2026-02-28"));
  CHECK(stage_of(r, "beta").stage.stage == Stage::active);
  CHECK(stage_of(overdue(l, d("2026-02-28")), "acme").stage.stage == Stage::admin_disabled);
  // Reading writes nothing.
  CHECK(read_journal(l).size() == 4);  // the default policy, two customers, one invoice
}

TEST_CASE("L3: the oldest late invoice decides; paying moves the stage on its date", "[late][ledger][L3]") {
  Ledger l = with_customers();
  const auto f1 = invoice_1200(l, "acme");  // due 2026-01-31
  NewInvoice n;
  n.customer = "acme";
  n.kind = InvoiceKind::services;
  n.issue_date = d("2026-02-15");  // due 2026-03-17
  n.lines.push_back(InvoiceLine{"work", 100, 10'000, 10'000, percent(20), "I1", ""});
  const auto f2 = issue_invoice(l, n).number;
  CHECK(stage_of(overdue(l, d("2026-03-31")), "acme").stage.stage == Stage::platform_disabled);
  pay_sql(l, f1, 120'000, "2026-04-10");
  // Before the payment's date, history is unchanged; from it, f2 (due 17 March) decides.
  CHECK(stage_of(overdue(l, d("2026-04-09")), "acme").stage.stage == Stage::platform_disabled);
  const auto after = stage_of(overdue(l, d("2026-04-10")), "acme").stage;
  CHECK(after.stage == Stage::late);                 // 17 March + 1 month = 17 April
  CHECK(after.next_date == d("2026-04-17"));
  pay_sql(l, f2, 12'000, "2026-04-12");
  CHECK(stage_of(overdue(l, d("2026-04-12")), "acme").stage.stage == Stage::active);
}

TEST_CASE("L6: apply bills once per date, then only what accrued since", "[late][ledger][L6][M4]") {
  Ledger l = with_customers();
  const auto f = invoice_1200(l, "acme");
  const ApplyResult first = apply_overdue(l, d("2026-02-28"));
  REQUIRE(first.issued.size() == 1);
  const Invoice& pen = first.issued[0];
  CHECK(pen.kind == InvoiceKind::penalty);
  CHECK(pen.customer == "acme");
  // 1200.00 x 10 % x 28/365 = 9.20548 -> 9.21; + 40.00 indemnity; no VAT (M4)
  REQUIRE(pen.lines.size() == 2);
  CHECK(pen.lines[0].amount_ht == 921);
  CHECK(pen.lines[0].rule == "L4");
  CHECK(pen.lines[1].amount_ht == 4'000);
  CHECK(pen.lines[1].rule == "L5");
  CHECK(pen.vat == 0);
  CHECK(pen.total_ttc == 4'921);
  CHECK(pen.due_date == d("2026-03-30"));  // the customer's 30 days terms
  REQUIRE(first.transitions.size() == 1);
  CHECK(first.transitions[0].from == Stage::active);
  CHECK(first.transitions[0].to == Stage::admin_disabled);
  CHECK(first.transitions[0].date == d("2026-02-28"));

  const ApplyResult again = apply_overdue(l, d("2026-02-28"));
  CHECK(again.issued.empty());
  CHECK(again.transitions.empty());

  // 10 days later: 1200.00 x 10 % x 38/365 = 12.49315 -> 12.49, minus 9.21 billed = 3.28.
  const ApplyResult later = apply_overdue(l, d("2026-03-10"));
  REQUIRE(later.issued.size() == 1);
  REQUIRE(later.issued[0].lines.size() == 1);
  CHECK(later.issued[0].lines[0].amount_ht == 328);
  CHECK(later.transitions.empty());
  const auto r = overdue(l, d("2026-03-10"));
  REQUIRE(r.invoices.size() == 1);
  CHECK(r.invoices[0].number == f);
  CHECK(r.invoices[0].interest_billed == 1'249);
  CHECK(r.invoices[0].interest_unbilled() == 0);
  CHECK(r.invoices[0].indemnity_billed == 4'000);

  // Penalty invoices never accrue (L1): months later, unpaid, they are not listed.
  const auto june = overdue(l, d("2026-06-30"));
  REQUIRE(june.invoices.size() == 1);
  CHECK(june.invoices[0].number == f);

  // An earlier date after a later application is refused; nothing written.
  const auto events = read_journal(l).size();
  try {
    apply_overdue(l, d("2026-03-01"));
    FAIL("applied out of order");
  } catch (const Error& e) {
    CHECK(e.code() == ExitCode::refused);
    CHECK(e.rule() == "L6");
  }
  CHECK(read_journal(l).size() == events);
}

TEST_CASE("L5, L6: an invoice paid late still owes what was not billed", "[late][ledger][L5][L6]") {
  Ledger l = with_customers();
  const auto f = invoice_1200(l, "beta");
  pay_sql(l, f, 50'000, "2026-02-05");
  pay_sql(l, f, 70'000, "2026-02-10");
  const auto r = overdue(l, d("2026-02-20"));
  REQUIRE(r.invoices.size() == 1);
  CHECK_FALSE(r.invoices[0].late);
  CHECK(r.invoices[0].days_late == 10);
  // 1200.00 x 10 % x 5/365 = 1.64384 and 700.00 x 10 % x 5/365 = 0.95890: 2.60274 -> 2.60
  CHECK(r.invoices[0].interest_accrued == 260);
  CHECK(r.invoices[0].indemnity == 4'000);
  CHECK(stage_of(r, "beta").stage.stage == Stage::active);
  const auto applied = apply_overdue(l, d("2026-02-20"));
  REQUIRE(applied.issued.size() == 1);
  CHECK(applied.issued[0].total_ttc == 4'260);
  CHECK(applied.transitions.empty());  // never recorded late: active -> active
  CHECK(overdue(l, d("2026-02-21")).invoices.empty());
  // As of before the application, the unbilled amounts show again.
  CHECK(overdue(l, d("2026-02-19")).invoices.size() == 1);
}

TEST_CASE("L3: data-deleted, once applied, stays after payment", "[late][ledger][L3]") {
  Ledger l = with_customers();
  const auto fa = invoice_1200(l, "acme");
  const auto fb = invoice_1200(l, "beta");
  const auto applied = apply_overdue(l, d("2026-07-31"), std::string("acme"));  // only acme
  REQUIRE(applied.transitions.size() == 1);
  CHECK(applied.transitions[0].to == Stage::data_deleted);
  pay_sql(l, fa, 120'000, "2026-08-05");
  pay_sql(l, fb, 120'000, "2026-08-05");
  const auto r = overdue(l, d("2026-08-10"));
  CHECK(stage_of(r, "acme").stage.stage == Stage::data_deleted);
  CHECK(stage_of(r, "beta").stage.stage == Stage::active);  // never applied: back to active
  // Before the application, acme was platform-disabled.
  CHECK(stage_of(overdue(l, d("2026-07-30")), "acme").stage.stage == Stage::platform_disabled);
}

TEST_CASE("P5, L3: a reversal in the ledger makes an invoice late again from its date", "[late][ledger][P5]") {
  Ledger l = with_customers();
  const auto f = invoice_1200(l, "acme");
  const auto pid = pay_sql(l, f, 120'000, "2026-01-20");
  CHECK(overdue(l, d("2026-03-15")).invoices.empty());
  reverse_sql(l, pid, "2026-03-20");
  CHECK(overdue(l, d("2026-03-19")).invoices.empty());
  const auto r = overdue(l, d("2026-03-25"));
  REQUIRE(r.invoices.size() == 1);
  CHECK(r.invoices[0].days_late == 53);                     // 2026-01-31 -> 2026-03-25
  CHECK(r.invoices[0].interest_accrued == 164);             // 1200.00 x 10 % x 5/365 = 1.64384 -> 1.64
  CHECK(stage_of(r, "acme").stage.stage == Stage::admin_disabled);  // months counted from the due date
}

TEST_CASE("L1: a credit note during the delay lowers the balance from its date", "[late][ledger][L1]") {
  Ledger l = with_customers();
  const auto f = invoice_1200(l, "acme");
  void_invoice(l, f, "cancelled order", d("2026-02-10"));
  const auto r = overdue(l, d("2026-02-20"));
  REQUIRE(r.invoices.size() == 1);
  CHECK_FALSE(r.invoices[0].late);
  CHECK(r.invoices[0].days_late == 10);
  CHECK(r.invoices[0].interest_accrued == 329);  // 1200.00 x 10 % x 10/365 = 3.28767 -> 3.29
}

TEST_CASE("status: stage, capabilities, balance and credit", "[late][ledger][status]") {
  Ledger l = with_customers();
  invoice_1200(l, "acme");
  apply_overdue(l, d("2026-02-28"));  // penalty 49.21 (see the L6 test)
  const CustomerStatus s = customer_status(l, "acme", d("2026-03-01"));
  CHECK(s.stage.stage == Stage::admin_disabled);
  CHECK(s.stage.next_date == d("2026-03-31"));
  CHECK(s.capabilities.admin == Access::off);
  CHECK(s.capabilities.platform == Access::on);
  CHECK(s.balance == 120'000 + 4'921);
  CHECK(s.credit == 0);
  CHECK_FALSE(s.standby);
  CHECK_FALSE(s.cancelled);
  CHECK_THROWS_AS(customer_status(l, "nobody", d("2026-03-01")), Error);
}

TEST_CASE("L8: what was over-billed is credited from the latest penalty invoice back", "[late][L8]") {
  struct Case {
    const char* name;
    std::vector<PenaltySource> sources;  // latest first
    Cents interest_over, indemnity_over;
    std::vector<PenaltyCredit> want;
  };
  const std::vector<Case> cases = {
      // One application billed 24.33 + 40.00; 15.12 of interest over-billed.
      {"one source, interest only", {{7, 2433, 4000, 6433}}, 1512, 0, {{7, 1512, 0}}},
      // Paid before its due date: all of it back.
      {"one source, all of it", {{7, 2433, 4000, 6433}}, 2433, 4000, {{7, 2433, 4000}}},
      // Two applications (10.00 then 14.33 of interest): 15.12 back takes the
      // latest's 14.33 and 0.79 of the earlier one.
      {"latest first", {{9, 1433, 0, 1433}, {7, 1000, 4000, 5000}}, 1512, 0, {{9, 1433, 0}, {7, 79, 0}}},
      // The latest was voided by hand (nothing left to credit on it).
      {"voided penalty invoice skipped", {{9, 1433, 0, 0}, {7, 1000, 4000, 5000}}, 1512, 0, {{7, 1000, 0}}},
      // A penalty invoice shared with other late invoices has less left than
      // this one billed: interest first, the indemnity takes what remains.
      {"bounded by what is left", {{7, 2433, 4000, 3000}}, 2433, 4000, {{7, 2433, 567}}},
      {"nothing over-billed", {{7, 2433, 4000, 6433}}, 0, 0, {}},
      // Earlier L8 credits already netted out of a source.
      {"net of earlier credits", {{7, 921, 4000, 4921}}, 921, 4000, {{7, 921, 4000}}},
  };
  for (const auto& c : cases) {
    SECTION(c.name) {
      const auto got = overbilled_credits(c.sources, c.interest_over, c.indemnity_over);
      REQUIRE(got.size() == c.want.size());
      for (std::size_t i = 0; i < got.size(); ++i) {
        CHECK(got[i].penalty_invoice_id == c.want[i].penalty_invoice_id);
        CHECK(got[i].interest == c.want[i].interest);
        CHECK(got[i].indemnity == c.want[i].indemnity);
      }
    }
  }
}
