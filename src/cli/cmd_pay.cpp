// tally pay | payment list | payment reverse (P1-P6)
#include "cli/options.hpp"
#include "cli/views.hpp"
#include "tally/errors.hpp"
#include "tally/payments.hpp"

namespace tally::cli {
namespace {

struct PayOpts {
  std::string number;
  std::optional<std::string> method, amount, date, ref, detail, waive_fee;
  bool from_credit = false;
};

std::optional<Cents> option_amount(const std::optional<std::string>& text) {
  if (!text) return std::nullopt;
  return parse_amount(*text);
}

// The PaymentResult as a JSON document and a short summary for people.
Output pay_output(const PaymentResult& r) {
  Output out;
  Json fees = Json::array();
  for (const auto& f : r.fees) fees.push_back(to_json(f));
  Json allocations = Json::array();
  for (const auto& a : r.allocations) allocations.push_back(Json{{"invoice", a.invoice}, {"amount", amount(a.amount)}});
  Json fee = nullptr;
  if (!r.duplicate)
    fee = Json{{"amount_ht", amount(r.fee.amount)}, {"rule", r.fee.rule}, {"why", r.fee.why},
               {"waived", !r.payment.waive_reason.empty()}};
  out.json = Json{{"payment", to_json(r.payment)}, {"fees", fees},         {"invoice", to_json(r.invoice)},
                  {"credit", amount(r.credit)},    {"duplicate", r.duplicate}, {"allocations", allocations},
                  {"to_credit", amount(r.to_credit)}, {"fee", fee}};

  std::vector<Invoice> invoices{r.invoice};
  invoices.insert(invoices.end(), r.fees.begin(), r.fees.end());
  out.tables.push_back(payment_table({r.payment}));
  out.tables.push_back(invoice_table(invoices, "Invoices"));
  const Payment& p = r.payment;
  if (r.duplicate) {
    out.lines.push_back(fmt::format("Duplicate: reference '{}' is already payment {} (same invoice, method, amount "
                                    "and date): nothing recorded.",
                                    p.ref, p.id));
  } else {
    out.lines.push_back(fmt::format("Payment {}: {} by {} on {}", p.id, format_amount(p.amount), to_string(p.method),
                                    format_date(p.date)));
    for (const auto& a : r.allocations)
      out.lines.push_back(fmt::format("  {} to {}", format_amount(a.amount), a.invoice));
    if (r.to_credit > 0) out.lines.push_back(fmt::format("  {} to customer credit", format_amount(r.to_credit)));
    for (const auto& f : r.fees)
      out.lines.push_back(fmt::format("Fee {} issued ({}): {} HT + {} VAT = {} TTC, due {}", f.number, r.fee.why,
                                      format_amount(f.total_ht), format_amount(f.vat), format_amount(f.total_ttc),
                                      format_date(f.due_date)));
    if (!p.waive_reason.empty())
      out.lines.push_back(fmt::format("Fee of {} HT waived ({}): {}", format_amount(r.fee.amount), r.fee.why,
                                      p.waive_reason));
    else if (r.fee.amount == 0)
      out.lines.push_back(fmt::format("No fee: {}", r.fee.why));
  }
  out.lines.push_back(fmt::format("{} is {} (balance {}); customer credit {}", r.invoice.number, r.invoice.status,
                                  format_amount(r.invoice.balance), format_amount(r.credit)));
  return out;
}

Output run_pay(Context& ctx, const PayOpts& o) {
  const Date today = ctx.as_of();
  const Date date = o.date ? option_date(*o.date, "--date") : today;
  const std::optional<Cents> amount = option_amount(o.amount);
  if (o.from_credit) {
    if (o.method || o.ref || o.detail || o.waive_fee)
      throw usage_error("--from-credit settles from the customer's credit: it takes only --amount and --date "
                        "(not --method, --ref, --detail or --waive-fee)");
    return pay_output(pay_from_credit(ctx.ledger(), o.number, amount, date, today));
  }
  if (!o.method)
    throw usage_error("missing --method: expected transfer, card, sepa or other (or --from-credit to use credit)");
  PaymentRequest r;
  r.invoice = o.number;
  r.method = parse_method(*o.method);
  r.amount = amount;
  r.date = date;
  r.today = today;
  if (o.ref) {
    check_ref(*o.ref);
    r.ref = *o.ref;
  }
  r.detail = o.detail.value_or("");
  if (o.waive_fee) {
    if (o.waive_fee->empty())
      throw usage_error("invalid --waive-fee '': a fee is waived only with a recorded reason (P2)");
    r.waive_reason = *o.waive_fee;
  }
  return pay_output(pay(ctx.ledger(), r));
}

struct ListOpts {
  std::optional<std::string> customer, invoice, method;
};

Output run_list(Context& ctx, const ListOpts& o) {
  PaymentFilter f;
  f.customer = o.customer;
  f.invoice = o.invoice;
  if (o.method) f.method = parse_method(*o.method, true);
  const Date d = ctx.as_of();
  Ledger& ledger = ctx.reader();
  // Unknown customer or invoice: not found, before any output.
  if (f.customer) find_customer(ledger, *f.customer);
  if (f.invoice) find_invoice(ledger, *f.invoice, d);
  // Streamed while printing (issue 9); the count and total are gathered on the
  // table's last pass and printed after it.
  const auto each = [&ledger, f, d](const std::function<void(const Payment&)>& fn) { each_payment(ledger, f, d, fn); };
  struct Totals {
    std::size_t count = 0;
    Cents not_reversed = 0;
  };
  const auto totals = std::make_shared<Totals>();
  Output out;
  out.json = Json{{"as_of", format_date(d)}, {"payments", Json::array()}};
  out.json_arrays["payments"] = [each](const std::function<void(const Json&)>& sink) {
    each([&sink](const Payment& p) { sink(to_json(p)); });
  };
  Table t = payment_table({});
  t.generate = [each, totals](const RowSink& sink) {
    *totals = Totals{};
    each([&](const Payment& p) {
      ++totals->count;
      if (!p.reversed_on) totals->not_reversed += p.amount;
      sink(payment_row(p));
    });
  };
  out.tables.push_back(std::move(t));
  out.late_lines = [totals, d] {
    return std::vector<std::string>{fmt::format("{} payment(s), {} not reversed (as of {})", totals->count,
                                                format_amount(totals->not_reversed), format_date(d))};
  };
  return out;
}

struct ReverseOpts {
  std::string id, reason;
  std::optional<std::string> date;
};

Output run_reverse(Context& ctx, const ReverseOpts& o) {
  const std::int64_t id = parse_count(o.id, "PAYMENT_ID", INT64_MAX);
  const Date today = ctx.as_of();
  const Date date = o.date ? option_date(*o.date, "--date") : today;
  const ReversalResult r = record_reversal(ctx.ledger(), id, o.reason, date, today);
  Output out;
  Json invoices = Json::array();
  for (const auto& i : r.invoices) invoices.push_back(to_json(i));
  out.json = Json{{"payment", to_json(r.payment)}, {"invoices", invoices}, {"credit", amount(r.credit)}};
  out.tables.push_back(payment_table({r.payment}));
  out.tables.push_back(invoice_table(r.invoices, "Reopened"));
  out.lines.push_back(fmt::format("Payment {} ({} by {}) reversed on {}: {}", r.payment.id,
                                  format_amount(r.payment.amount), to_string(r.payment.method), format_date(*r.payment.reversed_on),
                                  r.payment.reverse_reason));
  if (!r.payment.fee_invoice.empty())
    out.lines.push_back(fmt::format("The fee invoice {} stays owed (P5); void it to waive it.", r.payment.fee_invoice));
  out.lines.push_back(fmt::format("Customer credit {}{}", format_amount(r.credit),
                                  r.credit < 0 ? " (negative: credit already used is owed back)" : ""));
  return out;
}

}  // namespace

void setup_pay(CLI::App& cmd, Context& ctx, Action& action) {
  auto o = std::make_shared<PayOpts>();
  cmd.add_option("NUMBER", o->number, "the invoice paid (F2026-000001)")->required();
  choice(cmd.add_option("--method", o->method, "how the money came (P1)"), {"transfer", "card", "sepa", "other"});
  cmd.add_option("--amount", o->amount,
                 "amount received incl. VAT (default: the balance plus the fee it triggers, P3)");
  cmd.add_option("--date", o->date, "day the money arrived (default the business date; P6)");
  cmd.add_option("--ref", o->ref, "external reference, bank or card transaction id (P4: idempotent)");
  cmd.add_option("--detail", o->detail, "what the payment was (required for other: 'cheque 123')");
  cmd.add_option("--waive-fee", o->waive_fee, "waive the processing fee, with the reason recorded (P2)");
  cmd.add_flag("--from-credit", o->from_credit, "settle from the customer's credit (P3), no fee");
  example(&cmd, "tally pay F2026-000001 --method card --ref ch_3N8x  (or: tally pay F2026-000004 --from-credit)");
  on_parse(&cmd, ctx, action, o, run_pay);
}

void setup_payment(CLI::App& cmd, Context& ctx, Action& action) {
  cmd.require_subcommand(1);

  auto l = std::make_shared<ListOpts>();
  auto* list = cmd.add_subcommand("list", "payments dated on or before the business date");
  list->add_option("--customer", l->customer, "only this customer");
  list->add_option("--invoice", l->invoice, "only payments named on or allocated to this invoice");
  choice(list->add_option("--method", l->method, "only payments made this way (credit: from the customer's credit)"),
         {"transfer", "card", "sepa", "other", "credit"});
  example(list, "tally payment list --customer acme --method card --format csv");
  on_parse(list, ctx, action, l, run_list);

  auto r = std::make_shared<ReverseOpts>();
  auto* rev = cmd.add_subcommand("reverse", "reverse a payment: returned SEPA debit, chargeback (P5)");
  rev->add_option("PAYMENT_ID", r->id, "the payment's id (see payment list)")->required();
  rev->add_option("--reason", r->reason, "why (recorded)")->required();
  rev->add_option("--date", r->date, "day of the reversal (default the business date)");
  example(rev, "tally payment reverse 12 --reason 'SEPA debit returned: insufficient funds' --date 2026-03-10");
  on_parse(rev, ctx, action, r, run_reverse);
}

}  // namespace tally::cli
