// tally: parse the command line, run the chosen command, map failures to the
// exit codes of CLI.md in one place.
#include <malloc.h>

#include <algorithm>
#include <cstdint>
#include <iostream>
#include <string_view>

#include "cli/args.hpp"
#include "cli/cli.hpp"
#include "cli/options.hpp"
#include "tally/errors.hpp"
#include "tally/files.hpp"
#include "tally/text.hpp"

using namespace tally;
using namespace tally::cli;

namespace {

// The message is one line whatever values it quotes: their control
// characters are shown escaped, never sent to the terminal.
int fail(ExitCode code, const std::string& message) {
  std::cerr << "tally: error: " << escape_control(message) << "\n";
  return static_cast<int>(code);
}

}  // namespace

int main(int argc, char** argv) {
  // A fixed mmap threshold: glibc raises it after the first large block is
  // freed (the text of a bank statement), and later large blocks then stay in
  // the heap: 85 MiB instead of 67 for a 100k-line import (docs/performance.md).
  mallopt(M_MMAP_THRESHOLD, 128 * 1024);
  Context ctx;
  ctx.command_line = join_args(argc, argv);
  CLI::App app{"tally: the policy calculator and ledger of the customer policy", "tally"};
  Action action;
  build_app(app, ctx, action);

  try {
    check_arguments(argc, argv);
    app.parse(argc, argv);
    check_no_empty_values(app);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::RequiredError& e) {
    // `tally` alone, or a group without its command (`tally invoice`): its
    // help on stdout, one error line, exit 2.
    if (const std::string unknown = unknown_command(app, argc, argv); !unknown.empty())
      return fail(ExitCode::usage, unknown);
    const CLI::App* at = &app;
    while (!at->get_subcommands().empty()) at = at->get_subcommands().front();
    if (!visible_commands(at).empty() && at->get_subcommands().empty()) {
      std::cout << help_text(at) << std::flush;
      std::string path;
      for (const CLI::App* a = at; a->get_parent() != nullptr; a = a->get_parent()) path = a->get_name() + " " + path;
      return fail(ExitCode::usage, fmt::format("missing command: expected one of the commands above ('tally help {}COMMAND')", path));
    }
    return fail(ExitCode::usage, std::string(e.what()) + " (see 'tally --help')");
  } catch (const CLI::ParseError& e) {
    const std::string unknown = unknown_command(app, argc, argv);
    if (!unknown.empty()) return fail(ExitCode::usage, unknown);
    std::string msg = e.what();
    if (msg.empty()) msg = "missing command: run 'tally --help' for the list";
    return fail(ExitCode::usage, msg + " (see 'tally --help')");
  } catch (const Error& e) {
    return fail(e.code(), message_of(e));
  }

  try {
    ctx.format();  // validate --format and --as-of before any work, whatever the command
    ctx.as_of();
    // -o FILE: checked before the command runs (a writing command must not
    // commit and then fail on its output), written once it succeeded.
    const std::string& path = ctx.g.output;
    if (!path.empty()) OutputFiles(ctx.db_path(), ctx.g.force).check(path);
    Output out = action();
    if (ctx.g.dry_run && out.json.is_object()) {
      out.json["dry_run"] = true;
      if (!ctx.g.quiet) std::cerr << "tally: dry run: nothing was written\n";
    }
    if (path.empty()) {
      emit(ctx, out, std::cout);
    } else if (ctx.g.dry_run) {  // files are never written on --dry-run (CLI.md)
      if (!ctx.g.quiet) std::cerr << "tally: dry run: " << escape_control(path) << " not written\n";
      emit(ctx, out, std::cout);
    } else {
      emit_file(ctx, out, path);
    }
    return out.exit_code;
  } catch (const std::exception& e) {
    const Error err = as_error(e);  // SQLite's busy as 6, whatever the command
    return fail(err.code(), message_of(err));
  }
}
