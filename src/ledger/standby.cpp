// Standby in the ledger (S1-S5, C4): recording, early end, listing, and the
// credit notes or invoices that settle cycles already invoiced (S3).
#include "tally/standby.hpp"

#include <algorithm>

#include <nlohmann/json.hpp>

#include "ledger/impl.hpp"
#include "ledger/rows.hpp"
#include "tally/errors.hpp"

namespace tally {
namespace {

constexpr const char* kStandbySelect =
    "SELECT s.id, c.code, s.reason, s.requested, s.first_day, s.last_day, s.ended_early, s.decision "
    "FROM standby s JOIN customer c ON c.id = s.customer_id ";

// A row of kStandbySelect.
Standby read_standby(const Row& r) {
  Standby s;
  s.id = r.int64("id");
  s.customer = r.text("code");
  s.reason = parse_standby_reason(r.text("reason"));
  s.requested = r.date("requested");
  s.first_day = r.date("first_day");
  s.last_day = r.date("last_day");
  s.ended_early = r.optional_date("ended_early");
  s.decision = r.text("decision");
  return s;
}

nlohmann::json event_of(const Standby& s) {
  return {{"id", s.id},
          {"customer", s.customer},
          {"reason", to_string(s.reason)},
          {"requested", format_date(s.requested)},
          {"first_day", format_date(s.first_day)},
          {"last_day", format_date(s.last_day)},
          {"ended_early", s.ended_early ? nlohmann::json(format_date(*s.ended_early)) : nlohmann::json(nullptr)}};
}

// A subscription cycle already invoiced.
struct InvoicedCycle {
  std::string number;
  std::int64_t subscription_id = 0;
  Period period;
  Date issue_date;
};

// The customer's subscription invoices whose cycle holds a day of `span`.
std::vector<InvoicedCycle> invoiced_cycles(Ledger::Impl& impl, std::int64_t customer_id, Period span) {
  auto& q = impl.stmt(
      "SELECT i.number, i.subscription_id, i.period_first, i.period_last, i.issue_date FROM invoice i "
      "WHERE i.customer_id = ? AND i.credit_note = 0 AND i.kind = 'subscription' AND i.subscription_id IS NOT NULL "
      "AND i.period_first <= ? AND i.period_last >= ? ORDER BY i.id");
  q.bind(1, customer_id);
  q.bind(2, db_date(span.last));
  q.bind(3, db_date(span.first));
  std::vector<InvoicedCycle> out;
  const Row r(q);
  while (q.executeStep())
    out.push_back(InvoicedCycle{r.text("number"), r.int64("subscription_id"),
                                Period{r.date("period_first"), r.date("period_last")}, r.date("issue_date")});
  return out;
}

// S3: the standby periods went from `before` to `after`, changing the days of
// `span`. Every cycle already invoiced that holds one of those days has been
// billed what subscription_cycle_lines gives for `before`; settles the
// difference with what it gives for `after`: a credit note citing the cycle's
// invoice when less is owed, an invoice (kind subscription, rule S3) when more
// is. Runs inside a write. Returns the documents issued.
std::vector<Invoice> settle_invoiced_cycles(Ledger& ledger, const Customer& c, Period span,
                                            const std::vector<Period>& before, const std::vector<Period>& after,
                                            Date today, const std::string& why) {
  std::vector<Invoice> issued;
  const auto cycles = invoiced_cycles(impl_of(ledger), c.id, span);
  if (cycles.empty()) return issued;
  const auto subs = list_subscriptions(ledger, c.code);
  for (const InvoicedCycle& ic : cycles) {
    const auto s =
        std::find_if(subs.begin(), subs.end(), [&](const Subscription& x) { return x.id == ic.subscription_id; });
    // The policy the billing run priced the cycle with: the one of its first month (I5).
    const Policy policy = policy_at(ledger, month_first(ic.period.first));
    auto bill = [&](const std::vector<Period>& periods) {
      return invoice_totals(subscription_cycle_lines(s->amount_ht, s->cycle, ic.period, s->end_date, c.vat_rate,
                                                     periods, policy))
          .ht;
    };
    const CycleSettlement d =
        settle_cycle(impl_of(ledger), find_invoice(ledger, ic.number, today), c.vat_rate, bill(before), bill(after));
    if (d.credit_ht == 0 && d.invoice_ht == 0) continue;
    const int days = days_between(ic.period.first, ic.period.last) + 1;
    const std::string what =
        fmt::format("Licence {} {} to {}: standby days {}/{} -> {}/{} at {} %", to_string(s->cycle),
                    format_date(ic.period.first), format_date(ic.period.last), standby_days(ic.period, before), days,
                    standby_days(ic.period, after), days, format_rate(policy.standby_rate));
    const Cents amount = d.credit_ht > 0 ? d.credit_ht : d.invoice_ht;
    const InvoiceLine line{what, 100, amount, amount, c.vat_rate, "S3", ""};
    if (d.credit_ht > 0) {
      issued.push_back(issue_credit_note(ledger, ic.number, {line}, today, "S3: " + why, today));
    } else {
      NewInvoice n;
      n.customer = c.code;
      n.kind = InvoiceKind::subscription;
      n.issue_date = today;
      n.business_date = today;
      n.subscription_id = s->id;
      n.lines.push_back(line);
      n.lines.back().description = fmt::format("{} ({}, cycle invoiced on {})", what, why, ic.number);
      issued.push_back(issue_invoice(ledger, n));
    }
  }
  return issued;
}

nlohmann::json numbers(const std::vector<Invoice>& docs) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& d : docs) out.push_back(d.number);
  return out;
}

// C4: the last day of the customer's contract when every subscription is
// cancelled; none while one runs on.
std::optional<Date> contract_end(const std::vector<Subscription>& subs) {
  std::optional<Date> end;
  for (const auto& s : subs) {
    if (!s.end_date) return std::nullopt;
    if (!end || *s.end_date > *end) end = s.end_date;
  }
  return end;
}

}  // namespace

StandbyResult start_standby(Ledger& ledger, const StandbyRequest& r) {
  const Customer c = find_customer(ledger, r.customer);
  const StandbyReason reason = parse_standby_reason(r.reason);
  if (r.requested > r.today)
    throw usage_error("invalid request date {}: a request cannot be dated after the business date {}",
                      format_date(r.requested), format_date(r.today))
        .with(Hint::requested);
  StandbyResult out;
  // Checked inside the write, so that a concurrent writer cannot slip in between.
  ledger.write("standby.start", [&] {
    auto& impl = impl_of(ledger);
    const auto subs = list_subscriptions(ledger, c.code);
    const Policy policy = policy_at(ledger, r.first_day);
    const Date last = decide_standby_last_day(c.code, subs.size(), r.first_day, r.last_day,
                                              standby_max_last_day(r.first_day, policy), contract_end(subs));
    const auto before = standby_periods(ledger, c.code);
    const Period request{r.first_day, last};
    check_standby(request, before, policy);
    impl.check_open_period(r.first_day, "standby");
    auto& ins = impl.stmt(
        "INSERT INTO standby(customer_id, reason, requested, first_day, last_day, decision) "
        "VALUES (?, ?, ?, ?, ?, 'accepted')");
    ins.bind(1, c.id);
    ins.bind(2, std::string(to_string(reason)));
    ins.bind(3, db_date(r.requested));
    ins.bind(4, db_date(r.first_day));
    ins.bind(5, db_date(last));
    ins.exec();
    out.standby = Standby{impl.db.getLastInsertRowid(), c.code, reason, r.requested, r.first_day, last,
                          std::nullopt, "accepted"};
    auto after = before;
    after.push_back(request);
    out.documents = settle_invoiced_cycles(
        ledger, c, request, before, after, r.today,
        fmt::format("standby {} to {}", format_date(request.first), format_date(request.last)));
    auto ev = event_of(out.standby);
    ev["documents"] = numbers(out.documents);
    return ev.dump();
  });
  return out;
}

StandbyResult end_standby(Ledger& ledger, std::string_view customer, Date last_day, Date today) {
  const Customer c = find_customer(ledger, customer);
  const auto all = standbys(ledger, c.code);
  const auto it = std::find_if(all.begin(), all.end(), [&](const Standby& s) {
    return s.first_day <= last_day && last_day <= s.billed_last();
  });
  if (it == all.end())
    throw not_found("no standby of '{}' holds {}: the last day in standby must be within one", c.code,
                    format_date(last_day))
        .with(Hint::standby_list);
  StandbyResult out{*it, {}};
  if (last_day == it->billed_last()) return out;  // already ends that day: nothing to change
  const Period changed{last_day + date::days{1}, it->billed_last()};
  ledger.write("standby.end", [&] {
    auto& impl = impl_of(ledger);
    impl.check_open_period(changed.first, "standby end");
    const auto before = standby_periods(ledger, c.code);
    auto& up = impl.stmt("UPDATE standby SET ended_early = ? WHERE id = ?");
    up.bind(1, db_date(last_day));
    up.bind(2, it->id);
    up.exec();
    out.standby.ended_early = last_day;
    out.documents = settle_invoiced_cycles(ledger, c, changed, before, standby_periods(ledger, c.code), today,
                                           fmt::format("standby ended early on {}", format_date(last_day)));
    auto ev = event_of(out.standby);
    ev["documents"] = numbers(out.documents);
    return ev.dump();
  });
  return out;
}

std::vector<Standby> standbys(Ledger& ledger, std::optional<std::string> customer) {
  auto& impl = impl_of(ledger);
  std::vector<Standby> out;
  if (customer) {
    const auto cid = impl.customer_id(*customer);
    auto& q = impl.stmt(std::string(kStandbySelect) + "WHERE s.customer_id = ? ORDER BY s.first_day");
    q.bind(1, cid);
    const Row r(q);
    while (q.executeStep()) out.push_back(read_standby(r));
  } else {
    auto& q = impl.stmt(std::string(kStandbySelect) + "ORDER BY c.code, s.first_day");
    const Row r(q);
    while (q.executeStep()) out.push_back(read_standby(r));
  }
  return out;
}

}  // namespace tally
