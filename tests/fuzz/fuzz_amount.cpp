// libFuzzer target: the amount, rate and quantity parsers (M1). Any input either
// parses or throws tally::Error(usage); what parses formats back to itself.
#include <cstdint>
#include <cstdlib>
#include <string>

#include "tally/errors.hpp"
#include "tally/money.hpp"

namespace {

void require(bool ok) {
  if (!ok) std::abort();  // an invariant broke: libFuzzer (or the replay) reports the input
}

void amount(const std::string& text, bool allow_negative) {
  tally::Cents c = 0;
  try {
    c = tally::parse_amount(text, allow_negative);
  } catch (const tally::Error& e) {
    require(e.code() == tally::ExitCode::usage);
    return;
  }
  require(c <= tally::kMaxAmount && c >= -tally::kMaxAmount);
  require(allow_negative || c >= 0);
  // format_amount is canonical: it parses back to the same cents.
  require(tally::parse_amount(tally::format_amount(c), true) == c);
}

void rate(const std::string& text) {
  try {
    const tally::Rate r = tally::parse_rate(text);
    require(r.bp >= 0 && r.bp <= 10'000);
    require(tally::parse_rate(tally::format_rate(r)) == r);
  } catch (const tally::Error& e) {
    require(e.code() == tally::ExitCode::usage);
  }
}

void quantity(const std::string& text) {
  try {
    const std::int64_t q = tally::parse_quantity(text);
    require(q > 0 && q <= 100'000'000);
    require(tally::parse_quantity(tally::format_quantity(q)) == q);
  } catch (const tally::Error& e) {
    require(e.code() == tally::ExitCode::usage);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  amount(text, false);
  amount(text, true);
  rate(text);
  quantity(text);
  return 0;
}
