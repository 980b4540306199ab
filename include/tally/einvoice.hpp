// Invoice documents (E1) and EN 16931 e-invoices in UN/CEFACT CII D16B (E3),
// Factur-X profile EN 16931. Plain values in, text out: no I/O, no ledger.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "tally/billing.hpp"
#include "tally/calendar.hpp"
#include "tally/money.hpp"

namespace tally {

// E1/A1: when the seller pays VAT on services: when the price is received
// (default, CGI 269-2-c) or, by option, when invoiced ("TVA acquittée sur les débits").
enum class VatRegime { receipts, debits };

std::string_view to_string(VatRegime r);
// Parses "receipts" or "debits"; throws Error(usage) naming the accepted values.
VatRegime parse_vat_regime(std::string_view text);

struct PostalAddress {
  std::string street;
  std::string postcode;
  std::string city;
  std::string country = "FR";  // ISO 3166-1 alpha-2
};

// E2: the seller's identity in force on a document's issue date.
// Identifiers are stored as check_* of identifiers.hpp returned them.
struct SellerIdentity {
  std::string name;
  std::string legal_form;      // "SAS"
  Cents share_capital = 0;
  PostalAddress address;
  std::string siren;           // 9 digits
  std::string rcs_city;        // "Paris": "RCS Paris 552 120 222"
  std::string vat_number;      // "FR27552120222"
  std::string iban;            // electronic form, no spaces
  std::string bic;
  std::string email;
  std::string phone;
  VatRegime vat_regime = VatRegime::receipts;
};

// E2: the keys of SellerIdentity a document cannot go without, named as
// `tally seller set` names them ("siren", "vat_number", ...), in that order;
// empty when the identity is complete.
std::vector<std::string> missing_seller_keys(const SellerIdentity& seller);

// E2: one key of SellerIdentity as `tally seller set` names it and the ledger
// stores it (one version per key and effective date).
struct SellerParam {
  std::string_view key;          // "vat_number"
  std::string_view description;  // one line
  std::string_view accepted;     // what `seller set` accepts
  std::string (*get)(const SellerIdentity&);
  // Checks the value (E4 for identifiers) and sets it in its normalised form;
  // throws Error(usage) naming the value and which check failed.
  void (*set)(SellerIdentity&, std::string_view);
};

// Every key of the seller's identity.
const std::vector<SellerParam>& seller_params();
// The key named key. Throws Error(usage) listing the known keys.
const SellerParam& seller_param(std::string_view key);

// E2: the identity the seed gives every new ledger (RULES.md E2): the
// policy's name and postal address, effective from the policy's date.
SellerIdentity seed_seller();

// E1: "SAS au capital de 10 000,00 € - RCS Paris 123 456 782" (Code de
// commerce R123-237): legal form, share capital, RCS city and SIREN.
std::string seller_legal_mention(const SellerIdentity& seller);

// The customer as the documents name it.
struct BuyerIdentity {
  std::string legal_name;
  PostalAddress address;
  std::string siren;       // optional: French companies
  std::string vat_number;  // optional, but required for reverse charge
  std::string email;       // billing e-mail
  std::string iban;        // the customer's account, to recognise its transfers (B2)
};

// One key of BuyerIdentity as `tally customer set CODE KEY VALUE` names it.
struct CustomerParam {
  std::string_view key;  // "legal_name"
  std::string_view description;
  std::string_view accepted;
  std::string (*get)(const BuyerIdentity&);
  // Checks (E4) and sets the normalised value; an empty value clears an
  // optional key. Throws Error(usage) naming the value and the check.
  void (*set)(BuyerIdentity&, std::string_view);
};

const std::vector<CustomerParam>& customer_params();
// Throws Error(usage) listing the known keys.
const CustomerParam& customer_param(std::string_view key);

// E3/E4: true when a document to this buyer is an intra-EU reverse charge:
// a customer in another EU member state with a VAT number (M2 rate 0).
bool reverse_charge_applies(const BuyerIdentity& buyer);

// BT-3: the document type codes of UNTDID 1001 that tally issues.
enum class DocumentType { invoice = 380, credit_note = 381 };

// BT-151/BT-118: VAT category codes (UNTDID 5305) tally uses.
enum class VatCategory {
  standard,        // S: standard rate, rate > 0
  zero_rated,      // Z: zero rate
  reverse_charge,  // AE: intra-EU reverse charge ("Autoliquidation"), rate 0
  not_subject,     // O: outside the scope of VAT (M4: late interest, indemnity)
};

// "S", "Z", "AE", "O".
std::string_view category_code(VatCategory c);

// One line of a document. Amounts excl. VAT; a credit note's lines are positive
// (the type code 381 says they are credited).
struct DocumentLine {
  std::string description;
  std::int64_t qty = 100;  // hundredths of a unit: 100 is 1
  Cents unit_ht = 0;       // BT-146, >= 0
  VatCategory category = VatCategory::standard;
  Rate vat_rate = percent(20);   // 0 unless category is standard
  std::optional<Period> period;  // BT-134/135
};

// E1: one invoice or credit note, everything its document shows.
struct InvoiceDocument {
  SellerIdentity seller;
  BuyerIdentity buyer;
  std::string number;  // BT-1: "F2026-000001", "AV2026-000001"
  DocumentType type = DocumentType::invoice;
  // BT-25/26: the invoice a credit note corrects (required for a credit note).
  std::string cited_number;
  std::optional<Date> cited_date;
  Date issue_date{};                     // BT-2
  Date due_date{};                       // BT-9
  std::optional<Period> service_period;  // BT-73/74
  std::string currency = "EUR";          // BT-5
  std::vector<DocumentLine> lines;
  Cents prepaid = 0;  // BT-113: already paid when the document is produced
  // BT-110 as the ledger stored it, when known. K3: a credit note completing
  // its invoice's crediting carries the VAT left, which may differ from M3's
  // by a cent per rate; document_totals puts that on the last breakdown.
  std::optional<Cents> stored_vat;
  // L4/L5, for the late-payment mentions of Code de commerce L441-9.
  Rate late_interest_rate = percent(10);
  Cents recovery_indemnity = 4000;
};

// BG-23: one VAT breakdown, per category and rate.
struct VatBreakdown {
  VatCategory category = VatCategory::standard;
  Rate rate;
  Cents base = 0;  // BT-116: sum of the line nets of that category and rate
  Cents vat = 0;   // BT-117: base x rate, rounded half away from zero (M2, M3; K3)
};

// The amounts of a document, computed in cents.
struct DocumentAmounts {
  std::vector<Cents> line_nets;        // BT-131: qty x unit price, rounded (M3)
  std::vector<VatBreakdown> breakdown;  // by category then rate
  Cents lines = 0;                     // BT-106 = BT-109 (no allowances or charges)
  Cents vat = 0;                       // BT-110: sum of BT-117
  Cents grand_total = 0;               // BT-112 = BT-109 + BT-110
  Cents prepaid = 0;                   // BT-113
  Cents due = 0;                       // BT-115 = BT-112 - BT-113
};

// M2/M3: the totals of a document. Does not check it (check_document does).
DocumentAmounts document_totals(const InvoiceDocument& doc);

// A free-text note of the document (BG-1): UNTDID 4451 subject code and text.
struct DocumentNote {
  std::string subject;  // "REG", "PMD", "PMT", "AAB", "TXD"
  std::string content;  // French
};

// E1: the legal mentions a French invoice carries, in French: seller's legal
// form, capital and RCS (REG), late-payment interest rate (PMD, L4), 40 EUR
// indemnity (PMT, L5), no discount for early payment (AAB), "TVA acquittée sur
// les débits" when the seller opted for it (TXD), "Autoliquidation" on a
// reverse-charge document (TXD).
std::vector<DocumentNote> document_notes(const InvoiceDocument& doc);

// Throws Error(usage) naming field when text is not UTF-8 or holds a control
// character (XML 1.0 cannot carry most of them; none belongs on an invoice).
void check_document_text(std::string_view field, const std::string& text);

// E1/E3: throws Error(refused, "E2") naming the missing seller keys, or
// Error(usage) naming the first field that EN 16931 does not accept: no line,
// text that is not UTF-8 or holds control characters, a negative price, a
// category whose rate is wrong (S needs a rate above 0, the others 0), a
// reverse charge without the buyer's VAT number, a line outside the scope of
// VAT (O) beside other categories, a credit note that cites no invoice.
void check_document(const InvoiceDocument& doc);

// E3: the document as an EN 16931 e-invoice in CII D16B, Factur-X profile
// EN 16931 (guideline urn:cen.eu:en16931:2017), UTF-8, written with libxml2's
// xmlTextWriter. Calls check_document first. Amounts have two decimals.
std::string cii_xml(const InvoiceDocument& doc);

}  // namespace tally
