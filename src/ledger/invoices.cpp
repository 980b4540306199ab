// Invoices and credit notes: numbering (I2), immutability (I3), billing runs (I5).
#include <algorithm>
#include <map>

#include <nlohmann/json.hpp>

#include "ledger/impl.hpp"
#include "ledger/rows.hpp"
#include "tally/errors.hpp"
#include "tally/text.hpp"
#include "tally/invoicing.hpp"

namespace tally {
namespace {

// What invoice i had been paid and credited on day ?1 (the cached columns
// hold today's state; these read the movements as of any day).
#define TALLY_PAID_AS_OF                                                                            \
  "(SELECT COALESCE(SUM(a.amount), 0) FROM allocation a WHERE a.invoice_id = i.id AND a.date <= ?1 " \
  "   AND (a.reversed_on IS NULL OR a.reversed_on > ?1))"
#define TALLY_CREDITED_AS_OF \
  "(SELECT COALESCE(SUM(n.applied), 0) FROM invoice n WHERE n.cites_id = i.id AND n.issue_date <= ?1)"

constexpr const char* kInvoiceSelect =
    "SELECT i.id AS id, i.number AS number, i.credit_note AS credit_note, c.code AS customer, i.kind AS kind, "
    "i.issue_date AS issue_date, i.due_date AS due_date, i.total_ht AS total_ht, i.vat AS vat, "
    "i.total_ttc AS total_ttc, i.reason AS reason, i.subscription_id AS subscription_id, "
    "i.period_first AS period_first, i.period_last AS period_last, "
    "(SELECT number FROM invoice o WHERE o.id = i.cites_id) AS cites, " TALLY_PAID_AS_OF " AS paid, "
    TALLY_CREDITED_AS_OF " AS credited "
    "FROM invoice i JOIN customer c ON c.id = i.customer_id ";

constexpr const char* kBalanceAsOf =
    "SELECT COALESCE(SUM(i.total_ttc - " TALLY_PAID_AS_OF " - " TALLY_CREDITED_AS_OF "), 0) AS owed "
    "FROM invoice i WHERE i.customer_id = ?2 AND i.credit_note = 0 AND i.issue_date <= ?1";
#undef TALLY_PAID_AS_OF
#undef TALLY_CREDITED_AS_OF

// A row of kInvoiceSelect; r is made once per statement (a listing reads
// every invoice through it).
Invoice read_invoice(const Row& r) {
  Invoice inv;
  inv.id = r.int64("id");
  inv.number = r.text("number");
  inv.credit_note = r.flag("credit_note");
  inv.customer = r.text("customer");
  inv.kind = parse_invoice_kind(r.text("kind"));
  inv.issue_date = r.date("issue_date");
  inv.due_date = r.date("due_date");
  inv.total_ht = r.cents("total_ht");
  inv.vat = r.cents("vat");
  inv.total_ttc = r.cents("total_ttc");
  inv.reason = r.text("reason");
  inv.subscription_id = r.optional_int64("subscription_id");
  if (!r.is_null("period_first")) inv.period = Period{r.date("period_first"), r.date("period_last")};
  inv.cites = r.text("cites");
  if (inv.credit_note) {
    inv.status = "credit-note";
    return inv;
  }
  inv.paid = r.cents("paid");
  inv.credited = r.cents("credited");
  inv.balance = inv.total_ttc - inv.paid - inv.credited;
  if (inv.balance == 0 && inv.credited > 0 && inv.credited == inv.total_ttc) inv.status = "void";
  else if (inv.balance == 0) inv.status = "paid";
  else if (inv.paid + inv.credited > 0) inv.status = "partially-paid";
  else inv.status = "open";
  return inv;
}

// Accepted standbys (S1-S5) as billing counts them, with their customer's
// code: from the first day to the last day in standby (an early end replaces
// the planned last day).
constexpr const char* kAcceptedStandbys =
    "SELECT c.code AS customer, s.first_day AS first_day, COALESCE(s.ended_early, s.last_day) AS last_day "
    "FROM standby s JOIN customer c ON c.id = s.customer_id WHERE s.decision = 'accepted' ";

Period standby_period(const Row& r) { return Period{r.date("first_day"), r.date("last_day")}; }

// Loads the lines of the given invoices (sorted by id): one range query when
// their ids are dense (a listing of everything, a billing run), else one
// indexed query per invoice (one customer's invoices spread over the years).
void load_lines(Ledger::Impl& impl, std::vector<Invoice>& invoices) {
  if (invoices.empty()) return;
  std::map<std::int64_t, Invoice*> by_id;
  for (auto& inv : invoices) by_id[inv.id] = &inv;
  auto read = [&](SQLite::Statement& q) {
    const int invoice_id = q.getColumnIndex("invoice_id"), description = q.getColumnIndex("description"),
              item = q.getColumnIndex("item"), qty = q.getColumnIndex("qty"), unit_ht = q.getColumnIndex("unit_ht"),
              amount_ht = q.getColumnIndex("amount_ht"), vat_rate_bp = q.getColumnIndex("vat_rate_bp"),
              rule = q.getColumnIndex("rule");
    while (q.executeStep()) {
      auto it = by_id.find(q.getColumn(invoice_id).getInt64());
      if (it == by_id.end()) continue;
      it->second->lines.push_back(InvoiceLine{q.getColumn(description).getString(), q.getColumn(qty).getInt64(),
                                              q.getColumn(unit_ht).getInt64(), q.getColumn(amount_ht).getInt64(),
                                              Rate{q.getColumn(vat_rate_bp).getInt64()}, q.getColumn(rule).getString(),
                                              q.getColumn(item).getString()});
    }
    q.reset();
  };
  constexpr const char* kLines =
      "SELECT invoice_id, description, item, qty, unit_ht, amount_ht, vat_rate_bp, rule FROM invoice_line ";
  const std::int64_t first = by_id.begin()->first, last = by_id.rbegin()->first;
  if (static_cast<std::size_t>(last - first) < 4 * by_id.size()) {
    auto& q = impl.stmt(std::string(kLines) + "WHERE invoice_id BETWEEN ? AND ? ORDER BY invoice_id, position");
    q.bind(1, first);
    q.bind(2, last);
    read(q);
    return;
  }
  auto& q = impl.stmt(std::string(kLines) + "WHERE invoice_id = ? ORDER BY position");
  for (const auto& entry : by_id) {
    q.reset();
    q.clearBindings();
    q.bind(1, entry.first);
    read(q);
  }
}

nlohmann::json event_of(const Invoice& inv) {
  return {{"number", inv.number},     {"customer", inv.customer},
          {"kind", to_string(inv.kind)}, {"issue_date", format_date(inv.issue_date)},
          {"total_ht", format_amount(inv.total_ht)}, {"vat", format_amount(inv.vat)},
          {"total_ttc", format_amount(inv.total_ttc)}, {"cites", inv.cites}};
}

// The last document of a series in a year (I2): its number's seq and its issue
// date; seq 0 and no date before the first. One read of the (credit_note,
// year, seq) index.
struct SeriesTail {
  std::int64_t seq = 0;
  std::optional<Date> issued;
};

SeriesTail series_tail(Ledger::Impl& impl, bool credit_note, int year) {
  auto& q = impl.stmt(
      "SELECT seq, issue_date FROM invoice WHERE credit_note = ? AND year = ? ORDER BY seq DESC LIMIT 1");
  q.bind(1, credit_note ? 1 : 0);
  q.bind(2, year);
  SeriesTail tail;
  if (q.executeStep()) {
    tail.seq = q.getColumn("seq").getInt64();
    tail.issued = parse_date(q.getColumn("issue_date").getString());
  }
  q.reset();
  return tail;
}

// Inserts an invoice or credit note with the next number of its year (I2),
// once its date keeps the series chronological and is not after
// `business_date`. Runs inside write(). Returns the new row id.
std::int64_t insert_document(Ledger::Impl& impl, bool credit_note, std::int64_t customer_id, InvoiceKind kind,
                             Date issue, Date business_date, Date due, const std::vector<InvoiceLine>& lines,
                             std::optional<std::int64_t> cites_id, Cents applied, const std::string& reason,
                             std::optional<std::int64_t> subscription_id, std::optional<Period> period,
                             std::string& number_out, Totals* totals_out = nullptr, Cents vat_adjust = 0) {
  impl.check_open_period(issue, credit_note ? "credit note" : "invoice");
  const int year = year_of(issue);
  const SeriesTail tail = series_tail(impl, credit_note, year);
  check_chronology(credit_note, issue, tail.issued, business_date);
  // K3: a credit note completing its invoice's crediting carries the VAT left.
  const Totals t = stored_totals(lines, invoice_totals(lines).vat + vat_adjust);
  if (totals_out) *totals_out = t;
  const std::int64_t seq = tail.seq + 1;
  number_out = next_number(credit_note, year, tail.seq);
  auto& ins = impl.stmt(
      "INSERT INTO invoice(number, credit_note, year, seq, customer_id, kind, issue_date, due_date, total_ht, vat, "
      "total_ttc, cites_id, applied, reason, subscription_id, period_first, period_last, settled_on) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18)");
  ins.bind(1, number_out);
  ins.bind(2, credit_note ? 1 : 0);
  ins.bind(3, year);
  ins.bind(4, seq);
  ins.bind(5, customer_id);
  ins.bind(6, std::string(to_string(kind)));
  ins.bind(7, db_date(issue));
  ins.bind(8, db_date(due));
  ins.bind(9, t.ht);
  ins.bind(10, t.vat);
  ins.bind(11, t.ttc);
  if (cites_id) ins.bind(12, *cites_id);
  ins.bind(13, applied);
  ins.bind(14, reason);
  if (subscription_id) ins.bind(15, *subscription_id);
  if (period) {
    ins.bind(16, db_date(period->first));
    ins.bind(17, db_date(period->last));
  }
  // Credit notes and zero invoices are settled from the start.
  if (credit_note || t.ttc == 0) ins.bind(18, db_date(issue));
  ins.exec();
  const std::int64_t id = impl.db.getLastInsertRowid();
  impl.customer_moved(customer_id, credit_note ? 0 : t.ttc, issue);
  auto& line = impl.stmt(
      "INSERT INTO invoice_line(invoice_id, position, description, item, qty, unit_ht, amount_ht, vat_rate_bp, rule) "
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
  int pos = 0;
  for (const auto& l : lines) {
    line.reset();
    line.clearBindings();
    line.bind(1, id);
    line.bind(2, ++pos);
    line.bind(3, l.description);
    line.bind(4, l.item);
    line.bind(5, l.qty);
    line.bind(6, l.unit_ht);
    line.bind(7, l.amount_ht);
    line.bind(8, static_cast<std::int64_t>(l.vat_rate.bp));
    line.bind(9, l.rule);
    line.exec();
  }
  return id;
}

}  // namespace

void Ledger::Impl::refresh_invoice(std::int64_t id, std::optional<Date> moved_on) {
  auto& q = stmt(
      "SELECT i.total_ttc AS total_ttc, i.issue_date AS issue_date, "
      " (SELECT COALESCE(SUM(amount), 0) FROM allocation WHERE invoice_id = i.id AND reversed_on IS NULL) AS paid, "
      " (SELECT COALESCE(SUM(applied), 0) FROM invoice WHERE cites_id = i.id) AS credited, "
      " (SELECT MAX(date) FROM allocation WHERE invoice_id = i.id AND reversed_on IS NULL) AS last_paid, "
      " (SELECT MAX(issue_date) FROM invoice WHERE cites_id = i.id) AS last_credited, "
      " i.customer_id AS customer_id, i.paid + i.credited AS was_covered "
      "FROM invoice i WHERE i.id = ? AND i.credit_note = 0");
  q.bind(1, id);
  if (!q.executeStep()) return;
  const Cents ttc = q.getColumn("total_ttc").getInt64();
  const Cents paid = q.getColumn("paid").getInt64();
  const Cents credited = q.getColumn("credited").getInt64();
  std::string settled;
  if (ttc - paid - credited == 0) {
    settled = q.getColumn("issue_date").getString();
    for (const char* last : {"last_paid", "last_credited"})
      if (!q.getColumn(last).isNull()) settled = std::max(settled, q.getColumn(last).getString());
  }
  const std::int64_t customer = q.getColumn("customer_id").getInt64();
  const Cents was_covered = q.getColumn("was_covered").getInt64();
  q.reset();
  customer_moved(customer, was_covered - (paid + credited), moved_on);
  auto& up = stmt("UPDATE invoice SET paid = ?, credited = ?, settled_on = ? WHERE id = ?");
  up.bind(1, paid);
  up.bind(2, credited);
  if (!settled.empty()) up.bind(3, settled);
  up.bind(4, id);
  up.exec();
}

void Ledger::Impl::customer_moved(std::int64_t customer_id, Cents owed_delta, std::optional<Date> day) {
  auto& up = stmt(
      "UPDATE customer SET owed = owed + ?2, "
      "moved_on = CASE WHEN ?3 IS NULL THEN moved_on ELSE MAX(COALESCE(moved_on, ''), ?3) END WHERE id = ?1");
  up.bind(1, customer_id);
  up.bind(2, owed_delta);
  if (day) up.bind(3, db_date(*day));
  up.exec();
}

void Ledger::Impl::penalties_changed(std::int64_t invoice_id, Date day) {
  auto& ins = stmt(
      "INSERT OR IGNORE INTO penalty_review(invoice_id) SELECT ?1 "
      "WHERE EXISTS (SELECT 1 FROM penalty_billing WHERE invoice_id = ?1 AND through > ?2)");
  ins.bind(1, invoice_id);
  ins.bind(2, db_date(day));
  ins.exec();
}

void Ledger::Impl::add_paid(std::int64_t id, Cents amount) {
  auto& up = stmt(
      "UPDATE invoice SET paid = paid + ?2, settled_on = CASE WHEN total_ttc - paid - ?2 - credited <> 0 THEN NULL "
      "ELSE MAX(issue_date, "
      "  COALESCE((SELECT MAX(a.date) FROM allocation a WHERE a.invoice_id = invoice.id AND a.reversed_on IS NULL), ''), "
      "  COALESCE((SELECT MAX(n.issue_date) FROM invoice n WHERE n.cites_id = invoice.id), '')) END "
      "WHERE id = ?1 AND credit_note = 0");
  up.bind(1, id);
  up.bind(2, amount);
  up.exec();
}

namespace {

// Inside a write: inserts invoice n of customer c and fills `out` with it as
// issued, from what was inserted (nothing paid or credited yet); returns the
// payload of its "invoice.issue" event. A billing run passes the customers it
// has read once; issue_invoice reads the one it needs.
std::string write_invoice(Ledger::Impl& impl, const NewInvoice& n, const Customer& c, Invoice& out) {
  const Date issue =
      n.follow_series ? chronological_date(n.issue_date, series_tail(impl, false, year_of(n.issue_date)).issued)
                      : n.issue_date;
  const Date due = n.due_date ? *n.due_date : due_date(issue, c.terms_days);
  Totals t;
  out.id = insert_document(impl, false, c.id, n.kind, issue, n.business_date.value_or(issue), due, n.lines,
                           std::nullopt, 0, "", n.subscription_id, n.period, out.number, &t);
  out.customer = c.code;
  out.kind = n.kind;
  out.issue_date = issue;
  out.due_date = due;
  out.total_ht = t.ht;
  out.vat = t.vat;
  out.total_ttc = t.ttc;
  out.subscription_id = n.subscription_id;
  out.period = n.period;
  out.lines = n.lines;
  out.balance = t.ttc;
  out.status = t.ttc == 0 ? "paid" : "open";
  return event_of(out).dump();
}

// An invoice has at least one line, and no negative one; each line's
// description is people's text.
void check_new_invoice(const NewInvoice& n) {
  if (n.lines.empty()) throw usage_error("an invoice needs at least one line").with(Hint::invoice_lines);
  for (const auto& l : n.lines) {
    if (l.amount_ht < 0) throw usage_error("invalid amount '{}': must not be negative", format_amount(l.amount_ht));
    check_text(l.description, "description", TextRule{kMaxNoteLength, false});
  }
}

}  // namespace

Invoice issue_invoice(Ledger& ledger, const NewInvoice& n) {
  Ledger::Impl& impl = impl_of(ledger);
  check_new_invoice(n);
  Invoice out;
  ledger.write("invoice.issue", [&] { return write_invoice(impl, n, find_customer(ledger, n.customer), out); });
  return out;
}

// I3: what crediting invoice `orig` needs, read inside the write: its cached
// balance (every movement) and what the credit notes citing it credited, in
// all and per VAT rate.
CreditSnapshot credit_snapshot(Ledger::Impl& impl, const Invoice& orig) {
  CreditSnapshot snap;
  snap.number = orig.number;
  snap.credit_note = orig.credit_note;
  snap.issue_date = orig.issue_date;
  snap.total_ttc = orig.total_ttc;
  if (orig.credit_note) return snap;
  for (const auto& l : orig.lines) snap.uncredited_ht[l.vat_rate.bp] += l.amount_ht;
  auto& bal = impl.stmt(
      "SELECT total_ttc - paid - credited AS balance, "
      " (SELECT COALESCE(SUM(n.total_ttc), 0) FROM invoice n WHERE n.cites_id = i.id AND n.credit_note = 1) "
      "   AS credited_ttc "
      "FROM invoice i WHERE i.id = ?");
  bal.bind(1, orig.id);
  bal.executeStep();
  snap.balance = bal.getColumn("balance").getInt64();
  snap.credited_ttc = bal.getColumn("credited_ttc").getInt64();
  bal.reset();
  auto& q = impl.stmt(
      "SELECT l.vat_rate_bp AS vat_rate_bp, SUM(l.amount_ht) AS amount_ht, MAX(l.rule <> 'S3') AS by_hand "
      "FROM invoice_line l JOIN invoice n ON n.id = l.invoice_id WHERE n.cites_id = ? AND n.credit_note = 1 "
      "GROUP BY l.vat_rate_bp");
  q.bind(1, orig.id);
  const int rate = q.getColumnIndex("vat_rate_bp"), amount = q.getColumnIndex("amount_ht"),
            by_hand = q.getColumnIndex("by_hand");
  while (q.executeStep()) {
    snap.uncredited_ht[q.getColumn(rate).getInt64()] -= q.getColumn(amount).getInt64();
    if (q.getColumn(by_hand).getInt() != 0) snap.credited_by_hand = true;
  }
  q.reset();
  return snap;
}

CreditSnapshot credit_snapshot(Ledger::Impl& impl, const Invoice& orig, Date date) {
  CreditSnapshot snap = credit_snapshot(impl, orig);
  if (!orig.credit_note) snap.balance = lowest_balance_ahead(snap.balance, balance_moves_after(impl, orig.id, date), date);
  return snap;
}

std::vector<BalanceMove> balance_moves_after(Ledger::Impl& impl, std::int64_t invoice_id, Date from) {
  auto& q = impl.stmt(
      "SELECT date AS day, -amount AS change FROM allocation WHERE invoice_id = ?1 AND date > ?2 "
      "UNION ALL SELECT reversed_on, amount FROM allocation WHERE invoice_id = ?1 AND reversed_on > ?2 "
      "UNION ALL SELECT issue_date, -applied FROM invoice "
      " WHERE cites_id = ?1 AND credit_note = 1 AND applied > 0 AND issue_date > ?2");
  q.bind(1, invoice_id);
  q.bind(2, db_date(from));
  std::vector<BalanceMove> out;
  const int day = q.getColumnIndex("day"), change = q.getColumnIndex("change");
  while (q.executeStep()) out.push_back({parse_date(q.getColumn(day).getString()), q.getColumn(change).getInt64()});
  q.reset();
  return out;
}

CycleSettlement settle_cycle(Ledger::Impl& impl, const Invoice& inv, Rate vat_rate, Cents before_ht, Cents after_ht) {
  const CreditSnapshot snap = credit_snapshot(impl, inv);
  const auto left = snap.uncredited_ht.find(vat_rate.bp);
  return settle_invoiced_cycle(InvoicedCycleState{before_ht, after_ht, vat_rate,
                                                  left == snap.uncredited_ht.end() ? 0 : left->second,
                                                  snap.uncredited_ttc(), snap.credited_by_hand});
}

Invoice issue_credit_note(Ledger& ledger, std::string_view original, std::vector<InvoiceLine> lines, Date date,
                          std::string reason, std::optional<Date> business_date) {
  Ledger::Impl& impl = impl_of(ledger);
  if (reason.empty()) throw usage_error("a credit note needs a reason");
  check_text(reason, "reason", TextRule{kMaxNoteLength, false});
  Invoice out;
  ledger.write("credit-note.issue", [&] {
    const Invoice orig = find_invoice(ledger, original, date);
    const CreditDecision d = decide_credit(credit_snapshot(impl, orig, date), lines, date);
    const auto cid = impl.customer_id(orig.customer);
    std::string number;
    const auto id = insert_document(impl, true, cid, orig.kind, date, business_date.value_or(date), date, lines,
                                    orig.id, d.applied, reason, orig.subscription_id, orig.period, number,
                                    nullptr, d.vat_adjust);
    if (d.to_customer_credit > 0) {  // P3: what was already paid becomes customer credit
      auto& mv = impl.stmt(
          "INSERT INTO credit_movement(customer_id, date, amount, invoice_id, note) VALUES (?, ?, ?, ?, ?)");
      mv.bind(1, cid);
      mv.bind(2, db_date(date));
      mv.bind(3, d.to_customer_credit);
      mv.bind(4, id);
      mv.bind(5, "credit note " + number + " on paid part of " + orig.number);
      mv.exec();
    }
    impl.refresh_invoice(orig.id);
    impl.penalties_changed(orig.id, date);
    out = find_invoice(ledger, number, date);
    auto ev = event_of(out);
    ev["reason"] = reason;
    ev["applied"] = format_amount(d.applied);
    ev["to_credit"] = format_amount(d.to_customer_credit);
    return ev.dump();
  });
  return out;
}

Invoice void_invoice(Ledger& ledger, std::string_view number, std::string reason, Date date,
                     std::optional<Date> business_date) {
  Ledger::Impl& impl = impl_of(ledger);
  if (reason.empty()) throw usage_error("void needs a reason");
  check_text(reason, "reason", TextRule{kMaxNoteLength, false});
  const Invoice orig = find_invoice(ledger, number, date);
  // issue_credit_note decides again under the write lock (decide_credit).
  std::vector<InvoiceLine> lines = void_lines(credit_snapshot(impl, orig), orig.lines);
  return issue_credit_note(ledger, number, std::move(lines), date, std::move(reason), business_date);
}

Invoice credit_invoice(Ledger& ledger, std::string_view number, Cents amount_ht, std::string reason, Date date,
                       std::optional<Date> business_date) {
  Ledger::Impl& impl = impl_of(ledger);
  if (reason.empty()) throw usage_error("a partial credit note needs a reason");
  const Invoice orig = find_invoice(ledger, number, date);
  InvoiceLine line = partial_credit_line(credit_snapshot(impl, orig), amount_ht,
                                         fmt::format("Partial credit of {}: {}", orig.number, reason));
  return issue_credit_note(ledger, number, {std::move(line)}, date, std::move(reason), business_date);
}

Invoice find_invoice(Ledger& ledger, std::string_view number, Date d) {
  Ledger::Impl& impl = impl_of(ledger);
  auto& q = impl.stmt(std::string(kInvoiceSelect) + "WHERE i.number = ?2");
  q.bind(1, db_date(d));
  q.bind(2, std::string(number));
  if (!q.executeStep())
    throw not_found("unknown invoice '{}': expected a number such as F2026-000001", number).with(Hint::invoice_list);
  std::vector<Invoice> one{read_invoice(Row(q))};
  q.reset();
  load_lines(impl, one);
  return one.front();
}

Cents customer_balance(Ledger& ledger, std::string_view customer_code, Date d) {
  Ledger::Impl& impl = impl_of(ledger);
  const auto id = impl.customer_id(customer_code);
  // Nothing issued or moved after d: today's cached sum (migration 5) is the
  // balance on d. Otherwise each invoice as of d.
  auto& cached = impl.stmt("SELECT owed FROM customer WHERE id = ?1 AND COALESCE(moved_on, '') <= ?2");
  cached.bind(1, id);
  cached.bind(2, db_date(d));
  const bool current = cached.executeStep();
  const Cents owed_today = current ? cached.getColumn("owed").getInt64() : 0;
  cached.reset();
  if (current) return owed_today;
  auto& q = impl.stmt(kBalanceAsOf);
  q.bind(1, db_date(d));
  q.bind(2, id);
  q.executeStep();
  const Cents owed = q.getColumn("owed").getInt64();
  q.reset();
  return owed;
}

std::vector<Invoice> list_invoices(Ledger& ledger, const InvoiceFilter& f, Date d) {
  std::vector<Invoice> out;
  each_invoice(ledger, f, d, [&out](const Invoice& inv) { out.push_back(inv); });
  return out;
}

void each_invoice(Ledger& ledger, const InvoiceFilter& f, Date d, const std::function<void(const Invoice&)>& fn) {
  Ledger::Impl& impl = impl_of(ledger);
  std::string sql = std::string(kInvoiceSelect) + "WHERE i.issue_date <= ?1";
  if (f.customer) {
    impl.customer_id(*f.customer);  // unknown customer: not found
    sql += " AND c.code = ?2";
  }
  if (f.kind) sql += " AND i.kind = ?3";
  if (f.issued) sql += " AND i.issue_date BETWEEN ?4 AND ?5";
  sql += " ORDER BY i.id";
  auto& q = impl.stmt(sql);
  q.bind(1, db_date(d));
  if (f.customer) q.bind(2, *f.customer);
  if (f.kind) q.bind(3, std::string(to_string(*f.kind)));
  if (f.issued) {
    q.bind(4, db_date(f.issued->first));
    q.bind(5, db_date(f.issued->last));
  }
  // Batches of invoices get their lines in one range read (load_lines), then
  // go to fn; the statement's read transaction spans them all.
  constexpr std::size_t kBatch = 512;
  std::vector<Invoice> batch;
  batch.reserve(kBatch);
  auto flush = [&] {
    load_lines(impl, batch);
    for (const auto& inv : batch) fn(inv);
    batch.clear();
  };
  const Row k(q);
  while (q.executeStep()) {
    Invoice inv = read_invoice(k);
    if (f.status && inv.status != *f.status) continue;
    batch.push_back(std::move(inv));
    if (batch.size() == kBatch) flush();
  }
  flush();
  q.reset();
}

std::vector<Period> standby_periods(Ledger& ledger, std::string_view customer_code) {
  Ledger::Impl& impl = impl_of(ledger);
  const auto cid = impl.customer_id(customer_code);
  auto& q = impl.stmt(std::string(kAcceptedStandbys) + "AND s.customer_id = ? ORDER BY s.first_day");
  q.bind(1, cid);
  std::vector<Period> out;
  const Row k(q);
  while (q.executeStep()) out.push_back(standby_period(k));
  q.reset();
  return out;
}

std::vector<Invoice> run_billing(Ledger& ledger, Date month, Date today,
                                 const std::function<void(std::size_t, std::size_t)>& progress) {
  Ledger::Impl& impl = impl_of(ledger);
  month = month_first(month);
  check_billing_month(month, today);
  std::vector<Invoice> issued;
  ledger.write("invoice.run", [&] {
    const Policy policy = policy_at(ledger, month);
    // Every customer (VAT rate, terms) and accepted standbys, read once (not per subscription).
    std::map<std::string, Customer> by_code;
    for (Customer& c : list_customers(ledger)) by_code.emplace(c.code, std::move(c));
    std::map<std::string, std::vector<Period>> standbys;
    auto& sb = impl.stmt(std::string(kAcceptedStandbys) + "ORDER BY s.customer_id, s.first_day");
    const Row k(sb);
    while (sb.executeStep()) standbys[k.text("customer")].push_back(standby_period(k));
    sb.reset();
    const std::vector<Period> none;
    auto& exists = impl.stmt(
        "SELECT 1 FROM invoice WHERE subscription_id = ? AND period_first = ? AND credit_note = 0 "
        "AND kind = 'subscription'");
    nlohmann::json numbers = nlohmann::json::array();
    const std::vector<Subscription> subs = list_subscriptions(ledger);
    for (std::size_t k = 0; k < subs.size(); ++k) {
      const Subscription& s = subs[k];
      if (progress) progress(k + 1, subs.size());
      const auto period = cycle_starting_in(s.start, s.cycle, month);
      if (!period) continue;
      if (s.end_date && period->first > *s.end_date) continue;  // C4
      exists.reset();
      exists.clearBindings();
      exists.bind(1, s.id);
      exists.bind(2, db_date(period->first));
      const bool invoiced = exists.executeStep();
      exists.reset();
      if (invoiced) continue;  // I5: a cycle is invoiced once
      const auto sb_it = standbys.find(s.customer);
      NewInvoice n;
      n.customer = s.customer;
      n.kind = InvoiceKind::subscription;
      n.issue_date = today;  // I2: issued on the business date; the period names the cycle
      n.business_date = today;
      n.subscription_id = s.id;
      n.period = period;
      const Customer& c = by_code.at(s.customer);
      n.lines = subscription_cycle_lines(s.amount_ht, s.cycle, *period, s.end_date, c.vat_rate,
                                         sb_it == standbys.end() ? none : sb_it->second, policy);
      if (n.lines.empty()) continue;
      check_new_invoice(n);
      ledger.write("invoice.issue", [&] { return write_invoice(impl, n, c, issued.emplace_back()); });
      numbers.push_back(issued.back().number);
    }
    return nlohmann::json{{"period", format_month(month)}, {"issued", numbers}}.dump();
  });
  return issued;
}

}  // namespace tally
