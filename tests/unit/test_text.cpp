// People's text: UTF-8, the input checks and the output neutralisers (issue 17, item 6).
#include <catch2/catch.hpp>

#include "tally/errors.hpp"
#include "tally/text.hpp"

using namespace tally;

namespace {

// The message of the usage error f throws; "" if it throws none.
template <typename F>
std::string usage_message(F&& f) {
  try {
    f();
  } catch (const Error& e) {
    CHECK(e.code() == ExitCode::usage);
    return e.what();
  }
  return "";
}

bool contains(const std::string& s, std::string_view part) { return s.find(part) != std::string::npos; }

}  // namespace

TEST_CASE("UTF-8: well-formed sequences and their code points", "[text]") {
  struct Case {
    std::string text;
    std::size_t len;
    std::uint32_t cp;
  };
  static const Case cases[] = {
      {"A", 1, 0x41},
      {"\xC3\xA9", 2, 0xE9},              // é
      {"\xE2\x82\xAC", 3, 0x20AC},        // €
      {"\xF0\x9F\x98\x80", 4, 0x1F600},   // 😀
      {"\xF4\x8F\xBF\xBF", 4, 0x10FFFF},  // the last code point
      {"\xC2\x80", 2, 0x80},              // the first C1 control: well-formed UTF-8
  };
  for (const auto& c : cases) {
    CAPTURE(c.text);
    REQUIRE(utf8_length(c.text, 0) == c.len);
    CHECK(utf8_decode(c.text, 0, c.len) == c.cp);
  }
  for (const std::string bad : {"\x80", "\xC0\xAF", "\xC1\xBF", "\xE0\x80\xAF", "\xED\xA0\x80", "\xF4\x90\x80\x80",
                                "\xF5\x80\x80\x80", "\xC3", "\xE2\x82", "\xFF"}) {
    CAPTURE(bad);
    CHECK(utf8_length(bad, 0) == 0);
  }
  CHECK(invalid_utf8_at("caf\xC3\xA9") == std::nullopt);
  CHECK(invalid_utf8_at("caf\xE9!") == std::optional<std::size_t>(3));  // Latin-1 é at byte offset 3
  CHECK(valid_utf8(""));
  CHECK_FALSE(valid_utf8("ab\xC3"));
  CHECK(utf8_chars("caf\xC3\xA9 \xE2\x82\xAC") == 6);  // c a f é space €
  CHECK(utf8_chars("a\xFF" "b") == 3);              // an invalid byte counts as one
}

TEST_CASE("People's text: what is refused, naming the code point and its byte", "[text]") {
  CHECK(text_problem("ACME SAS") == "");
  CHECK(text_problem("Soci\xC3\xA9t\xC3\xA9 G\xC3\xA9n\xC3\xA9rale \xE2\x80\x93 L'Or\xC3\xA9" "al") == "");
  CHECK(text_problem("\xD7\xA9\xD7\x9C\xD7\x95\xD7\x9D") == "");  // Hebrew: right-to-left letters are text
  CHECK(text_problem("\xE2\x80\x8F" "x") == "");                   // U+200F RLM, a mark, not an override
  struct Case {
    std::string text;
    std::string problem;
  };
  static const Case cases[] = {
      {"", "empty"},
      {"   ", "only spaces"},
      {"\xC2\xA0 ", "only spaces"},
      {"a\tb", "a tab (U+0009) at byte 2"},
      {"a\nb", "a line feed (U+000A) at byte 2"},
      {"ab\r", "a carriage return (U+000D) at byte 3"},
      {"x\x1B]52;c;ZXZpbA==\x07", "an escape (ESC) (U+001B) at byte 2"},
      {std::string("n\0l", 3), "a control character (U+0000) at byte 2"},
      {"del\x7F", "a delete (DEL) (U+007F) at byte 4"},
      {"c1\xC2\x9B" "31m", "a C1 control character (U+009B) at byte 3"},
      {"\xC3\xA9\xE2\x80\xAE" "cod.exe", "a bidirectional control (U+202E) at byte 3"},
      {"a\xE2\x80\xAA", "a bidirectional control (U+202A) at byte 2"},
      {"a\xE2\x81\xA6", "a bidirectional control (U+2066) at byte 2"},
      {"a\xE2\x81\xA9", "a bidirectional control (U+2069) at byte 2"},
      {"a\xE2\x80\xA8" "b", "a line separator (U+2028) at byte 2"},
      {"caf\xE9", "byte 0xE9 at byte 4 is not UTF-8"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.text);
    CHECK(text_problem(c.text) == c.problem);
  }
  CHECK(text_problem("", TextRule{10, true}) == "");
  CHECK(text_problem(" ", TextRule{10, true}) == "only spaces");
  CHECK(text_problem("0123456789", TextRule{10, false}) == "");
  CHECK(text_problem("\xC3\xA9\xC3\xA9\xC3\xA9", TextRule{3, false}) == "");  // characters, not bytes
  CHECK(text_problem("01234567890", TextRule{10, false}) == "11 characters");
  CHECK(is_refused_code_point(0x9F));
  CHECK_FALSE(is_refused_code_point(0xA0));
  CHECK_FALSE(is_refused_code_point(0x2027));  // U+2027 HYPHENATION POINT, printable
}

TEST_CASE("check_text names the field, shows the value escaped and says what is accepted", "[text]") {
  check_text("ACME SAS", "customer name");
  const std::string m = usage_message([] { check_text("ACME\x1B[2J", "customer name", TextRule{200, false}); });
  CHECK(contains(m, "invalid customer name 'ACME\\x1b[2J': an escape (ESC) (U+001B) at byte 5"));
  CHECK(contains(m, "UTF-8 text of 1 to 200 characters, without control characters"));
  CHECK_FALSE(contains(m, "\x1B"));  // never raw in the message
  const std::string shown = usage_message([] { check_text("caf\xE9", "reason"); });
  CHECK(contains(shown, "'caf\\xe9'"));
  const std::string long_one = usage_message([] { check_text(std::string(5000, 'x'), "description"); });
  CHECK(contains(long_one, "(5000 bytes): 5000 characters"));
  CHECK(long_one.size() < 300);
}

TEST_CASE("E-mail addresses must look like one", "[text]") {
  for (const std::string ok : {"billing@acme.fr", "a.b+tag@sub.example.com", "compta@soci\xC3\xA9t\xC3\xA9.fr"}) {
    CAPTURE(ok);
    CHECK_NOTHROW(check_email(ok));
  }
  struct Case {
    std::string email;
    std::string why;
  };
  static const Case cases[] = {
      {"billing.acme.fr", "no '@'"},
      {"a@b@acme.fr", "more than one '@'"},
      {"@acme.fr", "nothing before the '@'"},
      {"billing@localhost", "no domain with a dot"},
      {"billing@", "no domain with a dot"},
      {"billing@acme.", "an empty part in the domain"},
      {"billing@.fr", "an empty part in the domain"},
      {"billing@acme..fr", "an empty part in the domain"},
      {"bill ing@acme.fr", "a space"},
      {"billing@acme.fr\n", "a line feed (U+000A)"},
      {"", "empty"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.email);
    const std::string m = usage_message([&] { check_email(c.email, "customer e-mail"); });
    CHECK(contains(m, "invalid customer e-mail"));
    CHECK(contains(m, c.why));
  }
  CHECK(contains(usage_message([] { check_email(std::string(250, 'a') + "@b.fr"); }), "255 characters"));
}

TEST_CASE("escape_control: nothing reaches a terminal raw", "[text]") {
  struct Case {
    std::string text;
    std::string shown;
  };
  static const Case cases[] = {
      {"ACME", "ACME"},
      {"caf\xC3\xA9 \xE2\x82\xAC", "caf\xC3\xA9 \xE2\x82\xAC"},
      {"\x1B]52;c;ZXZpbA==\x07", "\\x1b]52;c;ZXZpbA==\\x07"},  // OSC 52: a clipboard write
      {"row\nF2026-000001  0.00", "row\\nF2026-000001  0.00"},  // no forged row
      {"a\rb\tc", "a\\rb\\tc"},
      {"del\x7F", "del\\x7f"},
      {"\xC2\x9B" "31m", "\\u009b31m"},
      {"\xE2\x80\xAE" "exe", "\\u202eexe"},
      {"a\xE2\x80\xA8" "b", "a\\u2028b"},
      {"caf\xE9", "caf\\xe9"},
      {"C:\\temp", "C:\\temp"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.text);
    CHECK(escape_control(c.text) == c.shown);
  }
  CHECK(shown_text("abcdef", 3) == "abc...");
  CHECK(shown_text("\xC3\xA9\xC3\xA9", 1) == "\xC3\xA9...");  // cut between characters
  CHECK(shown_text("abc", 3) == "abc");
}

TEST_CASE("CSV cells: formulas neutralised, plain numbers kept", "[text]") {
  struct Case {
    std::string text;
    std::string cell;
  };
  static const Case cases[] = {
      {"=HYPERLINK(\"http://x\")", "'=HYPERLINK(\"http://x\")"},
      {"+33 1 23", "'+33 1 23"},
      {"-2+3", "'-2+3"},
      {"@SUM(A1)", "'@SUM(A1)"},
      {"\tx", "'\tx"},
      {"\rx", "'\rx"},
      {"ACME = 1", "ACME = 1"},
      {"", ""},
  };
  for (const auto& c : cases) {
    CAPTURE(c.text);
    CHECK(csv_protect(c.text) == c.cell);
  }
  for (const std::string n : {"0", "12", "-12.50", "1234.56", "-0.01"}) {
    CAPTURE(n);
    CHECK(is_plain_number(n));
  }
  for (const std::string n : {"", "-", "1.", ".5", "-1+2", "1e5", "1,5", "--1", "12.5.1", "0x1F"}) {
    CAPTURE(n);
    CHECK_FALSE(is_plain_number(n));
  }
}

TEST_CASE("HTML and Markdown escaping", "[text]") {
  CHECK(html_escape("<script>alert('x')</script> & \"q\"") ==
        "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;q&quot;");
  CHECK(markdown_escape("<img src=x onerror=alert(1)> | A&B\x1B") ==
        "&lt;img src=x onerror=alert(1)&gt; &#124; A&amp;B\\x1b");
  CHECK(markdown_escape("L'Or\xC3\xA9" "al") == "L'Or\xC3\xA9" "al");  // quotes are text in Markdown
}
