// tally verify: the integrity of the ledger and its journal (issue 8).
#include <iostream>

#include "cli/cli.hpp"
#include "tally/errors.hpp"
#include "tally/integrity.hpp"

namespace tally::cli {
namespace {

// The ledger's report; a file SQLite cannot even open as a ledger (not a
// database, corrupt header) is reported as one failed check.
IntegrityReport report_of(Context& ctx) {
  try {
    return verify(ctx.ledger(OpenMode::inspect));
  } catch (const Error&) {
    throw;  // missing ledger (3), newer schema (1): not an integrity verdict
  } catch (const std::exception& e) {
    if (const Error err = as_error(e); err.code() == ExitCode::busy) throw err;  // 6, not an integrity verdict
    IntegrityCheck open{"sqlite_open", "", {fmt::format("ledger '{}' cannot be opened: {}", ctx.db_path(), e.what())}, 0};
    return IntegrityReport{{open}};
  }
}

Output run_verify(Context& ctx) {
  const IntegrityReport r = report_of(ctx);
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
  example(&cmd, "tally verify --format json | jq -r .first_failure");
  struct Opts {};
  on_parse(&cmd, ctx, action, std::make_shared<Opts>(), [](Context& ctx, const Opts&) { return run_verify(ctx); });
}

}  // namespace tally::cli
