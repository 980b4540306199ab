// Writers for the three formats: table (people), json (one document), csv (RFC 4180).
#include <cstdio>
#include <iostream>

#include "cli/cli.hpp"
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

// Every cell, title and line is shown through escape_control: text from the
// ledger (a name, a label imported from a bank) never writes a control
// character to the terminal (ESC, an OSC 52 clipboard write) nor forges a row
// with a line break.
void print_table(const Table& t, bool color, std::ostream& os) {
  if (!t.title.empty())
    os << (color ? "\033[1m" : "") << escape_control(t.title) << (color ? "\033[0m" : "") << "\n";
  std::vector<std::size_t> w(t.columns.size(), 0);
  for (std::size_t i = 0; i < t.columns.size(); ++i) w[i] = width(escape_control(t.columns[i]));
  bool any = false;
  each_row(t, [&](const Row& r) {
    any = true;
    for (std::size_t i = 0; i < r.size() && i < w.size(); ++i) w[i] = std::max(w[i], width(escape_control(r[i])));
  });
  auto cell = [&](const std::string& text, std::size_t i, bool right) {
    const std::string s = escape_control(text);
    const std::string pad(w[i] - std::min(w[i], width(s)), ' ');
    os << (right ? pad + s : s + (i + 1 < w.size() ? pad : ""));
    if (i + 1 < w.size()) os << "  ";
  };
  if (color) os << "\033[1m";
  for (std::size_t i = 0; i < t.columns.size(); ++i) cell(t.columns[i], i, false);
  if (color) os << "\033[0m";
  os << "\n";
  each_row(t, [&](const Row& r) {
    for (std::size_t i = 0; i < r.size() && i < w.size(); ++i) cell(r[i], i, is_plain_number(r[i]));
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

void emit(const Context& ctx, const Output& out) {
  if (out.raw) {
    std::cout << *out.raw << std::flush;
    return;
  }
  switch (ctx.format()) {
    case Format::json:
      print_json(out, std::cout);
      break;
    case Format::html:  // the page is out.raw, printed above
      break;
    case Format::csv:
      if (!out.tables.empty()) {
        print_csv_row(out.tables.front().columns, std::cout);
        each_row(out.tables.front(), [](const Row& r) { print_csv_row(r, std::cout); });
      }
      break;
    case Format::table: {
      if (ctx.g.quiet) break;
      const bool color = ctx.color();
      bool first = true;
      for (const auto& t : out.tables) {
        if (!first) std::cout << "\n";
        print_table(t, color, std::cout);
        first = false;
      }
      std::vector<std::string> lines = out.lines;
      if (out.late_lines)
        for (auto& l : out.late_lines()) lines.push_back(std::move(l));
      if (!lines.empty() && !out.tables.empty()) std::cout << "\n";
      for (const auto& l : lines) std::cout << escape_control(l) << "\n";
      break;
    }
  }
  std::cout.flush();
}

}  // namespace tally::cli
