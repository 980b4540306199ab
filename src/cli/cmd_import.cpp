// tally import payments FILE [--from FORMAT] [--rules FILE]: a bank statement,
// idempotent by reference; B1 and B2 (issue 21).
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <iostream>
#include <memory>

#include "cli/options.hpp"
#include "cli/progress.hpp"
#include "cli/views.hpp"
#include "tally/errors.hpp"
#include "tally/import.hpp"
#include "tally/text.hpp"

namespace tally::cli {
namespace {

struct PaymentsOpts {
  std::string file;
  std::optional<std::string> from;   // --from FORMAT
  std::optional<std::string> rules;  // --rules FILE: a bank CSV dialect
};

// The bytes of an open file descriptor, to its end. Throws Error(internal).
std::string read_all(int fd, const std::string& file) {
  std::string bytes;
  char buf[64 * 1024];
  for (;;) {
    const ssize_t n = ::read(fd, buf, sizeof buf);
    if (n == 0) return bytes;
    if (n < 0) {
      if (errno == EINTR) continue;
      throw Error(ExitCode::internal, fmt::format("cannot read '{}': {}", file, std::strerror(errno)));
    }
    bytes.append(buf, static_cast<std::size_t>(n));
  }
}

// The file's bytes ("-": standard input). Only a regular file is read: a
// directory, a device (/dev/zero), a FIFO or a socket is refused with
// Error(usage) before a byte is read. The file is opened without blocking (a
// FIFO with no writer would hang the open) and checked by its descriptor, so
// what is checked is what is read. Throws Error(not_found) for a missing
// file, Error(internal) for one that cannot be read.
std::string read_input(const std::string& file) {
  if (file == "-") return read_all(STDIN_FILENO, "standard input");
  const int fd = ::open(file.c_str(), O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENOENT || errno == ENOTDIR)
      throw not_found("no file '{}': expected a bank statement", file);
    throw Error(ExitCode::internal, fmt::format("cannot read '{}': {}", file, std::strerror(errno)));
  }
  struct Closer {
    int fd;
    ~Closer() { ::close(fd); }
  } closer{fd};
  struct stat st {};
  if (::fstat(fd, &st) != 0)
    throw Error(ExitCode::internal, fmt::format("cannot read '{}': {}", file, std::strerror(errno)));
  if (!S_ISREG(st.st_mode)) {
    const char* what = S_ISDIR(st.st_mode)    ? "a directory"
                       : S_ISFIFO(st.st_mode) ? "a FIFO (named pipe)"
                       : S_ISCHR(st.st_mode)  ? "a character device"
                       : S_ISBLK(st.st_mode)  ? "a block device"
                       : S_ISSOCK(st.st_mode) ? "a socket"
                                              : "not a regular file";
    throw usage_error("invalid statement '{}': {}; expected a regular file (a bank statement), or '-' for "
                      "standard input",
                      file, what);
  }
  // A regular file: reads block again as usual.
  if (const int flags = ::fcntl(fd, F_GETFL); flags >= 0) ::fcntl(fd, F_SETFL, flags & ~O_NONBLOCK);
  return read_all(fd, file);
}

std::string_view status_name(ImportStatus s) {
  switch (s) {
    case ImportStatus::recorded: return "recorded";
    case ImportStatus::duplicate: return "duplicate";
    case ImportStatus::suspense: return "suspense";
  }
  return "suspense";
}

Json line_json(const ImportedLine& l) {
  const BankLine& s = l.source;
  Json j{{"line", s.line},
         {"date", format_date(s.date)},
         {"amount", amount(s.amount)},
         {"reference", s.reference},
         {"label", s.label},
         {"method", to_string(s.method)}};
  switch (l.status) {
    case ImportStatus::recorded:
      j["invoice"] = l.invoice;
      j["payment"] = l.payment_id;
      j["fee_invoice"] = l.fee_invoice.empty() ? Json(nullptr) : Json(l.fee_invoice);
      j["to_credit"] = amount(l.to_credit);
      break;
    case ImportStatus::duplicate:
      j["payment"] = l.payment_id ? Json(l.payment_id) : Json(nullptr);  // null: a suspense line
      j["invoice"] = l.invoice.empty() ? Json(nullptr) : Json(l.invoice);
      break;
    case ImportStatus::suspense: j["reason"] = l.reason; break;
  }
  return j;
}

Row line_row(const ImportedLine& l) {
  std::string detail = l.status == ImportStatus::suspense ? l.reason : l.source.label;
  if (l.to_credit > 0) detail = fmt::format("{} to customer credit; {}", format_amount(l.to_credit), detail);
  return {std::to_string(l.source.line), std::string(status_name(l.status)), format_date(l.source.date),
          format_amount(l.source.amount), l.source.reference, l.invoice,
          l.payment_id ? std::to_string(l.payment_id) : "", l.fee_invoice, detail};
}

Json statement_json(const StatementSummary& s) {
  const bank::Reconciliation& r = s.reconciliation;
  return Json{{"statement", s.label},
              {"account", s.account},
              {"currency", s.currency},
              {"entries", r.count},
              {"credits", r.credits},
              {"credit_total", amount(r.credit_total)},
              {"debits_skipped", r.debits_skipped},
              {"debit_total", amount(r.debit_total)},
              {"opening", amount(r.opening)},
              {"closing", amount(r.closing)},
              {"reconciled", r.checked},
              {"note", r.note}};
}

// The file read as its format says: tally's own CSV (no --from or --from csv,
// no --rules, and not a bank format by its content), else a bank statement
// whose statements are reconciled (B1) into lines.
struct Input {
  std::optional<BankFile> bank;  // none: tally's own CSV
  BankStatement statement;
};

Input read_statement_file(const PaymentsOpts& o, Date today) {
  std::optional<bank::Format> forced;
  if (o.from) {
    try {
      forced = bank::parse_format(*o.from);
    } catch (const Error&) {
      throw usage_error("invalid --from '{}': expected camt053, cfonb120, ofx or csv", shown_text(*o.from));
    }
  }
  if (o.rules && forced && *forced != bank::Format::csv)
    throw usage_error("--rules describes a CSV dialect: it goes with --from csv (or no --from), not --from {}",
                      *o.from);
  std::string bytes = read_input(o.file);
  const bank::Format format = o.rules ? bank::Format::csv : forced ? *forced : bank::detect_format(bytes);
  Input in;
  if (format == bank::Format::csv && !o.rules) {
    in.statement = parse_statement(bytes, today);  // tally's own CSV (CLI.md)
    return in;
  }
  std::optional<bank::CsvRules> rules;
  if (o.rules) {
    std::string text;
    try {
      text = read_input(*o.rules);
    } catch (const Error& e) {
      if (e.code() != ExitCode::not_found) throw;
      throw not_found("no rules file '{}' (--rules): expected a bank CSV's rules, such as "
                      "data/bank-rules/fr-bank.rules",
                      *o.rules);
    }
    try {
      rules = bank::parse_csv_rules(text);
    } catch (const Error& e) {
      if (e.code() != ExitCode::usage) throw;
      throw Error(e.code(), fmt::format("--rules {}: {}", *o.rules, e.what()));
    }
  }
  std::vector<bank::Statement> statements;
  try {
    statements = bank::read_statements(bytes, format, rules ? &*rules : nullptr);
  } catch (const Error& e) {
    if (e.code() != ExitCode::usage) throw;
    throw Error(e.code(), fmt::format("{} ({}{}): {}", o.file, bank::to_string(format), forced || o.rules ? "" : ", detected",
                                      e.what()));
  }
  std::string().swap(bytes);
  in.bank = bank_file_lines(format, statements, today);  // B1: Error(refused) naming the gap
  in.statement = std::move(in.bank->statement);
  return in;
}

Output run_payments(Context& ctx, const PaymentsOpts& o) {
  const Date today = ctx.as_of();
  // Shared with the output's generators: a statement may have 100k lines, so
  // the rows and JSON elements are made while printing, not held (issue 9).
  auto r = std::make_shared<ImportResult>();
  std::optional<BankFile> bank;
  {
    Input in = read_statement_file(o, today);  // the text is freed here
    bank = std::move(in.bank);
    BankStatement statement = std::move(in.statement);
    Progress bar(ctx, "import payments");
    *r = import_payments(ctx.ledger(), std::move(statement), o.file, today,
                         [&bar](std::size_t done, std::size_t total) { bar.update(done, total); });
  }
  Output out;
  out.json = Json{{"file", o.file},
                  {"format", bank ? std::string(bank::to_string(bank->format)) : std::string("tally-csv")},
                  {"recorded", Json::array()},
                  {"duplicates", Json::array()},
                  {"suspense", Json::array()},
                  {"rejected", Json::array()}};
  if (bank) {
    out.json["statements"] = Json::array();
    for (const auto& s : bank->statements) out.json["statements"].push_back(statement_json(s));
    out.json["debits_skipped"] = bank->debits_skipped;
    out.json["debit_total"] = amount(bank->debit_total);
  }
  if (!r->rejected.empty()) {
    Table rej{"", {"line", "reason"}, {}};
    for (const auto& e : r->rejected) {
      out.json["rejected"].push_back(Json{{"line", e.line}, {"reason", e.reason}});
      rej.rows.push_back({std::to_string(e.line), e.reason});
    }
    out.tables.push_back(std::move(rej));
    out.exit_code = static_cast<int>(ExitCode::usage);
    // tally's own CSV whose header is not tally's: most likely a bank's CSV export.
    const bool foreign_header = !bank && r->rejected.front().line == 1 &&
                                r->rejected.front().reason.find("the header") != std::string::npos;
    std::cerr << "tally: error: "
              << escape_control(fmt::format("{}: {} malformed line(s), nothing recorded: line {}: {}{}{}", o.file,
                                            r->rejected.size(), r->rejected.front().line, r->rejected.front().reason,
                                            r->rejected.size() > 1 ? " (all of them: --format json, or the table)"
                                                                   : "",
                                            foreign_header ? "; a bank's CSV export is read with --rules FILE (see "
                                                             "data/bank-rules/fr-bank.rules)"
                                                           : ""))
              << "\n";
    return out;
  }
  for (const auto& [key, status] : {std::pair{"recorded", ImportStatus::recorded},
                                    std::pair{"duplicates", ImportStatus::duplicate},
                                    std::pair{"suspense", ImportStatus::suspense}}) {
    out.json_arrays[key] = [r, status](const std::function<void(const Json&)>& sink) {
      for (const auto& l : r->lines)
        if (l.status == status) sink(line_json(l));
    };
  }
  Table t{"", {"line", "status", "date", "amount", "reference", "invoice", "payment", "fee_invoice", "detail"}, {}};
  t.generate = [r](const RowSink& sink) {
    for (const auto& l : r->lines) sink(line_row(l));
  };
  out.tables.push_back(std::move(t));
  Cents recorded = 0;
  for (const auto& l : r->lines)
    if (l.status == ImportStatus::recorded) recorded += l.source.amount;
  if (bank) {
    for (const auto& s : bank->statements) {
      const bank::Reconciliation& c = s.reconciliation;
      out.lines.push_back(escape_control(fmt::format(
          "{}: {} entries, {} credit(s) {}, {} debit(s) {} skipped; {}{}", s.label, c.count, c.credits,
          format_amount(c.credit_total), c.debits_skipped, format_amount(c.debit_total),
          c.checked ? fmt::format("B1: {} + {} - {} = {}, reconciled", format_amount(c.opening),
                                  format_amount(c.credit_total), format_amount(c.debit_total), format_amount(c.closing))
                    : "B1 not checked",
          c.note.empty() ? "" : " (" + c.note + ")")));
    }
    if (r->lines.empty())
      out.lines.push_back(fmt::format("{}: no credit entry: nothing to import{}", o.file,
                                      bank->statements.empty() ? " (no statement in the file)" : ""));
  }
  out.lines.push_back(fmt::format("{}: {} line(s): {} recorded ({}), {} duplicate(s), {} in suspense{}{}", o.file,
                                  r->lines.size(), r->count(ImportStatus::recorded), format_amount(recorded),
                                  r->count(ImportStatus::duplicate), r->count(ImportStatus::suspense),
                                  bank ? fmt::format(", {} debit(s) skipped", bank->debits_skipped) : "",
                                  r->count(ImportStatus::suspense) ? " (see tally report suspense)" : ""));
  return out;
}

}  // namespace

void setup_import(CLI::App& cmd, Context& ctx, Action& action) {
  cmd.require_subcommand(1);
  auto o = std::make_shared<PaymentsOpts>();
  auto* payments = cmd.add_subcommand(
      "payments", "record a bank statement: CAMT.053, CFONB 120, OFX, a bank CSV with --rules, or tally's CSV "
                  "date,amount,reference,label[,method] (idempotent by reference)");
  payments->add_option("FILE", o->file, "the statement ('-' for standard input); its format is detected")->required();
  choice(payments->add_option("--from", o->from, "force the format (default: detected)"),
         {"camt053", "cfonb120", "ofx", "csv"});
  payments->add_option("--rules", o->rules, "a bank CSV's rules file (see data/bank-rules/fr-bank.rules)");
  example(payments, "tally --dry-run import payments statement-2026-03.xml  (then without --dry-run)");
  on_parse(payments, ctx, action, o, run_payments);
}

}  // namespace tally::cli
