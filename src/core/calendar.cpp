// Calendar arithmetic (L2: calendar months with end-of-month clamping).
#include "tally/calendar.hpp"

#include <chrono>
#include <ctime>

#include "tally/errors.hpp"

namespace tally {
namespace {

bool digits(std::string_view s) {
  for (char c : s)
    if (c < '0' || c > '9') return false;
  return !s.empty();
}

int to_int(std::string_view s) {
  int v = 0;
  for (char c : s) v = v * 10 + (c - '0');
  return v;
}

}  // namespace

Date parse_date(std::string_view text) {
  if (text.size() == 10 && text[4] == '-' && text[7] == '-' && digits(text.substr(0, 4)) &&
      digits(text.substr(5, 2)) && digits(text.substr(8, 2))) {
    const int y = to_int(text.substr(0, 4));
    const auto ymd = date::year{y} / date::month{static_cast<unsigned>(to_int(text.substr(5, 2)))} /
                     date::day{static_cast<unsigned>(to_int(text.substr(8, 2)))};
    if (ymd.ok() && y >= 1900) return date::sys_days{ymd};
  }
  throw usage_error("invalid date '{}': expected a real day as YYYY-MM-DD (e.g. 2026-01-31)", text);
}

std::string format_date(Date d) {
  const date::year_month_day ymd{d};
  return fmt::format("{:04}-{:02}-{:02}", static_cast<int>(ymd.year()),
                     static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
}

Date today_local() {
  const std::time_t now = std::time(nullptr);
  std::tm local{};
  localtime_r(&now, &local);
  return date::sys_days{date::year{local.tm_year + 1900} /
                        date::month{static_cast<unsigned>(local.tm_mon + 1)} /
                        date::day{static_cast<unsigned>(local.tm_mday)}};
}

Date add_months(Date d, int months) {
  const date::year_month_day ymd{d};
  const date::year_month ym = date::year_month{ymd.year(), ymd.month()} + date::months{months};
  const date::year_month_day_last last{ym.year(), date::month_day_last{ym.month()}};
  const date::day day = ymd.day() <= last.day() ? ymd.day() : last.day();
  return date::sys_days{ym.year() / ym.month() / day};
}

int months_between(Date from, Date to) {
  if (to <= from) return 0;
  const date::year_month_day a{from}, b{to};
  int n = (static_cast<int>(b.year()) - static_cast<int>(a.year())) * 12 +
          (static_cast<int>(static_cast<unsigned>(b.month())) -
           static_cast<int>(static_cast<unsigned>(a.month())));
  while (n > 0 && add_months(from, n) > to) --n;
  return n;
}

Date month_first(Date d) {
  const date::year_month_day ymd{d};
  return date::sys_days{ymd.year() / ymd.month() / 1};
}

Date month_last(Date d) {
  const date::year_month_day ymd{d};
  return date::sys_days{date::year_month_day_last{ymd.year(), date::month_day_last{ymd.month()}}};
}

Date parse_month(std::string_view text) {
  if (text.size() == 7 && text[4] == '-' && digits(text.substr(0, 4)) && digits(text.substr(5, 2))) {
    const int y = to_int(text.substr(0, 4));
    const int m = to_int(text.substr(5, 2));
    if (y >= 1900 && m >= 1 && m <= 12)
      return date::sys_days{date::year{y} / date::month{static_cast<unsigned>(m)} / 1};
  }
  throw usage_error("invalid month '{}': expected YYYY-MM (e.g. 2026-01)", text);
}

std::string format_month(Date d) { return format_date(d).substr(0, 7); }

int year_of(Date d) { return static_cast<int>(date::year_month_day{d}.year()); }

}  // namespace tally
