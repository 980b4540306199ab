// tally cancel (C1-C4): record a registered letter, print the balance statement.
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>

#include "cli/views.hpp"
#include "tally/cancellation.hpp"
#include "tally/errors.hpp"

namespace tally::cli {
namespace {

struct CancelOpts {
  std::string customer, letter_date, letter_ref;
  std::optional<std::string> statement;
};

// A file written under a temporary name and renamed into place on commit(), so
// a failed command leaves an existing file as it was. Opening fails early with
// Error(internal) naming the path.
class PendingFile {
 public:
  explicit PendingFile(std::string path) : path_(std::move(path)), tmp_(path_ + ".tmp"), os_(tmp_) {
    if (!os_) throw Error(ExitCode::internal, fmt::format("cannot write '{}': {}", tmp_, std::strerror(errno)));
  }
  PendingFile(const PendingFile&) = delete;
  PendingFile& operator=(const PendingFile&) = delete;
  ~PendingFile() {
    if (!done_) std::remove(tmp_.c_str());
  }
  void commit(const std::string& text) {
    os_ << text;
    os_.close();
    if (!os_ || std::rename(tmp_.c_str(), path_.c_str()) != 0)
      throw Error(ExitCode::internal,
                  fmt::format("the cancellation is recorded but the statement could not be written to '{}': {}",
                              path_, std::strerror(errno)));
    done_ = true;
  }

 private:
  std::string path_, tmp_;
  std::ofstream os_;
  bool done_ = false;
};

Json statement_json(const Statement& st) {
  Json lines = Json::array();
  for (const auto& l : st.lines)
    lines.push_back(Json{{"label", l.label}, {"amount", amount(l.amount)}, {"kind", l.kind}, {"rule", l.rule}});
  return Json{{"as_of", format_date(st.as_of)}, {"lines", lines}, {"total_due", amount(st.total_due)}};
}

Output run_cancel(Context& ctx, const CancelOpts& o) {
  if (o.letter_date.find_first_not_of(' ') == std::string::npos)
    throw refused("C1", "cancellation refused: the reception date of the registered letter is required "
                  "(--letter-date YYYY-MM-DD)");
  CancelRequest r;
  r.customer = o.customer;
  r.letter_date = option_date(o.letter_date, "--letter-date");
  r.letter_ref = o.letter_ref;
  r.today = ctx.as_of();
  std::optional<PendingFile> file;
  if (o.statement) file.emplace(*o.statement);
  Ledger& ledger = ctx.ledger();
  const CancelResult res = cancel(ledger, r);
  if (file)
    file->commit(statement_letter(StatementLetter{res.customer, r.letter_date, r.letter_ref, res.subscriptions,
                                                  res.statement, ledger.dry_run()}));

  Output out;
  out.json = Json{{"customer", res.customer.code},
                  {"letter_date", format_date(r.letter_date)},
                  {"letter_ref", r.letter_ref},
                  {"effective_date", format_date(res.effective_date)},
                  {"subscriptions", Json::array()},
                  {"statement", statement_json(res.statement)},
                  {"statement_file", o.statement ? Json(*o.statement) : Json(nullptr)}};
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
  out.lines.push_back(fmt::format("Cancellation of {} recorded (letter {} received {}): effective {}",
                                  res.customer.code, r.letter_ref, format_date(r.letter_date),
                                  format_date(res.effective_date)));
  out.lines.push_back(fmt::format("{}: {}", res.statement.total_due < 0 ? "Owed to the customer" : "Total due",
                                  format_amount(res.statement.total_due < 0 ? -res.statement.total_due
                                                                             : res.statement.total_due)));
  if (o.statement) out.lines.push_back("Statement letter written to " + *o.statement);
  return out;
}

}  // namespace

void setup_cancel(CLI::App& cmd, Context& ctx, Action& action) {
  auto o = std::make_shared<CancelOpts>();
  cmd.add_option("--customer", o->customer, "customer code")->required();
  cmd.add_option("--letter-date", o->letter_date, "reception date of the registered letter, YYYY-MM-DD (C1)")
      ->required();
  cmd.add_option("--letter-ref", o->letter_ref, "postal reference of the registered letter (C1)")->required();
  cmd.add_option("--statement", o->statement, "also write the balance statement as a letter (Markdown) to FILE");
  example(&cmd, "tally --as-of 2026-09-16 cancel --customer acme --letter-date 2026-09-15 --letter-ref 1A12345678901 "
                "--statement acme-statement.md");
  on_parse(&cmd, ctx, action, o, run_cancel);
}

}  // namespace tally::cli
