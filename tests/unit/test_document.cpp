// E1: French formats, the document of an issued invoice (VAT categories per
// M2/M4), its mentions and its HTML page. Expected values computed by hand.
#include <catch2/catch.hpp>

#include <algorithm>

#include "tally/document.hpp"
#include "tally/errors.hpp"

using namespace tally;

namespace {

Date day(int y, unsigned m, unsigned d) { return date::sys_days{date::year{y} / date::month{m} / date::day{d}}; }

SellerIdentity seller() {
  SellerIdentity s;
  s.name = "Particeep";
  s.legal_form = "SAS";
  s.share_capital = 1000000;
  s.address = {"29 rue du Louvre", "75002", "Paris", "FR"};
  s.siren = "552120222";
  s.rcs_city = "Paris";
  s.vat_number = "FR27552120222";
  s.iban = "FR1420041010050500013M02606";
  s.bic = "PSSTFRPPPAR";
  return s;
}

BuyerIdentity buyer(const char* country, const char* vat) {
  BuyerIdentity b;
  b.legal_name = "Globex <GmbH> & Co";
  b.address = {"1 Hauptstraße", "10115", "Berlin", country};
  b.vat_number = vat;
  return b;
}

Invoice invoice(InvoiceKind kind, Rate rate) {
  Invoice inv;
  inv.number = "F2026-000007";
  inv.kind = kind;
  inv.issue_date = day(2026, 3, 2);
  inv.due_date = day(2026, 4, 1);
  inv.lines.push_back(InvoiceLine{"Platform set-up", 150, 100000, 150000, rate, "I1", ""});
  return inv;
}

}  // namespace

TEST_CASE("French amounts, rates, quantities and dates", "[document][E1]") {
  struct Case {
    Cents cents;
    const char* text;
  };
  static const Case amounts[] = {{0, "0,00"},          {5, "0,05"},          {123456, "1 234,56"},
                                 {100000, "1 000,00"}, {99999, "999,99"},    {100000000, "1 000 000,00"},
                                 {-1250, "-12,50"},    {-123456, "-1 234,56"}};
  for (const auto& c : amounts) CHECK(french_amount(c.cents) == c.text);
  CHECK(french_money(148147) == "1 481,47 €");
  CHECK(french_percent(percent(20)) == "20 %");
  CHECK(french_percent(Rate{786}) == "7,86 %");  // 3 x 2.62 % (L441-10 floor, 2026 H1)
  CHECK(french_percent(Rate{250}) == "2,5 %");
  CHECK(french_percent(Rate{0}) == "0 %");
  CHECK(french_quantity(100) == "1");
  CHECK(french_quantity(150) == "1,5");
  CHECK(french_quantity(25) == "0,25");
  CHECK(french_date(day(2026, 3, 5)) == "05/03/2026");
  CHECK(french_long_date(day(2026, 3, 1)) == "1er mars 2026");
  CHECK(french_long_date(day(2026, 8, 15)) == "15 août 2026");
  CHECK(french_long_date(day(2026, 12, 31)) == "31 décembre 2026");
}

TEST_CASE("invoice_document: VAT category of each kind and rate", "[document][E1][M2][M4]") {
  Policy p;
  SECTION("standard 20 %") {
    const auto d = invoice_document(invoice(InvoiceKind::setup, percent(20)), seller(), buyer("FR", ""), p, {});
    CHECK((d.lines[0].category == VatCategory::standard));
    CHECK(d.lines[0].qty == 150);
    CHECK(d.lines[0].unit_ht == 100000);
    CHECK((d.type == DocumentType::invoice));
  }
  SECTION("0 % to an EU customer with a VAT number: reverse charge") {
    const auto d =
        invoice_document(invoice(InvoiceKind::setup, Rate{0}), seller(), buyer("DE", "DE123456789"), p, {});
    CHECK((d.lines[0].category == VatCategory::reverse_charge));
    const auto m = document_mentions(d);
    CHECK(std::any_of(m.begin(), m.end(), [](const std::string& s) { return s.rfind("Autoliquidation", 0) == 0; }));
  }
  SECTION("0 % to a French customer: zero-rated, no reverse charge mention") {
    const auto d = invoice_document(invoice(InvoiceKind::setup, Rate{0}), seller(), buyer("FR", ""), p, {});
    CHECK((d.lines[0].category == VatCategory::zero_rated));
    for (const auto& m : document_mentions(d)) CHECK(m.find("Autoliquidation") == std::string::npos);
  }
  SECTION("penalty: outside the scope of VAT (M4)") {
    const auto d = invoice_document(invoice(InvoiceKind::penalty, Rate{0}), seller(), buyer("FR", ""), p, {});
    CHECK((d.lines[0].category == VatCategory::not_subject));
    CHECK(d.lines[0].vat_rate.bp == 0);
  }
  SECTION("an amount set by a rule is one unit of it") {
    Invoice inv = invoice(InvoiceKind::subscription, percent(20));
    inv.lines[0].amount_ht = 123456;  // not 1.5 x 1000.00
    const auto d = invoice_document(inv, seller(), buyer("FR", ""), p, {});
    CHECK(d.lines[0].qty == 100);
    CHECK(d.lines[0].unit_ht == 123456);
  }
  SECTION("the policy of the day gives the late-payment mentions (L4, L5)") {
    Policy q;
    q.interest_rate = Rate{1200};
    q.indemnity = 4000;
    const auto d = invoice_document(invoice(InvoiceKind::setup, percent(20)), seller(), buyer("FR", ""), q, {});
    CHECK(d.late_interest_rate.bp == 1200);
    const auto m = document_mentions(d);
    CHECK(std::any_of(m.begin(), m.end(), [](const std::string& s) { return s.find("12,00 %") != std::string::npos; }));
    CHECK(std::any_of(m.begin(), m.end(), [](const std::string& s) { return s.find("40,00 €") != std::string::npos; }));
  }
}

TEST_CASE("document_text: header, lines and totals in French", "[document][E1]") {
  Invoice inv = invoice(InvoiceKind::setup, percent(20));
  // 1.5 x 1 000,00 = 1 500,00 HT; VAT 20 % = 300,00; TTC 1 800,00.
  auto t = document_text(invoice_document(inv, seller(), buyer("FR", ""), Policy{}, {}));
  CHECK(t.title == "Facture");
  CHECK(t.header[1] == Labelled{"Date d'émission", "02/03/2026"});
  CHECK(t.header[2] == Labelled{"Date de la prestation", "02/03/2026"});
  CHECK(t.header[3] == Labelled{"Date d'échéance", "01/04/2026"});
  REQUIRE(t.rows.size() == 1);
  CHECK(t.rows[0] == std::vector<std::string>{"Platform set-up", "1,5", "1 000,00 €", "20 %", "1 500,00 €"});
  CHECK(t.totals[0] == Labelled{"Total HT", "1 500,00 €"});
  CHECK(t.totals[1] == Labelled{"TVA 20 % sur 1 500,00 €", "300,00 €"});
  CHECK(t.totals[3] == Labelled{"Total TTC", "1 800,00 €"});
  CHECK(t.seller[3] == "SAS au capital de 10 000,00 € - RCS Paris 552 120 222");
  CHECK(t.bank == "Règlement par virement : IBAN FR14 2004 1010 0505 0001 3M02 606 - BIC PSSTFRPPPAR");

  SECTION("a credit note cites its invoice") {
    inv.number = "AV2026-000001";
    inv.credit_note = true;
    inv.cites = "F2026-000007";
    const auto c = document_text(invoice_document(inv, seller(), buyer("FR", ""), Policy{}, day(2026, 3, 2)));
    CHECK(c.title == "Avoir");
    CHECK(c.header.back() == Labelled{"Facture d'origine", "F2026-000007 du 02/03/2026"});
    CHECK(c.mentions[0] == "Avoir sur la facture n° F2026-000007 du 02/03/2026.");
  }
  SECTION("VAT on debits is said (E1)") {
    SellerIdentity s = seller();
    s.vat_regime = VatRegime::debits;
    const auto m = document_text(invoice_document(inv, s, buyer("FR", ""), Policy{}, {})).mentions;
    CHECK(std::find(m.begin(), m.end(), "TVA acquittée sur les débits.") != m.end());
  }
  SECTION("a missing seller key is refused (E2)") {
    SellerIdentity s = seller();
    s.iban.clear();
    try {
      document_text(invoice_document(inv, s, buyer("FR", ""), Policy{}, {}));
      FAIL("no refusal");
    } catch (const Error& e) {
      CHECK((e.code() == ExitCode::refused));
      CHECK(std::string(e.what()).find("iban") != std::string::npos);
    }
  }
}

TEST_CASE("document_html: escaped, self-contained", "[document][E1]") {
  Invoice inv = invoice(InvoiceKind::setup, percent(20));
  inv.lines[0].description = "<script>alert(1)</script>";
  const std::string h = document_html(document_text(invoice_document(inv, seller(), buyer("FR", ""), Policy{}, {})));
  CHECK(h.find("<script>") == std::string::npos);
  CHECK(h.find("&lt;script&gt;alert(1)&lt;/script&gt;") != std::string::npos);
  CHECK(h.find("Globex &lt;GmbH&gt; &amp; Co") != std::string::npos);
  CHECK(h.find("src=") == std::string::npos);
  CHECK(h.find("href=") == std::string::npos);
  CHECK(h.find("url(") == std::string::npos);
  CHECK(h.find("<html lang=\"fr\">") != std::string::npos);
}
