// The ledger's verbs of customers and their subscriptions: who is billed, on
// which terms, from which accounts. The records are in tally/records.hpp, the
// identity on documents in tally/einvoice.hpp.
// Included by tally/ledger.hpp (every verb of the ledger, one interface).
//
// Renamed from the former Ledger members, so that the verb does not read like
// a variable: customer -> find_customer, customers -> list_customers,
// credit -> customer_credit, balance -> customer_balance, subscription ->
// find_subscription, subscriptions -> list_subscriptions.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "tally/calendar.hpp"
#include "tally/einvoice.hpp"
#include "tally/ledger.hpp"
#include "tally/money.hpp"
#include "tally/records.hpp"

namespace tally {

// The longest customer name accepted (characters), checked by add_customer
// with check_text (tally/text.hpp), as the e-mail with check_email.
inline constexpr std::size_t kMaxCustomerNameLength = 200;

// ---- Customers ----

// Throws Error(conflict) if the code exists, Error(usage) for a bad code, a
// name that is not people's text (check_text) of at most
// kMaxCustomerNameLength characters or an e-mail check_email refuses,
// Error(refused) for terms over the cap (I4).
Customer add_customer(Ledger& ledger, Customer c, Date today);

// The customer of that code. Throws Error(not_found).
Customer find_customer(Ledger& ledger, std::string_view code);

// Every customer, by code.
std::vector<Customer> list_customers(Ledger& ledger);

// The customer's identity on documents (legal name defaults to its name).
// Throws Error(not_found).
BuyerIdentity customer_identity(Ledger& ledger, std::string_view code);

// Sets one key of customer_params() (checked, E4) and journals the change.
// Throws Error(not_found), Error(usage). Returns the identity after it.
BuyerIdentity set_customer(Ledger& ledger, std::string_view code, std::string_view key, std::string_view value);

// B2: the IBANs the customer is known to pay from: its document IBAN (key
// iban, when set) first, then the ones added, in order. Throws Error(not_found).
std::vector<std::string> customer_ibans(Ledger& ledger, std::string_view code);

// B2: adds a known payer IBAN to the customer (checked, E4; stored in
// electronic form), or removes one added (not the document IBAN: set_customer).
// Adding one already known, or removing one not known, changes nothing and
// returns false. Throws Error(not_found), Error(usage).
bool set_customer_iban(Ledger& ledger, std::string_view code, std::string_view iban, bool remove, Date today);

// Customer credit available on day d (P3).
Cents customer_credit(Ledger& ledger, std::string_view customer_code, Date d);

// What the customer owes on day d: the balances of its invoices issued by
// then (credit notes and payments counted as of d). One query, not a listing.
Cents customer_balance(Ledger& ledger, std::string_view customer_code, Date d);

// ---- Subscriptions ----

// Throws Error(usage) for an amount <= 0, a commitment outside 1..120 months or
// a notice outside 0..120 months, Error(not_found) for an unknown customer.
Subscription add_subscription(Ledger& ledger, Subscription s);

// Throws Error(not_found).
Subscription find_subscription(Ledger& ledger, std::int64_t id);

// Every subscription (of one customer when given), by id. Throws
// Error(not_found) for an unknown customer.
std::vector<Subscription> list_subscriptions(Ledger& ledger, std::optional<std::string> customer = {});

}  // namespace tally
