// The ledger's verbs of integrity.hpp: what reads or writes the ledger file. The
// values they take and return, and the pure rules, are in tally/integrity.hpp.
// Included by tally/ledger.hpp (every verb of the ledger, one interface).
#pragma once

#include "tally/ledger.hpp"
#include "tally/integrity.hpp"

namespace tally {

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
// naming the table, the row and the field. `progress`, when given, is called
// now and then (VerifyProgress, tally/integrity.hpp).
IntegrityReport verify(Ledger& ledger, const std::vector<Anchor>& anchors = {},
                       const VerifyProgress& progress = {});

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
