// Closed months (the month-end close): whether a write dated `d` may still
// change the books, and whether a month may be locked. Pure decisions on the
// last locked month the ledger reads first; Error(refused, "lock"). No I/O.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "tally/calendar.hpp"

namespace tally {

// A write of `what` dated `d` is refused when its month is `locked_through`
// (YYYY-MM, the last locked month) or before it.
void check_open_period(Date d, const std::optional<std::string>& locked_through, std::string_view what);

// A month may be locked once it has ended: on `as_of` after its last day.
void check_lockable(Date month, Date as_of);

// An import refuses all of a statement when `count` of its new lines are
// dated in or before the locked month `locked_through` (`lines` names them).
void check_import_open(std::string_view source, std::size_t count, const std::string& locked_through,
                       std::string_view lines);

}  // namespace tally
