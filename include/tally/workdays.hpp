// U1: working days (Monday to Friday except French public holidays) and the
// update targets of bug fixes, evolutions and new features. Pure, no I/O.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "tally/calendar.hpp"
#include "tally/policy.hpp"

namespace tally {

// A public holiday: its day and its name. When two holidays fall on one day
// (Ascension on 1 or 8 May), the name joins both: "Labour Day / Ascension Day".
struct Holiday {
  Date date;
  std::string name;
  friend bool operator==(const Holiday&, const Holiday&) = default;
};

// Easter Sunday of a Gregorian year, by the anonymous Gregorian algorithm
// (Meeus/Jones/Butcher). REQUIRES: year >= 1583.
Date easter_sunday(int year);

// U1: the French public holidays of `year`, ordered by date, one entry per day:
// 1 January, Easter Monday (Easter + 1), 1 May, 8 May, Ascension (Easter + 39),
// Whit Monday (Easter + 50), 14 July, 15 August, 1 November, 11 November,
// 25 December. 11 entries, 10 in a year where Ascension falls on 1 or 8 May.
std::vector<Holiday> french_holidays(int year);

// U1: true for Monday to Friday when not a French public holiday.
bool is_working_day(Date d);

// The result of counting working days forward from a day.
struct WorkingDays {
  Date target;                            // the n-th working day strictly after `from` (`from` when n is 0)
  std::vector<Holiday> holidays_skipped;  // holidays on Monday..Friday in (from, target], in order
  int weekend_days_skipped = 0;           // Saturdays and Sundays in (from, target]
};

// U1: counts n working days after `from`, `from` itself not counted: target -
// from = n + weekend_days_skipped + holidays_skipped.size() days.
// REQUIRES: n >= 0.
WorkingDays add_working_days(Date from, int n);

// U1: the kinds of update.
enum class UpdateType { bug, evolution, feature };

std::string_view to_string(UpdateType t);
// Parses bug|evolution|feature. Throws Error(usage) naming the accepted values.
UpdateType parse_update_type(std::string_view text);

// U1: when an update ships.
struct SlaTarget {
  UpdateType type = UpdateType::bug;
  Date from;
  Date target;
  std::optional<int> working_days;        // bug: 0; evolution: the policy's count; feature: none
  std::vector<Holiday> holidays_skipped;  // evolution only, as add_working_days
  int weekend_days_skipped = 0;           // evolution only, as add_working_days
  std::string rule = "U1";
  std::string why;
};

// U1: the target of an update requested (bug: resolved) on `from`.
// bug: `from` itself, the day it is resolved.
// evolution: add_working_days(from, policy.evolution_working_days), the last
// day it may ship ("within").
// feature: add_months(from, policy.feature_min_months) (L2 clamping), the
// earliest day it may ship ("no earlier than").
SlaTarget sla_target(UpdateType type, Date from, const Policy& policy);

}  // namespace tally
