// For tests only (tests/unit): what a test needs of the ledger behind its
// verbs, without reaching Ledger::Impl (src/ledger/impl.hpp, private to the
// storage modules). Commands (src/cli) and the rules (src/core) never include it.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include <SQLiteCpp/Database.h>

#include "tally/ledger.hpp"

namespace tally {

// A JSON string literal of s, as journal payloads write it (impl.hpp).
std::string json_quote(std::string_view s);

namespace testing {

// The ledger's SQLite connection: to read a row no verb returns, or to
// tamper with the file behind the journal's back (what verify must find).
SQLite::Database& database(Ledger& ledger);

// True while a write records its row changes (issue 19): never outside one.
bool recording(Ledger& ledger);

// The row id of invoice `number`. Throws Error(not_found).
std::int64_t invoice_id(Ledger& ledger, std::string_view number);

// Recomputes the cached paid/credited/settled_on columns of an invoice and
// its customer's owed from its rows, as the verbs do after each movement:
// for rows a test wrote with database().
void refresh_invoice(Ledger& ledger, std::int64_t invoice_id);

}  // namespace testing
}  // namespace tally
