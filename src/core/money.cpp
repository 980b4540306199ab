// M1, M3: exact money parsing, formatting and rounding.
#include "tally/money.hpp"

#include <cstdlib>

#include "tally/errors.hpp"

namespace tally {
namespace {

// A 128-bit integer for exact products of two int64 (a GNU extension: g++ and
// clang; __extension__ keeps -Wpedantic quiet about it).
__extension__ typedef __int128 i128;

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// Parses "digits[.|,digits]" with at most max_decimals decimals into an integer
// scaled by 10^scale. Returns false on any other form.
bool parse_decimal(std::string_view s, int scale, std::int64_t limit, std::int64_t& out) {
  if (s.empty()) return false;
  std::size_t i = 0;
  std::int64_t whole = 0;
  std::size_t digits = 0;
  while (i < s.size() && is_digit(s[i])) {
    const int d = s[i] - '0';
    if (whole > (limit - d) / 10) return false;  // whole * 10 + d > limit, tested without overflow
    whole = whole * 10 + d;
    ++i;
    ++digits;
  }
  if (digits == 0) return false;
  std::int64_t frac = 0;
  int frac_digits = 0;
  if (i < s.size()) {
    if (s[i] != '.' && s[i] != ',') return false;
    ++i;
    if (i == s.size()) return false;  // "12." is not an amount
    while (i < s.size()) {
      if (!is_digit(s[i]) || frac_digits == scale) return false;
      frac = frac * 10 + (s[i] - '0');
      ++frac_digits;
      ++i;
    }
  }
  for (int k = frac_digits; k < scale; ++k) frac *= 10;
  std::int64_t factor = 1;
  for (int k = 0; k < scale; ++k) factor *= 10;
  out = whole * factor + frac;
  return out <= limit * factor;
}

}  // namespace

Cents parse_amount(std::string_view text, bool allow_negative) {
  std::string_view s = text;
  bool negative = false;
  if (allow_negative && !s.empty() && s.front() == '-') {
    negative = true;
    s.remove_prefix(1);
  }
  Cents value = 0;
  if (!parse_decimal(s, 2, kMaxAmount / 100, value) || value > kMaxAmount) {
    throw usage_error(
        "invalid amount '{}': expected {}digits with at most 2 decimals ('.' or ','), "
        "no thousands separator, at most 1000000000.00",
        text, allow_negative ? "an optional '-' then " : "");
  }
  return negative ? -value : value;
}

std::string format_amount(Cents amount) {
  const bool negative = amount < 0;
  // Work in unsigned to format INT64_MIN safely.
  unsigned long long v = negative ? 0ULL - static_cast<unsigned long long>(amount)
                                  : static_cast<unsigned long long>(amount);
  return fmt::format("{}{}.{:02}", negative ? "-" : "", v / 100, v % 100);
}

Rate parse_rate(std::string_view text) {
  std::int64_t bp = 0;
  if (!parse_decimal(text, 2, 100, bp) || bp > 10'000) {
    throw usage_error("invalid percentage '{}': expected a number from 0 to 100 with at most 2 "
                      "decimals, without '%' (e.g. 20 or 5.5)",
                      text);
  }
  return Rate{bp};
}

std::string format_rate(Rate rate) { return format_amount(rate.bp); }

std::int64_t mul_div_round(std::int64_t a, std::int64_t num, std::int64_t den) {
  i128 p = static_cast<i128>(a) * num;
  const bool negative = p < 0;
  if (negative) p = -p;
  i128 q = p / den;
  const i128 r = p % den;
  if (2 * r >= den) ++q;  // half away from zero (M3)
  return static_cast<std::int64_t>(negative ? -q : q);
}

std::int64_t parse_quantity(std::string_view text) {
  std::int64_t q = 0;
  if (!parse_decimal(text, 2, 1'000'000, q) || q == 0) {
    throw usage_error("invalid quantity '{}': expected a positive number with at most 2 decimals, "
                      "at most 1000000 (e.g. 3 or 1.5)",
                      text);
  }
  return q;
}

std::string format_quantity(std::int64_t hundredths) {
  if (hundredths % 100 == 0) return fmt::format("{}", hundredths / 100);
  if (hundredths % 10 == 0) return fmt::format("{}.{}", hundredths / 100, (hundredths % 100) / 10);
  return fmt::format("{}.{:02}", hundredths / 100, hundredths % 100);
}

std::int64_t parse_count(std::string_view text, std::string_view what, std::int64_t max) {
  std::int64_t v = 0;
  if (!parse_decimal(text, 0, max, v) || v > max) {
    throw usage_error("invalid {} '{}': expected a whole number from 0 to {}", what, text, max);
  }
  return v;
}

}  // namespace tally
