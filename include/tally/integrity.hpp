// Ledger integrity (issue 8): `tally verify` and `tally backup`.
//
// verify() proves the ledger has not lost, doubled or silently altered money:
// it checks the SQLite file, the foreign keys, the hash-chained journal, the
// invoice numbering (I2), every issued document against its lines and its
// journal event (I3), and every cached balance against its recomputation from
// allocations, credit notes, reversals and credit movements (P3, P5).
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "tally/ledger.hpp"

namespace tally {

// One check of verify(): its name, what it covered, and the broken items it
// found, in ledger order (the first one is the first broken item).
struct IntegrityCheck {
  std::string name;                   // "sqlite_integrity", "journal_chain", ...
  std::string summary;                // what was checked, e.g. "57 events"
  std::vector<std::string> findings;  // e.g. "journal event 17: hash mismatch"; empty when intact
  std::int64_t more = 0;              // findings left out past kMaxFindings
  bool ok() const { return findings.empty(); }
  // The first finding plus how many others, or the summary when intact.
  std::string detail() const;
};

// verify() keeps at most this many findings per check (and counts the rest).
inline constexpr std::size_t kMaxFindings = 20;

struct IntegrityReport {
  std::vector<IntegrityCheck> checks;  // always every check, in a fixed order
  bool ok() const;
  // "check: first finding" of the first failing check; none when ok().
  std::optional<std::string> first_failure() const;
};

// A point of the journal kept outside the ledger: an event's id and its hash.
// The chain alone proves nothing against someone who can rewrite the whole
// file (they recompute every hash); an anchor printed by `tally backup` or
// `report close` and kept elsewhere catches a cut tail or a rebuilt chain.
struct Anchor {
  std::int64_t event = 0;
  std::string hash;  // SHA-256, 64 lowercase hex digits
};

// "ID:HASH" as printed. Throws Error(usage) naming the text and the form expected.
Anchor parse_anchor(std::string_view text);
std::string format_anchor(const Anchor& a);

// The journal's last event as an anchor; none for an empty journal.
std::optional<Anchor> journal_anchor(Ledger& ledger);

// Runs every check inside one read transaction (a consistent snapshot, so it
// may run while others write). Never throws for a broken ledger: a check that
// cannot run (e.g. a corrupt table) reports that as its finding. With
// `anchors`, the check "anchors" finds each one whose event is missing (a cut
// tail) or whose hash differs (a rewritten chain).
//
// Issue 19: each journal event carries the rows its write changed (schema 11),
// and the check "journal_records" compares every table, every column, with
// what the journal's events say it holds: a row no event wrote, a row an
// event wrote that is gone, and a field that differs are each a finding
// naming the table, the row and the field.
//
// `progress`, when given, is called now and then with the work done and the
// work in all (the journal's events replayed, then each table's rows compared).
using VerifyProgress = std::function<void(std::int64_t done, std::int64_t total)>;
IntegrityReport verify(Ledger& ledger, const std::vector<Anchor>& anchors = {},
                       const VerifyProgress& progress = {});

struct BackupResult {
  std::string path;             // the copy written
  std::int64_t bytes = 0;       // its size
  std::int64_t journal_events = 0;  // events in the copy (the last id)
  std::string last_hash;        // hash of the copy's last journal event ("" when none)
  // "ID:HASH" of that event, to keep outside the ledger ("" when none)
  std::string anchor() const { return journal_events > 0 ? std::to_string(journal_events) + ":" + last_hash : ""; }
};

// Writes a consistent copy of the ledger to `path` with SQLite's online backup
// API: the copy is one snapshot of the ledger, taken while other processes may
// keep writing; the ledger is only read. The copy is built in a new temporary
// file beside `path`, checked (PRAGMA integrity_check), then given its name,
// so `path` holds either nothing or the whole copy (the rules of OutputFiles,
// tally/files.hpp). In dry-run mode nothing is written and the result
// describes the ledger as it would be copied.
// Throws Error(conflict) if `path` exists (unless overwrite), Error(usage) for
// the ledger's own files, a link, a directory, a device or a missing folder,
// Error(internal) on I/O failure.
BackupResult backup(Ledger& ledger, const std::string& path, bool overwrite = false);

}  // namespace tally
