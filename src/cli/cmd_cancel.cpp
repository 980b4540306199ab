// tally cancel (C1-C4): record a registered letter, print the balance statement.
#include "cli/options.hpp"
#include "cli/views.hpp"
#include "tally/cancellation.hpp"
#include "tally/errors.hpp"
#include "tally/files.hpp"
#include "tally/letters.hpp"

namespace tally::cli {
namespace {

struct CancelOpts {
  std::string customer, letter_date, letter_ref;
  std::optional<std::string> statement;
  std::string lang = "fr";
  bool force = false;
};

Json statement_json(const Statement& st) {
  Json lines = Json::array();
  for (const auto& l : st.lines)
    lines.push_back(Json{{"label", l.label}, {"amount", amount(l.amount)}, {"kind", l.kind}, {"rule", l.rule}});
  return Json{{"as_of", format_date(st.as_of)}, {"lines", lines}, {"total_due", amount(st.total_due)}};
}

Output run_cancel(Context& ctx, const CancelOpts& o) {
  if (o.lang != "fr" && o.lang != "en") throw usage_error("invalid --lang '{}': expected fr or en", o.lang);
  const Lang lang = parse_lang(o.lang);
  CancelRequest r;
  r.customer = o.customer;
  r.letter_date = option_date(o.letter_date, "--letter-date");
  r.letter_ref = o.letter_ref;
  r.today = ctx.as_of();
  Ledger& ledger = ctx.ledger();
  // The letter is staged inside the cancellation's transaction and named only
  // once it committed: a failure leaves neither the cancellation nor a file.
  OutputFiles file(ledger.path(), o.force);
  if (o.statement) file.check(*o.statement);
  CancelResult res;
  std::string letter;  // the statement letter, a draft in a dry run (never written then)
  ledger.transaction([&] {
    res = cancel(ledger, r);
    if (!o.statement) return;
    letter = statement_letter(StatementLetter{res.customer, r.letter_date, r.letter_ref, res.subscriptions,
                                              res.statement, seller_at(ledger, res.statement.as_of), lang,
                                              ledger.dry_run()});
    if (!ledger.dry_run()) {
      file.stage(*o.statement, letter);
      file.sync();  // on disk before the cancellation commits
    }
  });
  file.commit();

  Output out;
  out.json = Json{{"customer", res.customer.code},
                  {"letter_date", format_date(r.letter_date)},
                  {"letter_ref", r.letter_ref},
                  {"effective_date", format_date(res.effective_date)},
                  {"subscriptions", Json::array()},
                  {"statement", statement_json(res.statement)},
                  {"statement_file", o.statement ? Json(*o.statement) : Json(nullptr)},
                  {"statement_written", o.statement.has_value() && !ledger.dry_run()}};
  out.json["credit_notes"] = Json::array();
  for (const auto& n : res.credit_notes) out.json["credit_notes"].push_back(to_json(n));
  if (o.statement && ledger.dry_run()) out.json["statement_preview"] = letter;
  Table lines{fmt::format("Balance statement of {} as of {}", res.customer.code, format_date(res.statement.as_of)),
              {"label", "kind", "rule", "amount"},
              {}};
  for (const auto& l : res.statement.lines) lines.rows.push_back({l.label, l.kind, l.rule, format_amount(l.amount)});
  out.tables.push_back(lines);
  Table subs{"Subscriptions cancelled", {"id", "cycle", "amount_ht", "start", "effective_date"}, {}};
  for (const auto& s : res.subscriptions) {
    out.json["subscriptions"].push_back(Json{{"id", s.id}, {"effective_date", format_date(*s.end_date)}});
    subs.rows.push_back({std::to_string(s.id), std::string(to_string(s.cycle)), format_amount(s.amount_ht),
                         format_date(s.start), format_date(*s.end_date)});
  }
  out.tables.push_back(subs);
  if (!res.credit_notes.empty())
    out.tables.push_back(invoice_table(res.credit_notes, "Credit notes for the days after the effective date (C4)"));
  out.lines.push_back(fmt::format("Cancellation of {} recorded (letter {} received {}): effective {}",
                                  res.customer.code, r.letter_ref, format_date(r.letter_date),
                                  format_date(res.effective_date)));
  out.lines.push_back(fmt::format("{}: {}", res.statement.total_due < 0 ? "Owed to the customer" : "Total due",
                                  format_amount(res.statement.total_due < 0 ? -res.statement.total_due
                                                                             : res.statement.total_due)));
  if (o.statement)
    out.lines.push_back(fmt::format("Statement letter {} {}", ledger.dry_run() ? "would be written to" : "written to",
                                    *o.statement));
  return out;
}

}  // namespace

void setup_cancel(CLI::App& cmd, Context& ctx, Action& action) {
  auto o = std::make_shared<CancelOpts>();
  cmd.add_option("--customer", o->customer, "customer code")->required();
  cmd.add_option("--letter-date", o->letter_date, "reception date of the registered letter, YYYY-MM-DD (C1)")
      ->required();
  cmd.add_option("--letter-ref", o->letter_ref, "postal reference of the registered letter (C1)")->required();
  cmd.add_option("--statement", o->statement,
                 "also write the balance statement as a letter (Markdown) to FILE, a new file");
  choice(cmd.add_option("--lang", o->lang, "language of the statement letter")->default_str("fr"), {"fr", "en"});
  cmd.add_flag("--force", o->force, "replace the --statement FILE if it exists (never the ledger, a link or a device)");
  example(&cmd, "tally --as-of 2026-09-16 cancel --customer acme --letter-date 2026-09-15 --letter-ref 1A12345678901 "
                "--statement acme-statement.md");
  on_parse(&cmd, ctx, action, o, run_cancel);
}

}  // namespace tally::cli
