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

// The page: a heading with the month's state (locked, complete), the chart of
// r.aging.total, one bar (an SVG rect of class "bar" with data-bucket and
// data-amount) per bucket with heights proportional to the amounts, then
// `tables` (the close's figures, as the table format shows them), numbers
// right-aligned. `as_of` is the business date it was made on.
// `anchor`: the journal's last event as ID:HASH ("" for none).
std::string close_html(const CloseReport& r, const std::vector<Table>& tables, Date as_of,
                       const std::string& anchor);

}  // namespace tally::cli
