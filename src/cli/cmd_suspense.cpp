// tally suspense assign LINE --invoice NUMBER [--amount A] | suspense dismiss LINE --reason R (B2)
#include "cli/views.hpp"
#include "tally/errors.hpp"
#include "tally/suspense.hpp"
#include "tally/text.hpp"

namespace tally::cli {

// A suspense line as JSON (also report suspense).
Json suspense_json(const SuspenseLine& l) {
  Json actions = Json::array();
  for (const auto& a : l.actions) {
    Json j{{"action", a.action}, {"date", format_date(a.date)}, {"amount", amount(a.amount)}};
    if (a.action == "assign") {
      j["invoice"] = a.invoice;
      j["payment"] = a.payment_id;
    } else {
      j["reason"] = a.reason;
    }
    actions.push_back(std::move(j));
  }
  return Json{{"id", l.id},
              {"date", format_date(l.date)},
              {"amount", amount(l.amount)},
              {"reference", l.reference},
              {"label", l.label},
              {"method", to_string(l.method)},
              {"payer", l.payer},
              {"payer_iban", l.payer_iban},
              {"reason", l.reason},
              {"status", to_string(l.status)},
              {"open", amount(l.open_amount)},
              {"actions", std::move(actions)}};
}

// What became of the line, in a few words: "F2026-000005 1800.00 (payment 7); dismissed: refund".
std::string suspense_resolution(const SuspenseLine& l) {
  std::string out;
  for (const auto& a : l.actions) {
    out += out.empty() ? "" : "; ";
    out += a.action == "assign"
               ? fmt::format("{} {} to {} (payment {})", format_date(a.date), format_amount(a.amount), a.invoice,
                             a.payment_id)
               : fmt::format("{} {} dismissed: {}", format_date(a.date), format_amount(a.amount), a.reason);
  }
  return out;
}

namespace {

std::int64_t line_id(const std::string& text) { return parse_count(text, "LINE (a suspense line id)", INT64_MAX); }

struct AssignOpts {
  std::string line, invoice;
  std::optional<std::string> amount;
};

Output run_assign(Context& ctx, const AssignOpts& o) {
  const std::int64_t id = line_id(o.line);
  std::optional<Cents> part;
  if (o.amount) part = parse_amount(*o.amount);
  const SuspenseAssignment r = assign_suspense(ctx.ledger(), id, o.invoice, part, ctx.as_of());
  const Payment& p = r.payment.payment;
  Json fees = Json::array();
  for (const auto& f : r.payment.fees) fees.push_back(to_json(f));
  Output out;
  out.json = Json{{"line", suspense_json(r.line)},
                  {"payment", to_json(p)},
                  {"fees", fees},
                  {"invoice", to_json(r.payment.invoice)},
                  {"to_credit", amount(r.payment.to_credit)},
                  {"credit", amount(r.payment.credit)}};
  out.tables.push_back(payment_table({p}));
  out.lines.push_back(fmt::format("Suspense line {}: {} assigned to {} (payment {}, dated {}); {} still open",
                                  id, format_amount(p.amount), p.invoice, p.id, format_date(p.date),
                                  format_amount(r.line.open_amount)));
  if (!p.fee_invoice.empty())
    out.lines.push_back(fmt::format("Fee invoice {} issued (P2, {} payment)", p.fee_invoice, to_string(p.method)));
  if (r.payment.to_credit > 0)
    out.lines.push_back(fmt::format("{} became customer credit (P3)", format_amount(r.payment.to_credit)));
  return out;
}

struct DismissOpts {
  std::string line, reason;
};

Output run_dismiss(Context& ctx, const DismissOpts& o) {
  const std::int64_t id = line_id(o.line);
  const SuspenseLine l = dismiss_suspense(ctx.ledger(), id, o.reason, ctx.as_of());
  Output out;
  out.json = Json{{"line", suspense_json(l)}};
  out.lines.push_back(escape_control(
      fmt::format("Suspense line {} ({}, {}) dismissed: {}", id, format_amount(l.amount), l.reference, o.reason)));
  return out;
}

}  // namespace

void setup_suspense(CLI::App& cmd, Context& ctx, Action& action) {
  cmd.require_subcommand(1);
  auto a = std::make_shared<AssignOpts>();
  auto* assign = cmd.add_subcommand("assign", "record a suspense line (or part of it) as a payment of an invoice");
  assign->add_option("LINE", a->line, "the suspense line's id (see tally report suspense)")->required();
  assign->add_option("--invoice", a->invoice, "the invoice it pays (F2026-000001)")->required();
  assign->add_option("--amount", a->amount, "the part of the line it pays (default: all that is still open)");
  example(assign, "tally suspense assign 4 --invoice F2026-000002 --amount 1800  (then the rest to another)");
  on_parse(assign, ctx, action, a, run_assign);

  auto d = std::make_shared<DismissOpts>();
  auto* dismiss = cmd.add_subcommand("dismiss", "close a suspense line that is no customer payment, with the reason");
  dismiss->add_option("LINE", d->line, "the suspense line's id (see tally report suspense)")->required();
  dismiss->add_option("--reason", d->reason, "why (recorded): a refund, a transfer between own accounts...")
      ->required();
  example(dismiss, "tally suspense dismiss 4 --reason 'refund of supplier invoice 2231'");
  on_parse(dismiss, ctx, action, d, run_dismiss);
}

}  // namespace tally::cli
