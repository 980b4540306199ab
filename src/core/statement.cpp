// Bank statement lines: the columns of the import, each line checked (M1, P1,
// P4, P6) and the invoice numbers it names.
#include <algorithm>
#include <array>
#include <optional>

#include "tally/errors.hpp"
#include "tally/import.hpp"
#include "tally/text.hpp"

namespace tally {
namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_alnum(char c) { return is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

enum Column { kDate, kAmount, kReference, kLabel, kMethod, kColumns };
constexpr std::array<std::string_view, kColumns> kColumnNames = {"date", "amount", "reference", "label", "method"};

// Where each known column is in the header; an error of the header line when a
// required one is missing or a column is named twice.
struct Header {
  std::array<std::optional<std::size_t>, kColumns> at;
  std::string error;
};

// A header name as written, compared without regard to ASCII case.
std::string lowercase(std::string_view name) {
  std::string out(name);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

// The header as found, for a message: its fields joined by ',', control
// characters escaped, cut after 80 characters.
std::string found_header(const CsvRecord& rec) {
  std::string joined;
  for (std::size_t i = 0; i < rec.fields.size(); ++i) joined += (i ? "," : "") + rec.fields[i];
  return shown_text(joined, 80);
}

Header read_header(const CsvRecord& rec) {
  Header h;
  for (std::size_t i = 0; i < rec.fields.size(); ++i) {
    const std::string name = lowercase(rec.fields[i]);
    for (std::size_t c = 0; c < kColumns; ++c) {
      if (name != kColumnNames[c]) continue;
      if (h.at[c]) {
        h.error = fmt::format("column '{}' is named twice in the header '{}'", kColumnNames[c], found_header(rec));
        return h;
      }
      h.at[c] = i;
    }
  }
  std::string missing;
  for (std::size_t c = 0; c < kMethod; ++c)
    if (!h.at[c]) missing += fmt::format("{}'{}'", missing.empty() ? "" : ", ", kColumnNames[c]);
  if (!missing.empty())
    h.error = fmt::format("the header '{}' lacks {}: expected the columns date,amount,reference,label (in any "
                          "order, in any case; method optional, other columns ignored)",
                          found_header(rec), missing);
  return h;
}


// A line's fields checked into a BankLine; "" reasons when it is fine.
std::string read_line(const CsvRecord& rec, const Header& h, Date today, BankLine& out) {
  const auto field = [&](Column c) -> const std::string& { return rec.fields[*h.at[c]]; };
  std::vector<std::string> reasons;
  out.line = rec.line;
  collect_error(reasons, [&] {
    out.date = parse_date(field(kDate));
    if (out.date > today)
      throw usage_error("date {} is after the business date {}: a payment cannot be in the future (P6)",
                        field(kDate), format_date(today));
  });
  collect_error(reasons, [&] {
    out.amount = parse_amount(field(kAmount));
    if (out.amount == 0) throw usage_error("invalid amount '{}': a payment received is above 0.00", field(kAmount));
  });
  collect_error(reasons, [&] {
    out.reference = field(kReference);
    if (out.reference.empty())
      throw usage_error("no reference: each line needs the bank's transaction reference (the import is idempotent "
                        "by it)");
    check_ref(out.reference);
  });
  collect_error(reasons, [&] {
    out.label = field(kLabel);
    check_text(out.label, "label", TextRule{kMaxNoteLength, true});
  });
  if (h.at[kMethod] && !field(kMethod).empty()) collect_error(reasons, [&] { out.method = parse_method(field(kMethod)); });
  std::string joined;
  for (const auto& r : reasons) joined += (joined.empty() ? "" : "; ") + r;
  return joined;
}

}  // namespace

std::vector<std::string> invoice_numbers_in(std::string_view text) {
  std::vector<std::string> out;
  constexpr std::size_t kLen = 12;  // F2026-000001
  for (std::size_t i = 0; i + kLen <= text.size(); ++i) {
    if (text[i] != 'F' || (i > 0 && is_alnum(text[i - 1]))) continue;
    const std::string_view w = text.substr(i, kLen);
    const bool shape = std::all_of(w.begin() + 1, w.begin() + 5, is_digit) && w[5] == '-' &&
                       std::all_of(w.begin() + 6, w.end(), is_digit);
    if (!shape || (i + kLen < text.size() && is_digit(text[i + kLen]))) continue;
    if (std::find(out.begin(), out.end(), w) == out.end()) out.emplace_back(w);
  }
  return out;
}

void read_statement_lines(std::string_view text, Date today, const BankLineSink& on_line,
                          const CsvErrorSink& on_error) {
  std::optional<Header> h;
  std::size_t width = 0;
  bool any_error = false;
  const auto error = [&](LineError&& e) {
    any_error = true;
    on_error(std::move(e));
  };
  const auto on_record = [&](CsvRecord&& rec) {
    if (!h) {  // the first record read is the header
      h = read_header(rec);
      width = rec.fields.size();
      if (!h->error.empty()) error({rec.line, h->error});
      return;
    }
    if (!h->error.empty()) return;  // only the CSV errors after a bad header
    if (rec.fields.size() != width) {
      error({rec.line, fmt::format("{} field(s) where the header has {}", rec.fields.size(), width)});
      return;
    }
    BankLine line;
    if (std::string reason = read_line(rec, *h, today, line); !reason.empty()) {
      error({rec.line, std::move(reason)});
      return;
    }
    line.invoices = invoice_numbers_in(line.reference);
    for (auto& n : invoice_numbers_in(line.label))
      if (std::find(line.invoices.begin(), line.invoices.end(), n) == line.invoices.end())
        line.invoices.push_back(std::move(n));
    on_line(std::move(line));
  };
  read_csv(text, on_record, error);
  if (!h && !any_error) {
    // Filled in place: g++ 12 -O3 warns (-Warray-bounds, a false positive)
    // when a LineError temporary holding this text is moved into the vector.
    LineError e;
    e.line = 1;
    e.reason = "empty file: expected a header date,amount,reference,label and a line per payment";
    on_error(std::move(e));
  }
}

BankStatement parse_statement(std::string_view text, Date today) {
  // Each record becomes a BankLine as it is read: the CSV records of the whole
  // file are never held (the peak memory of a 100k-line import). At most one
  // line per line break, so reserving that many never grows the vector.
  BankStatement st;
  st.lines.reserve(static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n')));
  read_statement_lines(
      text, today, [&](BankLine&& l) { st.lines.push_back(std::move(l)); },
      [&](LineError&& e) { st.errors.push_back(std::move(e)); });
  std::stable_sort(st.errors.begin(), st.errors.end(),
                   [](const LineError& a, const LineError& b) { return a.line < b.line; });
  return st;
}

}  // namespace tally
