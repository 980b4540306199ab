// Writers for the three formats: table (people), json (one document), csv (RFC 4180).
#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iostream>

#include "cli/args.hpp"
#include "cli/cli.hpp"
#include "tally/errors.hpp"
#include "tally/files.hpp"
#include "tally/text.hpp"

namespace tally::cli {
namespace {

// Display width of text as shown (code points; good enough for names and labels).
std::size_t width(const std::string& s) { return utf8_chars(s); }

// Every row of a table: the stored ones, then the generated ones.
void each_row(const Table& t, const RowSink& sink) {
  for (const auto& r : t.rows) sink(r);
  if (t.generate) t.generate(sink);
}

// An amount as people read it in the table format: thousands grouped with a
// space (U+0020), "1872360.00" -> "1 872 360.00". Only cells that are an
// amount (digits, '.', two decimals); counts, ids and years stay as they are;
// csv and json never group.
std::string grouped(const std::string& cell) {
  const std::size_t neg = !cell.empty() && cell[0] == '-' ? 1 : 0;
  const std::size_t dot = cell.size() >= 3 ? cell.size() - 3 : std::string::npos;
  if (dot == std::string::npos || cell[dot] != '.' || dot - neg < 4) return cell;
  for (std::size_t i = neg; i < cell.size(); ++i)
    if (i != dot && (cell[i] < '0' || cell[i] > '9')) return cell;
  std::string out = cell.substr(0, neg);
  for (std::size_t i = neg; i < dot; ++i) {
    if (i > neg && (dot - i) % 3 == 0) out += ' ';
    out += cell[i];
  }
  return out + cell.substr(dot);
}

// `s` cut to `w` code points, the last one an ellipsis when anything was cut.
std::string cut(const std::string& s, std::size_t w) {
  if (width(s) <= w) return s;
  if (w == 0) return "";
  std::size_t chars = 0, i = 0;
  for (; i < s.size(); ++i) {
    if ((static_cast<unsigned char>(s[i]) & 0xC0) != 0x80) {
      if (chars == w - 1) break;
      ++chars;
    }
  }
  return s.substr(0, i) + "\u2026";
}

// The narrowest a text column is cut to, ellipsis included.
constexpr std::size_t kMinColumn = 6;

// Every cell, title and line is shown through escape_control: text from the
// ledger (a name, a label imported from a bank) never writes a control
// character to the terminal (ESC, an OSC 52 clipboard write) nor forges a row
// with a line break. A column of numbers is right-aligned, its header too;
// `term_width` (0: no limit) is the terminal's: the widest text columns are
// then cut, with an ellipsis, until the table fits.
void print_table(const Table& t, bool color, std::size_t term_width, std::ostream& os) {
  if (!t.title.empty())
    os << (color ? "\033[1m" : "") << escape_control(t.title) << (color ? "\033[0m" : "") << "\n";
  std::vector<std::size_t> cols = t.brief;
  if (cols.empty())
    for (std::size_t i = 0; i < t.columns.size(); ++i) cols.push_back(i);
  const std::size_t n = cols.size();
  auto shown = [](const std::string& cell) { return grouped(escape_control(cell)); };
  std::vector<std::size_t> w(n, 0);
  std::vector<bool> numeric(n, true), filled(n, false);
  for (std::size_t c = 0; c < n; ++c) w[c] = width(escape_control(t.columns[cols[c]]));
  bool any = false;
  each_row(t, [&](const Row& r) {
    any = true;
    for (std::size_t c = 0; c < n; ++c) {
      if (cols[c] >= r.size()) continue;
      const std::string& cell = r[cols[c]];
      w[c] = std::max(w[c], width(shown(cell)));
      if (cell.empty()) continue;
      filled[c] = true;
      if (!is_plain_number(cell)) numeric[c] = false;
    }
  });
  for (std::size_t c = 0; c < n; ++c) numeric[c] = numeric[c] && filled[c];
  if (term_width > 0) {
    std::size_t total = n == 0 ? 0 : 2 * (n - 1);
    for (std::size_t x : w) total += x;
    while (total > term_width) {
      std::size_t widest = n;
      for (std::size_t c = 0; c < n; ++c)
        if (!numeric[c] && w[c] > kMinColumn && (widest == n || w[c] > w[widest])) widest = c;
      if (widest == n) break;  // only numbers and narrow columns left: never cut a number
      --w[widest];
      --total;
    }
  }
  auto cell = [&](const std::string& text, std::size_t c, bool right) {
    const std::string s = cut(text, w[c]);
    const std::string pad(w[c] - std::min(w[c], width(s)), ' ');
    os << (right ? pad + s : s + (c + 1 < n ? pad : ""));
    if (c + 1 < n) os << "  ";
  };
  if (color) os << "\033[1m";
  for (std::size_t c = 0; c < n; ++c) cell(escape_control(t.columns[cols[c]]), c, numeric[c]);
  if (color) os << "\033[0m";
  os << "\n";
  each_row(t, [&](const Row& r) {
    for (std::size_t c = 0; c < n; ++c) {
      const std::string raw = cols[c] < r.size() ? r[cols[c]] : "";
      cell(shown(raw), c, is_plain_number(raw));
    }
    os << "\n";
  });
  if (!any) os << "(none)\n";
}

std::string dump(const Json& j, int indent = 2) {
  return j.dump(indent, ' ', false, nlohmann::json::error_handler_t::replace);
}

// The JSON document, with the arrays of Output::json_arrays written element by
// element (one compact element per line) instead of from one tree.
void print_json(const Output& out, std::ostream& os) {
  if (out.json_arrays.empty() || !out.json.is_object()) {
    os << dump(out.json) << "\n";
    return;
  }
  auto indented = [](std::string text, const std::string& pad) {
    for (std::size_t p = text.find('\n'); p != std::string::npos; p = text.find('\n', p + 1)) text.insert(p + 1, pad);
    return text;
  };
  os << "{";
  bool first_key = true;
  for (const auto& [key, value] : out.json.items()) {
    os << (first_key ? "\n  " : ",\n  ") << dump(Json(key)) << ": ";
    first_key = false;
    const auto stream = out.json_arrays.find(key);
    if (stream == out.json_arrays.end()) {
      os << indented(dump(value), "  ");
      continue;
    }
    os << "[";
    bool first = true;
    auto element = [&](const Json& e) {
      os << (first ? "\n    " : ",\n    ") << dump(e, -1);
      first = false;
    };
    for (const auto& e : value) element(e);
    stream->second(element);
    os << (first ? "]" : "\n  ]");
  }
  os << (first_key ? "}\n" : "\n}\n");
}

// A cell of RFC 4180 CSV. A text cell beginning with = + - @ tab or CR gets a
// "'" prefix (csv_protect), so a spreadsheet never runs it as a formula; a
// plain number (an amount, a count, an id: "-12.50") is written as is, which a
// spreadsheet reads as that number. The writer tells the two apart by the
// cell, as the table writer aligns numbers: the amount columns tally writes
// hold nothing else.
std::string csv_field(const std::string& cell) {
  const std::string s = is_plain_number(cell) ? cell : csv_protect(cell);
  if (s.find_first_of(",\"\r\n") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

void print_csv_row(const std::vector<std::string>& row, std::ostream& os) {
  for (std::size_t i = 0; i < row.size(); ++i) os << (i ? "," : "") << csv_field(row[i]);
  os << "\r\n";
}

}  // namespace

void emit(const Context& ctx, const Output& out, std::ostream& os) {
  if (out.raw) {
    os << *out.raw << std::flush;
    return;
  }
  switch (ctx.format()) {
    case Format::json:
      print_json(out, os);
      break;
    case Format::html:  // the page is out.raw, printed above
      break;
    case Format::csv:
      if (!out.tables.empty()) {
        print_csv_row(out.tables.front().columns, os);
        each_row(out.tables.front(), [&os](const Row& r) { print_csv_row(r, os); });
      }
      break;
    case Format::table: {
      if (ctx.g.quiet) break;
      const bool color = ctx.color();
      const std::size_t width = ctx.terminal_width();
      bool first = true;
      for (const auto& t : out.tables) {
        if (!first) os << "\n";
        print_table(t, color, width, os);
        first = false;
      }
      std::vector<std::string> lines = out.lines;
      if (out.late_lines)
        for (auto& l : out.late_lines()) lines.push_back(std::move(l));
      if (!lines.empty() && !out.tables.empty()) os << "\n";
      for (const auto& l : lines) os << escape_control(l) << "\n";
      break;
    }
  }
  os.flush();
}

void emit_file(const Context& ctx, const Output& out, const std::string& path) {
  OutputFiles files(ctx.db_path(), ctx.g.force);
  const std::string tmp = files.reserve(path);
  auto failed = [&path](int err) {
    return Error(ExitCode::internal, fmt::format("cannot write '{}': {}", path, std::strerror(err)));
  };
  {
    std::ofstream f(tmp, std::ios::binary | std::ios::trunc);
    if (!f) throw failed(errno);
    emit(ctx, out, f);
    f.flush();
    if (!f) throw failed(errno);
  }
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CLOEXEC);
  if (fd < 0 || ::fsync(fd) != 0) {
    const int err = errno;
    if (fd >= 0) ::close(fd);
    throw failed(err);
  }
  ::close(fd);
  files.commit();  // the destructor removes the temporary file on any failure above
}

int run_command(Context& ctx, const Action& action) {
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

}  // namespace tally::cli
