// The command line before a command runs: the words as typed, the checks on
// every argument, and the message for a command word that names none.
#include "cli/args.hpp"

#include <algorithm>
#include <cstdint>
#include <string_view>
#include <vector>

#include <iostream>

#include <fmt/format.h>

#include "cli/cli.hpp"
#include "cli/options.hpp"
#include "tally/errors.hpp"
#include "tally/text.hpp"

namespace tally::cli {
namespace {
// Levenshtein distance, for "did you mean".
std::size_t distance(const std::string& a, const std::string& b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diag = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t up = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diag + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diag = up;
    }
  }
  return row[b.size()];
}

// The option `name` (as typed, without "=VALUE") of `app` or of a parent it
// falls through to; nullptr for an unknown one.
const CLI::Option* find_option(const CLI::App* app, const std::string& name) {
  for (; app != nullptr; app = app->get_parent())
    if (const CLI::Option* o = app->get_option_no_throw(name)) return o;
  return nullptr;
}

}  // namespace

std::string join_args(int argc, char** argv) {
  std::string s = "tally";
  for (int i = 1; i < argc; ++i) {
    s += ' ';
    s += argv[i];
  }
  return s;
}

// For a command line that failed to parse: when a word stands where a command
// is expected (top level, or after a command with subcommands such as invoice)
// and names none, the message saying so, echoing the words typed, with the
// closest command of that level if close enough. "" when every command word
// is known.
std::string unknown_command(const CLI::App& app, int argc, char** argv) {
  const CLI::App* level = &app;
  std::string path;  // the command words typed so far, each followed by ' '
  for (int i = 1; i < argc; ++i) {
    const std::string word = argv[i];
    if (word == "--") return "";
    if (word.size() > 1 && word[0] == '-') {
      // An option: skip its value unless attached (--db=PATH) or it is a flag.
      // An unknown one may or may not take a value: leave it to CLI11's message.
      if (word.find('=') == std::string::npos) {
        const CLI::Option* o = find_option(level, word);
        if (o == nullptr) return "";
        if (o->get_items_expected_min() > 0) ++i;
      }
      continue;
    }
    const auto subs = level->get_subcommands([](const CLI::App*) { return true; });
    if (subs.empty()) return "";  // a command without subcommands: the rest are its arguments
    const CLI::App* next = nullptr;
    std::string best;
    std::size_t best_d = 3;
    for (const CLI::App* sub : subs) {
      if (sub->check_name(word)) next = sub;
      const std::size_t d = distance(word, sub->get_name());
      if (d < best_d) {
        best_d = d;
        best = sub->get_name();
      }
    }
    if (next == nullptr) {
      if (!best.empty()) return fmt::format("unknown command '{}{}': did you mean '{}{}'?", path, word, path, best);
      return fmt::format("unknown command '{}{}': run 'tally {}--help' for the list", path, word, path);
    }
    level = next;
    path += word + ' ';
  }
  return "";
}

// No argument tally takes is longer: a path, a reason, a reference.
constexpr std::size_t kMaxArgumentBytes = 4096;

// Every argument is UTF-8 text of at most kMaxArgumentBytes: text reaches the
// ledger and its JSON journal. Throws Error(usage) naming the argument.
void check_arguments(int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    const std::string_view a(argv[i]);
    if (a.size() > kMaxArgumentBytes)
      throw usage_error("argument '{}' is {} bytes long: at most {} bytes accepted", shown_text(a), a.size(),
                        kMaxArgumentBytes);
    if (!valid_utf8(a))
      throw usage_error("invalid argument '{}': not UTF-8 text (tally accepts UTF-8 only)", shown_text(a));
  }
}

// No option or argument given on the command line is empty: `--as-of ""` is
// a mistake, not "today". Throws Error(usage) naming the option.
void check_no_empty_values(const CLI::App& app) {
  for (const CLI::Option* o : app.get_options()) {
    if (o->count() == 0 || o->get_items_expected_min() == 0) continue;
    for (const std::string& v : o->results())
      if (v.find_first_not_of(" \t") == std::string::npos)
        throw usage_error("invalid {} '{}': an empty value is not accepted", o->get_name(), v);
  }
  for (const CLI::App* sub : app.get_subcommands()) check_no_empty_values(*sub);
}

int fail(ExitCode code, const std::string& message) {
  std::cerr << "tally: error: " << escape_control(message) << "\n";
  return static_cast<int>(code);
}

std::optional<int> parse_command_line(CLI::App& app, int argc, char** argv) {
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
      return fail(ExitCode::usage,
                  fmt::format("missing command: expected one of the commands above ('tally help {}COMMAND')", path));
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
  return std::nullopt;
}

}  // namespace tally::cli
