// D1-D3: parsing the professional services grid and pricing feature requests
// and interventions.
#include "tally/services.hpp"

#include <map>

#include "tally/errors.hpp"

namespace tally {
namespace {

constexpr std::string_view kHeader = "code,label,unit,price_ht";
constexpr std::string_view kExampleMarker = "# EXAMPLE PRICES";

// A malformed grid: the file, the line and the reason.
template <typename... Args>
Error grid_error(const std::string& source, int line, fmt::format_string<Args...> f, Args&&... args) {
  return usage_error("grid {} line {}: {}", source, line, fmt::format(f, std::forward<Args>(args)...));
}

// Splits one CSV line into fields (RFC 4180 quoting, no line break inside a
// field). Returns false on an unterminated quote or text after a closing quote.
bool split_csv_line(std::string_view line, std::vector<std::string>& fields) {
  fields.assign(1, "");
  std::size_t i = 0;
  while (i < line.size()) {
    std::string& field = fields.back();
    if (line[i] == '"' && field.empty()) {
      ++i;
      for (;;) {
        if (i == line.size()) return false;
        if (line[i] == '"') {
          if (i + 1 < line.size() && line[i + 1] == '"') {
            field += '"';
            i += 2;
            continue;
          }
          ++i;
          break;
        }
        field += line[i++];
      }
      if (i < line.size() && line[i] != ',') return false;
    } else if (line[i] != ',') {
      field += line[i++];
      continue;
    }
    if (i < line.size()) {  // at a ','
      fields.emplace_back();
      ++i;
    }
  }
  return true;
}

bool valid_unit(std::string_view unit) { return unit == "hour" || unit == "day" || unit == "request"; }

// Checks the fields of an item line and returns the item.
GridItem parse_item(const std::vector<std::string>& f, const std::string& source, int line) {
  if (f.size() != 4)
    throw grid_error(source, line, "expected 4 columns ({}), got {}", kHeader, f.size());
  GridItem item{f[0], f[1], f[2], 0};
  if (item.code.empty()) throw grid_error(source, line, "empty code");
  if (!is_valid_code(item.code))
    throw grid_error(source, line, "invalid code '{}': expected lowercase letters, digits and '-' (64 at most)",
                     item.code);
  if (item.code == kBlockingBug)
    throw grid_error(source, line, "code '{}' is reserved: a bug blocking the platform is never billed (D2)",
                     item.code);
  if (item.label.empty()) throw grid_error(source, line, "empty label for code '{}'", item.code);
  if (!valid_unit(item.unit))
    throw grid_error(source, line, "invalid unit '{}': expected hour, day or request", item.unit);
  try {
    item.price_ht = parse_amount(f[3]);
  } catch (const Error&) {
    throw grid_error(source, line,
                     "invalid price_ht '{}': expected an amount in EUR excl. VAT, at most 2 decimals ('.' or ','), "
                     "no sign or thousands separator, at most 1000000000.00",
                     f[3]);
  }
  return item;
}

const GridItem& grid_item(const ServicesGrid& grid, std::string_view code, std::string_view accepted) {
  if (const GridItem* item = grid.find(code)) return *item;
  throw usage_error("unknown services grid code '{}' in grid {}: expected {}", code, grid.source, accepted);
}

Quote priced(const GridItem& item, std::int64_t qty, bool roadmap, bool urgent) {
  Quote q;
  q.item = item;
  q.qty = qty;
  q.roadmap = roadmap;
  q.urgent = urgent;
  q.gross_ht = line_amount(qty, item.price_ht);
  return q;
}

// Bills gross_ht less `discount` of it, the discount rounded to the cent (M3).
void bill(Quote& q, Rate discount, std::string rule, std::string why) {
  q.discount = discount;
  q.decision = Decision{q.gross_ht - apply_rate(q.gross_ht, discount), std::move(rule), std::move(why)};
}

}  // namespace

const GridItem* ServicesGrid::find(std::string_view code) const {
  for (const auto& item : items)
    if (item.code == code) return &item;
  return nullptr;
}

ServicesGrid parse_services_grid(std::string_view text, std::string source) {
  ServicesGrid grid;
  grid.source = std::move(source);
  if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);
  bool header_seen = false;
  std::map<std::string, int, std::less<>> first_line;  // code -> line it was defined on
  std::vector<std::string> fields;
  int number = 0;
  while (!text.empty()) {
    const std::size_t end = text.find('\n');
    std::string_view line = text.substr(0, end);
    text.remove_prefix(end == std::string_view::npos ? text.size() : end + 1);
    ++number;
    if (line.ends_with('\r')) line.remove_suffix(1);
    if (line.starts_with('#')) {
      if (line.starts_with(kExampleMarker)) grid.example_prices = true;
      continue;
    }
    if (line.find_first_not_of(" \t") == std::string_view::npos) continue;
    const bool split = split_csv_line(line, fields);
    if (!header_seen) {
      if (!split || fields != std::vector<std::string>{"code", "label", "unit", "price_ht"})
        // The line itself is never shown: a file that is not a grid (a path
        // mistyped, /etc/passwd) must not be echoed to the terminal.
        throw grid_error(grid.source, number,
                         "expected the header '{}' on the first line that is not blank or a comment: not a "
                         "services grid (the line is not shown)",
                         kHeader);
      header_seen = true;
      continue;
    }
    if (!split)
      throw grid_error(grid.source, number, "malformed quoted field (no closing quote, or text after it)");
    GridItem item = parse_item(fields, grid.source, number);
    if (const auto it = first_line.find(item.code); it != first_line.end())
      throw grid_error(grid.source, number, "duplicate code '{}' (first defined on line {})", item.code, it->second);
    first_line.emplace(item.code, number);
    grid.items.push_back(std::move(item));
  }
  if (!header_seen) throw usage_error("grid {}: empty (no header '{}')", grid.source, kHeader);
  if (grid.items.empty()) throw usage_error("grid {}: no items after the header '{}'", grid.source, kHeader);
  return grid;
}

Quote quote_feature(const ServicesGrid& grid, std::int64_t days, bool roadmap, bool urgent, const Policy& policy) {
  Quote q = priced(grid_item(grid, kFeatureDay, "a grid with a 'feature-day' line (D1)"), days, roadmap, urgent);
  if (roadmap && !urgent)
    bill(q, percent(100), "D1", "feature on the roadmap: free");
  else if (roadmap)
    bill(q, policy.urgent_discount, "D1",
         fmt::format("urgent feature on the roadmap: {} % discount on the grid price",
                     format_rate(policy.urgent_discount)));
  else
    bill(q, Rate{}, "D1",
         urgent ? "feature not on the roadmap: full grid price (urgency gives no discount)"
                : "feature not on the roadmap: full grid price");
  return q;
}

Quote quote_intervention(const ServicesGrid& grid, std::string_view type, std::int64_t qty, bool urgent) {
  if (type == kBlockingBug) {
    Quote q = priced(GridItem{std::string(kBlockingBug), "Intervention on a bug blocking the platform", "request", 0},
                     qty, false, urgent);
    bill(q, percent(100), "D2",
         urgent ? "bug blocking the use of the platform: never billed, even when urgent"
                : "bug blocking the use of the platform: never billed");
    return q;
  }
  if (type == kFeatureDay)
    throw usage_error("'{}' is feature development, priced by rule D1 by the day, not an intervention "
                      "(intervention types: {})",
                      type, intervention_types(grid))
        .with(Hint::quote_feature);
  Quote q = priced(grid_item(grid, type, intervention_types(grid)), qty, false, urgent);
  bill(q, Rate{}, "D2",
       urgent ? "urgent intervention: billed at grid price" : "billable intervention: billed at grid price");
  return q;
}

Quote quote_item(const ServicesGrid& grid, std::string_view code, std::int64_t qty, bool roadmap, bool urgent,
                 const Policy& policy) {
  if (code == kFeatureDay) return quote_feature(grid, qty, roadmap, urgent, policy);
  if (code != kBlockingBug && !grid.find(code))
    throw usage_error("unknown services grid code '{}' in grid {}: expected {}, {}", code, grid.source, kFeatureDay,
                      intervention_types(grid));
  return quote_intervention(grid, code, qty, urgent);
}

InvoiceLine invoice_line(const Quote& quote, Rate vat) {
  return InvoiceLine{fmt::format("{} ({})", quote.item.label, quote.decision.why),
                     quote.qty,
                     quote.item.price_ht,
                     quote.decision.amount,
                     vat,
                     quote.decision.rule,
                     quote.item.code};
}

std::string intervention_types(const ServicesGrid& grid) {
  std::vector<std::string_view> codes;
  for (const auto& item : grid.items)
    if (item.code != kFeatureDay) codes.push_back(item.code);
  codes.push_back(kBlockingBug);
  std::string out;
  for (std::size_t i = 0; i < codes.size(); ++i) {
    if (i > 0) out += i + 1 == codes.size() ? " or " : ", ";
    out += codes[i];
  }
  return out;
}

}  // namespace tally
