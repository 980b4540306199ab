// tally import payments FILE.csv: a bank statement, idempotent by reference.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <iostream>
#include <memory>

#include "cli/progress.hpp"
#include "cli/views.hpp"
#include "tally/errors.hpp"
#include "tally/import.hpp"
#include "tally/text.hpp"

namespace tally::cli {
namespace {

struct PaymentsOpts {
  std::string file;
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
      throw not_found("no file '{}': expected a bank statement CSV", file);
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
    throw usage_error("invalid statement '{}': {}; expected a regular file (a bank statement CSV), or '-' for "
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

Output run_payments(Context& ctx, const PaymentsOpts& o) {
  const Date today = ctx.as_of();
  // Shared with the output's generators: a statement may have 100k lines, so
  // the rows and JSON elements are made while printing, not held (issue 9).
  auto r = std::make_shared<ImportResult>();
  {
    BankStatement statement = parse_statement(read_input(o.file), today);  // the text is freed here
    Progress bar(ctx, "import payments");
    *r = import_payments(ctx.ledger(), std::move(statement), o.file, today,
                         [&bar](std::size_t done, std::size_t total) { bar.update(done, total); });
  }
  Output out;
  out.json = Json{{"file", o.file},
                  {"recorded", Json::array()},
                  {"duplicates", Json::array()},
                  {"suspense", Json::array()},
                  {"rejected", Json::array()}};
  if (!r->rejected.empty()) {
    Table rej{"", {"line", "reason"}, {}};
    for (const auto& e : r->rejected) {
      out.json["rejected"].push_back(Json{{"line", e.line}, {"reason", e.reason}});
      rej.rows.push_back({std::to_string(e.line), e.reason});
    }
    out.tables.push_back(std::move(rej));
    out.exit_code = static_cast<int>(ExitCode::usage);
    std::cerr << "tally: error: "
              << escape_control(fmt::format("{}: {} malformed line(s), nothing recorded: line {}: {}{}", o.file,
                                            r->rejected.size(), r->rejected.front().line, r->rejected.front().reason,
                                            r->rejected.size() > 1 ? " (all of them: --format json, or the table)"
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
  out.lines.push_back(fmt::format("{}: {} line(s): {} recorded ({}), {} duplicate(s), {} in suspense{}", o.file,
                                  r->lines.size(), r->count(ImportStatus::recorded), format_amount(recorded),
                                  r->count(ImportStatus::duplicate), r->count(ImportStatus::suspense),
                                  r->count(ImportStatus::suspense) ? " (see tally report suspense)" : ""));
  return out;
}

}  // namespace

void setup_import(CLI::App& cmd, Context& ctx, Action& action) {
  cmd.require_subcommand(1);
  auto o = std::make_shared<PaymentsOpts>();
  auto* payments = cmd.add_subcommand(
      "payments", "record a bank statement: date,amount,reference,label[,method] (idempotent by reference)");
  payments->add_option("FILE", o->file, "the statement CSV ('-' for standard input)")->required();
  example(payments, "tally --dry-run import payments statement-2026-03.csv  (then without --dry-run)");
  on_parse(payments, ctx, action, o, run_payments);
}

}  // namespace tally::cli
