// tally seller show | set (E2)
#include "cli/options.hpp"
#include "cli/views.hpp"
#include "tally/errors.hpp"

namespace tally::cli {
namespace {

struct SetOpts {
  std::string key, value, effective;
};

Output run_show(Context& ctx, const int&) {
  const Date d = ctx.as_of();
  Ledger& ledger = ctx.ledger();
  const SellerIdentity s = seller_at(ledger, d);
  std::map<std::string, std::string> since;
  for (const auto& v : seller_versions(ledger))
    if (v.effective <= d) since[v.key] = format_date(v.effective);
  const auto missing = missing_seller_keys(s);
  Output out;
  out.json = Json{{"as_of", format_date(d)}, {"seller", Json::object()}, {"keys", Json::array()},
                  {"missing", missing},      {"versions", Json::array()}};
  Table t{"", {"key", "value", "effective", "description"}, {}};
  for (const auto& param : seller_params()) {
    const std::string key(param.key);
    const std::string value = param.get(s);
    out.json["seller"][key] = value;
    out.json["keys"].push_back(Json{{"key", key},
                                    {"value", value},
                                    {"effective", since[key]},
                                    {"description", param.description},
                                    {"accepted", param.accepted}});
    t.rows.push_back({key, value, since[key], std::string(param.description)});
  }
  for (const auto& v : seller_versions(ledger))
    out.json["versions"].push_back(Json{{"key", v.key}, {"value", v.value}, {"effective", format_date(v.effective)}});
  out.tables.push_back(t);
  if (!missing.empty()) {
    std::string list;
    for (const auto& k : missing) list += (list.empty() ? "" : ", ") + k;
    out.lines.push_back(fmt::format("Documents need {} (E2): tally seller set KEY VALUE --effective DATE", list));
  }
  return out;
}

}  // namespace

void setup_seller(CLI::App& cmd, Context& ctx, Action& action) {
  cmd.require_subcommand(1);
  auto* show = cmd.add_subcommand("show", "the seller's identity in force at the business date (E2)");
  example(show, "tally --as-of 2026-01-01 seller show --format json");
  on_parse(show, ctx, action, std::make_shared<int>(0), run_show);

  auto s = std::make_shared<SetOpts>();
  auto* set = cmd.add_subcommand("set", "a new version of one key of the seller's identity from a date on");
  std::vector<std::string> keys;
  for (const auto& p : seller_params()) keys.emplace_back(p.key);
  offer(set->add_option("KEY", s->key, "the key (checked by seller set itself: E2)")->required(), keys);
  set->add_option("VALUE", s->value, "new value (identifiers are checked: E4)")->required();
  set->add_option("--effective", s->effective, "first day it applies, YYYY-MM-DD")->required();
  example(set, "tally seller set vat_number FR27552120222 --effective 2026-01-01");
  on_parse(set, ctx, action, s, [](Context& ctx, const SetOpts& o) {
    const Date eff = option_date(o.effective, "--effective");
    set_seller(ctx.ledger(), o.key, o.value, eff);
    const SellerParam& param = seller_param(o.key);
    SellerIdentity probe;
    param.set(probe, o.value);
    const std::string value = param.get(probe);
    Output out;
    out.json = Json{{"key", o.key}, {"value", value}, {"effective", format_date(eff)}};
    out.lines.push_back(fmt::format("seller {} = {} from {}", o.key, value, format_date(eff)));
    return out;
  });
}

}  // namespace tally::cli
