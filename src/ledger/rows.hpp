// Private to libtally's storage modules: rows read by column name (issue 18).
//
// A Row is made once per prepared statement (before its loop): it hashes the
// statement's column names (as SQLite names them: the AS alias, else the
// column's own name) into a small table. Each read names its column; the
// name's hash is computed at compile time (Name is consteval), so a read is
// one probe of that table and getColumn(index): no std::string, no std::map
// per row, unlike SQLite::Statement::getColumn(const char*).
//
//   auto& q = impl.stmt("SELECT number, total_ttc - paid AS due FROM invoice");
//   const Row row(q);
//   while (q.executeStep()) use(row.text("number"), row.cents("due"));
//
// A name the statement lacks, or has twice (two tables' `number`: give each
// an AS), throws std::logic_error naming it and the SQL at its first read.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

#include <SQLiteCpp/SQLiteCpp.h>

#include "tally/calendar.hpp"
#include "tally/ledger.hpp"
#include "tally/money.hpp"

namespace tally {

// A column's name, written as a literal at the read; its FNV-1a hash is
// computed by the compiler.
class Name {
 public:
  consteval Name(const char* text) : text_(text), hash_(hash_of(text)) {}  // NOLINT: implicit from a literal
  static constexpr std::uint64_t hash_of(std::string_view s) {
    std::uint64_t h = 14695981039346656037ULL;
    for (const char c : s) h = (h ^ static_cast<unsigned char>(c)) * 1099511628211ULL;
    return h;
  }
  const char* text() const { return text_; }
  std::uint64_t hash() const { return hash_; }

 private:
  const char* text_;
  std::uint64_t hash_;
};

class Row {
 public:
  // The statement must be prepared (its columns are known before any step)
  // and outlive the Row.
  explicit Row(const SQLite::Statement& q) : q_(q) {
    const int n = q.getColumnCount();
    if (n > static_cast<int>(kSlots / 2)) throw std::logic_error("Row: more than 32 columns in " + q.getQuery());
    for (int i = 0; i < n; ++i) {
      const std::uint64_t h = Name::hash_of(q.getColumnName(i));
      std::size_t s = h % kSlots;
      while (slots_[s].index != kEmpty && slots_[s].hash != h) s = (s + 1) % kSlots;
      // A second column of the same name (or, improbably, of the same hash) makes it ambiguous.
      slots_[s] = Slot{h, slots_[s].index == kEmpty ? i : kTwice};
    }
  }

  // The column's index in the statement.
  int index(Name name) const {
    std::size_t s = name.hash() % kSlots;
    while (slots_[s].index != kEmpty) {
      if (slots_[s].hash == name.hash()) {
        if (slots_[s].index == kTwice) unknown(name, "two columns named");
        return slots_[s].index;
      }
      s = (s + 1) % kSlots;
    }
    unknown(name, "no column named");
  }

  SQLite::Column column(Name name) const { return q_.getColumn(index(name)); }
  bool is_null(Name name) const { return column(name).isNull(); }
  std::string text(Name name) const { return column(name).getString(); }
  std::int64_t int64(Name name) const { return column(name).getInt64(); }
  Cents cents(Name name) const { return column(name).getInt64(); }
  // An integer column read as a truth value (0 is false).
  bool flag(Name name) const { return column(name).getInt() != 0; }
  Date date(Name name) const { return parse_date(column(name).getString()); }
  // NULL as nullopt.
  std::optional<std::string> optional_text(Name name) const {
    const SQLite::Column c = column(name);
    if (c.isNull()) return std::nullopt;
    return c.getString();
  }
  std::optional<std::int64_t> optional_int64(Name name) const {
    const SQLite::Column c = column(name);
    if (c.isNull()) return std::nullopt;
    return c.getInt64();
  }
  std::optional<Date> optional_date(Name name) const {
    const SQLite::Column c = column(name);
    if (c.isNull()) return std::nullopt;
    return parse_date(c.getString());
  }

 private:
  static constexpr std::size_t kSlots = 64;
  static constexpr int kEmpty = -1, kTwice = -2;
  struct Slot {
    std::uint64_t hash = 0;
    int index = kEmpty;
  };
  [[noreturn]] void unknown(Name name, const char* what) const {
    throw std::logic_error(std::string(what) + " '" + name.text() + "' in " + q_.getQuery());
  }

  const SQLite::Statement& q_;
  std::array<Slot, kSlots> slots_{};
};

// ---- readers of a SELECT shape read in more than one file ----

// A row of the journal (id, at, os_user, command, kind, payload, prev_hash,
// hash), its changes left out: journal() copies them, verify reads them in
// place (journal.cpp).
JournalEvent read_journal_event(const Row& r);

}  // namespace tally
