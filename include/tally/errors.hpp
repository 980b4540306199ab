// Errors of libtally and the exit codes of the command-line contract (CLI.md).
#pragma once

#include <stdexcept>
#include <string>
#include <utility>

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

// A failure with the exit code it maps to and, when a policy rule refused, the
// rule ID (RULES.md). The message names the offending value and what is accepted.
class Error : public std::runtime_error {
 public:
  Error(ExitCode code, std::string message, std::string rule = {})
      : std::runtime_error(std::move(message)), code_(code), rule_(std::move(rule)) {}
  ExitCode code() const { return code_; }
  const std::string& rule() const { return rule_; }

 private:
  ExitCode code_;
  std::string rule_;
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

}  // namespace tally
