// tally verify: the integrity of the ledger and its journal (issue 8).
#include <filesystem>
#include <fstream>
#include <iostream>

#include "cli/cli.hpp"
#include "cli/progress.hpp"
#include "tally/errors.hpp"
#include "tally/integrity.hpp"

namespace tally::cli {
namespace {

// The ledger's report; a file SQLite cannot even open as a ledger (not a
// database, corrupt header) is reported as one failed check.
IntegrityReport report_of(Context& ctx, const std::vector<Anchor>& anchors) {
  try {
    // A bar on a terminal (none in a pipe or with -q): events replayed, then rows compared.
    Progress bar(ctx, "verify");
    return verify(ctx.ledger(OpenMode::inspect), anchors, [&bar](std::int64_t done, std::int64_t total) {
      bar.update(static_cast<std::size_t>(done), static_cast<std::size_t>(total));
    });
  } catch (const Error&) {
    throw;  // missing ledger (3), newer schema (1): not an integrity verdict
  } catch (const std::exception& e) {
    if (const Error err = as_error(e); err.code() == ExitCode::busy) throw err;  // 6, not an integrity verdict
    IntegrityCheck open{"sqlite_open", "", {fmt::format("ledger '{}' cannot be opened: {}", ctx.db_path(), e.what())}, 0};
    return IntegrityReport{{open}};
  }
}

struct Opts {
  std::vector<std::string> anchor;
  std::optional<std::string> anchors;
};

// The anchors of --anchor and of --anchors FILE (one ID:HASH per line; blank
// lines and lines starting with '#' skipped). Throws Error(usage) naming the
// file and line of a malformed one, Error(not_found) for a missing file.
std::vector<Anchor> anchors_of(const Opts& o) {
  std::vector<Anchor> out;
  for (const auto& a : o.anchor) out.push_back(parse_anchor(a));
  if (!o.anchors) return out;
  std::error_code ec;
  if (!std::filesystem::exists(*o.anchors, ec)) throw not_found("no anchors file '{}'", *o.anchors);
  if (!std::filesystem::is_regular_file(*o.anchors, ec) || std::filesystem::file_size(*o.anchors, ec) > (1 << 20))
    throw usage_error("invalid anchors file '{}': expected a regular text file of at most 1 MiB, one ID:HASH per line",
                      *o.anchors);
  std::ifstream in(*o.anchors);
  std::string line;
  for (int n = 1; std::getline(in, line); ++n) {
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.pop_back();
    if (line.empty() || line[0] == '#') continue;
    try {
      out.push_back(parse_anchor(line));
    } catch (const Error& e) {
      throw usage_error("anchors file '{}', line {}: {}", *o.anchors, n, e.what());
    }
  }
  return out;
}

Output run_verify(Context& ctx, const Opts& o) {
  const IntegrityReport r = report_of(ctx, anchors_of(o));
  Output out;
  Json checks = Json::array();
  Table t{"", {"check", "ok", "detail"}, {}};
  for (const auto& c : r.checks) {
    checks.push_back(Json{{"name", c.name}, {"ok", c.ok()}, {"detail", c.detail()}, {"findings", c.findings}});
    t.rows.push_back({c.name, c.ok() ? "ok" : "FAILED", c.detail()});
  }
  const auto first = r.first_failure();
  out.json = Json{{"ledger", ctx.db_path()}, {"ok", r.ok()}, {"checks", checks}, {"first_failure", nullptr}};
  out.tables.push_back(t);
  if (first) {
    out.json["first_failure"] = *first;
    out.lines.push_back(fmt::format("Ledger {}: integrity check FAILED: {}", ctx.db_path(), *first));
    out.exit_code = static_cast<int>(ExitCode::integrity);
    std::cerr << "tally: error: integrity check failed: " << *first << "\n";
  } else {
    out.lines.push_back(fmt::format("Ledger {}: intact ({} checks passed)", ctx.db_path(), r.checks.size()));
  }
  return out;
}

}  // namespace

void setup_verify(CLI::App& cmd, Context& ctx, Action& action) {
  auto o = std::make_shared<Opts>();
  cmd.add_option("--anchor", o->anchor,
                 "ID:HASH printed by backup or report close and kept elsewhere: the journal must still hold it "
                 "(repeatable)");
  cmd.add_option("--anchors", o->anchors, "a FILE of anchors, one ID:HASH per line");
  example(&cmd, "tally verify --anchor \"$(cat /backups/last-anchor)\" --format json | jq -r .first_failure");
  on_parse(&cmd, ctx, action, o, run_verify);
}

}  // namespace tally::cli
