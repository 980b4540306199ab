// The ledger's verbs of import.hpp: what reads or writes the ledger file. The
// values they take and return, and the pure rules, are in tally/import.hpp.
// Included by tally/ledger.hpp (every verb of the ledger, one interface).
#pragma once

#include "tally/ledger.hpp"
#include "tally/import.hpp"

namespace tally {

// Imports a bank statement (CSV text) read from `source` (a file name, for the
// journal) in one write: every line or none. A line whose reference is already
// a payment or a suspense line with the same date and amount (and method and
// invoice, for a payment) is a duplicate and changes nothing, so importing a
// file again records nothing and writes nothing. Each other line that B2
// accepts (decide_match of tally/matching.hpp: exactly one invoice named, the
// payer consistent with its customer, the amount within what the customer
// owes plus the fee it triggers) is paid with tally::pay (date, amount,
// method, reference, label as detail); any other line, or a payment the rules
// refuse (already paid, before the issue date...), goes to the suspense list
// with the reason, never dropped. Malformed lines are returned in
// `rejected` and nothing is written.
// Throws Error(conflict) listing the lines whose reference is known with other
// details (P4), Error(refused, rule "lock") listing the new lines dated in a
// locked month; then nothing is written either.
ImportResult import_payments(Ledger& ledger, std::string_view csv, std::string_view source, Date today,
                             const ImportProgress& progress = {});

// The same for a statement already parsed by parse_statement(text, today): the
// caller can free the file's text before the import runs (a 100k-line file).
ImportResult import_payments(Ledger& ledger, BankStatement statement, std::string_view source, Date today,
                             const ImportProgress& progress = {});

// ---- Streaming (issue 23): memory bounded whatever the statement's size ----

// A statement read while it is imported: calls `line` for each line read
// without error and `error` for each malformed line, in file order; may throw
// Error (then nothing is written).
using StatementFeed = std::function<void(const BankLineSink& line, const CsvErrorSink& error)>;

// Each line once decided, in file order, inside the import's transaction: what
// it was given stands only if import_stream returns without rejected lines.
using ImportedSink = std::function<void(ImportedLine&&)>;

struct ImportTotals {
  std::size_t lines = 0;  // the statement's lines (without the malformed ones)
  std::size_t recorded = 0;
  std::size_t duplicates = 0;
  std::size_t suspense = 0;
  Cents recorded_total = 0;          // the amounts of the lines recorded as payments
  std::vector<LineError> rejected;   // malformed lines, by line: then nothing was written
};

// import_payments reading the statement from `feed` inside the write, each
// line recorded as it is read and given to `done`, none of them held. The
// same rules and errors; malformed lines (all of them, the whole statement is
// read) are returned in `rejected` and the transaction rolls back. An error
// the feed throws (a reader's, B1) rolls it back too, and comes before the
// malformed lines and the errors of recording, whichever line they are on.
ImportTotals import_stream(Ledger& ledger, const StatementFeed& feed, std::string_view source, Date today,
                           const ImportedSink& done = {});

}  // namespace tally
