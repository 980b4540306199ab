// Invoices and credit notes: numbering (I2), immutability (I3), billing runs (I5).
#include <algorithm>
#include <map>

#include <nlohmann/json.hpp>

#include "ledger/impl.hpp"
#include "tally/errors.hpp"

namespace tally {
namespace {

constexpr const char* kInvoiceSelect =
    "SELECT i.id, i.number, i.credit_note, c.code, i.kind, i.issue_date, i.due_date, i.total_ht, i.vat, "
    "i.total_ttc, i.reason, i.subscription_id, i.period_first, i.period_last, "
    "(SELECT number FROM invoice o WHERE o.id = i.cites_id), "
    // paid and credited as of :d (bound as ?1)
    "(SELECT COALESCE(SUM(a.amount), 0) FROM allocation a WHERE a.invoice_id = i.id AND a.date <= ?1 "
    "   AND (a.reversed_on IS NULL OR a.reversed_on > ?1)), "
    "(SELECT COALESCE(SUM(n.applied), 0) FROM invoice n WHERE n.cites_id = i.id AND n.issue_date <= ?1) "
    "FROM invoice i JOIN customer c ON c.id = i.customer_id ";

Invoice read_invoice(SQLite::Statement& q) {
  Invoice inv;
  inv.id = q.getColumn(0).getInt64();
  inv.number = q.getColumn(1).getString();
  inv.credit_note = q.getColumn(2).getInt() != 0;
  inv.customer = q.getColumn(3).getString();
  inv.kind = parse_invoice_kind(q.getColumn(4).getString());
  inv.issue_date = parse_date(q.getColumn(5).getString());
  inv.due_date = parse_date(q.getColumn(6).getString());
  inv.total_ht = q.getColumn(7).getInt64();
  inv.vat = q.getColumn(8).getInt64();
  inv.total_ttc = q.getColumn(9).getInt64();
  inv.reason = q.getColumn(10).getString();
  if (!q.getColumn(11).isNull()) inv.subscription_id = q.getColumn(11).getInt64();
  if (!q.getColumn(12).isNull())
    inv.period = Period{parse_date(q.getColumn(12).getString()), parse_date(q.getColumn(13).getString())};
  inv.cites = q.getColumn(14).getString();
  if (inv.credit_note) {
    inv.status = "credit-note";
    return inv;
  }
  inv.paid = q.getColumn(15).getInt64();
  inv.credited = q.getColumn(16).getInt64();
  inv.balance = inv.total_ttc - inv.paid - inv.credited;
  if (inv.balance == 0 && inv.credited > 0 && inv.credited == inv.total_ttc) inv.status = "void";
  else if (inv.balance == 0) inv.status = "paid";
  else if (inv.paid + inv.credited > 0) inv.status = "partially-paid";
  else inv.status = "open";
  return inv;
}

// Loads the lines of the given invoices (sorted by id) in one query.
void load_lines(Ledger::Impl& impl, std::vector<Invoice>& invoices) {
  if (invoices.empty()) return;
  std::map<std::int64_t, Invoice*> by_id;
  for (auto& inv : invoices) by_id[inv.id] = &inv;
  auto& q = impl.stmt(
      "SELECT invoice_id, description, item, qty, unit_ht, amount_ht, vat_rate_bp, rule FROM invoice_line "
      "WHERE invoice_id BETWEEN ? AND ? ORDER BY invoice_id, position");
  q.bind(1, by_id.begin()->first);
  q.bind(2, by_id.rbegin()->first);
  while (q.executeStep()) {
    auto it = by_id.find(q.getColumn(0).getInt64());
    if (it == by_id.end()) continue;
    it->second->lines.push_back(InvoiceLine{q.getColumn(1).getString(), q.getColumn(3).getInt64(),
                                            q.getColumn(4).getInt64(), q.getColumn(5).getInt64(),
                                            Rate{q.getColumn(6).getInt64()}, q.getColumn(7).getString(),
                                            q.getColumn(2).getString()});
  }
}

nlohmann::json event_of(const Invoice& inv) {
  return {{"number", inv.number},     {"customer", inv.customer},
          {"kind", to_string(inv.kind)}, {"issue_date", format_date(inv.issue_date)},
          {"total_ht", format_amount(inv.total_ht)}, {"vat", format_amount(inv.vat)},
          {"total_ttc", format_amount(inv.total_ttc)}, {"cites", inv.cites}};
}

// Inserts an invoice or credit note with the next number of its year (I2).
// Runs inside write(). Returns the new row id.
std::int64_t insert_document(Ledger::Impl& impl, bool credit_note, std::int64_t customer_id, InvoiceKind kind,
                             Date issue, Date due, const std::vector<InvoiceLine>& lines,
                             std::optional<std::int64_t> cites_id, Cents applied, const std::string& reason,
                             std::optional<std::int64_t> subscription_id, std::optional<Period> period,
                             std::string& number_out) {
  impl.check_open_period(issue, credit_note ? "credit note" : "invoice");
  const Totals t = invoice_totals(lines);
  const int year = year_of(issue);
  auto& next = impl.stmt("SELECT COALESCE(MAX(seq), 0) + 1 FROM invoice WHERE credit_note = ? AND year = ?");
  next.bind(1, credit_note ? 1 : 0);
  next.bind(2, year);
  next.executeStep();
  const std::int64_t seq = next.getColumn(0).getInt64();
  if (seq > 999'999) throw refused("I2", "invoice numbers of {} are exhausted (999999 issued)", year);
  number_out = fmt::format("{}{}-{:06}", credit_note ? "AV" : "F", year, seq);
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

void Ledger::Impl::refresh_invoice(std::int64_t id) {
  auto& q = stmt(
      "SELECT i.total_ttc, i.issue_date, "
      " (SELECT COALESCE(SUM(amount), 0) FROM allocation WHERE invoice_id = i.id AND reversed_on IS NULL), "
      " (SELECT COALESCE(SUM(applied), 0) FROM invoice WHERE cites_id = i.id), "
      " (SELECT MAX(date) FROM allocation WHERE invoice_id = i.id AND reversed_on IS NULL), "
      " (SELECT MAX(issue_date) FROM invoice WHERE cites_id = i.id) "
      "FROM invoice i WHERE i.id = ? AND i.credit_note = 0");
  q.bind(1, id);
  if (!q.executeStep()) return;
  const Cents ttc = q.getColumn(0).getInt64();
  const Cents paid = q.getColumn(2).getInt64();
  const Cents credited = q.getColumn(3).getInt64();
  std::string settled;
  if (ttc - paid - credited == 0) {
    settled = q.getColumn(1).getString();
    for (int c : {4, 5})
      if (!q.getColumn(c).isNull()) settled = std::max(settled, q.getColumn(c).getString());
  }
  q.reset();
  auto& up = stmt("UPDATE invoice SET paid = ?, credited = ?, settled_on = ? WHERE id = ?");
  up.bind(1, paid);
  up.bind(2, credited);
  if (!settled.empty()) up.bind(3, settled);
  up.bind(4, id);
  up.exec();
}

Invoice Ledger::issue_invoice(const NewInvoice& n) {
  if (n.lines.empty()) throw usage_error("an invoice needs at least one line (--amount or --item)");
  for (const auto& l : n.lines)
    if (l.amount_ht < 0) throw usage_error("invalid amount '{}': must not be negative", format_amount(l.amount_ht));
  Invoice out;
  write("invoice.issue", [&] {
    const Customer c = customer(n.customer);
    const Date due = n.due_date ? *n.due_date : due_date(n.issue_date, c.terms_days);
    std::string number;
    insert_document(*impl_, false, c.id, n.kind, n.issue_date, due, n.lines, std::nullopt, 0, "", n.subscription_id,
                    n.period, number);
    out = invoice(number, n.issue_date);
    return event_of(out).dump();
  });
  return out;
}

Invoice Ledger::issue_credit_note(std::string_view original, std::vector<InvoiceLine> lines, Date date,
                                  std::string reason) {
  if (reason.empty()) throw usage_error("a credit note needs a reason (--reason TEXT)");
  Invoice out;
  write("credit-note.issue", [&] {
    const Invoice orig = invoice(original, date);
    if (orig.credit_note) throw refused("I3", "'{}' is a credit note: only invoices can be credited", original);
    if (date < orig.issue_date)
      throw refused("I3", "credit note dated {} refused: before the invoice's issue date {}", format_date(date),
                    format_date(orig.issue_date));
    const Totals t = invoice_totals(lines);
    if (t.ttc <= 0) throw usage_error("a credit note must credit an amount above 0.00");
    // The remaining balance today (all movements), not only as of `date`.
    auto& bal = impl_->stmt("SELECT total_ttc - paid - credited, total_ttc - credited FROM invoice WHERE id = ?");
    bal.bind(1, orig.id);
    bal.executeStep();
    const Cents balance = bal.getColumn(0).getInt64();
    const Cents creditable = bal.getColumn(1).getInt64();
    bal.reset();
    if (t.ttc > creditable)
      throw refused("I3", "credit of {} on {} refused: only {} of it is not yet credited", format_amount(t.ttc),
                    original, format_amount(creditable));
    const Cents applied = std::min(balance, t.ttc);
    const auto cid = impl_->customer_id(orig.customer);
    std::string number;
    const auto id = insert_document(*impl_, true, cid, orig.kind, date, date, lines, orig.id, applied, reason,
                                    orig.subscription_id, orig.period, number);
    if (t.ttc > applied) {  // P3: what was already paid becomes customer credit
      auto& mv = impl_->stmt(
          "INSERT INTO credit_movement(customer_id, date, amount, invoice_id, note) VALUES (?, ?, ?, ?, ?)");
      mv.bind(1, cid);
      mv.bind(2, db_date(date));
      mv.bind(3, t.ttc - applied);
      mv.bind(4, id);
      mv.bind(5, "credit note " + number + " on paid part of " + orig.number);
      mv.exec();
    }
    impl_->refresh_invoice(orig.id);
    out = invoice(number, date);
    auto ev = event_of(out);
    ev["reason"] = reason;
    return ev.dump();
  });
  return out;
}

Invoice Ledger::void_invoice(std::string_view number, std::string reason, Date date) {
  if (reason.empty()) throw usage_error("void needs a reason (--reason TEXT)");
  const Invoice orig = invoice(number, date);
  if (orig.credit_note) throw refused("I3", "'{}' is a credit note: it cannot be voided", number);
  // Credit what is not yet credited, per VAT rate (M2).
  std::map<std::int64_t, Cents> remaining;
  for (const auto& l : orig.lines) remaining[l.vat_rate.bp] += l.amount_ht;
  auto& q = impl_->stmt(
      "SELECT l.vat_rate_bp, SUM(l.amount_ht) FROM invoice_line l JOIN invoice n ON n.id = l.invoice_id "
      "WHERE n.cites_id = ? GROUP BY l.vat_rate_bp");
  q.bind(1, orig.id);
  bool any_credit = false;
  while (q.executeStep()) {
    remaining[q.getColumn(0).getInt64()] -= q.getColumn(1).getInt64();
    any_credit = true;
  }
  std::vector<InvoiceLine> lines;
  if (!any_credit) {
    lines = orig.lines;
    for (auto& l : lines) l.rule = "I3";
  } else {
    for (const auto& [bp, ht] : remaining)
      if (ht > 0) lines.push_back(InvoiceLine{"Remaining amount of " + orig.number, 100, ht, ht, Rate{bp}, "I3", ""});
  }
  if (lines.empty() || invoice_totals(lines).ttc <= 0)
    throw conflict("invoice '{}' is already fully credited (void)", number);
  return issue_credit_note(number, std::move(lines), date, std::move(reason));
}

Invoice Ledger::invoice(std::string_view number, Date d) {
  auto& q = impl_->stmt(std::string(kInvoiceSelect) + "WHERE i.number = ?2");
  q.bind(1, db_date(d));
  q.bind(2, std::string(number));
  if (!q.executeStep())
    throw not_found("unknown invoice '{}': expected a number such as F2026-000001 (see 'tally invoice list')",
                    number);
  std::vector<Invoice> one{read_invoice(q)};
  q.reset();
  load_lines(*impl_, one);
  return one.front();
}

std::vector<Invoice> Ledger::invoices(const InvoiceFilter& f, Date d) {
  std::string sql = std::string(kInvoiceSelect) + "WHERE i.issue_date <= ?1";
  if (f.customer) {
    impl_->customer_id(*f.customer);  // unknown customer: not found
    sql += " AND c.code = ?2";
  }
  if (f.kind) sql += " AND i.kind = ?3";
  sql += " ORDER BY i.id";
  auto& q = impl_->stmt(sql);
  q.bind(1, db_date(d));
  if (f.customer) q.bind(2, *f.customer);
  if (f.kind) q.bind(3, std::string(to_string(*f.kind)));
  std::vector<Invoice> out;
  while (q.executeStep()) {
    Invoice inv = read_invoice(q);
    if (f.status && inv.status != *f.status) continue;
    out.push_back(std::move(inv));
  }
  q.reset();
  load_lines(*impl_, out);
  return out;
}

std::vector<Invoice> Ledger::run_billing(Date month, Date today) {
  month = month_first(month);
  if (today < month)
    throw refused("I5", "billing {} refused on {}: a month is billed from its first day on", format_month(month),
                  format_date(today));
  std::vector<Invoice> issued;
  write("invoice.run", [&] {
    const Policy policy = policy_at(month);
    auto& exists = impl_->stmt(
        "SELECT 1 FROM invoice WHERE subscription_id = ? AND period_first = ? AND credit_note = 0 "
        "AND kind = 'subscription'");
    nlohmann::json numbers = nlohmann::json::array();
    for (const Subscription& s : subscriptions()) {
      const auto period = cycle_starting_in(s.start, s.cycle, month);
      if (!period) continue;
      if (s.end_date && period->first > *s.end_date) continue;  // C4
      exists.reset();
      exists.clearBindings();
      exists.bind(1, s.id);
      exists.bind(2, db_date(period->first));
      if (exists.executeStep()) continue;  // I5: a cycle is invoiced once
      const Customer c = customer(s.customer);
      NewInvoice n;
      n.customer = s.customer;
      n.kind = InvoiceKind::subscription;
      n.issue_date = month;
      n.subscription_id = s.id;
      n.period = period;
      n.lines = subscription_cycle_lines(s.amount_ht, s.cycle, *period, s.end_date, c.vat_rate,
                                         standby_periods(s.customer), policy);
      if (n.lines.empty()) continue;
      issued.push_back(issue_invoice(n));
      numbers.push_back(issued.back().number);
    }
    return nlohmann::json{{"period", format_month(month)}, {"issued", numbers}}.dump();
  });
  return issued;
}

}  // namespace tally
