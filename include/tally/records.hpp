// The records of the ledger as values: customers, subscriptions, invoices
// and credit notes, what an invoice is issued from. Pure data shared by the
// rules (include/tally/<area>.hpp) and the ledger (tally/ledger.hpp). No I/O.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "tally/billing.hpp"
#include "tally/calendar.hpp"
#include "tally/money.hpp"

namespace tally {

struct Customer {
  std::int64_t id = 0;
  std::string code;
  std::string name;
  std::string email;
  Rate vat_rate;
  int terms_days = 30;
  Date created;
};

struct Subscription {
  std::int64_t id = 0;
  std::string customer;  // customer code
  Cents amount_ht = 0;   // licence per month, HT
  Cycle cycle = Cycle::monthly;
  Date start;
  int commitment_months = 12;
  int notice_months = 3;
  std::optional<Date> letter_date;  // C1: cancellation letter received
  std::string letter_ref;
  std::optional<Date> end_date;     // C2: last day invoiced (effective date)
};

// An invoice (F...) or a credit note (AV...), with its state evaluated at a date.
struct Invoice {
  std::int64_t id = 0;
  std::string number;
  bool credit_note = false;
  std::string customer;  // customer code
  InvoiceKind kind = InvoiceKind::services;
  Date issue_date;
  Date due_date;
  Cents total_ht = 0;
  Cents vat = 0;
  Cents total_ttc = 0;
  Cents paid = 0;      // payments and credit applied, net of reversals
  Cents credited = 0;  // credit notes citing it
  Cents balance = 0;   // total_ttc - paid - credited (invoices); 0 for credit notes
  std::string status;  // open | partially-paid | paid | void (credit notes: credit-note)
  std::string cites;   // credit note: the invoice number it corrects
  std::string reason;  // credit note: why; void: the reason
  std::optional<std::int64_t> subscription_id;
  std::optional<Period> period;  // subscription invoices: the cycle
  std::vector<InvoiceLine> lines;
};

struct InvoiceFilter {
  std::optional<std::string> customer;
  std::optional<std::string> status;  // open | partially-paid | paid | void
  std::optional<InvoiceKind> kind;
  // Issued within these days (both included), read by the SQL itself: a
  // month's documents without loading the others (invoice export --period).
  std::optional<Period> issued;
};

// A new invoice: customer, kind, lines, issue date; due date from the terms.
struct NewInvoice {
  std::string customer;
  InvoiceKind kind = InvoiceKind::services;
  Date issue_date;
  std::vector<InvoiceLine> lines;  // each with its VAT rate (usually the customer's)
  std::optional<std::int64_t> subscription_id;
  std::optional<Period> period;
  std::optional<Date> due_date;  // default: issue + customer terms (I4)
  // I2: the business date, which the issue date may not be after. Default: the issue date.
  std::optional<Date> business_date;
  // I2 with P2: a date that follows from an event (a fee invoice, dated its
  // payment's date) moves up to the last issued date of its series when it is
  // before it, instead of being refused. Default: off (refused, I2).
  bool follow_series = false;
};

}  // namespace tally
