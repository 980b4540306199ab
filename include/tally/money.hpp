// Money and rates as exact integers (rule M1): no binary floating point.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace tally {

// An amount in euro cents. 1234.56 EUR is 123456.
using Cents = std::int64_t;

// The largest amount accepted as input: 1,000,000,000.00 EUR (M1).
inline constexpr Cents kMaxAmount = 100'000'000'000;

// A percentage in basis points (hundredths of a percent): 20 % is 2000.
struct Rate {
  std::int64_t bp = 0;
  friend constexpr bool operator==(Rate, Rate) = default;
  friend constexpr auto operator<=>(Rate, Rate) = default;
};

inline constexpr Rate percent(std::int64_t whole) { return Rate{whole * 100}; }

// Parses an amount written by a person (M1): "1234", "1234.5", "1234.56",
// "1234,56". Rejects more than two decimals, thousands separators, signs (unless
// allow_negative, then a leading '-' is accepted), exponents, spaces, empty
// text and values above kMaxAmount. Throws Error(usage) naming the value.
Cents parse_amount(std::string_view text, bool allow_negative = false);

// Formats cents as "-1234.56": '.' decimals, exactly two, no separators.
std::string format_amount(Cents amount);

// Parses a percentage "20", "5.5", "2,25" (at most two decimals, 0..100).
// Throws Error(usage) naming the value.
Rate parse_rate(std::string_view text);

// Formats a rate as "20.00".
std::string format_rate(Rate rate);

// a * num / den rounded to the nearest integer, half away from zero (M3),
// computed in 128-bit so no intermediate product can overflow.
// REQUIRES: den > 0.
std::int64_t mul_div_round(std::int64_t a, std::int64_t num, std::int64_t den);

// The rate applied to an amount, rounded to the cent half away from zero (M3).
inline Cents apply_rate(Cents amount, Rate rate) { return mul_div_round(amount, rate.bp, 10'000); }

// Parses a quantity such as "3", "1.5" or "0,25" into hundredths (150 for 1.5);
// positive, at most two decimals, at most 1,000,000. Throws Error(usage).
std::int64_t parse_quantity(std::string_view text);

// Formats hundredths of a unit: 150 -> "1.5", 300 -> "3", 125 -> "1.25".
std::string format_quantity(std::int64_t hundredths);

// Parses a non-negative decimal integer strictly: digits only, no sign, no
// "0x", no leading '+', at most max. Throws Error(usage) naming what.
std::int64_t parse_count(std::string_view text, std::string_view what, std::int64_t max);

}  // namespace tally
