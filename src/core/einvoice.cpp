// E1/E2/M2/M3: the invoice document as a value: its totals, legal mentions and
// the checks EN 16931 needs before any syntax is written. No I/O.
#include "tally/einvoice.hpp"

#include <map>
#include <utility>

#include "tally/document.hpp"
#include "tally/errors.hpp"

namespace tally {
namespace {

// "10,00": a rate the French way.
std::string french_rate(Rate r) {
  std::string s = format_rate(r);
  for (char& c : s)
    if (c == '.') c = ',';
  return s;
}

// "552 120 222"
std::string grouped_siren(const std::string& siren) {
  if (siren.size() != 9) return siren;
  return siren.substr(0, 3) + " " + siren.substr(3, 3) + " " + siren.substr(6);
}

bool has_category(const InvoiceDocument& doc, VatCategory c) {
  for (const auto& l : doc.lines)
    if (l.category == c) return true;
  return false;
}

}  // namespace

// Throws when text is not valid UTF-8 or holds a control character (XML 1.0
// cannot carry most of them; none belongs on an invoice).
void check_document_text(std::string_view field, const std::string& text) {
  const auto* p = reinterpret_cast<const unsigned char*>(text.data());
  const auto* end = p + text.size();
  while (p < end) {
    const unsigned char c = *p;
    int extra = 0;
    std::uint32_t cp = 0;
    if (c < 0x80) {
      if (c < 0x20 || c == 0x7f)
        throw usage_error("invalid {} '{}': control characters are not accepted", field, text);
      ++p;
      continue;
    } else if ((c & 0xe0) == 0xc0) {
      extra = 1;
      cp = c & 0x1f;
    } else if ((c & 0xf0) == 0xe0) {
      extra = 2;
      cp = c & 0x0f;
    } else if ((c & 0xf8) == 0xf0) {
      extra = 3;
      cp = c & 0x07;
    } else {
      throw usage_error("invalid {}: the text is not UTF-8", field);
    }
    if (end - p <= extra) throw usage_error("invalid {}: the text is not UTF-8", field);
    for (int i = 1; i <= extra; ++i) {
      if ((p[i] & 0xc0) != 0x80) throw usage_error("invalid {}: the text is not UTF-8", field);
      cp = (cp << 6) | (p[i] & 0x3f);
    }
    static constexpr std::uint32_t kMin[] = {0, 0x80, 0x800, 0x10000};
    if (cp < kMin[extra] || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff) || cp == 0xfffe || cp == 0xffff)
      throw usage_error("invalid {}: the text is not UTF-8", field);
    if (cp >= 0x80 && cp <= 0x9f)
      throw usage_error("invalid {} '{}': control characters are not accepted", field, text);
    p += extra + 1;
  }
}

std::string_view to_string(VatRegime r) { return r == VatRegime::debits ? "debits" : "receipts"; }

VatRegime parse_vat_regime(std::string_view text) {
  if (text == "receipts") return VatRegime::receipts;
  if (text == "debits") return VatRegime::debits;
  throw usage_error("invalid VAT regime '{}': expected receipts or debits", text);
}

std::string_view category_code(VatCategory c) {
  switch (c) {
    case VatCategory::standard: return "S";
    case VatCategory::zero_rated: return "Z";
    case VatCategory::reverse_charge: return "AE";
    case VatCategory::not_subject: return "O";
  }
  return "S";
}

std::vector<std::string> missing_seller_keys(const SellerIdentity& s) {
  std::vector<std::string> missing;
  const std::pair<const char*, bool> keys[] = {
      {"name", s.name.empty()},
      {"legal_form", s.legal_form.empty()},
      {"share_capital", s.share_capital <= 0},
      {"street", s.address.street.empty()},
      {"postcode", s.address.postcode.empty()},
      {"city", s.address.city.empty()},
      {"country", s.address.country.empty()},
      {"siren", s.siren.empty()},
      {"rcs_city", s.rcs_city.empty()},
      {"vat_number", s.vat_number.empty()},
      {"iban", s.iban.empty()},
      {"bic", s.bic.empty()},
  };
  for (const auto& [key, absent] : keys)
    if (absent) missing.emplace_back(key);
  return missing;
}

DocumentAmounts document_totals(const InvoiceDocument& doc) {
  DocumentAmounts t;
  // M2: one base per category and rate, VAT on that base.
  std::map<std::pair<int, std::int64_t>, Cents> bases;
  for (const auto& l : doc.lines) {
    const Cents net = line_amount(l.qty, l.unit_ht);  // M3
    t.line_nets.push_back(net);
    t.lines += net;
    bases[{static_cast<int>(l.category), l.vat_rate.bp}] += net;
  }
  for (const auto& [key, base] : bases) {
    VatBreakdown b;
    b.category = static_cast<VatCategory>(key.first);
    b.rate = Rate{key.second};
    b.base = base;
    b.vat = apply_rate(base, b.rate);  // M3: half away from zero
    t.vat += b.vat;
    t.breakdown.push_back(b);
  }
  // K3: the VAT a completing credit note carries, a cent or so from M3's (a
  // larger difference is not a rounding: check_document's totals judge it).
  const auto rates = static_cast<Cents>(t.breakdown.size());
  const Cents rounding = doc.stored_vat ? *doc.stored_vat - t.vat : 0;
  if (rounding != 0 && rounding <= rates && -rounding <= rates) {
    t.breakdown.back().vat += rounding;
    t.vat += rounding;
  }
  t.grand_total = t.lines + t.vat;
  t.prepaid = doc.prepaid;
  t.due = t.grand_total - t.prepaid;
  return t;
}

std::string seller_legal_mention(const SellerIdentity& s) {
  std::string text = s.legal_form;
  if (s.share_capital > 0) text += " au capital de " + french_amount(s.share_capital) + " €";
  text += " - RCS " + s.rcs_city + " " + grouped_siren(s.siren);
  return text;
}

std::vector<DocumentNote> document_notes(const InvoiceDocument& doc) {
  const SellerIdentity& s = doc.seller;
  std::vector<DocumentNote> notes;
  std::string reg = s.name + " " + seller_legal_mention(s);
  if (!s.vat_number.empty()) reg += " - N° TVA intracommunautaire " + s.vat_number;
  notes.push_back({"REG", reg});
  notes.push_back({"PMD", "En cas de retard de paiement, pénalités au taux annuel de " +
                              french_rate(doc.late_interest_rate) +
                              " %, exigibles dès le lendemain de la date d'échéance (C. com. art. L441-10)."});
  notes.push_back({"PMT", "Indemnité forfaitaire pour frais de recouvrement due en cas de retard de paiement : " +
                              french_amount(doc.recovery_indemnity) + " € (C. com. art. L441-10 et D441-5)."});
  notes.push_back({"AAB", "Pas d'escompte pour paiement anticipé."});
  if (s.vat_regime == VatRegime::debits) notes.push_back({"TXD", "TVA acquittée sur les débits."});
  if (has_category(doc, VatCategory::reverse_charge))
    notes.push_back({"TXD", "Autoliquidation : TVA due par le preneur (CGI art. 283-2, directive 2006/112/CE "
                            "art. 196)."});
  return notes;
}

void check_document(const InvoiceDocument& doc) {
  const auto missing = missing_seller_keys(doc.seller);
  if (!missing.empty()) {
    std::string list;
    for (const auto& k : missing) list += (list.empty() ? "" : ", ") + k;
    throw refused("E2", "the seller's identity lacks {}", list).with(Hint::seller_set);
  }
  const std::pair<const char*, const std::string*> texts[] = {
      {"seller name", &doc.seller.name},
      {"seller legal form", &doc.seller.legal_form},
      {"seller street", &doc.seller.address.street},
      {"seller postcode", &doc.seller.address.postcode},
      {"seller city", &doc.seller.address.city},
      {"seller RCS city", &doc.seller.rcs_city},
      {"seller email", &doc.seller.email},
      {"seller phone", &doc.seller.phone},
      {"buyer legal name", &doc.buyer.legal_name},
      {"buyer street", &doc.buyer.address.street},
      {"buyer postcode", &doc.buyer.address.postcode},
      {"buyer city", &doc.buyer.address.city},
      {"buyer email", &doc.buyer.email},
      {"document number", &doc.number},
      {"cited invoice number", &doc.cited_number},
  };
  for (const auto& [field, text] : texts) check_document_text(field, *text);
  if (doc.seller.vat_number.size() == 13 && doc.seller.vat_number.compare(4, 9, doc.seller.siren) != 0)
    throw usage_error("invalid seller VAT number {}: it is not the one of the seller's SIREN {}",
                      doc.seller.vat_number, doc.seller.siren);
  const std::string& bv = doc.buyer.vat_number;
  if (!doc.buyer.siren.empty() && bv.size() == 13 && bv.compare(0, 2, "FR") == 0 &&
      bv.compare(4, 9, doc.buyer.siren) != 0)
    throw usage_error("invalid buyer VAT number {}: it is not the one of the buyer's SIREN {}", bv, doc.buyer.siren);
  if (doc.number.empty()) throw usage_error("invalid document: it has no number (BT-1)");
  if (doc.buyer.legal_name.empty())
    throw usage_error("invalid document {}: the buyer has no legal name (BT-44)", doc.number);
  if (doc.buyer.address.country.empty())
    throw usage_error("invalid document {}: the buyer's address has no country (BT-55)", doc.number);
  if (doc.currency != "EUR")
    throw usage_error("invalid currency '{}' on {}: tally issues documents in EUR", doc.currency, doc.number);
  if (doc.lines.empty()) throw usage_error("invalid document {}: it has no line", doc.number);
  if (doc.type == DocumentType::credit_note && doc.cited_number.empty())
    throw usage_error("invalid credit note {}: it cites no invoice (BT-25)", doc.number);
  if (doc.due_date < doc.issue_date)
    throw usage_error("invalid document {}: due date {} before issue date {}", doc.number, format_date(doc.due_date),
                      format_date(doc.issue_date));
  const bool outside = has_category(doc, VatCategory::not_subject);
  for (std::size_t i = 0; i < doc.lines.size(); ++i) {
    const DocumentLine& l = doc.lines[i];
    const std::size_t n = i + 1;
    check_document_text("line description", l.description);
    if (l.description.empty()) throw usage_error("invalid line {} of {}: no description (BT-153)", n, doc.number);
    if (l.qty <= 0) throw usage_error("invalid line {} of {}: quantity {} is not positive", n, doc.number, l.qty);
    if (l.unit_ht < 0)
      throw usage_error("invalid line {} of {}: unit price {} is negative (BR-27)", n, doc.number,
                        format_amount(l.unit_ht));
    const bool standard = l.category == VatCategory::standard;
    if (standard && l.vat_rate.bp <= 0)
      throw usage_error("invalid line {} of {}: VAT category S needs a rate above 0 (BR-S-05)", n, doc.number);
    if (!standard && l.vat_rate.bp != 0)
      throw usage_error("invalid line {} of {}: VAT category {} has rate 0, not {} %", n, doc.number,
                        category_code(l.category), format_rate(l.vat_rate));
    if (l.vat_rate.bp < 0 || l.vat_rate.bp > 10000)
      throw usage_error("invalid line {} of {}: VAT rate {} % is not in 0..100", n, doc.number,
                        format_rate(l.vat_rate));
    if (outside && l.category != VatCategory::not_subject)
      throw usage_error("invalid line {} of {}: a document with lines outside the scope of VAT (O) has only such "
                        "lines (BR-O-11)",
                        n, doc.number);
    if (l.period && l.period->last < l.period->first)
      throw usage_error("invalid line {} of {}: its period ends before it starts", n, doc.number);
  }
  if (has_category(doc, VatCategory::reverse_charge) && doc.buyer.vat_number.empty())
    throw usage_error("invalid document {}: reverse charge needs the buyer's VAT number (BR-AE-02)", doc.number);
  if (doc.service_period && doc.service_period->last < doc.service_period->first)
    throw usage_error("invalid document {}: its service period ends before it starts", doc.number);
}

}  // namespace tally
