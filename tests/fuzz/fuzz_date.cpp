// libFuzzer target: the date and month parsers and L2's month arithmetic. Any
// input either parses or throws tally::Error(usage); a parsed date formats
// back to the same text; add_months and months_between agree.
#include <cstdint>
#include <cstdlib>
#include <string>

#include "tally/calendar.hpp"
#include "tally/errors.hpp"

namespace {

void require(bool ok) {
  if (!ok) std::abort();
}

void date_text(const std::string& text) {
  tally::Date d;
  try {
    d = tally::parse_date(text);
  } catch (const tally::Error& e) {
    require(e.code() == tally::ExitCode::usage);
    return;
  }
  require(tally::format_date(d) == text);  // strict ISO: one spelling per day
  // L2: n months later is n whole months later, and the day before is not.
  for (int n : {1, 2, 6, 12}) {
    const tally::Date later = tally::add_months(d, n);
    require(later > d);
    require(tally::months_between(d, later) == n);
    require(tally::months_between(d, later - date::days{1}) == n - 1);
  }
}

void month_text(const std::string& text) {
  try {
    const tally::Date m = tally::parse_month(text);
    require(tally::format_month(m) == text);
    require(tally::month_first(m) == m && tally::month_last(m) >= m);
  } catch (const tally::Error& e) {
    require(e.code() == tally::ExitCode::usage);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  date_text(text);
  month_text(text);
  return 0;
}
