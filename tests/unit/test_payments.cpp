// Payments (issue 3): P1 means, P2 fees (M4 VAT on fees), P3 amounts and
// credit, P4 references, P5 reversals, P6 dates and refusals. Every expected
// value is worked by hand from RULES.md in the comment beside it.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "ledger/testing.hpp"
#include "unit/fixtures.hpp"

#include "tally/errors.hpp"
#include "tally/payments.hpp"

using tally::test::d;
using tally::test::code_of;

using namespace tally;

namespace {

// acme: 20 % VAT, terms 30 days.
Ledger with_customer() {
  return test::ledger_with_acme();
}

Invoice issue(Ledger& l, InvoiceKind kind, Cents ht, const char* date = "2026-02-01") {
  NewInvoice n;
  n.customer = "acme";
  n.kind = kind;
  n.issue_date = d(date);
  n.lines.push_back(InvoiceLine{"work", 100, ht, ht, percent(20), "I1", ""});
  return issue_invoice(l, n);
}

// The subscription invoice of the first cycle (January 2026) of a new subscription.
Invoice subscription_invoice(Ledger& l, Cents ht_per_month, Cycle cycle) {
  Subscription s;
  s.customer = "acme";
  s.amount_ht = ht_per_month;
  s.cycle = cycle;
  s.start = d("2026-01-01");
  add_subscription(l, s);
  const auto issued = run_billing(l, d("2026-01-01"), d("2026-01-01"));
  REQUIRE(issued.size() == 1);
  return issued.front();
}

PaymentRequest request(const std::string& invoice, Method m, std::optional<Cents> amount,
                       const char* date = "2026-02-10") {
  PaymentRequest r;
  r.invoice = invoice;
  r.method = m;
  r.amount = amount;
  r.date = d(date);
  r.today = d("2026-02-10") > r.date ? d("2026-02-10") : r.date;
  return r;
}

}  // namespace

TEST_CASE("P1: means of payment parse and print as on the command line", "[payments][P1]") {
  for (auto m : {Method::transfer, Method::card, Method::sepa, Method::other}) CHECK(parse_method(to_string(m)) == m);
  CHECK(parse_method("credit", true) == Method::credit);
  CHECK(code_of([] { parse_method("credit"); }) == ExitCode::usage);
  CHECK(code_of([] { parse_method("cheque"); }) == ExitCode::usage);
  CHECK(code_of([] { parse_method("Card"); }) == ExitCode::usage);
}

TEST_CASE("P2: the processing fee of each means and invoice kind", "[payments][P2]") {
  const Policy p;  // defaults: card 2 %, transfer 20.00, other 20.00, sepa 0.00
  static const struct {
    Method method;
    InvoiceKind kind;
    std::optional<Cycle> cycle;
    Cents settled;
    Cents fee;
  } cases[] = {
      {Method::card, InvoiceKind::services, {}, 120000, 2400},  // 2 % x 1200.00 = 24.00
      {Method::card, InvoiceKind::services, {}, 60000, 1200},   // 2 % x 600.00 = 12.00
      {Method::card, InvoiceKind::setup, {}, 75, 2},            // 2 % x 0.75 = 0.015 -> 0.02 (M3 half away)
      {Method::card, InvoiceKind::setup, {}, 124, 2},           // 2 % x 1.24 = 0.0248 -> 0.02
      {Method::card, InvoiceKind::subscription, Cycle::annual, 144000, 2880},  // 2 % x 1440.00 = 28.80
      {Method::transfer, InvoiceKind::subscription, Cycle::monthly, 12000, 2000},   // 20.00 per transfer
      {Method::transfer, InvoiceKind::subscription, Cycle::quarterly, 36000, 2000}, // installments too
      {Method::transfer, InvoiceKind::subscription, std::nullopt, 12000, 2000},     // cycle unknown: not annual
      {Method::transfer, InvoiceKind::subscription, Cycle::annual, 144000, 0},     // paid in one go
      {Method::transfer, InvoiceKind::setup, {}, 500000, 0},
      {Method::transfer, InvoiceKind::services, {}, 500000, 0},
      {Method::sepa, InvoiceKind::subscription, Cycle::monthly, 12000, 0},
      {Method::other, InvoiceKind::services, {}, 100, 2000},  // 20.00 per payment, whatever the amount
      {Method::card, InvoiceKind::fee, {}, 2880, 0},          // no fee on a fee: fees would chain
      {Method::other, InvoiceKind::penalty, {}, 4000, 0},
      {Method::credit, InvoiceKind::services, {}, 120000, 0},
  };
  for (const auto& c : cases) {
    INFO(to_string(c.method) << " on " << to_string(c.kind) << " settling " << c.settled);
    const Decision fee = processing_fee(c.method, c.kind, c.cycle, c.settled, p);
    CHECK(fee.amount == c.fee);
    CHECK(fee.rule == "P2");
    CHECK_FALSE(fee.why.empty());
  }
  Policy no_surcharge;  // L112-12 CMF: the card rate can be set to 0
  no_surcharge.card_fee_rate = percent(0);
  CHECK(processing_fee(Method::card, InvoiceKind::services, {}, 120000, no_surcharge).amount == 0);
}

TEST_CASE("P4: references are printable UTF-8 of at most 128 characters; notes at most 1000", "[payments][P4]") {
  check_ref("ch_3N8xQ2");
  check_ref(std::string(128, 'x'));
  check_ref("virement été 2026");  // UTF-8 counts by character
  for (const std::string& bad : {std::string(), std::string(129, 'x'), std::string("a\nb"), std::string("tab\there"),
                                 std::string("REF\xff"), std::string("\xc3\x28"), std::string("\xc0\xaf"),
                                 std::string("\xed\xa0\x80")})  // invalid, overlong, surrogate
    CHECK(code_of([&] { check_ref(bad); }) == ExitCode::usage);
  try {
    check_ref("REF\xff");
    FAIL("accepted");
  } catch (const Error& e) {
    CHECK(std::string(e.what()).find("'REF\\xff'") != std::string::npos);  // the bad byte shown as \xff
  }
  try {
    check_ref(std::string(100000, 'x'));
    FAIL("accepted");
  } catch (const Error& e) {
    CHECK(std::string(e.what()).find("(100000 bytes)") != std::string::npos);
    CHECK(std::string(e.what()).size() < 300);  // the value is cut
  }
  check_note("", "detail");
  check_note("chèque n° 123", "detail");
  CHECK(code_of([] { check_note(std::string(1001, 'x'), "detail"); }) == ExitCode::usage);
}

TEST_CASE("P2, P3, M4: a card payment without amount settles the invoice and its fee", "[payments][P2][P3][M4]") {
  Ledger l = with_customer();
  const Invoice inv = issue(l, InvoiceKind::services, 100000);  // 1000.00 HT + 200.00 VAT = 1200.00 TTC
  const PaymentResult r = pay(l, request(inv.number, Method::card, std::nullopt));
  // Fee: 2 % x 1200.00 = 24.00 HT, VAT 20 % = 4.80, 28.80 TTC; amount 1200.00 + 28.80 = 1228.80.
  CHECK(r.payment.amount == 122880);
  CHECK_FALSE(r.duplicate);
  REQUIRE(r.fees.size() == 1);
  const Invoice& fee = r.fees.front();
  CHECK(fee.kind == InvoiceKind::fee);
  CHECK(fee.total_ht == 2400);
  CHECK(fee.vat == 480);
  CHECK(fee.total_ttc == 2880);
  CHECK(fee.issue_date == d("2026-02-10"));
  CHECK(fee.due_date == d("2026-03-12"));  // due on the terms (P2, I4): 2026-02-10 + 30 days
  REQUIRE(fee.lines.size() == 1);
  CHECK(fee.lines.front().rule == "P2");
  CHECK(fee.status == "paid");
  CHECK(r.payment.fee_invoice == fee.number);
  CHECK(r.invoice.status == "paid");
  CHECK(r.invoice.balance == 0);
  REQUIRE(r.allocations.size() == 2);
  CHECK(r.allocations[0].amount == 120000);
  CHECK(r.allocations[1].amount == 2880);
  CHECK(r.to_credit == 0);
  CHECK(r.credit == 0);
  // A paid invoice cannot be paid again: exit 4.
  CHECK(code_of([&] { pay(l, request(inv.number, Method::card, 1000)); }) == ExitCode::refused);
}

TEST_CASE("P2, P3: the pay event records the payment, its fee and allocations", "[payments][P2][P3][journal]") {
  Ledger l = with_customer();
  const Invoice inv = issue(l, InvoiceKind::services, 100000);  // 1200.00 TTC
  PaymentRequest r = request(inv.number, Method::card, std::nullopt);
  r.detail = "quote \" backslash \\ caf\u00e9";  // escaped, and UTF-8 as is
  const PaymentResult paid = pay(l, r);
  const auto events = read_journal(l);
  REQUIRE(events.back().kind == "pay");
  const auto ev = nlohmann::json::parse(events.back().payload);
  // 1200.00 + the 2 % fee 24.00 HT + 4.80 VAT = 1228.80, split 1200.00 / 28.80.
  const nlohmann::json expected = {
      {"id", paid.payment.id}, {"invoice", inv.number}, {"customer", "acme"}, {"amount", "1228.80"},
      {"method", "card"}, {"date", "2026-02-10"}, {"ref", r.ref}, {"detail", r.detail}, {"waive_reason", ""},
      {"fee_invoice", paid.payment.fee_invoice},
      {"allocations", {{{"invoice", inv.number}, {"amount", "1200.00"}},
                       {{"invoice", paid.payment.fee_invoice}, {"amount", "28.80"}}}},
      {"to_credit", "0.00"}};
  CHECK(ev == expected);
  CHECK(events.back().payload == expected.dump());  // the same text nlohmann writes
}

TEST_CASE("json_quote writes strings as nlohmann does", "[journal]") {
  for (const std::string& s : {std::string(""), std::string("plain"), std::string("a\"b\\c"),
                              std::string("\b\f\n\r\t"), std::string("\x01\x1f\x7f"), std::string("caf\xc3\xa9 \xe2\x82\xac"),
                              std::string("nul\0byte", 8)})
    CHECK(json_quote(s) == nlohmann::json(s).dump());
}

TEST_CASE("P2, P3: a partial card payment leaves the invoice partly paid and the fee unpaid", "[payments][P2][P3]") {
  Ledger l = with_customer();
  const Invoice inv = issue(l, InvoiceKind::services, 100000);  // 1200.00 TTC
  const PaymentResult r = pay(l, request(inv.number, Method::card, 60000));
  // Settles 600.00: fee 2 % x 600.00 = 12.00 HT + 2.40 VAT = 14.40 TTC, nothing left to pay it.
  CHECK(r.invoice.status == "partially-paid");
  CHECK(r.invoice.balance == 60000);  // 1200.00 - 600.00
  REQUIRE(r.fees.size() == 1);
  CHECK(r.fees.front().total_ht == 1200);
  CHECK(r.fees.front().total_ttc == 1440);
  CHECK(r.fees.front().status == "open");
  CHECK(r.fees.front().balance == 1440);
  CHECK(r.to_credit == 0);
}

TEST_CASE("P2: transfers pay a fee on monthly subscriptions only", "[payments][P2]") {
  SECTION("monthly") {
    Ledger l = with_customer();
    const Invoice inv = subscription_invoice(l, 10000, Cycle::monthly);  // 100.00 HT + 20.00 = 120.00 TTC
    const PaymentResult r = pay(l, request(inv.number, Method::transfer, std::nullopt));
    REQUIRE(r.fees.size() == 1);
    CHECK(r.fees.front().total_ht == 2000);   // 20.00 HT
    CHECK(r.fees.front().total_ttc == 2400);  // + 4.00 VAT
    CHECK(r.payment.amount == 14400);         // 120.00 + 24.00
  }
  SECTION("annual") {
    Ledger l = with_customer();
    const Invoice inv = subscription_invoice(l, 10000, Cycle::annual);  // 12 x 100.00 = 1200.00 HT, 1440.00 TTC
    const PaymentResult r = pay(l, request(inv.number, Method::transfer, std::nullopt));
    CHECK(r.fees.empty());
    CHECK(r.payment.fee_invoice.empty());
    CHECK(r.payment.amount == 144000);
    CHECK(r.invoice.status == "paid");
  }
  SECTION("set-up and SEPA") {
    Ledger l = with_customer();
    // The January cycle first: numbers follow the dates (I2), the set-up is of 2026-02-01.
    const Invoice sub = subscription_invoice(l, 10000, Cycle::monthly);
    const Invoice setup = issue(l, InvoiceKind::setup, 500000);
    CHECK(pay(l, request(setup.number, Method::transfer, std::nullopt)).fees.empty());
    const PaymentResult r = pay(l, request(sub.number, Method::sepa, std::nullopt));
    CHECK(r.fees.empty());
    CHECK(r.payment.amount == 12000);
  }
}

TEST_CASE("P1, P2: other means need their detail and pay 20.00 HT", "[payments][P1][P2]") {
  Ledger l = with_customer();
  const Invoice inv = issue(l, InvoiceKind::services, 100000);
  PaymentRequest r = request(inv.number, Method::other, 120000);
  CHECK(code_of([&] { pay(l, r); }) == ExitCode::usage);
  r.detail = "cheque 123";
  const PaymentResult res = pay(l, r);
  CHECK(res.payment.detail == "cheque 123");
  REQUIRE(res.fees.size() == 1);
  CHECK(res.fees.front().total_ht == 2000);   // 20.00 HT per payment
  CHECK(res.fees.front().balance == 2400);    // 20.00 + 4.00 VAT, unpaid: the amount was the invoice's only
  CHECK(res.invoice.status == "paid");
}

TEST_CASE("P2: a waived fee issues no invoice and records the reason", "[payments][P2]") {
  Ledger l = with_customer();
  const Invoice inv = issue(l, InvoiceKind::services, 100000);
  PaymentRequest r = request(inv.number, Method::card, std::nullopt);
  r.waive_reason = "key account, agreed by sales";
  const PaymentResult res = pay(l, r);
  CHECK(res.fees.empty());
  CHECK(res.payment.waive_reason == "key account, agreed by sales");
  CHECK(res.fee.amount == 2400);        // the fee waived: 2 % x 1200.00
  CHECK(res.payment.amount == 120000);  // the balance only
  // No fee to waive (SEPA): the reason is not recorded.
  const Invoice other = issue(l, InvoiceKind::services, 1000);
  PaymentRequest s = request(other.number, Method::sepa, std::nullopt);
  s.waive_reason = "habit";
  CHECK(pay(l, s).payment.waive_reason.empty());
}

TEST_CASE("P3: an overpayment becomes credit, which settles a later invoice", "[payments][P3]") {
  Ledger l = with_customer();
  const Invoice first = issue(l, InvoiceKind::services, 100000);  // 1200.00 TTC
  const PaymentResult r = pay(l, request(first.number, Method::sepa, 150000));
  CHECK(r.to_credit == 30000);  // 1500.00 - 1200.00, SEPA: no fee
  CHECK(r.credit == 30000);
  CHECK(customer_credit(l, "acme", d("2026-02-09")) == 0);  // not before the payment date
  const Invoice second = issue(l, InvoiceKind::services, 20000, "2026-02-10");  // 200.00 + 40.00 = 240.00 TTC
  // More than the balance, or more than the credit, is refused.
  CHECK(code_of([&] { pay_from_credit(l, second.number, 25000, d("2026-02-10"), d("2026-02-10")); }) ==
        ExitCode::refused);
  const PaymentResult c = pay_from_credit(l, second.number, std::nullopt, d("2026-02-10"), d("2026-02-10"));
  CHECK(c.payment.method == Method::credit);
  CHECK(c.payment.amount == 24000);
  CHECK(c.fees.empty());
  CHECK(c.invoice.status == "paid");
  CHECK(c.credit == 6000);  // 300.00 - 240.00
  const Invoice third = issue(l, InvoiceKind::services, 10000, "2026-02-10");  // 120.00 TTC
  CHECK(code_of([&] { pay_from_credit(l, third.number, 7000, d("2026-02-10"), d("2026-02-10")); }) ==
        ExitCode::refused);  // 70.00 > 60.00 of credit
  const PaymentResult rest = pay_from_credit(l, third.number, std::nullopt, d("2026-02-10"), d("2026-02-10"));
  CHECK(rest.payment.amount == 6000);  // all the credit, 60.00
  CHECK(rest.invoice.balance == 6000);  // 120.00 - 60.00
  CHECK(rest.credit == 0);
  CHECK(code_of([&] { pay_from_credit(l, third.number, std::nullopt, d("2026-02-10"), d("2026-02-10")); }) ==
        ExitCode::refused);  // no credit left
}

TEST_CASE("P3: credit used on a day cannot exceed what later days hold", "[payments][P3]") {
  Ledger l = with_customer();
  const Invoice a = issue(l, InvoiceKind::services, 10000);  // 120.00 TTC
  pay(l, request(a.number, Method::sepa, 22000, "2026-02-05"));  // 100.00 credit from 2026-02-05
  const Invoice b = issue(l, InvoiceKind::services, 10000, "2026-02-01");
  pay_from_credit(l, b.number, 8000, d("2026-02-08"), d("2026-02-10"));  // 20.00 left from 2026-02-08
  const Invoice c = issue(l, InvoiceKind::services, 10000, "2026-02-01");
  // On 2026-02-06 the credit was 100.00, but using more than 20.00 then would
  // leave it negative from 2026-02-08 on.
  CHECK(code_of([&] { pay_from_credit(l, c.number, 2001, d("2026-02-06"), d("2026-02-10")); }) == ExitCode::refused);
  CHECK(pay_from_credit(l, c.number, std::nullopt, d("2026-02-06"), d("2026-02-10")).payment.amount == 2000);
}

TEST_CASE("P4: the same reference twice is one payment; other details conflict", "[payments][P4]") {
  Ledger l = with_customer();
  const Invoice inv = issue(l, InvoiceKind::services, 100000);
  PaymentRequest r = request(inv.number, Method::card, std::nullopt);
  r.ref = "ch_001";
  const PaymentResult first = pay(l, r);
  const auto events = read_journal(l).size();
  const PaymentResult again = pay(l, r);  // retry without amount: matches what it recorded
  CHECK(again.duplicate);
  CHECK(again.payment.id == first.payment.id);
  CHECK(again.payment.amount == 122880);
  CHECK(again.fees.size() == 1);
  PaymentRequest same_amount = r;
  same_amount.amount = 122880;
  CHECK(pay(l, same_amount).duplicate);
  CHECK(read_journal(l).size() == events);  // nothing written, not even an event
  CHECK(payments(l, {}, d("2026-02-10")).size() == 1);
  PaymentRequest other_amount = r;
  other_amount.amount = 100000;
  CHECK(code_of([&] { pay(l, other_amount); }) == ExitCode::conflict);
  PaymentRequest other_method = r;
  other_method.method = Method::transfer;
  CHECK(code_of([&] { pay(l, other_method); }) == ExitCode::conflict);
  PaymentRequest other_date = r;
  other_date.date = d("2026-02-09");
  CHECK(code_of([&] { pay(l, other_date); }) == ExitCode::conflict);
  CHECK(read_journal(l).size() == events);
}

TEST_CASE("P5: a reversal reopens the invoice from its date; the fee stays owed", "[payments][P5]") {
  Ledger l = with_customer();
  const Invoice inv = issue(l, InvoiceKind::services, 100000);  // 1200.00 TTC, due 2026-03-03
  const PaymentResult r = pay(l, request(inv.number, Method::card, std::nullopt));  // 1228.80 on 2026-02-10
  const ReversalResult rev = record_reversal(l, r.payment.id, "chargeback", d("2026-03-10"), d("2026-03-10"));
  CHECK(rev.payment.reversed_on == d("2026-03-10"));
  CHECK(rev.payment.reverse_reason == "chargeback");
  REQUIRE(rev.invoices.size() == 2);
  CHECK(rev.invoices[0].balance == 120000);  // open again
  CHECK(rev.invoices[1].number == r.payment.fee_invoice);
  CHECK(rev.invoices[1].balance == 2880);    // the fee stays owed
  // History is not rewritten: paid the day before, open from the reversal date.
  CHECK(find_invoice(l, inv.number, d("2026-03-09")).status == "paid");
  CHECK(find_invoice(l, inv.number, d("2026-03-10")).status == "open");
  // As of the day before, the listing shows it unreversed.
  CHECK_FALSE(payments(l, {}, d("2026-03-09")).front().reversed_on);
  CHECK(payments(l, {}, d("2026-03-10")).front().reversed_on == d("2026-03-10"));
  CHECK(code_of([&] { reverse_payment(l, r.payment.id, "again", d("2026-03-11"), d("2026-03-11")); }) ==
        ExitCode::conflict);
  CHECK(code_of([&] { reverse_payment(l, 999, "x", d("2026-03-11"), d("2026-03-11")); }) == ExitCode::not_found);
  // The invoice can be paid again.
  CHECK(pay(l, request(inv.number, Method::transfer, std::nullopt, "2026-03-12")).invoice.status == "paid");
}

TEST_CASE("P5: a SEPA debit is returned within 8 weeks; dates are checked", "[payments][P5]") {
  Ledger l = with_customer();
  const Invoice inv = issue(l, InvoiceKind::services, 100000);
  const auto id = pay(l, request(inv.number, Method::sepa, std::nullopt)).payment.id;  // 2026-02-10
  // 8 weeks = 56 days: 2026-02-10 + 56 days = 2026-04-07 is the last day.
  CHECK(code_of([&] { reverse_payment(l, id, "returned", d("2026-04-08"), d("2026-04-08")); }) == ExitCode::refused);
  CHECK(code_of([&] { reverse_payment(l, id, "returned", d("2026-02-09"), d("2026-04-08")); }) == ExitCode::refused);
  CHECK(code_of([&] { reverse_payment(l, id, "returned", d("2026-04-01"), d("2026-03-31")); }) == ExitCode::refused);
  CHECK(code_of([&] { reverse_payment(l, id, "", d("2026-04-01"), d("2026-04-01")); }) == ExitCode::usage);
  CHECK(reverse_payment(l, id, "returned", d("2026-04-07"), d("2026-04-08")).reversed_on == d("2026-04-07"));
}

TEST_CASE("P5, P3: reversing an overpayment takes its credit back", "[payments][P5][P3]") {
  Ledger l = with_customer();
  const Invoice inv = issue(l, InvoiceKind::services, 10000);  // 120.00 TTC
  const auto id = pay(l, request(inv.number, Method::transfer, 15000)).payment.id;  // 30.00 to credit
  CHECK(customer_credit(l, "acme", d("2026-02-10")) == 3000);
  const ReversalResult rev = record_reversal(l, id, "recalled by the bank", d("2026-02-12"), d("2026-02-12"));
  CHECK(rev.credit == 0);                           // 30.00 - 30.00
  CHECK(customer_credit(l, "acme", d("2026-02-11")) == 3000);  // history kept
}

TEST_CASE("P6: refusals change nothing", "[payments][P6]") {
  Ledger l = with_customer();
  const Invoice inv = issue(l, InvoiceKind::services, 100000);  // issued 2026-02-01
  const Invoice voided = issue(l, InvoiceKind::services, 5000);
  const Invoice note = void_invoice(l, voided.number, "mistake", d("2026-02-02"));
  const auto events = read_journal(l).size();
  static const struct {
    const char* what;
    const char* invoice;
    const char* date;
    Cents amount;
    ExitCode code;
  } cases[] = {
      {"before the issue date", "F2026-000001", "2026-01-31", 1000, ExitCode::refused},
      {"after the business date", "F2026-000001", "2026-02-11", 1000, ExitCode::refused},
      {"amount 0", "F2026-000001", "2026-02-10", 0, ExitCode::usage},
      {"negative amount", "F2026-000001", "2026-02-10", -100, ExitCode::usage},
      {"unknown invoice", "F2026-000099", "2026-02-10", 1000, ExitCode::not_found},
      {"void invoice", "F2026-000002", "2026-02-10", 1000, ExitCode::refused},
      {"credit note", "AV2026-000001", "2026-02-10", 1000, ExitCode::refused},
  };
  for (const auto& c : cases) {
    INFO(c.what);
    PaymentRequest r = request(c.invoice, Method::card, c.amount, c.date);
    r.today = d("2026-02-10");
    CHECK(code_of([&] { pay(l, r); }) == c.code);
  }
  CHECK(note.number == "AV2026-000001");
  CHECK(read_journal(l).size() == events);
  CHECK(payments(l, {}, d("2026-12-31")).empty());
  CHECK(find_invoice(l, inv.number, d("2026-02-10")).status == "open");
}

TEST_CASE("P6: the paid refusal names the balance", "[payments][P6]") {
  Ledger l = with_customer();
  const Invoice inv = issue(l, InvoiceKind::services, 1000);
  pay(l, request(inv.number, Method::sepa, std::nullopt));
  try {
    pay(l, request(inv.number, Method::sepa, 100));
    FAIL("paid twice");
  } catch (const Error& e) {
    CHECK(e.code() == ExitCode::refused);
    CHECK(e.rule() == "P6");
    CHECK(std::string(e.what()).find("balance 0.00") != std::string::npos);
  }
}

TEST_CASE("payments are listed by filter as of a date; a dry run writes nothing", "[payments]") {
  Ledger l = with_customer();
  const Invoice a = issue(l, InvoiceKind::services, 10000);
  const Invoice b = issue(l, InvoiceKind::services, 10000);
  pay(l, request(a.number, Method::card, std::nullopt, "2026-02-05"));
  pay(l, request(b.number, Method::sepa, 5000, "2026-02-08"));
  CHECK(payments(l, {}, d("2026-02-10")).size() == 2);
  CHECK(payments(l, {}, d("2026-02-07")).size() == 1);  // the 2026-02-08 payment is not yet
  CHECK(payments(l, {std::nullopt, b.number, std::nullopt}, d("2026-02-10")).size() == 1);
  CHECK(payments(l, {std::nullopt, std::nullopt, Method::card}, d("2026-02-10")).front().invoice == a.number);
  // The fee invoice lists the payment that paid it.
  const std::string fee = payments(l, {}, d("2026-02-10")).front().fee_invoice;
  CHECK(payments(l, {std::nullopt, fee, std::nullopt}, d("2026-02-10")).size() == 1);
  CHECK(code_of([&] { payments(l, {std::string("nobody"), std::nullopt, std::nullopt}, d("2026-02-10")); }) ==
        ExitCode::not_found);

  const auto events = read_journal(l).size();
  l.set_dry_run(true);
  const PaymentResult dry = pay(l, request(b.number, Method::card, std::nullopt));
  // The rest of b: 120.00 - 50.00 = 70.00; fee 2 % x 70.00 = 1.40 HT + 0.28 VAT = 1.68 TTC.
  CHECK(dry.payment.amount == 7168);
  CHECK(dry.invoice.status == "paid");
  l.set_dry_run(false);
  CHECK(read_journal(l).size() == events);
  CHECK(find_invoice(l, b.number, d("2026-02-10")).balance == 7000);
}
