// tally export json: the whole ledger as one JSON document, for scripts and
// migrations (docs/json/export.schema.json).
#pragma once

#include <cstdint>
#include <string>


namespace tally {

// What the document says about where it comes from, written at its head.
struct JsonExportInfo {
  std::string tally_version;
  std::string generated_at;  // UTC, ISO 8601
};

// How many rows of each kind were written, and the journal's anchor.
struct JsonExportCounts {
  std::int64_t customers = 0, subscriptions = 0, documents = 0, document_lines = 0, payments = 0, allocations = 0,
               credit_movements = 0, fee_waivers = 0, standbys = 0, cancellations = 0, stage_transitions = 0,
               penalty_billings = 0, suspense = 0, period_locks = 0, policy_versions = 0, seller_versions = 0,
               journal_events = 0;
  std::string anchor;  // the last journal event as ID:HASH; "" for an empty journal
};

}  // namespace tally
