// tally quote feature | intervention (D1, D2), and grid_line, the pricing of
// invoice create --item: both load the grid in force (D3) and price through
// the same functions of tally/services.hpp.
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "cli/options.hpp"
#include "cli/services.hpp"
#include "cli/views.hpp"
#include "tally/errors.hpp"
#include "tally/services.hpp"

namespace tally::cli {
namespace {

// D3: the grid in force: --grid FILE, else the policy's services_grid.
ServicesGrid load_grid(const Context& ctx, const Policy& policy) {
  return read_grid(ctx.g.grid.empty() ? policy.services_grid : ctx.g.grid);
}

}  // namespace

ServicesGrid read_grid(const std::string& source) {
  if (source == "builtin") return parse_services_grid(builtin_services_grid(), source);
  std::error_code ec;
  std::ifstream in;
  if (std::filesystem::is_regular_file(source, ec)) in.open(source, std::ios::binary);
  if (!in.is_open())
    throw not_found("services grid file '{}' cannot be read: expected a readable CSV file, or 'builtin' "
                    "(--grid or policy services_grid)",
                    source);
  std::ostringstream text;
  text << in.rdbuf();
  return parse_services_grid(text.str(), source);
}

namespace {

// Warns once per run that the prices come from a grid marked as examples.
void warn_example_prices(const Context& ctx, const ServicesGrid& grid) {
  static bool warned = false;
  if (!grid.example_prices || warned || ctx.g.quiet) return;
  warned = true;
  std::cerr << "tally: warning: services grid '" << grid.source
            << "' holds EXAMPLE prices: replace them with your own grid "
               "(tally policy set services_grid FILE --effective DATE, or --grid FILE)\n";
}

std::int64_t option_quantity(const std::string& value, std::string_view option) {
  try {
    return parse_quantity(value);
  } catch (const Error&) {
    throw usage_error("invalid {} '{}': expected a positive number with at most 2 decimals, at most 1000000 "
                      "(e.g. 3 or 2.5)",
                      option, value);
  }
}

// The output of a quote priced on day d; VAT at the policy's standard rate (M2).
Output quote_output(const Quote& q, const ServicesGrid& grid, const Policy& policy, Date d, std::string_view kind) {
  const Cents vat = apply_rate(q.decision.amount, policy.vat_rate);
  Json j{{"as_of", format_date(d)}, {"kind", kind}, {"item", q.item.code}};
  if (kind == "feature") {
    j["days"] = format_quantity(q.qty);
    j["roadmap"] = q.roadmap;
  } else {
    j["type"] = q.item.code;
  }
  j["urgent"] = q.urgent;
  j["label"] = q.item.label;
  j["unit"] = q.item.unit;
  j["qty"] = format_quantity(q.qty);
  j["unit_price_ht"] = amount(q.item.price_ht);
  j["gross_ht"] = amount(q.gross_ht);
  j["discount"] = format_rate(q.discount);
  j["amount_ht"] = amount(q.decision.amount);
  j["vat_rate"] = format_rate(policy.vat_rate);
  j["vat"] = amount(vat);
  j["amount_ttc"] = amount(q.decision.amount + vat);
  j["rule"] = q.decision.rule;
  j["why"] = q.decision.why;
  j["grid"] = grid.source;
  j["example_prices"] = grid.example_prices;
  Output out;
  out.json = std::move(j);
  out.tables.push_back(Table{"",
                             {"item", "qty", "unit", "unit_price_ht", "gross_ht", "discount", "amount_ht", "rule"},
                             {{q.item.code, format_quantity(q.qty), q.item.unit, format_amount(q.item.price_ht),
                               format_amount(q.gross_ht), format_rate(q.discount), format_amount(q.decision.amount),
                               q.decision.rule}}});
  out.lines.push_back(fmt::format("{}: {}", q.decision.rule, q.decision.why));
  out.lines.push_back(fmt::format("{} HT + VAT {} % {} = {} TTC", format_amount(q.decision.amount),
                                  format_rate(policy.vat_rate), format_amount(vat),
                                  format_amount(q.decision.amount + vat)));
  out.lines.push_back(fmt::format("Grid: {}{}", grid.source, grid.example_prices ? " (EXAMPLE prices)" : ""));
  return out;
}

struct FeatureOpts {
  std::string days;
  bool roadmap = false, urgent = false;
};

Output run_feature(Context& ctx, const FeatureOpts& o) {
  const std::int64_t days = option_quantity(o.days, "--days");
  const Date d = ctx.as_of();
  const Policy policy = policy_at(ctx.reader(), d);
  const ServicesGrid grid = load_grid(ctx, policy);
  const Quote q = quote_feature(grid, days, o.roadmap, o.urgent, policy);
  warn_example_prices(ctx, grid);
  return quote_output(q, grid, policy, d, "feature");
}

struct InterventionOpts {
  std::string type, qty = "1";
  bool urgent = false;
};

Output run_intervention(Context& ctx, const InterventionOpts& o) {
  const std::int64_t qty = option_quantity(o.qty, "--qty");
  const Date d = ctx.as_of();
  const Policy policy = policy_at(ctx.reader(), d);
  const ServicesGrid grid = load_grid(ctx, policy);
  const Quote q = quote_intervention(grid, o.type, qty, o.urgent);
  warn_example_prices(ctx, grid);
  return quote_output(q, grid, policy, d, "intervention");
}

}  // namespace

void setup_quote(CLI::App& cmd, Context& ctx, Action& action) {
  cmd.require_subcommand(1);
  example(&cmd, "tally quote feature --days 5 --roadmap --urgent");

  auto f = std::make_shared<FeatureOpts>();
  auto* feature = cmd.add_subcommand("feature", "price a feature request from the grid's feature-day (D1)");
  feature->add_option("--days", f->days, "days of development, e.g. 3 or 2.5")->required();
  feature->add_flag("--roadmap", f->roadmap, "the feature is on the roadmap: free, or discounted when urgent");
  feature->add_flag("--urgent", f->urgent, "urgent request");
  example(feature, "tally quote feature --days 5 --roadmap --urgent --format json");
  on_parse(feature, ctx, action, f, run_feature);

  auto i = std::make_shared<InterventionOpts>();
  auto* intervention = cmd.add_subcommand("intervention", "price an intervention at grid price (D2)");
  intervention
      ->add_option("--type", i->type,
                   "a grid code other than feature-day (data-modification, operation-support, data-extraction, "
                   "reporting, data-recovery, urgent-intervention in the shipped grid) or blocking-bug (never billed)")
      ->required()
      ->type_name("ITEM");
  intervention->add_option("--qty", i->qty, "units of the grid line (hours, days or requests)")->default_str("1");
  intervention->add_flag("--urgent", i->urgent, "urgent request (billed at grid price; blocking-bug stays free)");
  example(intervention, "tally quote intervention --type data-modification --qty 2.5");
  on_parse(intervention, ctx, action, i, run_intervention);
}

InvoiceLine grid_line(Context& ctx, const std::string& code, std::int64_t qty, bool urgent, bool roadmap, Rate vat,
                      Date date) {
  const Policy policy = policy_at(ctx.reader(), date);
  const ServicesGrid grid = load_grid(ctx, policy);
  const InvoiceLine line = invoice_line(quote_item(grid, code, qty, roadmap, urgent, policy), vat);
  warn_example_prices(ctx, grid);
  return line;
}

}  // namespace tally::cli
