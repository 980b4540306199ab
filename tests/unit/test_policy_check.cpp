// policy check: the L441-10 floor (3 x the legal interest rate of the
// semester), L112-12 surcharges and E2 keys, on hand-computed cases.
#include <catch2/catch.hpp>

#include "tally/data.hpp"
#include "tally/errors.hpp"
#include "tally/policy_check.hpp"

using namespace tally;

namespace {

Date day(int y, unsigned m, unsigned d) { return date::sys_days{date::year{y} / date::month{m} / date::day{d}}; }

const char* kRates =
    "# a comment\n"
    "semester_start,rate_percent\n"
    "2024-01-01,5.07\n"
    "2024-07-01,4.92\n"
    "2026-01-01,2.62\n";

SellerIdentity complete_seller() {
  SellerIdentity s = seed_seller();
  s.legal_form = "SAS";
  s.share_capital = 1000000;
  s.siren = "552120222";
  s.rcs_city = "Paris";
  s.vat_number = "FR27552120222";
  s.iban = "FR1420041010050500013M02606";
  s.bic = "SOGEFRPP";
  return s;
}

Policy no_surcharge() {
  Policy p;
  p.card_fee_rate = Rate{0};
  p.transfer_fee = 0;
  p.other_fee = 2000;  // a cheque fee is not a payment instrument of L112-12
  return p;
}

}  // namespace

TEST_CASE("legal interest rates: parse and find the semester", "[policy-check][L4]") {
  const auto rates = parse_legal_rates(kRates);
  REQUIRE(rates.size() == 3);
  CHECK(rates[2].rate.bp == 262);
  CHECK(legal_rate_on(rates, day(2026, 1, 1))->rate.bp == 262);
  CHECK(legal_rate_on(rates, day(2026, 6, 30))->rate.bp == 262);
  CHECK_FALSE(legal_rate_on(rates, day(2026, 7, 1)).has_value());  // 2026 H2 not listed
  CHECK(legal_rate_on(rates, day(2024, 12, 31))->rate.bp == 492);
  CHECK_FALSE(legal_rate_on(rates, day(2025, 3, 1)).has_value());
  CHECK(late_interest_floor(Rate{262}).bp == 786);  // 2.62 % x 3 = 7.86 %

  CHECK_THROWS_WITH(parse_legal_rates("semester_start,rate_percent\n2026-02-01,2.62\n"),
                    Catch::Contains("line 2: a semester starts on 1 January or 1 July"));
  CHECK_THROWS_WITH(parse_legal_rates("2026-01-01,2.62\n"), Catch::Contains("expected the header"));
  CHECK_THROWS_WITH(parse_legal_rates("semester_start,rate_percent\n2026-01-01,2.62\n2025-07-01,2.76\n"),
                    Catch::Contains("line 3: 2025-07-01 is not after 2026-01-01"));
}

TEST_CASE("the shipped legal interest rates parse; 2026 H1 is 2.62 %", "[policy-check][L4]") {
  const auto csv = builtin_data("legal-interest-rates.csv");
  REQUIRE(csv);
  const auto rates = parse_legal_rates(*csv);
  CHECK(legal_rate_on(rates, day(2026, 3, 1))->rate.bp == 262);
}

TEST_CASE("policy_warnings", "[policy-check][L4][P2][E2]") {
  const auto rates = parse_legal_rates(kRates);
  SECTION("10 % in 2026 H1 is above 7.86 %, nothing to say") {
    CHECK(policy_warnings(no_surcharge(), complete_seller(), rates, day(2026, 3, 1)).empty());
  }
  SECTION("7.85 % is below 7.86 %; 7.86 % is not") {
    Policy p = no_surcharge();
    p.interest_rate = Rate{785};
    const auto w = policy_warnings(p, complete_seller(), rates, day(2026, 3, 1));
    REQUIRE(w.size() == 1);
    CHECK(w[0].rule == "L4");
    CHECK(w[0].law == "Code de commerce L441-10");
    CHECK(w[0].message.find("2.62 % x 3 = 7.86 %") != std::string::npos);
    p.interest_rate = Rate{786};
    CHECK(policy_warnings(p, complete_seller(), rates, day(2026, 3, 1)).empty());
  }
  SECTION("10 % in 2024 H1 is below 5.07 % x 3 = 15.21 %") {
    const auto w = policy_warnings(no_surcharge(), complete_seller(), rates, day(2024, 2, 1));
    REQUIRE(w.size() == 1);
    CHECK(w[0].message.find("15.21 %") != std::string::npos);
  }
  SECTION("a semester not listed is said") {
    const auto w = policy_warnings(no_surcharge(), complete_seller(), rates, day(2026, 9, 1));
    REQUIRE(w.size() == 1);
    CHECK(w[0].message.find("no legal interest rate is listed") != std::string::npos);
  }
  SECTION("the default policy surcharges cards (2 %) and transfers (20.00): L112-12") {
    const auto w = policy_warnings(Policy{}, complete_seller(), rates, day(2026, 3, 1));
    REQUIRE(w.size() == 2);
    CHECK(w[0].rule == "P2");
    CHECK(w[0].law == "Code monétaire et financier L112-12");
    CHECK(w[0].message.find("card_fee_rate is 2.00 %") != std::string::npos);
    CHECK(w[1].message.find("transfer_fee is 20.00") != std::string::npos);
  }
  SECTION("the seed seller lacks the keys documents need") {
    const auto w = policy_warnings(no_surcharge(), seed_seller(), rates, day(2026, 3, 1));
    REQUIRE(w.size() == 1);
    CHECK(w[0].rule == "E2");
    CHECK(w[0].message.find("lacks legal_form, share_capital, siren, rcs_city, vat_number, iban, bic") !=
          std::string::npos);
  }
}
