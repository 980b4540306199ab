// Context: global options resolved into a business date, a format and a ledger.
#include <sys/ioctl.h>
#include <unistd.h>

#include <cstdlib>

#include "cli/cli.hpp"
#include "cli/options.hpp"
#include "tally/errors.hpp"

namespace tally::cli {

Date Context::as_of() const { return g.as_of.empty() ? today_local() : option_date(g.as_of, "--as-of"); }

Format Context::format() const {
  if (g.format == "table") return Format::table;
  if (g.format == "json") return Format::json;
  if (g.format == "csv") return Format::csv;
  if (g.format == "html" && html_ok) return Format::html;
  if (g.format == "html")
    throw usage_error("invalid --format 'html': only 'report close' writes html; expected table, json or csv");
  throw usage_error("invalid --format '{}': expected table, json or csv (html for report close)", g.format);
}

std::string Context::db_path() const { return g.db.empty() ? default_ledger_path() : g.db; }

Ledger& Context::ledger(OpenMode mode) {
  if (!ledger_) {
    int busy_ms = 5000;
    if (const char* t = std::getenv("TALLY_BUSY_TIMEOUT"); t && *t)
      busy_ms = static_cast<int>(parse_count(t, "TALLY_BUSY_TIMEOUT (ms)", 3'600'000));
    ledger_.emplace(Ledger::open(db_path(), mode, busy_ms));
    ledger_->set_command(command_line);
    ledger_->set_dry_run(g.dry_run);
  }
  return *ledger_;
}

bool Context::color() const {
  if (g.no_color || g.color == "never") return false;
  if (g.color == "always") return true;
  if (!g.output.empty()) return false;
  if (const char* nc = std::getenv("NO_COLOR"); nc && *nc) return false;
  if (const char* term = std::getenv("TERM"); term && std::string_view(term) == "dumb") return false;
  return isatty(STDOUT_FILENO) != 0;
}

std::size_t Context::terminal_width() const {
  if (!g.output.empty() || isatty(STDOUT_FILENO) == 0) return 0;
  if (const char* c = std::getenv("COLUMNS"); c && *c) {
    char* end = nullptr;
    const long n = std::strtol(c, &end, 10);
    if (*end == '\0' && n > 0 && n < 10000) return static_cast<std::size_t>(n);
  }
  winsize ws{};
  if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0) return ws.ws_col;
  return 0;
}

Date option_date(const std::string& value, std::string_view option) {
  try {
    return parse_date(value);
  } catch (const Error&) {
    throw usage_error("invalid {} '{}': expected a real day as YYYY-MM-DD (e.g. 2026-01-31)", option, value);
  }
}

std::optional<Date> option_date(const std::optional<std::string>& value, std::string_view option) {
  if (!value) return std::nullopt;
  return option_date(*value, option);
}

void example(CLI::App* cmd, std::string_view text) { add_example(cmd, std::string(text)); }

}  // namespace tally::cli
