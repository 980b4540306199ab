// B1 and the credit entries of bank statements as the import's lines.
#include <algorithm>
#include <optional>

#include "tally/errors.hpp"
#include "tally/import.hpp"
#include "tally/text.hpp"

namespace tally {
namespace {

// The remittance information as one label: the free text, then the
// structured creditor reference and the end-to-end id when the text does not
// already hold them.
std::string label_of(const bank::Entry& e) {
  std::string label = e.remittance;
  for (const std::string* part : {&e.creditor_reference, &e.end_to_end_id}) {
    if (part->empty() || *part == "NOTPROVIDED" || label.find(*part) != std::string::npos) continue;
    label += (label.empty() ? "" : " | ") + *part;
  }
  return label;
}

}  // namespace

std::optional<BankLine> bank_line(const bank::Statement& st, const bank::Entry& e, Date today, LineError& error) {
  BankLine l;
  l.line = e.line;
  l.date = e.booking_date;
  l.amount = e.amount;
  l.reference = e.reference;
  l.label = label_of(e);
  l.method = e.means;
  l.payer_name = e.payer_name;
  l.payer_iban = e.payer_iban;
  l.currency = st.currency;
  l.reversal = e.reversal;
  std::vector<std::string> reasons;
  collect_error(reasons, [&] {
    if (l.date > today)
      throw usage_error("date {} is after the business date {} (P6): a payment cannot be in the future",
                        format_date(l.date), format_date(today));
  });
  collect_error(reasons, [&] {
    if (l.amount <= 0) throw usage_error("invalid amount {}: a payment received is above 0.00", format_amount(l.amount));
  });
  collect_error(reasons, [&] { check_ref(l.reference); });
  collect_error(reasons, [&] { check_text(l.label, "remittance information", TextRule{kMaxNoteLength, true}); });
  collect_error(reasons, [&] { check_text(l.payer_name, "payer name", TextRule{kMaxNoteLength, true}); });
  collect_error(reasons, [&] { check_text(l.payer_iban, "payer IBAN", TextRule{64, true}); });
  if (!reasons.empty()) {
    std::string joined;
    for (const auto& r : reasons) joined += (joined.empty() ? "" : "; ") + r;
    error = {e.line, std::move(joined)};
    return std::nullopt;
  }
  l.invoices = invoice_numbers_in(l.label);
  return l;
}

BankFile bank_file_lines(bank::Format format, const std::vector<bank::Statement>& statements, Date today) {
  BankFile out;
  out.format = format;
  // B1 for every statement before any entry is read: a file is whole or refused.
  for (const auto& st : statements) {
    out.statements.push_back({st.label(), st.account, st.currency, bank::reconcile(st)});
    out.debits_skipped += out.statements.back().reconciliation.debits_skipped;
    out.debit_total += out.statements.back().reconciliation.debit_total;
  }
  for (const auto& st : statements) {
    for (const auto& e : st.entries) {
      if (e.direction != bank::Direction::credit) continue;  // B1: only credits are candidate payments
      LineError error;
      if (auto l = bank_line(st, e, today, error)) out.statement.lines.push_back(std::move(*l));
      else out.statement.errors.push_back(std::move(error));
    }
  }
  std::stable_sort(out.statement.errors.begin(), out.statement.errors.end(),
                   [](const LineError& a, const LineError& b) { return a.line < b.line; });
  return out;
}

}  // namespace tally
