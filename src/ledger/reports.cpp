// Month-end reports: aging, balances, suspense, the close of a month and the
// period lock. Each report is a few SQL aggregates evaluated as of a day.
#include "tally/reports.hpp"

#include <map>

#include <nlohmann/json.hpp>

#include "ledger/impl.hpp"
#include "ledger/rows.hpp"
#include "tally/errors.hpp"
#include "tally/text.hpp"
#include "tally/period_lock.hpp"

namespace tally {
namespace {

// The column of each aging bucket in aging_on's query, in kAgingBuckets order.
constexpr std::array<Name, kAgingBuckets.size()> kBucketColumns = {"not_due", "late_0_1", "late_1_2", "late_2_6",
                                                                   "late_6_plus"};

AgingReport aging_on(Ledger::Impl& impl, Date as_of, const Policy& policy) {
  // owed: the balance incl. VAT of every invoice on ?1 with its customer and
  // due date, as find_invoice evaluates it (allocations dated by ?1 and not
  // reversed by then, credit notes issued by then). Only invoices not settled
  // by ?1 can owe anything: the open ones (index invoice_open) and those
  // settled after ?1 (index invoice_settled). When nothing moved on the
  // customer's invoices after ?1 (its moved_on, schema 5), the invoice's cached
  // paid and credited are its state on ?1; otherwise they are summed as of ?1.
  // Each balance is computed once (MATERIALIZED).
  // Buckets by due date, as aging_bucket decides them: on or after as_of not
  // due; on or before the cutoff of N months (?2, ?3, ?4: admin, platform,
  // deletion thresholds), at least N months late (L2), the oldest bucket first.
  auto& q = impl.stmt(R"sql(
WITH cand(id, code, moved_on, due_date, total_ttc, covered) AS (
  SELECT i.id, cu.code, cu.moved_on, i.due_date, i.total_ttc, i.paid + i.credited
    FROM invoice i INDEXED BY invoice_open JOIN customer cu ON cu.id = i.customer_id
   WHERE i.settled_on IS NULL AND i.credit_note = 0 AND i.issue_date <= ?1
  UNION ALL
  SELECT i.id, cu.code, cu.moved_on, i.due_date, i.total_ttc, i.paid + i.credited
    FROM invoice i INDEXED BY invoice_settled JOIN customer cu ON cu.id = i.customer_id
   WHERE i.settled_on > ?1 AND i.credit_note = 0 AND i.issue_date <= ?1),
owed(code, due_date, balance) AS MATERIALIZED (
  SELECT c.code, c.due_date, c.total_ttc - CASE WHEN c.moved_on <= ?1 THEN c.covered ELSE
           (SELECT COALESCE(SUM(a.amount), 0) FROM allocation a
             WHERE a.invoice_id = c.id AND a.date <= ?1 AND (a.reversed_on IS NULL OR a.reversed_on > ?1))
         + (SELECT COALESCE(SUM(n.applied), 0) FROM invoice n WHERE n.cites_id = c.id AND n.issue_date <= ?1) END
    FROM cand c)
SELECT o.code,
       SUM(CASE WHEN o.due_date >= ?1 THEN o.balance ELSE 0 END) AS not_due,
       SUM(CASE WHEN o.due_date < ?1 AND o.due_date > ?2 AND o.due_date > ?3 AND o.due_date > ?4
                THEN o.balance ELSE 0 END) AS late_0_1,
       SUM(CASE WHEN o.due_date < ?1 AND o.due_date <= ?2 AND o.due_date > ?3 AND o.due_date > ?4
                THEN o.balance ELSE 0 END) AS late_1_2,
       SUM(CASE WHEN o.due_date < ?1 AND o.due_date <= ?3 AND o.due_date > ?4 THEN o.balance ELSE 0 END) AS late_2_6,
       SUM(CASE WHEN o.due_date < ?1 AND o.due_date <= ?4 THEN o.balance ELSE 0 END) AS late_6_plus
  FROM owed o
 WHERE o.balance > 0
 GROUP BY o.code
 ORDER BY o.code
)sql");
  q.bind(1, db_date(as_of));
  q.bind(2, db_date(latest_due_months_late(as_of, policy.admin_disable_months)));
  q.bind(3, db_date(latest_due_months_late(as_of, policy.platform_disable_months)));
  q.bind(4, db_date(latest_due_months_late(as_of, policy.data_deletion_months)));
  AgingReport r;
  r.as_of = as_of;
  const Row in(q);
  while (q.executeStep()) {
    AgingRow row{in.text("code"), {}};
    for (std::size_t b = 0; b < kAgingBuckets.size(); ++b) {
      row.amounts.by_bucket[b] = in.cents(kBucketColumns[b]);
      r.total.by_bucket[b] += row.amounts.by_bucket[b];
    }
    r.customers.push_back(std::move(row));
  }
  return r;
}

// ---- close ----

// [?1, ?2]: the days of the month counted.
void bind_range(SQLite::Statement& q, Date first, Date end) {
  q.bind(1, db_date(first));
  q.bind(2, db_date(end));
}

// The columns count, ht, vat and ttc of a row.
DocumentTotals read_totals(const Row& r) {
  return DocumentTotals{r.int64("count"), r.cents("ht"), r.cents("vat"), r.cents("ttc")};
}

void add(DocumentTotals& to, const DocumentTotals& t) {
  to.count += t.count;
  to.ht += t.ht;
  to.vat += t.vat;
  to.ttc += t.ttc;
}

// Invoices by kind (I1), credit notes, and the F numbers of the month.
void documents(Ledger::Impl& impl, CloseReport& r) {
  for (InvoiceKind k : {InvoiceKind::subscription, InvoiceKind::setup, InvoiceKind::services, InvoiceKind::fee,
                        InvoiceKind::penalty})
    r.invoiced.emplace_back(k, DocumentTotals{});
  auto& q = impl.stmt(
      "SELECT credit_note, kind, COUNT(*) AS count, SUM(total_ht) AS ht, SUM(vat) AS vat, SUM(total_ttc) AS ttc, "
      "MIN(number) AS first, MAX(number) AS last FROM invoice WHERE issue_date BETWEEN ?1 AND ?2 "
      "GROUP BY credit_note, kind");
  bind_range(q, r.month, r.end);
  const Row in(q);
  while (q.executeStep()) {
    const DocumentTotals t = read_totals(in);
    if (in.flag("credit_note")) {
      add(r.credit_notes, t);
      continue;
    }
    const InvoiceKind kind = parse_invoice_kind(in.text("kind"));
    for (auto& [k, totals] : r.invoiced)
      if (k == kind) totals = t;
    add(r.invoiced_total, t);
    if (kind == InvoiceKind::fee) r.fees = t;
    // Numbers have a fixed width within a year: text order is number order.
    const std::string first = in.text("first"), last = in.text("last");
    if (r.first_number.empty() || first < r.first_number) r.first_number = first;
    if (last > r.last_number) r.last_number = last;
  }
}

// M2: VAT per invoice (or credit note) on the HT total of each rate, rounded
// per document as invoice_totals does (M3; K3: a credit note completing its
// invoice carries the VAT left, stored_totals), then summed by rate.
void vat_by_rate(Ledger::Impl& impl, CloseReport& r) {
  auto& q = impl.stmt(
      "SELECT i.id AS id, i.credit_note AS credit_note, i.vat AS vat, l.vat_rate_bp AS vat_rate_bp, "
      "       SUM(l.amount_ht) AS ht "
      "  FROM invoice_line l JOIN invoice i ON i.id = l.invoice_id "
      " WHERE i.issue_date BETWEEN ?1 AND ?2 GROUP BY i.id, l.vat_rate_bp ORDER BY i.id, l.vat_rate_bp");
  bind_range(q, r.month, r.end);
  std::map<std::int64_t, VatRateTotals> by_rate;
  const Row in(q);
  bool more = q.executeStep();
  while (more) {
    const std::int64_t id = in.int64("id");
    const bool credit_note = in.flag("credit_note");
    const Cents stored_vat = in.cents("vat");
    std::vector<VatBucket> buckets;
    do {
      const Rate rate{in.int64("vat_rate_bp")};
      const Cents ht = in.cents("ht");
      buckets.push_back(VatBucket{rate, ht, apply_rate(ht, rate)});
      more = q.executeStep();
    } while (more && in.int64("id") == id);
    apply_stored_vat(buckets, stored_vat);
    for (const auto& b : buckets) {
      VatRateTotals& t = by_rate[b.rate.bp];
      t.rate = b.rate;
      (credit_note ? t.credited_ht : t.invoiced_ht) += b.ht;
      (credit_note ? t.credited_vat : t.invoiced_vat) += b.vat;
    }
  }
  q.reset();
  for (const auto& [bp, t] : by_rate) r.vat_by_rate.push_back(t);
}

// P1, P5: money received and reversed by means; settlements from credit apart.
void collected(Ledger::Impl& impl, CloseReport& r) {
  for (Method m : {Method::transfer, Method::card, Method::sepa, Method::other})
    r.collected.emplace_back(m, CollectedTotals{});
  auto& q = impl.stmt(
      "SELECT method, SUM(CASE WHEN date BETWEEN ?1 AND ?2 THEN amount ELSE 0 END) AS received, "
      "       SUM(CASE WHEN reversed_on BETWEEN ?1 AND ?2 THEN amount ELSE 0 END) AS reversed, "
      "       SUM(CASE WHEN date BETWEEN ?1 AND ?2 AND waive_reason IS NOT NULL THEN 1 ELSE 0 END) AS waived "
      "FROM payment WHERE date BETWEEN ?1 AND ?2 OR reversed_on BETWEEN ?1 AND ?2 GROUP BY method");
  bind_range(q, r.month, r.end);
  const Row in(q);
  while (q.executeStep()) {
    const Method method = parse_method(in.text("method"), true);
    const CollectedTotals t{in.cents("received"), in.cents("reversed")};
    r.fees_waived += in.int64("waived");
    if (method == Method::credit) {
      r.credit_settled = t.net();
      continue;
    }
    for (auto& [m, totals] : r.collected)
      if (m == method) totals = t;
    r.collected_total.received += t.received;
    r.collected_total.reversed += t.reversed;
  }
}

// L4, L5: what the penalty invoices of the month billed.
void penalties(Ledger::Impl& impl, CloseReport& r) {
  auto& q = impl.stmt(
      "SELECT COUNT(DISTINCT i.id) AS invoices, COALESCE(SUM(b.interest), 0) AS interest, "
      "       COALESCE(SUM(b.indemnity), 0) AS indemnity, "
      "       (SELECT COALESCE(SUM(total_ttc), 0) FROM invoice WHERE kind = 'penalty' AND credit_note = 0 "
      "         AND issue_date BETWEEN ?1 AND ?2) AS ttc "
      "FROM invoice i JOIN penalty_billing b ON b.penalty_invoice_id = i.id "
      "WHERE i.kind = 'penalty' AND i.credit_note = 0 AND i.issue_date BETWEEN ?1 AND ?2");
  bind_range(q, r.month, r.end);
  q.executeStep();
  const Row in(q);
  r.penalties = PenaltyTotals{in.int64("invoices"), in.cents("interest"), in.cents("indemnity"), in.cents("ttc")};
}

// I2: the series 1..last of the year, last being the highest number issued on
// or before `end`; the absent numbers are listed only when some are.
NumberSequence sequence(Ledger::Impl& impl, bool credit_note, Date end) {
  NumberSequence s;
  s.year = year_of(end);
  s.prefix = credit_note ? "AV" : "F";
  auto& q = impl.stmt(
      "SELECT COALESCE(MAX(seq), 0) AS last FROM invoice WHERE credit_note = ?1 AND year = ?2 AND issue_date <= ?3");
  q.bind(1, credit_note ? 1 : 0);
  q.bind(2, s.year);
  q.bind(3, db_date(end));
  q.executeStep();
  s.last = Row(q).int64("last");
  q.reset();
  auto& count = impl.stmt("SELECT COUNT(*) AS count FROM invoice WHERE credit_note = ?1 AND year = ?2 AND seq <= ?3");
  count.bind(1, credit_note ? 1 : 0);
  count.bind(2, s.year);
  count.bind(3, s.last);
  count.executeStep();
  s.count = Row(count).int64("count");
  count.reset();
  if (s.gapless()) return s;
  auto& seqs = impl.stmt("SELECT seq FROM invoice WHERE credit_note = ?1 AND year = ?2 AND seq <= ?3 ORDER BY seq");
  seqs.bind(1, credit_note ? 1 : 0);
  seqs.bind(2, s.year);
  seqs.bind(3, s.last);
  std::int64_t expected = 1;
  auto list_up_to = [&](std::int64_t stop) {
    for (; expected < stop && s.missing.size() < kMaxMissingListed; ++expected)
      s.missing.push_back(fmt::format("{}{}-{:06}", s.prefix, s.year, expected));
    expected = stop + 1;
  };
  const Row in(seqs);
  while (seqs.executeStep()) list_up_to(in.int64("seq"));
  list_up_to(s.last + 1);
  return s;
}

std::vector<StageTransition> transitions(Ledger::Impl& impl, Date first, Date end) {
  auto& q = impl.stmt(
      "SELECT c.code, t.from_stage, t.to_stage, t.date FROM stage_transition t JOIN customer c ON c.id = t.customer_id "
      "WHERE t.date BETWEEN ?1 AND ?2 ORDER BY t.date, t.id");
  bind_range(q, first, end);
  std::vector<StageTransition> out;
  const Row in(q);
  while (q.executeStep())
    out.push_back({in.text("code"), parse_stage(in.text("from_stage")), parse_stage(in.text("to_stage")),
                   in.date("date")});
  return out;
}

// A sum of one column of one row, read by name.
Cents sum_of(SQLite::Statement& q, const char* column) {
  q.executeStep();
  const Cents v = q.getColumn(column).getInt64();
  q.reset();
  return v;
}

// opening + invoiced - credit notes - received + reversals = closing.
void receivables(Ledger& ledger, CloseReport& r) {
  Ledger::Impl& impl = impl_of(ledger);
  ReceivablesRollForward& f = r.receivables;
  // The balances as aging sums them invoice by invoice (indexed by what is
  // open; an invoice balance is never below 0), against the month's movements.
  f.opening = aging_report(ledger, r.month - date::days{1}).total.total();
  f.closing = r.aging.total.total();
  f.invoiced = r.invoiced_total.ttc;
  auto& n = impl.stmt(
      "SELECT COALESCE(SUM(applied), 0) AS applied FROM invoice "
      "WHERE credit_note = 1 AND issue_date BETWEEN ?1 AND ?2");
  bind_range(n, r.month, r.end);
  f.credit_notes = sum_of(n, "applied");
  auto& a = impl.stmt(
      "SELECT COALESCE(SUM(CASE WHEN date BETWEEN ?1 AND ?2 THEN amount ELSE 0 END), 0) AS received, "
      "       COALESCE(SUM(CASE WHEN reversed_on BETWEEN ?1 AND ?2 THEN amount ELSE 0 END), 0) AS reversed "
      "FROM allocation WHERE date BETWEEN ?1 AND ?2 OR reversed_on BETWEEN ?1 AND ?2");
  bind_range(a, r.month, r.end);
  a.executeStep();
  f.received = a.getColumn("received").getInt64();
  f.reversals = a.getColumn("reversed").getInt64();
  a.reset();
}

void customer_credit(Ledger::Impl& impl, CloseReport& r) {
  auto& q = impl.stmt(
      "SELECT COALESCE(SUM(CASE WHEN date < ?1 THEN amount ELSE 0 END), 0) AS opening, "
      "       COALESCE(SUM(CASE WHEN date >= ?1 AND amount > 0 THEN amount ELSE 0 END), 0) AS added, "
      "       COALESCE(SUM(CASE WHEN date >= ?1 AND amount < 0 THEN -amount ELSE 0 END), 0) AS taken, "
      "       COALESCE(SUM(amount), 0) AS closing "
      "FROM credit_movement WHERE date <= ?2");
  bind_range(q, r.month, r.end);
  q.executeStep();
  r.customer_credit = CreditRollForward{q.getColumn("opening").getInt64(), q.getColumn("added").getInt64(),
                                        q.getColumn("taken").getInt64(), q.getColumn("closing").getInt64()};
  q.reset();
}

void waivers(Ledger::Impl& impl, CloseReport& r) {
  auto& q = impl.stmt(
      "SELECT p.id AS id, p.date AS date, c.code AS customer, COALESCE(i.number, '') AS invoice, p.method AS method, "
      "       p.waive_reason AS reason "
      "FROM payment p JOIN customer c ON c.id = p.customer_id LEFT JOIN invoice i ON i.id = p.invoice_id "
      "WHERE p.date BETWEEN ?1 AND ?2 AND p.waive_reason IS NOT NULL ORDER BY p.date, p.id LIMIT ?3");
  bind_range(q, r.month, r.end);
  q.bind(3, static_cast<std::int64_t>(kMaxWaiversListed));
  while (q.executeStep())
    r.waivers.push_back(FeeWaiver{q.getColumn("id").getInt64(), parse_date(q.getColumn("date").getString()),
                                  q.getColumn("customer").getString(), q.getColumn("invoice").getString(),
                                  parse_method(q.getColumn("method").getString(), true),
                                  q.getColumn("reason").getString()});
  q.reset();
}

// P1, P5: money received and reversed per month, the 12 months ending with r.month.
void cash_by_month(Ledger::Impl& impl, CloseReport& r) {
  const Date first = month_first(date::sys_days{date::year_month_day{r.month} - date::months{11}});
  for (Date m = first; m <= r.month; m = date::sys_days{date::year_month_day{m} + date::months{1}})
    r.cash_by_month.push_back(MonthCash{m, 0, 0});
  auto& q = impl.stmt(
      "SELECT substr(date, 1, 7) AS month, SUM(amount) AS amount, 0 AS reversal FROM payment "
      " WHERE method <> 'credit' AND date BETWEEN ?1 AND ?2 GROUP BY month "
      "UNION ALL "
      "SELECT substr(reversed_on, 1, 7) AS month, SUM(amount) AS amount, 1 AS reversal FROM payment "
      " WHERE method <> 'credit' AND reversed_on BETWEEN ?1 AND ?2 GROUP BY month");
  bind_range(q, first, r.end);
  while (q.executeStep()) {
    const std::string month = q.getColumn("month").getString();
    for (auto& c : r.cash_by_month)
      if (format_month(c.month) == month)
        (q.getColumn("reversal").getInt() != 0 ? c.reversed : c.received) += q.getColumn("amount").getInt64();
  }
  q.reset();
}

}  // namespace

AgingReport aging_report(Ledger& ledger, Date as_of) { return aging_on(impl_of(ledger), as_of, policy_at(ledger, as_of)); }

BalanceReport balance_report(Ledger& ledger, Date as_of) {
  // One pass over the documents, allocations and credit movements dated by
  // as_of, summed per customer.
  auto& q = impl_of(ledger).stmt(R"sql(
WITH m(customer_id, invoiced, fees, penalties, credited, paid, credit) AS (
  SELECT customer_id,
         CASE WHEN credit_note = 0 AND kind NOT IN ('fee', 'penalty') THEN total_ttc ELSE 0 END,
         CASE WHEN credit_note = 0 AND kind = 'fee' THEN total_ttc ELSE 0 END,
         CASE WHEN credit_note = 0 AND kind = 'penalty' THEN total_ttc ELSE 0 END,
         CASE WHEN credit_note = 1 THEN applied ELSE 0 END, 0, 0
    FROM invoice WHERE issue_date <= ?1
  UNION ALL
  SELECT p.customer_id, 0, 0, 0, 0, a.amount, 0
    FROM allocation a JOIN payment p ON p.id = a.payment_id
   WHERE a.date <= ?1 AND (a.reversed_on IS NULL OR a.reversed_on > ?1)
  UNION ALL
  SELECT customer_id, 0, 0, 0, 0, 0, amount FROM credit_movement WHERE date <= ?1),
t AS (SELECT customer_id, SUM(invoiced) AS invoiced, SUM(fees) AS fees, SUM(penalties) AS penalties,
             SUM(credited) AS credited, SUM(paid) AS paid, SUM(credit) AS credit
        FROM m GROUP BY customer_id)
SELECT c.code, COALESCE(t.invoiced, 0) AS invoiced, COALESCE(t.fees, 0) AS fees,
       COALESCE(t.penalties, 0) AS penalties, COALESCE(t.credited, 0) AS credited, COALESCE(t.paid, 0) AS paid,
       COALESCE(t.credit, 0) AS credit
  FROM customer c LEFT JOIN t ON t.customer_id = c.id
 WHERE c.created <= ?1 OR t.customer_id IS NOT NULL
 ORDER BY c.code
)sql");
  q.bind(1, db_date(as_of));
  BalanceReport r;
  r.as_of = as_of;
  const Row in(q);
  while (q.executeStep()) {
    BalanceRow row;
    row.customer = in.text("code");
    row.invoiced = in.cents("invoiced");
    row.fees = in.cents("fees");
    row.penalties = in.cents("penalties");
    row.credited = in.cents("credited");
    row.paid = in.cents("paid");
    row.credit = in.cents("credit");
    row.balance = row.invoiced + row.fees + row.penalties - row.credited - row.paid;
    for (auto [to, from] : {std::pair{&r.total.invoiced, row.invoiced}, {&r.total.fees, row.fees},
                            {&r.total.penalties, row.penalties}, {&r.total.credited, row.credited},
                            {&r.total.paid, row.paid}, {&r.total.balance, row.balance}, {&r.total.credit, row.credit}})
      *to += from;
    r.customers.push_back(std::move(row));
  }
  return r;
}

std::string_view to_string(SuspenseStatus s) {
  switch (s) {
    case SuspenseStatus::open: return "open";
    case SuspenseStatus::assigned: return "assigned";
    case SuspenseStatus::dismissed: return "dismissed";
  }
  return "open";
}

SuspenseFilter parse_suspense_filter(std::string_view text) {
  if (text == "open") return SuspenseFilter::open;
  if (text == "resolved") return SuspenseFilter::resolved;
  if (text == "all") return SuspenseFilter::all;
  throw usage_error("invalid suspense status '{}': expected open, resolved or all", shown_text(text));
}

namespace {

// The columns of a suspense line, with its actions dated by ?1 as one text:
// records separated by \x1E, fields by \x1F (action, date, amount, payment,
// invoice, reason), in order.
constexpr const char* kSuspenseSelect =
    "SELECT s.id, s.date, s.amount, s.reference, s.label, s.method, s.reason, s.payer, s.payer_iban, "
    "(SELECT group_concat(r, char(30)) FROM (SELECT a.action || char(31) || a.date || char(31) || a.amount || "
    "char(31) || COALESCE(a.payment_id, 0) || char(31) || COALESCE(i.number, '') || char(31) || a.reason AS r "
    "FROM suspense_action a LEFT JOIN payment p ON p.id = a.payment_id LEFT JOIN invoice i ON i.id = p.invoice_id "
    "WHERE a.suspense_id = s.id AND a.date <= ?1 ORDER BY a.id)) AS actions "
    "FROM suspense s ";

std::vector<std::string_view> split(std::string_view text, char sep) {
  std::vector<std::string_view> out;
  std::size_t start = 0;
  for (;;) {
    const std::size_t at = text.find(sep, start);
    out.push_back(text.substr(start, at == std::string_view::npos ? std::string_view::npos : at - start));
    if (at == std::string_view::npos) return out;
    start = at + 1;
  }
}

// A row of kSuspenseSelect.
SuspenseLine read_suspense(const Row& r) {
  SuspenseLine l;
  l.id = r.int64("id");
  l.date = r.date("date");
  l.amount = r.cents("amount");
  l.reference = r.text("reference");
  l.label = r.text("label");
  l.method = parse_method(r.text("method"));
  l.reason = r.text("reason");
  l.payer = r.text("payer");
  l.payer_iban = r.text("payer_iban");
  l.open_amount = l.amount;
  if (const auto actions = r.optional_text("actions")) {
    for (std::string_view rec : split(*actions, '\x1E')) {
      const auto f = split(rec, '\x1F');
      if (f.size() != 6) continue;
      SuspenseAction a;
      a.action = std::string(f[0]);
      a.date = parse_date(f[1]);
      a.amount = std::stoll(std::string(f[2]));
      a.payment_id = std::stoll(std::string(f[3]));
      a.invoice = std::string(f[4]);
      a.reason = std::string(f[5]);  // people's text: never a control character such as the separators
      l.open_amount -= a.amount;
      if (a.action == "dismiss") l.status = SuspenseStatus::dismissed;
      l.actions.push_back(std::move(a));
    }
    if (l.open_amount > 0) l.status = SuspenseStatus::open;
    else if (l.status != SuspenseStatus::dismissed) l.status = SuspenseStatus::assigned;
  }
  return l;
}

bool shown(const SuspenseLine& l, SuspenseFilter f) {
  switch (f) {
    case SuspenseFilter::all: return true;
    case SuspenseFilter::open: return l.status == SuspenseStatus::open;
    case SuspenseFilter::resolved: return l.status != SuspenseStatus::open;
  }
  return true;
}

}  // namespace

std::vector<SuspenseLine> suspense_lines(Ledger& ledger, Date as_of, SuspenseFilter filter) {
  std::vector<SuspenseLine> out;
  each_suspense_line(ledger, as_of, [&out](const SuspenseLine& l) { out.push_back(l); }, filter);
  return out;
}

void each_suspense_line(Ledger& ledger, Date as_of, const std::function<void(const SuspenseLine&)>& fn,
                        SuspenseFilter filter) {
  auto& q = impl_of(ledger).stmt(std::string(kSuspenseSelect) + "WHERE s.date <= ?1 ORDER BY s.date, s.id");
  q.bind(1, db_date(as_of));
  const Row in(q);
  while (q.executeStep()) {
    const SuspenseLine l = read_suspense(in);
    if (shown(l, filter)) fn(l);
  }
  q.reset();
}

SuspenseLine suspense_line(Ledger& ledger, std::int64_t id, Date as_of) {
  auto& q = impl_of(ledger).stmt(std::string(kSuspenseSelect) + "WHERE s.id = ?2");
  q.bind(1, db_date(as_of));
  q.bind(2, id);
  if (!q.executeStep()) {
    q.reset();
    throw not_found("unknown suspense line '{}'", id).with(Hint::suspense_report);
  }
  SuspenseLine l = read_suspense(Row(q));
  q.reset();
  return l;
}

SuspenseTotal suspense_total(Ledger& ledger, Date as_of) {
  auto& q = impl_of(ledger).stmt(
      "SELECT COUNT(*) AS lines, COALESCE(SUM(amount), 0) AS amount, COALESCE(SUM(open > 0), 0) AS open_lines, "
      "COALESCE(SUM(open), 0) AS open FROM ("
      "SELECT s.amount, s.amount - COALESCE((SELECT SUM(a.amount) FROM suspense_action a "
      "WHERE a.suspense_id = s.id AND a.date <= ?1), 0) AS open FROM suspense s WHERE s.date <= ?1)");
  q.bind(1, db_date(as_of));
  q.executeStep();
  const Row in(q);
  const SuspenseTotal t{in.int64("lines"), in.cents("amount"), in.int64("open_lines"), in.cents("open")};
  q.reset();
  return t;
}

std::optional<std::string> locked_through(Ledger& ledger) {
  auto& q = impl_of(ledger).stmt("SELECT MAX(month) AS month FROM period_lock");
  if (!q.executeStep()) return std::nullopt;
  return Row(q).optional_text("month");
}

CloseReport close_report(Ledger& ledger, Date month, Date as_of) {
  if (month_first(month) > as_of)
    throw usage_error("invalid month '{}': it starts after the business date {}", format_month(month),
                      format_date(as_of))
        .with(Hint::month);
  Ledger::Impl& impl = impl_of(ledger);
  CloseReport r;
  r.month = month_first(month);
  r.complete = as_of > month_last(month);
  r.end = r.complete ? month_last(month) : as_of;
  documents(impl, r);
  vat_by_rate(impl, r);
  collected(impl, r);
  penalties(impl, r);
  r.invoice_numbers = sequence(impl, false, r.end);
  r.credit_note_numbers = sequence(impl, true, r.end);
  r.aging = aging_report(ledger, r.end);
  r.transitions = transitions(impl, r.month, r.end);
  receivables(ledger, r);
  customer_credit(impl, r);
  r.suspense = suspense_total(ledger, r.end);
  waivers(impl, r);
  cash_by_month(impl, r);
  r.locked_through = locked_through(ledger);
  r.locked = r.locked_through && format_month(r.month) <= *r.locked_through;
  return r;
}

bool lock_month(Ledger& ledger, Date month, Date as_of) {
  const std::string m = format_month(month);
  check_lockable(month, as_of);
  const auto already = [&] {
    const auto through = locked_through(ledger);
    return through && m <= *through;
  };
  if (already()) return false;
  bool locked = false;
  ledger.write("period.lock", [&] {
    if (!already()) {  // a concurrent close may have locked it meanwhile
      auto& ins = impl_of(ledger).stmt("INSERT INTO period_lock(month, locked_at) VALUES (?, ?)");
      ins.bind(1, m);
      ins.bind(2, db_date(as_of));
      ins.exec();
      locked = true;
    }
    return nlohmann::json{{"month", m}, {"locked_at", format_date(as_of)}, {"locked", locked}}.dump();
  });
  return locked;
}

}  // namespace tally
