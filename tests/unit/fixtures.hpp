// Shared fixtures of the ledger tests.
#pragma once

#include <functional>
#include <string>

#include "tally/errors.hpp"
#include "tally/ledger.hpp"

namespace tally::test {

// A date written as in RULES.md: d("2026-01-31").
inline Date d(const char* s) { return parse_date(s); }

// The exit code f fails with (ExitCode::ok when it does not throw).
inline ExitCode code_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const Error& e) {
    return e.code();
  }
  return ExitCode::ok;
}

// "accepted", or the rule of the refusal f throws (other errors: "exit N").
inline std::string outcome(const std::function<void()>& f) {
  try {
    f();
  } catch (const Error& e) {
    if (e.code() == ExitCode::refused) return e.rule();
    return "exit " + std::to_string(static_cast<int>(e.code()));
  }
  return "accepted";
}

// An in-memory ledger with one customer, acme: 20 % VAT, terms 30 days,
// created 2026-01-01.
inline Ledger ledger_with_acme() {
  Ledger l = Ledger::memory();
  Customer c;
  c.code = "acme";
  c.name = "ACME";
  c.vat_rate = percent(20);
  c.terms_days = 30;
  add_customer(l, c, parse_date("2026-01-01"));
  return l;
}

}  // namespace tally::test
