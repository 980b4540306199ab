// tally backup: a consistent copy with SQLite's online backup API (issue 8).
#include <sqlite3.h>

#include <chrono>
#include <filesystem>
#include <thread>

#include <SQLiteCpp/Backup.h>

#include "ledger/impl.hpp"
#include "tally/errors.hpp"
#include "tally/integrity.hpp"

namespace tally {
namespace {

namespace fs = std::filesystem;

// The copy's (or ledger's) journal length and head, and its size in bytes.
void describe(SQLite::Database& db, BackupResult& r) {
  SQLite::Statement q(db, "SELECT id, hash FROM journal ORDER BY id DESC LIMIT 1");
  if (q.executeStep()) {
    r.journal_events = q.getColumn(0).getInt64();
    r.last_hash = q.getColumn(1).getString();
  }
  r.bytes = db.execAndGet("PRAGMA page_count").getInt64() * db.execAndGet("PRAGMA page_size").getInt64();
}

// Refuses a destination that would overwrite the ledger, an existing file
// (unless overwrite) or a path in a missing directory.
void check_destination(const std::string& ledger_path, const std::string& path, bool overwrite) {
  if (path.empty()) throw usage_error("invalid backup path '': expected a file name such as ledger-2026-03-31.db");
  std::error_code ec;
  const fs::path dest(path);
  const fs::path dir = dest.has_parent_path() ? dest.parent_path() : fs::path(".");
  if (!fs::is_directory(dir, ec))
    throw usage_error("invalid backup path '{}': directory '{}' does not exist", path, dir.string());
  if (fs::is_directory(dest, ec))
    throw usage_error("invalid backup path '{}': it is a directory; expected a file name", path);
  if (!ledger_path.empty() && ledger_path != ":memory:" && fs::exists(dest, ec) &&
      fs::equivalent(dest, fs::path(ledger_path), ec))
    throw usage_error("invalid backup path '{}': it is the ledger itself", path);
  if (!overwrite && fs::exists(dest, ec))
    throw conflict("backup file '{}' already exists: choose another name (or --force to replace it)", path);
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
  Ledger::Impl& impl = ledger.impl();
  check_destination(impl.db.getFilename(), path, overwrite);
  BackupResult r;
  r.path = path;
  if (impl.dry_run) {
    SQLite::Transaction snapshot(impl.db);
    describe(impl.db, r);
    return r;
  }
  const std::string tmp = path + ".backup-tmp";
  std::error_code ec;
  fs::remove(tmp, ec);
  try {
    {
      SQLite::Database dest(tmp, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
      copy_pages(impl.db, dest, impl.busy_timeout_ms);
      // A standalone file: no -wal beside it, whatever the ledger's mode.
      dest.exec("PRAGMA journal_mode = DELETE");
      const std::string check = dest.execAndGet("PRAGMA integrity_check").getString();
      if (check != "ok")
        throw Error(ExitCode::internal, fmt::format("backup copy '{}' failed its integrity check: {}", tmp, check));
      describe(dest, r);
    }
    if (!overwrite && fs::exists(path, ec))
      throw conflict("backup file '{}' already exists: choose another name (or --force to replace it)", path);
    fs::rename(tmp, path);
  } catch (const Error&) {
    fs::remove(tmp, ec);
    throw;
  } catch (const std::exception& e) {  // SQLite or file system: nothing left under `path`
    fs::remove(tmp, ec);
    throw Error(ExitCode::internal, fmt::format("backup to '{}' failed: {}", path, e.what()));
  }
  return r;
}

}  // namespace tally
