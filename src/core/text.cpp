// People's text: UTF-8, the checks at input and the neutralisers at output.
#include "tally/text.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "tally/errors.hpp"

namespace tally {

std::size_t utf8_length(std::string_view text, std::size_t i) {
  const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[i + k]); };
  const unsigned char c = byte(0);
  if (c < 0x80) return 1;
  std::size_t len = 0;
  unsigned char lo = 0x80, hi = 0xBF;  // the range of the second byte
  if (c >= 0xC2 && c <= 0xDF) {
    len = 2;
  } else if (c >= 0xE0 && c <= 0xEF) {
    len = 3;
    if (c == 0xE0) lo = 0xA0;  // overlong
    if (c == 0xED) hi = 0x9F;  // surrogates
  } else if (c >= 0xF0 && c <= 0xF4) {
    len = 4;
    if (c == 0xF0) lo = 0x90;  // overlong
    if (c == 0xF4) hi = 0x8F;  // above U+10FFFF
  }
  if (len == 0 || i + len > text.size() || byte(1) < lo || byte(1) > hi) return 0;
  for (std::size_t k = 2; k < len; ++k)
    if ((byte(k) & 0xC0) != 0x80) return 0;
  return len;
}

std::uint32_t utf8_decode(std::string_view text, std::size_t i, std::size_t len) {
  const auto c = static_cast<unsigned char>(text[i]);
  if (len == 1) return c;
  std::uint32_t cp = c & (0x7Fu >> len);
  for (std::size_t k = 1; k < len; ++k) cp = (cp << 6) | (static_cast<unsigned char>(text[i + k]) & 0x3Fu);
  return cp;
}

std::optional<std::size_t> invalid_utf8_at(std::string_view text) {
  for (std::size_t i = 0; i < text.size();) {
    const std::size_t len = utf8_length(text, i);
    if (len == 0) return i;
    i += len;
  }
  return std::nullopt;
}

std::size_t utf8_chars(std::string_view text) {
  std::size_t n = 0;
  for (std::size_t i = 0; i < text.size(); ++n) {
    const std::size_t len = utf8_length(text, i);
    i += len == 0 ? 1 : len;
  }
  return n;
}

bool is_refused_code_point(std::uint32_t cp) {
  return cp < 0x20 || (cp >= 0x7F && cp <= 0x9F) || (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069) ||
         cp == 0x2028 || cp == 0x2029;
}

namespace {

// The name people know a refused code point by, for messages.
std::string_view code_point_name(std::uint32_t cp) {
  switch (cp) {
    case 0x09: return "a tab";
    case 0x0A: return "a line feed";
    case 0x0D: return "a carriage return";
    case 0x1B: return "an escape (ESC)";
    case 0x7F: return "a delete (DEL)";
    case 0x2028: return "a line separator";
    case 0x2029: return "a paragraph separator";
    default: break;
  }
  if (cp < 0x20) return "a control character";
  if (cp <= 0x9F) return "a C1 control character";
  return "a bidirectional control";
}

// True when text holds only spaces and no-break spaces (U+00A0).
bool is_blank(std::string_view text) {
  for (std::size_t i = 0; i < text.size();) {
    if (text[i] == ' ') {
      ++i;
    } else if (text.substr(i, 2) == "\xC2\xA0") {
      i += 2;
    } else {
      return false;
    }
  }
  return true;
}

}  // namespace

std::string text_problem(std::string_view text, const TextRule& rule) {
  if (text.empty()) return rule.optional ? "" : "empty";
  std::size_t chars = 0;
  for (std::size_t i = 0; i < text.size(); ++chars) {
    const std::size_t len = utf8_length(text, i);
    if (len == 0)
      return fmt::format("byte 0x{:02X} at byte {} is not UTF-8", static_cast<unsigned char>(text[i]), i + 1);
    const std::uint32_t cp = utf8_decode(text, i, len);
    if (is_refused_code_point(cp))
      return fmt::format("{} (U+{:04X}) at byte {}", code_point_name(cp), cp, i + 1);
    i += len;
  }
  if (is_blank(text)) return "only spaces";
  if (chars > rule.max_chars) return fmt::format("{} characters", chars);
  return "";
}

std::string text_accepted(const TextRule& rule) {
  return fmt::format("{}UTF-8 text of {} to {} characters, without control characters, line breaks or "
                     "bidirectional controls",
                     rule.optional ? "nothing or " : "", 1, rule.max_chars);
}

void check_text(std::string_view text, std::string_view field, const TextRule& rule) {
  const std::string problem = text_problem(text, rule);
  if (problem.empty()) return;
  const std::size_t chars = utf8_chars(text);
  const std::string quoted = chars > 40 ? fmt::format("'{}' ({} bytes)", shown_text(text), text.size())
                                        : fmt::format("'{}'", shown_text(text));
  throw usage_error("invalid {} {}: {}; expected {}", field, quoted, problem, text_accepted(rule));
}

void check_email(std::string_view email, std::string_view field) {
  check_text(email, field, TextRule{kMaxEmailLength, false});
  const auto refuse = [&](std::string_view why) {
    throw usage_error("invalid {} '{}': {}; expected an address such as billing@example.com (one '@', a name "
                      "before it, a domain with a dot after it, no spaces)",
                      field, shown_text(email), why);
  };
  const std::size_t at = email.find('@');
  if (at == std::string_view::npos) refuse("no '@'");
  if (email.find('@', at + 1) != std::string_view::npos) refuse("more than one '@'");
  // A space, or a no-break space U+00A0.
  if (email.find(' ') != std::string_view::npos || email.find("\xC2\xA0") != std::string_view::npos)
    refuse("a space");
  if (at == 0) refuse("nothing before the '@'");
  const std::string_view domain = email.substr(at + 1);
  const std::size_t dot = domain.find('.');
  if (domain.empty() || dot == std::string_view::npos) refuse("no domain with a dot after the '@'");
  if (domain.front() == '.' || domain.back() == '.' || domain.find("..") != std::string_view::npos)
    refuse("an empty part in the domain");
}

std::string escape_control(std::string_view text) {
  // Most text is printable ASCII: nothing to decode (a 100k-row table).
  const bool ascii = std::all_of(text.begin(), text.end(), [](char ch) {
    const auto c = static_cast<unsigned char>(ch);
    return c >= 0x20 && c < 0x7F;
  });
  if (ascii) return std::string(text);
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size();) {
    const std::size_t len = utf8_length(text, i);
    if (len == 0) {
      out += fmt::format("\\x{:02x}", static_cast<unsigned char>(text[i]));
      ++i;
      continue;
    }
    const std::uint32_t cp = utf8_decode(text, i, len);
    if (!is_refused_code_point(cp)) {
      out.append(text.substr(i, len));
    } else if (cp == '\n') {
      out += "\\n";
    } else if (cp == '\r') {
      out += "\\r";
    } else if (cp == '\t') {
      out += "\\t";
    } else if (cp < 0x80) {
      out += fmt::format("\\x{:02x}", cp);
    } else {
      out += fmt::format("\\u{:04x}", cp);
    }
    i += len;
  }
  return out;
}

std::string shown_text(std::string_view text, std::size_t max_chars) {
  std::size_t cut = 0, chars = 0;
  while (cut < text.size() && chars < max_chars) {
    const std::size_t len = utf8_length(text, cut);
    cut += len == 0 ? 1 : len;
    ++chars;
  }
  std::string out = escape_control(text.substr(0, cut));
  return cut < text.size() ? out + "..." : out;
}

std::string csv_protect(std::string_view text) {
  if (!text.empty() && std::string_view("=+-@\t\r").find(text.front()) != std::string_view::npos)
    return "'" + std::string(text);
  return std::string(text);
}

bool is_plain_number(std::string_view text) {
  std::size_t i = !text.empty() && text.front() == '-' ? 1 : 0;
  const std::size_t digits_from = i;
  while (i < text.size() && text[i] >= '0' && text[i] <= '9') ++i;
  if (i == digits_from) return false;
  if (i == text.size()) return true;
  if (text[i] != '.') return false;
  const std::size_t decimals_from = ++i;
  while (i < text.size() && text[i] >= '0' && text[i] <= '9') ++i;
  return i > decimals_from && i == text.size();
}

std::string html_escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string markdown_escape(std::string_view text) {
  const std::string plain = escape_control(text);
  std::string out;
  out.reserve(plain.size());
  for (char c : plain) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '|': out += "&#124;"; break;
      default: out += c;
    }
  }
  return out;
}

}  // namespace tally
