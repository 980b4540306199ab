// tally export fec | journal: the accountant's books (A2), streamed from the
// ledger one entry at a time to stdout or to a file placed by OutputFiles;
// tally export json: the whole ledger as one JSON document, streamed the same way.
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>

#include <date/date.h>

#include "cli/cli.hpp"
#include "cli/views.hpp"
#include "tally/accounting.hpp"
#include "tally/errors.hpp"
#include "tally/export.hpp"
#include "tally/files.hpp"

namespace tally::cli {
namespace {

struct ExportOpts {
  std::optional<std::string> year, from, to;
  std::optional<std::string> output, dir;
  bool force = false;
};

struct Period {
  Date first, last;
};

// --year YYYY, or --from DATE --to DATE. Throws Error(usage).
Period period_of(const ExportOpts& o) {
  if (o.year && (o.from || o.to))
    throw usage_error("invalid --year '{}' with --from/--to: expected either --year YYYY or --from DATE --to DATE",
                      *o.year);
  if (o.year) {
    const bool digits = o.year->size() == 4 && o.year->find_first_not_of("0123456789") == std::string::npos;
    const auto y = digits ? parse_count(*o.year, "--year", 9999) : 0;
    if (y < 1900) throw usage_error("invalid --year '{}': expected a year YYYY from 1900 to 9999", *o.year);
    const date::year yy{static_cast<int>(y)};
    return {date::sys_days{yy / 1 / 1}, date::sys_days{yy / 12 / 31}};
  }
  if (!o.from && !o.to)
    throw usage_error("no period given: expected --year YYYY or --from DATE --to DATE");
  if (!o.from || !o.to)
    throw usage_error("invalid {} '{}' alone: --from and --to go together (or --year YYYY)", o.from ? "--from" : "--to",
                      o.from ? *o.from : *o.to);
  const Period p{option_date(*o.from, "--from"), option_date(*o.to, "--to")};
  if (p.first > p.last)
    throw usage_error("invalid --from '{}': after --to '{}'; expected a first day on or before the last", *o.from, *o.to);
  return p;
}

// Where the text goes: stdout, or a temporary file that OutputFiles names.
class Sink {
 public:
  Sink() : f_(stdout), name_("standard output") {}
  explicit Sink(const std::string& tmp, std::string shown) : name_(std::move(shown)) {
    f_ = std::fopen(tmp.c_str(), "wb");
    if (f_ == nullptr) fail(errno);
    owned_ = true;
  }
  Sink(const Sink&) = delete;
  Sink& operator=(const Sink&) = delete;
  ~Sink() {
    if (owned_ && f_ != nullptr) std::fclose(f_);
  }
  void write(std::string_view s) {
    if (!s.empty() && std::fwrite(s.data(), 1, s.size(), f_) != s.size()) fail(errno);
  }
  // Flushes, and for a file syncs and closes it.
  void finish() {
    if (std::fflush(f_) != 0) fail(errno);
    if (!owned_) return;
    if (::fsync(::fileno(f_)) != 0) fail(errno);
    const int rc = std::fclose(f_);
    f_ = nullptr;
    if (rc != 0) fail(errno);
  }

 private:
  [[noreturn]] void fail(int err) const {
    throw Error(ExitCode::internal, fmt::format("cannot write '{}': {}", name_, std::strerror(err)));
  }
  std::FILE* f_ = nullptr;
  std::string name_;
  bool owned_ = false;
};

// Streams an export to `path`, a new file written all or nothing (OutputFiles:
// kept only when `body` and the sync succeed), or to stdout when none; on a
// dry run to a file nothing is written and `body` gets no sink. Returns what
// `body` counted.
template <typename Body>
auto stream_export(Ledger& ledger, const std::optional<std::string>& path, bool force, bool dry, Body&& body) {
  OutputFiles files(ledger.path(), force);
  std::optional<Sink> sink;
  if (path) {
    files.check(*path);
    if (!dry) sink.emplace(files.reserve(*path), *path);
  } else {
    sink.emplace();
  }
  try {
    auto counted = body(sink);
    if (sink) sink->finish();
    sink.reset();
    files.commit();
    return counted;
  } catch (...) {
    sink.reset();
    files.discard();
    throw;
  }
}

enum class Kind { fec, journal };

// The header of the hledger journal: what it is, the commodity and every
// account it can use (so that `hledger check --strict` passes).
std::string journal_header(Ledger& ledger, const Period& p) {
  std::string out = fmt::format(
      "; tally export journal: the entries of {} to {} (A2), opening balances first.\n"
      "; Sales (VE), bank (BQ), settlements from customer credit (OD), opening balances (AN).\n\n"
      "commodity 1000.00 EUR\n\n",
      format_date(p.first), format_date(p.last));
  Posting probe;
  std::vector<std::string> accounts;
  for (Account a : {Account::bank, Account::retained, Account::interest, Account::indemnity}) {
    probe.account = a;
    accounts.push_back(ledger_account(probe));
  }
  probe.account = Account::revenue;
  for (InvoiceKind k : {InvoiceKind::subscription, InvoiceKind::setup, InvoiceKind::services, InvoiceKind::fee}) {
    probe.kind = k;
    accounts.push_back(ledger_account(probe));
  }
  probe.account = Account::vat;
  for (Rate r : vat_rates(ledger)) {
    probe.vat_rate = r;
    accounts.push_back(ledger_account(probe));
  }
  for (const Customer& c : list_customers(ledger)) {
    probe.customer = c.code;
    for (Account a : {Account::receivable, Account::customer_credit}) {
      probe.account = a;
      accounts.push_back(ledger_account(probe));
    }
  }
  for (const auto& a : accounts) out += "account " + a + "\n";
  return out + "\n";
}

Output run_export(Context& ctx, const ExportOpts& o, Kind kind) {
  const Period p = period_of(o);
  if (o.output && o.dir) throw usage_error("invalid --dir '{}' with -o: expected one of -o FILE or --dir DIR", *o.dir);
  Ledger& ledger = ctx.reader();
  std::optional<std::string> path = o.output;
  if (o.dir) {
    std::error_code ec;
    if (std::filesystem::symlink_status(*o.dir, ec).type() != std::filesystem::file_type::directory)
      throw usage_error("invalid --dir '{}': not a directory; expected an existing directory", *o.dir);
    const SellerIdentity seller = seller_at(ledger, p.last);
    if (seller.siren.empty())
      throw refused("E2", "the FEC file is named after the seller's SIREN, which is not set on {}: "
                          "tally seller set siren NUMBER --effective DATE (or -o FILE)",
                    format_date(p.last));
    path = (std::filesystem::path(*o.dir) / fmt::format("{}FEC{}.txt", seller.siren, fec_date(p.last))).string();
  }
  const bool dry = ctx.g.dry_run;
  std::int64_t number = 0;
  const Policy policy = policy_at(ledger, p.last);
  const ExportTotals totals = stream_export(ledger, path, o.force, dry, [&](std::optional<Sink>& sink) {
    if (sink) sink->write(kind == Kind::fec ? std::string(kFecHeader) + "\r\n" : journal_header(ledger, p));
    return export_entries(ledger, p.first, p.last, [&](const Entry& e) {
      if (!sink) return;
      if (kind == Kind::fec) sink->write(to_latin9(fec_lines(e, ++number, policy)));
      else sink->write(ledger_transaction(e));
    });
  });
  Output out;
  if (!path) {
    out.raw = "";  // the export itself went to stdout
    return out;
  }
  out.json = Json{{"format", kind == Kind::fec ? "fec" : "journal"},
                  {"file", *path},
                  {"from", format_date(p.first)},
                  {"to", format_date(p.last)},
                  {"entries", totals.entries},
                  {"lines", totals.lines},
                  {"debit", amount(totals.debit)},
                  {"credit", amount(totals.credit)},
                  {"opening", totals.opening},
                  {"written", !dry}};
  out.lines.push_back(fmt::format("{} {}: {} entries ({} lines) from {} to {}{}, debit {} = credit {}",
                                  dry ? "Would write" : "Wrote", *path, totals.entries, totals.lines,
                                  format_date(p.first), format_date(p.last),
                                  totals.opening ? " with the opening balances" : "", format_amount(totals.debit),
                                  format_amount(totals.credit)));
  return out;
}

// The time of the export, UTC, to the second.
std::string utc_now() {
  const auto now = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
  return date::format("%Y-%m-%dT%H:%M:%SZ", now);
}

// tally export json [-o FILE]: every record in one JSON document
// (docs/json/export.schema.json), on stdout or in a new file.
Output run_export_json(Context& ctx, const ExportOpts& o) {
  Ledger& ledger = ctx.reader();
  const bool dry = ctx.g.dry_run;
  const JsonExportCounts n = stream_export(ledger, o.output, o.force, dry, [&](std::optional<Sink>& sink) {
    return export_json(ledger, JsonExportInfo{TALLY_VERSION, utc_now()}, [&](std::string_view text) {
      if (sink) sink->write(text);
    });
  });
  Output out;
  if (!o.output) {
    out.raw = "";  // the document itself went to stdout
    return out;
  }
  out.json = Json{{"format", "json"},
                  {"file", *o.output},
                  {"customers", n.customers},
                  {"subscriptions", n.subscriptions},
                  {"documents", n.documents},
                  {"payments", n.payments},
                  {"standbys", n.standbys},
                  {"suspense", n.suspense},
                  {"journal_events", n.journal_events},
                  {"anchor", n.anchor.empty() ? Json(nullptr) : Json(n.anchor)},
                  {"written", !dry}};
  out.lines.push_back(fmt::format("{} {}: {} customers, {} subscriptions, {} documents, {} payments, {} standbys, "
                                  "{} suspense lines; journal anchor {}",
                                  dry ? "Would write" : "Wrote", *o.output, n.customers, n.subscriptions, n.documents,
                                  n.payments, n.standbys, n.suspense, n.anchor.empty() ? "none" : n.anchor));
  return out;
}

void period_options(CLI::App* cmd, ExportOpts& o) {
  cmd->add_option("--year", o.year, "the calendar year YYYY (1 January to 31 December)");
  cmd->add_option("--from", o.from, "first day YYYY-MM-DD (with --to)");
  cmd->add_option("--to", o.to, "last day YYYY-MM-DD (with --from)");
  cmd->add_option("-o,--output", o.output, "write to FILE (new unless --force) instead of standard output");
  cmd->add_flag("--force", o.force, "replace the file if it exists (never a link, a device or the ledger)");
}

}  // namespace

void setup_export(CLI::App& cmd, Context& ctx, Action& action) {
  cmd.require_subcommand(1);
  auto f = std::make_shared<ExportOpts>();
  auto* fec = cmd.add_subcommand("fec", "the FEC (LPF art. A47 A-1) of a period: sales and bank journals (A2)");
  period_options(fec, *f);
  fec->add_option("--dir", f->dir, "write DIR/<SIREN>FEC<AAAAMMJJ>.txt, named after the seller and the period's end");
  example(fec, "tally export fec --year 2026 --dir /compta   (writes /compta/552120222FEC20261231.txt)");
  on_parse(fec, ctx, action, f, [](Context& c, const ExportOpts& o) { return run_export(c, o, Kind::fec); });

  auto j = std::make_shared<ExportOpts>();
  auto* journal = cmd.add_subcommand("journal", "the same entries as an hledger journal (A2)");
  period_options(journal, *j);
  example(journal, "tally export journal --year 2026 -o books.journal && hledger -f books.journal balance");
  on_parse(journal, ctx, action, j, [](Context& c, const ExportOpts& o) { return run_export(c, o, Kind::journal); });

  auto a = std::make_shared<ExportOpts>();
  auto* all = cmd.add_subcommand("json", "the whole ledger as one JSON document, for scripts and migrations");
  all->add_option("-o,--output", a->output, "write to FILE (new unless --force) instead of standard output");
  all->add_flag("--force", a->force, "replace the file if it exists (never a link, a device or the ledger)");
  example(all, "tally export json -o ledger.json && jq '.documents | length' ledger.json");
  on_parse(all, ctx, action, a, run_export_json);
}

}  // namespace tally::cli
