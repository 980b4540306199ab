// tally init: create the ledger.
#include <filesystem>

#include "cli/cli.hpp"
#include "tally/errors.hpp"

namespace tally::cli {

void setup_init(CLI::App& cmd, Context& ctx, Action& action) {
  example(&cmd, "tally --db ./ledger.db init");
  struct Opts {};
  on_parse(&cmd, ctx, action, std::make_shared<Opts>(), [](Context& ctx, const Opts&) {
    const std::string path = ctx.db_path();
    Output out;
    if (ctx.g.dry_run) {
      std::error_code ec;
      if (std::filesystem::exists(path, ec))
        throw conflict("ledger '{}' already exists: init refuses to overwrite it", path);
    } else {
      Ledger::create(path);
    }
    out.json = Json{{"ledger", path}, {"schema_version", kSchemaVersion}, {"created", !ctx.g.dry_run}};
    out.lines.push_back(fmt::format("{} ledger {} (schema {}, default policy of 2019-10-31)",
                                    ctx.g.dry_run ? "Would create" : "Created", path, kSchemaVersion));
    return out;
  });
}

}  // namespace tally::cli
