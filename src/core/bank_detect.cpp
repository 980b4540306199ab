// Which format a bank statement is in, from its content (issue 21).
#include <optional>

#include "core/bank_internal.hpp"

namespace tally::bank {
namespace {

bool starts_with(std::string_view s, std::string_view p) { return s.substr(0, p.size()) == p; }

// The text from the first element's '<' to its '>', skipping the XML
// declaration, processing instructions, comments and a DOCTYPE; "" if none.
std::string_view first_element(std::string_view s) {
  std::size_t i = 0;
  while (i < s.size()) {
    while (i < s.size() && (s[i] == ' ' || s[i] == '\t' || s[i] == '\r' || s[i] == '\n')) ++i;
    if (i >= s.size() || s[i] != '<') return {};
    std::string_view rest = s.substr(i);
    std::size_t end = std::string_view::npos;
    if (starts_with(rest, "<?")) {
      end = rest.find("?>");
      if (end != std::string_view::npos) end += 2;
    } else if (starts_with(rest, "<!--")) {
      end = rest.find("-->");
      if (end != std::string_view::npos) end += 3;
    } else if (starts_with(rest, "<!")) {
      end = rest.find('>');
      if (end != std::string_view::npos) end += 1;
    } else {
      const auto close = rest.find('>');
      return close == std::string_view::npos ? rest : rest.substr(0, close + 1);
    }
    if (end == std::string_view::npos) return {};
    i += end;
  }
  return {};
}

}  // namespace

Format detect_format(std::string_view bytes) {
  std::string_view s = bytes;
  if (starts_with(s, "\xEF\xBB\xBF")) s.remove_prefix(3);
  std::string_view t = detail::trim(s);
  if (starts_with(t, "OFXHEADER")) return Format::ofx;
  if (starts_with(t, "<")) {
    const std::string_view head = t.substr(0, 4096);
    if (head.find("OFXHEADER") != std::string_view::npos) return Format::ofx;
    const std::string_view root = first_element(t);
    if (starts_with(root, "<OFX>") || starts_with(root, "<OFX ")) return Format::ofx;
    // Any other XML goes to the CAMT reader, which names what it found.
    return Format::camt053;
  }
  // CFONB 120: the first record is 120 characters and starts with "01"
  // (records may follow each other without line breaks).
  const auto nl = s.find('\n');
  std::string_view first = s.substr(0, nl);
  if (!first.empty() && first.back() == '\r') first.remove_suffix(1);
  if (starts_with(first, "01") && (first.size() == 120 || (nl == std::string_view::npos && first.size() % 120 == 0)))
    return Format::cfonb120;
  return Format::csv;
}

std::optional<Format> detect_format_head(std::string_view head) {
  std::string_view s = head;
  if (starts_with(s, "\xEF\xBB\xBF")) s.remove_prefix(3);
  // Leading white space only (trim() would also cut the end of the head).
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r' || s.front() == '\n'))
    s.remove_prefix(1);
  if (starts_with(s, "OFXHEADER")) return Format::ofx;
  if (!starts_with(s, "<") || s.size() < 4096) return std::nullopt;  // short: read whole
  const std::string_view root = first_element(s);
  if (root.empty() || root.back() != '>') return std::nullopt;
  return detect_format(head);
}

}  // namespace tally::bank
