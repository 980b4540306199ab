// tally import payments FILE [--from FORMAT] [--rules FILE]: a bank statement,
// idempotent by reference; B1 and B2 (issue 21).
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <exception>
#include <iostream>
#include <memory>

#include "cli/options.hpp"
#include "cli/progress.hpp"
#include "cli/views.hpp"
#include "tally/errors.hpp"
#include "tally/import.hpp"
#include "tally/ledger/import.hpp"
#include "tally/text.hpp"

namespace tally::cli {
namespace {

struct PaymentsOpts {
  std::string file;
  std::optional<std::string> from;   // --from FORMAT
  std::optional<std::string> rules;  // --rules FILE: a bank CSV dialect
};

// Reads up to `size` bytes of an open file descriptor (fewer only at its
// end). Throws Error(internal).
std::size_t read_some(int fd, const std::string& file, char* buf, std::size_t size) {
  std::size_t got = 0;
  while (got < size) {
    const ssize_t n = ::read(fd, buf + got, size - got);
    if (n == 0) break;
    if (n < 0) {
      if (errno == EINTR) continue;
      throw Error(ExitCode::internal, fmt::format("cannot read '{}': {}", file, std::strerror(errno)));
    }
    got += static_cast<std::size_t>(n);
  }
  return got;
}

// A statement file being read: its descriptor ("-": standard input), its
// first bytes, and how many were read in all.
class InputFile {
 public:
  // Opens the file ("-": standard input). Only a regular file is read: a
  // directory, a device (/dev/zero), a FIFO or a socket is refused with
  // Error(usage) before a byte is read. The file is opened without blocking
  // (a FIFO with no writer would hang the open) and checked by its
  // descriptor, so what is checked is what is read. Throws Error(not_found)
  // for a missing file, Error(internal) for one that cannot be read. Then
  // reads the first kHead bytes.
  explicit InputFile(const std::string& file) : name_(file == "-" ? "standard input" : file) {
    if (file == "-") {
      fd_ = STDIN_FILENO;
    } else {
      fd_ = ::open(file.c_str(), O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
      if (fd_ < 0) {
        if (errno == ENOENT || errno == ENOTDIR)
          throw not_found("no file '{}': expected a bank statement", file);
        throw Error(ExitCode::internal, fmt::format("cannot read '{}': {}", file, std::strerror(errno)));
      }
      owned_ = true;
      struct stat st {};
      if (::fstat(fd_, &st) != 0)
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
      size_ = static_cast<std::size_t>(st.st_size);
      // A regular file: reads block again as usual.
      if (const int flags = ::fcntl(fd_, F_GETFL); flags >= 0) ::fcntl(fd_, F_SETFL, flags & ~O_NONBLOCK);
    }
    head_.resize(kHead);
    head_.resize(read_some(fd_, name_, head_.data(), kHead));
    eof_ = head_.size() < kHead;
    read_ = head_.size();
  }
  InputFile(const InputFile&) = delete;
  InputFile& operator=(const InputFile&) = delete;
  ~InputFile() {
    if (owned_) ::close(fd_);
  }

  const std::string& head() const { return head_; }
  bool whole() const { return eof_; }      // head() is the whole file
  std::size_t size() const { return size_; }  // of a regular file; 0 for standard input
  std::size_t read() const { return read_; }  // bytes given so far

  // The whole file, the head first (then head() is empty).
  std::string all() {
    std::string bytes = std::move(head_);
    head_.clear();
    char buf[64 * 1024];
    while (!eof_) {
      const std::size_t n = read_some(fd_, name_, buf, sizeof buf);
      bytes.append(buf, n);
      read_ += n;
      eof_ = n == 0;
    }
    return bytes;
  }

  // The file's bytes in order, head first, for a streaming reader.
  std::size_t next(char* buf, std::size_t size) {
    if (given_ < head_.size()) {
      const std::size_t n = std::min(size, head_.size() - given_);
      std::memcpy(buf, head_.data() + given_, n);
      given_ += n;
      if (given_ == head_.size()) {  // given: freed
        std::string().swap(head_);
        given_ = 0;
      }
      return n;
    }
    if (eof_) return 0;
    const std::size_t n = read_some(fd_, name_, buf, size);
    read_ += n;
    eof_ = n < size;
    return n;
  }

 private:
  static constexpr std::size_t kHead = 64 * 1024;
  std::string name_;
  int fd_ = -1;
  bool owned_ = false;
  std::string head_;
  std::size_t given_ = 0;  // of head_, by next()
  bool eof_ = false;
  std::size_t size_ = 0;
  std::size_t read_ = 0;
};

// A rules file's text (small: read whole).
std::string read_rules(const std::string& file) {
  InputFile in(file);
  return in.all();
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

// The lines of an import as they were decided, kept in an unnamed temporary
// file until they are printed: a 100k-line statement's results are never in
// memory (issue 23). Holds what line_json and line_row show.
class Spill {
 public:
  Spill() : file_(std::tmpfile()) {
    if (file_ == nullptr)
      throw Error(ExitCode::internal, fmt::format("cannot create a temporary file for the import's lines: {}",
                                                  std::strerror(errno)));
  }
  Spill(const Spill&) = delete;  // one thread: the stdio calls below take no lock
  Spill& operator=(const Spill&) = delete;
  ~Spill() { std::fclose(file_); }

  void add(const ImportedLine& l) {
    const BankLine& s = l.source;
    put(static_cast<std::int64_t>(s.line));
    put(static_cast<std::int64_t>(to_days(s.date)));
    put(s.amount);
    put(static_cast<std::int64_t>(s.method));
    put(static_cast<std::int64_t>(l.status));
    put(l.payment_id);
    put(l.to_credit);
    for (const std::string* t : {&s.reference, &s.label, &l.invoice, &l.fee_invoice, &l.reason}) {
      put(static_cast<std::int64_t>(t->size()));
      write(t->data(), t->size());
    }
  }

  // Each line in order (what line_json and line_row read of it).
  void for_each(const std::function<void(const ImportedLine&)>& fn) const {
    if (std::fflush(file_) != 0 || std::fseek(file_, 0, SEEK_SET) != 0) fail();
    ImportedLine l;
    for (;;) {
      std::int64_t v = 0;
      if (fread_unlocked(&v, sizeof v, 1, file_) != 1) {
        if (std::feof(file_)) break;
        fail();
      }
      BankLine& s = l.source;
      s.line = static_cast<int>(v);
      s.date = from_days(get());
      s.amount = get();
      s.method = static_cast<Method>(get());
      l.status = static_cast<ImportStatus>(get());
      l.payment_id = get();
      l.to_credit = get();
      for (std::string* t : {&s.reference, &s.label, &l.invoice, &l.fee_invoice, &l.reason}) {
        t->resize(static_cast<std::size_t>(get()));
        if (!t->empty() && fread_unlocked(t->data(), 1, t->size(), file_) != t->size()) fail();
      }
      fn(l);
    }
    std::fseek(file_, 0, SEEK_END);
  }

 private:
  static std::int64_t to_days(Date d) { return d.time_since_epoch().count(); }
  static Date from_days(std::int64_t n) { return Date(typename Date::duration(n)); }
  void put(std::int64_t v) { write(&v, sizeof v); }
  void write(const void* p, std::size_t n) {
    if (n != 0 && fwrite_unlocked(p, 1, n, file_) != n) fail();
  }
  std::int64_t get() const {
    std::int64_t v = 0;
    if (fread_unlocked(&v, sizeof v, 1, file_) != 1) fail();
    return v;
  }
  [[noreturn]] static void fail() {
    throw Error(ExitCode::internal, "cannot write or read back the import's lines in a temporary file");
  }
  std::FILE* file_;
};

// The bank statements of a file given to the import as they are read: B1 per
// statement once its entries are counted, the credit entries as lines (checked
// as bank_file_lines checks them), the debits counted.
class BankFeed final : public bank::StatementSink {
 public:
  BankFeed(Date today, const BankLineSink& line, const CsvErrorSink& error, std::vector<StatementSummary>& summaries)
      : today_(today), line_(line), error_(error), summaries_(summaries) {}

  void begin(const bank::Statement&) override { totals_ = {}; }
  void entry(const bank::Statement& s, bank::Entry&& e) override {
    totals_.add(e);
    if (b1_ || e.direction != bank::Direction::credit) return;  // B1: only credits are candidate payments
    LineError err;
    if (auto l = bank_line(s, e, today_, err)) line_(std::move(*l));
    else error_(std::move(err));
  }
  void end(const bank::Statement& s) override {
    if (b1_) return;
    try {
      summaries_.push_back({s.label(), s.account, s.currency, bank::reconcile(s, totals_)});
    } catch (const Error&) {
      b1_ = std::current_exception();  // after the reader's own errors, before the lines'
    }
  }
  // The first statement that does not add up (B1), once the file is read.
  void check() const {
    if (b1_) std::rethrow_exception(b1_);
  }

 private:
  Date today_;
  const BankLineSink& line_;
  const CsvErrorSink& error_;
  std::vector<StatementSummary>& summaries_;
  bank::EntryTotals totals_;
  std::exception_ptr b1_;
};

Output run_payments(Context& ctx, const PaymentsOpts& o) {
  const Date today = ctx.as_of();
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
  auto input = std::make_unique<InputFile>(o.file);
  std::string bytes;  // the whole file, unless it is streamed (CAMT.053)
  std::optional<bank::Format> format = o.rules ? std::optional(bank::Format::csv) : forced;
  if (!format && !input->whole()) format = bank::detect_format_head(input->head());
  bool whole = false;  // the file is in `bytes`
  if (!format || *format != bank::Format::camt053) {
    bytes = input->all();
    whole = true;
    if (!format) format = bank::detect_format(bytes);
  }
  const bool own_csv = *format == bank::Format::csv && !o.rules;  // tally's own CSV (CLI.md)
  std::optional<bank::CsvRules> rules;
  if (o.rules) {
    std::string text;
    try {
      text = read_rules(*o.rules);
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
  // A reader's error names the file and the format.
  const auto reader_error = [&](const Error& e) {
    return Error(e.code(), fmt::format("{} ({}{}): {}", o.file, bank::to_string(*format),
                                       forced || o.rules ? "" : ", detected", e.what()));
  };
  std::vector<bank::Statement> statements;  // a bank format other than CAMT.053: read whole
  if (!own_csv && *format != bank::Format::camt053) {
    try {
      statements = bank::read_statements(bytes, format, rules ? &*rules : nullptr);
    } catch (const Error& e) {
      if (e.code() != ExitCode::usage) throw;
      throw reader_error(e);
    }
    std::string().swap(bytes);
  }

  std::vector<StatementSummary> summaries;
  // Shared with the output's generators: a statement may have 100k lines, so
  // the rows and JSON elements are made while printing, not held (issue 9),
  // from the spill file (issue 23).
  auto lines = std::make_shared<Spill>();
  ImportTotals totals;
  {
    Progress bar(ctx, "import payments");
    std::size_t total = 0;
    if (own_csv) total = static_cast<std::size_t>(std::count(bytes.begin(), bytes.end(), '\n'));
    for (const auto& st : statements) total += st.entries.size();
    std::size_t done = 0;
    const StatementFeed feed = [&](const BankLineSink& line, const CsvErrorSink& error) {
      if (own_csv) return read_statement_lines(bytes, today, line, error);
      BankFeed sink(today, line, error, summaries);
      if (*format == bank::Format::camt053) {
        try {
          std::size_t at = 0;
          const bank::ByteSource source = [&](char* buf, std::size_t size) {
            if (!whole) return input->next(buf, size);
            const std::size_t n = std::min(size, bytes.size() - at);
            std::memcpy(buf, bytes.data() + at, n);
            at += n;
            return n;
          };
          bank::read_camt053(source, sink);
        } catch (const Error& e) {
          if (e.code() != ExitCode::usage) throw;
          throw reader_error(e);
        }
      } else {
        bank::send_statements(statements, sink);
      }
      sink.check();
    };
    totals = import_stream(ctx.ledger(), feed, o.file, today, [&](ImportedLine&& l) {
      lines->add(l);
      if (*format == bank::Format::camt053) bar.update(input->read(), std::max(input->size(), input->read()));
      else bar.update(++done, std::max(total, done));
    });
  }
  input.reset();
  std::string().swap(bytes);
  std::vector<bank::Statement>().swap(statements);
  const bool bank = !own_csv;
  std::size_t debits_skipped = 0;
  Cents debit_total = 0;
  for (const auto& s : summaries) {
    debits_skipped += s.reconciliation.debits_skipped;
    debit_total += s.reconciliation.debit_total;
  }

  Output out;
  out.json = Json{{"file", o.file},
                  {"format", bank ? std::string(bank::to_string(*format)) : std::string("tally-csv")},
                  {"recorded", Json::array()},
                  {"duplicates", Json::array()},
                  {"suspense", Json::array()},
                  {"rejected", Json::array()}};
  if (bank) {
    out.json["statements"] = Json::array();
    for (const auto& s : summaries) out.json["statements"].push_back(statement_json(s));
    out.json["debits_skipped"] = debits_skipped;
    out.json["debit_total"] = amount(debit_total);
  }
  if (!totals.rejected.empty()) {
    const auto& rejected = totals.rejected;
    Table rej{"", {"line", "reason"}, {}};
    for (const auto& e : rejected) {
      out.json["rejected"].push_back(Json{{"line", e.line}, {"reason", e.reason}});
      rej.rows.push_back({std::to_string(e.line), e.reason});
    }
    out.tables.push_back(std::move(rej));
    out.exit_code = static_cast<int>(ExitCode::usage);
    // tally's own CSV whose header is not tally's: most likely a bank's CSV export.
    const bool foreign_header = !bank && rejected.front().line == 1 &&
                                rejected.front().reason.find("the header") != std::string::npos;
    std::cerr << "tally: error: "
              << escape_control(fmt::format("{}: {} malformed line(s), nothing recorded: line {}: {}{}{}", o.file,
                                            rejected.size(), rejected.front().line, rejected.front().reason,
                                            rejected.size() > 1 ? " (all of them: --format json, or the table)"
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
    out.json_arrays[key] = [lines, status](const std::function<void(const Json&)>& sink) {
      lines->for_each([&](const ImportedLine& l) {
        if (l.status == status) sink(line_json(l));
      });
    };
  }
  Table t{"", {"line", "status", "date", "amount", "reference", "invoice", "payment", "fee_invoice", "detail"}, {}};
  t.generate = [lines](const RowSink& sink) { lines->for_each([&](const ImportedLine& l) { sink(line_row(l)); }); };
  out.tables.push_back(std::move(t));
  if (bank) {
    for (const auto& s : summaries) {
      const bank::Reconciliation& c = s.reconciliation;
      out.lines.push_back(escape_control(fmt::format(
          "{}: {} entries, {} credit(s) {}, {} debit(s) {} skipped; {}{}", s.label, c.count, c.credits,
          format_amount(c.credit_total), c.debits_skipped, format_amount(c.debit_total),
          c.checked ? fmt::format("B1: {} + {} - {} = {}, reconciled", format_amount(c.opening),
                                  format_amount(c.credit_total), format_amount(c.debit_total), format_amount(c.closing))
                    : "B1 not checked",
          c.note.empty() ? "" : " (" + c.note + ")")));
    }
    if (totals.lines == 0)
      out.lines.push_back(fmt::format("{}: no credit entry: nothing to import{}", o.file,
                                      summaries.empty() ? " (no statement in the file)" : ""));
  }
  out.lines.push_back(fmt::format("{}: {} line(s): {} recorded ({}), {} duplicate(s), {} in suspense{}{}", o.file,
                                  totals.lines, totals.recorded, format_amount(totals.recorded_total),
                                  totals.duplicates, totals.suspense,
                                  bank ? fmt::format(", {} debit(s) skipped", debits_skipped) : "",
                                  totals.suspense ? " (see tally report suspense)" : ""));
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
