// tally: parse the command line, run the chosen command, map failures to the
// exit codes of CLI.md in one place (args.cpp parses, output.cpp runs).
#include <malloc.h>

#include "cli/args.hpp"
#include "cli/cli.hpp"

using namespace tally::cli;

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
  if (const auto code = parse_command_line(app, argc, argv)) return *code;
  return run_command(ctx, action);
}
