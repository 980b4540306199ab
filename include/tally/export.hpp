// tally export json: the whole ledger as one JSON document, for scripts and
// migrations (docs/json/export.schema.json).
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "tally/ledger.hpp"

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

// Writes every record of the ledger, as of one read snapshot, as one JSON
// document (docs/json/export.schema.json) through `write`, piece by piece and
// in order: rows are read and written one at a time (a document with its
// lines, a payment with its allocations), so memory does not grow with the
// ledger. Amounts are decimal strings ("1234.56"), rates percentages
// ("20.00"), dates ISO text, as in every JSON tally prints. Writes nothing to
// the ledger. An exception from `write` stops the export and is rethrown.
JsonExportCounts export_json(Ledger& ledger, const JsonExportInfo& info,
                             const std::function<void(std::string_view)>& write);

}  // namespace tally
