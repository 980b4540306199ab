// tally overdue [--customer CODE] [--apply] [--notices DIR [--notice-format txt|md]]
#include <filesystem>
#include <memory>

#include "cli/options.hpp"
#include "cli/views.hpp"
#include "tally/errors.hpp"
#include "tally/files.hpp"
#include "tally/letters.hpp"
#include "tally/overdue.hpp"

namespace tally::cli {
namespace {

struct OverdueOpts {
  std::optional<std::string> customer;
  bool apply = false;
  std::optional<std::string> notices;
  std::string notice_format = "txt";
  std::string lang = "fr";
  bool force = false;
  bool wide = false;
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
              {"interest_overbilled", amount(i.interest_overbilled())},
              {"indemnity_overbilled", amount(i.indemnity_overbilled())},
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
// In table format, without --wide, what a person reads first fits 80
// columns: number, customer, days_late, balance, interest_accrued, indemnity.
Table invoices_table(const std::shared_ptr<const OverdueReport>& r, bool wide) {
  Table t{fmt::format("Late invoices as of {}", format_date(r->as_of)),
          {"number", "customer", "due_date", "late", "days_late", "months_late", "balance", "interest_accrued",
           "interest_unbilled", "indemnity", "indemnity_unbilled"},
          {}};
  if (!wide) t.brief = {0, 1, 4, 6, 7, 9};
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

// L7: one notice per customer in a late stage with an invoice late on the
// day, as (path, text) pairs: what --notices writes into `dir`.
std::vector<std::pair<std::string, std::string>> notices_of(Ledger& ledger, const OverdueReport& r,
                                                            const std::string& dir, bool markdown, Lang lang) {
  std::vector<std::pair<std::string, std::string>> out;
  const SellerIdentity seller = seller_at(ledger, r.as_of);  // E2: the letterhead of the day
  for (const auto& c : r.customers) {
    if (c.stage.stage == Stage::active) continue;
    Notice n{c.customer, find_customer(ledger, c.customer).name, r.as_of, c.stage, {}};
    for (const auto& i : r.invoices)
      if (i.customer == c.customer && i.late)
        n.invoices.push_back({i.number, i.due_date, i.days_late, i.balance, i.interest_accrued, i.indemnity});
    if (n.invoices.empty()) continue;
    out.emplace_back((std::filesystem::path(dir) /
                      fmt::format("{}-{}.{}", c.customer, format_date(r.as_of), markdown ? "md" : "txt"))
                         .string(),
                     late_notice(n, seller, lang, markdown));
  }
  return out;
}

// The --notices folder: an existing directory (not a link to one), or a name
// whose parent exists, created when the notices are written. Checked before
// anything is written. Throws Error(usage).
void check_notices_folder(const std::string& dir) {
  if (dir.empty()) throw usage_error("invalid --notices '': expected a directory");
  std::error_code ec;
  const auto st = std::filesystem::symlink_status(dir, ec);
  if (st.type() == std::filesystem::file_type::not_found) {
    const auto parent = std::filesystem::path(dir).parent_path();
    if (!parent.empty() && !std::filesystem::is_directory(parent, ec))
      throw usage_error("invalid --notices '{}': folder '{}' does not exist", dir, parent.string());
    return;
  }
  if (st.type() != std::filesystem::file_type::directory)
    throw usage_error("invalid --notices '{}': not a directory (a symbolic link or a file); expected a directory",
                      dir);
}

Output run_overdue(Context& ctx, const OverdueOpts& o) {
  if (o.notice_format != "txt" && o.notice_format != "md")
    throw usage_error("invalid --notice-format '{}': expected txt or md", o.notice_format);
  if (o.lang != "fr" && o.lang != "en") throw usage_error("invalid --lang '{}': expected fr or en", o.lang);
  const Lang lang = parse_lang(o.lang);
  if (o.notices) check_notices_folder(*o.notices);
  Ledger& ledger = ctx.ledger(o.apply ? OpenMode::write : OpenMode::read);
  const Date d = ctx.as_of();
  OutputFiles files(ledger.path(), o.force);
  std::vector<std::string> notice_paths;
  bool made_folder = false;
  std::optional<ApplyResult> applied;
  std::optional<OverdueReport> plain;
  // The notices are staged inside the penalties' transaction and named once it
  // committed: a notice that cannot be written leaves no penalty behind.
  const auto run = [&] {
    if (o.apply) applied = apply_overdue(ledger, d, o.customer);
    else plain = overdue(ledger, d, o.customer);
    if (!o.notices) return;
    const auto notices = notices_of(ledger, applied ? applied->report : *plain, *o.notices, o.notice_format == "md",
                                    lang);
    for (const auto& [path, text] : notices) {
      notice_paths.push_back(path);
      if (std::filesystem::is_directory(*o.notices)) files.check(path);
    }
    if (ledger.dry_run() || notices.empty()) return;
    std::error_code ec;
    made_folder = std::filesystem::create_directory(*o.notices, ec);
    if (ec) throw Error(ExitCode::internal, fmt::format("cannot create the notices folder '{}': {}", *o.notices,
                                                        ec.message()));
    for (const auto& [path, text] : notices) files.stage(path, text);
    files.sync();  // on disk before the penalties commit
  };
  try {
    if (o.apply) ledger.transaction(run);
    else run();
    files.commit();
  } catch (...) {
    files.discard();
    std::error_code ec;
    if (made_folder) std::filesystem::remove(*o.notices, ec);  // only if still empty
    throw;
  }
  const auto shared = std::make_shared<const OverdueReport>(applied ? std::move(applied->report) : std::move(*plain));

  Output out;
  out.json = Json{{"as_of", format_date(d)}, {"invoices", Json::array()}, {"customers", Json::array()}};
  out.json_arrays["invoices"] = [shared](const std::function<void(const Json&)>& sink) {
    for (const auto& i : shared->invoices) sink(to_json(i));
  };
  out.json_arrays["customers"] = [shared](const std::function<void(const Json&)>& sink) {
    for (const auto& c : shared->customers) sink(to_json(c));
  };
  out.tables.push_back(invoices_table(shared, o.wide));
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
    out.json["credited"] = Json::array();
    for (const auto& i : applied->credited) out.json["credited"].push_back(cli::to_json(i));
    out.tables.push_back(invoice_table(applied->issued, "Penalty invoices issued"));
    if (!applied->credited.empty())
      out.tables.push_back(invoice_table(applied->credited, "Credit notes for penalties over-billed (L8)"));
    out.tables.push_back(tt);
    out.lines.push_back(fmt::format("{} penalty invoice(s) issued, {} credit note(s), {} stage transition(s) recorded{}",
                                    applied->issued.size(), applied->credited.size(), applied->transitions.size(),
                                    applied->issued.empty() && applied->credited.empty() && applied->transitions.empty()
                                        ? " (everything due on this date was already applied)"
                                        : ""));
  }
  if (o.notices) {
    out.json["notices"] = Json::array();
    for (const auto& path : notice_paths) {
      out.json["notices"].push_back(Json{{"path", path}, {"written", !ledger.dry_run()}});
      out.lines.push_back(fmt::format("Notice {}: {}", ledger.dry_run() ? "would be written" : "written", path));
    }
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
  choice(cmd.add_option("--notice-format", o->notice_format, "notice files: plain text or Markdown")->default_str("txt"),
         {"txt", "md"});
  choice(cmd.add_option("--lang", o->lang, "language of the notices")->default_str("fr"), {"fr", "en"});
  cmd.add_flag("--force", o->force, "replace notice files that exist (never a link, a device or the ledger)");
  cmd.add_flag("--wide", o->wide,
               "table format: every column (due_date, late, months_late, what is not yet billed), not only the "
               "first a person reads");
  example(&cmd, "tally --as-of 2026-04-30 overdue --apply --notices notices/");
  on_parse(&cmd, ctx, action, o, run_overdue);
}

}  // namespace tally::cli
