// The bridge from invoice create --item to the services grid (D1-D3), so that
// a quote and its invoice go through the same functions.
#pragma once

#include "cli/cli.hpp"
#include "tally/services.hpp"

namespace tally::cli {

// D3: the grid `source` names: "builtin" (compiled in) or a CSV file, which
// must be a readable regular file. Throws Error(not_found) for a file that
// cannot be read, Error(usage) for a malformed grid.
ServicesGrid read_grid(const std::string& source);

// The invoice line for `qty` (hundredths) of grid item `code`, priced by the
// same rules as `tally quote`. Throws Error(usage) for an unknown code.
InvoiceLine grid_line(Context& ctx, const std::string& code, std::int64_t qty, bool urgent, bool roadmap, Rate vat,
                      Date date);

}  // namespace tally::cli
