// Shared fixtures of the ledger tests.
#pragma once

#include "tally/ledger.hpp"

namespace tally::test {

// An in-memory ledger with one customer, acme: 20 % VAT, terms 30 days,
// created 2026-01-01.
inline Ledger ledger_with_acme() {
  Ledger l = Ledger::memory();
  Customer c;
  c.code = "acme";
  c.name = "ACME";
  c.vat_rate = percent(20);
  c.terms_days = 30;
  l.add_customer(c, parse_date("2026-01-01"));
  return l;
}

}  // namespace tally::test
