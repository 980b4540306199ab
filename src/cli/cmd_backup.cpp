// tally backup FILE: a consistent copy of the ledger while others write (issue 8).
#include "cli/cli.hpp"
#include "tally/errors.hpp"
#include "tally/integrity.hpp"

namespace tally::cli {
namespace {

struct Opts {
  std::string file;
  bool force = false;
};

Output run_backup(Context& ctx, const Opts& o) {
  const BackupResult r = backup(ctx.ledger(OpenMode::inspect), o.file, o.force);
  Output out;
  out.json = Json{{"ledger", ctx.db_path()},      {"backup", r.path},
                  {"bytes", r.bytes},             {"journal_events", r.journal_events},
                  {"last_hash", r.last_hash},     {"anchor", r.anchor().empty() ? Json(nullptr) : Json(r.anchor())},
                  {"written", !ctx.g.dry_run}};
  out.lines.push_back(fmt::format("{} {} to {}: {} bytes, journal events 1..{} (last hash {})",
                                  ctx.g.dry_run ? "Would copy" : "Copied", ctx.db_path(), r.path, r.bytes,
                                  r.journal_events, r.last_hash.empty() ? "none" : r.last_hash.substr(0, 16)));
  if (!r.anchor().empty())
    out.lines.push_back(fmt::format("Journal anchor (keep it elsewhere; check with tally verify --anchor): {}",
                                    r.anchor()));
  return out;
}

}  // namespace

void setup_backup(CLI::App& cmd, Context& ctx, Action& action) {
  auto o = std::make_shared<Opts>();
  cmd.add_option("FILE", o->file, "the copy to write (refused if it exists)")->required();
  cmd.add_flag("--force", o->force, "replace FILE if it exists");
  example(&cmd, "tally backup /backups/ledger-$(date +%F).db && tally --db /backups/ledger-$(date +%F).db verify");
  on_parse(&cmd, ctx, action, o, run_backup);
}

}  // namespace tally::cli
