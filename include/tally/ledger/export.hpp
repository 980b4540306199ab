// The ledger's verbs of export.hpp: what reads or writes the ledger file. The
// values they take and return are in tally/export.hpp.
// Included by tally/ledger.hpp (every verb of the ledger, one interface).
#pragma once

#include <functional>
#include <string_view>

#include "tally/export.hpp"
#include "tally/ledger.hpp"

namespace tally {

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
