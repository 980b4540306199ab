// Closed months: nothing dated in or before a locked month changes.
#include "tally/period_lock.hpp"

#include "tally/errors.hpp"

namespace tally {

void check_open_period(Date d, const std::optional<std::string>& locked_through, std::string_view what) {
  if (locked_through && format_month(d) <= *locked_through)
    throw refused("lock", "{} dated {} refused: month {} is locked (nothing dated in or before it can change)", what,
                  format_date(d), *locked_through);
}

void check_lockable(Date month, Date as_of) {
  if (as_of <= month_last(month))
    throw refused("lock", "month {} cannot be locked on {}: it has not ended (lock it from {} on)",
                  format_month(month), format_date(as_of), format_date(month_last(month) + date::days{1}));
}

void check_import_open(std::string_view source, std::size_t count, const std::string& locked_through,
                       std::string_view lines) {
  if (count > 0)
    throw refused("lock", "{}: {} new line(s) dated in or before the locked month {}, nothing recorded: {}", source,
                  count, locked_through, lines);
}

}  // namespace tally
