// tally overdue [--customer CODE] [--apply] [--notices DIR [--notice-format txt|md]]
#include <filesystem>
#include <fstream>
#include <memory>

#include "cli/views.hpp"
#include "tally/errors.hpp"
#include "tally/overdue.hpp"

namespace tally::cli {
namespace {

struct OverdueOpts {
  std::optional<std::string> customer;
  bool apply = false;
  std::optional<std::string> notices;
  std::string notice_format = "txt";
};

Json date_or_null(const std::optional<Date>& d) { return d ? Json(format_date(*d)) : Json(nullptr); }

Json to_json(const LateInvoice& i) {
  return Json{{"number", i.number},
              {"customer", i.customer},
              {"kind", to_string(i.kind)},
              {"due_date", format_date(i.due_date)},
              {"late", i.late},
              {"days_late", i.days_late},
              {"months_late", i.months_late},
              {"balance", amount(i.balance)},
              {"interest_rate", format_rate(i.interest_rate)},
              {"interest_mode", i.interest_mode == InterestMode::flat ? "flat" : "annual"},
              {"interest_accrued", amount(i.interest_accrued)},
              {"interest_billed", amount(i.interest_billed)},
              {"interest_unbilled", amount(i.interest_unbilled())},
              {"indemnity", amount(i.indemnity)},
              {"indemnity_billed", amount(i.indemnity_billed)},
              {"indemnity_unbilled", amount(i.indemnity_unbilled())},
              {"billed_through", date_or_null(i.billed_through)}};
}

Json to_json(const CustomerStage& c) {
  Json j{{"customer", c.customer},
         {"stage", to_string(c.stage.stage)},
         {"next_stage", c.stage.next ? Json(to_string(*c.stage.next)) : Json(nullptr)},
         {"next_stage_date", date_or_null(c.stage.next_date)},
         {"upcoming", Json::array()}};
  for (const auto& [stage, when] : c.stage.upcoming)
    j["upcoming"].push_back(Json{{"stage", to_string(stage)}, {"date", format_date(when)}});
  return j;
}

// The report's rows are made while printing (Table::generate): a ledger of a
// million invoices may list tens of thousands of late ones (issue 9).
Table invoices_table(const std::shared_ptr<const OverdueReport>& r) {
  Table t{fmt::format("Late invoices as of {}", format_date(r->as_of)),
          {"number", "customer", "due_date", "late", "days_late", "months_late", "balance", "interest_accrued",
           "interest_unbilled", "indemnity", "indemnity_unbilled"},
          {}};
  t.generate = [r](const RowSink& sink) {
    for (const auto& i : r->invoices)
      sink({i.number, i.customer, format_date(i.due_date), i.late ? "yes" : "paid late", std::to_string(i.days_late),
            std::to_string(i.months_late), format_amount(i.balance), format_amount(i.interest_accrued),
            format_amount(i.interest_unbilled()), format_amount(i.indemnity), format_amount(i.indemnity_unbilled())});
  };
  return t;
}

Table stages_table(const std::shared_ptr<const OverdueReport>& r) {
  Table t{"Customer stages", {"customer", "stage", "next_stage", "next_stage_date"}, {}};
  t.generate = [r](const RowSink& sink) {
    for (const auto& c : r->customers)
      sink({c.customer, std::string(to_string(c.stage.stage)), c.stage.next ? std::string(to_string(*c.stage.next)) : "",
            c.stage.next_date ? format_date(*c.stage.next_date) : ""});
  };
  return t;
}

// L7: one notice per customer in a late stage with an invoice late on the day.
// Returns the notice paths, written unless dry_run.
Json write_notices(Ledger& ledger, const OverdueReport& r, const std::string& dir, bool markdown, bool dry_run) {
  Json out = Json::array();
  for (const auto& c : r.customers) {
    if (c.stage.stage == Stage::active) continue;
    Notice n{c.customer, ledger.customer(c.customer).name, r.as_of, c.stage, {}};
    for (const auto& i : r.invoices)
      if (i.customer == c.customer && i.late)
        n.invoices.push_back({i.number, i.due_date, i.days_late, i.balance, i.interest_accrued, i.indemnity});
    if (n.invoices.empty()) continue;
    const auto path = std::filesystem::path(dir) /
                      fmt::format("{}-{}.{}", c.customer, format_date(r.as_of), markdown ? "md" : "txt");
    if (!dry_run) {
      std::error_code ec;
      std::filesystem::create_directories(dir, ec);
      std::ofstream f(path, std::ios::binary | std::ios::trunc);
      f << late_notice(n, markdown);
      f.close();
      if (!f) throw Error(ExitCode::internal, fmt::format("cannot write notice '{}': check --notices DIR", path.string()));
    }
    out.push_back(Json{{"customer", c.customer}, {"path", path.string()}, {"written", !dry_run}});
  }
  return out;
}

Output run_overdue(Context& ctx, const OverdueOpts& o) {
  if (o.notice_format != "txt" && o.notice_format != "md")
    throw usage_error("invalid --notice-format '{}': expected txt or md", o.notice_format);
  if (o.notices && o.notices->empty()) throw usage_error("invalid --notices '': expected a directory");
  Ledger& ledger = ctx.ledger();
  const Date d = ctx.as_of();
  std::optional<ApplyResult> applied;
  if (o.apply) applied = apply_overdue(ledger, d, o.customer);
  const auto shared = std::make_shared<const OverdueReport>(applied ? std::move(applied->report)
                                                                    : overdue(ledger, d, o.customer));
  const OverdueReport& report = *shared;

  Output out;
  out.json = Json{{"as_of", format_date(d)}, {"invoices", Json::array()}, {"customers", Json::array()}};
  out.json_arrays["invoices"] = [shared](const std::function<void(const Json&)>& sink) {
    for (const auto& i : shared->invoices) sink(to_json(i));
  };
  out.json_arrays["customers"] = [shared](const std::function<void(const Json&)>& sink) {
    for (const auto& c : shared->customers) sink(to_json(c));
  };
  out.tables.push_back(invoices_table(shared));
  out.tables.push_back(stages_table(shared));
  if (applied) {
    out.json["issued"] = Json::array();
    for (const auto& i : applied->issued) out.json["issued"].push_back(cli::to_json(i));
    out.json["transitions"] = Json::array();
    Table tt{"Stage transitions recorded", {"customer", "from", "to", "date"}, {}};
    for (const auto& t : applied->transitions) {
      out.json["transitions"].push_back(Json{{"customer", t.customer},
                                             {"from", to_string(t.from)},
                                             {"to", to_string(t.to)},
                                             {"date", format_date(t.date)}});
      tt.rows.push_back({t.customer, std::string(to_string(t.from)), std::string(to_string(t.to)), format_date(t.date)});
    }
    out.tables.push_back(invoice_table(applied->issued, "Penalty invoices issued"));
    out.tables.push_back(tt);
    out.lines.push_back(fmt::format("{} penalty invoice(s) issued, {} stage transition(s) recorded{}",
                                    applied->issued.size(), applied->transitions.size(),
                                    applied->issued.empty() && applied->transitions.empty()
                                        ? " (everything due on this date was already applied)"
                                        : ""));
  }
  if (o.notices) {
    out.json["notices"] = write_notices(ledger, report, *o.notices, o.notice_format == "md", ledger.dry_run());
    for (const auto& n : out.json["notices"])
      out.lines.push_back(fmt::format("Notice {}: {}", n["written"].get<bool>() ? "written" : "would be written",
                                      n["path"].get<std::string>()));
  }
  return out;
}

}  // namespace

void setup_overdue(CLI::App& cmd, Context& ctx, Action& action) {
  auto o = std::make_shared<OverdueOpts>();
  cmd.add_option("--customer", o->customer, "only this customer");
  cmd.add_flag("--apply", o->apply,
               "bill interest and indemnities not yet billed on penalty invoices and record stage changes (L6)");
  cmd.add_option("--notices", o->notices, "write one late-payment notice per customer in a late stage to DIR (L7)");
  cmd.add_option("--notice-format", o->notice_format, "notice files: txt (default) or md");
  example(&cmd, "tally --as-of 2026-04-30 overdue --apply --notices notices/");
  on_parse(&cmd, ctx, action, o, run_overdue);
}

}  // namespace tally::cli
