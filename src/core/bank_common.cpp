// Bank statements: formats, B3 means, the hash reference, text helpers.
#include <array>
#include <algorithm>
#include <cstdint>
#include <cstring>
#include <functional>

#include <nettle/sha2.h>

#include "core/bank_internal.hpp"
#include "tally/errors.hpp"
#include "tally/text.hpp"

namespace tally::bank {

std::string_view to_string(Format f) {
  switch (f) {
    case Format::camt053: return "camt053";
    case Format::cfonb120: return "cfonb120";
    case Format::ofx: return "ofx";
    case Format::csv: return "csv";
  }
  return "?";
}

Format parse_format(std::string_view text) {
  for (auto f : {Format::camt053, Format::cfonb120, Format::ofx, Format::csv})
    if (to_string(f) == text) return f;
  throw usage_error("invalid statement format '{}': expected camt053, cfonb120, ofx or csv", text);
}

std::string Statement::label() const {
  const std::string acct = account.empty() ? std::string("(no account)") : account;
  if (!id.empty()) return fmt::format("statement {} (account {})", id, acct);
  return fmt::format("statement of account {} starting on line {}", acct, line);
}

Method means_of_iso(std::string_view domain, std::string_view family, std::string_view /*subfamily*/) {
  if (domain != "PMNT") return Method::other;
  if (family == "RCDT" || family == "ICDT") return Method::transfer;
  if (family == "RDDT" || family == "IDDT") return Method::sepa;
  if (family == "CCRD" || family == "MCRD") return Method::card;
  return Method::other;
}

Method means_of_cfonb(std::string_view code) {
  static constexpr std::array<std::string_view, 12> transfer = {"05", "06", "13", "14", "18", "21",
                                                                "39", "41", "44", "45", "C1", "C2"};
  static constexpr std::array<std::string_view, 6> sepa = {"08", "09", "A1", "A2", "B1", "B2"};
  static constexpr std::array<std::string_view, 4> card = {"11", "28", "30", "36"};
  for (auto c : transfer)
    if (c == code) return Method::transfer;
  for (auto c : sepa)
    if (c == code) return Method::sepa;
  for (auto c : card)
    if (c == code) return Method::card;
  return Method::other;
}

Method means_of_ofx(std::string_view t) {
  if (t == "CREDIT" || t == "DEBIT" || t == "XFER" || t == "DEP" || t == "DIRECTDEP") return Method::transfer;
  if (t == "DIRECTDEBIT" || t == "REPEATPMT") return Method::sepa;
  if (t == "POS") return Method::card;
  return Method::other;
}

std::string hash_entry(const Statement& s, const Entry& e, int occurrence) {
  sha256_ctx ctx;
  sha256_init(&ctx);
  auto add = [&ctx](std::string_view v) {
    sha256_update(&ctx, v.size(), reinterpret_cast<const std::uint8_t*>(v.data()));
    const std::uint8_t sep = 0x1F;
    sha256_update(&ctx, 1, &sep);
  };
  add(s.account);
  add(s.currency);
  add(format_date(e.booking_date));
  add(e.value_date ? format_date(*e.value_date) : std::string());
  add(format_amount(e.signed_amount()));
  add(e.remittance);
  add(e.creditor_reference);
  add(e.end_to_end_id);
  add(e.payer_name);
  add(e.payer_iban);
  add(e.bank_code);
  add(std::to_string(occurrence));
  std::uint8_t md[SHA256_DIGEST_SIZE];
  sha256_digest(&ctx, SHA256_DIGEST_SIZE, md);
  std::string out = "sha256:";
  static constexpr char hex[] = "0123456789abcdef";
  for (int i = 0; i < 16; ++i) {
    out += hex[md[i] >> 4];
    out += hex[md[i] & 0xF];
  }
  return out;
}

std::vector<Statement> read_statements(std::string_view bytes, std::optional<Format> format,
                                       const CsvRules* rules) {
  switch (format ? *format : detect_format(bytes)) {
    case Format::camt053: return read_camt053(bytes);
    case Format::cfonb120: return read_cfonb120(bytes);
    case Format::ofx: return read_ofx(bytes);
    case Format::csv:
      if (rules == nullptr)
        throw usage_error("a CSV bank statement needs a rules file naming its columns (see data/bank-rules/)");
      return read_bank_csv(bytes, *rules);
  }
  throw usage_error("unknown statement format");
}

namespace detail {


std::string clean_text(std::string_view s) {
  std::string utf8;
  if (valid_utf8(s)) {
    utf8 = s;
  } else {
    // Windows-1252 (what French banks' exports use when not UTF-8): Latin-1,
    // except 0x80-0x9F, which hold the euro sign, typographic quotes, dashes...
    // (unassigned ones, shown as 0, stay controls and fold to a space).
    static constexpr std::uint16_t cp1252[32] = {
        0x20AC, 0,      0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
        0x2039, 0x0152, 0,      0x017D, 0,      0,      0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
        0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0,      0x017E, 0x0178};
    for (char ch : s) {
      const auto c = static_cast<unsigned char>(ch);
      std::uint32_t cp = c;
      if (c >= 0x80 && c <= 0x9F && cp1252[c - 0x80] != 0) cp = cp1252[c - 0x80];
      if (cp < 0x80) {
        utf8 += ch;
      } else if (cp < 0x800) {
        utf8 += static_cast<char>(0xC0 | (cp >> 6));
        utf8 += static_cast<char>(0x80 | (cp & 0x3F));
      } else {
        utf8 += static_cast<char>(0xE0 | (cp >> 12));
        utf8 += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        utf8 += static_cast<char>(0x80 | (cp & 0x3F));
      }
    }
  }
  std::string out;
  bool pending_space = false;
  for (std::size_t i = 0; i < utf8.size(); ++i) {
    const auto c = static_cast<unsigned char>(utf8[i]);
    // ASCII controls and space, DEL, and the C1 controls (U+0080..U+009F) and
    // the no-break space (U+00A0), written C2 80..C2 A0.
    bool space = c <= 0x20 || c == 0x7F;
    std::size_t width = 1;
    if (c == 0xC2 && i + 1 < utf8.size() && static_cast<unsigned char>(utf8[i + 1]) <= 0xA0) {
      space = true;
      width = 2;
    }
    if (space) {
      pending_space = !out.empty();
      i += width - 1;
      continue;
    }
    if (pending_space) out += ' ';
    pending_space = false;
    out += utf8[i];
  }
  return out;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r' || s.front() == '\n'))
    s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r' || s.back() == '\n'))
    s.remove_suffix(1);
  return s;
}

std::string quote(std::string_view s) {
  std::string out = "'";
  std::size_t shown = 0;
  for (char ch : s) {
    if (shown == 40) {
      out += "...";
      break;
    }
    const auto c = static_cast<unsigned char>(ch);
    if (c < 0x20 || c >= 0x7F)
      out += fmt::format("\\x{:02X}", c);
    else
      out += ch;
    ++shown;
  }
  return out + "'";
}

Cents parse_decimal_amount(std::string_view text, bool allow_sign, std::string_view where) {
  std::string_view s = text;
  bool negative = false;
  if (allow_sign && !s.empty() && (s.front() == '-' || s.front() == '+')) {
    negative = s.front() == '-';
    s.remove_prefix(1);
  }
  // Drop decimals beyond the second when they are zeros: "3483.000" is exact.
  const auto mark = s.find_first_of(".,");
  if (mark != std::string_view::npos) {
    while (s.size() > mark + 3 && s.back() == '0') s.remove_suffix(1);
  }
  try {
    const Cents v = parse_amount(s);
    return negative ? -v : v;
  } catch (const Error&) {
    throw usage_error("{}: invalid amount {}: expected {}digits with at most 2 decimals after '.' or ',' "
                      "(further decimals only if zero), at most 1000000000.00",
                      where, quote(text), allow_sign ? "an optional sign then " : "");
  }
}

Date make_date(int y, int m, int d, std::string_view text, std::string_view where, std::string_view what) {
  const bool in_range = m >= 1 && m <= 12 && d >= 1 && d <= 31 && y >= 1900 && y <= 9999;
  const date::year_month_day ymd{date::year{in_range ? y : 2000}, date::month{in_range ? static_cast<unsigned>(m) : 1u},
                                 date::day{in_range ? static_cast<unsigned>(d) : 1u}};
  if (!in_range || !ymd.ok())
    throw usage_error("{}: invalid date {}: expected {} (a real day)", where, quote(text), what);
  return date::sys_days{ymd};
}

void finish_references(Statement& s) {
  // Bank references are numbered before the hashes are made, as the error of
  // a reference too long comes before any hash: one pass per kind.
  ReferenceNumbering numbering;
  for (Entry& e : s.entries)
    if (!e.reference.empty()) numbering.finish(s, e);
  for (Entry& e : s.entries)
    if (e.reference.empty()) numbering.finish(s, e);
}

int Occurrences::add(std::string_view key) {
  const auto key_at = [this](std::uint32_t offset) {
    std::uint32_t len = 0;
    std::memcpy(&len, arena_.data() + offset, 4);
    return std::string_view(arena_.data() + offset + 4, len);
  };
  if ((size_ + 1) * 2 > slots_.size()) {  // at most half full
    std::vector<std::uint32_t> grown(std::max<std::size_t>(64, slots_.size() * 2), 0);
    for (std::uint32_t slot : slots_) {
      if (slot == 0) continue;
      std::size_t i = std::hash<std::string_view>{}(key_at(slot - 1)) & (grown.size() - 1);
      while (grown[i] != 0) i = (i + 1) & (grown.size() - 1);
      grown[i] = slot;
    }
    slots_.swap(grown);
  }
  std::size_t i = std::hash<std::string_view>{}(key) & (slots_.size() - 1);
  for (; slots_[i] != 0; i = (i + 1) & (slots_.size() - 1)) {
    const std::uint32_t offset = slots_[i] - 1;
    if (key_at(offset) != key) continue;
    char* count_at = arena_.data() + offset + 4 + key.size();
    std::int32_t n = 0;
    std::memcpy(&n, count_at, 4);
    ++n;
    std::memcpy(count_at, &n, 4);
    return n;
  }
  if (arena_.size() + key.size() + 8 >= UINT32_MAX)
    throw Error(ExitCode::internal, "statement too large to number its references");
  const auto offset = static_cast<std::uint32_t>(arena_.size());
  const auto len = static_cast<std::uint32_t>(key.size());
  const std::int32_t one = 1;
  arena_.append(reinterpret_cast<const char*>(&len), 4);
  arena_.append(key);
  arena_.append(reinterpret_cast<const char*>(&one), 4);
  slots_[i] = offset + 1;
  ++size_;
  return 1;
}

void ReferenceNumbering::finish(const Statement& s, Entry& e) {
  if (!e.reference.empty()) {
    // A bank reference given again in the same statement gets "#N" for its
    // N-th occurrence, so that references are unique in a statement.
    if (e.reference.size() > kMaxRefLength - 8)
      throw usage_error("{} line {}: bank reference {} of {} bytes: expected at most {} (P4)", to_string(s.format),
                        e.line, quote(e.reference), e.reference.size(), kMaxRefLength - 8);
    const int n = given_.add(e.reference);
    if (n > 1) e.reference += fmt::format("#{}", n);
    return;
  }
  // Occurrences of identical entries (same hashed fields) in this statement.
  const std::string first = hash_entry(s, e, 1);
  const int n = seen_.add(first);
  e.reference = n == 1 ? first : hash_entry(s, e, n);
  e.reference_is_hash = true;
}

void check_size(std::string_view bytes, std::string_view format) {
  if (bytes.size() > kMaxStatementBytes)
    throw usage_error("{} statement of {} bytes: expected at most {} bytes", format, bytes.size(),
                      kMaxStatementBytes);
}

}  // namespace detail

void send_statements(const std::vector<Statement>& statements, StatementSink& sink) {
  for (const Statement& st : statements) {
    Statement header;  // without the entries: a sink gets them one by one
    header.format = st.format;
    header.line = st.line;
    header.account = st.account;
    header.currency = st.currency;
    header.id = st.id;
    header.opening = st.opening;
    header.closing = st.closing;
    sink.begin(header);
    for (const Entry& e : st.entries) sink.entry(header, Entry(e));
    sink.end(header);
  }
}

}  // namespace tally::bank
