// tally backup: a consistent copy with SQLite's online backup API (issue 8).
#include <sqlite3.h>
#include <unistd.h>

#include <chrono>
#include <thread>

#include <SQLiteCpp/Backup.h>

#include "ledger/impl.hpp"
#include "ledger/rows.hpp"
#include "tally/errors.hpp"
#include "tally/files.hpp"
#include "tally/integrity.hpp"

namespace tally {
namespace {

// The copy's (or ledger's) journal length and head, and its size in bytes.
void describe(SQLite::Database& db, BackupResult& r) {
  SQLite::Statement q(db, "SELECT id, hash FROM journal ORDER BY id DESC LIMIT 1");
  if (q.executeStep()) {
    const Row last(q);
    r.journal_events = last.int64("id");
    r.last_hash = last.text("hash");
  }
  r.bytes = db.execAndGet("PRAGMA page_count").getInt64() * db.execAndGet("PRAGMA page_size").getInt64();
}

// Copies every page of `src` into `dest` in one step (one read snapshot of the
// source), retrying while the source is locked, up to timeout_ms.
void copy_pages(SQLite::Database& src, SQLite::Database& dest, int timeout_ms) {
  SQLite::Backup pages(dest, src);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  for (;;) {
    const int rc = pages.executeStep(-1);
    if (rc == SQLITE_DONE) return;
    if (std::chrono::steady_clock::now() > deadline)
      throw Error(ExitCode::busy, fmt::format("ledger '{}' is busy: could not read it for {} ms; retry, or raise "
                                              "TALLY_BUSY_TIMEOUT",
                                              src.getFilename(), timeout_ms));
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

}  // namespace

BackupResult backup(Ledger& ledger, const std::string& path, bool overwrite) {
  Ledger::Impl& impl = impl_of(ledger);
  OutputFiles file(ledger.path(), overwrite);
  file.check(path);
  BackupResult r;
  r.path = path;
  if (impl.dry_run) {
    SQLite::Transaction snapshot(impl.db);
    describe(impl.db, r);
    return r;
  }
  const std::string tmp = file.reserve(path);
  const auto remove_journal = [&tmp] { ::unlink((tmp + "-journal").c_str()); };
  try {
    SQLite::Database dest(tmp, SQLite::OPEN_READWRITE);
    copy_pages(impl.db, dest, impl.busy_timeout_ms);
    // A standalone file: no -wal beside it, whatever the ledger's mode.
    dest.exec("PRAGMA journal_mode = DELETE");
    const std::string check = dest.execAndGet("PRAGMA integrity_check").getString();
    if (check != "ok")
      throw Error(ExitCode::internal, fmt::format("backup copy of '{}' failed its integrity check: {}", path, check));
    describe(dest, r);
  } catch (const Error&) {
    remove_journal();
    throw;
  } catch (const std::exception& e) {  // SQLite or file system: nothing left under `path`
    remove_journal();
    throw Error(ExitCode::internal, fmt::format("backup to '{}' failed: {}", path, e.what()));
  }
  file.commit();
  return r;
}

}  // namespace tally
