// B1: a bank statement's entries add up from its opening to its closing balance.
#include "core/bank_internal.hpp"
#include "tally/errors.hpp"

namespace tally::bank {

void EntryTotals::add(const Entry& e) {
  ++count;
  if (e.direction == Direction::credit) {
    ++credits;
    credit_total += e.amount;
  } else {
    ++debits;
    debit_total += e.amount;
  }
}

Reconciliation reconcile(const Statement& s) {
  EntryTotals t;
  for (const Entry& e : s.entries) t.add(e);
  return reconcile(s, t);
}

Reconciliation reconcile(const Statement& s, const EntryTotals& t) {
  Reconciliation r;
  r.count = t.count;
  r.credits = t.credits;
  r.credit_total = t.credit_total;
  r.debits_skipped = t.debits;
  r.debit_total = t.debit_total;
  const Cents net = t.credit_total - t.debit_total;
  r.empty = t.count == 0;
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
