// Professional services (D1-D3): the services grid as data, and the prices of
// feature requests and interventions as pure functions. Reading a grid file is
// the caller's job: these functions take its text.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "tally/billing.hpp"
#include "tally/money.hpp"
#include "tally/policy.hpp"

namespace tally {

// D3: one line of the grid.
struct GridItem {
  std::string code;    // [a-z0-9][a-z0-9-]*, unique in its grid
  std::string label;   // what the customer reads on the invoice line
  std::string unit;    // hour, day or request
  Cents price_ht = 0;  // per unit, excl. VAT
};

// D3: a parsed grid.
struct ServicesGrid {
  std::string source;           // "builtin" or the file path, as named in errors and output
  std::vector<GridItem> items;  // in file order
  bool example_prices = false;  // true when a comment line starts with "# EXAMPLE PRICES"

  // The item with that code, or nullptr.
  const GridItem* find(std::string_view code) const;
};

// D1: the grid code of feature development, priced per day.
inline constexpr std::string_view kFeatureDay = "feature-day";
// D2: the intervention type of a bug blocking the use of the platform: never
// billed, so it has no grid line (a grid may not define it).
inline constexpr std::string_view kBlockingBug = "blocking-bug";

// D3: parses a grid. Accepted: an optional UTF-8 BOM; blank lines and lines
// starting with '#' anywhere; the header `code,label,unit,price_ht`; then one
// item per line. Fields are separated by ',' and may be double-quoted (RFC 4180,
// "" for a quote, on one line); LF or CRLF line ends.
// Throws Error(usage) "grid SOURCE line N: REASON" for another header (the
// line is not quoted: the file may be anything but a grid), a
// column count other than 4, an empty, malformed, reserved or
// duplicate code, an empty label, a unit other than hour/day/request, a price
// parse_amount refuses, a malformed quoted field; "grid SOURCE: empty" without
// a header, "grid SOURCE: no items" when no item follows it.
ServicesGrid parse_services_grid(std::string_view text, std::string source);

// D3: the text of data/services-grid.csv as shipped (example prices), compiled
// into libtally so an installed binary needs no data file.
std::string_view builtin_services_grid();

// A priced request: what `tally quote` shows and `invoice create --item` bills.
struct Quote {
  GridItem item;           // the grid line priced (blocking-bug: a line at 0.00)
  std::int64_t qty = 100;  // hundredths of item.unit
  bool roadmap = false;
  bool urgent = false;
  Cents gross_ht = 0;      // qty x item.price_ht, rounded half away from zero (M3)
  Rate discount;           // the share of gross_ht not billed: 0, the urgent discount or 100 %
  Decision decision;       // amount: HT billed; rule: "D1" or "D2"; why: the case that applied
};

// D1: a feature request of `days` (hundredths) of the grid's feature-day item.
// On the roadmap and not urgent: free (discount 100 %). On the roadmap and
// urgent: policy.urgent_discount off gross_ht, the discount rounded to the cent
// (M3). Not on the roadmap: gross_ht, urgent or not.
// Throws Error(usage) when the grid has no feature-day item.
Quote quote_feature(const ServicesGrid& grid, std::int64_t days, bool roadmap, bool urgent, const Policy& policy);

// D2: an intervention of `type` for `qty` (hundredths) units. blocking-bug is
// never billed, urgent or not. Any other grid code but feature-day is billed at
// its grid price, urgent or not (the grid's urgent-intervention line prices an
// urgent intervention of no listed type).
// Throws Error(usage) for feature-day (a feature: quote_feature) and for a code
// not in the grid, naming intervention_types(grid).
Quote quote_intervention(const ServicesGrid& grid, std::string_view type, std::int64_t qty, bool urgent);

// D1 or D2 by grid code: feature-day goes to quote_feature, anything else to
// quote_intervention (roadmap is then irrelevant). The one pricing entry point
// of `invoice create --item`, so a quote and its invoice cannot disagree.
// Throws Error(usage) for an unknown code, naming every accepted code.
Quote quote_item(const ServicesGrid& grid, std::string_view code, std::int64_t qty, bool roadmap, bool urgent,
                 const Policy& policy);

// The invoice line billing a quote at `vat`: the grid code and label, qty, the
// grid unit price, amount_ht = the quote's amount, its rule (D1/D2); the
// description says why (a discount shows there, not in unit_ht).
InvoiceLine invoice_line(const Quote& quote, Rate vat);

// The intervention types a grid accepts, for messages and --help: its codes
// but feature-day, then blocking-bug ("a, b or c").
std::string intervention_types(const ServicesGrid& grid);

}  // namespace tally
