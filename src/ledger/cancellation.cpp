// Cancellation in the ledger (C1-C4): the letter on each subscription, its
// effective date, and the balance statement communicated to the customer.
#include "tally/cancellation.hpp"

#include <map>

#include <nlohmann/json.hpp>

#include "ledger/impl.hpp"
#include "ledger/rows.hpp"
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
  const Row r(q);
  while (q.executeStep()) out[r.int64("subscription_id")].push_back(r.date("period_first"));
  return out;
}

// C4: a credit note issued for the days of an invoiced cycle after the
// effective date, with what it lowered the invoice's balance by and what went
// to the customer's credit (the invoice was paid).
struct EndCredit {
  Invoice note;
  std::string invoice;  // the number it cites
  Cents applied = 0;
  Cents to_credit = 0;
};

// C4: credits by day, on each invoiced cycle of subscription s that runs past
// its effective date, the days after it: what subscription_cycle_lines bills
// with the end date against what it billed without (standby days reduced in
// both), at most what remains uncredited (settle_invoiced_cycle, I3). A cycle
// voided by hand is left alone. Runs inside a write.
std::vector<EndCredit> credit_days_after_end(Ledger& ledger, const Customer& c, const Subscription& s, Date today) {
  auto& q = impl_of(ledger).stmt(
      "SELECT number, period_first, period_last FROM invoice WHERE subscription_id = ?1 AND credit_note = 0 "
      "AND kind = 'subscription' AND period_first IS NOT NULL AND period_last > ?2 ORDER BY id");
  q.bind(1, s.id);
  q.bind(2, db_date(*s.end_date));
  std::vector<std::pair<std::string, Period>> cycles;
  const Row r(q);
  while (q.executeStep()) cycles.emplace_back(r.text("number"), Period{r.date("period_first"), r.date("period_last")});
  q.reset();
  std::vector<EndCredit> out;
  if (cycles.empty()) return out;
  const auto standbys = standby_periods(ledger, c.code);
  for (const auto& [number, period] : cycles) {
    const Policy policy = policy_at(ledger, month_first(period.first));  // the one the run priced it with (I5)
    const auto bill = [&](std::optional<Date> end) {
      return invoice_totals(subscription_cycle_lines(s.amount_ht, s.cycle, period, end, c.vat_rate, standbys, policy))
          .ht;
    };
    const Invoice inv = find_invoice(ledger, number, today);
    const CycleSettlement d = settle_cycle(impl_of(ledger), inv, c.vat_rate, bill(std::nullopt), bill(s.end_date));
    if (d.credit_ht <= 0) continue;
    const Date after = *s.end_date + date::days{1};
    const InvoiceLine line{fmt::format("Licence {} {} to {}: the days from {} to {}, after the effective date {}",
                                       to_string(s.cycle), format_date(period.first), format_date(period.last),
                                       format_date(std::max(after, period.first)), format_date(period.last),
                                       format_date(*s.end_date)),
                           100, d.credit_ht, d.credit_ht, c.vat_rate, "C4", ""};
    EndCredit e;
    e.invoice = number;
    e.note = issue_credit_note(ledger, number, {line}, today, "C4: cancellation effective " + format_date(*s.end_date),
                                      today);
    e.applied = std::min(e.note.total_ttc, std::max<Cents>(inv.balance, 0));
    e.to_credit = e.note.total_ttc - e.applied;
    out.push_back(std::move(e));
  }
  return out;
}

// C3: the statement of a customer whose subscriptions all carry their end
// date, evaluated on `today`. C4: each credit note of `credits` is a line of
// its own; the balances and the customer credit are shown before it.
Statement balance_statement(Ledger& ledger, const Customer& c, const std::vector<Subscription>& subs, Date today,
                            const std::vector<EndCredit>& credits) {
  std::vector<StatementLine> lines;
  InvoiceFilter f;
  f.customer = c.code;
  std::map<std::string, Cents> applied;  // by invoice number: lowered by a C4 credit note
  Cents to_credit = 0;
  for (const EndCredit& e : credits) {
    applied[e.invoice] += e.applied;
    to_credit += e.to_credit;
  }
  for (const Invoice& inv : list_invoices(ledger, f, today)) {
    if (inv.credit_note) continue;
    const auto a = applied.find(inv.number);
    const Cents before = inv.balance + (a == applied.end() ? 0 : a->second);
    if (before > 0)
      lines.push_back(StatementLine{fmt::format("Invoice {} of {}, due {}: balance", inv.number,
                                                format_date(inv.issue_date), format_date(inv.due_date)),
                                    before, "open-balance", "C3",
                                    fmt::format("Facture {} du {}, échéance le {} : solde", inv.number,
                                                french_date(inv.issue_date), french_date(inv.due_date))});
  }
  for (const EndCredit& e : credits)
    lines.push_back(StatementLine{fmt::format("Credit note {} on {}: the licence days after the effective date",
                                              e.note.number, e.invoice),
                                  -e.note.total_ttc, "credit-note", "C4",
                                  fmt::format("Avoir {} sur {} : les jours de licence après la date d'effet",
                                              e.note.number, e.invoice)});
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
    // L8: billed above what is owed now, credited by the next application.
    if (const Cents over = li.interest_overbilled() + li.indemnity_overbilled(); over > 0)
      lines.push_back(StatementLine{fmt::format("Penalties billed on {} above what is owed, to be credited", li.number),
                                    -over, "credit", "L8",
                                    fmt::format("Pénalités facturées sur {} au-delà du dû, à créditer", li.number)});
  }
  const auto invoiced = invoiced_cycle_starts(impl_of(ledger), c.id, today);
  const auto standbys = standby_periods(ledger, c.code);
  std::map<Date, Policy> policies;  // the policy of each billing month (I5 bills with it)
  for (const Subscription& s : subs) {
    const auto it = invoiced.find(s.id);
    for (const Period& p : cycles_not_invoiced(s.start, s.cycle, *s.end_date,
                                               it == invoiced.end() ? std::vector<Date>{} : it->second)) {
      const Date month = month_first(p.first);
      auto pol = policies.find(month);
      if (pol == policies.end()) pol = policies.emplace(month, policy_at(ledger, month)).first;
      lines.push_back(licence_due(s, p, *s.end_date, c.vat_rate, standbys, pol->second));
    }
  }
  return make_statement(today, std::move(lines), customer_credit(ledger, c.code, today) - to_credit);
}

}  // namespace

CancelResult cancel(Ledger& ledger, const CancelRequest& r) {
  const Customer c = find_customer(ledger, r.customer);
  check_letter_ref(r.letter_ref);
  if (r.letter_date > r.today)
    throw usage_error("invalid letter date {}: a letter cannot be received after the business date {}",
                      format_date(r.letter_date), format_date(r.today))
        .with(Hint::letter_date);
  CancelResult out;
  out.customer = c;
  ledger.write("cancel", [&] {
    auto& impl = impl_of(ledger);
    impl.check_open_period(r.letter_date, "cancellation");
    auto subs = list_subscriptions(ledger, c.code);
    check_cancellable(c.code, subs.size());
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
    std::vector<EndCredit> credits;
    for (const Subscription& s : out.subscriptions)
      for (auto& e : credit_days_after_end(ledger, c, s, r.today)) credits.push_back(std::move(e));
    out.statement = balance_statement(ledger, c, subs, r.today, credits);
    for (const EndCredit& e : credits) out.credit_notes.push_back(e.note);
    nlohmann::json ev{{"customer", c.code},
                      {"letter_date", format_date(r.letter_date)},
                      {"letter_ref", r.letter_ref},
                      {"effective_date", format_date(out.effective_date)},
                      {"subscriptions", nlohmann::json::array()},
                      {"total_due", format_amount(out.statement.total_due)}};
    for (const auto& s : out.subscriptions)
      ev["subscriptions"].push_back({{"id", s.id}, {"effective_date", format_date(*s.end_date)}});
    if (!credits.empty()) ev["credit_notes"] = nlohmann::json::array();
    for (const EndCredit& e : credits)
      ev["credit_notes"].push_back(
          {{"number", e.note.number}, {"cites", e.invoice}, {"total_ttc", format_amount(e.note.total_ttc)}});
    return ev.dump();
  });
  return out;
}

}  // namespace tally
