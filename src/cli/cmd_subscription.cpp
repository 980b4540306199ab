// tally subscription add | list
#include "cli/options.hpp"
#include "cli/views.hpp"
#include "tally/errors.hpp"

namespace tally::cli {
namespace {

struct AddOpts {
  std::string customer, amount, cycle, start;
  std::optional<std::string> commitment, notice;
};

Output run_add(Context& ctx, const AddOpts& o) {
  Ledger& ledger = ctx.ledger();
  Subscription s;
  s.customer = o.customer;
  s.amount_ht = parse_amount(o.amount);
  s.cycle = parse_cycle(o.cycle);
  s.start = option_date(o.start, "--start");
  const Policy policy = policy_at(ledger, s.start);
  s.commitment_months = o.commitment ? static_cast<int>(parse_count(*o.commitment, "--commitment-months", 120))
                                     : policy.commitment_months;
  s.notice_months = o.notice ? static_cast<int>(parse_count(*o.notice, "--notice-months", 120)) : policy.notice_months;
  s = add_subscription(ledger, s);
  Output out;
  out.json = Json{{"subscription", to_json(s)}};
  out.lines.push_back(fmt::format("Subscription {} added for {}: {} HT per month, {} from {}", s.id, s.customer,
                                  format_amount(s.amount_ht), to_string(s.cycle), format_date(s.start)));
  return out;
}

struct ListOpts {
  std::optional<std::string> customer;
};

Output run_list(Context& ctx, const ListOpts& o) {
  const auto subs = list_subscriptions(ctx.reader(), o.customer);
  Output out;
  out.json = Json{{"subscriptions", Json::array()}};
  Table t{"", {"id", "customer", "amount_ht", "cycle", "start", "commitment", "notice", "end_date"}, {}};
  for (const auto& s : subs) {
    out.json["subscriptions"].push_back(to_json(s));
    t.rows.push_back({std::to_string(s.id), s.customer, format_amount(s.amount_ht), std::string(to_string(s.cycle)),
                      format_date(s.start), std::to_string(s.commitment_months), std::to_string(s.notice_months),
                      s.end_date ? format_date(*s.end_date) : ""});
  }
  out.tables.push_back(t);
  return out;
}

}  // namespace

void setup_subscription(CLI::App& cmd, Context& ctx, Action& action) {
  cmd.require_subcommand(1);
  auto a = std::make_shared<AddOpts>();
  auto* add = cmd.add_subcommand("add", "add a subscription (licence HT per month, billing cycle)");
  add->add_option("--customer", a->customer, "customer code")->required();
  add->add_option("--amount", a->amount, "licence amount HT per month, e.g. 1500 or 1499.90")->required();
  choice(add->add_option("--cycle", a->cycle, "how often it is invoiced, in advance (I5)")->required(),
         {"monthly", "quarterly", "annual"});
  add->add_option("--start", a->start, "first day, YYYY-MM-DD")->required();
  add->add_option("--commitment-months", a->commitment, "commitment term, renewed tacitly (C2)")->default_str("12");
  add->add_option("--notice-months", a->notice, "notice period (C2)")->default_str("3");
  example(add, "tally subscription add --customer acme --amount 1500 --cycle quarterly --start 2026-01-01");
  on_parse(add, ctx, action, a, run_add);

  auto l = std::make_shared<ListOpts>();
  auto* list = cmd.add_subcommand("list", "list subscriptions");
  list->add_option("--customer", l->customer, "only this customer");
  example(list, "tally subscription list --customer acme");
  on_parse(list, ctx, action, l, run_list);
}

}  // namespace tally::cli
