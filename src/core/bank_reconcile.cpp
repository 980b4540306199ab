// B1: a bank statement's entries add up from its opening to its closing balance.
#include "core/bank_internal.hpp"
#include "tally/errors.hpp"

namespace tally::bank {

Reconciliation reconcile(const Statement& s) {
  Reconciliation r;
  r.count = s.entries.size();
  Cents net = 0;
  for (const Entry& e : s.entries) {
    if (e.direction == Direction::credit) {
      ++r.credits;
      r.credit_total += e.amount;
    } else {
      ++r.debits_skipped;
      r.debit_total += e.amount;
    }
    net += e.signed_amount();
  }
  r.empty = s.entries.empty();
  if (s.opening && s.closing) {
    r.opening = s.opening->amount;
    r.closing = s.closing->amount;
    const Cents computed = r.opening + net;
    if (computed != r.closing) {
      throw refused("B1",
                    "{} does not reconcile: opening balance {} + credits {} - debits {} = {}, but its closing "
                    "balance is {} (gap {}); a statement is imported whole or not at all",
                    s.label(), format_amount(r.opening), format_amount(r.credit_total),
                    format_amount(r.debit_total), format_amount(computed), format_amount(r.closing),
                    format_amount(r.closing - computed));
    }
    r.checked = true;
  } else if (s.closing) {
    r.closing = s.closing->amount;
    r.opening = r.closing - net;
    r.note = fmt::format("{} gives no opening balance: derived as {} from the closing balance; B1 cannot "
                         "detect a missing entry",
                         to_string(s.format), format_amount(r.opening));
  } else if (s.opening) {
    r.opening = s.opening->amount;
    r.closing = r.opening + net;
    r.note = fmt::format("{} gives no closing balance: B1 cannot detect a missing entry", to_string(s.format));
  } else {
    r.closing = net;
    r.note = fmt::format("{} gives no balances: B1 cannot detect a missing entry", to_string(s.format));
  }
  if (r.empty) {
    const std::string empty = "empty statement: nothing to import";
    r.note = r.note.empty() ? empty : empty + "; " + r.note;
  }
  return r;
}

}  // namespace tally::bank
