// CFONB 120 (French "relevé de compte sur support informatique", 120
// characters per record): records 01 (old balance), 04 (movement), 05
// (complement of the movement before it), 07 (new balance).
//
// Field positions (1-based, inclusive), checked against the three samples of
// ../shared/samples/bank/cfonb120/:
//   all    1-2 record code, 3-7 bank code, 12-16 branch (guichet), 17-19
//          currency, 20 number of decimals, 22-32 account number
//   01, 07 35-40 balance date DDMMYY, 91-104 balance
//   04     8-11 bank's internal operation code, 33-34 interbank operation code
//          (B3), 35-40 booking date, 41-42 reject reason, 43-48 value date,
//          49-79 label, 82-88 entry number, 91-104 amount, 105-120 reference
//   05     33-34 operation code, 35-40 booking date, 46-48 qualifier, 49-118
//          information
// Amounts: 13 digits then one character holding the last digit and the sign:
// '{' = +0, 'A'..'I' = +1..+9, '}' = -0, 'J'..'R' = -1..-9; the record's
// number of decimals places the point. A balance record whose number of
// decimals is blank (python-cfonb's sample) is read with 2.
#include <vector>

#include "core/bank_internal.hpp"
#include "tally/errors.hpp"
#include "tally/text.hpp"

namespace tally::bank {
namespace {

using detail::quote;
using detail::trim;

// One record: its line and the byte offset of each of its characters (UTF-8
// text is counted in characters, anything else in bytes).
struct Record {
  int line = 0;
  std::string_view text;
  std::vector<std::size_t> offsets;  // size() + 1 entries: the end is last

  std::size_t length() const { return offsets.size() - 1; }
  // Characters a..b (1-based, inclusive).
  std::string_view field(std::size_t a, std::size_t b) const {
    return text.substr(offsets[a - 1], offsets[b] - offsets[a - 1]);
  }
};

Record make_record(int line, std::string_view text) {
  Record r{line, text, {}};
  const bool utf8 = valid_utf8(text);
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (utf8 && (static_cast<unsigned char>(text[i]) & 0xC0) == 0x80) continue;
    r.offsets.push_back(i);
  }
  r.offsets.push_back(text.size());
  return r;
}

std::string where(const Record& r) { return fmt::format("CFONB 120 line {}", r.line); }

int decimals_of(const Record& r, bool blank_is_two) {
  const std::string_view d = r.field(20, 20);
  if (d == " " && blank_is_two) return 2;
  if (d[0] < '0' || d[0] > '9')
    throw usage_error("{}: number of decimals {} at position 20: expected a digit", where(r), quote(d));
  return d[0] - '0';
}

// The 14-character amount at 91-104, in cents.
Cents amount_of(const Record& r, int decimals) {
  const std::string_view a = r.field(91, 104);
  const auto bad = [&] {
    return usage_error("{}: invalid amount {} at positions 91-104: expected 13 digits then the last digit "
                       "and sign ('{{' or A-I positive, '}}' or J-R negative)",
                       where(r), quote(a));
  };
  if (a.size() != 14) throw bad();
  std::int64_t v = 0;
  for (std::size_t i = 0; i < 13; ++i) {
    if (a[i] < '0' || a[i] > '9') throw bad();
    v = v * 10 + (a[i] - '0');
  }
  const char s = a[13];
  bool negative = false;
  int last = 0;
  if (s == '{') {
    last = 0;
  } else if (s >= 'A' && s <= 'I') {
    last = s - 'A' + 1;
  } else if (s == '}') {
    negative = true;
  } else if (s >= 'J' && s <= 'R') {
    negative = true;
    last = s - 'J' + 1;
  } else {
    throw bad();
  }
  v = v * 10 + last;
  // To cents: scale by 10^(2 - decimals), exactly.
  for (int k = decimals; k < 2; ++k) v *= 10;
  for (int k = 2; k < decimals; ++k) {
    if (v % 10 != 0)
      throw usage_error("{}: amount {} has {} decimals that are not whole cents", where(r), quote(a), decimals);
    v /= 10;
  }
  if (v > kMaxAmount)
    throw usage_error("{}: amount {} is above 1000000000.00", where(r), quote(a));
  return negative ? -v : v;
}

// DDMMYY at a..b; empty when optional and blank or zeros.
std::optional<Date> date_of(const Record& r, std::size_t a, std::size_t b, bool optional, std::string_view what) {
  const std::string_view t = r.field(a, b);
  if (optional && (trim(t).empty() || t == "000000")) return std::nullopt;
  const auto loc = fmt::format("{} ({}, positions {}-{})", where(r), what, a, b);
  int v[3] = {0, 0, 0};
  for (std::size_t i = 0; i < 6; ++i) {
    if (t.size() != 6 || t[i] < '0' || t[i] > '9')
      throw usage_error("{}: invalid date {}: expected DDMMYY", loc, quote(t));
    v[i / 2] = v[i / 2] * 10 + (t[i] - '0');
  }
  // Two-digit years: 00-79 are 2000-2079, 80-99 are 1980-1999.
  const int year = v[2] < 80 ? 2000 + v[2] : 1900 + v[2];
  return detail::make_date(year, v[1], v[0], t, loc, "DDMMYY");
}

void append(std::string& to, std::string_view text) {
  const std::string t = detail::clean_text(text);
  if (t.empty()) return;
  if (!to.empty()) to += ' ';
  to += t;
}

}  // namespace

std::vector<Statement> read_cfonb120(std::string_view bytes) {
  detail::check_size(bytes, "CFONB 120");
  // Records: lines, or 120-character blocks when the file has no line break.
  std::vector<Record> records;
  if (bytes.find('\n') == std::string_view::npos && !bytes.empty() && bytes.size() % 120 == 0) {
    for (std::size_t i = 0; i < bytes.size(); i += 120)
      records.push_back(make_record(static_cast<int>(i / 120) + 1, bytes.substr(i, 120)));
  } else {
    int line = 0;
    std::size_t pos = 0;
    while (pos < bytes.size()) {
      const auto nl = bytes.find('\n', pos);
      std::string_view text = bytes.substr(pos, nl == std::string_view::npos ? std::string_view::npos : nl - pos);
      pos = nl == std::string_view::npos ? bytes.size() : nl + 1;
      ++line;
      if (!text.empty() && text.back() == '\r') text.remove_suffix(1);
      if (trim(text).empty() || text == "\x1A") continue;  // blank line, DOS end of file
      records.push_back(make_record(line, text));
    }
  }

  std::vector<Statement> out;
  std::optional<Statement> open;
  bool have_entry = false;  // a 05 needs the 04 it completes
  for (const Record& r : records) {
    if (r.length() != 120)
      throw usage_error("{}: record of {} characters: expected 120", where(r), r.length());
    const std::string_view code = r.field(1, 2);
    if (code != "01" && code != "04" && code != "05" && code != "07")
      throw usage_error("{}: record code {}: expected 01, 04, 05 or 07", where(r), quote(code));
    const std::string account(trim(r.field(22, 32)));
    const std::string currency(trim(r.field(17, 19)));
    if (code != "01" && !open)
      throw usage_error("{}: record {} outside a statement: expected an old-balance record 01 first", where(r),
                        quote(code));
    if (code != "01" && account != open->account)
      throw usage_error("{}: account {} in a statement of account {} (opened on line {}): expected the same "
                        "account until its new-balance record 07",
                        where(r), quote(account), open->account, open->line);
    if (code == "01") {
      if (open)
        throw usage_error("{}: old-balance record 01 while the statement of account {} opened on line {} has no "
                          "new-balance record 07",
                          where(r), open->account, open->line);
      Statement s;
      s.format = Format::cfonb120;
      s.line = r.line;
      s.account = account;
      s.currency = currency;
      s.opening = Balance{amount_of(r, decimals_of(r, true)), date_of(r, 35, 40, false, "balance date")};
      open = std::move(s);
      have_entry = false;
    } else if (code == "04") {
      if (!currency.empty() && !open->currency.empty() && currency != open->currency)
        throw usage_error("{}: currency {} in a statement in {}: expected {}", where(r), quote(currency),
                          open->currency, open->currency);
      if (open->currency.empty()) open->currency = currency;
      Entry e;
      e.line = r.line;
      const Cents a = amount_of(r, decimals_of(r, false));
      e.amount = a < 0 ? -a : a;
      e.direction = a < 0 ? Direction::debit : Direction::credit;
      e.booking_date = *date_of(r, 35, 40, false, "booking date");
      e.value_date = date_of(r, 43, 48, true, "value date");
      e.bank_code = std::string(r.field(33, 34));
      e.means = means_of_cfonb(e.bank_code);
      e.remittance = detail::clean_text(r.field(49, 79));
      e.reference = detail::clean_text(r.field(105, 120));
      open->entries.push_back(std::move(e));
      have_entry = true;
    } else if (code == "05") {
      if (!have_entry)
        throw usage_error("{}: complement record 05 without a movement record 04 before it in its statement",
                          where(r));
      Entry& e = open->entries.back();
      const std::string_view qualifier = r.field(46, 48);
      const std::string_view info = r.field(49, 118);
      if (qualifier == "LIB" || qualifier == "LCC" || qualifier == "LC2") {
        append(e.remittance, info);
      } else if (qualifier == "NPY") {
        e.payer_name = detail::clean_text(info);
      } else if (qualifier == "RCN") {
        e.end_to_end_id = detail::clean_text(info.substr(0, std::min<std::size_t>(35, info.size())));
      } else if (qualifier == "LCS") {
        e.creditor_reference = detail::clean_text(info);
      } else if (qualifier == "REF") {
        if (e.reference.empty()) e.reference = detail::clean_text(info);
      }
      // Other qualifiers (IPY, NBE, IBE, MMO, RUM...) are not used by tally.
    } else if (code == "07") {
      open->closing = Balance{amount_of(r, decimals_of(r, true)), date_of(r, 35, 40, false, "balance date")};
      detail::finish_references(*open);
      out.push_back(std::move(*open));
      open.reset();
      have_entry = false;
    }
  }
  if (open)
    throw usage_error("CFONB 120: the statement of account {} opened on line {} has no new-balance record 07 "
                      "(truncated file?)",
                      open->account, open->line);
  if (out.empty()) throw usage_error("CFONB 120: no statement: expected records 01, 04, 05 and 07");
  return out;
}

}  // namespace tally::bank
