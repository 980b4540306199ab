// A1, A2 from the ledger: the rows of documents, payments and reversals read
// in date order with named columns, handed to the pure builders of
// tally/accounting.hpp one entry at a time; the VAT report of a month.
#include "tally/accounting.hpp"

#include <fmt/format.h>

#include "ledger/impl.hpp"
#include "ledger/rows.hpp"
#include "tally/errors.hpp"

namespace tally {
namespace {

// Documents with their lines, in issue date order: one row per line.
constexpr const char* kDocumentRows = R"sql(
SELECT i.id AS id, i.number AS number, i.credit_note AS credit_note, i.kind AS kind, i.issue_date AS issue_date,
       i.total_ttc AS total_ttc, i.applied AS applied, c.code AS customer, c.name AS customer_name,
       COALESCE(o.number, '') AS cites, l.amount_ht AS amount_ht, l.vat_rate_bp AS vat_rate_bp, l.rule AS rule
  FROM invoice i JOIN customer c ON c.id = i.customer_id LEFT JOIN invoice o ON o.id = i.cites_id
  JOIN invoice_line l ON l.invoice_id = i.id
 WHERE i.issue_date <= ?1
 ORDER BY i.issue_date, i.id, l.position
)sql";

// Payments with what their allocations settled (reversed or not: a reversal
// is an entry of its own).
#define TALLY_PAYMENT_COLUMNS                                                                                    \
  "SELECT p.id AS id, p.method AS method, p.date AS date, p.amount AS amount, COALESCE(p.ref, '') AS ref, "     \
  "       p.reversed_on AS reversed_on, c.code AS customer, c.name AS customer_name, "                           \
  "       COALESCE(i.number, '') AS invoice, "                                                                   \
  "       (SELECT COALESCE(SUM(a.amount), 0) FROM allocation a WHERE a.payment_id = p.id) AS allocated "        \
  "  FROM payment p JOIN customer c ON c.id = p.customer_id LEFT JOIN invoice i ON i.id = p.invoice_id "
constexpr const char* kPaymentRows = TALLY_PAYMENT_COLUMNS "WHERE p.date <= ?1 ORDER BY p.date, p.id";
constexpr const char* kReversalRows = TALLY_PAYMENT_COLUMNS
    "WHERE p.reversed_on IS NOT NULL AND p.reversed_on <= ?1 ORDER BY p.reversed_on, p.id";
#undef TALLY_PAYMENT_COLUMNS

class DocumentCursor {
 public:
  explicit DocumentCursor(SQLite::Statement& q) : q_(q), r_(q) { more_ = q_.executeStep(); }
  bool done() const { return !more_; }
  Date date() const { return r_.date("issue_date"); }
  // The document at the cursor with all its lines; moves past it.
  DocumentFacts take() {
    DocumentFacts d;
    const std::int64_t id = r_.int64("id");
    d.number = r_.text("number");
    d.credit_note = r_.flag("credit_note");
    d.kind = parse_invoice_kind(r_.text("kind"));
    d.issue_date = date();
    d.total_ttc = r_.cents("total_ttc");
    d.applied = r_.cents("applied");
    d.customer = r_.text("customer");
    d.customer_name = r_.text("customer_name");
    d.cites = r_.text("cites");
    do {
      d.lines.push_back(BookedLine{r_.cents("amount_ht"), Rate{r_.int64("vat_rate_bp")}, r_.text("rule")});
      more_ = q_.executeStep();
    } while (more_ && r_.int64("id") == id);
    return d;
  }

 private:
  SQLite::Statement& q_;
  const Row r_;
  bool more_ = false;
};

class PaymentCursor {
 public:
  PaymentCursor(SQLite::Statement& q, bool reversals) : q_(q), r_(q), reversals_(reversals) {
    more_ = q_.executeStep();
  }
  bool done() const { return !more_; }
  Date date() const { return reversals_ ? r_.date("reversed_on") : r_.date("date"); }
  PaymentFacts take() {
    PaymentFacts p;
    p.id = r_.int64("id");
    p.method = parse_method(r_.text("method"), true);
    p.date = r_.date("date");
    p.amount = r_.cents("amount");
    p.ref = r_.text("ref");
    if (const auto reversed = r_.optional_date("reversed_on")) p.reversed_on = *reversed;
    p.customer = r_.text("customer");
    p.customer_name = r_.text("customer_name");
    p.invoice = r_.text("invoice");
    p.allocated = r_.cents("allocated");
    more_ = q_.executeStep();
    return p;
  }

 private:
  SQLite::Statement& q_;
  const Row r_;
  bool reversals_;
  bool more_ = false;
};

// The composition by rate of one document (M2: VAT per rate on its HT), read
// from rows grouped by document (or allocation) and rate.
VatBucket bucket(Rate rate, Cents ht) { return VatBucket{rate, ht, apply_rate(ht, rate)}; }

// Rows "key, total_ttc, vat_rate_bp, ht" grouped by key then rate: calls
// fn(key columns read by `read`, buckets, ttc) once per key, the buckets' VAT
// that of the document (its TTC minus its HT: stored_totals, K3).
template <typename Read, typename Fn>
void by_key(SQLite::Statement& q, Name key, Read read, Fn fn) {
  const Row row(q);
  bool more = q.executeStep();
  while (more) {
    const std::int64_t k = row.int64(key);
    const auto r = read(row);
    const Cents ttc = row.cents("total_ttc");
    std::vector<VatBucket> buckets;
    Cents ht = 0;
    do {
      buckets.push_back(bucket(Rate{row.int64("vat_rate_bp")}, row.cents("ht")));
      ht += buckets.back().ht;
      more = q.executeStep();
    } while (more && row.int64(key) == k);
    apply_stored_vat(buckets, ttc - ht);  // K3: the document's VAT as stored
    fn(r, buckets, ttc);
  }
  q.reset();
}

void add_shares(VatReport& r, Cents amount, const std::vector<VatBucket>& buckets, Cents ttc, Cents prior = 0) {
  if (ttc <= 0 || amount == 0) return;
  for (const auto& s : vat_share(amount, buckets, ttc, prior)) add_vat(r.by_rate, s);
}

void receipts(Ledger::Impl& impl, VatReport& r) {
  auto& q = impl.stmt(R"sql(
SELECT a.id AS allocation, a.amount AS amount, a.date BETWEEN ?1 AND ?2 AS received_in,
       (SELECT COALESCE(SUM(b.amount), 0) FROM allocation b WHERE b.invoice_id = a.invoice_id AND b.id < a.id) AS prior,
       COALESCE(a.reversed_on BETWEEN ?1 AND ?2, 0) AS reversed_in, i.total_ttc AS total_ttc,
       l.vat_rate_bp AS vat_rate_bp, SUM(l.amount_ht) AS ht
  FROM allocation a JOIN invoice i ON i.id = a.invoice_id JOIN invoice_line l ON l.invoice_id = i.id
 WHERE (a.date BETWEEN ?1 AND ?2 OR a.reversed_on BETWEEN ?1 AND ?2) AND i.kind <> 'penalty'
 GROUP BY a.id, l.vat_rate_bp
 ORDER BY a.id, l.vat_rate_bp
)sql");
  q.bind(1, db_date(r.month));
  q.bind(2, db_date(r.end));
  struct Alloc {
    Cents amount, prior;  // prior: allocated to the invoice before it (vat_share)
    bool received, reversed;
  };
  by_key(
      q, "allocation",
      [](const Row& s) { return Alloc{s.cents("amount"), s.cents("prior"), s.flag("received_in"), s.flag("reversed_in")}; },
      [&r](const Alloc& a, const std::vector<VatBucket>& buckets, Cents ttc) {
        if (a.received) {
          r.received += a.amount;
          add_shares(r, a.amount, buckets, ttc, a.prior);
        }
        if (a.reversed) {
          r.reversed += a.amount;
          add_shares(r, -a.amount, buckets, ttc, a.prior);
        }
      });
  // A credit note on a paid part: what became customer credit gives back its VAT.
  auto& n = impl.stmt(R"sql(
SELECT n.id AS id, n.total_ttc - n.applied AS to_credit, n.total_ttc AS total_ttc,
       l.vat_rate_bp AS vat_rate_bp, SUM(l.amount_ht) AS ht
  FROM invoice n JOIN invoice_line l ON l.invoice_id = n.id
 WHERE n.credit_note = 1 AND n.issue_date BETWEEN ?1 AND ?2 AND n.kind <> 'penalty' AND n.total_ttc > n.applied
 GROUP BY n.id, l.vat_rate_bp
 ORDER BY n.id, l.vat_rate_bp
)sql");
  n.bind(1, db_date(r.month));
  n.bind(2, db_date(r.end));
  by_key(
      n, "id", [](const Row& s) { return s.cents("to_credit"); },
      [&r](Cents to_credit, const std::vector<VatBucket>& buckets, Cents ttc) {
        r.credited_paid += to_credit;
        add_shares(r, -to_credit, buckets, ttc);
      });
}

void debits(Ledger::Impl& impl, VatReport& r) {
  auto& q = impl.stmt(R"sql(
SELECT i.id AS id, i.credit_note AS credit_note, i.total_ttc AS total_ttc, l.vat_rate_bp AS vat_rate_bp,
       SUM(l.amount_ht) AS ht
  FROM invoice i JOIN invoice_line l ON l.invoice_id = i.id
 WHERE i.issue_date BETWEEN ?1 AND ?2 AND i.kind <> 'penalty'
 GROUP BY i.id, l.vat_rate_bp
 ORDER BY i.id, l.vat_rate_bp
)sql");
  q.bind(1, db_date(r.month));
  q.bind(2, db_date(r.end));
  by_key(
      q, "id", [](const Row& s) { return s.flag("credit_note"); },
      [&r](bool credit_note, const std::vector<VatBucket>& buckets, Cents ttc) {
        (credit_note ? r.credit_notes_ttc : r.invoiced_ttc) += ttc;
        for (const auto& b : buckets)
          add_vat(r.by_rate, credit_note ? VatAmounts{b.rate, -b.ht, -b.vat} : VatAmounts{b.rate, b.ht, b.vat});
      });
}

}  // namespace

void each_entry(Ledger& ledger, Date last, const std::function<void(const Entry&)>& fn) {
  Ledger::Impl& impl = impl_of(ledger);
  auto& dq = impl.stmt(kDocumentRows);
  auto& pq = impl.stmt(kPaymentRows);
  auto& rq = impl.stmt(kReversalRows);
  for (auto* q : {&dq, &pq, &rq}) q->bind(1, db_date(last));
  try {
    DocumentCursor docs(dq);
    PaymentCursor pays(pq, false), revs(rq, true);
    while (!docs.done() || !pays.done() || !revs.done()) {
      // The earliest day first; on one day documents, payments, reversals.
      // A finished cursor sorts after every day (no std::optional: g++ 12
      // warns that a disengaged one may be read).
      constexpr Date kNever = Date::max();
      const Date d = docs.done() ? kNever : docs.date();
      const Date p = pays.done() ? kNever : pays.date();
      const Date r = revs.done() ? kNever : revs.date();
      if (!docs.done() && d <= p && d <= r) fn(document_entry(docs.take()));
      else if (!pays.done() && p <= r) fn(payment_entry(pays.take()));
      else fn(reversal_entry(revs.take()));
    }
  } catch (...) {
    for (auto* q : {&dq, &pq, &rq}) q->reset();
    throw;
  }
  for (auto* q : {&dq, &pq, &rq}) q->reset();
}

std::vector<Rate> vat_rates(Ledger& ledger) {
  auto& q = impl_of(ledger).stmt("SELECT DISTINCT vat_rate_bp AS bp FROM invoice_line ORDER BY bp");
  std::vector<Rate> out;
  const Row r(q);
  while (q.executeStep()) out.push_back(Rate{r.int64("bp")});
  q.reset();
  return out;
}

ExportTotals export_entries(Ledger& ledger, Date first, Date last, const std::function<void(const Entry&)>& fn) {
  if (first > last)
    throw usage_error("invalid period {} to {}: its first day is after its last", format_date(first),
                      format_date(last));
  ExportTotals t;
  t.first = first;
  t.last = last;
  OpeningBalances opening;
  bool started = false;
  const auto emit = [&](const Entry& e) {
    ++t.entries;
    t.lines += static_cast<std::int64_t>(e.postings.size());
    t.debit += e.debit();
    t.credit += e.credit();
    fn(e);
  };
  const auto start = [&] {
    if (started) return;
    started = true;
    if (auto o = opening.entry(first)) {
      t.opening = true;
      emit(*o);
    }
  };
  each_entry(ledger, last, [&](const Entry& e) {
    if (e.date < first) {
      opening.add(e);
      return;
    }
    start();
    emit(e);
  });
  start();
  return t;
}

VatReport vat_report(Ledger& ledger, Date month, Date as_of) {
  if (month_first(month) > as_of)
    throw usage_error("invalid month {}: it starts after the business date {}", format_month(month),
                      format_date(as_of));
  VatReport r;
  r.month = month_first(month);
  r.complete = as_of > month_last(month);
  r.end = r.complete ? month_last(month) : as_of;
  r.regime = seller_at(ledger, r.end).vat_regime;
  if (r.regime == VatRegime::receipts) receipts(impl_of(ledger), r);
  else debits(impl_of(ledger), r);
  for (const auto& v : r.by_rate) {
    r.total.base += v.base;
    r.total.vat += v.vat;
  }
  return r;
}

}  // namespace tally
