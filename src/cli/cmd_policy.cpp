// tally policy show | set
#include <filesystem>

#include "cli/options.hpp"
#include "cli/services.hpp"
#include "cli/views.hpp"
#include "tally/data.hpp"
#include "tally/errors.hpp"
#include "tally/policy_check.hpp"

namespace tally::cli {
namespace {

struct SetOpts {
  std::string key, value, effective;
};

// D3: a services_grid value is checked when it is set, not when a quote first
// reads it: "builtin", or a regular file that parses as a grid, recorded by
// its absolute path (a quote run from another folder reads the same file).
// Throws Error(usage) naming the path; a file that is not a grid is never
// echoed (parse_services_grid does not quote its header line).
std::string checked_grid(const std::string& value) {
  if (value == "builtin") return value;
  std::string path = value;
  std::error_code ec;
  if (!value.empty()) {
    const auto absolute = std::filesystem::absolute(value, ec);
    if (!ec) path = absolute.lexically_normal().string();
  }
  try {
    read_grid(path);
  } catch (const Error& e) {
    if (e.code() != ExitCode::usage)
      throw usage_error("invalid services_grid '{}': no readable file there; expected builtin or the path of a "
                        "services grid CSV (code,label,unit,price_ht)",
                        value);
    throw usage_error("invalid services_grid '{}': {}", value, e.what());
  }
  return path;
}

struct CheckOpts {
  bool strict = false;
};

// The policy and seller identity in force at the business date against the
// law (L4 floor, L112-12 surcharges, E2 keys): warnings listed, exit 0; with
// --strict, exit 4 when there is any.
Output run_check(Context& ctx, const CheckOpts& o) {
  const Date d = ctx.as_of();
  Ledger& ledger = ctx.reader();
  const auto csv = builtin_data("legal-interest-rates.csv");
  if (!csv) throw Error(ExitCode::internal, "this build of tally has no legal interest rates (data/)");
  const auto rates = parse_legal_rates(*csv);
  const auto warnings = policy_warnings(policy_at(ledger, d), seller_at(ledger, d), rates, d);
  const auto legal = legal_rate_on(rates, d);
  Output out;
  out.json = Json{{"as_of", format_date(d)},
                  {"legal_interest_rate", legal ? Json(format_rate(legal->rate)) : Json(nullptr)},
                  {"late_interest_floor", legal ? Json(format_rate(late_interest_floor(legal->rate))) : Json(nullptr)},
                  {"warnings", Json::array()},
                  {"strict", o.strict}};
  Table t{fmt::format("Policy check as of {}", format_date(d)), {"rule", "law", "warning"}, {}};
  for (const auto& w : warnings) {
    out.json["warnings"].push_back(Json{{"rule", w.rule}, {"law", w.law}, {"message", w.message}});
    t.rows.push_back({w.rule, w.law, w.message});
    // Under --strict the warnings are the refusal: one error line says so.
    if (!o.strict) fmt::print(stderr, "tally: warning: {} ({}): {}\n", w.rule, w.law, w.message);
  }
  out.tables.push_back(t);
  if (legal)
    out.lines.push_back(fmt::format("Legal interest rate from {}: {} %; late interest floor (x3, L441-10): {} %",
                                    format_date(legal->from), format_rate(legal->rate),
                                    format_rate(late_interest_floor(legal->rate))));
  out.lines.push_back(warnings.empty() ? std::string("No warning.")
                                       : fmt::format("{} warning(s){}", warnings.size(),
                                                     o.strict ? ": refused under --strict" : ""));
  if (o.strict && !warnings.empty()) {
    std::string rules;
    for (const auto& w : warnings) rules += (rules.empty() ? "" : ", ") + w.rule;
    fmt::print(stderr, "tally: error: policy check --strict: {} warning(s) ({}), listed on stdout\n", warnings.size(),
               rules);
    out.exit_code = static_cast<int>(ExitCode::refused);
  }
  return out;
}

}  // namespace

void setup_policy(CLI::App& cmd, Context& ctx, Action& action) {
  cmd.require_subcommand(1);
  auto* show = cmd.add_subcommand("show", "every parameter in force at the business date, with its rule ID");
  example(show, "tally --as-of 2026-01-01 policy show --format json");
  on_parse(show, ctx, action, std::make_shared<int>(0), [](Context& ctx, const int&) {
    const Date d = ctx.as_of();
    Ledger& ledger = ctx.reader();
    const Policy p = policy_at(ledger, d);
    std::map<std::string, std::string> since;
    for (const auto& v : policy_versions(ledger))
      if (v.effective <= d) since[v.key] = format_date(v.effective);
    Output out;
    out.json = Json{{"as_of", format_date(d)}, {"parameters", Json::array()}, {"versions", Json::array()}};
    Table t{"", {"key", "value", "rule", "effective", "description"}, {}};
    for (const auto& param : policy_params()) {
      const std::string key(param.key);
      out.json["parameters"].push_back(Json{{"key", key},
                                            {"value", param.get(p)},
                                            {"rule", param.rule},
                                            {"effective", since[key]},
                                            {"description", param.description},
                                            {"accepted", param.accepted}});
      t.rows.push_back({key, param.get(p), std::string(param.rule), since[key], std::string(param.description)});
    }
    for (const auto& v : policy_versions(ledger))
      out.json["versions"].push_back(Json{{"key", v.key}, {"value", v.value}, {"effective", format_date(v.effective)}});
    out.tables.push_back(t);
    return out;
  });

  auto s = std::make_shared<SetOpts>();
  auto* set = cmd.add_subcommand("set", "a new version of one parameter from a date on");
  std::vector<std::string> keys;
  for (const auto& p : policy_params()) keys.emplace_back(p.key);
  offer(set->add_option("KEY", s->key, "the parameter (see policy show)")->required(), keys);
  set->add_option("VALUE", s->value, "new value")->required();
  set->add_option("--effective", s->effective, "first day it applies, YYYY-MM-DD")->required();
  example(set, "tally policy set card_fee_rate 0 --effective 2027-01-01");
  on_parse(set, ctx, action, s, [](Context& ctx, const SetOpts& o) {
    const Date eff = option_date(o.effective, "--effective");
    const std::string value = o.key == "services_grid" ? checked_grid(o.value) : o.value;
    set_policy(ctx.ledger(), o.key, value, eff);
    const PolicyParam& param = policy_param(o.key);
    const Policy p = policy_at(ctx.ledger(), eff);
    Output out;
    out.json = Json{{"key", o.key}, {"value", param.get(p)}, {"rule", param.rule}, {"effective", format_date(eff)}};
    out.lines.push_back(fmt::format("{} ({}) = {} from {}", o.key, param.rule, param.get(p), format_date(eff)));
    return out;
  });

  auto c = std::make_shared<CheckOpts>();
  auto* check = cmd.add_subcommand("check", "the policy in force against French law: L441-10 floor, L112-12 "
                                            "surcharges, seller keys (E2)");
  check->add_flag("--strict", c->strict, "exit 4 when there is any warning");
  example(check, "tally --as-of 2026-03-01 policy check --strict");
  on_parse(check, ctx, action, c, run_check);
}

}  // namespace tally::cli
