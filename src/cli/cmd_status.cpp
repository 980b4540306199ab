// tally status CODE: stage, standby, cancellation, capabilities, balance, next dates.
#include "cli/views.hpp"
#include "tally/errors.hpp"
#include "tally/overdue.hpp"

namespace tally::cli {
namespace {

struct StatusOpts {
  std::string code;
};

Output run_status(Context& ctx, const StatusOpts& o) {
  const Date d = ctx.as_of();
  const CustomerStatus s = customer_status(ctx.reader(), o.code, d);
  const Capabilities& cap = s.capabilities;
  Output out;
  out.json = Json{{"customer", s.customer},
                  {"as_of", format_date(d)},
                  {"stage", to_string(s.stage.stage)},
                  {"next_stage", s.stage.next ? Json(to_string(*s.stage.next)) : Json(nullptr)},
                  {"next_stage_date", s.stage.next_date ? Json(format_date(*s.stage.next_date)) : Json(nullptr)},
                  {"upcoming", Json::array()},
                  {"standby", nullptr},
                  {"cancelled", nullptr},
                  {"capabilities", Json{{"admin", to_string(cap.admin)},
                                        {"platform", to_string(cap.platform)},
                                        {"operations", to_string(cap.operations)},
                                        {"support", to_string(cap.support)}}},
                  {"balance", amount(s.balance)},
                  {"credit", amount(s.credit)}};
  for (const auto& [stage, when] : s.stage.upcoming)
    out.json["upcoming"].push_back(Json{{"stage", to_string(stage)}, {"date", format_date(when)}});
  if (s.standby)
    out.json["standby"] = Json{{"first", format_date(s.standby->period.first)},
                               {"last", format_date(s.standby->period.last)},
                               {"reason", s.standby->reason}};
  if (s.cancelled)
    out.json["cancelled"] = Json{{"letter_date", format_date(s.cancelled->letter_date)},
                                 {"letter_ref", s.cancelled->letter_ref},
                                 {"effective_date", format_date(s.cancelled->effective_date)}};

  out.tables.push_back(Table{"",
                             {"customer", "stage", "next_stage", "next_stage_date", "admin", "platform", "operations",
                              "support", "balance", "credit"},
                             {{s.customer, std::string(to_string(s.stage.stage)),
                               s.stage.next ? std::string(to_string(*s.stage.next)) : "",
                               s.stage.next_date ? format_date(*s.stage.next_date) : "", std::string(to_string(cap.admin)),
                               std::string(to_string(cap.platform)), std::string(to_string(cap.operations)),
                               std::string(to_string(cap.support)), format_amount(s.balance), format_amount(s.credit)}}});
  for (const auto& [stage, when] : s.stage.upcoming)
    out.lines.push_back(fmt::format("From {}: {} unless paid", format_date(when), to_string(stage)));
  if (s.standby)
    out.lines.push_back(fmt::format("In standby ({}) from {} to {}", s.standby->reason,
                                    format_date(s.standby->period.first), format_date(s.standby->period.last)));
  if (s.cancelled)
    out.lines.push_back(fmt::format("Cancelled by letter {} of {}, effective {}", s.cancelled->letter_ref,
                                    format_date(s.cancelled->letter_date), format_date(s.cancelled->effective_date)));
  return out;
}

}  // namespace

void setup_status(CLI::App& cmd, Context& ctx, Action& action) {
  auto o = std::make_shared<StatusOpts>();
  cmd.add_option("CODE", o->code, "customer code")->required();
  example(&cmd, "tally --as-of 2026-04-30 status acme --format json");
  on_parse(&cmd, ctx, action, o, run_status);
}

}  // namespace tally::cli
