// The ledger: a SQLite file holding customers, subscriptions, invoices,
// payments, the policy versions and an append-only, hash-chained journal.
//
// Every mutation runs through Ledger::write(): one BEGIN IMMEDIATE transaction
// that also appends one journal event, so a crash leaves all or nothing of it.
//
// The one include for users of the ledger. class Ledger is the connection
// only (open, settings, write, transaction); every verb is a free function
// taking the Ledger first, declared by area in include/tally/ledger/:
//   policy.hpp        policy versions (policy_at, set_policy)
//   seller.hpp        the seller's identity, versioned (E2)
//   customers.hpp     customers, their identity, IBANs, credit and balance;
//                     subscriptions
//   invoices.hpp      invoices and credit notes (I2, I3), billing runs (I5)
//   payments.hpp      payments, credit use, reversals (P1-P6)
//   suspense.hpp      bank lines not matched: assign, dismiss (B2)
//   import.hpp        bank statement import (B1, B2)
//   overdue.hpp       late invoices, penalties, stages (L1-L8)
//   standby.hpp       standby periods and their credits (S1-S5)
//   cancellation.hpp  cancellation letters and balance statements (C1-C4)
//   reports.hpp       aging, balances, suspense, close, period locks
//   accounting.hpp    entries, VAT report, accounting export (A1)
//   export.hpp        the whole ledger as JSON
//   integrity.hpp     verify, journal anchors, backup
//   journal.hpp       the journal's events
// The values they take and return, and the pure rules, stay in
// include/tally/<area>.hpp, which never include this header.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "tally/billing.hpp"
#include "tally/calendar.hpp"
#include "tally/einvoice.hpp"
#include "tally/money.hpp"
#include "tally/policy.hpp"
#include "tally/records.hpp"

namespace tally {

// The schema version this build writes (PRAGMA user_version).
inline constexpr int kSchemaVersion = 11;

// PRAGMA application_id of every tally ledger ("TLLY"): a file without it (or,
// for ledgers made before it, without tally's schema) is not opened.
inline constexpr std::int32_t kApplicationId = 0x544C4C59;

// How a command uses the ledger.
enum class OpenMode {
  write,    // read-write; an older schema is migrated
  read,     // read-only connection; an older schema is migrated once first
  inspect,  // read-only, never migrates: an older schema is read from a
            // migrated copy in memory (verify, backup of its source)
};

class Ledger {
 public:
  // Creates a new ledger file with the schema and the default policy.
  // Throws Error(conflict) if the file exists.
  static Ledger create(const std::string& path);
  // Opens an existing ledger in `mode`. Throws Error(not_found) if the file is
  // missing, Error(integrity) "is not a tally ledger" for anything but a
  // regular SQLite file with tally's application id (or, made before it, with
  // tally's schema 1..kSchemaVersion), leaving it untouched; Error(internal)
  // for a ledger newer than this build; Error(busy) when another process holds
  // it past `busy_timeout_ms`.
  static Ledger open(const std::string& path, OpenMode mode = OpenMode::write, int busy_timeout_ms = 5000);
  // An in-memory ledger with the schema and default policy (tests).
  static Ledger memory();

  Ledger(Ledger&&) noexcept;
  Ledger& operator=(Ledger&&) noexcept;
  ~Ledger();

  // The command line recorded in journal events. Default: "".
  void set_command(std::string command);
  // When on, write() rolls back instead of committing. Default: off.
  void set_dry_run(bool on);
  bool dry_run() const;
  // Milliseconds a writer waits for the lock before Error(busy). Default: 5000.
  void set_busy_timeout(int ms);

  // Runs body in one BEGIN IMMEDIATE transaction and appends one journal event
  // of `kind` whose payload is the JSON text body returns. Commits (or rolls
  // back in dry-run mode). A nested call joins the outer transaction and appends
  // its own event. A lock held past the busy timeout throws Error(busy).
  void write(std::string_view kind, const std::function<std::string()>& body);

  // Runs body in one BEGIN IMMEDIATE transaction that appends no event of its
  // own: the writes inside it join it, each with its event, and commit (or
  // roll back) together. A command that must also write files stages them
  // inside body, so a failure anywhere leaves neither rows nor files.
  void transaction(const std::function<void()>& body);

  // The file this ledger was opened from ("" in memory).
  std::string path() const;

  // The state behind the connection, reached only by libtally's storage
  // modules (src/ledger) through impl_of (src/ledger/impl.hpp).
  struct Impl;

 private:
  friend Impl& impl_of(Ledger& ledger);
  explicit Ledger(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// What a failure escaping libtally means for the caller: an Error as it is;
// SQLite's "busy" or "locked" as Error(busy); anything else Error(internal)
// with its message.
class Error;
Error as_error(const std::exception& e);

// The default ledger path: $TALLY_DB, else $XDG_DATA_HOME/tally/ledger.db, else
// ~/.local/share/tally/ledger.db.
std::string default_ledger_path();

}  // namespace tally

// Every verb of the ledger, one interface: the functions that read or write
// the ledger file, area by area (the index above).
#include "tally/ledger/policy.hpp"
#include "tally/ledger/seller.hpp"
#include "tally/ledger/customers.hpp"
#include "tally/ledger/invoices.hpp"
#include "tally/ledger/payments.hpp"
#include "tally/ledger/suspense.hpp"
#include "tally/ledger/import.hpp"
#include "tally/ledger/overdue.hpp"
#include "tally/ledger/standby.hpp"
#include "tally/ledger/cancellation.hpp"
#include "tally/ledger/reports.hpp"
#include "tally/ledger/accounting.hpp"
#include "tally/ledger/export.hpp"
#include "tally/ledger/integrity.hpp"
#include "tally/ledger/journal.hpp"
