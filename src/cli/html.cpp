// The self-contained HTML page of the month-end close (see html.hpp).
#include "cli/html.hpp"

#include <algorithm>

#include <fmt/format.h>

namespace tally::cli {
namespace {

constexpr const char* kStyle = R"css(
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; margin: 2rem auto; max-width: 60rem;
       padding: 0 1rem; color: #1d2329; background: #fff; }
h1 { font-size: 1.6rem; margin-bottom: .2rem; }
h2 { font-size: 1.15rem; margin: 2rem 0 .5rem; border-bottom: 1px solid #d8dde3; padding-bottom: .2rem; }
p.state { margin: .2rem 0; color: #4a5560; }
.badge { display: inline-block; padding: .1rem .5rem; border-radius: .7rem; font-size: .85rem; font-weight: 600; }
.badge.ok { background: #dcf1e3; color: #1e6b3a; }
.badge.warn { background: #fdecd2; color: #8a4b00; }
table { border-collapse: collapse; width: 100%; font-size: .92rem; }
th, td { padding: .3rem .6rem; border-bottom: 1px solid #eceff2; text-align: left; }
th { background: #f5f7f9; font-weight: 600; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
tr.total td { font-weight: 700; border-top: 2px solid #c9d0d7; }
svg.chart { width: 100%; max-width: 40rem; height: auto; display: block; margin: .5rem 0 1rem; }
svg.chart text { font-size: 12px; fill: #1d2329; }
footer { margin-top: 2rem; font-size: .8rem; color: #6b7680; }
@media print { body { margin: 0; } h2 { break-after: avoid; } }
)css";

// Bucket colours from not due (green) to 6 months and more (dark red).
constexpr const char* kColours[] = {"#4c9a6a", "#e3b341", "#e08a2e", "#d0532e", "#9e1c1c"};
constexpr const char* kLabels[] = {"not due", "0-1 month", "1-2 months", "2-6 months", "6+ months"};

bool numeric(const std::string& s) { return is_plain_number(s); }

// The aging chart: a bar per bucket, the tallest 180 units high.
std::string chart(const AgingAmounts& total) {
  constexpr int kBase = 230, kTall = 180, kStep = 110, kWidth = 80, kLeft = 40;
  Cents max = 0;
  for (Cents c : total.by_bucket) max = std::max(max, c);
  std::string svg = fmt::format(
      R"(<svg class="chart" id="aging-chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {} 270" role="img" )"
      R"(aria-label="Balances by months late">)"
      "\n",
      kLeft * 2 + kStep * 5);
  for (std::size_t b = 0; b < kAgingBuckets.size(); ++b) {
    const Cents amount = total.by_bucket[b];
    const auto height = max > 0 ? static_cast<int>(mul_div_round(amount, kTall, max)) : 0;
    const int x = kLeft + static_cast<int>(b) * kStep;
    const std::string key(to_string(kAgingBuckets[b]));
    svg += fmt::format(
        R"(<rect class="bar" data-bucket="{}" data-amount="{}" x="{}" y="{}" width="{}" height="{}" fill="{}">)"
        R"(<title>{}: {}</title></rect>)"
        "\n",
        key, format_amount(amount), x, kBase - height, kWidth, height, kColours[b], kLabels[b], format_amount(amount));
    svg += fmt::format(R"(<text x="{}" y="{}" text-anchor="middle">{}</text>)" "\n", x + kWidth / 2,
                       kBase - height - 6, format_amount(amount));
    svg += fmt::format(R"(<text x="{}" y="{}" text-anchor="middle">{}</text>)" "\n", x + kWidth / 2, kBase + 20,
                       kLabels[b]);
  }
  svg += fmt::format(R"(<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="#8a949e"/>)" "\n</svg>\n", kLeft / 2, kBase,
                     kLeft * 3 / 2 + kStep * 5, kBase);
  return svg;
}

std::string table_html(const Table& t) {
  std::string out = fmt::format("<h2>{}</h2>\n<table>\n<thead><tr>", html_escape(t.title));
  for (std::size_t i = 0; i < t.columns.size(); ++i) {  // a numeric column's heading aligns with its numbers
    const bool num = !t.rows.empty() && i < t.rows[0].size() && numeric(t.rows[0][i]);
    out += fmt::format("<th{}>{}</th>", num ? " class=\"num\"" : "", html_escape(t.columns[i]));
  }
  out += "</tr></thead>\n<tbody>\n";
  for (const auto& row : t.rows) {
    out += row.size() > 0 && row[0] == "TOTAL" ? "<tr class=\"total\">" : "<tr>";
    for (const auto& cell : row)
      out += fmt::format("<td{}>{}</td>", numeric(cell) ? " class=\"num\"" : "", html_escape(cell));
    out += "</tr>\n";
  }
  if (t.rows.empty()) out += fmt::format("<tr><td colspan=\"{}\">(none)</td></tr>\n", t.columns.size());
  return out + "</tbody>\n</table>\n";
}

}  // namespace

std::string close_html(const CloseReport& r, const std::vector<Table>& tables, Date as_of,
                       const std::string& anchor) {
  const std::string month = format_month(r.month);
  const auto badge = [](bool ok, std::string_view yes, std::string_view no) {
    return fmt::format(R"(<span class="badge {}">{}</span>)", ok ? "ok" : "warn", ok ? yes : no);
  };
  std::string page = fmt::format(
      "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
      "<title>Month-end close {}</title>\n<style>{}</style>\n</head>\n<body>\n"
      "<h1>Month-end close {}</h1>\n",
      month, kStyle, month);
  page += fmt::format("<p class=\"state\" id=\"state\">{} {} {}</p>\n",
                      badge(r.locked, "locked", "not locked"), badge(r.complete, "month ended", "provisional"),
                      badge(r.gapless(), "numbering without gap", "numbering has gaps"));
  page += fmt::format("<p class=\"state\">Records dated {} to {}; ledger read on business date {}.</p>\n",
                      format_date(r.month), format_date(r.end), format_date(as_of));
  page += fmt::format("<h2>Aging on {} (incl. VAT, total {})</h2>\n", format_date(r.aging.as_of),
                      format_amount(r.aging.total.total()));
  page += chart(r.aging.total);
  for (const auto& t : tables) page += table_html(t);
  if (!anchor.empty())
    page += fmt::format("<p class=\"state\" id=\"anchor\">Journal anchor, to keep elsewhere and check with "
                        "<code>tally verify --anchor</code>: <code>{}</code></p>\n",
                        anchor);
  page += "<footer>Made by tally from the ledger; amounts in EUR.</footer>\n</body>\n</html>\n";
  return page;
}

}  // namespace tally::cli
