// For tests only: src/ledger/testing.hpp.
#include "ledger/testing.hpp"

#include "ledger/impl.hpp"

namespace tally::testing {

SQLite::Database& database(Ledger& ledger) { return impl_of(ledger).db; }

bool recording(Ledger& ledger) { return impl_of(ledger).session != nullptr; }

std::int64_t invoice_id(Ledger& ledger, std::string_view number) { return impl_of(ledger).invoice_id(number); }

void refresh_invoice(Ledger& ledger, std::int64_t invoice_id) { impl_of(ledger).refresh_invoice(invoice_id); }

}  // namespace tally::testing
