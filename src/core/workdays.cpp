// U1: Easter, French public holidays, working days and update targets.
#include "tally/workdays.hpp"

#include <algorithm>
#include <map>

#include "tally/errors.hpp"

namespace tally {
namespace {

Date ymd(int y, unsigned m, unsigned d) { return date::sys_days{date::year{y} / date::month{m} / date::day{d}}; }

bool weekend(Date d) {
  const date::weekday w{d};
  return w == date::Saturday || w == date::Sunday;
}

// The holiday on day d, or nullptr. `cache` holds the holidays of each year seen.
const Holiday* holiday_on(Date d, std::map<int, std::vector<Holiday>>& cache) {
  const int y = year_of(d);
  auto it = cache.find(y);
  if (it == cache.end()) it = cache.emplace(y, french_holidays(y)).first;
  for (const auto& h : it->second)
    if (h.date == d) return &h;
  return nullptr;
}

}  // namespace

Date easter_sunday(int year) {
  const int a = year % 19, b = year / 100, c = year % 100;
  const int d = b / 4, e = b % 4;
  const int f = (b + 8) / 25, g = (b - f + 1) / 3;
  const int h = (19 * a + b - d - g + 15) % 30;
  const int i = c / 4, k = c % 4;
  const int l = (32 + 2 * e + 2 * i - h - k) % 7;
  const int m = (a + 11 * h + 22 * l) / 451;
  const int month = (h + l - 7 * m + 114) / 31;
  const int day = (h + l - 7 * m + 114) % 31 + 1;
  return ymd(year, static_cast<unsigned>(month), static_cast<unsigned>(day));
}

std::vector<Holiday> french_holidays(int year) {
  const Date easter = easter_sunday(year);
  std::vector<Holiday> all = {
      {ymd(year, 1, 1), "New Year's Day"},
      {easter + date::days{1}, "Easter Monday"},
      {ymd(year, 5, 1), "Labour Day"},
      {ymd(year, 5, 8), "Victory in Europe Day"},
      {easter + date::days{39}, "Ascension Day"},
      {easter + date::days{50}, "Whit Monday"},
      {ymd(year, 7, 14), "Bastille Day"},
      {ymd(year, 8, 15), "Assumption Day"},
      {ymd(year, 11, 1), "All Saints' Day"},
      {ymd(year, 11, 11), "Armistice Day"},
      {ymd(year, 12, 25), "Christmas Day"},
  };
  std::stable_sort(all.begin(), all.end(), [](const Holiday& x, const Holiday& y) { return x.date < y.date; });
  std::vector<Holiday> out;
  for (auto& h : all) {
    if (!out.empty() && out.back().date == h.date) out.back().name += " / " + h.name;
    else out.push_back(std::move(h));
  }
  return out;
}

bool is_working_day(Date d) {
  if (weekend(d)) return false;
  std::map<int, std::vector<Holiday>> cache;
  return holiday_on(d, cache) == nullptr;
}

WorkingDays add_working_days(Date from, int n) {
  WorkingDays w{from, {}, 0};
  std::map<int, std::vector<Holiday>> cache;
  for (int counted = 0; counted < n;) {
    w.target += date::days{1};
    if (weekend(w.target)) ++w.weekend_days_skipped;
    else if (const Holiday* h = holiday_on(w.target, cache)) w.holidays_skipped.push_back(*h);
    else ++counted;
  }
  return w;
}

std::string_view to_string(UpdateType t) {
  switch (t) {
    case UpdateType::bug: return "bug";
    case UpdateType::evolution: return "evolution";
    case UpdateType::feature: return "feature";
  }
  return "?";
}

UpdateType parse_update_type(std::string_view text) {
  for (auto t : {UpdateType::bug, UpdateType::evolution, UpdateType::feature})
    if (to_string(t) == text) return t;
  throw usage_error("invalid update type '{}': expected bug, evolution or feature", text);
}

SlaTarget sla_target(UpdateType type, Date from, const Policy& policy) {
  SlaTarget s;
  s.type = type;
  s.from = from;
  switch (type) {
    case UpdateType::bug:
      s.target = from;
      s.working_days = 0;
      s.why = "a bug fix ships on the day it is resolved";
      break;
    case UpdateType::evolution: {
      WorkingDays w = add_working_days(from, policy.evolution_working_days);
      s.target = w.target;
      s.working_days = policy.evolution_working_days;
      s.holidays_skipped = std::move(w.holidays_skipped);
      s.weekend_days_skipped = w.weekend_days_skipped;
      s.why = fmt::format(
          "an evolution ships within {} working days (Monday to Friday, French public holidays excluded), "
          "counted from the day after {}",
          policy.evolution_working_days, format_date(from));
      break;
    }
    case UpdateType::feature:
      s.target = add_months(from, policy.feature_min_months);
      s.why = fmt::format("a new feature ships no earlier than {} calendar month(s) after {}, per the roadmap",
                          policy.feature_min_months, format_date(from));
      break;
  }
  return s;
}

}  // namespace tally
