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
svg.chart { width: 100%; height: auto; display: block; margin: .5rem 0 1rem; }
.charts { display: flex; flex-wrap: wrap; gap: 1.5rem; }
.charts figure { flex: 1 1 24rem; margin: 0; }
figcaption { font-weight: 600; margin-top: 1rem; }
table.signoff td { height: 2.5rem; }
svg.chart text { font-size: 12px; fill: #1d2329; }
footer { margin-top: 2rem; font-size: .8rem; color: #6b7680; }
@media print { body { margin: 0; } h2 { break-after: avoid; } }
)css";

// Bucket colours from not due (green) to 6 months and more (dark red).
constexpr const char* kColours[] = {"#4c9a6a", "#e3b341", "#e08a2e", "#d0532e", "#9e1c1c"};
constexpr const char* kLabels[] = {"not due", "0-1 month", "1-2 months", "2-6 months", "6+ months"};
constexpr const char* kLabelsFr[] = {"non échu", "0-1 mois", "1-2 mois", "2-6 mois", "6 mois et +"};

bool numeric(const std::string& s) { return is_plain_number(s); }

// The aging chart: a bar per bucket, the tallest 180 units high.
std::string chart(const AgingAmounts& total, bool fr) {
  const char* const* labels = fr ? kLabelsFr : kLabels;
  constexpr int kBase = 230, kTall = 180, kStep = 110, kWidth = 80, kLeft = 40;
  Cents max = 0;
  for (Cents c : total.by_bucket) max = std::max(max, c);
  std::string svg = fmt::format(
      R"(<svg class="chart" id="aging-chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {} 270" role="img" )"
      R"(aria-label="{}">)"
      "\n",
      kLeft * 2 + kStep * 5, fr ? "Soldes par mois de retard" : "Balances by months late");
  for (std::size_t b = 0; b < kAgingBuckets.size(); ++b) {
    const Cents amount = total.by_bucket[b];
    const auto height = max > 0 ? static_cast<int>(mul_div_round(amount, kTall, max)) : 0;
    const int x = kLeft + static_cast<int>(b) * kStep;
    const std::string key(to_string(kAgingBuckets[b]));
    svg += fmt::format(
        R"(<rect class="bar" data-bucket="{}" data-amount="{}" x="{}" y="{}" width="{}" height="{}" fill="{}">)"
        R"(<title>{}: {}</title></rect>)"
        "\n",
        key, format_amount(amount), x, kBase - height, kWidth, height, kColours[b], labels[b], format_amount(amount));
    svg += fmt::format(R"(<text x="{}" y="{}" text-anchor="middle">{}</text>)" "\n", x + kWidth / 2,
                       kBase - height - 6, format_amount(amount));
    svg += fmt::format(R"(<text x="{}" y="{}" text-anchor="middle">{}</text>)" "\n", x + kWidth / 2, kBase + 20,
                       labels[b]);
  }
  svg += fmt::format(R"(<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="#8a949e"/>)" "\n</svg>\n", kLeft / 2, kBase,
                     kLeft * 3 / 2 + kStep * 5, kBase);
  return svg;
}

// Cash received by month: a bar per month of its net, the tallest 180 units high.
std::string cash_chart(const std::vector<MonthCash>& months, bool fr) {
  constexpr int kBase = 230, kTall = 180, kStep = 46, kWidth = 34, kLeft = 30;
  Cents max = 0;
  for (const auto& m : months) max = std::max(max, m.net());
  const int width = kLeft * 2 + kStep * static_cast<int>(months.size());
  std::string svg = fmt::format(
      R"(<svg class="chart" id="cash-chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {} 270" role="img" )"
      R"(aria-label="{}">)"
      "\n",
      width, fr ? "Encaissements par mois" : "Cash received by month");
  for (std::size_t i = 0; i < months.size(); ++i) {
    const Cents net = months[i].net();
    const auto height = max > 0 && net > 0 ? static_cast<int>(mul_div_round(net, kTall, max)) : 0;
    const int x = kLeft + static_cast<int>(i) * kStep;
    const std::string month = format_month(months[i].month);
    svg += fmt::format(
        R"(<rect class="cash-bar" data-month="{}" data-amount="{}" x="{}" y="{}" width="{}" height="{}" )"
        R"(fill="#3f7cac"><title>{}: {}</title></rect>)"
        "\n",
        month, format_amount(net), x, kBase - height, kWidth, height, month, format_amount(net));
    svg += fmt::format(R"(<text x="{}" y="{}" text-anchor="middle">{}</text>)" "\n", x + kWidth / 2, kBase + 20,
                       month.substr(5, 2) + "/" + month.substr(2, 2));
  }
  svg += fmt::format(R"(<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="#8a949e"/>)" "\n</svg>\n", kLeft / 2, kBase,
                     width - kLeft / 2, kBase);
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

std::string close_html(const CloseReport& r, const std::vector<Table>& tables, Date as_of, const CloseStamp& stamp,
                       bool fr) {
  const auto L = [fr](std::string_view en, std::string_view french) { return std::string(fr ? french : en); };
  const std::string month = format_month(r.month);
  const auto badge = [](bool ok, const std::string& yes, const std::string& no) {
    return fmt::format(R"(<span class="badge {}">{}</span>)", ok ? "ok" : "warn", ok ? yes : no);
  };
  const std::string title = L("Month-end close ", "Clôture mensuelle ") + month;
  std::string page = fmt::format(
      "<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
      "<title>{}</title>\n<style>{}</style>\n</head>\n<body>\n"
      "<h1>{}</h1>\n",
      fr ? "fr" : "en", title, kStyle, title);
  page += fmt::format("<p class=\"state\" id=\"state\">{} {} {} {}</p>\n",
                      badge(r.locked, L("locked", "verrouillé"), L("not locked", "non verrouillé")),
                      badge(r.complete, L("month ended", "mois terminé"), L("provisional", "provisoire")),
                      badge(r.gapless(), L("numbering without gap", "numérotation sans trou"),
                            L("numbering has gaps", "numérotation avec trous")),
                      badge(r.receivables.balances(), L("receivables balance", "créances rapprochées"),
                            L("receivables do not balance", "écart sur les créances")));
  page += fmt::format("<p class=\"state\">{}</p>\n",
                      fr ? fmt::format("Écritures datées du {} au {} ; grand livre lu à la date du {}.",
                                       format_date(r.month), format_date(r.end), format_date(as_of))
                         : fmt::format("Records dated {} to {}; ledger read on business date {}.",
                                       format_date(r.month), format_date(r.end), format_date(as_of)));
  page += "<div class=\"charts\">\n<figure>\n";
  page += fmt::format("<figcaption>{} {} ({} {})</figcaption>\n", L("Aging on", "Balance âgée au"),
                      format_date(r.aging.as_of), L("incl. VAT, total", "TTC, total"),
                      format_amount(r.aging.total.total()));
  page += chart(r.aging.total, fr);
  page += "</figure>\n<figure>\n";
  page += fmt::format("<figcaption>{}</figcaption>\n",
                      L("Cash received by month, net of reversals (12 months)",
                        "Encaissements par mois, nets des rejets (12 mois)"));
  page += cash_chart(r.cash_by_month, fr);
  page += "</figure>\n</div>\n";
  for (const auto& t : tables) page += table_html(t);
  if (!stamp.anchor.empty())
    page += fmt::format("<p class=\"state\" id=\"anchor\">{} <code>tally verify --anchor</code>: <code>{}</code></p>\n",
                        L("Journal anchor, to keep elsewhere and check with",
                          "Ancre du journal, à conserver ailleurs et à vérifier avec"),
                        stamp.anchor);
  page += fmt::format("<h2>{}</h2>\n<table class=\"signoff\" id=\"sign-off\">\n<thead><tr><th></th><th>{}</th>"
                      "<th>{}</th><th>{}</th></tr></thead>\n<tbody>\n",
                      L("Sign-off", "Visa"), L("name", "nom"), L("date", "date"), L("signature", "signature"));
  for (const auto& who : {L("Prepared by", "Établi par"), L("Reviewed and approved by", "Revu et approuvé par")})
    page += fmt::format("<tr><td>{}</td><td></td><td></td><td></td></tr>\n", who);
  page += "</tbody>\n</table>\n";
  page += fmt::format("<footer id=\"stamp\">{} {} {} {} ({}).</footer>\n</body>\n</html>\n",
                      L("Made by tally", "Établi par tally"), html_escape(stamp.version), L("at", "le"),
                      html_escape(stamp.generated_at),
                      L("from the ledger; amounts in EUR", "à partir du grand livre ; montants en EUR"));
  return page;
}

}  // namespace tally::cli
