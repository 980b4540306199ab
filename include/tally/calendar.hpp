// Dates and calendar arithmetic of the policy (rule L2's month counting).
#pragma once

#include <string>
#include <string_view>

#include <date/date.h>

namespace tally {

// A calendar day. Arithmetic in days is plain: d + date::days{30}.
using Date = date::sys_days;

// Parses a strict ISO date "YYYY-MM-DD" (a real day, years 1900..9999).
// Throws Error(usage) naming the value and the accepted form.
Date parse_date(std::string_view text);

// Formats "YYYY-MM-DD".
std::string format_date(Date d);

// Today in local time.
Date today_local();

// d plus n calendar months, clamped to the end of the month (L2):
// 31 January + 1 month = 28 (or 29) February.
Date add_months(Date d, int months);

// The number of whole calendar months from `from` to `to` (L2): the largest n
// with add_months(from, n) <= to; 0 when to <= from.
int months_between(Date from, Date to);

// The number of days from `from` to `to` (negative when to < from).
inline int days_between(Date from, Date to) { return static_cast<int>((to - from).count()); }

// First and last day of the month holding d.
Date month_first(Date d);
Date month_last(Date d);

// Parses "YYYY-MM" into the first day of that month. Throws Error(usage).
Date parse_month(std::string_view text);
// Formats the month of d as "YYYY-MM".
std::string format_month(Date d);

int year_of(Date d);

}  // namespace tally
