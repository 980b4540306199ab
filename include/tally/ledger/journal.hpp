// The ledger's verbs of the journal: the append-only, hash-chained record of
// every write (Ledger::write appends to it; nothing else does).
// Included by tally/ledger.hpp (every verb of the ledger, one interface).
//
// Renamed from the former Ledger member: journal -> read_journal.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "tally/ledger.hpp"

namespace tally {

// One event of the journal.
struct JournalEvent {
  std::int64_t id = 0;
  std::string at;       // UTC timestamp
  std::string user;     // OS user
  std::string command;  // the command line
  std::string kind;     // "invoice.create", "pay"...
  std::string payload;  // JSON
  std::string prev_hash;
  std::string hash;
  // The rows the event's write changed, field by field: an SQLite session
  // changeset (schema 11; none for an event that changed no row and for
  // events written before). Hashed with the event when present.
  std::optional<std::string> changes;
};

// The SHA-256 (hex) of a journal event over its previous hash and canonical
// content; an intact event has hash == journal_hash(event).
std::string journal_hash(const JournalEvent& e);

// Every event, in id order.
std::vector<JournalEvent> read_journal(Ledger& ledger);

}  // namespace tally
