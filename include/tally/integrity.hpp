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

#include "tally/records.hpp"

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

// Issue 19: what verify's progress callback is told, now and then: the work
// done and the work in all (the journal's events replayed, then each table's
// rows compared).
using VerifyProgress = std::function<void(std::int64_t done, std::int64_t total)>;

struct BackupResult {
  std::string path;             // the copy written
  std::int64_t bytes = 0;       // its size
  std::int64_t journal_events = 0;  // events in the copy (the last id)
  std::string last_hash;        // hash of the copy's last journal event ("" when none)
  // "ID:HASH" of that event, to keep outside the ledger ("" when none)
  std::string anchor() const { return journal_events > 0 ? std::to_string(journal_events) + ":" + last_hash : ""; }
};

}  // namespace tally
