// Placeholder until its issue lands: the command exists in the table and says so.
#include "cli/cli.hpp"
#include "cli/services.hpp"
#include "tally/errors.hpp"

namespace tally::cli {

void setup_quote(CLI::App& cmd, Context& ctx, Action& action) {
  cmd.allow_extras();
  on_parse(&cmd, ctx, action, std::make_shared<int>(0), [](Context&, const int&) -> Output {
    throw Error(ExitCode::internal, "'quote' is not implemented yet");
  });
}

InvoiceLine grid_line(Context&, const std::string& code, std::int64_t, bool, bool, Rate, Date) {
  throw usage_error("unknown grid item '{}': the services grid is not implemented yet", code);
}

}  // namespace tally::cli
