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
  const SellerIdentity seed = l.seller_at(d("2026-01-01"));
  CHECK(seed.name == "Particeep");
  CHECK(seed.address.street == "29 rue du Louvre");
  CHECK(seed.address.postcode == "75002");
  CHECK(seed.address.city == "Paris");
  CHECK(seed.address.country == "FR");
  CHECK(missing_seller_keys(seed) ==
        std::vector<std::string>{"legal_form", "share_capital", "siren", "rcs_city", "vat_number", "iban", "bic"});

  l.set_seller("siren", "552 120 222", d("2026-01-01"));
  l.set_seller("vat_number", "FR27552120222", d("2026-01-01"));
  l.set_seller("share_capital", "10000", d("2026-01-01"));
  l.set_seller("vat_regime", "debits", d("2026-03-01"));
  CHECK(l.seller_at(d("2025-12-31")).siren.empty());
  CHECK(l.seller_at(d("2026-01-01")).siren == "552120222");
  CHECK(l.seller_at(d("2026-01-01")).share_capital == 1000000);
  CHECK(l.seller_at(d("2026-02-28")).vat_regime == VatRegime::receipts);
  CHECK(l.seller_at(d("2026-03-01")).vat_regime == VatRegime::debits);
  CHECK(l.seller_versions().size() == 4);

  // The same value again: nothing written; another value that day: conflict.
  const auto events = l.journal().size();
  l.set_seller("siren", "552120222", d("2026-01-01"));
  CHECK(l.journal().size() == events);
  CHECK(code_of([&] { l.set_seller("siren", "552081317", d("2026-01-01")); }) == ExitCode::conflict);
  // E4: a wrong identifier is a usage error, nothing written.
  CHECK(code_of([&] { l.set_seller("siren", "552120223", d("2026-04-01")); }) == ExitCode::usage);
  CHECK(code_of([&] { l.set_seller("iban", "FR15 2004 1010 0505 0001 3M02 606", d("2026-04-01")); }) ==
        ExitCode::usage);
  CHECK(code_of([&] { l.set_seller("nickname", "x", d("2026-04-01")); }) == ExitCode::usage);
  CHECK(l.journal().size() == events);
  CHECK(l.journal().back().kind == "seller.set");
}

TEST_CASE("E2: the customer's identity on documents", "[seller][E2][E4]") {
  Ledger l = test::ledger_with_acme();
  BuyerIdentity b = l.customer_identity("acme");
  CHECK(b.legal_name == "ACME");  // defaults to the name
  CHECK(b.address.country == "FR");
  CHECK_FALSE(reverse_charge_applies(b));

  l.set_customer("acme", "country", "de");
  b = l.set_customer("acme", "vat_number", "DE123456789");
  CHECK(b.address.country == "DE");
  CHECK(b.vat_number == "DE123456789");
  CHECK(reverse_charge_applies(b));
  b = l.set_customer("acme", "billing_email", "billing@acme.test");
  CHECK(l.customer("acme").email == "billing@acme.test");
  CHECK(l.journal().back().kind == "customer.set");

  CHECK(code_of([&] { l.set_customer("acme", "siren", "732829321"); }) == ExitCode::usage);
  CHECK(code_of([&] { l.set_customer("nobody", "siren", "552120222"); }) == ExitCode::not_found);
  CHECK(code_of([&] { l.set_customer("acme", "country", "XX"); }) == ExitCode::usage);
  // Outside the EU, or in France: no reverse charge.
  b = l.set_customer("acme", "country", "CH");
  CHECK_FALSE(reverse_charge_applies(b));
}
