// Bank statements in (issue 21, rules B1 and B3): CAMT.053, CFONB 120, OFX and
// CSV described by a rules file, read into one plain value model, and the B1
// reconciliation of each statement. Pure: bytes in, values out, no I/O.
//
// The names live in tally::bank because tally::BankStatement (import.hpp) is
// already the CSV line list of `tally import payments`.
#pragma once

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "tally/calendar.hpp"
#include "tally/money.hpp"
#include "tally/payments.hpp"

namespace tally::bank {

enum class Format { camt053, cfonb120, ofx, csv };

// "camt053", "cfonb120", "ofx", "csv": as on the command line (--from).
std::string_view to_string(Format f);
// The inverse; throws Error(usage) naming the text and the accepted names.
Format parse_format(std::string_view text);

enum class Direction { credit, debit };

// One movement on the account, as the bank booked it. A CAMT batch entry with
// several transaction details is split: one Entry per transaction.
struct Entry {
  int line = 0;                   // where it starts in the file (1-based)
  Date booking_date;
  std::optional<Date> value_date;
  Cents amount = 0;               // >= 0; the direction says which way
  Direction direction = Direction::credit;
  // The bank's reference of the entry (CAMT AcctSvcrRef, with "/N" for the
  // N-th transaction of a split batch; CFONB reference zone or a REF
  // complement; OFX FITID; CSV `code` column). When the bank gives none:
  // "sha256:" and 32 hex digits of hash_entry(), and reference_is_hash.
  // Unique in its statement: a bank reference given again in the same
  // statement gets "#N" for its N-th occurrence ("REF", "REF#2"). A bank
  // reference longer than kMaxRefLength - 8 (120) bytes is Error(usage), so
  // that every reference passes check_ref (P4).
  std::string reference;
  bool reference_is_hash = false;
  std::string remittance;          // unstructured remittance information (label)
  std::string creditor_reference;  // structured creditor reference (RF..., ISR...)
  std::string end_to_end_id;
  std::string payer_name;
  std::string payer_iban;
  // The bank transaction code as given: CAMT "PMNT/RCDT/ESCT" (domain, family,
  // sub-family) or "PRTRY:code"; CFONB operation code ("05"); OFX TRNTYPE.
  std::string bank_code;
  Method means = Method::other;    // B3: what bank_code maps to (never credit)
  bool reversal = false;           // CAMT RvslInd: the entry reverses an earlier one

  // +amount for a credit, -amount for a debit.
  Cents signed_amount() const { return direction == Direction::credit ? amount : -amount; }
};

// A balance as the bank states it: signed (negative for an overdraft).
struct Balance {
  Cents amount = 0;
  std::optional<Date> date;
};

struct Statement {
  Format format = Format::csv;
  int line = 0;              // where it starts in the file
  std::string account;       // IBAN, or the bank's account number
  std::string currency;      // ISO 4217; "" when the file does not say
  std::string id;            // the bank's statement id; "" when the file has none
  std::optional<Balance> opening;  // CAMT OPBD (else PRCD); CFONB 01; none in OFX and CSV
  std::optional<Balance> closing;  // CAMT CLBD; CFONB 07; OFX LEDGERBAL
  std::vector<Entry> entries;      // in file order

  // How messages name it: "statement ID (account ACCOUNT)", or without an id
  // "statement of account ACCOUNT starting on line N".
  std::string label() const;
};

// ---- Readers. Each takes the file's bytes and returns its statements in file
// order, or throws Error(usage) naming the line (and element) at fault and what
// was expected. Text fields come out as UTF-8 with runs of white space and
// control characters folded to one space and trimmed (text that is not UTF-8
// is read as Windows-1252, i.e. Latin-1 plus the euro sign, typographic quotes
// and dashes). An entry without a bank reference gets the hash one.

// The largest input any reader accepts (64 MiB); larger is Error(usage).
inline constexpr std::size_t kMaxStatementBytes = 64u << 20;

// ISO 20022 camt.053.001.02 to .08, elements matched by local name, read with
// libxml2 without network access, DTD loading or entity substitution; a
// document with a DOCTYPE is refused. Entries whose status is not BOOK are
// left out (they are not in the closing balance).
std::vector<Statement> read_camt053(std::string_view bytes);

// Streaming reading (issue 23: memory bounded whatever the number of entries).
// A source of a file's bytes: fills at most `size` bytes of `buffer` and
// returns how many, 0 at the end; may throw Error.
using ByteSource = std::function<std::size_t(char* buffer, std::size_t size)>;

// What a streaming reader calls, in file order.
class StatementSink {
 public:
  virtual ~StatementSink() = default;
  // A statement's header and balances (its entries empty), before its entries.
  virtual void begin(const Statement& statement) = 0;
  // Each entry as read, its reference final ("#N", the hash one).
  virtual void entry(const Statement& statement, Entry&& entry) = 0;
  // After its last entry.
  virtual void end(const Statement& statement) = 0;
};

// read_camt053 one <Ntry> at a time (libxml2's xmlTextReader: each entry's
// subtree is expanded, read and freed), same checks and messages. The sink
// sees the entries of a statement before the reader knows whether the rest of
// the file is well-formed: an error (of the XML, of an entry, or thrown by the
// sink) is thrown once the rest of the file has been read, the XML's own
// errors first, so a file has the same error as with read_camt053. The
// statement's header (Id, Acct, Bal) must come before its first <Ntry>, as
// the ISO 20022 schema orders them.
void read_camt053(const ByteSource& source, StatementSink& sink);

// The statements of a whole file given to a sink, statement by statement.
void send_statements(const std::vector<Statement>& statements, StatementSink& sink);

// CFONB 120 (relevé de compte 120 caractères): records 01, 04, 05, 07 of 120
// characters (lines ended by LF or CRLF, or no line breaks at all); blank
// lines are skipped. Several statements and accounts per file.
std::vector<Statement> read_cfonb120(std::string_view bytes);

// OFX 1.x (SGML, leaf elements without end tags) and 2.x (XML): one statement
// per STMTRS / CCSTMTRS. OFX gives no opening balance (opening is empty).
std::vector<Statement> read_ofx(std::string_view bytes);

// A CSV dialect, after hledger's CSV rules (a subset, plus tally's fields).
struct CsvRules {
  char separator = ',';           // `separator ;` (also TAB, SEMICOLON, COMMA)
  int skip = 0;                   // `skip N`: header lines to skip
  char decimal_mark = '.';        // `decimal-mark ,`
  std::string date_format = "%Y-%m-%d";  // `date-format %d/%m/%Y`
  bool debit_positive = false;    // `sign debit-positive`: a positive amount is a debit
  std::string account;            // `account FR76...` (optional)
  std::string currency = "EUR";   // `currency EUR`
  Method method = Method::transfer;  // `method card`: the means of a line without a method column
  // `fields date, _, description, amount-out, amount-in, code`: the name of
  // each column in order; "" (written _ or nothing) for a column to ignore.
  std::vector<std::string> fields;
};

// Parses a rules file. Lines: `# comment` or `; comment`, blank, or one
// directive as in CsvRules. Field names: date, date2 (value date),
// description, amount, amount-in, amount-out, code (bank reference), payer,
// payer-iban, end-to-end-id, creditor-reference, bank-code, method (transfer,
// card, sepa or other: the line's means, B3), currency (checked against
// `currency`), and _ . `fields` must name date and either amount or
// both amount-in and amount-out. Throws Error(usage) naming the line.
CsvRules parse_csv_rules(std::string_view text);

// Reads a CSV bank export with those rules into one statement (no balances).
// Each record after the skipped lines must have at least as many columns as
// `fields` names (trailing extra columns are ignored); amounts are exact
// (digit groups of three may be separated by a space, or by the mark that is
// not the decimal mark); a record whose amount columns are all empty or zero
// is an error. Throws Error(usage) naming the line, column and value.
std::vector<Statement> read_bank_csv(std::string_view bytes, const CsvRules& rules);

// The format of a statement from its content: camt053 when the first element
// is a Document in a camt.053 namespace, ofx when it starts with an OFX header
// (OFXHEADER) or holds <OFX>, cfonb120 when its first record is 120 characters
// starting with "01", else csv.
Format detect_format(std::string_view bytes);
// detect_format from a file's first bytes only: the format when they settle
// it (an XML document whose first element is complete in them, or an OFX
// header), else nullopt (a CSV or CFONB 120 is only known from the whole).
std::optional<Format> detect_format_head(std::string_view head);

// Reads with the forced format, else the detected one. A CSV needs `rules`
// (REQUIRES for csv: rules != nullptr, else Error(usage)).
std::vector<Statement> read_statements(std::string_view bytes, std::optional<Format> format,
                                       const CsvRules* rules = nullptr);

// ---- B3 and the idempotence key ----

// B3: the payment means of an ISO 20022 bank transaction code (domain, family,
// sub-family): PMNT/RCDT, ICDT -> transfer; RDDT, IDDT -> sepa; CCRD, MCRD ->
// card; anything else (cheques, cash, fees...) -> other.
Method means_of_iso(std::string_view domain, std::string_view family, std::string_view subfamily);
// B3: the means of a CFONB operation code (code opération interbancaire):
// transfers (05, 06, 13, 14, 18, 21, 39, 41, 44, 45, C1, C2) -> transfer;
// direct debits (08, 09, A1, A2, B1, B2) -> sepa; card settlements (11, 28,
// 30, 36) -> card; else other (cheques, cash, fees, rejects and returns).
Method means_of_cfonb(std::string_view code);
// B3: the means of an OFX TRNTYPE: CREDIT, DEBIT, XFER, DEP, DIRECTDEP ->
// transfer; DIRECTDEBIT, REPEATPMT -> sepa; POS -> card; else other.
Method means_of_ofx(std::string_view trntype);

// The stable hash an entry without a bank reference is known by: SHA-256 over
// the statement's account and currency and the entry's booking date, value
// date, signed amount, remittance, creditor reference, end-to-end id, payer
// name, payer IBAN and bank code, each field followed by a 0x1F separator,
// then the occurrence (1 for the first entry with these same fields in the
// statement, 2 for the next...). Returns "sha256:" and the first 32 hex digits.
std::string hash_entry(const Statement& statement, const Entry& entry, int occurrence);

// ---- B1 ----

// A statement's entries counted as they come (B1 in a stream).
struct EntryTotals {
  std::size_t count = 0;
  std::size_t credits = 0;
  Cents credit_total = 0;
  std::size_t debits = 0;
  Cents debit_total = 0;  // as a positive sum
  void add(const Entry& e);
};

struct Reconciliation {
  std::size_t count = 0;            // entries in the statement
  std::size_t credits = 0;          // candidate payments (B1)
  Cents credit_total = 0;
  std::size_t debits_skipped = 0;   // counted, not imported
  Cents debit_total = 0;            // as a positive sum
  bool empty = false;               // no entries: the import records nothing
  bool checked = false;             // both balances given and they add up
  Cents opening = 0;                // as given, or closing - net when only the closing is given
  Cents closing = 0;                // as given, or opening + net (or net) when not given
  std::string note;                 // why unchecked, or "empty statement: nothing to import"
};

// B1: opening + credits - debits == closing for the statement. When the file
// gives only one balance (OFX: no opening; CSV: none) the other is derived
// from it and the entries and `checked` is false with a note saying so: a
// missing line cannot be detected there. Throws Error(refused, rule "B1")
// naming the statement, the stated and computed closing balances and the gap.
Reconciliation reconcile(const Statement& statement);
// The same for a statement whose entries were counted into `totals`
// (statement.entries is not read).
Reconciliation reconcile(const Statement& statement, const EntryTotals& totals);

}  // namespace tally::bank
