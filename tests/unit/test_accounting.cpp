// The accountant's books (A1, A2): balanced entries from plain document and
// payment values, the FEC line format, the hledger transaction, opening
// balances and the VAT share of a receipt, each by a table of cases worked by
// hand from RULES.md; then the same from an in-memory ledger.
#include <catch2/catch.hpp>

#include "tally/accounting.hpp"
#include "tally/errors.hpp"
#include "tally/reports.hpp"
#include "unit/fixtures.hpp"

using tally::test::code_of;
using tally::test::d;

using namespace tally;

namespace {

// A posting as "ACCOUNT[:customer] D|C amount" under the default chart.
std::string show(const Posting& p) {
  const Policy policy;
  std::string s = account_number(p, policy);
  if (!p.customer.empty()) s += ":" + p.customer;
  return s + (p.debit > 0 ? " D " + format_amount(p.debit) : " C " + format_amount(p.credit));
}

std::vector<std::string> show(const Entry& e) {
  std::vector<std::string> out;
  for (const auto& p : e.postings) out.push_back(show(p));
  return out;
}

DocumentFacts invoice_facts(std::vector<BookedLine> lines, Cents ttc, InvoiceKind kind = InvoiceKind::services) {
  DocumentFacts f;
  f.number = "F2026-000001";
  f.kind = kind;
  f.issue_date = d("2026-01-15");
  f.customer = "acme";
  f.customer_name = "ACME SAS";
  f.lines = std::move(lines);
  f.total_ttc = ttc;
  return f;
}

PaymentFacts payment_facts(Method m, Cents amount, Cents allocated) {
  PaymentFacts p;
  p.id = 7;
  p.method = m;
  p.date = d("2026-02-10");
  p.customer = "acme";
  p.customer_name = "ACME SAS";
  p.invoice = "F2026-000001";
  p.amount = amount;
  p.allocated = allocated;
  return p;
}

}  // namespace

TEST_CASE("A2: one balanced entry per document, table of cases", "[accounting][A2][M2][M4]") {
  struct Case {
    const char* what;
    DocumentFacts facts;
    std::vector<std::string> postings;
  };
  DocumentFacts credit_note = invoice_facts({{15000, percent(20), "I3"}}, 18000);
  credit_note.number = "AV2026-000001";
  credit_note.credit_note = true;
  credit_note.cites = "F2026-000001";
  credit_note.applied = 10000;
  DocumentFacts full_note = credit_note;
  full_note.applied = 18000;
  const Case cases[] = {
      // 1000.00 HT x 20 % = 200.00 VAT; 1200.00 TTC to the customer's receivable.
      {"invoice at 20 %", invoice_facts({{100000, percent(20), "I1"}}, 120000),
       {"411:acme D 1200.00", "706 C 1000.00", "445712000 C 200.00"}},
      // Two rates: 100.00 x 20 % = 20.00; 50.00 x 5.5 % = 2.75; TTC 150.00 + 22.75 = 172.75.
      {"two rates", invoice_facts({{10000, percent(20), "I1"}, {5000, Rate{550}, "I1"}}, 17275),
       {"411:acme D 172.75", "706 C 150.00", "445710550 C 2.75", "445712000 C 20.00"}},
      // Reverse charge 0 %: no VAT line.
      {"0 % VAT", invoice_facts({{50000, percent(0), "I1"}}, 50000), {"411:acme D 500.00", "706 C 500.00"}},
      // L4 interest 184.93 and L5 indemnity 40.00, no VAT (M4): 224.93.
      {"penalty", invoice_facts({{18493, percent(0), "L4"}, {4000, percent(0), "L5"}}, 22493, InvoiceKind::penalty),
       {"411:acme D 224.93", "7631 C 184.93", "7588 C 40.00"}},
      // Credit note 150.00 HT + 30.00 VAT = 180.00; 100.00 applied to the invoice, 80.00 to customer credit.
      {"credit note, part to credit", credit_note,
       {"706 D 150.00", "445712000 D 30.00", "411:acme C 100.00", "4191:acme C 80.00"}},
      {"credit note, all applied", full_note, {"706 D 150.00", "445712000 D 30.00", "411:acme C 180.00"}},
  };
  for (const auto& c : cases) {
    INFO(c.what);
    const Entry e = document_entry(c.facts);
    CHECK(e.journal == (Journal::sales));
    CHECK(show(e) == c.postings);
    CHECK(e.debit() == e.credit());
  }
}

TEST_CASE("A2: a document whose lines do not add up is refused as an internal failure", "[accounting][A2]") {
  // 1000.00 HT at 20 % is 1200.00, not 1199.99.
  CHECK(code_of([] { document_entry(invoice_facts({{100000, percent(20), "I1"}}, 119999)); }) == ExitCode::internal);
  DocumentFacts n = invoice_facts({{100, percent(0), "I3"}}, 100);
  n.credit_note = true;
  n.applied = 101;
  CHECK(code_of([&] { document_entry(n); }) == ExitCode::internal);
}

TEST_CASE("A2: one balanced entry per payment and per reversal, table of cases", "[accounting][A2][P2][P3][P5]") {
  struct Case {
    const char* what;
    PaymentFacts facts;
    Journal journal;
    std::vector<std::string> postings;
  };
  const Case cases[] = {
      // 1200.00 invoice + a card fee of 2 % = 24.00 HT + 4.80 VAT = 28.80 TTC (P2): 1228.80 received, all settled.
      {"card, invoice and fee", payment_facts(Method::card, 122880, 122880), Journal::bank,
       {"512 D 1228.80", "411:acme C 1228.80"}},
      // 1500.00 received on a 1200.00 balance: 300.00 becomes customer credit (P3).
      {"overpayment", payment_facts(Method::transfer, 150000, 120000), Journal::bank,
       {"512 D 1500.00", "411:acme C 1200.00", "4191:acme C 300.00"}},
      // 300.00 of customer credit settles an invoice: no money moves.
      {"from credit", payment_facts(Method::credit, 30000, 30000), Journal::misc,
       {"4191:acme D 300.00", "411:acme C 300.00"}},
  };
  for (const auto& c : cases) {
    INFO(c.what);
    const Entry e = payment_entry(c.facts);
    CHECK(e.journal == c.journal);
    CHECK(e.piece == "P7");
    CHECK(e.date == d("2026-02-10"));
    CHECK(show(e) == c.postings);
    CHECK(e.debit() == e.credit());
  }
  // P5: the overpayment returned on 2026-03-01: every posting reversed, on that day.
  PaymentFacts back = payment_facts(Method::transfer, 150000, 120000);
  back.reversed_on = d("2026-03-01");
  const Entry r = reversal_entry(back);
  CHECK(r.journal == Journal::bank);
  CHECK(r.date == d("2026-03-01"));
  CHECK(show(r) == std::vector<std::string>{"512 C 1500.00", "411:acme D 1200.00", "4191:acme D 300.00"});
  // Settling more than arrived cannot be booked.
  CHECK(code_of([] { payment_entry(payment_facts(Method::transfer, 100, 101)); }) == ExitCode::internal);
}

TEST_CASE("A2: FEC fields, table of cases", "[accounting][A2][fec]") {
  CHECK(fec_date(d("2026-01-31")) == "20260131");
  CHECK(fec_date(d("2026-12-05")) == "20261205");
  struct AmountCase {
    Cents cents;
    const char* text;
  };
  for (const auto& c : {AmountCase{123456, "1234,56"}, {0, "0,00"}, {5, "0,05"}, {100000000000, "1000000000,00"}}) {
    CHECK(fec_amount(c.cents) == c.text);
  }
  struct TextCase {
    const char* in;
    const char* empty;
    const char* out;
  };
  for (const auto& c : {TextCase{"a|b\tc\r\nd", "", "a/b c  d"}, {"", "/", "/"}, {" \t ", "-", "-"},
                        {"  ACME  ", "", "ACME"}}) {
    INFO(c.in);
    CHECK(fec_text(c.in, c.empty) == c.out);
  }
  // ISO 8859-15: é is E9, € A4, œ BD; ¤ (A4 in Latin-1) and CJK are not in it; a stray byte is not UTF-8.
  CHECK(to_latin9("TVA collectée") == "TVA collect\xE9" "e");
  CHECK(to_latin9("5 €, œuvre") == "5 \xA4, \xBDuvre");
  CHECK(to_latin9("¤中") == "??");
  CHECK(to_latin9("a\xFF" "b") == "a?b");
}

TEST_CASE("A2: the FEC lines of an entry: 18 fields, in order", "[accounting][A2][fec]") {
  const Entry e = document_entry(invoice_facts({{100000, percent(20), "I1"}}, 120000));
  const std::string text = fec_lines(e, 1, Policy{});
  CHECK(text ==
        "VE|Ventes|1|20260115|411|Clients|acme|ACME SAS|F2026-000001|20260115|Facture F2026-000001 services acme|"
        "1200,00|0,00|||20260115||\r\n"
        "VE|Ventes|1|20260115|706|Prestations de services|||F2026-000001|20260115|Facture F2026-000001 services acme|"
        "0,00|1000,00|||20260115||\r\n"
        "VE|Ventes|1|20260115|445712000|TVA collectée 20,00 %|||F2026-000001|20260115|"
        "Facture F2026-000001 services acme|0,00|200,00|||20260115||\r\n");
  std::size_t fields = 1;
  for (char c : kFecHeader) fields += c == '|' ? 1 : 0;
  CHECK(fields == kFecFields);
  // The chart is a parameter (A2).
  Policy p;
  policy_param("account_customer").set(p, "411000");
  policy_param("account_vat").set(p, "4457");
  const std::string other = fec_lines(e, 9, p);
  CHECK(other.find("|9|20260115|411000|Clients|acme|") != std::string::npos);
  CHECK(other.find("|44572000|TVA") != std::string::npos);
  for (const char* bad : {"41", "41A", "4111111111111111111111", "411 ", ""}) {
    INFO(bad);
    Policy q;
    CHECK(code_of([&] { policy_param("account_customer").set(q, bad); }) == ExitCode::usage);
  }
}

TEST_CASE("A2: the hledger transaction of an entry", "[accounting][A2][hledger]") {
  const Entry e = payment_entry(payment_facts(Method::transfer, 150000, 120000));
  const std::string pad(50 - std::string("assets:bank").size(), ' ');
  CHECK(ledger_transaction(e) ==
        "2026-02-10 * (P7) Règlement F2026-000001 acme virement\n"
        "    assets:bank" + pad + "         1500.00 EUR\n"
        "    assets:receivables:acme" + std::string(50 - 23, ' ') + "        -1200.00 EUR\n"
        "    liabilities:customer-credit:acme" + std::string(50 - 32, ' ') + "         -300.00 EUR\n\n");
  Posting vat;
  vat.account = Account::vat;
  vat.vat_rate = Rate{550};
  CHECK(ledger_account(vat) == "liabilities:vat:5.5");
  vat.vat_rate = percent(20);
  CHECK(ledger_account(vat) == "liabilities:vat:20");
}

TEST_CASE("A2: opening balances carry the balance sheet and the earlier result", "[accounting][A2]") {
  OpeningBalances o;
  CHECK_FALSE(o.entry(d("2026-01-01")).has_value());
  // Invoice 1200.00 (1000.00 + 200.00 VAT), 600.00 of it paid.
  o.add(document_entry(invoice_facts({{100000, percent(20), "I1"}}, 120000)));
  o.add(payment_entry(payment_facts(Method::transfer, 60000, 60000)));
  const auto e = o.entry(d("2027-01-01"));
  REQUIRE(e.has_value());
  CHECK(e->journal == Journal::opening);
  // Receivable 1200.00 - 600.00 = 600.00; bank 600.00; VAT 200.00; the revenue 1000.00 as retained result.
  CHECK(show(*e) ==
        std::vector<std::string>{"411:acme D 600.00", "445712000 C 200.00", "512 D 600.00", "110 C 1000.00"});
  CHECK(e->debit() == e->credit());
}

TEST_CASE("A1: the VAT share of a receipt, table of cases", "[accounting][A1][M3]") {
  // One rate: 1000.00 HT + 200.00 VAT = 1200.00.
  const std::vector<VatBucket> one = {{percent(20), 100000, 20000}};
  // Two rates: 50.00 at 5.5 % (VAT 2.75, TTC 52.75) and 100.00 at 20 % (VAT 20.00, TTC 120.00): 172.75.
  const std::vector<VatBucket> two = {{Rate{550}, 5000, 275}, {percent(20), 10000, 2000}};
  struct Case {
    const char* what;
    Cents received;
    const std::vector<VatBucket>* by_rate;
    Cents ttc;
    std::vector<std::pair<Cents, Cents>> base_vat;  // per rate, in rate order
    Cents prior = 0;                                // paid on the document before
  };
  const Case cases[] = {
      {"all of it", 120000, &one, 120000, {{100000, 20000}}},
      {"half", 60000, &one, 120000, {{50000, 10000}}},
      // 100.00 x 200.00 / 1200.00 = 16.666... -> 16.67; base 100.00 - 16.67 = 83.33.
      {"a third of a cent rounds", 10000, &one, 120000, {{8333, 1667}}},
      // 0.01 x 200 / 1200 = 0.00166 -> 0.00.
      {"one cent", 1, &one, 120000, {{1, 0}}},
      // 0.03 x 200 / 1200 = 0.005 -> half away from zero: 0.01 (M3).
      {"half a cent", 3, &one, 120000, {{2, 1}}},
      // A reversal: the opposite.
      {"reversed", -10000, &one, 120000, {{-8333, -1667}}},
      // 100.00 of 172.75: 5.5 % part 100.00 x 52.75 / 172.75 = 30.535 -> 30.54, VAT 100.00 x 2.75 / 172.75
      // = 1.5919 -> 1.59, base 28.95; 20 % takes the rest 69.46, VAT 100.00 x 20 / 172.75 = 11.577 -> 11.58,
      // base 57.88. 28.95 + 1.59 + 57.88 + 11.58 = 100.00.
      {"two rates", 10000, &two, 17275, {{2895, 159}, {5788, 1158}}},
      // Three payments of 400.00 on 1200.00: each alone would carry 400 x 200 / 1200 = 66.666 -> 66.67, 200.01 in
      // all. Cumulated: 66.67; then 800.00 -> 133.33, less 66.67 = 66.66; then 200.00 - 133.33 = 66.67: 200.00.
      {"first third", 40000, &one, 120000, {{33333, 6667}}, 0},
      {"second third", 40000, &one, 120000, {{33334, 6666}}, 40000},
      {"last third", 40000, &one, 120000, {{33333, 6667}}, 80000},
      // The second third returned: its own share, negated.
      {"second third reversed", -40000, &one, 120000, {{-33334, -6666}}, 40000},
  };
  for (const auto& c : cases) {
    INFO(c.what);
    const auto shares = vat_share(c.received, *c.by_rate, c.ttc, c.prior);
    REQUIRE(shares.size() == c.base_vat.size());
    Cents sum = 0;
    for (std::size_t i = 0; i < shares.size(); ++i) {
      CHECK(shares[i].base == c.base_vat[i].first);
      CHECK(shares[i].vat == c.base_vat[i].second);
      sum += shares[i].base + shares[i].vat;
    }
    CHECK(sum == c.received);
  }
  CHECK(ca3_line(percent(20)) == "08");
  CHECK(ca3_line(percent(10)) == "9B");
  CHECK(ca3_line(Rate{550}) == "09");
  CHECK(ca3_line(percent(0)).empty());
}

// ---- From an in-memory ledger ----

namespace {

Invoice issue(Ledger& l, Cents ht, const char* date) {
  NewInvoice n;
  n.customer = "acme";
  n.kind = InvoiceKind::services;
  n.issue_date = d(date);
  n.lines.push_back(InvoiceLine{"work", 100, ht, ht, percent(20), "I1", ""});
  return issue_invoice(l, n);
}

void pay_on(Ledger& l, const std::string& number, Cents amount, const char* date) {
  PaymentRequest r;
  r.invoice = number;
  r.method = Method::sepa;  // no fee (P2)
  r.amount = amount;
  r.date = d(date);
  r.today = d(date);
  pay(l, r);
}

}  // namespace

TEST_CASE("A2: the entries of a ledger, in date order, balanced, with the opening entry", "[accounting][A2][ledger]") {
  Ledger l = test::ledger_with_acme();
  const Invoice a = issue(l, 100000, "2026-01-10");  // 1200.00
  pay_on(l, a.number, 60000, "2026-01-20");          // 600.00 of it
  const Invoice b = issue(l, 50000, "2026-02-05");   // 600.00
  pay_on(l, b.number, 70000, "2026-02-06");          // 600.00 + 100.00 to credit
  std::vector<std::string> seen;
  const ExportTotals t = export_entries(l, d("2026-02-01"), d("2026-02-28"), [&](const Entry& e) {
    CHECK(e.debit() == e.credit());
    seen.push_back(fmt::format("{} {} {}", journal_code(e.journal), format_date(e.date), e.piece));
  });
  CHECK(seen == std::vector<std::string>{"AN 2026-02-01 OUVERTURE", "VE 2026-02-05 " + b.number,
                                         "BQ 2026-02-06 P2"});
  CHECK(t.opening);
  CHECK(t.entries == 3);
  // Opening: 411 600.00 + 512 600.00 = 1200.00 = VAT 200.00 + result 1000.00; February: 600.00 + 700.00.
  CHECK(t.debit == 120000 + 60000 + 70000);
  CHECK(t.credit == t.debit);
  CHECK(code_of([&] { export_entries(l, d("2026-03-01"), d("2026-02-28"), [](const Entry&) {}); }) ==
        ExitCode::usage);
}

TEST_CASE("A1: the VAT of a month on receipts and on debits", "[accounting][A1][ledger]") {
  Ledger l = test::ledger_with_acme();
  const Invoice a = issue(l, 100000, "2026-01-10");  // 1000.00 + 200.00 = 1200.00
  pay_on(l, a.number, 30000, "2026-02-03");          // 300.00 in February
  // Receipts (default): 300.00 x 200 / 1200 = 50.00 VAT on a base of 250.00.
  const VatReport feb = vat_report(l, d("2026-02-01"), d("2026-03-01"));
  CHECK(feb.regime == VatRegime::receipts);
  REQUIRE(feb.by_rate.size() == 1);
  CHECK(feb.by_rate[0].rate == percent(20));
  CHECK(feb.by_rate[0].base == 25000);
  CHECK(feb.by_rate[0].vat == 5000);
  CHECK(feb.received == 30000);
  // Nothing was received in January.
  CHECK(vat_report(l, d("2026-01-01"), d("2026-03-01")).total.vat == 0);
  // Debits: the January invoice's 200.00 in January, nothing in February.
  set_seller(l, "vat_regime", "debits", d("2026-01-01"));
  const VatReport jan = vat_report(l, d("2026-01-01"), d("2026-03-01"));
  CHECK(jan.regime == VatRegime::debits);
  CHECK(jan.total.base == 100000);
  CHECK(jan.total.vat == 20000);
  CHECK(vat_report(l, d("2026-02-01"), d("2026-03-01")).total.vat == 0);
  CHECK(code_of([&] { vat_report(l, d("2026-04-01"), d("2026-03-01")); }) == ExitCode::usage);
}

TEST_CASE("A1: penalties are damages, out of the VAT report on receipts and on debits", "[accounting][A1][M4]") {
  Ledger l = test::ledger_with_acme();
  NewInvoice n;
  n.customer = "acme";
  n.kind = InvoiceKind::penalty;
  n.issue_date = d("2026-02-02");
  n.lines = {InvoiceLine{"interest", 100, 1'000, 1'000, percent(0), "L4", ""},
             InvoiceLine{"indemnity", 100, 4'000, 4'000, percent(0), "L5", ""}};
  const Invoice p = issue_invoice(l, n);  // 10.00 + 40.00 = 50.00, no VAT
  pay_on(l, p.number, 5'000, "2026-02-03");
  const VatReport receipts = vat_report(l, d("2026-02-01"), d("2026-03-01"));
  CHECK(receipts.by_rate.empty());
  CHECK(receipts.received == 0);
  set_seller(l, "vat_regime", "debits", d("2026-01-01"));
  const VatReport debits = vat_report(l, d("2026-02-01"), d("2026-03-01"));
  CHECK(debits.by_rate.empty());
  CHECK(debits.invoiced_ttc == 0);
}
