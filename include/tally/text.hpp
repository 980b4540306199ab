// Text that people type or import (names, e-mails, descriptions, reasons,
// references, bank labels): UTF-8 decoding and the checks at input, and the
// neutralisers at output (terminal and plain text, CSV cells, HTML). The one
// place tally decodes UTF-8.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace tally {

// ---- UTF-8 ----

// The length (1 to 4) of the well-formed UTF-8 sequence at text[i] (RFC 3629:
// no overlong form, no surrogate, nothing above U+10FFFF), 0 if there is none.
// REQUIRES: i < text.size().
std::size_t utf8_length(std::string_view text, std::size_t i);

// The code point of the well-formed sequence of `len` bytes at text[i].
// REQUIRES: len == utf8_length(text, i) and len > 0.
std::uint32_t utf8_decode(std::string_view text, std::size_t i, std::size_t len);

// The byte offset of the first byte that does not start a well-formed UTF-8
// sequence; nullopt when the whole text is UTF-8.
std::optional<std::size_t> invalid_utf8_at(std::string_view text);
inline bool valid_utf8(std::string_view text) { return !invalid_utf8_at(text); }

// The characters (code points) of text; an invalid byte counts as one.
std::size_t utf8_chars(std::string_view text);

// ---- Checks at input ----

// Code points refused in people's text: C0 controls (tab and line breaks
// included), DEL, C1 controls, the bidirectional embeddings, overrides and
// isolates (U+202A-U+202E, U+2066-U+2069) and the Unicode line and paragraph
// separators (U+2028, U+2029), which act as line breaks.
bool is_refused_code_point(std::uint32_t cp);

// What a text field accepts.
struct TextRule {
  // At most this many characters. Default: kMaxNoteLength of payments.hpp.
  std::size_t max_chars = 1000;
  // Whether "" is accepted (an optional field left empty). Text made only of
  // spaces is never accepted. Default: no.
  bool optional = false;
};

// Why `text` is not acceptable people's text under `rule`, "" when it is:
// not UTF-8 (naming the byte position), a refused code point (naming it as
// U+XXXX and its byte position), empty or blank, or too long.
std::string text_problem(std::string_view text, const TextRule& rule = {});

// The sentence saying what a field under `rule` accepts.
std::string text_accepted(const TextRule& rule = {});

// Checks `text` (the value of `field`, e.g. "customer name") under `rule`.
// Throws Error(usage): "invalid FIELD 'SHOWN': PROBLEM; expected ACCEPTED",
// the text shown as shown_text() does.
void check_text(std::string_view text, std::string_view field, const TextRule& rule = {});

// The longest e-mail address accepted (RFC 5321's path limit).
inline constexpr std::size_t kMaxEmailLength = 254;

// Checks an e-mail address "looks like one": people's text (check_text) of at
// most kMaxEmailLength characters, with exactly one '@', a non-empty part
// before it, a domain after it holding a dot between non-empty labels, no
// space. Throws Error(usage) naming `field`. "" is refused: callers skip an
// absent address.
void check_email(std::string_view email, std::string_view field = "e-mail");

// ---- Neutralisers at output ----

// Text as a terminal, a table or a .txt file may show it: every control
// character and invalid byte written escaped, never raw, so nothing reaches
// the terminal as a command (ESC, OSC 52) and nothing breaks a line (a forged
// table row). \n \r \t as such; other C0 and DEL as \xHH; C1 controls, the
// bidirectional controls and U+2028/U+2029 as \uXXXX; a byte that is not
// UTF-8 as \xHH. Other text, backslashes included, is unchanged.
std::string escape_control(std::string_view text);

// A value for an error message: escape_control, cut after `max_chars`
// characters with "..." appended.
std::string shown_text(std::string_view text, std::size_t max_chars = 40);

// A CSV cell for a text column, protected from spreadsheet formulas: prefixed
// with "'" when it begins with '=', '+', '-', '@', a tab or a carriage return.
// (RFC 4180 quoting is the CSV writer's, after this.)
std::string csv_protect(std::string_view text);

// True for a plain decimal number as tally writes amounts, counts and ids:
// an optional '-', digits, an optional '.' and digits ("-12.50", "3"). A
// spreadsheet reads it as that number, never as a formula.
bool is_plain_number(std::string_view text);

// Text for HTML (element content or a quoted attribute): & < > " ' escaped as
// entities.
std::string html_escape(std::string_view text);

// Text for a Markdown document (notices, letters): escape_control, then
// & < > as HTML entities (no HTML reaches a renderer) and '|' as &#124; (no
// table cell is split).
std::string markdown_escape(std::string_view text);

}  // namespace tally
