// The ledger on :memory: (issue 2): numbering, immutability, policy versions, journal.
#include <catch2/catch.hpp>
#include <fmt/format.h>

#include "tally/errors.hpp"
#include "tally/ledger.hpp"
#include "unit/fixtures.hpp"

using tally::test::d;

using namespace tally;

static Ledger with_customer() {
  return test::ledger_with_acme();
}

static NewInvoice services(Date issue, Cents ht) {
  NewInvoice n;
  n.customer = "acme";
  n.kind = InvoiceKind::services;
  n.issue_date = issue;
  n.lines.push_back(InvoiceLine{"work", 100, ht, ht, percent(20), "I1", ""});
  return n;
}

TEST_CASE("I2: numbers are continuous per year of issue, invoices and credit notes apart", "[ledger][I2]") {
  Ledger l = with_customer();
  CHECK(issue_invoice(l, services(d("2026-12-30"), 1000)).number == "F2026-000001");
  CHECK(issue_invoice(l, services(d("2026-12-31"), 1000)).number == "F2026-000002");
  CHECK(issue_invoice(l, services(d("2027-01-01"), 1000)).number == "F2027-000001");
  CHECK(void_invoice(l, "F2026-000002", "test", d("2027-01-02")).number == "AV2027-000001");
  CHECK(issue_invoice(l, services(d("2027-01-03"), 1000)).number == "F2027-000002");
}

TEST_CASE("I2: a failed write consumes no number", "[ledger][I2]") {
  Ledger l = with_customer();
  NewInvoice bad = services(d("2026-01-05"), 1000);
  bad.customer = "nobody";
  CHECK_THROWS_AS(issue_invoice(l, bad), Error);
  CHECK(issue_invoice(l, services(d("2026-01-05"), 1000)).number == "F2026-000001");
}

TEST_CASE("I3: void issues a full credit note; the invoice is unchanged", "[ledger][I3]") {
  Ledger l = with_customer();
  const Invoice inv = issue_invoice(l, services(d("2026-01-05"), 12345));
  const Invoice note = void_invoice(l, inv.number, "wrong customer", d("2026-01-06"));
  CHECK(note.credit_note);
  CHECK(note.cites == inv.number);
  CHECK(note.total_ttc == inv.total_ttc);
  const Invoice after = find_invoice(l, inv.number, d("2026-01-06"));
  CHECK(after.status == "void");
  CHECK(after.total_ttc == inv.total_ttc);
  CHECK(after.balance == 0);
  // As of the day before the credit note, it was still open.
  CHECK(find_invoice(l, inv.number, d("2026-01-05")).status == "open");
  try {
    void_invoice(l, inv.number, "again", d("2026-01-07"));
    FAIL("voided twice");
  } catch (const Error& e) {
    CHECK(e.code() == ExitCode::conflict);
  }
}

TEST_CASE("I3: a partial credit note then void credits only the rest", "[ledger][I3]") {
  Ledger l = with_customer();
  const Invoice inv = issue_invoice(l, services(d("2026-01-05"), 10000));  // 120.00 TTC
  issue_credit_note(l, inv.number, {InvoiceLine{"discount", 100, 2500, 2500, percent(20), "I3", ""}}, d("2026-01-06"),
                      "discount");
  CHECK(find_invoice(l, inv.number, d("2026-01-06")).balance == 9000);
  const Invoice rest = void_invoice(l, inv.number, "cancel", d("2026-01-07"));
  CHECK(rest.total_ht == 7500);
  CHECK(rest.total_ttc == 9000);
  CHECK(find_invoice(l, inv.number, d("2026-01-07")).status == "void");
}

TEST_CASE("I5: a billing run invoices each cycle once", "[ledger][I5]") {
  Ledger l = with_customer();
  Subscription s;
  s.customer = "acme";
  s.amount_ht = 50000;
  s.cycle = Cycle::quarterly;
  s.start = d("2026-01-01");
  add_subscription(l, s);
  CHECK(run_billing(l, d("2026-01-01"), d("2026-01-01")).size() == 1);
  CHECK(run_billing(l, d("2026-01-01"), d("2026-01-20")).empty());
  CHECK(run_billing(l, d("2026-02-01"), d("2026-02-01")).empty());
  const auto april = run_billing(l, d("2026-04-01"), d("2026-04-01"));
  REQUIRE(april.size() == 1);
  CHECK(april[0].total_ht == 150000);
  CHECK(april[0].total_ttc == 180000);
}

TEST_CASE("each_invoice streams every invoice in order with its lines, across batches", "[ledger]") {
  Ledger l = with_customer();
  // 1,100 invoices: more than two of each_invoice's batches of 512. Invoice k
  // is k.00 HT (k cents x 100), 20 % VAT: k x 1.20 TTC.
  for (Cents k = 1; k <= 1100; ++k) issue_invoice(l, services(d("2026-01-05"), k * 100));
  std::size_t seen = 0;
  Cents ttc = 0;
  bool ordered = true, lines_ok = true;
  each_invoice(l, {}, d("2026-01-31"), [&](const Invoice& inv) {
    ++seen;
    ordered = ordered && inv.number == fmt::format("F2026-{:06}", seen);
    lines_ok = lines_ok && inv.lines.size() == 1 && inv.lines.front().amount_ht == static_cast<Cents>(seen) * 100;
    ttc += inv.total_ttc;
  });
  CHECK(seen == 1100);
  CHECK(ordered);
  CHECK(lines_ok);
  CHECK(ttc == 120 * (1100 * 1101 / 2));  // 1.20 x (1 + ... + 1100) = 726,660.00
  CHECK(list_invoices(l, {}, d("2026-01-31")).size() == 1100);
  InvoiceFilter other;
  other.customer = "nobody";
  CHECK(test::code_of([&] { each_invoice(l, other, d("2026-01-31"), [](const Invoice&) {}); }) ==
        ExitCode::not_found);
}

TEST_CASE("policy versions apply from their effective date and never rewrite", "[ledger][policy]") {
  Ledger l = with_customer();
  CHECK(policy_at(l, d("2026-01-01")).card_fee_rate == percent(2));
  set_policy(l, "card_fee_rate", "0", d("2027-01-01"));
  CHECK(policy_at(l, d("2026-12-31")).card_fee_rate == percent(2));
  CHECK(policy_at(l, d("2027-01-01")).card_fee_rate == percent(0));
  CHECK_THROWS_AS(set_policy(l, "card_fee_rate", "1", d("2027-01-01")), Error);  // same date: conflict
  CHECK_THROWS_AS(set_policy(l, "no_such_key", "1", d("2027-01-01")), Error);
  CHECK_THROWS_AS(set_policy(l, "payment_terms_days", "61", d("2027-01-01")), Error);
}

TEST_CASE("journal: one hash-chained event per write; dry run writes nothing", "[ledger][journal]") {
  Ledger l = with_customer();
  issue_invoice(l, services(d("2026-01-05"), 1000));
  auto events = read_journal(l);
  REQUIRE(events.size() == 3);  // event 1 is the new ledger's default policy (ledger.init)
  CHECK(events[0].kind == "ledger.init");
  CHECK(events[1].kind == "customer.add");
  CHECK(events[2].prev_hash == events[1].hash);
  CHECK(journal_hash(events[2]) == events[2].hash);
  l.set_dry_run(true);
  issue_invoice(l, services(d("2026-01-06"), 1000));
  l.set_dry_run(false);
  CHECK(read_journal(l).size() == 3);
  CHECK(list_invoices(l, {}, d("2026-12-31")).size() == 1);
}
