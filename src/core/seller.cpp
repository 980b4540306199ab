// E2/E4: the keys of the seller's and the customers' identities, each checked
// where it is entered.
#include <string>

#include "tally/einvoice.hpp"
#include "tally/errors.hpp"
#include "tally/identifiers.hpp"
#include "tally/policy.hpp"

namespace tally {
namespace {

// A line of text for a document: UTF-8, no control character, not empty.
std::string text_value(std::string_view key, std::string_view value, bool optional = false) {
  std::string v(value);
  if (v.empty() && !optional) throw usage_error("invalid {} '': expected a non-empty text", key);
  check_document_text(key, v);
  return v;
}

std::string email_value(std::string_view key, std::string_view value) {
  std::string v = text_value(key, value, true);
  if (v.empty()) return v;
  const auto at = v.find('@');
  if (at == std::string::npos || at == 0 || at + 1 == v.size() || v.find('@', at + 1) != std::string::npos ||
      v.find(' ') != std::string::npos)
    throw usage_error("invalid {} '{}': expected an e-mail address such as billing@example.fr", key, value);
  return v;
}

template <typename F>
std::string optional_id(std::string_view value, F check) {
  return value.empty() ? std::string() : check(value);
}

}  // namespace

const std::vector<SellerParam>& seller_params() {
  static const std::vector<SellerParam> params = {
      {"name", "the seller's legal name", "a non-empty text", [](const SellerIdentity& s) { return s.name; },
       [](SellerIdentity& s, std::string_view v) { s.name = text_value("name", v); }},
      {"legal_form", "legal form (SAS, SARL, SA...)", "a non-empty text",
       [](const SellerIdentity& s) { return s.legal_form; },
       [](SellerIdentity& s, std::string_view v) { s.legal_form = text_value("legal_form", v); }},
      {"share_capital", "share capital in EUR", "an amount such as 10000 or 10000.00",
       [](const SellerIdentity& s) { return format_amount(s.share_capital); },
       [](SellerIdentity& s, std::string_view v) { s.share_capital = parse_amount(v); }},
      {"street", "street address", "a non-empty text", [](const SellerIdentity& s) { return s.address.street; },
       [](SellerIdentity& s, std::string_view v) { s.address.street = text_value("street", v); }},
      {"postcode", "postcode", "a non-empty text", [](const SellerIdentity& s) { return s.address.postcode; },
       [](SellerIdentity& s, std::string_view v) { s.address.postcode = text_value("postcode", v); }},
      {"city", "city", "a non-empty text", [](const SellerIdentity& s) { return s.address.city; },
       [](SellerIdentity& s, std::string_view v) { s.address.city = text_value("city", v); }},
      {"country", "country (ISO 3166-1 alpha-2)", "a country code such as FR",
       [](const SellerIdentity& s) { return s.address.country; },
       [](SellerIdentity& s, std::string_view v) { s.address.country = check_country(v); }},
      {"siren", "SIREN (E4: 9 digits, Luhn)", "9 digits whose Luhn check passes",
       [](const SellerIdentity& s) { return s.siren; },
       [](SellerIdentity& s, std::string_view v) { s.siren = check_siren(v); }},
      {"rcs_city", "city of the trade register (RCS)", "a non-empty text",
       [](const SellerIdentity& s) { return s.rcs_city; },
       [](SellerIdentity& s, std::string_view v) { s.rcs_city = text_value("rcs_city", v); }},
      {"vat_number", "French VAT number (E4: FR + key + SIREN)", "FR, the 2-digit key and the SIREN",
       [](const SellerIdentity& s) { return s.vat_number; },
       [](SellerIdentity& s, std::string_view v) { s.vat_number = check_french_vat_number(v); }},
      {"iban", "IBAN of the account customers pay to (E4: ISO 13616)", "an IBAN, spaces allowed",
       [](const SellerIdentity& s) { return s.iban; },
       [](SellerIdentity& s, std::string_view v) { s.iban = check_iban(v); }},
      {"bic", "BIC of that account", "8 or 11 characters (ISO 9362)", [](const SellerIdentity& s) { return s.bic; },
       [](SellerIdentity& s, std::string_view v) { s.bic = check_bic(v); }},
      {"email", "contact e-mail", "an e-mail address, or '' for none", [](const SellerIdentity& s) { return s.email; },
       [](SellerIdentity& s, std::string_view v) { s.email = email_value("email", v); }},
      {"phone", "contact phone", "a text, or '' for none", [](const SellerIdentity& s) { return s.phone; },
       [](SellerIdentity& s, std::string_view v) { s.phone = text_value("phone", v, true); }},
      {"vat_regime", "VAT on receipts (default) or on debits (A1, E1)", "receipts or debits",
       [](const SellerIdentity& s) { return std::string(to_string(s.vat_regime)); },
       [](SellerIdentity& s, std::string_view v) { s.vat_regime = parse_vat_regime(v); }},
  };
  return params;
}

const SellerParam& seller_param(std::string_view key) {
  std::string known;
  for (const auto& p : seller_params()) {
    if (p.key == key) return p;
    known += (known.empty() ? "" : ", ") + std::string(p.key);
  }
  throw usage_error("unknown seller key '{}': expected one of {}", key, known);
}

SellerIdentity seed_seller() {
  // RULES.md E2 and L7: "Particeep, 29 rue du Louvre 75002 Paris".
  SellerIdentity s;
  s.name = "Particeep";
  s.address = {"29 rue du Louvre", "75002", "Paris", "FR"};
  return s;
}

const std::vector<CustomerParam>& customer_params() {
  static const std::vector<CustomerParam> params = {
      {"legal_name", "legal name on documents (default: the customer's name)", "a non-empty text",
       [](const BuyerIdentity& b) { return b.legal_name; },
       [](BuyerIdentity& b, std::string_view v) { b.legal_name = text_value("legal_name", v); }},
      {"street", "street address", "a text, or '' for none", [](const BuyerIdentity& b) { return b.address.street; },
       [](BuyerIdentity& b, std::string_view v) { b.address.street = text_value("street", v, true); }},
      {"postcode", "postcode", "a text, or '' for none", [](const BuyerIdentity& b) { return b.address.postcode; },
       [](BuyerIdentity& b, std::string_view v) { b.address.postcode = text_value("postcode", v, true); }},
      {"city", "city", "a text, or '' for none", [](const BuyerIdentity& b) { return b.address.city; },
       [](BuyerIdentity& b, std::string_view v) { b.address.city = text_value("city", v, true); }},
      {"country", "country (ISO 3166-1 alpha-2), default FR", "a country code such as FR, DE, BE",
       [](const BuyerIdentity& b) { return b.address.country; },
       [](BuyerIdentity& b, std::string_view v) { b.address.country = check_country(v); }},
      {"siren", "SIREN of a French customer (E4)", "9 digits whose Luhn check passes, or ''",
       [](const BuyerIdentity& b) { return b.siren; },
       [](BuyerIdentity& b, std::string_view v) { b.siren = optional_id(v, check_siren); }},
      {"vat_number", "EU VAT number (E4: French key checked)", "an EU VAT number such as FR27552120222, or ''",
       [](const BuyerIdentity& b) { return b.vat_number; },
       [](BuyerIdentity& b, std::string_view v) { b.vat_number = optional_id(v, check_vat_number); }},
      {"billing_email", "billing e-mail", "an e-mail address, or ''", [](const BuyerIdentity& b) { return b.email; },
       [](BuyerIdentity& b, std::string_view v) { b.email = email_value("billing_email", v); }},
      {"iban", "the customer's IBAN, to recognise its transfers (E4)", "an IBAN, spaces allowed, or ''",
       [](const BuyerIdentity& b) { return b.iban; },
       [](BuyerIdentity& b, std::string_view v) { b.iban = optional_id(v, check_iban); }},
  };
  return params;
}

const CustomerParam& customer_param(std::string_view key) {
  std::string known;
  for (const auto& p : customer_params()) {
    if (p.key == key) return p;
    known += (known.empty() ? "" : ", ") + std::string(p.key);
  }
  throw usage_error("unknown customer key '{}': expected one of {}", key, known);
}

bool reverse_charge_applies(const BuyerIdentity& buyer) {
  return !buyer.vat_number.empty() && buyer.address.country != "FR" && is_eu_member(buyer.address.country);
}

}  // namespace tally
