// A bank's CSV export read with a rules file, after hledger's CSV rules
// (https://hledger.org/csv.html): `separator`, `skip`, `decimal-mark`,
// `date-format`, `fields` with hledger's field names (date, date2,
// description, amount, amount-in, amount-out, code, currency), plus tally's
// own: `sign`, `account`, `currency`, `method` and the fields payer,
// payer-iban, end-to-end-id, creditor-reference, bank-code, method. hledger's
// `if` blocks and journal templates have no meaning here and are refused.
#include <algorithm>
#include <array>

#include "core/bank_internal.hpp"
#include "tally/errors.hpp"

namespace tally::bank {
namespace {

using detail::quote;
using detail::trim;

constexpr std::array<std::string_view, 15> kFieldNames = {
    "date",  "date2",      "description",   "amount",             "amount-in", "amount-out", "code", "currency",
    "payer", "payer-iban", "end-to-end-id", "creditor-reference", "bank-code", "method",     "_"};

// Checks a date format: %d %-d %m %-m %Y %y and literal characters.
void check_date_format(std::string_view f, int line) {
  bool d = false, m = false, y = false;
  for (std::size_t i = 0; i < f.size(); ++i) {
    if (f[i] != '%') continue;
    std::string_view spec = f.substr(i + 1, f.size() > i + 1 && f[i + 1] == '-' ? 2 : 1);
    i += spec.size();
    if (spec == "d" || spec == "-d") d = true;
    else if (spec == "m" || spec == "-m") m = true;
    else if (spec == "Y" || spec == "y") y = true;
    else
      throw usage_error("rules line {}: date-format {}: %{} is not supported: expected %d, %-d, %m, %-m, %Y or %y "
                        "and literal characters",
                        line, quote(f), spec);
  }
  if (!d || !m || !y)
    throw usage_error("rules line {}: date-format {}: expected a day (%d), a month (%m) and a year (%Y or %y)", line,
                      quote(f));
}

Date parse_with_format(std::string_view t, std::string_view f, std::string_view where) {
  int day = 0, month = 0, year = 0;
  std::size_t i = 0;
  const auto bad = [&] {
    return usage_error("{}: invalid date {}: expected the date-format {}", where, quote(t), quote(f));
  };
  const auto digits = [&](std::size_t min, std::size_t max) {
    std::size_t n = 0;
    int v = 0;
    while (n < max && i < t.size() && t[i] >= '0' && t[i] <= '9') {
      v = v * 10 + (t[i] - '0');
      ++i;
      ++n;
    }
    if (n < min) throw bad();
    return v;
  };
  for (std::size_t k = 0; k < f.size(); ++k) {
    if (f[k] != '%') {
      if (i >= t.size() || t[i] != f[k]) throw bad();
      ++i;
      continue;
    }
    if (k + 1 >= f.size() || (f[k + 1] == '-' && k + 2 >= f.size())) throw bad();
    const bool loose = f[k + 1] == '-';
    const char spec = f[k + (loose ? 2 : 1)];
    k += loose ? 2 : 1;
    if (spec == 'd') day = loose ? digits(1, 2) : digits(2, 2);
    else if (spec == 'm') month = loose ? digits(1, 2) : digits(2, 2);
    else if (spec == 'Y') year = digits(4, 4);
    else year = 2000 + digits(2, 2);  // 'y'
  }
  if (i != t.size()) throw bad();
  return detail::make_date(year, month, day, t, where, fmt::format("the date-format {}", quote(f)));
}

// One CSV record: fields and the line it starts on.
struct Row {
  int line = 0;
  std::vector<std::string> fields;
};

// RFC 4180 with the rules' separator; blank lines skipped.
std::vector<Row> split_records(std::string_view s, char sep, int first_line) {
  std::vector<Row> rows;
  std::size_t i = 0;
  int line = first_line;
  while (i < s.size()) {
    Row row;
    row.line = line;
    std::string field;
    bool any = false;
    while (true) {
      if (i < s.size() && s[i] == '"') {
        const int quote_line = line;
        ++i;
        while (true) {
          if (i >= s.size())
            throw usage_error("CSV line {}: unterminated quoted field: expected a closing '\"'", quote_line);
          if (s[i] == '"') {
            if (i + 1 < s.size() && s[i + 1] == '"') {
              field += '"';
              i += 2;
              continue;
            }
            ++i;
            break;
          }
          if (s[i] == '\n') ++line;
          field += s[i++];
        }
        if (i < s.size() && s[i] != sep && s[i] != '\n' && s[i] != '\r')
          throw usage_error("CSV line {}: text after a closing quote: expected the separator or the end of the line",
                            line);
        any = true;
      } else {
        while (i < s.size() && s[i] != sep && s[i] != '\n' && !(s[i] == '\r' && i + 1 < s.size() && s[i + 1] == '\n') &&
               !(s[i] == '\r' && i + 1 == s.size())) {
          field += s[i++];
        }
        if (!field.empty()) any = true;
      }
      row.fields.push_back(std::move(field));
      field.clear();
      if (i < s.size() && s[i] == sep) {
        ++i;
        any = true;
        continue;
      }
      if (i < s.size() && s[i] == '\r') ++i;
      if (i < s.size() && s[i] == '\n') ++i;
      ++line;
      break;
    }
    if (any) rows.push_back(std::move(row));
  }
  return rows;
}

// An amount with digit groups and the rules' decimal mark, signed; nullopt when empty.
std::optional<Cents> csv_amount(std::string_view raw, char mark, std::string_view where) {
  std::string_view t = trim(raw);
  if (t.empty()) return std::nullopt;
  const char group_mark = mark == ',' ? '.' : ',';
  std::string sign;
  if (t.front() == '-' || t.front() == '+') {
    sign = t.front();
    t.remove_prefix(1);
  }
  // Integer part: groups of three digits after the first may be separated by
  // a space, a no-break space (U+00A0, U+202F) or the other mark.
  std::string digits;
  std::size_t i = 0;
  std::size_t group = 0;
  bool grouped = false;
  const auto bad = [&] {
    return usage_error("{}: invalid amount {}: expected digits with the decimal mark '{}' and at most 2 decimals "
                       "(groups of three digits may be separated by a space or '{}')",
                       where, quote(raw), mark, group_mark);
  };
  while (i < t.size() && t[i] != mark) {
    std::size_t sep_len = 0;
    if (t[i] == ' ' || t[i] == group_mark) sep_len = 1;
    else if (t.compare(i, 2, "\xC2\xA0") == 0) sep_len = 2;
    else if (t.compare(i, 3, "\xE2\x80\xAF") == 0) sep_len = 3;
    if (sep_len > 0) {
      if (digits.empty() || (grouped && group != 3) || (!grouped && group > 3)) throw bad();
      grouped = true;
      group = 0;
      i += sep_len;
      continue;
    }
    if (t[i] < '0' || t[i] > '9') throw bad();
    digits += t[i++];
    ++group;
  }
  if (grouped && group != 3) throw bad();
  std::string normal = sign + digits;
  if (i < t.size()) normal += std::string(1, '.') + std::string(t.substr(i + 1));
  if (digits.empty()) throw bad();
  try {
    return detail::parse_decimal_amount(normal, true, where);
  } catch (const Error&) {
    throw bad();
  }
}

}  // namespace

CsvRules parse_csv_rules(std::string_view text) {
  CsvRules r;
  bool have_fields = false;
  int line = 0;
  std::size_t pos = 0;
  while (pos <= text.size()) {
    const auto nl = text.find('\n', pos);
    std::string_view l = text.substr(pos, nl == std::string_view::npos ? std::string_view::npos : nl - pos);
    pos = nl == std::string_view::npos ? text.size() + 1 : nl + 1;
    ++line;
    l = trim(l);
    if (l.empty() || l.front() == '#' || l.front() == ';' || l.front() == '*') continue;
    const auto sp = l.find_first_of(" \t");
    const std::string_view key = l.substr(0, sp);
    const std::string_view value = sp == std::string_view::npos ? std::string_view() : trim(l.substr(sp));
    if (key == "separator") {
      if (value == "TAB" || value == "\\t") r.separator = '\t';
      else if (value == "SEMICOLON" || value == ";") r.separator = ';';
      else if (value == "COMMA" || value == ",") r.separator = ',';
      else if (value == "|") r.separator = '|';
      else
        throw usage_error("rules line {}: separator {}: expected , ; | or TAB (also COMMA, SEMICOLON)", line,
                          quote(value));
    } else if (key == "skip") {
      r.skip = value.empty() ? 1 : static_cast<int>(parse_count(value, "skip count", 1000));
    } else if (key == "decimal-mark") {
      if (value != "." && value != ",")
        throw usage_error("rules line {}: decimal-mark {}: expected . or ,", line, quote(value));
      r.decimal_mark = value[0];
    } else if (key == "date-format") {
      check_date_format(value, line);
      r.date_format = value;
    } else if (key == "sign") {
      if (value != "credit-positive" && value != "debit-positive")
        throw usage_error("rules line {}: sign {}: expected credit-positive or debit-positive", line, quote(value));
      r.debit_positive = value == "debit-positive";
    } else if (key == "account") {
      r.account = detail::clean_text(value);
    } else if (key == "currency") {
      if (value.size() != 3 || !std::all_of(value.begin(), value.end(), [](char c) { return c >= 'A' && c <= 'Z'; }))
        throw usage_error("rules line {}: currency {}: expected an ISO 4217 code such as EUR", line, quote(value));
      r.currency = value;
    } else if (key == "method") {
      r.method = parse_method(value);
    } else if (key == "fields") {
      r.fields.clear();
      std::size_t p = 0;
      while (p <= value.size()) {
        const auto comma = value.find(',', p);
        std::string name(trim(value.substr(p, comma == std::string_view::npos ? std::string_view::npos : comma - p)));
        p = comma == std::string_view::npos ? value.size() + 1 : comma + 1;
        if (std::find(kFieldNames.begin(), kFieldNames.end(), name) == kFieldNames.end() && !name.empty())
          throw usage_error("rules line {}: field {}: expected date, date2, description, amount, amount-in, "
                            "amount-out, code, currency, payer, payer-iban, end-to-end-id, creditor-reference, "
                            "bank-code, method or _",
                            line, quote(name));
        if (name == "_") name.clear();
        if (!name.empty() && std::find(r.fields.begin(), r.fields.end(), name) != r.fields.end())
          throw usage_error("rules line {}: field {} named twice: expected each field once", line, quote(name));
        r.fields.push_back(std::move(name));
      }
      const auto has = [&](std::string_view n) { return std::find(r.fields.begin(), r.fields.end(), n) != r.fields.end(); };
      if (!has("date"))
        throw usage_error("rules line {}: fields name no date column: expected one named date", line);
      const bool split = has("amount-in") || has("amount-out");
      if (has("amount") == split || (split && !(has("amount-in") && has("amount-out"))))
        throw usage_error("rules line {}: fields: expected either an amount column or both amount-in and "
                          "amount-out",
                          line);
      have_fields = true;
    } else {
      throw usage_error("rules line {}: directive {}: expected separator, skip, decimal-mark, date-format, fields, "
                        "sign, account, currency or method (hledger's if blocks and templates are not supported)",
                        line, quote(key));
    }
  }
  if (!have_fields) throw usage_error("rules: no fields line: expected one naming the columns (fields date, ...)");
  return r;
}

std::vector<Statement> read_bank_csv(std::string_view bytes, const CsvRules& rules) {
  detail::check_size(bytes, "CSV");
  std::string_view s = bytes;
  if (s.substr(0, 3) == "\xEF\xBB\xBF") s.remove_prefix(3);
  int first_line = 1;
  for (int k = 0; k < rules.skip && !s.empty(); ++k) {
    const auto nl = s.find('\n');
    s = nl == std::string_view::npos ? std::string_view() : s.substr(nl + 1);
    ++first_line;
  }
  Statement st;
  st.format = Format::csv;
  st.line = first_line;
  st.account = rules.account;
  st.currency = rules.currency;
  const auto col = [&](std::string_view n) -> int {
    const auto it = std::find(rules.fields.begin(), rules.fields.end(), n);
    return it == rules.fields.end() ? -1 : static_cast<int>(it - rules.fields.begin());
  };
  const int c_date = col("date"), c_date2 = col("date2"), c_desc = col("description"), c_amount = col("amount"),
            c_in = col("amount-in"), c_out = col("amount-out"), c_code = col("code"), c_ccy = col("currency"),
            c_payer = col("payer"), c_iban = col("payer-iban"), c_e2e = col("end-to-end-id"),
            c_cref = col("creditor-reference"), c_bank = col("bank-code"), c_method = col("method");
  for (Row& row : split_records(s, rules.separator, first_line)) {
    if (row.fields.size() < rules.fields.size())
      throw usage_error("CSV line {}: {} columns: expected at least {} (the rules' fields)", row.line,
                        row.fields.size(), rules.fields.size());
    const auto get = [&](int c) { return c < 0 ? std::string() : detail::clean_text(row.fields[static_cast<std::size_t>(c)]); };
    const auto loc = [&](int c) { return fmt::format("CSV line {} column {} ({})", row.line, c + 1, rules.fields[static_cast<std::size_t>(c)]); };
    Entry e;
    e.line = row.line;
    e.booking_date = parse_with_format(get(c_date), rules.date_format, loc(c_date));
    if (c_date2 >= 0 && !get(c_date2).empty()) e.value_date = parse_with_format(get(c_date2), rules.date_format, loc(c_date2));
    Cents signed_amount = 0;
    if (c_amount >= 0) {
      const auto a = csv_amount(row.fields[static_cast<std::size_t>(c_amount)], rules.decimal_mark, loc(c_amount));
      signed_amount = a.value_or(0);
      if (rules.debit_positive) signed_amount = -signed_amount;
    } else {
      const auto in = csv_amount(row.fields[static_cast<std::size_t>(c_in)], rules.decimal_mark, loc(c_in));
      const auto out = csv_amount(row.fields[static_cast<std::size_t>(c_out)], rules.decimal_mark, loc(c_out));
      if (in && *in < 0)
        throw usage_error("{}: negative credit {}: expected a positive amount (debits go in amount-out)", loc(c_in),
                          quote(row.fields[static_cast<std::size_t>(c_in)]));
      const Cents credit = in.value_or(0), debit = out ? (*out < 0 ? -*out : *out) : 0;
      if (credit != 0 && debit != 0)
        throw usage_error("CSV line {}: both a credit and a debit amount: expected one of them", row.line);
      signed_amount = credit != 0 ? credit : -debit;
    }
    if (signed_amount == 0)
      throw usage_error("CSV line {}: no amount (empty or zero): expected a credit or a debit", row.line);
    e.amount = signed_amount < 0 ? -signed_amount : signed_amount;
    e.direction = signed_amount < 0 ? Direction::debit : Direction::credit;
    if (c_ccy >= 0 && !get(c_ccy).empty() && get(c_ccy) != rules.currency)
      throw usage_error("{}: currency {}: expected {}", loc(c_ccy), quote(get(c_ccy)), rules.currency);
    e.remittance = get(c_desc);
    e.reference = get(c_code);
    e.payer_name = get(c_payer);
    e.payer_iban = get(c_iban);
    e.end_to_end_id = get(c_e2e);
    e.creditor_reference = get(c_cref);
    e.bank_code = get(c_bank);
    e.means = rules.method;
    if (c_method >= 0 && !get(c_method).empty()) {
      try {
        e.means = parse_method(get(c_method));
      } catch (const Error& err) {
        throw usage_error("{}: {}", loc(c_method), err.what());
      }
    }
    st.entries.push_back(std::move(e));
  }
  detail::finish_references(st);
  return {std::move(st)};
}

}  // namespace tally::bank
