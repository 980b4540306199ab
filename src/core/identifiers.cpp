// E4: identifier checks. Every failure names the value as typed and the check.
#include "tally/identifiers.hpp"

#include <algorithm>
#include <array>
#include <cstdint>

#include "tally/errors.hpp"

namespace tally {
namespace {

// ISO 3166-1 alpha-2: the 249 officially assigned codes (the list of the
// Debian iso-codes package 4.15, /usr/share/iso-codes/json/iso_3166-1.json,
// which tests/unit/test_identifiers.cpp compares with this table), sorted.
constexpr std::string_view kCountries =
    "AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS "
    "BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE "
    "EG EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM "
    "HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC "
    "LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ NA "
    "NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW "
    "SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO "
    "TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW";

// The 27 member states of the European Union (since 1 February 2020).
constexpr std::string_view kEuMembers =
    "AT BE BG CY CZ DE DK EE ES FI FR GR HR HU IE IT LT LU LV MT NL PL PT RO SE SI SK";

// ISO 13616 IBAN lengths by country (SWIFT IBAN registry). The SEPA countries
// (EU, EEA, CH, GB, MC, SM, AD, VA, AL, MD, ME, MK) and the other registry
// members; the French overseas departments and collectivities that have
// their own ISO code use French IBANs of 27 characters under that code.
struct IbanCountry {
  std::string_view code;
  int length;
};
constexpr std::array<IbanCountry, 89> kIbanLengths{{
    {"AD", 24}, {"AE", 23}, {"AL", 28}, {"AT", 20}, {"AZ", 28}, {"BA", 20}, {"BE", 16}, {"BG", 22},
    {"BH", 22}, {"BL", 27}, {"BR", 29}, {"BY", 28}, {"CH", 21}, {"CR", 22}, {"CY", 28}, {"CZ", 24},
    {"DE", 22}, {"DK", 18}, {"DO", 28}, {"EE", 20}, {"EG", 29}, {"ES", 24}, {"FI", 18}, {"FO", 18},
    {"FR", 27}, {"GB", 22}, {"GE", 22}, {"GF", 27}, {"GI", 23}, {"GL", 18}, {"GP", 27}, {"GR", 27},
    {"GT", 28}, {"HR", 21}, {"HU", 28}, {"IE", 22}, {"IL", 23}, {"IQ", 23}, {"IS", 26}, {"IT", 27},
    {"JO", 30}, {"KW", 30}, {"KZ", 20}, {"LB", 28}, {"LC", 32}, {"LI", 21}, {"LT", 20}, {"LU", 20},
    {"LV", 21}, {"MC", 27}, {"MD", 24}, {"ME", 22}, {"MF", 27}, {"MK", 19}, {"MQ", 27}, {"MR", 27},
    {"MT", 31}, {"MU", 30}, {"NC", 27}, {"NL", 18}, {"NO", 15}, {"PF", 27}, {"PK", 24}, {"PL", 28},
    {"PM", 27}, {"PS", 29}, {"PT", 25}, {"QA", 29}, {"RE", 27}, {"RO", 24}, {"RS", 22}, {"SA", 24},
    {"SC", 31}, {"SE", 24}, {"SI", 19}, {"SK", 24}, {"SM", 27}, {"ST", 25}, {"SV", 28}, {"TF", 27},
    {"TL", 23}, {"TN", 24}, {"TR", 26}, {"UA", 29}, {"VA", 22}, {"VG", 24}, {"WF", 27}, {"XK", 20},
    {"YT", 27},
}};

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_upper(char c) { return c >= 'A' && c <= 'Z'; }
bool is_alnum_upper(char c) { return is_digit(c) || is_upper(c); }
char to_upper(char c) { return (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c; }

// The text without spaces, letters upper-cased.
std::string compact(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text)
    if (c != ' ') out.push_back(to_upper(c));
  return out;
}

bool in_list(std::string_view list, std::string_view code) {
  if (code.size() != 2) return false;
  for (std::size_t i = 0; i + 2 <= list.size(); i += 3)
    if (list.substr(i, 2) == code) return true;
  return false;
}

bool luhn_ok(std::string_view digits) {
  int sum = 0;
  bool twice = false;  // every second digit from the right is doubled
  for (auto it = digits.rbegin(); it != digits.rend(); ++it) {
    int d = *it - '0';
    if (twice) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    twice = !twice;
  }
  return sum % 10 == 0;
}

// The SIREN check on the digits only; what names the whole value in errors.
void siren_checks(const std::string& digits, std::string_view what, std::string_view typed) {
  if (digits.size() != 9 || !std::all_of(digits.begin(), digits.end(), is_digit))
    throw usage_error("invalid {} '{}': a SIREN is 9 digits", what, typed);
  if (!luhn_ok(digits)) throw usage_error("invalid {} '{}': Luhn check failed", what, typed);
}

}  // namespace

std::string check_siren(std::string_view text) {
  std::string digits = compact(text);
  siren_checks(digits, "SIREN", text);
  return digits;
}

int french_vat_key(std::string_view siren) {
  std::int64_t n = 0;
  for (char c : siren) n = n * 10 + (c - '0');
  return static_cast<int>((12 + 3 * (n % 97)) % 97);
}

std::string check_french_vat_number(std::string_view text) {
  const std::string v = compact(text);
  if (v.size() != 13 || v.compare(0, 2, "FR") != 0 || !is_digit(v[2]) || !is_digit(v[3]))
    throw usage_error("invalid VAT number '{}': a French VAT number is FR, a 2-digit key and the 9-digit SIREN",
                      text);
  const std::string siren = v.substr(4);
  siren_checks(siren, "VAT number", text);
  const int key = (v[2] - '0') * 10 + (v[3] - '0');
  const int expected = french_vat_key(siren);
  if (key != expected)
    throw usage_error("invalid VAT number '{}': key check failed (key {:02} for SIREN {}, expected {:02})", text, key,
                      siren, expected);
  return v;
}

std::string check_vat_number(std::string_view text) {
  const std::string v = compact(text);
  if (v.size() >= 2 && v.compare(0, 2, "FR") == 0) return check_french_vat_number(text);
  const std::string prefix = v.substr(0, 2);
  // Greece's VAT numbers start with EL, not its ISO code GR.
  const bool eu = prefix == "EL" || (prefix != "GR" && is_eu_member(prefix));
  if (!eu)
    throw usage_error("invalid VAT number '{}': not the prefix of an EU member state (FR, DE, ..., EL for Greece)",
                      text);
  const std::string rest = v.substr(2);
  if (rest.size() < 2 || rest.size() > 12 || !std::all_of(rest.begin(), rest.end(), is_alnum_upper))
    throw usage_error("invalid VAT number '{}': expected {} then 2 to 12 letters or digits", text, prefix);
  return v;
}

int iban_length(std::string_view country) {
  for (const auto& c : kIbanLengths)
    if (c.code == country) return c.length;
  return 0;
}

std::string check_iban(std::string_view text) {
  const std::string v = compact(text);
  if (v.empty() || !std::all_of(v.begin(), v.end(), is_alnum_upper))
    throw usage_error("invalid IBAN '{}': only letters, digits and spaces are accepted", text);
  if (v.size() < 4 || !is_upper(v[0]) || !is_upper(v[1]) || !is_digit(v[2]) || !is_digit(v[3]))
    throw usage_error("invalid IBAN '{}': expected 2 country letters then 2 check digits", text);
  const std::string country = v.substr(0, 2);
  const int length = iban_length(country);
  if (length == 0) throw usage_error("invalid IBAN '{}': country '{}' does not issue IBANs", text, country);
  if (static_cast<int>(v.size()) != length)
    throw usage_error("invalid IBAN '{}': length check failed ({} characters, {} IBANs have {})", text, v.size(),
                      country, length);
  // ISO 7064 mod 97-10: the first 4 characters moved to the end, letters as
  // 10..35, the number mod 97 must be 1; computed digit by digit.
  const std::string rotated = v.substr(4) + v.substr(0, 4);
  int rest = 0;
  for (char c : rotated) {
    if (is_digit(c)) {
      rest = (rest * 10 + (c - '0')) % 97;
    } else {
      rest = (rest * 100 + (c - 'A' + 10)) % 97;
    }
  }
  if (rest != 1) throw usage_error("invalid IBAN '{}': mod 97 check failed (remainder {}, expected 1)", text, rest);
  return v;
}

std::string check_bic(std::string_view text) {
  std::string v;
  for (char c : text) v.push_back(to_upper(c));
  if (v.size() != 8 && v.size() != 11)
    throw usage_error("invalid BIC '{}': a BIC has 8 or 11 characters", text);
  if (!std::all_of(v.begin(), v.begin() + 4, is_upper))
    throw usage_error("invalid BIC '{}': expected 4 letters (the institution) first", text);
  if (!is_country_code(v.substr(4, 2)))
    throw usage_error("invalid BIC '{}': characters 5-6 '{}' are not an ISO 3166-1 country code", text, v.substr(4, 2));
  if (!std::all_of(v.begin() + 6, v.end(), is_alnum_upper))
    throw usage_error("invalid BIC '{}': location and branch are letters or digits", text);
  return v;
}

bool is_country_code(std::string_view code) { return in_list(kCountries, code); }

std::string check_country(std::string_view text) {
  std::string v;
  for (char c : text) v.push_back(to_upper(c));
  if (!is_country_code(v))
    throw usage_error("invalid country '{}': expected an ISO 3166-1 alpha-2 code such as FR, DE, BE", text);
  return v;
}

bool is_eu_member(std::string_view country) { return in_list(kEuMembers, country); }

}  // namespace tally
