// E2: the seller's identity versioned by effective date, the customers'
// identity on documents, on a ledger in memory.
#include <catch2/catch.hpp>

#include "tally/errors.hpp"
#include "tally/ledger.hpp"
#include "unit/fixtures.hpp"

using namespace tally;
using tally::test::code_of;
using tally::test::d;

TEST_CASE("E2: the seed, then versions by effective date", "[seller][E2]") {
  Ledger l = Ledger::memory();
  const SellerIdentity seed = seller_at(l, d("2026-01-01"));
  CHECK(seed.name == "Particeep");
  CHECK(seed.address.street == "29 rue du Louvre");
  CHECK(seed.address.postcode == "75002");
  CHECK(seed.address.city == "Paris");
  CHECK(seed.address.country == "FR");
  CHECK(missing_seller_keys(seed) ==
        std::vector<std::string>{"legal_form", "share_capital", "siren", "rcs_city", "vat_number", "iban", "bic"});

  set_seller(l, "siren", "552 120 222", d("2026-01-01"));
  set_seller(l, "vat_number", "FR27552120222", d("2026-01-01"));
  set_seller(l, "share_capital", "10000", d("2026-01-01"));
  set_seller(l, "vat_regime", "debits", d("2026-03-01"));
  CHECK(seller_at(l, d("2025-12-31")).siren.empty());
  CHECK(seller_at(l, d("2026-01-01")).siren == "552120222");
  CHECK(seller_at(l, d("2026-01-01")).share_capital == 1000000);
  CHECK(seller_at(l, d("2026-02-28")).vat_regime == VatRegime::receipts);
  CHECK(seller_at(l, d("2026-03-01")).vat_regime == VatRegime::debits);
  CHECK(seller_versions(l).size() == 4);

  // The same value again: nothing written; another value that day: conflict.
  const auto events = read_journal(l).size();
  set_seller(l, "siren", "552120222", d("2026-01-01"));
  CHECK(read_journal(l).size() == events);
  CHECK(code_of([&] { set_seller(l, "siren", "552081317", d("2026-01-01")); }) == ExitCode::conflict);
  // E4: a wrong identifier is a usage error, nothing written.
  CHECK(code_of([&] { set_seller(l, "siren", "552120223", d("2026-04-01")); }) == ExitCode::usage);
  CHECK(code_of([&] { set_seller(l, "iban", "FR15 2004 1010 0505 0001 3M02 606", d("2026-04-01")); }) ==
        ExitCode::usage);
  CHECK(code_of([&] { set_seller(l, "nickname", "x", d("2026-04-01")); }) == ExitCode::usage);
  CHECK(read_journal(l).size() == events);
  CHECK(read_journal(l).back().kind == "seller.set");
}

TEST_CASE("E2: the customer's identity on documents", "[seller][E2][E4]") {
  Ledger l = test::ledger_with_acme();
  BuyerIdentity b = customer_identity(l, "acme");
  CHECK(b.legal_name == "ACME");  // defaults to the name
  CHECK(b.address.country == "FR");
  CHECK_FALSE(reverse_charge_applies(b));

  set_customer(l, "acme", "country", "de");
  b = set_customer(l, "acme", "vat_number", "DE123456789");
  CHECK(b.address.country == "DE");
  CHECK(b.vat_number == "DE123456789");
  CHECK(reverse_charge_applies(b));
  b = set_customer(l, "acme", "billing_email", "billing@acme.test");
  CHECK(find_customer(l, "acme").email == "billing@acme.test");
  CHECK(read_journal(l).back().kind == "customer.set");

  CHECK(code_of([&] { set_customer(l, "acme", "siren", "732829321"); }) == ExitCode::usage);
  CHECK(code_of([&] { set_customer(l, "nobody", "siren", "552120222"); }) == ExitCode::not_found);
  CHECK(code_of([&] { set_customer(l, "acme", "country", "XX"); }) == ExitCode::usage);
  // Outside the EU, or in France: no reverse charge.
  b = set_customer(l, "acme", "country", "CH");
  CHECK_FALSE(reverse_charge_applies(b));
}
