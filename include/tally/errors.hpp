// Errors of libtally and the exit codes of the command-line contract (CLI.md).
#pragma once

#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include <fmt/format.h>

namespace tally {

// The exit codes of CLI.md; every failure of libtally carries one.
enum class ExitCode : int {
  ok = 0,
  internal = 1,   // internal or I/O failure (nothing half-written)
  usage = 2,      // usage error or malformed input
  not_found = 3,  // customer, invoice, payment, ledger file
  refused = 4,    // refused by the policy
  conflict = 5,   // already exists, already cancelled, other details
  busy = 6,       // another writer held the ledger past the timeout
  integrity = 7,  // verify found a broken item
};

// Where the value an error speaks of comes from, for a front end to say how
// to give it. libtally's messages name values, never a command or an option:
// the command line adds its own words for the hint (src/cli/hints.cpp).
enum class Hint {
  none,
  as_of,           // the business date
  force,           // an existing file may be replaced on request
  init,            // no ledger yet: create one or name another
  seller_set,      // a key of the seller's identity is missing
  quote_feature,   // feature development is quoted, not an intervention
  from_credit,     // paying from customer credit
  detail,          // what a payment by other means was
  reason,          // why (a reversal)
  overdue_report,  // evaluating an earlier date without applying
  letter_ref,      // the registered letter's postal reference
  letter_date,     // the registered letter's reception date
  requested,       // the date of a standby request
  month,           // the month of a report
  until,           // the last day of a standby
  standby_list,    // the standbys of a customer
  name,            // a customer's name
  invoice_lines,   // what an invoice bills
  customer_list,   // the customers there are
  invoice_list,    // the invoices there are
  payment_list,    // the payments there are
  subscription_list,  // the subscriptions there are
  suspense_report,    // the suspense lines there are
};

// A failure with the exit code it maps to and, when a policy rule refused, the
// rule ID (RULES.md). The message names the offending value and what is accepted.
class Error : public std::runtime_error {
 public:
  Error(ExitCode code, std::string message, std::string rule = {})
      : std::runtime_error(std::move(message)), code_(code), rule_(std::move(rule)) {}
  ExitCode code() const { return code_; }
  const std::string& rule() const { return rule_; }
  Hint hint() const { return hint_; }
  // The same failure with a hint for the front end: throw usage_error(...).with(Hint::as_of).
  Error with(Hint h) && {
    hint_ = h;
    return std::move(*this);
  }

 private:
  ExitCode code_;
  std::string rule_;
  Hint hint_ = Hint::none;
};

template <typename... Args>
Error usage_error(fmt::format_string<Args...> f, Args&&... args) {
  return Error(ExitCode::usage, fmt::format(f, std::forward<Args>(args)...));
}
template <typename... Args>
Error not_found(fmt::format_string<Args...> f, Args&&... args) {
  return Error(ExitCode::not_found, fmt::format(f, std::forward<Args>(args)...));
}
template <typename... Args>
Error conflict(fmt::format_string<Args...> f, Args&&... args) {
  return Error(ExitCode::conflict, fmt::format(f, std::forward<Args>(args)...));
}
// A policy refusal: the message is prefixed with the rule ID that refused.
template <typename... Args>
Error refused(const char* rule, fmt::format_string<Args...> f, Args&&... args) {
  return Error(ExitCode::refused,
               fmt::format("{}: {}", rule, fmt::format(f, std::forward<Args>(args)...)),
               rule);
}

// Runs f; the message of an Error it throws is appended to `reasons`
// instead: every check of a bank line runs, and the line is refused once with
// all of its reasons.
template <typename F>
void collect_error(std::vector<std::string>& reasons, F&& f) {
  try {
    f();
  } catch (const Error& e) {
    reasons.push_back(e.what());
  }
}

}  // namespace tally
