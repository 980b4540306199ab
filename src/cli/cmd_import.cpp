// Placeholder until its issue lands: the command exists in the table and says so.
#include "cli/cli.hpp"
#include "tally/errors.hpp"

namespace tally::cli {

void setup_import(CLI::App& cmd, Context& ctx, Action& action) {
  cmd.allow_extras();
  on_parse(&cmd, ctx, action, std::make_shared<int>(0), [](Context&, const int&) -> Output {
    throw Error(ExitCode::internal, "'import' is not implemented yet");
  });
}

}  // namespace tally::cli
