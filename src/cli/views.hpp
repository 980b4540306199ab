// JSON objects and table rows for the ledger's records, shared by commands.
#pragma once

#include "cli/cli.hpp"

namespace tally::cli {

Json amount(Cents c);  // "1234.56"
Json to_json(const Customer& c);
Json to_json(const Subscription& s);
Json to_json(const Invoice& inv);
Json to_json(const InvoiceLine& l);

// One row per invoice: number, customer, kind, issue, due, HT, VAT, TTC, paid, balance, status.
Table invoice_table(const std::vector<Invoice>& invoices, std::string title = {});
Table invoice_lines_table(const Invoice& inv);

}  // namespace tally::cli
