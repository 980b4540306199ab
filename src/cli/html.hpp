// The month-end close as one self-contained HTML page (report close --format
// html): inline CSS and an inline SVG bar chart of the aging buckets, no script
// and nothing fetched from the network.
#pragma once

#include <string>
#include <string_view>

#include "cli/cli.hpp"
#include "tally/reports.hpp"
#include "tally/text.hpp"  // html_escape

namespace tally::cli {

// When and by what a close pack was made, and the journal anchor it keeps.
struct CloseStamp {
  std::string generated_at;  // UTC, ISO 8601
  std::string version;       // tally's
  std::string anchor;        // the journal's last event as ID:HASH ("" for none)
};

// The page: a heading with the month's state (locked, complete), two charts
// side by side: r.aging.total (an SVG rect of class "bar" with data-bucket and
// data-amount per bucket) and the cash received by month over the last 12
// months (class "cash-bar" with data-month and data-amount, the net of each
// month; a month with a net below 0 draws no bar), heights proportional to
// the amounts; then `tables` (the close's figures, as the table format shows
// them), numbers right-aligned; the journal anchor, the time and version, and
// a sign-off block. `fr`: French labels (the default of --format html).
// `as_of` is the business date it was made on.
std::string close_html(const CloseReport& r, const std::vector<Table>& tables, Date as_of, const CloseStamp& stamp,
                       bool fr);

}  // namespace tally::cli
