// The ledger's verbs of accounting.hpp: what reads or writes the ledger file. The
// values they take and return, and the pure rules, are in tally/accounting.hpp.
// Included by tally/ledger.hpp (every verb of the ledger, one interface).
#pragma once

#include "tally/ledger.hpp"
#include "tally/accounting.hpp"

namespace tally {

// Every entry dated on or before `last`, one at a time in date order (on one
// day: documents, payments, then reversals, each by id), each dropped once fn
// returns: a 1M-invoice ledger read in bounded memory. fn must not use this
// Ledger.
void each_entry(Ledger& ledger, Date last, const std::function<void(const Entry&)>& fn);

// Every VAT rate of a document line in the ledger, ascending.
std::vector<Rate> vat_rates(Ledger& ledger);

// The entries of [first, last] through fn, in date order, preceded (when
// anything is carried) by the opening entry dated `first` that carries the
// balances of every entry before it (OpeningBalances). Reads only.
// Throws Error(usage) when first is after last.
ExportTotals export_entries(Ledger& ledger, Date first, Date last, const std::function<void(const Entry&)>& fn);

// A1 (CGI 269-2-c): under the receipts regime, the VAT share (vat_share,
// after the allocations to its invoice made before it) of every allocation
// dated in the month, less the share of those reversed in
// it, less the share of each credit note of the month's part that became
// customer credit (its VAT was collected and is given back); under the debits
// option, the VAT of the invoices issued in the month less that of the
// credit notes (M2, per document and rate). Penalty invoices are damages, out
// of the scope of VAT (M4): left out. Reads only. Throws Error(usage) for a
// month that starts after as_of.
VatReport vat_report(Ledger& ledger, Date month, Date as_of);

}  // namespace tally
