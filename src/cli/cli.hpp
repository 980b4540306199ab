// The command-line shell: global options, the context a command runs in, and
// the output document every command returns (printed as table, json or csv).
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "tally/calendar.hpp"
#include "tally/ledger.hpp"

namespace tally::cli {

using Json = nlohmann::ordered_json;

// html: a self-contained page, only for the commands that set Context::html_ok.
enum class Format { table, json, csv, html };

// A table for people (table format) and for scripts (csv, the first table).
using Row = std::vector<std::string>;
using RowSink = std::function<void(const Row&)>;

struct Table {
  std::string title;  // shown above the table in table format; "" for none
  std::vector<std::string> columns;
  std::vector<Row> rows;
  // Large outputs (an import of 100k lines): rows made on demand, after `rows`,
  // instead of stored. Called once per pass (table format makes two: widths,
  // then rows), it must give the same rows each time.
  std::function<void(const RowSink&)> generate{};
  // The columns (indexes) the table format shows, what a person reads first;
  // empty: all. csv and json always have every column (overdue --wide: all).
  std::vector<std::size_t> brief{};
};

// What a command produces. `json` is the one JSON document of --format json;
// `tables` are shown in table format (and the first as csv); `lines` are plain
// text lines shown after the tables in table format.
struct Output {
  Json json = Json::object();
  std::vector<Table> tables;
  std::vector<std::string> lines;
  // Lines made once the tables are printed, after `lines` (table format): a
  // total gathered while the rows were generated.
  std::function<std::vector<std::string>()> late_lines{};
  int exit_code = 0;  // a command may succeed in printing yet exit non-zero (verify: 7)
  std::optional<std::string> raw;  // printed verbatim whatever the format (completion scripts)
  // Large outputs: the elements of array `json[key]` written one by one after
  // those already in it, instead of held as one JSON tree (--format json).
  std::map<std::string, std::function<void(const std::function<void(const Json&)>&)>> json_arrays;
};

// The global options of CLI.md, as parsed.
struct Globals {
  std::string db;
  std::string as_of;
  std::string format = "table";
  bool dry_run = false;
  bool quiet = false;
  bool no_color = false;
  std::string color = "auto";  // --color auto|always|never
  std::string output;          // -o FILE: what the command prints goes there
  bool force = false;          // with -o: an existing FILE may be replaced
  std::string grid;  // --grid FILE: the services grid, over the policy's services_grid (D3)
};

// Everything a command needs from the shell.
class Context {
 public:
  Globals g;
  std::string command_line;  // recorded in the journal
  bool html_ok = false;      // set while parsing by a command that writes --format html (report close)

  // The business date (--as-of / TALLY_AS_OF, else today). Throws Error(usage).
  Date as_of() const;
  // The --format. Throws Error(usage) for an unknown one, and for html unless html_ok.
  Format format() const;
  // The ledger at --db, opened on first use in `mode` (a command that only
  // reads passes OpenMode::read: the file is then never written), dry-run and
  // busy timeout (TALLY_BUSY_TIMEOUT) set.
  Ledger& ledger(OpenMode mode = OpenMode::write);
  Ledger& reader() { return ledger(OpenMode::read); }
  std::string db_path() const;
  // True when colour may be written: --color always; or auto (the default)
  // unless --no-color, NO_COLOR, TERM=dumb, -o FILE or stdout not a terminal.
  bool color() const;
  // The width of the terminal the table is printed on (COLUMNS, else the
  // terminal's own); 0 when stdout is not a terminal or -o is given: nothing
  // is then cut.
  std::size_t terminal_width() const;

 private:
  std::optional<Ledger> ledger_;
};

// What runs once parsing succeeded.
using Action = std::function<Output()>;

// One top-level command: its name, a one-line summary, and the function that
// fills its subcommand `cmd` (options, nested subcommands, --help example) and,
// from a parse callback, sets `action` to what runs when it is chosen.
struct Command {
  const char* name;
  const char* summary;
  void (*setup)(CLI::App& cmd, Context& ctx, Action& action);
};

// Sets cmd's parse callback to make `run(ctx, opts)` the action. Options are
// held by shared_ptr so they outlive setup.
template <typename Opts, typename Run>
void on_parse(CLI::App* cmd, Context& ctx, Action& action, std::shared_ptr<Opts> opts, Run run) {
  cmd->callback([&ctx, &action, opts, run] { action = [&ctx, opts, run] { return run(ctx, *opts); }; });
}

// The table of commands (commands.cpp).
const std::vector<Command>& commands();

// The global options, the footer and every command of the table on `app`:
// what `tally` parses.
void build_app(CLI::App& app, Context& ctx, Action& action);

// Prints an output in the chosen format on `os`.
void emit(const Context& ctx, const Output& out, std::ostream& os);
// Writes it to `path` as a new file (or replacing one with --force), by the
// rules of tally/files.hpp: a temporary file beside it, synced, then named.
// Throws Error naming the path; nothing is left behind on failure.
void emit_file(const Context& ctx, const Output& out, const std::string& path);

// Runs the parsed command: checks --format, --as-of and -o before any work,
// runs it, prints or writes its output (never a file on --dry-run) and
// returns its exit code; a failure is one line on stderr and its exit code
// (SQLite's busy as 6, whatever the command).
int run_command(Context& ctx, const Action& action);

// An error's message with the command line's words for its hint (hints.cpp).
std::string message_of(const Error& e);

// Parsing helpers for option values: each throws Error(usage) naming the option.
Date option_date(const std::string& value, std::string_view option);
std::optional<Date> option_date(const std::optional<std::string>& value, std::string_view option);

// Adds an example to a command's help (several may be added).
void example(CLI::App* cmd, std::string_view text);

}  // namespace tally::cli
