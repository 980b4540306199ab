// E3: the EN 16931 e-invoice in UN/CEFACT CII D16B, Factur-X profile EN 16931.
// Written with libxml2's xmlTextWriter (escaping and encoding are its job);
// the element order is the one of the Factur-X 1.09 EN 16931 schema.
#include <memory>
#include <string>

#include <libxml/xmlwriter.h>

#include "tally/einvoice.hpp"
#include "tally/errors.hpp"

namespace tally {
namespace {

constexpr const char* kRsm = "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100";
constexpr const char* kRam = "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100";
constexpr const char* kQdt = "urn:un:unece:uncefact:data:standard:QualifiedDataType:100";
constexpr const char* kUdt = "urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100";

const xmlChar* x(const char* s) { return reinterpret_cast<const xmlChar*>(s); }

// A thin owner of an xmlTextWriter on a memory buffer; every libxml2 failure
// becomes Error(internal).
class Writer {
 public:
  Writer() : buf_(xmlBufferCreate(), xmlBufferFree) {
    if (!buf_) fail("xmlBufferCreate");
    w_.reset(xmlNewTextWriterMemory(buf_.get(), 0));
    if (!w_) fail("xmlNewTextWriterMemory");
    check(xmlTextWriterSetIndent(w_.get(), 1), "SetIndent");
    check(xmlTextWriterSetIndentString(w_.get(), x("  ")), "SetIndentString");
    check(xmlTextWriterStartDocument(w_.get(), "1.0", "UTF-8", nullptr), "StartDocument");
  }

  // <prefix:name>, the namespace declared by the root.
  void start(const char* prefix, const char* name) {
    check(xmlTextWriterStartElementNS(w_.get(), x(prefix), x(name), nullptr), name);
  }
  void attribute(const char* name, const std::string& value) {
    check(xmlTextWriterWriteAttribute(w_.get(), x(name), x(value.c_str())), name);
  }
  void end() { check(xmlTextWriterEndElement(w_.get()), "EndElement"); }
  void text(const std::string& value) { check(xmlTextWriterWriteString(w_.get(), x(value.c_str())), "text"); }

  // <ram:name>value</ram:name>
  void element(const char* name, const std::string& value, const char* prefix = "ram") {
    start(prefix, name);
    text(value);
    end();
  }
  // <ram:name attr="v">value</ram:name>
  void element(const char* name, const char* attr, const std::string& attr_value, const std::string& value) {
    start("ram", name);
    attribute(attr, attr_value);
    text(value);
    end();
  }

  // Ends the document and returns its text.
  std::string finish() {
    check(xmlTextWriterEndDocument(w_.get()), "EndDocument");
    w_.reset();  // frees the writer, which flushes into the buffer
    return std::string(reinterpret_cast<const char*>(xmlBufferContent(buf_.get())),
                       static_cast<std::size_t>(xmlBufferLength(buf_.get())));
  }

 private:
  [[noreturn]] static void fail(const char* what) {
    throw Error(ExitCode::internal, fmt::format("cannot write the CII XML: libxml2 failed at {}", what));
  }
  static void check(int rc, const char* what) {
    if (rc < 0) fail(what);
  }

  std::unique_ptr<xmlBuffer, void (*)(xmlBufferPtr)> buf_;
  std::unique_ptr<xmlTextWriter, void (*)(xmlTextWriterPtr)> w_{nullptr, xmlFreeTextWriter};
};

// Format 102 of UNTDID 2379: YYYYMMDD.
std::string date102(Date d) { return date::format("%Y%m%d", d); }

void date_time(Writer& w, const char* name, Date d) {
  w.start("ram", name);
  w.start("udt", "DateTimeString");
  w.attribute("format", "102");
  w.text(date102(d));
  w.end();
  w.end();
}

void period(Writer& w, const Period& p) {
  w.start("ram", "BillingSpecifiedPeriod");
  date_time(w, "StartDateTime", p.first);
  date_time(w, "EndDateTime", p.last);
  w.end();
}

// "1.50": a quantity in hundredths with two decimals.
std::string quantity(std::int64_t hundredths) {
  return fmt::format("{}.{:02}", hundredths / 100, hundredths % 100);
}

void address(Writer& w, const PostalAddress& a) {
  w.start("ram", "PostalTradeAddress");
  if (!a.postcode.empty()) w.element("PostcodeCode", a.postcode);
  if (!a.street.empty()) w.element("LineOne", a.street);
  if (!a.city.empty()) w.element("CityName", a.city);
  w.element("CountryID", a.country);
  w.end();
}

// BT-120/121: the exemption reason of a category with no VAT, if it needs one.
struct Exemption {
  const char* text;
  const char* code;
};
std::optional<Exemption> exemption(VatCategory c) {
  switch (c) {
    case VatCategory::reverse_charge: return Exemption{"Autoliquidation", "VATEX-EU-AE"};
    // M4: late-payment interest and the recovery indemnity are damages, not the
    // price of a supply: outside the scope of VAT.
    case VatCategory::not_subject: return Exemption{"Non soumis à la TVA (indemnités de retard)", "VATEX-EU-O"};
    default: return std::nullopt;
  }
}

}  // namespace

std::string cii_xml(const InvoiceDocument& doc) {
  check_document(doc);
  const DocumentAmounts totals = document_totals(doc);
  const SellerIdentity& seller = doc.seller;
  const BuyerIdentity& buyer = doc.buyer;
  // BR-O-02: a document outside the scope of VAT names no VAT identifier (the
  // seller's still appears in its legal mentions, note REG).
  bool outside = false;
  for (const auto& l : doc.lines) outside = outside || l.category == VatCategory::not_subject;
  const std::string due_type = seller.vat_regime == VatRegime::debits ? "5" : "72";  // BT-8: issue date / paid

  Writer w;
  w.start("rsm", "CrossIndustryInvoice");
  w.attribute("xmlns:rsm", kRsm);
  w.attribute("xmlns:ram", kRam);
  w.attribute("xmlns:qdt", kQdt);
  w.attribute("xmlns:udt", kUdt);

  w.start("rsm", "ExchangedDocumentContext");
  w.start("ram", "GuidelineSpecifiedDocumentContextParameter");
  w.element("ID", "urn:cen.eu:en16931:2017");  // BT-24
  w.end();
  w.end();

  w.start("rsm", "ExchangedDocument");
  w.element("ID", doc.number);                                                // BT-1
  w.element("TypeCode", std::to_string(static_cast<int>(doc.type)));        // BT-3
  date_time(w, "IssueDateTime", doc.issue_date);                             // BT-2
  for (const auto& note : document_notes(doc)) {                             // BG-1
    w.start("ram", "IncludedNote");
    w.element("Content", note.content);
    w.element("SubjectCode", note.subject);
    w.end();
  }
  w.end();

  w.start("rsm", "SupplyChainTradeTransaction");
  for (std::size_t i = 0; i < doc.lines.size(); ++i) {  // BG-25
    const DocumentLine& l = doc.lines[i];
    w.start("ram", "IncludedSupplyChainTradeLineItem");
    w.start("ram", "AssociatedDocumentLineDocument");
    w.element("LineID", std::to_string(i + 1));  // BT-126
    w.end();
    w.start("ram", "SpecifiedTradeProduct");
    w.element("Name", l.description);  // BT-153
    w.end();
    w.start("ram", "SpecifiedLineTradeAgreement");
    w.start("ram", "NetPriceProductTradePrice");
    w.element("ChargeAmount", format_amount(l.unit_ht));  // BT-146
    w.end();
    w.end();
    w.start("ram", "SpecifiedLineTradeDelivery");
    w.element("BilledQuantity", "unitCode", "C62", quantity(l.qty));  // BT-129, BT-130
    w.end();
    w.start("ram", "SpecifiedLineTradeSettlement");
    w.start("ram", "ApplicableTradeTax");
    w.element("TypeCode", "VAT");
    w.element("CategoryCode", std::string(category_code(l.category)));  // BT-151
    if (l.category != VatCategory::not_subject)                          // BR-O-05
      w.element("RateApplicablePercent", format_rate(l.vat_rate));      // BT-152
    w.end();
    if (l.period) period(w, *l.period);  // BT-134/135
    w.start("ram", "SpecifiedTradeSettlementLineMonetarySummation");
    w.element("LineTotalAmount", format_amount(totals.line_nets[i]));  // BT-131
    w.end();
    w.end();
    w.end();
  }

  w.start("ram", "ApplicableHeaderTradeAgreement");
  w.start("ram", "SellerTradeParty");
  w.element("Name", seller.name);                                                      // BT-27
  w.element("Description", seller_legal_mention(seller));                             // BT-33
  w.start("ram", "SpecifiedLegalOrganization");
  w.element("ID", "schemeID", "0002", seller.siren);  // BT-30: SIREN
  w.end();
  if (!seller.phone.empty() || !seller.email.empty()) {  // BG-6
    w.start("ram", "DefinedTradeContact");
    if (!seller.phone.empty()) {
      w.start("ram", "TelephoneUniversalCommunication");
      w.element("CompleteNumber", seller.phone);  // BT-42
      w.end();
    }
    if (!seller.email.empty()) {
      w.start("ram", "EmailURIUniversalCommunication");
      w.element("URIID", seller.email);  // BT-43
      w.end();
    }
    w.end();
  }
  address(w, seller.address);  // BG-5
  if (!seller.email.empty()) {
    w.start("ram", "URIUniversalCommunication");
    w.element("URIID", "schemeID", "EM", seller.email);  // BT-34
    w.end();
  }
  if (!outside) {
    w.start("ram", "SpecifiedTaxRegistration");
    w.element("ID", "schemeID", "VA", seller.vat_number);  // BT-31
    w.end();
  }
  w.end();
  w.start("ram", "BuyerTradeParty");
  w.element("Name", buyer.legal_name);  // BT-44
  if (!buyer.siren.empty()) {
    w.start("ram", "SpecifiedLegalOrganization");
    w.element("ID", "schemeID", "0002", buyer.siren);  // BT-47
    w.end();
  }
  address(w, buyer.address);  // BG-8
  if (!buyer.email.empty()) {
    w.start("ram", "URIUniversalCommunication");
    w.element("URIID", "schemeID", "EM", buyer.email);  // BT-49
    w.end();
  }
  if (!outside && !buyer.vat_number.empty()) {
    w.start("ram", "SpecifiedTaxRegistration");
    w.element("ID", "schemeID", "VA", buyer.vat_number);  // BT-48
    w.end();
  }
  w.end();
  w.end();

  w.start("ram", "ApplicableHeaderTradeDelivery");
  w.end();

  w.start("ram", "ApplicableHeaderTradeSettlement");
  const bool invoice = doc.type == DocumentType::invoice;
  if (invoice) w.element("PaymentReference", doc.number);  // BT-83: the transfer's remittance text
  w.element("InvoiceCurrencyCode", doc.currency);          // BT-5
  if (invoice) {                                           // BG-16: SEPA credit transfer
    w.start("ram", "SpecifiedTradeSettlementPaymentMeans");
    w.element("TypeCode", "58");  // BT-81
    w.element("Information", "Virement SEPA");
    w.start("ram", "PayeePartyCreditorFinancialAccount");
    w.element("IBANID", seller.iban);  // BT-84
    w.end();
    w.start("ram", "PayeeSpecifiedCreditorFinancialInstitution");
    w.element("BICID", seller.bic);  // BT-86
    w.end();
    w.end();
  }
  for (const VatBreakdown& b : totals.breakdown) {  // BG-23
    w.start("ram", "ApplicableTradeTax");
    w.element("CalculatedAmount", format_amount(b.vat));  // BT-117
    w.element("TypeCode", "VAT");
    const auto ex = exemption(b.category);
    if (ex) w.element("ExemptionReason", ex->text);          // BT-120
    w.element("BasisAmount", format_amount(b.base));        // BT-116
    w.element("CategoryCode", std::string(category_code(b.category)));  // BT-118
    if (ex) w.element("ExemptionReasonCode", ex->code);     // BT-121
    if (b.category != VatCategory::not_subject) {
      w.element("DueDateTypeCode", due_type);                // BT-8
      w.element("RateApplicablePercent", format_rate(b.rate));  // BT-119
    }
    w.end();
  }
  if (doc.service_period) period(w, *doc.service_period);  // BT-73/74
  w.start("ram", "SpecifiedTradePaymentTerms");
  date_time(w, "DueDateDateTime", doc.due_date);  // BT-9
  w.end();
  w.start("ram", "SpecifiedTradeSettlementHeaderMonetarySummation");
  w.element("LineTotalAmount", format_amount(totals.lines));                          // BT-106
  w.element("TaxBasisTotalAmount", format_amount(totals.lines));                      // BT-109
  w.element("TaxTotalAmount", "currencyID", doc.currency, format_amount(totals.vat));  // BT-110
  w.element("GrandTotalAmount", format_amount(totals.grand_total));                   // BT-112
  w.element("TotalPrepaidAmount", format_amount(totals.prepaid));                     // BT-113
  w.element("DuePayableAmount", format_amount(totals.due));                           // BT-115
  w.end();
  if (!doc.cited_number.empty()) {  // BG-3
    w.start("ram", "InvoiceReferencedDocument");
    w.element("IssuerAssignedID", doc.cited_number);  // BT-25
    if (doc.cited_date) {
      w.start("ram", "FormattedIssueDateTime");
      w.start("qdt", "DateTimeString");
      w.attribute("format", "102");
      w.text(date102(*doc.cited_date));  // BT-26
      w.end();
      w.end();
    }
    w.end();
  }
  w.end();
  w.end();
  w.end();
  return w.finish();
}

}  // namespace tally
