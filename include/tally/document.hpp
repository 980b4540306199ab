// E1: the invoice document a customer receives, as plain values: French
// number and date formats, the document built from an issued invoice, the
// mentions it carries, and the text every layout (HTML, PDF) shows. Pure
// functions: no I/O, no ledger.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "tally/einvoice.hpp"
#include "tally/records.hpp"
#include "tally/policy.hpp"

namespace tally {

// ---- French formats ----

// "1 234,56": thousands grouped by a space, ',' before the cents; "-12,50".
std::string french_amount(Cents amount);
// "1 234,56 €"
std::string french_money(Cents amount);
// "20 %", "7,86 %", "0 %": a rate without trailing zero decimals.
std::string french_percent(Rate rate);
// "05/03/2026"
std::string french_date(Date d);
// "5 mars 2026", "1er mars 2026"
std::string french_long_date(Date d);
// "1", "1,5", "0,25": a quantity in hundredths.
std::string french_quantity(std::int64_t hundredths);

// ---- The document of an issued invoice ----

// E1/E3: the document of `inv` as issued: the seller's identity and the
// policy in force on its issue date (E2, L4, L5), the customer's identity.
// VAT categories: a penalty's lines are outside the scope of VAT (M4, O); a
// 0 % line is an intra-EU reverse charge (AE) for a customer in another EU
// state with a VAT number, else zero-rated (Z); the others standard (S).
// A line whose amount is not its quantity x unit price (set by a rule) is
// shown as one unit of its amount. `cited_date`: the issue date of the invoice
// a credit note cites.
InvoiceDocument invoice_document(const Invoice& inv, const SellerIdentity& seller, const BuyerIdentity& buyer,
                                 const Policy& policy, std::optional<Date> cited_date);

// One label and its value ("Date d'échéance", "14/04/2026").
using Labelled = std::pair<std::string, std::string>;

// E1: everything a layout shows, as French text, in reading order.
struct DocumentText {
  std::string title;               // "Facture" or "Avoir"
  std::string number;              // "F2026-000001"
  std::vector<Labelled> header;    // dates, period, the cited invoice
  std::vector<std::string> seller;  // name first, then address and identifiers
  std::vector<std::string> buyer;   // legal name first
  std::vector<std::string> columns;  // the lines' table head
  std::vector<std::vector<std::string>> rows;
  std::vector<Labelled> totals;     // per rate, VAT, total incl. VAT, due
  std::vector<std::string> mentions;  // the legal mentions, one paragraph each
  std::string bank;                   // "IBAN ... - BIC ..."
};

// E1: the mentions of `doc` (document_notes, then the credit note's cited
// invoice) as paragraphs.
std::vector<std::string> document_mentions(const InvoiceDocument& doc);

// E1: the text of `doc`. Calls check_document first (throws as it does).
DocumentText document_text(const InvoiceDocument& doc);

// E1: one self-contained HTML page (inline CSS, no external resource) of the
// document, every text escaped (html_escape), printable on A4.
std::string document_html(const DocumentText& text);

}  // namespace tally
