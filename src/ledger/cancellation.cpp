// Cancellation in the ledger (C1-C4): the letter on each subscription, its
// effective date, and the balance statement communicated to the customer.
#include "tally/cancellation.hpp"

#include <map>

#include <nlohmann/json.hpp>

#include "ledger/impl.hpp"
#include "tally/document.hpp"
#include "tally/errors.hpp"
#include "tally/overdue.hpp"

namespace tally {
namespace {

// The first days of the subscription cycles invoiced on or before d, by subscription.
std::map<std::int64_t, std::vector<Date>> invoiced_cycle_starts(Ledger::Impl& impl, std::int64_t customer_id, Date d) {
  auto& q = impl.stmt(
      "SELECT i.subscription_id, i.period_first FROM invoice i "
      "WHERE i.customer_id = ?1 AND i.issue_date <= ?2 AND i.credit_note = 0 AND i.kind = 'subscription' "
      "AND i.subscription_id IS NOT NULL AND i.period_first IS NOT NULL");
  q.bind(1, customer_id);
  q.bind(2, db_date(d));
  std::map<std::int64_t, std::vector<Date>> out;
  while (q.executeStep()) out[q.getColumn(0).getInt64()].push_back(parse_date(q.getColumn(1).getString()));
  return out;
}

// C3: the statement of a customer whose subscriptions all carry their end
// date, evaluated on `today`.
Statement balance_statement(Ledger& ledger, const Customer& c, const std::vector<Subscription>& subs, Date today) {
  std::vector<StatementLine> lines;
  InvoiceFilter f;
  f.customer = c.code;
  for (const Invoice& inv : ledger.invoices(f, today))
    if (!inv.credit_note && inv.balance > 0)
      lines.push_back(StatementLine{fmt::format("Invoice {} of {}, due {}: balance", inv.number,
                                                format_date(inv.issue_date), format_date(inv.due_date)),
                                    inv.balance, "open-balance", "C3",
                                    fmt::format("Facture {} du {}, échéance le {} : solde", inv.number,
                                                french_date(inv.issue_date), french_date(inv.due_date))});
  for (const LateInvoice& li : late_invoices(ledger, today, c.code)) {
    if (li.interest_unbilled() > 0)
      lines.push_back(StatementLine{fmt::format("Late-payment interest on {}, accrued and not yet billed", li.number),
                                    li.interest_unbilled(), "interest", "L4",
                                    fmt::format("Intérêts de retard sur {}, courus et non encore facturés", li.number)});
    if (li.indemnity_unbilled() > 0)
      lines.push_back(StatementLine{fmt::format("Recovery indemnity on {}, not yet billed", li.number),
                                    li.indemnity_unbilled(), "indemnity", "L5",
                                    fmt::format("Indemnité forfaitaire pour frais de recouvrement sur {}, non encore "
                                                "facturée",
                                                li.number)});
  }
  const auto invoiced = invoiced_cycle_starts(ledger.impl(), c.id, today);
  const auto standbys = ledger.standby_periods(c.code);
  std::map<Date, Policy> policies;  // the policy of each billing month (I5 bills with it)
  for (const Subscription& s : subs) {
    const auto it = invoiced.find(s.id);
    for (const Period& p : cycles_not_invoiced(s.start, s.cycle, *s.end_date,
                                               it == invoiced.end() ? std::vector<Date>{} : it->second)) {
      const Date month = month_first(p.first);
      auto pol = policies.find(month);
      if (pol == policies.end()) pol = policies.emplace(month, ledger.policy_at(month)).first;
      lines.push_back(licence_due(s, p, *s.end_date, c.vat_rate, standbys, pol->second));
    }
  }
  return make_statement(today, std::move(lines), ledger.credit(c.code, today));
}

}  // namespace

CancelResult cancel(Ledger& ledger, const CancelRequest& r) {
  const Customer c = ledger.customer(r.customer);
  check_letter_ref(r.letter_ref);
  if (r.letter_date > r.today)
    throw usage_error("invalid --letter-date {}: a letter cannot be received after the business date {}",
                      format_date(r.letter_date), format_date(r.today));
  CancelResult out;
  out.customer = c;
  ledger.write("cancel", [&] {
    auto& impl = ledger.impl();
    impl.check_open_period(r.letter_date, "cancellation");
    auto subs = ledger.subscriptions(c.code);
    if (subs.empty()) throw refused("C2", "cancellation for '{}' refused: it has no subscription", c.code);
    auto& up = impl.stmt("UPDATE subscription SET letter_date = ?, letter_ref = ?, end_date = ? WHERE id = ?");
    for (Subscription& s : subs) {
      if (s.letter_date) continue;  // C4: a subscription is cancelled once
      s.letter_date = r.letter_date;
      s.letter_ref = r.letter_ref;
      s.end_date = cancellation_effective_date(s.start, s.commitment_months, s.notice_months, r.letter_date);
      up.reset();
      up.clearBindings();
      up.bind(1, db_date(r.letter_date));
      up.bind(2, r.letter_ref);
      up.bind(3, db_date(*s.end_date));
      up.bind(4, s.id);
      up.exec();
      out.subscriptions.push_back(s);
      if (out.subscriptions.size() == 1 || *s.end_date > out.effective_date) out.effective_date = *s.end_date;
    }
    if (out.subscriptions.empty())
      throw conflict("'{}' is already cancelled: letter {} received {}, effective {}", c.code, subs.back().letter_ref,
                     format_date(*subs.back().letter_date), format_date(*subs.back().end_date));
    out.statement = balance_statement(ledger, c, subs, r.today);
    nlohmann::json ev{{"customer", c.code},
                      {"letter_date", format_date(r.letter_date)},
                      {"letter_ref", r.letter_ref},
                      {"effective_date", format_date(out.effective_date)},
                      {"subscriptions", nlohmann::json::array()},
                      {"total_due", format_amount(out.statement.total_due)}};
    for (const auto& s : out.subscriptions)
      ev["subscriptions"].push_back({{"id", s.id}, {"effective_date", format_date(*s.end_date)}});
    return ev.dump();
  });
  return out;
}

}  // namespace tally
