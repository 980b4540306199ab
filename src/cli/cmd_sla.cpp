// tally sla --type bug|evolution|feature --from DATE (U1)
#include "cli/options.hpp"
#include "cli/views.hpp"
#include "tally/errors.hpp"
#include "tally/workdays.hpp"

namespace tally::cli {
namespace {

struct SlaOpts {
  std::string type, from;
};

// The target with the policy in force on the request day.
Output run_sla(Context& ctx, const SlaOpts& o) {
  const UpdateType type = parse_update_type(o.type);
  const Date from = option_date(o.from, "--from");
  const SlaTarget s = sla_target(type, from, policy_at(ctx.reader(), from));
  Json holidays = Json::array();
  Table skipped{"Public holidays skipped", {"date", "name"}, {}};
  for (const auto& h : s.holidays_skipped) {
    holidays.push_back(Json{{"date", format_date(h.date)}, {"name", h.name}});
    skipped.rows.push_back({format_date(h.date), h.name});
  }
  Output out;
  out.json = Json{{"type", to_string(s.type)},
                  {"from", format_date(s.from)},
                  {"target", format_date(s.target)},
                  {"rule", s.rule},
                  {"working_days", s.working_days ? Json(*s.working_days) : Json(nullptr)},
                  {"holidays_skipped", std::move(holidays)},
                  {"weekend_days_skipped", s.weekend_days_skipped},
                  {"why", s.why}};
  out.tables.push_back(Table{"",
                             {"type", "from", "target", "working_days", "rule"},
                             {{std::string(to_string(s.type)), format_date(s.from), format_date(s.target),
                               s.working_days ? std::to_string(*s.working_days) : "", s.rule}}});
  if (type == UpdateType::evolution) {
    out.tables.push_back(std::move(skipped));
    out.lines.push_back(fmt::format("{} weekend day(s) skipped", s.weekend_days_skipped));
  }
  out.lines.push_back(fmt::format("{}: {}", s.rule, s.why));
  return out;
}

}  // namespace

void setup_sla(CLI::App& cmd, Context& ctx, Action& action) {
  auto o = std::make_shared<SlaOpts>();
  choice(cmd.add_option("--type", o->type, "bug (same day), evolution (working days) or feature (calendar months)")
             ->required(),
         {"bug", "evolution", "feature"});
  cmd.add_option("--from", o->from, "the day the update was requested (bug: resolved), YYYY-MM-DD")->required();
  example(&cmd, "tally sla --type evolution --from 2026-04-30 --format json");
  on_parse(&cmd, ctx, action, o, run_sla);
}

}  // namespace tally::cli
