// Bank-statement import (tally import payments): a strict RFC 4180 CSV reader,
// the statement lines it holds, and their recording as payments (the rules of
// pay, P1-P6) or as suspense lines, all or nothing.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "tally/bank.hpp"
#include "tally/calendar.hpp"
#include "tally/records.hpp"
#include "tally/money.hpp"
#include "tally/payments.hpp"

namespace tally {

// ---- CSV (pure: src/core/csv.cpp) ----

// One record of a CSV text: its fields and the line it starts on (1-based).
struct CsvRecord {
  int line = 0;
  std::vector<std::string> fields;
};

// A line that could not be accepted, and why.
struct LineError {
  int line = 0;
  std::string reason;
};

struct CsvDocument {
  std::vector<CsvRecord> records;
  std::vector<LineError> errors;  // by line; records holds the lines read without error
};

// Reads CSV per RFC 4180: fields separated by ',', records ended by CRLF or LF
// (the last one may lack it); a field is either plain text without '"', CR or
// LF, or quoted, with '""' for a quote and any character, line breaks
// included. Strict: a quote inside a plain field, text after a closing quote,
// an unterminated quote, a lone CR or text that is not UTF-8 is an error of the
// line holding it (the reader goes on with the next line; an unterminated
// quote ends the text). A record longer than kMaxCsvLineBytes (its line break
// not counted) is an error of its first line. A UTF-8 byte order mark at the
// start is skipped; empty lines are skipped. Never throws.
inline constexpr std::size_t kMaxCsvLineBytes = 64 * 1024;
CsvDocument parse_csv(std::string_view text);

// The same reading one record at a time, in file order: on_record for each
// record read without error, on_error for each line in error. Only the record
// being read is held (a 100k-line statement is never in memory twice).
using CsvRecordSink = std::function<void(CsvRecord&&)>;
using CsvErrorSink = std::function<void(LineError&&)>;
void read_csv(std::string_view text, const CsvRecordSink& on_record, const CsvErrorSink& on_error);

// ---- Bank statement lines (pure: src/core/statement.cpp) ----

// One line of a bank statement: money received.
struct BankLine {
  int line = 0;  // in the file (1-based, the header is line 1)
  Date date;
  Cents amount = 0;
  std::string reference;  // the bank's transaction id: the import is idempotent by it (P4)
  std::string label;
  Method method = Method::transfer;
  std::vector<std::string> invoices;  // invoice_numbers_in(reference), then label's, distinct
  // What a bank statement says of the entry (B2); "" / false in tally's CSV.
  std::string payer_name;
  std::string payer_iban;
  std::string currency;  // the statement's currency, "" when it does not say
  bool reversal = false; // the bank's reversal of an earlier entry
};

struct BankStatement {
  std::vector<BankLine> lines;
  std::vector<LineError> errors;  // malformed lines, by line
};

// The invoice numbers F{YYYY}-{NNNNNN} written in text as words (not preceded
// by a letter or digit, not followed by a digit), distinct, in order.
std::vector<std::string> invoice_numbers_in(std::string_view text);

// Parses a bank statement: a header naming the columns date, amount, reference
// and label (any order, in any case; other columns ignored; an optional method
// column: transfer, card, sepa or other, empty for transfer), then one line per
// payment received: an ISO date not after `today` (P6), an amount above 0 (M1,
// parse_amount), a reference (check_ref) and a label (people's text, check_text
// of tally/text.hpp, possibly empty: no line break, control character or
// bidirectional control). Every malformed line is reported with its number and
// reason; a header missing a column is an error of line 1, quoting the header
// found. Never throws.
BankStatement parse_statement(std::string_view text, Date today);

// parse_statement one line at a time, in file order: on_line for each line
// read without error, on_error for each malformed one (in the order found:
// parse_statement sorts them by line). Only the line being read is held.
using BankLineSink = std::function<void(BankLine&&)>;
void read_statement_lines(std::string_view text, Date today, const BankLineSink& on_line,
                          const CsvErrorSink& on_error);

// ---- Bank statements as lines (pure: src/core/bank_import.cpp) ----

// One statement of a bank file as the import reports it (B1).
struct StatementSummary {
  std::string label;    // bank::Statement::label()
  std::string account;
  std::string currency;
  bank::Reconciliation reconciliation;
};

struct BankFile {
  bank::Format format = bank::Format::csv;
  BankStatement statement;                  // the credit entries of every statement, in file order
  std::vector<StatementSummary> statements; // in file order
  std::size_t debits_skipped = 0;           // B1: debit entries, counted, not imported
  Cents debit_total = 0;
  bool empty() const { return statement.lines.empty() && statement.errors.empty(); }
};

// B1, then the credit entries of the statements as lines: each statement is
// reconciled first (bank::reconcile: Error(refused, "B1") naming the gap, for
// the first that does not add up, before anything is read further); debit
// entries are counted and skipped; each credit entry becomes a BankLine
// (booking date, amount, the bank's reference or hash, label, means from the
// bank code, B3; payer, IBAN, currency, reversal) checked as parse_statement
// checks a CSV line: a date not after `today` (P6), a reference check_ref
// accepts, label and payer people's text (check_text). A failing entry is an
// error of its line in statement.errors. The label is the remittance
// information, with the structured creditor reference and the end-to-end id
// (unless NOTPROVIDED) after it when they are not in it, joined by " | "; the
// invoice numbers are those of the label (invoice_numbers_in). Never writes.
BankFile bank_file_lines(bank::Format format, const std::vector<bank::Statement>& statements, Date today);

// One credit entry of a statement as bank_file_lines makes it: the line, or
// nullopt and `error` filled (its line and reasons). For a streaming import.
std::optional<BankLine> bank_line(const bank::Statement& statement, const bank::Entry& entry, Date today,
                                  LineError& error);

// ---- Import into the ledger (src/ledger/import.cpp) ----

enum class ImportStatus {
  recorded,   // recorded as a payment (with the fee it triggers, P2)
  duplicate,  // its reference is already a payment or a suspense line with the same details
  suspense,   // recorded in the suspense list, with the reason
};

struct ImportedLine {
  BankLine source;              // the statement's line; its `invoices` emptied once used
  ImportStatus status = ImportStatus::suspense;
  std::int64_t payment_id = 0;  // recorded, or a duplicate of a payment; else 0
  std::string invoice;          // the invoice it paid (recorded, duplicate of a payment)
  std::string fee_invoice;      // recorded: the fee invoice it issued, "" for none
  Cents to_credit = 0;          // recorded: the part that became customer credit (P3)
  std::string reason;           // suspense: why it was not recorded as a payment
};

struct ImportResult {
  std::vector<ImportedLine> lines;  // in file order; empty when rejected
  std::vector<LineError> rejected;  // malformed lines: then nothing was recorded
  std::size_t count(ImportStatus s) const;
};

// Called after each statement line: lines done, lines in all.
using ImportProgress = std::function<void(std::size_t done, std::size_t total)>;

}  // namespace tally
