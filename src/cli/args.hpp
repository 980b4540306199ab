// The command line before a command runs (args.cpp).
#pragma once

#include <optional>
#include <string>

#include <CLI/CLI.hpp>

#include "tally/errors.hpp"

namespace tally::cli {

// "tally" and the arguments as typed, joined by spaces (the journal's command).
std::string join_args(int argc, char** argv);

// For a command line that failed to parse: when a word stands where a command
// is expected and names none, the message saying so with the closest command
// of that level; "" when every command word is known.
std::string unknown_command(const CLI::App& app, int argc, char** argv);

// Every argument is UTF-8 text of at most 4096 bytes. Throws Error(usage).
void check_arguments(int argc, char** argv);

// No option or argument given is empty or blank. Throws Error(usage) naming the option.
void check_no_empty_values(const CLI::App& app);

// The one line of a failure on stderr ("tally: error: ..."), its control
// characters escaped whatever values it quotes; returns the exit code.
int fail(ExitCode code, const std::string& message);

// Parses the command line into app, with the checks above. Nothing when the
// chosen command is to run; else the exit code, once help, the version or
// the one-line usage error (exit 2) is printed.
std::optional<int> parse_command_line(CLI::App& app, int argc, char** argv);

}  // namespace tally::cli
