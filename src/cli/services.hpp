// The bridge from invoice create --item to the services grid (D1-D3), so that
// a quote and its invoice go through the same functions.
#pragma once

#include "cli/cli.hpp"

namespace tally::cli {

// The invoice line for `qty` (hundredths) of grid item `code`, priced by the
// same rules as `tally quote`. Throws Error(usage) for an unknown code.
InvoiceLine grid_line(Context& ctx, const std::string& code, std::int64_t qty, bool urgent, bool roadmap, Rate vat,
                      Date date);

}  // namespace tally::cli
