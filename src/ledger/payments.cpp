// Payments (P1-P6): recording money received, fees, customer credit,
// idempotency by reference, reversals and listings.
#include "tally/payments.hpp"

#include <algorithm>

#include <nlohmann/json.hpp>

#include "ledger/impl.hpp"
#include "ledger/rows.hpp"
#include "tally/errors.hpp"
#include "tally/payment_rules.hpp"

namespace tally {
namespace {

constexpr const char* kPaymentSelect =
    "SELECT p.id, COALESCE(i.number, '') AS invoice, c.code, p.amount, p.method, p.date, COALESCE(p.ref, '') AS ref, "
    "p.detail, COALESCE(p.waive_reason, '') AS waive_reason, COALESCE(f.number, '') AS fee_invoice, p.reversed_on, "
    "COALESCE(p.reverse_reason, '') AS reverse_reason "
    "FROM payment p JOIN customer c ON c.id = p.customer_id "
    "LEFT JOIN invoice i ON i.id = p.invoice_id LEFT JOIN invoice f ON f.id = p.fee_invoice_id ";

// A row of kPaymentSelect. A reversal dated after as_of is not shown.
Payment read_payment(const Row& r, std::optional<Date> as_of) {
  Payment p;
  p.id = r.int64("id");
  p.invoice = r.text("invoice");
  p.customer = r.text("code");
  p.amount = r.cents("amount");
  p.method = parse_method(r.text("method"), true);
  p.date = r.date("date");
  p.ref = r.text("ref");
  p.detail = r.text("detail");
  p.waive_reason = r.text("waive_reason");
  p.fee_invoice = r.text("fee_invoice");
  if (const auto reversed = r.optional_date("reversed_on")) {
    if (!as_of || *reversed <= *as_of) {
      p.reversed_on = *reversed;
      p.reverse_reason = r.text("reverse_reason");
    }
  }
  return p;
}

// The payment with that id, all of it (reversal included). Throws Error(not_found).
Payment payment_by_id(Ledger::Impl& impl, std::int64_t id) {
  auto& q = impl.stmt(std::string(kPaymentSelect) + "WHERE p.id = ?");
  q.bind(1, id);
  if (!q.executeStep()) throw not_found("unknown payment '{}'", id).with(Hint::payment_list);
  Payment p = read_payment(Row(q), std::nullopt);
  q.reset();
  return p;
}

std::optional<Payment> payment_by_ref(Ledger::Impl& impl, const std::string& ref) {
  auto& q = impl.stmt(std::string(kPaymentSelect) + "WHERE p.ref = ?");
  q.bind(1, ref);
  if (!q.executeStep()) return std::nullopt;
  Payment p = read_payment(Row(q), std::nullopt);
  q.reset();
  return p;
}

// P4: what differs between a recorded payment and a request with its reference;
// "" when they are the same payment. A request without amount matches any amount.
std::string differences(const Payment& p, const PaymentRequest& r) {
  std::string diff;
  auto add = [&diff](std::string_view what, const std::string& have, const std::string& asked) {
    if (have == asked) return;
    diff += fmt::format("{}{} {} (asked {})", diff.empty() ? "" : ", ", what, have, asked);
  };
  add("invoice", p.invoice, r.invoice);
  add("method", std::string(to_string(p.method)), std::string(to_string(r.method)));
  if (r.amount) add("amount", format_amount(p.amount), format_amount(*r.amount));
  add("date", format_date(p.date), format_date(r.date));
  return diff;
}

// The state of an invoice and its customer credit after a payment, at `today`.
PaymentResult result_of(Ledger& ledger, Payment p, Date today) {
  PaymentResult out;
  out.invoice = find_invoice(ledger, p.invoice, today);
  if (!p.fee_invoice.empty()) out.fees.push_back(find_invoice(ledger, p.fee_invoice, today));
  out.credit = customer_credit(ledger, p.customer, today);
  out.payment = std::move(p);
  return out;
}

// P4: the payment already recorded under the request's reference, as a
// duplicate result; none when the reference is new. Throws Error(conflict)
// when it was recorded with other details.
std::optional<PaymentResult> duplicate_of(Ledger& ledger, const PaymentRequest& r) {
  if (r.ref.empty()) return std::nullopt;
  auto known = payment_by_ref(impl_of(ledger), r.ref);
  if (!known) return std::nullopt;
  if (const std::string diff = differences(*known, r); !diff.empty())
    throw conflict("reference '{}' is already payment {} with other details: {} (P4: one reference, one payment)",
                   r.ref, known->id, diff);
  PaymentResult out = result_of(ledger, std::move(*known), r.today);
  out.duplicate = true;
  return out;
}

// Thrown from inside write() when a concurrent writer recorded the reference
// first: write() rolls back and pay() returns the duplicate.
struct DuplicateFound {
  PaymentResult result;
};

// The invoice to pay, in one indexed read. Throws Error(not_found) naming the number.
PayTarget pay_target(Ledger::Impl& impl, std::string_view number) {
  auto& q = impl.stmt(
      "SELECT i.id, i.credit_note, c.id AS customer_id, c.code, c.vat_rate_bp, i.kind, i.issue_date, s.cycle, i.total_ttc, "
      "i.paid, i.credited FROM invoice i JOIN customer c ON c.id = i.customer_id "
      "LEFT JOIN subscription s ON s.id = i.subscription_id WHERE i.number = ?");
  q.bind(1, std::string(number));
  if (!q.executeStep()) {
    q.reset();
    impl.invoice_id(number);  // throws not_found, naming the number
    throw Error(ExitCode::internal, fmt::format("invoice '{}' has no customer row", number));
  }
  PayTarget t;
  const Row r(q);
  t.id = r.int64("id");
  t.number = std::string(number);
  t.credit_note = r.flag("credit_note");
  t.customer_id = r.int64("customer_id");
  t.customer = r.text("code");
  t.vat_rate = Rate{r.int64("vat_rate_bp")};
  t.kind = parse_invoice_kind(r.text("kind"));
  t.issue_date = r.date("issue_date");
  if (const auto cycle = r.optional_text("cycle")) t.cycle = parse_cycle(*cycle);
  t.ttc = r.cents("total_ttc");
  t.paid = r.cents("paid");
  t.credited = r.cents("credited");
  q.reset();
  return t;
}

// P6 and I3: the invoice can be paid on `date`; returns its balance.
Cents payable_balance(Ledger::Impl& impl, const PayTarget& inv, Date date, Date today) {
  const Cents balance =
      check_payable(PayableInvoice{inv.number, inv.credit_note, inv.issue_date, inv.ttc, inv.paid, inv.credited},
                    date, today);
  impl.check_open_period(date, "payment");
  return balance;
}

// The payment as recorded, from what was inserted (no read back).
Payment recorded(std::int64_t id, const PayTarget& inv, Cents amount, Method method, Date date, std::string ref,
                 std::string detail, std::string waive_reason) {
  Payment p;
  p.id = id;
  p.invoice = inv.number;
  p.customer = inv.customer;
  p.amount = amount;
  p.method = method;
  p.date = date;
  p.ref = std::move(ref);
  p.detail = std::move(detail);
  p.waive_reason = std::move(waive_reason);
  return p;
}

void check_amount(std::optional<Cents> amount) {
  if (amount && *amount <= 0)
    throw usage_error("invalid amount '{}': a payment must be above 0.00", format_amount(*amount));
}

std::int64_t insert_payment(Ledger::Impl& impl, std::int64_t customer_id, std::int64_t invoice_id, Cents amount,
                            Method method, Date date, const std::string& ref, const std::string& detail,
                            const std::string& waive_reason) {
  auto& ins = impl.stmt(
      "INSERT INTO payment(customer_id, invoice_id, amount, method, date, ref, detail, waive_reason) "
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
  ins.bind(1, customer_id);
  ins.bind(2, invoice_id);
  ins.bind(3, amount);
  ins.bind(4, std::string(to_string(method)));
  ins.bind(5, db_date(date));
  if (!ref.empty()) ins.bind(6, ref);
  ins.bind(7, detail);
  if (!waive_reason.empty()) ins.bind(8, waive_reason);
  ins.exec();
  return impl.db.getLastInsertRowid();
}

// Allocates to invoice_id of customer_id (a payment's invoices and fee are its customer's).
void allocate(Ledger::Impl& impl, std::int64_t customer_id, std::int64_t invoice_id, std::int64_t payment_id,
              Cents amount, Date date) {
  auto& ins = impl.stmt("INSERT INTO allocation(invoice_id, payment_id, amount, date) VALUES (?, ?, ?, ?)");
  ins.bind(1, invoice_id);
  ins.bind(2, payment_id);
  ins.bind(3, amount);
  ins.bind(4, db_date(date));
  ins.exec();
  impl.add_paid(invoice_id, amount);
  impl.customer_moved(customer_id, -amount, date);
  impl.penalties_changed(invoice_id, date);
}

// P3, P2 (K1, K2): records `amount` of payment `payment_id` dated `paid_on`
// as settling invoice_id on `on` (an allocation dated `on`); when `on` is
// later, the money waits as the customer's credit from paid_on to `on`: a
// pair of credit movements of the payment naming the invoice.
void allocate_on(Ledger::Impl& impl, std::int64_t customer_id, std::int64_t invoice_id, std::int64_t payment_id,
                 Cents amount, Date paid_on, Date on) {
  if (on > paid_on) {
    auto& hold = impl.stmt(
        "INSERT INTO credit_movement(customer_id, date, amount, payment_id, invoice_id, note) "
        "VALUES (?, ?, ?, ?, ?, ?)");
    const auto held = [&](Date d, Cents a, std::string note) {
      hold.bind(1, customer_id);
      hold.bind(2, db_date(d));
      hold.bind(3, a);
      hold.bind(4, payment_id);
      hold.bind(5, invoice_id);
      hold.bind(6, note);
      hold.exec();
      hold.reset();
      hold.clearBindings();
    };
    held(paid_on, amount, fmt::format("payment {} held until it settles on {}", payment_id, format_date(on)));
    held(on, -amount, fmt::format("payment {} held since {} settles", payment_id, format_date(paid_on)));
  }
  allocate(impl, customer_id, invoice_id, payment_id, amount, on);
}

void move_credit(Ledger::Impl& impl, std::int64_t customer_id, Date date, Cents amount, std::int64_t payment_id,
                 const std::string& note) {
  auto& ins = impl.stmt(
      "INSERT INTO credit_movement(customer_id, date, amount, payment_id, note) VALUES (?, ?, ?, ?, ?)");
  ins.bind(1, customer_id);
  ins.bind(2, db_date(date));
  ins.bind(3, amount);
  ins.bind(4, payment_id);
  ins.bind(5, note);
  ins.exec();
}

// P3: the credit a customer can spend on `date`: its credit that day, and no
// more than it holds on any later day (so no later movement goes negative).
Cents credit_available(Ledger::Impl& impl, std::int64_t customer_id, Date date) {
  auto& q = impl.stmt(
      "WITH daily AS (SELECT date, SUM(amount) AS s FROM credit_movement WHERE customer_id = ?1 GROUP BY date), "
      "running AS (SELECT date, SUM(s) OVER (ORDER BY date) AS run FROM daily) "
      "SELECT (SELECT COALESCE(SUM(s), 0) FROM daily WHERE date <= ?2) AS held, "
      "       (SELECT MIN(run) FROM running WHERE date > ?2) AS lowest_after");
  q.bind(1, customer_id);
  q.bind(2, db_date(date));
  q.executeStep();
  const Row r(q);
  Cents available = r.cents("held");
  if (const auto lowest = r.optional_int64("lowest_after")) available = std::min(available, *lowest);
  q.reset();
  return available;
}

// The payload of a "pay" event: the object nlohmann would write (keys sorted),
// formatted directly. A bulk import writes 100k of them, and building each as
// a JSON tree was a tenth of its time.
std::string event_of(const PaymentResult& r) {
  const Payment& p = r.payment;
  std::string allocations;
  for (const auto& a : r.allocations) {
    if (!allocations.empty()) allocations += ',';
    allocations += fmt::format(R"({{"amount":"{}","invoice":{}}})", format_amount(a.amount), json_quote(a.invoice));
  }
  return fmt::format(
      R"({{"allocations":[{}],"amount":"{}","customer":{},"date":"{}","detail":{},"fee_invoice":{},"id":{},)"
      R"("invoice":{},"method":"{}","ref":{},"to_credit":"{}","waive_reason":{}}})",
      allocations, format_amount(p.amount), json_quote(p.customer), format_date(p.date), json_quote(p.detail),
      json_quote(p.fee_invoice), p.id, json_quote(p.invoice), to_string(p.method), json_quote(p.ref),
      format_amount(r.to_credit), json_quote(p.waive_reason));
}

}  // namespace

void check_payment_request(const PaymentRequest& r) {
  check_amount(r.amount);
  if (!r.ref.empty()) check_ref(r.ref);
  check_note(r.detail, "detail");
  check_note(r.waive_reason, "waive reason");
  if (r.method == Method::credit)
    throw usage_error("invalid method 'credit': customer credit settles an invoice by itself").with(Hint::from_credit);
  if (r.method == Method::other && r.detail.empty())
    throw usage_error("a payment by 'other' means needs its detail (P1)").with(Hint::detail);
}

PaymentPlan plan_payment(Ledger& ledger, const PaymentRequest& r) {
  Ledger::Impl& impl = impl_of(ledger);
  PaymentPlan p;
  p.inv = pay_target(impl, r.invoice);
  const Cents balance = payable_balance(impl, p.inv, r.date, r.today);
  // P2, P3: the fee on what this payment settles, then where the money goes.
  p.settled = r.amount ? std::min(*r.amount, balance) : balance;
  p.fee = processing_fee(r.method, p.inv.kind, p.inv.cycle, p.settled, policy_at(ledger, r.date));
  p.waived = p.fee.amount > 0 && !r.waive_reason.empty();
  p.charged = p.fee.amount > 0 && !p.waived;
  p.fee_line = InvoiceLine{"", 100, p.fee.amount, p.fee.amount, p.inv.vat_rate, "P2", ""};
  const Cents fee_ttc = p.charged ? invoice_totals({p.fee_line}).ttc : 0;  // M4: fees carry VAT
  p.amount = r.amount ? *r.amount : balance + fee_ttc;
  p.to_fee = std::min(p.amount - p.settled, fee_ttc);
  p.to_credit = p.amount - p.settled - p.to_fee;
  return p;
}

std::string write_payment(Ledger& ledger, const PaymentRequest& r, PaymentPlan p, PaymentResult& out) {
  Ledger::Impl& impl = impl_of(ledger);
  const PayTarget& inv = p.inv;
  out.fee = std::move(p.fee);
  out.to_credit = p.to_credit;
  const std::string waive = p.waived ? r.waive_reason : "";
  const std::int64_t id =
      insert_payment(impl, inv.customer_id, inv.id, p.amount, r.method, r.date, r.ref, r.detail, waive);
  out.payment = recorded(id, inv, p.amount, r.method, r.date, r.ref, r.detail, waive);
  // K2: dated before a reversal recorded earlier, part of it may settle only
  // from the day the invoice reopened.
  const auto schedule = settlement_schedule(inv.ttc - inv.paid - inv.credited,
                                            balance_moves_after(impl, inv.id, r.date), r.date, p.settled);
  for (const Settlement& s : schedule) allocate_on(impl, inv.customer_id, inv.id, id, s.amount, r.date, s.date);
  out.allocations.push_back({inv.number, p.settled});
  if (p.charged) {
    NewInvoice n;
    n.customer = inv.customer;
    n.kind = InvoiceKind::fee;
    n.issue_date = r.date;        // P2: dated the payment date, due on the customer's terms (I4)
    n.business_date = r.today;
    n.follow_series = true;       // I2: or the series' last date when the payment is dated before it
    p.fee_line.description = fmt::format("Processing fee: payment {} of {} by {} for {} ({})", id,
                                         format_amount(p.amount), to_string(r.method), inv.number, out.fee.why);
    n.lines.push_back(std::move(p.fee_line));
    const Invoice fee = issue_invoice(ledger, n);
    auto& link = impl.stmt("UPDATE payment SET fee_invoice_id = ? WHERE id = ?");
    link.bind(1, fee.id);
    link.bind(2, id);
    link.exec();
    out.payment.fee_invoice = fee.number;
    if (p.to_fee > 0) {
      // K1: a fee invoice dated after the payment (I2) is settled on its date.
      allocate_on(impl, inv.customer_id, fee.id, id, p.to_fee, r.date, fee.issue_date);
      out.allocations.push_back({fee.number, p.to_fee});
    }
  }
  if (out.to_credit > 0)
    move_credit(impl, inv.customer_id, r.date, out.to_credit, id,
                fmt::format("overpayment of payment {} on {}", id, inv.number));
  if (r.read_state) {
    PaymentResult state = result_of(ledger, out.payment, r.today);
    out.invoice = std::move(state.invoice);
    out.fees = std::move(state.fees);
    out.credit = state.credit;
  }
  return event_of(out);
}

PaymentResult pay(Ledger& ledger, const PaymentRequest& r) {
  check_payment_request(r);
  // Outside a write, a known reference is answered without taking the lock.
  if (impl_of(ledger).depth == 0)
    if (auto dup = duplicate_of(ledger, r)) return std::move(*dup);
  PaymentResult out;
  try {
    ledger.write("pay", [&] {
      if (auto dup = duplicate_of(ledger, r)) throw DuplicateFound{std::move(*dup)};  // a writer was faster
      return write_payment(ledger, r, plan_payment(ledger, r), out);
    });
  } catch (DuplicateFound& d) {
    return std::move(d.result);
  }
  return out;
}

PaymentResult pay_from_credit(Ledger& ledger, std::string_view invoice, std::optional<Cents> amount, Date date,
                              Date today) {
  check_amount(amount);
  PaymentResult out;
  ledger.write("pay", [&] {
    Ledger::Impl& impl = impl_of(ledger);
    const PayTarget inv = pay_target(impl, invoice);
    const Cents owed = payable_balance(impl, inv, date, today);
    // K2: credit used on `date` settles only what stays owed from that day on.
    const Cents used = decide_credit_use(inv.number, inv.customer, owed,
                                         lowest_balance_ahead(owed, balance_moves_after(impl, inv.id, date), date),
                                         credit_available(impl, inv.customer_id, date), amount, date);
    out.fee = processing_fee(Method::credit, inv.kind, std::nullopt, used, policy_at(ledger, date));
    const std::int64_t id = insert_payment(impl, inv.customer_id, inv.id, used, Method::credit, date, "", "", "");
    allocate(impl, inv.customer_id, inv.id, id, used, date);
    out.allocations.push_back({inv.number, used});
    move_credit(impl, inv.customer_id, date, -used, id,
                fmt::format("credit used by payment {} on {}", id, inv.number));
    out.payment = recorded(id, inv, used, Method::credit, date, "", "", "");
    PaymentResult state = result_of(ledger, out.payment, today);
    out.invoice = std::move(state.invoice);
    out.credit = state.credit;
    return event_of(out);
  });
  return out;
}

ReversalResult record_reversal(Ledger& ledger, std::int64_t payment_id, std::string reason, Date date, Date today) {
  if (reason.empty()) throw usage_error("a reversal needs a reason").with(Hint::reason);
  check_note(reason, "reason");
  ReversalResult out;
  ledger.write("payment.reverse", [&] {
    Ledger::Impl& impl = impl_of(ledger);
    const Payment p = payment_by_id(impl, payment_id);
    if (p.reversed_on)
      throw conflict("payment {} is already reversed (on {}: {})", p.id, format_date(*p.reversed_on),
                     p.reverse_reason);
    check_reversal(p.date, p.method == Method::sepa,
                   p.method == Method::sepa ? policy_at(ledger, p.date).sepa_return_weeks : 0, date, today);
    impl.check_open_period(date, "payment reversal");

    auto& up = impl.stmt("UPDATE payment SET reversed_on = ?, reverse_reason = ? WHERE id = ?");
    up.bind(1, db_date(date));
    up.bind(2, reason);
    up.bind(3, p.id);
    up.exec();
    auto& alloc = impl.stmt("UPDATE allocation SET reversed_on = ? WHERE payment_id = ?");
    alloc.bind(1, db_date(date));
    alloc.bind(2, p.id);
    alloc.exec();
    // The credit it left (or used) is taken back (or given back) on that day;
    // money it held for a later settlement (K1, K2) the same way, a hold
    // ending after that day undone on its own day.
    auto& back = impl.stmt(
        "INSERT INTO credit_movement(customer_id, date, amount, payment_id, invoice_id, note) "
        "SELECT customer_id, MAX(date, ?1), -SUM(amount), payment_id, invoice_id, ?2 FROM credit_movement "
        "WHERE payment_id = ?3 GROUP BY customer_id, payment_id, invoice_id, MAX(date, ?1) "
        "HAVING SUM(amount) <> 0");
    back.bind(1, db_date(date));
    back.bind(2, fmt::format("reversal of payment {}", p.id));
    back.bind(3, p.id);
    back.exec();

    std::vector<std::string> numbers;
    auto& touched = impl.stmt(
        "SELECT DISTINCT a.invoice_id, i.number FROM allocation a JOIN invoice i ON i.id = a.invoice_id "
        "WHERE a.payment_id = ? ORDER BY a.invoice_id");
    touched.bind(1, p.id);
    std::vector<std::int64_t> ids;
    const Row r(touched);
    while (touched.executeStep()) {
      ids.push_back(r.int64("invoice_id"));
      numbers.push_back(r.text("number"));
    }
    touched.reset();
    for (auto id : ids) {
      impl.refresh_invoice(id, date);
      impl.penalties_changed(id, date);
    }
    for (const auto& n : numbers) out.invoices.push_back(find_invoice(ledger, n, today));
    out.payment = payment_by_id(impl, p.id);
    out.credit = customer_credit(ledger, p.customer, today);
    return nlohmann::json{{"id", p.id},
                          {"invoice", p.invoice},
                          {"amount", format_amount(p.amount)},
                          {"method", to_string(p.method)},
                          {"date", format_date(p.date)},
                          {"reversed_on", format_date(date)},
                          {"reason", reason},
                          {"reopened", numbers}}
        .dump();
  });
  return out;
}

Payment reverse_payment(Ledger& ledger, std::int64_t payment_id, std::string reason, Date date, Date today) {
  return record_reversal(ledger, payment_id, std::move(reason), date, today).payment;
}

std::vector<Payment> payments(Ledger& ledger, const PaymentFilter& filter, Date as_of) {
  std::vector<Payment> out;
  each_payment(ledger, filter, as_of, [&out](const Payment& p) { out.push_back(p); });
  return out;
}

void each_payment(Ledger& ledger, const PaymentFilter& filter, Date as_of,
                  const std::function<void(const Payment&)>& fn) {
  Ledger::Impl& impl = impl_of(ledger);
  std::string sql = std::string(kPaymentSelect) + "WHERE p.date <= ?1";
  std::int64_t customer_id = 0, invoice_id = 0;
  if (filter.customer) {
    customer_id = impl.customer_id(*filter.customer);
    // Through the customer's invoices: payment_invoice serves it, and a
    // payment's invoice is always its customer's (verify checks it).
    sql += " AND p.customer_id = ?2 AND p.invoice_id IN (SELECT id FROM invoice WHERE customer_id = ?2)";
  }
  if (filter.invoice) {
    invoice_id = impl.invoice_id(*filter.invoice);
    sql += " AND (p.invoice_id = ?3 OR p.id IN (SELECT payment_id FROM allocation WHERE invoice_id = ?3))";
  }
  if (filter.method) sql += " AND p.method = ?4";
  sql += " ORDER BY p.date, p.id";
  auto& q = impl.stmt(sql);
  q.bind(1, db_date(as_of));
  if (filter.customer) q.bind(2, customer_id);
  if (filter.invoice) q.bind(3, invoice_id);
  if (filter.method) q.bind(4, std::string(to_string(*filter.method)));
  const Row r(q);
  while (q.executeStep()) fn(read_payment(r, as_of));
  q.reset();
}

}  // namespace tally
