// Identifiers checked where they are entered (rule E4): SIREN, VAT numbers,
// IBAN, BIC and ISO 3166-1 alpha-2 country codes. Pure functions, no I/O.
//
// Each check_* function takes the text as a person typed it, returns the
// normalised form (spaces removed, letters upper-cased) and throws
// Error(usage) whose message names the value as typed and WHICH check
// failed, e.g. "invalid SIREN '732829321': Luhn check failed".
#pragma once

#include <string>
#include <string_view>

namespace tally {

// A SIREN: 9 digits (spaces allowed between them) whose Luhn sum is a multiple
// of 10. Returns the 9 digits.
std::string check_siren(std::string_view text);

// The 2-digit key of the French VAT number of a SIREN:
// (12 + 3 x (SIREN mod 97)) mod 97 (E4).
// REQUIRES: siren is 9 digits.
int french_vat_key(std::string_view siren);

// A French VAT number: "FR" + 2-digit key + a valid SIREN whose key matches
// french_vat_key. Spaces allowed, letters case-insensitive. Returns
// "FR" + key + SIREN, e.g. "FR27552120222".
std::string check_french_vat_number(std::string_view text);

// A VAT number of an EU member state: for "FR" the full French check above;
// for the other member states (Greece's prefix is "EL") the shape only: the
// prefix then 2 to 12 letters or digits. Returns the normalised number.
std::string check_vat_number(std::string_view text);

// The length of an IBAN of that country (ISO 13616 registry), 0 when the
// country does not issue IBANs (or is not known to tally). Covers every SEPA
// country and the other registry members.
int iban_length(std::string_view country);

// An IBAN (ISO 13616): spaces allowed on input and removed, letters
// case-insensitive; then two letters naming a country that issues IBANs, two
// check digits, the length of that country, letters and digits only, and the
// whole number mod 97 == 1. Returns the electronic form ("FR7630006000011234567890189").
std::string check_iban(std::string_view text);

// A BIC (ISO 9362): 8 or 11 characters, 4 letters (institution), an ISO 3166-1
// country code, 2 letters or digits (location), optionally 3 letters or digits
// (branch). Letters case-insensitive; returns the upper-case form.
std::string check_bic(std::string_view text);

// True when code is an ISO 3166-1 alpha-2 code (upper case, as assigned).
bool is_country_code(std::string_view code);

// A country code (ISO 3166-1 alpha-2), case-insensitive. Returns it upper-cased.
std::string check_country(std::string_view text);

// True when the country (ISO 3166-1 alpha-2) is a member state of the European
// Union, where intra-EU reverse charge applies (M2, E1 "Autoliquidation").
bool is_eu_member(std::string_view country);

}  // namespace tally
