// JSON objects and table rows for the ledger's records, shared by commands.
#pragma once

#include "cli/cli.hpp"
#include "tally/payments.hpp"
#include "tally/reports.hpp"

namespace tally::cli {

Json amount(Cents c);  // "1234.56"
Json to_json(const Customer& c);
Json to_json(const Subscription& s);
Json to_json(const Invoice& inv);
Json to_json(const InvoiceLine& l);
// A payment: id, invoice, customer, amount, method, date, ref, detail,
// waive_reason, fee_invoice, reversed_on, reverse_reason (absent texts: null).
Json to_json(const Payment& p);

// A suspense line (B2): its fields, status, what is open of it and its
// actions (cmd_suspense.cpp; also report suspense).
Json suspense_json(const SuspenseLine& l);
// Its actions in a few words, for a table cell.
std::string suspense_resolution(const SuspenseLine& l);

// One row per invoice: number, customer, kind, issue, due, HT, VAT, TTC, paid, balance, status.
Table invoice_table(const std::vector<Invoice>& invoices, std::string title = {});
Row invoice_row(const Invoice& i);
Table invoice_lines_table(const Invoice& inv);
// One row per payment: id, date, customer, invoice, method, amount, ref, fee_invoice, reversed_on.
Table payment_table(const std::vector<Payment>& payments, std::string title = {});
Row payment_row(const Payment& p);

}  // namespace tally::cli
