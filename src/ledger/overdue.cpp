// Late payment in the ledger (L1-L7): balance timelines read from allocations
// and credit notes, the overdue report, the apply step and a customer's status.
#include "tally/overdue.hpp"

#include <algorithm>
#include <map>
#include <set>

#include <nlohmann/json.hpp>

#include "ledger/impl.hpp"
#include "ledger/rows.hpp"
#include "tally/errors.hpp"
#include "tally/late.hpp"

namespace tally {
namespace {

// The invoices that may be late on ?1 or owe penalties not yet billed, of
// every customer or (scoped) of customer ?2, an invoice possibly twice (the
// L8 review queue may hold one of the others). Open invoices come from the
// invoice_late_open index (customer first: a range of it when scoped); an
// invoice settled on or before its due date never was late; one settled late
// (invoice_settled_late index) is read until an application on or after its
// settlement billed it.
std::string candidates(bool scoped) {
  // INDEXED BY: without statistics SQLite prefers the (credit_note, year, seq)
  // index for "credit_note = 0", a scan of every invoice.
  return fmt::format(R"sql(
WITH cand(id) AS (
  SELECT id FROM invoice INDEXED BY invoice_late_open
   WHERE settled_on IS NULL AND credit_note = 0 AND kind <> 'penalty' AND due_date < ?1
     AND issue_date <= ?1{0}
  UNION ALL
  SELECT i.id FROM invoice i INDEXED BY invoice_settled_late
   WHERE i.settled_on > i.due_date AND i.credit_note = 0 AND i.kind <> 'penalty'
     AND i.due_date < ?1 AND i.issue_date <= ?1{0}
     AND NOT EXISTS (SELECT 1 FROM penalty_billing b
                      WHERE b.invoice_id = i.id AND b.through >= i.settled_on AND b.through <= ?1)
  UNION ALL
  SELECT r.invoice_id FROM penalty_review r JOIN invoice i ON i.id = r.invoice_id
   WHERE i.issue_date <= ?1{0})
)sql",
                     scoped ? " AND customer_id = ?2" : "");
}

void bind_scope(SQLite::Statement& q, Date d, std::optional<std::int64_t> customer_id) {
  q.bind(1, db_date(d));
  if (customer_id) q.bind(2, *customer_id);
}

std::optional<std::int64_t> scope_id(Ledger::Impl& impl, const std::optional<std::string>& customer) {
  if (!customer) return std::nullopt;
  return impl.customer_id(*customer);
}

// The balance changes of one invoice up to d: each allocation on its date, +
// back on its reversal date (P5), - each credit note's applied part on its
// issue date. The invoice total is added by the caller. Read per candidate
// while the candidates are listed: listing them a second time to join their
// movements cost as much as the lookups themselves.
std::vector<BalanceChange> movements(Ledger::Impl& impl, std::int64_t invoice_id, Date d) {
  auto& q = impl.stmt(R"sql(
SELECT date, -amount AS change FROM allocation WHERE invoice_id = ?1 AND date <= ?2
UNION ALL
SELECT reversed_on, amount FROM allocation
 WHERE invoice_id = ?1 AND date <= ?2 AND reversed_on IS NOT NULL AND reversed_on <= ?2
UNION ALL
SELECT issue_date, -applied FROM invoice WHERE cites_id = ?1 AND credit_note = 1 AND issue_date <= ?2 AND applied <> 0
)sql");
  q.bind(1, invoice_id);
  q.bind(2, db_date(d));
  std::vector<BalanceChange> out;
  const Row r(q);
  while (q.executeStep()) out.push_back({r.date("date"), r.cents("change")});
  q.reset();
  return out;
}

// Each customer's last recorded stage on or before d, and whether a transition
// to data-deleted was applied by then (final, L3).
struct Recorded {
  std::map<std::string, Stage> last;
  std::set<std::string> deleted;
};

Recorded recorded_stages(Ledger::Impl& impl, Date d, const std::optional<std::string>& customer) {
  auto& q = impl.stmt(customer ? "SELECT c.code, t.to_stage FROM stage_transition t JOIN customer c ON c.id = t.customer_id "
                                 "WHERE t.date <= ?1 AND t.customer_id = ?2 ORDER BY t.date, t.id"
                               : "SELECT c.code, t.to_stage FROM stage_transition t JOIN customer c ON c.id = t.customer_id "
                                 "WHERE t.date <= ?1 ORDER BY t.date, t.id");
  bind_scope(q, d, scope_id(impl, customer));
  Recorded r;
  const Row in(q);
  while (q.executeStep()) {
    const std::string code = in.text("code");
    const Stage s = parse_stage(in.text("to_stage"));
    r.last[code] = s;
    if (s == Stage::data_deleted) r.deleted.insert(code);
  }
  q.reset();
  return r;
}

// L3: every customer's stage (or the one asked) from the late invoices on d.
std::vector<CustomerStage> stages(Ledger& ledger, Date d, const std::optional<std::string>& customer,
                                  const std::vector<LateInvoice>& invoices) {
  std::map<std::string, std::vector<StageInvoice>> by_customer;
  for (const auto& i : invoices) by_customer[i.customer].push_back({i.kind, i.due_date, i.late});
  const Recorded recorded = recorded_stages(impl_of(ledger), d, customer);
  const Policy policy = policy_at(ledger, d);
  const std::vector<StageInvoice> none;
  std::vector<CustomerStage> out;
  for (const Customer& c : customer ? std::vector<Customer>{find_customer(ledger, *customer)} : list_customers(ledger)) {
    const auto it = by_customer.find(c.code);
    out.push_back({c.code, customer_stage(it == by_customer.end() ? none : it->second, d,
                                          recorded.deleted.count(c.code) > 0, policy)});
  }
  return out;
}

// L6: refuses an application dated before one already made (for the scope).
void check_application_order(Ledger::Impl& impl, Date d, std::optional<std::int64_t> customer_id) {
  auto& q = impl.stmt(
      "SELECT MAX(x) AS last FROM ("
      " SELECT b.through AS x FROM penalty_billing b JOIN invoice i ON i.id = b.invoice_id"
      "  WHERE ?2 IS NULL OR i.customer_id = ?2"
      " UNION ALL SELECT date FROM stage_transition WHERE ?2 IS NULL OR customer_id = ?2)"
      " WHERE x > ?1");
  bind_scope(q, d, customer_id);
  std::optional<Date> last;
  if (q.executeStep()) last = Row(q).optional_date("last");
  q.reset();
  check_apply_order(d, last);
}

// The lines of one customer's penalty invoice: per invoice, the interest not
// yet billed (L4) and the indemnity not yet billed (L5), no VAT (M4).
std::vector<InvoiceLine> penalty_lines(const std::vector<const LateInvoice*>& invoices, Date d) {
  std::vector<InvoiceLine> lines;
  for (const LateInvoice* i : invoices) {
    if (const Cents interest = i->interest_unbilled(); interest > 0) {
      const std::string what =
          i->interest_mode == InterestMode::flat
              ? fmt::format("flat {} %", format_rate(i->interest_rate))
              : fmt::format("{} % a year, from {} to {}", format_rate(i->interest_rate),
                            format_date(i->billed_through.value_or(i->due_date)), format_date(d));
      lines.push_back(InvoiceLine{fmt::format("Late-payment interest on {} (due {}), {}", i->number,
                                              format_date(i->due_date), what),
                                  100, interest, interest, Rate{0}, "L4", ""});
    }
    if (const Cents indemnity = i->indemnity_unbilled(); indemnity > 0)
      lines.push_back(InvoiceLine{fmt::format("Fixed recovery indemnity on {} (due {})", i->number,
                                              format_date(i->due_date)),
                                  100, indemnity, indemnity, Rate{0}, "L5", ""});
  }
  return lines;
}

// Records, per invoice, what penalty invoice `penalty_id` billed through day d:
// all of its interest and indemnity not yet billed.
void record_billing(Ledger::Impl& impl, const std::vector<const LateInvoice*>& invoices, std::int64_t penalty_id,
                    Date d) {
  auto& ins = impl.stmt(
      "INSERT INTO penalty_billing(invoice_id, penalty_invoice_id, through, interest, indemnity) "
      "VALUES (?, ?, ?, ?, ?)");
  for (const LateInvoice* i : invoices) {
    ins.reset();
    ins.clearBindings();
    ins.bind(1, i->id);
    ins.bind(2, penalty_id);
    ins.bind(3, db_date(d));
    ins.bind(4, i->interest_unbilled());
    ins.bind(5, i->indemnity_unbilled());
    ins.exec();
  }
}

// L8: records what credit note `credit_id` gave back of each late invoice, as
// a billing through d of minus those amounts: what was billed of an invoice
// stays the sum of its rows.
void record_credits(Ledger::Impl& impl, const std::vector<std::pair<std::int64_t, PenaltyCredit>>& per_invoice,
                    std::int64_t credit_id, Date d) {
  auto& ins = impl.stmt(
      "INSERT INTO penalty_billing(invoice_id, penalty_invoice_id, through, interest, indemnity) "
      "VALUES (?, ?, ?, ?, ?)");
  for (const auto& [invoice_id, c] : per_invoice) {
    ins.reset();
    ins.clearBindings();
    ins.bind(1, invoice_id);
    ins.bind(2, credit_id);
    ins.bind(3, db_date(d));
    ins.bind(4, -c.interest);
    ins.bind(5, -c.indemnity);
    ins.exec();
  }
}

// L8: an application has billed or credited every queued invoice of its scope.
void clear_review(Ledger::Impl& impl, std::optional<std::int64_t> customer_id) {
  auto& del = impl.stmt(
      "DELETE FROM penalty_review WHERE ?1 IS NULL OR invoice_id IN (SELECT id FROM invoice WHERE customer_id = ?1)");
  if (customer_id) del.bind(1, *customer_id);
  del.exec();
}

// Records a stage change as applied (L3, L6).
void record_transition(Ledger::Impl& impl, const StageTransition& t) {
  auto& ins = impl.stmt("INSERT INTO stage_transition(customer_id, from_stage, to_stage, date) VALUES (?, ?, ?, ?)");
  ins.bind(1, impl.customer_id(t.customer));
  ins.bind(2, std::string(to_string(t.from)));
  ins.bind(3, std::string(to_string(t.to)));
  ins.bind(4, db_date(t.date));
  ins.exec();
}

}  // namespace

std::vector<LateInvoice> late_invoices(Ledger& ledger, Date as_of, std::optional<std::string> customer) {
  Ledger::Impl& impl = impl_of(ledger);
  const auto cid = scope_id(impl, customer);
  std::map<Date, Policy> policies;  // by due date: many invoices share one
  // What was billed of each invoice: three lookups in the covering index
  // penalty_billing_invoice, not a join grouped afterwards (an invoice billed
  // monthly for years has dozens of rows: 2.5x slower on the 1M ledger).
  auto& q = impl.stmt(candidates(cid.has_value()) + R"sql(
SELECT i.id, i.number, c.code, i.kind, i.issue_date, i.due_date, i.total_ttc,
       (SELECT COALESCE(SUM(b.interest), 0) FROM penalty_billing b WHERE b.invoice_id = i.id AND b.through <= ?1)
         AS interest_billed,
       (SELECT COALESCE(SUM(b.indemnity), 0) FROM penalty_billing b WHERE b.invoice_id = i.id AND b.through <= ?1)
         AS indemnity_billed,
       (SELECT MAX(b.through) FROM penalty_billing b WHERE b.invoice_id = i.id AND b.through <= ?1) AS billed_through
  FROM cand JOIN invoice i ON i.id = cand.id JOIN customer c ON c.id = i.customer_id
 ORDER BY c.code, i.due_date, i.id
)sql");
  bind_scope(q, as_of, cid);
  std::vector<LateInvoice> out;
  std::int64_t last_id = 0;
  const Row r(q);
  while (q.executeStep()) {
    // The same invoice from two branches of the candidates comes twice in a row.
    if (r.int64("id") == last_id) continue;
    last_id = r.int64("id");
    LateInvoice li;
    li.id = last_id;
    li.number = r.text("number");
    li.customer = r.text("code");
    li.kind = parse_invoice_kind(r.text("kind"));
    li.due_date = r.date("due_date");
    std::vector<BalanceChange> timeline = movements(impl, li.id, as_of);
    timeline.push_back({r.date("issue_date"), r.cents("total_ttc")});
    auto pit = policies.find(li.due_date);
    if (pit == policies.end()) pit = policies.emplace(li.due_date, policy_at(ledger, li.due_date)).first;
    const Policy& policy = pit->second;
    const Lateness l = evaluate_lateness(std::move(timeline), li.due_date, as_of, policy);
    li.late = l.late;
    li.days_late = l.days_late;
    li.months_late = l.months_late;
    li.balance = l.balance;
    li.interest_accrued = l.interest.amount;
    li.indemnity = l.indemnity.amount;
    li.interest_billed = r.cents("interest_billed");
    li.indemnity_billed = r.cents("indemnity_billed");
    li.billed_through = r.optional_date("billed_through");
    li.interest_rate = policy.interest_rate;
    li.interest_mode = policy.interest_mode;
    if (li.late || li.interest_unbilled() > 0 || li.indemnity_unbilled() > 0 || li.interest_overbilled() > 0 ||
        li.indemnity_overbilled() > 0)
      out.push_back(std::move(li));
  }
  return out;
}

OverdueReport overdue(Ledger& ledger, Date as_of, std::optional<std::string> customer) {
  OverdueReport r;
  r.as_of = as_of;
  r.invoices = late_invoices(ledger, as_of, customer);
  r.customers = stages(ledger, as_of, customer, r.invoices);
  return r;
}

namespace {

// What an application on a day would do: the penalty invoices (one per
// customer with something not yet billed) and the stage changes.
// L8: one credit note citing a penalty invoice, and what it gives back of
// each late invoice.
struct PenaltyCreditNote {
  std::string penalty_number;
  std::vector<InvoiceLine> lines;
  std::vector<std::pair<std::int64_t, PenaltyCredit>> per_invoice;  // late invoice id, amounts
};

struct Plan {
  OverdueReport report;
  std::map<std::string, std::vector<const LateInvoice*>> billed;  // by customer: invoices with unbilled amounts
  std::map<std::string, std::vector<InvoiceLine>> lines;           // by customer: the penalty invoice's lines
  std::map<std::int64_t, PenaltyCreditNote> credits;               // L8, by penalty invoice id
  std::vector<StageTransition> transitions;
  bool empty() const { return lines.empty() && credits.empty() && transitions.empty(); }
};

// L8: what each penalty invoice billed of late invoice `invoice_id` through
// d, net of the credit notes citing it for that invoice, latest first; each
// with what the penalty invoice has left to credit (`left`, by id, read once
// and kept as credits are planned).
std::vector<PenaltySource> penalty_sources(Ledger::Impl& impl, std::int64_t invoice_id, Date d,
                                           std::map<std::int64_t, Cents>& left) {
  auto& q = impl.stmt(R"sql(
SELECT COALESCE(n.cites_id, b.penalty_invoice_id) AS pid, SUM(b.interest) AS interest, SUM(b.indemnity) AS indemnity
  FROM penalty_billing b JOIN invoice n ON n.id = b.penalty_invoice_id
 WHERE b.invoice_id = ?1 AND b.through <= ?2
 GROUP BY pid ORDER BY pid DESC
)sql");
  q.bind(1, invoice_id);
  q.bind(2, db_date(d));
  std::vector<PenaltySource> out;
  const Row r(q);
  while (q.executeStep()) out.push_back({r.int64("pid"), r.cents("interest"), r.cents("indemnity"), 0});
  q.reset();
  auto& u = impl.stmt(
      "SELECT i.total_ttc - (SELECT COALESCE(SUM(n.total_ttc), 0) FROM invoice n "
      "WHERE n.cites_id = i.id AND n.credit_note = 1) AS uncredited FROM invoice i WHERE i.id = ?");
  for (PenaltySource& s : out) {
    auto it = left.find(s.penalty_invoice_id);
    if (it == left.end()) {
      u.bind(1, s.penalty_invoice_id);
      u.executeStep();
      it = left.emplace(s.penalty_invoice_id, Row(u).cents("uncredited")).first;
      u.reset();
    }
    s.uncredited = it->second;
  }
  return out;
}

// L8: plans the credit notes that give back what `i` was billed above what it owes.
void plan_credits(Ledger& ledger, const LateInvoice& i, Date d, std::map<std::int64_t, Cents>& left,
                  std::map<std::int64_t, PenaltyCreditNote>& credits) {
  const auto sources = penalty_sources(impl_of(ledger), i.id, d, left);
  const std::string why =
      i.late || i.days_late > 0
          ? fmt::format("{} days late as now recorded", i.days_late)
          : std::string("paid by its due date as now recorded");
  for (const PenaltyCredit& c : overbilled_credits(sources, i.interest_overbilled(), i.indemnity_overbilled())) {
    left[c.penalty_invoice_id] -= c.interest + c.indemnity;
    PenaltyCreditNote& note = credits[c.penalty_invoice_id];
    if (note.penalty_number.empty()) {
      auto& q = impl_of(ledger).stmt("SELECT number FROM invoice WHERE id = ?");
      q.bind(1, c.penalty_invoice_id);
      q.executeStep();
      note.penalty_number = Row(q).text("number");
      q.reset();
    }
    if (c.interest > 0)
      note.lines.push_back(InvoiceLine{fmt::format("Late-payment interest on {} (due {}) over-billed: {}",
                                                   i.number, format_date(i.due_date), why),
                                       100, c.interest, c.interest, Rate{0}, "L8", ""});
    if (c.indemnity > 0)
      note.lines.push_back(InvoiceLine{fmt::format("Fixed recovery indemnity on {} (due {}) not owed: {}", i.number,
                                                   format_date(i.due_date), why),
                                       100, c.indemnity, c.indemnity, Rate{0}, "L8", ""});
    note.per_invoice.emplace_back(i.id, c);
  }
}

Plan plan_application(Ledger& ledger, Date as_of, const std::optional<std::string>& customer) {
  Plan plan;
  plan.report = overdue(ledger, as_of, customer);
  for (const auto& i : plan.report.invoices)
    if (i.interest_unbilled() > 0 || i.indemnity_unbilled() > 0) plan.billed[i.customer].push_back(&i);
  for (const auto& [code, invoices] : plan.billed) plan.lines[code] = penalty_lines(invoices, as_of);
  std::map<std::int64_t, Cents> left;
  for (const auto& i : plan.report.invoices)
    if (i.interest_overbilled() > 0 || i.indemnity_overbilled() > 0) plan_credits(ledger, i, as_of, left, plan.credits);
  const Recorded recorded = recorded_stages(impl_of(ledger), as_of, customer);
  for (const auto& c : plan.report.customers) {
    const auto it = recorded.last.find(c.customer);
    const Stage from = it == recorded.last.end() ? Stage::active : it->second;
    if (from != c.stage.stage) plan.transitions.push_back({c.customer, from, c.stage.stage, as_of});
  }
  return plan;
}

}  // namespace

ApplyResult apply_overdue(Ledger& ledger, Date as_of, std::optional<std::string> customer) {
  ApplyResult result;
  // Nothing to bill or record: no write at all (L6, idempotent).
  if (plan_application(ledger, as_of, customer).empty()) {
    result.report = overdue(ledger, as_of, customer);
    return result;
  }
  ledger.write("overdue.apply", [&] {
    Ledger::Impl& impl = impl_of(ledger);
    impl.check_open_period(as_of, "penalty application");
    check_application_order(impl, as_of, scope_id(impl, customer));
    const Plan plan = plan_application(ledger, as_of, customer);  // again, under the write lock
    for (const auto& [code, lines] : plan.lines) {
      NewInvoice n;
      n.customer = code;
      n.kind = InvoiceKind::penalty;
      n.issue_date = as_of;
      n.business_date = as_of;
      n.lines = lines;
      result.issued.push_back(issue_invoice(ledger, n));
      record_billing(impl, plan.billed.at(code), result.issued.back().id, as_of);
    }
    for (const auto& [pid, note] : plan.credits) {
      result.credited.push_back(issue_credit_note(ledger, 
          note.penalty_number, note.lines, as_of, "L8: penalties over-billed, recomputed from the facts as recorded",
          as_of));
      record_credits(impl, note.per_invoice, result.credited.back().id, as_of);
    }
    clear_review(impl, scope_id(impl, customer));
    for (const auto& t : plan.transitions) record_transition(impl, t);
    result.transitions = plan.transitions;

    nlohmann::json ev{{"as_of", format_date(as_of)},
                      {"customer", customer ? nlohmann::json(*customer) : nlohmann::json(nullptr)},
                      {"issued", nlohmann::json::array()},
                      {"transitions", nlohmann::json::array()}};
    for (const auto& i : result.issued)
      ev["issued"].push_back({{"number", i.number}, {"customer", i.customer}, {"total_ttc", format_amount(i.total_ttc)}});
    if (!result.credited.empty()) ev["credited"] = nlohmann::json::array();
    for (const auto& i : result.credited)
      ev["credited"].push_back({{"number", i.number},
                                {"customer", i.customer},
                                {"cites", i.cites},
                                {"total_ttc", format_amount(i.total_ttc)}});
    for (const auto& t : result.transitions)
      ev["transitions"].push_back({{"customer", t.customer}, {"from", to_string(t.from)}, {"to", to_string(t.to)}});
    return ev.dump();
  });
  result.report = overdue(ledger, as_of, customer);
  return result;
}

CustomerStatus customer_status(Ledger& ledger, std::string_view customer, Date as_of) {
  const Customer c = find_customer(ledger, customer);
  CustomerStatus s;
  s.customer = c.code;
  s.stage = overdue(ledger, as_of, c.code).customers.front().stage;

  auto& sb = impl_of(ledger).stmt(
      "SELECT reason, first_day, COALESCE(ended_early, last_day) AS ends FROM standby "
      "WHERE customer_id = ?1 AND decision = 'accepted' AND first_day <= ?2 AND COALESCE(ended_early, last_day) >= ?2 "
      "ORDER BY first_day LIMIT 1");
  sb.bind(1, c.id);
  sb.bind(2, db_date(as_of));
  if (sb.executeStep()) {
    const Row r(sb);
    s.standby = StandbyState{r.text("reason"), Period{r.date("first_day"), r.date("ends")}};
  }

  // Cancelled once every subscription has its letter by then: the latest letter and end.
  const auto subs = list_subscriptions(ledger, c.code);
  const bool all_cancelled = !subs.empty() && std::all_of(subs.begin(), subs.end(), [&](const Subscription& x) {
    return x.letter_date && *x.letter_date <= as_of && x.end_date;
  });
  if (all_cancelled) {
    CancelState cs{*subs.front().letter_date, subs.front().letter_ref, *subs.front().end_date};
    for (const auto& x : subs) {
      if (*x.letter_date > cs.letter_date) {
        cs.letter_date = *x.letter_date;
        cs.letter_ref = x.letter_ref;
      }
      cs.effective_date = std::max(cs.effective_date, *x.end_date);
    }
    s.cancelled = cs;
  }
  s.capabilities = capabilities(s.stage.stage, s.standby.has_value(), s.cancelled && s.cancelled->effective_date < as_of);

  s.balance = customer_balance(ledger, c.code, as_of);
  s.credit = customer_credit(ledger, c.code, as_of);
  return s;
}

}  // namespace tally
