// B2: whether a credit entry of a bank statement pays the invoice it names, or
// goes to suspense with its reason. Pure: the ledger reads the snapshot (the
// invoice, its customer, what it owes, the fee the payment would trigger) and
// records what decide_match returns (src/ledger/import.cpp).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "tally/calendar.hpp"
#include "tally/money.hpp"

namespace tally {

// The invoice's customer as B2 sees it.
struct MatchCustomer {
  std::string code;
  std::vector<std::string> names;  // its name and legal name (either may match the payer)
  std::vector<std::string> ibans;  // its known IBANs (electronic form)
  Cents owed = 0;                  // the balances of all its invoices (this one included)
};

// The one invoice the entry names, as the ledger holds it.
struct MatchInvoice {
  std::string number;
  MatchCustomer customer;
  Cents balance = 0;
  Cents fee_ttc = 0;  // the P2 fee incl. VAT this payment would trigger (P3: paid with it)
};

// The entry as the bank gave it.
struct MatchEntry {
  Cents amount = 0;            // a credit, > 0
  std::string payer_name;      // "" when the statement does not say
  std::string payer_iban;      // "" when the statement does not say
  std::string currency;        // "" when the statement does not say (then EUR)
  bool reversal = false;       // the bank's reversal of an earlier entry
};

struct MatchSnapshot {
  MatchEntry entry;
  // The invoice numbers named by the remittance information (structured
  // creditor reference, end-to-end id, free text), distinct.
  std::vector<std::string> invoices;
  // When exactly one number is named: the ledger's invoice, none if unknown.
  std::optional<MatchInvoice> invoice;
  // The customers (codes) that know entry.payer_iban, any of them.
  std::vector<std::string> iban_owners;
};

struct MatchDecision {
  bool pay = false;     // true: pay `invoice` with the entry's amount
  std::string invoice;  // the invoice named (when there is exactly one)
  std::string reason;   // suspense: "B2: why", naming the values
};

// B2, in this order (the first failing test is the reason):
// - the entry is a payment in EUR: not a reversal, currency "" or EUR;
// - it names exactly one invoice number, and that invoice exists;
// - the payer is consistent with the invoice's customer (payer_consistent);
// - its amount does not exceed what the customer owes, counting the fee the
//   payment itself triggers: amount <= owed + fee_ttc.
MatchDecision decide_match(const MatchSnapshot& s);

// Why the payer is not the customer, "" when it is consistent with it:
// 1. the payer IBAN is one of the customer's: consistent;
// 2. the payer IBAN is another customer's: not;
// 3. a payer name is given: consistent iff it matches one of the customer's
//    names (payer_name_matches);
// 4. no name, a payer IBAN, and the customer has known IBANs: not;
// 5. otherwise (the statement says nothing about the payer, or only an IBAN
//    that no customer is known by): nothing contradicts it, consistent.
std::string payer_problem(const MatchEntry& e, const MatchCustomer& c, const std::vector<std::string>& iban_owners);

// Whether a payer name as a bank writes it names the same company as `name`:
// both are cut into words (letters and digits, accents and case ignored) less
// legal forms (SAS, SARL, SA, GMBH, LTD, INC...), and every word of one is a
// word of the other, a word of 3 letters or more also matching a word it
// begins (banks cut names: "GLOBEX GMB", "ACME SOLUT"). Empty words: false.
bool payer_name_matches(std::string_view payer, std::string_view name);

// B2: how much of suspense line `id` (dated `line_date`, `open_amount` of
// `amount` still open) an assignment on business date `today` settles:
// `asked`, or all that is open. Refused: a line dated after `today`, or more
// than is open.
Cents decide_suspense_part(std::int64_t id, Date line_date, Cents open_amount, Cents amount,
                           std::optional<Cents> asked, Date today);

// An IBAN in electronic form: spaces removed, letters upper case.
std::string iban_key(std::string_view iban);

}  // namespace tally
