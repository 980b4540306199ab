// M1, M3: money parsing, formatting and rounding, table-driven.
#include <catch2/catch.hpp>

#include "tally/errors.hpp"
#include "tally/money.hpp"

using namespace tally;

TEST_CASE("M1: accepted amounts parse to exact cents", "[money][M1]") {
  static const struct {
    const char* text;
    Cents cents;
  } cases[] = {
      {"0", 0},           {"1234", 123400},       {"1234.5", 123450},    {"1234.56", 123456},
      {"1234,56", 123456}, {"0.01", 1},           {"0,1", 10},           {"007", 700},
      {"1000000000", 100000000000}, {"1000000000.00", 100000000000}, {"999999999.99", 99999999999},
  };
  for (const auto& c : cases) {
    INFO(c.text);
    CHECK(parse_amount(c.text) == c.cents);
  }
}

TEST_CASE("M1: malformed amounts are rejected with the value named", "[money][M1]") {
  static const char* bad[] = {"",      "1.234",   "1,234.56", "1 234",  "-1",   "+1",     "1e3",  "abc",
                              "12.",   ".5",      "1000000000.01", "0x10", "1.2.3", " 1",   "1 ",   "１",
                              "99999999999999999999", "NaN", "inf", "1_000"};
  for (const char* b : bad) {
    INFO(b);
    try {
      parse_amount(b);
      FAIL("accepted");
    } catch (const Error& e) {
      CHECK(e.code() == ExitCode::usage);
      CHECK(std::string(e.what()).find(std::string("'") + b + "'") != std::string::npos);
    }
  }
}

TEST_CASE("M1: a sign only where allowed", "[money][M1]") {
  CHECK(parse_amount("-12.5", true) == -1250);
  CHECK_THROWS_AS(parse_amount("--1", true), Error);
}

TEST_CASE("M1: formatting has two decimals, '.' and no separators", "[money][M1]") {
  CHECK(format_amount(0) == "0.00");
  CHECK(format_amount(5) == "0.05");
  CHECK(format_amount(123456) == "1234.56");
  CHECK(format_amount(-1) == "-0.01");
  CHECK(format_amount(-123456) == "-1234.56");
  CHECK(format_amount(100000000000) == "1000000000.00");
}

TEST_CASE("M3: percentages round to the cent half away from zero", "[money][M3]") {
  static const struct {
    Cents amount;
    std::int64_t bp;
    Cents expected;
  } cases[] = {
      {15, 2000, 3},        // 0.15 x 20 % = 0.030 -> 0.03
      {125, 2000, 25},      // 1.25 x 20 % = 0.25
      {2, 2500, 1},         // 0.02 x 25 % = 0.005 -> 0.01 (half up)
      {-2, 2500, -1},       // -0.005 -> -0.01 (half away from zero)
      {1, 2000, 0},         // 0.002 -> 0.00
      {122880, 200, 2458},  // 1228.80 x 2 % = 24.576 -> 24.58
      {99999, 5000, 50000}, // 999.99 x 50 % = 499.995 -> 500.00
  };
  for (const auto& c : cases) {
    INFO(c.amount << " x " << c.bp << " bp");
    CHECK(apply_rate(c.amount, Rate{c.bp}) == c.expected);
  }
}

TEST_CASE("M3: no overflow on the largest amounts", "[money][M3]") {
  CHECK(apply_rate(kMaxAmount, percent(100)) == kMaxAmount);
  CHECK(mul_div_round(kMaxAmount, 36500, 365) == kMaxAmount * 100);
}

TEST_CASE("rates and quantities parse strictly", "[money]") {
  CHECK(parse_rate("20").bp == 2000);
  CHECK(parse_rate("5,5").bp == 550);
  CHECK(parse_rate("0").bp == 0);
  CHECK_THROWS_AS(parse_rate("100.01"), Error);
  CHECK_THROWS_AS(parse_rate("20%"), Error);
  CHECK(parse_quantity("1.5") == 150);
  CHECK_THROWS_AS(parse_quantity("0"), Error);
  CHECK(format_quantity(150) == "1.5");
  CHECK(format_quantity(125) == "1.25");
  CHECK(format_quantity(300) == "3");
  CHECK(parse_count("010", "n", 100) == 10);  // decimal, never octal
  CHECK_THROWS_AS(parse_count("0x0C", "n", 100), Error);
}

TEST_CASE("Counts and ids at the int64 limit: no overflow wraps to a small id", "[money]") {
  // 18446744073709551617 = 2^64 + 1: with a wrapping multiply it read as 1 and
  // `payment reverse` reversed payment 1 (issue 17).
  constexpr std::int64_t kMax = INT64_MAX;  // 9223372036854775807
  CHECK(parse_count("9223372036854775807", "id", kMax) == kMax);
  for (const char* text : {"9223372036854775808", "18446744073709551617", "18446744073709551616",
                           "99999999999999999999999", "92233720368547758070"})
    CHECK_THROWS_AS(parse_count(text, "id", kMax), Error);
  CHECK(parse_count("3600000", "ms", 3'600'000) == 3'600'000);
  CHECK_THROWS_AS(parse_count("3600001", "ms", 3'600'000), Error);
  CHECK_THROWS_AS(parse_amount("92233720368547758.08"), Error);
}
