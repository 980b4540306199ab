// B2: a credit entry pays the invoice it names, or goes to suspense.
#include "tally/matching.hpp"

#include <algorithm>
#include <array>
#include <cstdint>

#include <fmt/format.h>

#include "tally/errors.hpp"
#include "tally/text.hpp"

namespace tally {
namespace {

// Legal forms and words banks add around a company name, never compared.
constexpr std::array<std::string_view, 32> kLegalForms = {
    "SAS", "SASU", "SA",  "SARL", "EURL", "SNC", "SCI",     "SCS",  "SCA", "SE",  "STE",
    "SOCIETE", "GMBH", "AG", "KG", "LTD", "LIMITED", "PLC", "INC", "LLC", "CORP", "CO",
    "BV",  "NV",   "SPA", "SRL",  "SL",   "OY",  "AB",      "AS",   "ET",  "CIE"};

// The base letter of a Latin-1 letter U+00C0..U+00FF ('\0' for × and ÷).
char latin1_base(std::uint32_t cp) {
  static constexpr char kBase[] = "AAAAAAACEEEEIIIIDNOOOOO\0OUUUUYTSAAAAAAACEEEEIIIIDNOOOOO\0OUUUUYTY";
  static_assert(sizeof kBase == 0x40 + 1);
  return cp >= 0xC0 && cp <= 0xFF ? kBase[cp - 0xC0] : '\0';
}

// The words of a name: runs of ASCII letters and digits, upper case, accented
// Latin-1 letters as their base letter (Œ as OE), less the legal forms.
std::vector<std::string> words(std::string_view text) {
  std::vector<std::string> out;
  std::string word;
  const auto flush = [&] {
    if (!word.empty() && std::find(kLegalForms.begin(), kLegalForms.end(), word) == kLegalForms.end())
      out.push_back(word);
    word.clear();
  };
  for (std::size_t i = 0; i < text.size();) {
    const std::size_t len = utf8_length(text, i);
    if (len == 0) {  // not UTF-8: a separator
      flush();
      ++i;
      continue;
    }
    const std::uint32_t cp = utf8_decode(text, i, len);
    i += len;
    if (cp >= 'a' && cp <= 'z') {
      word += static_cast<char>(cp - 'a' + 'A');
    } else if ((cp >= 'A' && cp <= 'Z') || (cp >= '0' && cp <= '9')) {
      word += static_cast<char>(cp);
    } else if (cp == 0x152 || cp == 0x153) {
      word += "OE";
    } else if (const char base = latin1_base(cp); base != '\0') {
      word += base;
    } else {
      flush();
    }
  }
  flush();
  return out;
}

bool word_matches(const std::string& a, const std::string& b) {
  if (a == b) return true;
  const auto& shorter = a.size() < b.size() ? a : b;
  const auto& longer = a.size() < b.size() ? b : a;
  return shorter.size() >= 3 && longer.compare(0, shorter.size(), shorter) == 0;
}

// Every word of `part` matches a word of `whole`.
bool covered(const std::vector<std::string>& part, const std::vector<std::string>& whole) {
  return std::all_of(part.begin(), part.end(), [&](const std::string& w) {
    return std::any_of(whole.begin(), whole.end(), [&](const std::string& v) { return word_matches(w, v); });
  });
}

std::string joined(const std::vector<std::string>& v) {
  std::string out;
  for (const auto& s : v) out += (out.empty() ? "" : ", ") + s;
  return out;
}

}  // namespace

std::string iban_key(std::string_view iban) {
  std::string out;
  for (char c : iban) {
    if (c == ' ') continue;
    out += (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c;
  }
  return out;
}

bool payer_name_matches(std::string_view payer, std::string_view name) {
  const auto p = words(payer);
  const auto n = words(name);
  if (p.empty() || n.empty()) return false;
  return covered(n, p) || covered(p, n);
}

std::string payer_problem(const MatchEntry& e, const MatchCustomer& c, const std::vector<std::string>& iban_owners) {
  const std::string iban = iban_key(e.payer_iban);
  if (!iban.empty()) {
    for (const auto& known : c.ibans)
      if (iban_key(known) == iban) return "";
    for (const auto& owner : iban_owners)
      if (owner != c.code)
        return fmt::format("payer IBAN {} is customer {}'s, not {}'s", iban, owner, c.code);
  }
  if (!e.payer_name.empty()) {
    for (const auto& n : c.names)
      if (payer_name_matches(e.payer_name, n)) return "";
    return fmt::format("payer '{}' is not customer {} ({})", shown_text(e.payer_name, 70), c.code,
                       c.names.empty() ? std::string() : shown_text(c.names.front(), 70));
  }
  if (!iban.empty() && !c.ibans.empty())
    return fmt::format("payer IBAN {} is not one of customer {}'s known IBANs", iban, c.code);
  return "";
}

MatchDecision decide_match(const MatchSnapshot& s) {
  MatchDecision d;
  const auto suspense = [&d](std::string why) {
    d.pay = false;
    d.reason = "B2: " + std::move(why);
    return d;
  };
  if (s.entry.reversal) return suspense("the bank's reversal of an earlier entry, not a payment received");
  if (!s.entry.currency.empty() && s.entry.currency != "EUR")
    return suspense(fmt::format("amount in {}: invoices are in EUR", s.entry.currency));
  if (s.invoices.empty())
    return suspense("no invoice number (F{YYYY}-{NNNNNN}) in the remittance information");
  if (s.invoices.size() > 1)
    return suspense(fmt::format("several invoice numbers ({}): assign each part", joined(s.invoices)));
  d.invoice = s.invoices.front();
  if (!s.invoice) return suspense(fmt::format("refers to no invoice: {} is not in the ledger", d.invoice));
  const MatchInvoice& inv = *s.invoice;
  if (std::string why = payer_problem(s.entry, inv.customer, s.iban_owners); !why.empty())
    return suspense(fmt::format("{} names {}, but {}", format_amount(s.entry.amount), inv.number, why));
  const Cents limit = inv.customer.owed + inv.fee_ttc;
  if (s.entry.amount > limit) {
    const std::string fee =
        inv.fee_ttc > 0 ? fmt::format(" plus the fee {} this payment triggers", format_amount(inv.fee_ttc)) : "";
    return suspense(fmt::format("amount {} for {} is above what customer {} owes ({}{}: at most {})",
                                format_amount(s.entry.amount), inv.number, inv.customer.code,
                                format_amount(inv.customer.owed), fee, format_amount(limit)));
  }
  d.pay = true;
  return d;
}

Cents decide_suspense_part(std::int64_t id, Date line_date, Cents open_amount, Cents amount,
                           std::optional<Cents> asked, Date today) {
  if (today < line_date)
    throw refused("B2", "suspense line {} is dated {}, after the business date {}", id, format_date(line_date),
                  format_date(today));
  const Cents part = asked ? *asked : open_amount;
  if (part > open_amount)
    throw refused("B2", "amount {} is above what is open of suspense line {}: {} of {}", format_amount(part), id,
                  format_amount(open_amount), format_amount(amount));
  return part;
}

}  // namespace tally
