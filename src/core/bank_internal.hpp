// Private helpers shared by the bank statement readers (src/core/bank_*.cpp).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "tally/bank.hpp"

namespace tally::bank::detail {

// UTF-8 text for display and matching: Latin-1 converted when s is not UTF-8,
// every run of white space or control characters folded to one space, trimmed.
std::string clean_text(std::string_view s);

// Trims ASCII spaces, tabs, CR and LF at both ends.
std::string_view trim(std::string_view s);

// A quoted, printable rendering of a value for an error message (at most 40
// characters; invalid bytes as \xNN).
std::string quote(std::string_view s);

// An amount written with an optional sign ('+' or '-', when allow_sign), digits
// and at most one decimal mark ('.' or ','): more than two decimals only when
// the extra ones are zeros ("3483.000"). Returns signed cents; throws
// Error(usage) "WHERE: invalid amount 'TEXT': expected ...".
Cents parse_decimal_amount(std::string_view text, bool allow_sign, std::string_view where);

// A real calendar day or Error(usage) "WHERE: invalid date 'TEXT': expected WHAT".
Date make_date(int y, int m, int d, std::string_view text, std::string_view where, std::string_view what);

// Gives every entry of s without a reference its hash_entry() reference.
void finish_references(Statement& s);

// How many times each text was seen, compactly (a 100k-entry statement's
// references in a few MiB): the texts in one arena, an open-addressing table.
class Occurrences {
 public:
  // The occurrences of `key` counting this one (1 the first time).
  int add(std::string_view key);

 private:
  std::string arena_;                 // per key: 4-byte length, the bytes, 4-byte count
  std::vector<std::uint32_t> slots_;  // arena offset + 1; 0: empty
  std::size_t size_ = 0;
};

// finish_references one entry at a time, in file order: the same references.
class ReferenceNumbering {
 public:
  // Throws Error(usage) for a bank reference too long (P4).
  void finish(const Statement& s, Entry& e);

 private:
  Occurrences given_, seen_;
};

// Throws Error(usage) when bytes exceed kMaxStatementBytes.
void check_size(std::string_view bytes, std::string_view format);

}  // namespace tally::bank::detail
