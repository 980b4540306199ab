// tally standby start | end | list (S1-S5)
#include "cli/options.hpp"
#include "cli/views.hpp"
#include "tally/errors.hpp"
#include "tally/standby.hpp"

namespace tally::cli {
namespace {

Json standby_json(const Standby& s) {
  return Json{{"id", s.id},
              {"customer", s.customer},
              {"reason", to_string(s.reason)},
              {"requested", format_date(s.requested)},
              {"first_day", format_date(s.first_day)},
              {"last_day", format_date(s.last_day)},
              {"ended_early", s.ended_early ? Json(format_date(*s.ended_early)) : Json(nullptr)},
              {"decision", s.decision}};
}

Table standby_table(const std::vector<Standby>& list) {
  Table t{"", {"id", "customer", "requested", "reason", "decision", "first_day", "last_day", "ended_early"}, {}};
  for (const auto& s : list)
    t.rows.push_back({std::to_string(s.id), s.customer, format_date(s.requested), std::string(to_string(s.reason)),
                      s.decision, format_date(s.first_day), format_date(s.last_day),
                      s.ended_early ? format_date(*s.ended_early) : ""});
  return t;
}

// The standby and the documents that settled cycles already invoiced (S3).
Output result_output(const StandbyResult& r, const std::string& summary) {
  Output out;
  out.json = Json{{"standby", standby_json(r.standby)}, {"documents", Json::array()}};
  for (const auto& d : r.documents) out.json["documents"].push_back(to_json(d));
  out.tables.push_back(standby_table({r.standby}));
  if (!r.documents.empty()) out.tables.push_back(invoice_table(r.documents, "Cycles already invoiced, settled (S3)"));
  out.lines.push_back(summary);
  return out;
}

struct StartOpts {
  std::string customer, reason, from;
  std::optional<std::string> until, requested;
};

Output run_start(Context& ctx, const StartOpts& o) {
  StandbyRequest r;
  r.customer = o.customer;
  r.reason = o.reason;
  r.today = ctx.as_of();
  r.first_day = option_date(o.from, "--from");
  r.last_day = option_date(o.until, "--until");
  r.requested = o.requested ? option_date(*o.requested, "--requested") : r.today;
  const StandbyResult res = start_standby(ctx.ledger(), r);
  const Standby& s = res.standby;
  return result_output(res, fmt::format("Standby {} accepted for {} ({}): {} to {}, requested {}", s.id, s.customer,
                                        to_string(s.reason), format_date(s.first_day), format_date(s.last_day),
                                        format_date(s.requested)));
}

struct EndOpts {
  std::string customer;
  std::optional<std::string> date;
};

Output run_end(Context& ctx, const EndOpts& o) {
  const Date today = ctx.as_of();
  const Date last = o.date ? option_date(*o.date, "--date") : today;
  const StandbyResult res = end_standby(ctx.ledger(), o.customer, last, today);
  const Standby& s = res.standby;
  return result_output(res, s.ended_early
                                ? fmt::format("Standby {} of {}: last day in standby {} (planned {})", s.id,
                                              s.customer, format_date(*s.ended_early), format_date(s.last_day))
                                : fmt::format("Standby {} of {} already ends on {} as planned: nothing changed",
                                              s.id, s.customer, format_date(s.last_day)));
}

struct ListOpts {
  std::optional<std::string> customer;
};

Output run_list(Context& ctx, const ListOpts& o) {
  const auto list = standbys(ctx.reader(), o.customer);
  Output out;
  out.json = Json{{"standbys", Json::array()}};
  for (const auto& s : list) out.json["standbys"].push_back(standby_json(s));
  out.tables.push_back(standby_table(list));
  return out;
}

}  // namespace

void setup_standby(CLI::App& cmd, Context& ctx, Action& action) {
  cmd.require_subcommand(1);

  auto s = std::make_shared<StartOpts>();
  auto* start = cmd.add_subcommand("start", "put a customer's platform to sleep (S1-S5)");
  start->add_option("--customer", s->customer, "customer code")->required();
  // Another reason is refused by the policy (S1, exit 4), not by the parser:
  // the accepted ones are offered here and checked by the rule.
  offer(start->add_option("--reason", s->reason, "why the platform sleeps; any other is refused (S1)")->required(),
        {"inactivity", "awaiting-approval", "third-party-integration"});
  start->add_option("--from", s->from, "first day in standby, YYYY-MM-DD")->required();
  start->add_option("--until", s->until, "last day in standby, inclusive (default the longest: 3 months, S2)");
  start->add_option("--requested", s->requested, "date of the request e-mail (S5, default the business date)");
  example(start, "tally standby start --customer acme --reason inactivity --from 2026-03-10 --until 2026-05-31 "
                 "--requested 2026-03-02");
  on_parse(start, ctx, action, s, run_start);

  auto e = std::make_shared<EndOpts>();
  auto* end = cmd.add_subcommand("end", "end a standby early (S3 recomputes the licence)");
  end->add_option("--customer", e->customer, "customer code")->required();
  end->add_option("--date", e->date, "last day in standby, inclusive (default the business date)");
  example(end, "tally standby end --customer acme --date 2026-04-15");
  on_parse(end, ctx, action, e, run_end);

  auto l = std::make_shared<ListOpts>();
  auto* list = cmd.add_subcommand("list", "standbys with request date, reason and decision (S5)");
  list->add_option("--customer", l->customer, "only this customer");
  example(list, "tally standby list --customer acme --format json");
  on_parse(list, ctx, action, l, run_list);
}

}  // namespace tally::cli
