// B2: suspense lines assigned to an invoice or dismissed, each decision one
// journaled write.
#include "tally/suspense.hpp"

#include <nlohmann/json.hpp>

#include "ledger/impl.hpp"
#include "tally/errors.hpp"
#include "tally/matching.hpp"
#include "tally/text.hpp"

namespace tally {
namespace {

// The line as of `today`, which must still be open (Error conflict).
SuspenseLine open_line(Ledger& ledger, std::int64_t id, Date today, std::string_view doing) {
  SuspenseLine l = suspense_line(ledger, id, today);
  if (l.status != SuspenseStatus::open)
    throw conflict("suspense line {} is already {} ({}): nothing left to {}", id, to_string(l.status),
                   l.actions.empty() ? std::string() : format_date(l.actions.back().date), doing);
  decide_suspense_part(id, l.date, l.open_amount, l.amount, std::nullopt, today);  // B2: not after today
  return l;
}

void insert_action(Ledger::Impl& impl, std::int64_t id, std::string_view action, Date date, Cents amount,
                   std::optional<std::int64_t> payment_id, const std::string& reason) {
  auto& ins = impl.stmt(
      "INSERT INTO suspense_action(suspense_id, action, date, amount, payment_id, reason) VALUES (?, ?, ?, ?, ?, ?)");
  ins.bind(1, id);
  ins.bind(2, std::string(action));
  ins.bind(3, db_date(date));
  ins.bind(4, amount);
  if (payment_id) ins.bind(5, *payment_id);
  ins.bind(6, reason);
  ins.exec();
}

}  // namespace

SuspenseAssignment assign_suspense(Ledger& ledger, std::int64_t id, std::string_view invoice,
                                   std::optional<Cents> amount, Date today) {
  if (amount && *amount <= 0)
    throw usage_error("invalid amount '{}': an assignment is above 0.00", format_amount(*amount));
  SuspenseAssignment out;
  ledger.write("suspense.assign", [&] {
    const SuspenseLine l = open_line(ledger, id, today, "assign");
    const Cents part = decide_suspense_part(id, l.date, l.open_amount, l.amount, amount, today);
    int n = 1;
    for (const auto& a : l.actions) n += a.action == "assign" ? 1 : 0;
    std::string ref = fmt::format("{}#s{}", l.reference, n);
    if (utf8_chars(ref) > kMaxRefLength) ref = fmt::format("suspense-{}#s{}", id, n);
    PaymentRequest r;
    r.invoice = std::string(invoice);
    r.method = l.method;
    r.amount = part;
    r.date = l.date;
    r.today = today;
    r.ref = ref;
    r.detail = l.label.empty() ? l.reference : l.label;
    out.payment = pay(ledger, r);
    insert_action(impl_of(ledger), id, "assign", today, part, out.payment.payment.id, "");
    out.line = suspense_line(ledger, id, today);
    return nlohmann::json{{"line", id},
                          {"reference", l.reference},
                          {"invoice", out.payment.payment.invoice},
                          {"amount", format_amount(part)},
                          {"payment", out.payment.payment.id},
                          {"date", format_date(today)},
                          {"open_after", format_amount(out.line.open_amount)}}
        .dump();
  });
  return out;
}

SuspenseLine dismiss_suspense(Ledger& ledger, std::int64_t id, std::string reason, Date today) {
  check_text(reason, "dismissal reason", TextRule{kMaxNoteLength, false});
  SuspenseLine out;
  ledger.write("suspense.dismiss", [&] {
    const SuspenseLine l = open_line(ledger, id, today, "dismiss");
    impl_of(ledger).check_open_period(today, "suspense dismissal");
    insert_action(impl_of(ledger), id, "dismiss", today, l.open_amount, std::nullopt, reason);
    out = suspense_line(ledger, id, today);
    return nlohmann::json{{"line", id},
                          {"reference", l.reference},
                          {"amount", format_amount(l.open_amount)},
                          {"reason", reason},
                          {"date", format_date(today)}}
        .dump();
  });
  return out;
}

}  // namespace tally
