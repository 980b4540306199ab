// The strict RFC 4180 reader and the bank statement lines of the import
// (issue 7): records and their line numbers, every malformed case with the
// line it is reported on, the invoice numbers a line names (M1, P1, P4, P6).
#include <catch2/catch.hpp>

#include "tally/errors.hpp"
#include "tally/import.hpp"
#include "unit/fixtures.hpp"

using tally::test::d;

using namespace tally;

namespace {

using Fields = std::vector<std::string>;

}  // namespace

TEST_CASE("CSV: records, quoting and line numbers", "[csv]") {
  SECTION("CRLF and LF line breaks, no final break, empty last field") {
    const CsvDocument doc = parse_csv("a,b\r\nc,d\ne,");
    REQUIRE(doc.errors.empty());
    REQUIRE(doc.records.size() == 3);
    CHECK(doc.records[0].fields == Fields{"a", "b"});
    CHECK(doc.records[1].fields == Fields{"c", "d"});
    CHECK(doc.records[2].fields == Fields{"e", ""});
    CHECK(doc.records[2].line == 3);
  }
  SECTION("quoted fields hold commas, doubled quotes and line breaks; the next record's line counts them") {
    const CsvDocument doc = parse_csv("x,\"a, \"\"b\"\"\r\nc\"\ny,\"\"\n");
    REQUIRE(doc.errors.empty());
    REQUIRE(doc.records.size() == 2);
    CHECK(doc.records[0].line == 1);
    CHECK(doc.records[0].fields == Fields{"x", "a, \"b\"\r\nc"});
    CHECK(doc.records[1].line == 3);  // the quoted field spans lines 1-2
    CHECK(doc.records[1].fields == Fields{"y", ""});
  }
  SECTION("a byte order mark is skipped, empty lines are skipped but counted") {
    const CsvDocument doc = parse_csv("\xEF\xBB\xBFh\n\r\n\nv\n");
    REQUIRE(doc.errors.empty());
    REQUIRE(doc.records.size() == 2);
    CHECK(doc.records[0].fields == Fields{"h"});
    CHECK(doc.records[1].line == 4);
  }
  SECTION("UTF-8 text and tabs are kept as they are") {
    const CsvDocument doc = parse_csv("Soci\xC3\xA9t\xC3\xA9 G\xC3\xA9n\xC3\xA9rale,\t\xE2\x82\xAC\n");
    REQUIRE(doc.errors.empty());
    CHECK(doc.records[0].fields == Fields{"Soci\xC3\xA9t\xC3\xA9 G\xC3\xA9n\xC3\xA9rale", "\t\xE2\x82\xAC"});
  }
  SECTION("empty text: no record, no error") {
    const CsvDocument doc = parse_csv("");
    CHECK(doc.records.empty());
    CHECK(doc.errors.empty());
  }
}

TEST_CASE("CSV: every malformed case is an error of its line, and reading goes on", "[csv]") {
  struct Case {
    const char* text;
    int line;               // the line reported
    const char* reason;     // part of the reason
    std::size_t records;    // records still read
  };
  const Case cases[] = {
      {"a,b\nc,d\"e\nf,g\n", 2, "field 2 has a quote", 2},
      {"a,b\n\"c\"x,d\nf,g\n", 2, "text after the closing quote of field 1", 2},
      {"a,b\nc\rd\nf,g\n", 2, "carriage return (CR) not followed by a line feed", 2},
      {"a,b\nc,\"d\ne,f\n", 2, "never closed", 1},  // the open quote swallows the rest
      {"a,b\nc,\xC3(\nf,g\n", 2, "field 2 is not UTF-8", 2},
      {"a,b\nc,\xED\xA0\x80\n", 2, "not UTF-8", 1},   // a UTF-16 surrogate
      {"a,b\nc,\xC0\xAF\n", 2, "not UTF-8", 1},       // an overlong '/'
      {"a,b\nc\x01,d\n", 2, "control character (byte 0x01)", 1},
      {"a,\"b\nc\"\"\n\"x\n", 1, "text after the closing quote of field 2", 0},  // a record over 3 lines
  };
  for (const auto& c : cases) {
    INFO(c.text);
    const CsvDocument doc = parse_csv(c.text);
    REQUIRE(doc.errors.size() == 1);
    CHECK(doc.errors[0].line == c.line);
    CHECK_THAT(doc.errors[0].reason, Catch::Contains(c.reason));
    CHECK(doc.records.size() == c.records);
  }
}

TEST_CASE("BankStatement: invoice numbers F{YYYY}-{NNNNNN} named as words", "[import][I2]") {
  struct Case {
    const char* text;
    std::vector<std::string> numbers;
  };
  const Case cases[] = {
      {"VIR SEPA ACME F2026-000012", {"F2026-000012"}},
      {"F2026-000001/F2026-000002 F2026-000001", {"F2026-000001", "F2026-000002"}},  // distinct, in order
      {"(F2026-000003).", {"F2026-000003"}},
      {"REF2026-000001", {}},        // preceded by a letter
      {"9F2026-000001", {}},         // preceded by a digit
      {"F2026-0000012", {}},         // 7 digits
      {"F2026-00001", {}},           // 5 digits
      {"f2026-000001", {}},          // lowercase
      {"AV2026-000001", {}},         // a credit note
      {"F26-000001", {}},
      {"", {}},
  };
  for (const auto& c : cases) {
    INFO(c.text);
    CHECK(invoice_numbers_in(c.text) == c.numbers);
  }
}

TEST_CASE("BankStatement: columns by name, lines checked, numbers from reference then label", "[import][M1][P1][P4]") {
  const std::string text =
      "label,extra,reference,amount,date,method\n"
      "VIR ACME F2026-000001,x,BANK-1,\"1200,50\",2026-03-05,\n"
      "Cheque F2026-000003,,F2026-000002,20,2026-03-06,other\n"
      "Card ACME,,CB-9,0.5,2026-03-31,card\n";
  const BankStatement st = parse_statement(text, d("2026-03-31"));
  REQUIRE(st.errors.empty());
  REQUIRE(st.lines.size() == 3);
  CHECK(st.lines[0].line == 2);
  CHECK(st.lines[0].date == d("2026-03-05"));
  CHECK(st.lines[0].amount == 120050);  // "1200,50" (M1: ',' decimal separator) = 1200.50
  CHECK(st.lines[0].reference == "BANK-1");
  CHECK(st.lines[0].method == Method::transfer);  // empty method: transfer
  CHECK(st.lines[0].invoices == std::vector<std::string>{"F2026-000001"});
  CHECK(st.lines[1].method == Method::other);
  CHECK(st.lines[1].amount == 2000);
  // The reference's number first, then the label's.
  CHECK(st.lines[1].invoices == std::vector<std::string>{"F2026-000002", "F2026-000003"});
  CHECK(st.lines[2].amount == 50);  // 0.5 = 0.50
  CHECK(st.lines[2].invoices.empty());
}

TEST_CASE("BankStatement: every malformed line is reported with its number and reasons", "[import][M1][P6]") {
  const std::string text =
      "date,amount,reference,label\n"
      "2026-03-05,100.00,R1,ok\n"            // line 2: fine
      "2026-02-30,100.00,R2,x\n"             // line 3: no 30 February
      "2026-03-05,12.345,R3,x\n"             // line 4: 3 decimals (M1)
      "2026-03-05,-5,R4,x\n"                 // line 5: a sign (M1)
      "2026-03-05,0,R5,x\n"                  // line 6: zero
      "2026-04-01,1,R6,x\n"                  // line 7: after the business date 2026-03-31 (P6)
      "2026-03-05,1,,x\n"                    // line 8: no reference
      "2026-03-05,1,R9\n"                    // line 9: 3 fields
      "05/03/2026,1 000,R10,x\n";            // line 10: two reasons
  const BankStatement st = parse_statement(text, d("2026-03-31"));
  CHECK(st.lines.size() == 1);
  REQUIRE(st.errors.size() == 8);
  const std::pair<int, const char*> expected[] = {
      {3, "invalid date '2026-02-30'"}, {4, "invalid amount '12.345'"},
      {5, "invalid amount '-5'"},       {6, "a payment received is above 0.00"},
      {7, "after the business date 2026-03-31"}, {8, "no reference"},
      {9, "3 field(s) where the header has 4"},  {10, "invalid date '05/03/2026'"},
  };
  for (std::size_t i = 0; i < std::size(expected); ++i) {
    INFO(i);
    CHECK(st.errors[i].line == expected[i].first);
    CHECK_THAT(st.errors[i].reason, Catch::Contains(expected[i].second));
  }
  CHECK_THAT(st.errors[7].reason, Catch::Contains("; invalid amount '1 000'"));  // both reasons of line 10
}

TEST_CASE("BankStatement: header and method problems", "[import][P1]") {
  const Date today = d("2026-03-31");
  SECTION("a missing column is an error of the header line, naming it") {
    const BankStatement st = parse_statement("date,amount,label\n2026-03-01,1,x\n", today);
    REQUIRE(st.errors.size() == 1);
    CHECK(st.errors[0].line == 1);
    CHECK_THAT(st.errors[0].reason, Catch::Contains("lacks 'reference'"));
    CHECK(st.lines.empty());
  }
  SECTION("a column named twice") {
    const BankStatement st = parse_statement("date,amount,reference,label,date\n", today);
    REQUIRE(st.errors.size() == 1);
    CHECK_THAT(st.errors[0].reason, Catch::Contains("'date' is named twice"));
  }
  SECTION("column names match in any case (issue 17, item 7)") {
    const BankStatement st = parse_statement("Date,AMOUNT,Reference,LaBeL,Method\n2026-03-01,1,R,x,CARD\n", today);
    REQUIRE(st.errors.size() == 1);  // the header is read; only the method value is not a method
    CHECK(st.errors[0].line == 2);
    const BankStatement twice = parse_statement("date,amount,reference,label,DATE\n", today);
    REQUIRE(twice.errors.size() == 1);
    CHECK_THAT(twice.errors[0].reason, Catch::Contains("'date' is named twice in the header "
                                                       "'date,amount,reference,label,DATE'"));
  }
  SECTION("a wrong header says what it found and what is expected (issue 17, item 7)") {
    const BankStatement st = parse_statement("Datum,Betrag,Referenz,Text\n", today);
    REQUIRE(st.errors.size() == 1);
    CHECK(st.errors[0].line == 1);
    CHECK_THAT(st.errors[0].reason, Catch::Contains("the header 'Datum,Betrag,Referenz,Text' lacks 'date', "
                                                    "'amount', 'reference', 'label': expected the columns "
                                                    "date,amount,reference,label"));
    const BankStatement esc = parse_statement("\"da\tte\",\"amo\nunt\"\n", today);  // shown escaped
    REQUIRE(esc.errors.size() == 1);
    CHECK_THAT(esc.errors[0].reason, Catch::Contains("the header 'da\\tte,amo\\nunt' lacks"));
  }
  SECTION("an unknown method names the accepted ones") {
    const BankStatement st = parse_statement("date,amount,reference,label,method\n2026-03-01,1,R,x,cheque\n", today);
    REQUIRE(st.errors.size() == 1);
    CHECK(st.errors[0].line == 2);
    CHECK_THAT(st.errors[0].reason, Catch::Contains("expected transfer, card, sepa or other"));
  }
  SECTION("an empty file needs a header; a header alone is an empty statement") {
    const BankStatement empty = parse_statement("", today);
    REQUIRE(empty.errors.size() == 1);
    CHECK(empty.errors[0].line == 1);
    const BankStatement header = parse_statement("date,amount,reference,label\r\n", today);
    CHECK(header.errors.empty());
    CHECK(header.lines.empty());
  }
  SECTION("a CSV error and a field error are both listed, by line") {
    const BankStatement st = parse_statement("date,amount,reference,label\n2026-03-01,x\"y,R,l\n2026-03-01,abc,R2,l\n", today);
    REQUIRE(st.errors.size() == 2);
    CHECK(st.errors[0].line == 2);
    CHECK(st.errors[1].line == 3);
  }
}

TEST_CASE("CSV: a record longer than 64 KiB is an error of its line (issue 17, item 7)", "[csv][text]") {
  const std::string fits(kMaxCsvLineBytes - 2, 'x');  // "a," + 65534 bytes = 65536 bytes
  const std::string over(kMaxCsvLineBytes - 1, 'x');  // 65537 bytes
  const CsvDocument doc = parse_csv("h,h\na," + fits + "\r\na," + over + "\nb,c\n");
  REQUIRE(doc.errors.size() == 1);
  CHECK(doc.errors[0].line == 3);
  CHECK_THAT(doc.errors[0].reason, Catch::Contains("line longer than 64 KiB (65537 bytes)"));
  CHECK(doc.records.size() == 3);  // the header, line 2 and line 4
}

TEST_CASE("BankStatement: labels are people's text, refused naming the line (issue 17, item 6)", "[import][text]") {
  const Date today = d("2026-03-31");
  const std::string text =
      "date,amount,reference,label\n"
      "2026-03-05,1,R1,fine \xC3\xA9t\xC3\xA9\n"       // line 2: fine
      "2026-03-05,1,R2,\"two\nlines\"\n"               // lines 3-4: a line feed in a quoted label
      "2026-03-05,1,R3,\"tab\there\"\n"                // line 5: a tab
      "2026-03-05,1,R4,\xE2\x80\xAE" "exe.pdf\n"        // line 6: a right-to-left override
      "2026-03-05,1,R5,\n"                              // line 7: no label: fine
      "2026-03-05,1,R6,\"   \"\n"                       // line 8: only spaces
      "2026-03-05,1,R7\xE2\x80\xAE,x\n";                // line 9: the reference too
  const BankStatement st = parse_statement(text, today);
  CHECK(st.lines.size() == 2);
  REQUIRE(st.errors.size() == 5);
  const std::pair<int, const char*> expected[] = {
      {3, "invalid label 'two\\nlines': a line feed (U+000A) at byte 4"},
      {5, "invalid label 'tab\\there': a tab (U+0009) at byte 4"},
      {6, "invalid label '\\u202eexe.pdf': a bidirectional control (U+202E) at byte 1"},
      {8, "invalid label '   ': only spaces"},
      {9, "invalid reference 'R7\\u202e': a bidirectional control (U+202E) at byte 3"},
  };
  for (std::size_t i = 0; i < std::size(expected); ++i) {
    INFO(i);
    CHECK(st.errors[i].line == expected[i].first);
    CHECK_THAT(st.errors[i].reason, Catch::Contains(expected[i].second));
  }
}
