// tally invoice create | run | list | show | void | credit
#include "cli/options.hpp"
#include "cli/progress.hpp"
#include "cli/services.hpp"
#include "cli/views.hpp"
#include "tally/errors.hpp"

namespace tally::cli {

void setup_invoice_export(CLI::App& invoice, Context& ctx, Action& action);  // cmd_invoice_export.cpp

namespace {

struct CreateOpts {
  std::string customer, kind;
  std::vector<std::string> amounts, descriptions, items, qtys;
  std::optional<std::string> date;
  bool urgent = false, roadmap = false;
};

std::string default_description(InvoiceKind k) {
  switch (k) {
    case InvoiceKind::setup: return "Platform set-up";
    case InvoiceKind::subscription: return "Subscription";
    default: return "Professional services";
  }
}

Output run_create(Context& ctx, const CreateOpts& o) {
  const Date today = ctx.as_of();
  const InvoiceKind kind = parse_invoice_kind(o.kind);
  if (kind == InvoiceKind::fee || kind == InvoiceKind::penalty)
    throw usage_error("invalid --kind '{}': fee and penalty invoices are issued by pay and overdue --apply; "
                      "expected setup, services or subscription",
                      o.kind);
  // Grid items are professional services (D1-D3): on any other kind they would
  // put a grid price on a set-up or subscription invoice.
  if (!o.items.empty() && kind != InvoiceKind::services)
    throw usage_error("invalid --kind '{}' with --item '{}': grid items are professional services (D1-D3); "
                      "--item needs --kind services",
                      o.kind, o.items.front());
  if (o.amounts.empty() == o.items.empty())
    throw usage_error("invoice create needs either --amount HT (repeatable) or --item GRID_CODE (repeatable)");
  if (!o.descriptions.empty() && o.descriptions.size() != o.amounts.size())
    throw usage_error("{} --description for {} --amount: give one description per amount, or none",
                      o.descriptions.size(), o.amounts.size());
  if (!o.qtys.empty() && o.qtys.size() != o.items.size())
    throw usage_error("{} --qty for {} --item: give one quantity per item, or none", o.qtys.size(), o.items.size());
  const Date issue = o.date ? option_date(*o.date, "--date") : today;
  // A line of 0.00 bills nothing yet would take the next number of the
  // gapless sequence (I2): refused before the ledger is touched. (A free grid
  // item, --item blocking-bug or a roadmap feature, is a priced decision.)
  std::vector<Cents> amounts;
  for (const auto& a : o.amounts) {
    amounts.push_back(parse_amount(a));
    if (amounts.back() == 0)
      throw usage_error("invalid --amount '{}': a line's amount HT is above 0.00 (e.g. 1500 or 1499.90)", a);
  }
  Ledger& ledger = ctx.ledger();
  const Customer c = find_customer(ledger, o.customer);
  NewInvoice n;
  n.customer = c.code;
  n.kind = kind;
  n.issue_date = issue;
  n.business_date = today;  // I2: refused after it, or before the series' last date
  for (std::size_t i = 0; i < amounts.size(); ++i) {
    const Cents ht = amounts[i];
    n.lines.push_back(InvoiceLine{o.descriptions.empty() ? default_description(kind) : o.descriptions[i], 100, ht,
                                  ht, c.vat_rate, "I1", ""});
  }
  for (std::size_t i = 0; i < o.items.size(); ++i) {
    const std::int64_t qty = o.qtys.empty() ? 100 : parse_quantity(o.qtys[i]);
    n.lines.push_back(grid_line(ctx, o.items[i], qty, o.urgent, o.roadmap, c.vat_rate, issue));
  }
  const Invoice inv = issue_invoice(ledger, n);
  Output out;
  out.json = Json{{"invoice", to_json(inv)}};
  out.tables.push_back(invoice_table({inv}));
  out.tables.push_back(invoice_lines_table(inv));
  return out;
}

struct RunOpts {
  std::string period;
};

Output run_run(Context& ctx, const RunOpts& o) {
  const Date month = parse_month(o.period);
  std::vector<Invoice> issued;
  {
    Progress bar(ctx, "invoice run");
    issued = run_billing(ctx.ledger(), month, ctx.as_of(),
                                      [&bar](std::size_t done, std::size_t total) { bar.update(done, total); });
  }
  Output out;
  out.json = Json{{"period", format_month(month)}, {"issued", Json::array()}};
  Cents total = 0;
  for (const auto& i : issued) total += i.total_ttc;
  const std::size_t count = issued.size();
  if (ctx.format() == Format::json) {
    // A run issues thousands: each invoice's JSON is made and written in turn,
    // never one tree of them all (its growth was a sixth of the run's time
    // in page faults on the 1M ledger, docs/performance.md).
    auto shared = std::make_shared<const std::vector<Invoice>>(std::move(issued));
    out.json_arrays["issued"] = [shared](const std::function<void(const Json&)>& sink) {
      for (const auto& i : *shared) sink(to_json(i));
    };
  } else {
    out.tables.push_back(invoice_table(issued, fmt::format("Billing run {}", format_month(month))));
  }
  out.lines.push_back(fmt::format("{} invoice(s) issued, {} TTC{}", count, format_amount(total),
                                  count == 0 ? " (every cycle starting that month is already invoiced)" : ""));
  return out;
}

struct ListOpts {
  std::optional<std::string> customer, status, kind;
};

Output run_list(Context& ctx, const ListOpts& o) {
  InvoiceFilter f;
  f.customer = o.customer;
  if (o.status) {
    static const std::vector<std::string> ok = {"open", "partially-paid", "paid", "void", "credit-note"};
    if (std::find(ok.begin(), ok.end(), *o.status) == ok.end())
      throw usage_error("invalid --status '{}': expected open, partially-paid, paid, void or credit-note", *o.status);
    f.status = o.status;
  }
  if (o.kind) f.kind = parse_invoice_kind(*o.kind);
  const Date d = ctx.as_of();
  Ledger& ledger = ctx.reader();
  if (f.customer) find_customer(ledger, *f.customer);  // unknown: not found, before any output
  // Streamed while printing: the whole list of a 1M-invoice ledger would be
  // gigabytes as one JSON tree (issue 9). Table format reads it twice (widths).
  const auto each = [&ledger, f, d](const std::function<void(const Invoice&)>& fn) { each_invoice(ledger, f, d, fn); };
  Output out;
  out.json = Json{{"as_of", format_date(d)}, {"invoices", Json::array()}};
  out.json_arrays["invoices"] = [each](const std::function<void(const Json&)>& sink) {
    each([&sink](const Invoice& i) { sink(to_json(i)); });
  };
  Table t = invoice_table({});
  t.generate = [each](const RowSink& sink) { each([&sink](const Invoice& i) { sink(invoice_row(i)); }); };
  out.tables.push_back(std::move(t));
  return out;
}

struct ShowOpts {
  std::string number;
};

Output run_show(Context& ctx, const ShowOpts& o) {
  const Date d = ctx.as_of();
  const Invoice inv = find_invoice(ctx.reader(), o.number, d);
  Output out;
  out.json = Json{{"as_of", format_date(d)}, {"invoice", to_json(inv)}};
  out.tables.push_back(invoice_table({inv}));
  out.tables.push_back(invoice_lines_table(inv));
  if (!inv.cites.empty()) out.lines.push_back("Credit note of " + inv.cites + ": " + inv.reason);
  return out;
}

struct VoidOpts {
  std::string number, reason;
  std::optional<std::string> date;
};

Output run_void(Context& ctx, const VoidOpts& o) {
  const Date today = ctx.as_of();
  const Date d = o.date ? option_date(*o.date, "--date") : today;
  if (o.reason.empty()) throw usage_error("invalid --reason '': a credit note needs a reason");
  const Invoice note = void_invoice(ctx.ledger(), o.number, o.reason, d, today);
  // The invoice after the void on the business date: with a backdated --date, as of
  // that date it would miss the payments since and look still owed.
  const Invoice orig = find_invoice(ctx.ledger(), o.number, today);
  Output out;
  out.json = Json{{"credit_note", to_json(note)}, {"invoice", to_json(orig)}};
  out.tables.push_back(invoice_table({note, orig}));
  out.lines.push_back(fmt::format("{} voided by credit note {} ({} TTC)", orig.number, note.number,
                                  format_amount(note.total_ttc)));
  return out;
}

struct CreditOpts {
  std::string number, amount, reason;
  std::optional<std::string> date;
};

// I3: a partial credit note; the same JSON as void.
Output run_credit(Context& ctx, const CreditOpts& o) {
  const Date today = ctx.as_of();
  const Date d = o.date ? option_date(*o.date, "--date") : today;
  const Cents amount = parse_amount(o.amount);
  if (amount <= 0)
    throw usage_error("invalid --amount '{}': a partial credit must be above 0.00 HT", o.amount);
  if (o.reason.empty()) throw usage_error("invalid --reason '': a credit note needs a reason");
  const Invoice note = credit_invoice(ctx.ledger(), o.number, amount, o.reason, d, today);
  const Invoice orig = find_invoice(ctx.ledger(), o.number, today);  // as for void: on the business date
  Output out;
  out.json = Json{{"credit_note", to_json(note)}, {"invoice", to_json(orig)}};
  out.tables.push_back(invoice_table({note, orig}));
  out.lines.push_back(fmt::format("{} credited {} HT by credit note {} ({} TTC)", orig.number, format_amount(amount),
                                  note.number, format_amount(note.total_ttc)));
  return out;
}

}  // namespace

void setup_invoice(CLI::App& cmd, Context& ctx, Action& action) {
  cmd.require_subcommand(1);

  auto c = std::make_shared<CreateOpts>();
  auto* create = cmd.add_subcommand("create", "issue an invoice (one line per --amount or --item)");
  create->add_option("--customer", c->customer, "customer code")->required();
  choice(create->add_option("--kind", c->kind, "the kind of invoice")->required(), {"setup", "services", "subscription"},
         "fee and penalty invoices are issued by pay and overdue --apply");
  create->add_option("--amount", c->amounts, "a line's amount HT (repeatable)");
  create->add_option("--description", c->descriptions, "the matching line's description (repeatable)");
  create->add_option("--item", c->items, "a services grid code (repeatable, D3)");
  create->add_option("--qty", c->qtys, "the matching item's quantity")->default_str("1");
  create->add_option("--date", c->date, "issue date (default the business date)");
  create->add_flag("--urgent", c->urgent, "urgent request (D1, D2)");
  create->add_flag("--roadmap", c->roadmap, "the feature is on the roadmap (D1)");
  example(create, "tally invoice create --customer acme --kind setup --amount 5000 --description 'Platform set-up'");
  on_parse(create, ctx, action, c, run_create);

  auto r = std::make_shared<RunOpts>();
  auto* run = cmd.add_subcommand("run", "bill every subscription cycle starting in a month (I5)");
  run->add_option("--period", r->period, "the month, YYYY-MM")->required();
  example(run, "tally --as-of 2026-03-01 invoice run --period 2026-03");
  on_parse(run, ctx, action, r, run_run);

  auto l = std::make_shared<ListOpts>();
  auto* list = cmd.add_subcommand("list", "list invoices and credit notes as of the business date");
  list->add_option("--customer", l->customer, "only this customer");
  choice(list->add_option("--status", l->status, "only invoices in this status"),
         {"open", "partially-paid", "paid", "void", "credit-note"});
  choice(list->add_option("--kind", l->kind, "only invoices of this kind"),
         {"subscription", "setup", "services", "fee", "penalty"});
  example(list, "tally invoice list --status open --format csv");
  on_parse(list, ctx, action, l, run_list);

  auto s = std::make_shared<ShowOpts>();
  auto* show = cmd.add_subcommand("show", "an invoice or credit note with its lines");
  show->add_option("NUMBER", s->number, "F2026-000001 or AV2026-000001")->required();
  example(show, "tally invoice show F2026-000001 --format json");
  on_parse(show, ctx, action, s, run_show);

  auto v = std::make_shared<VoidOpts>();
  auto* vd = cmd.add_subcommand("void", "cancel an invoice by a full credit note (I3)");
  vd->add_option("NUMBER", v->number, "the invoice number")->required();
  vd->add_option("--reason", v->reason, "why (recorded on the credit note)")->required();
  vd->add_option("--date", v->date, "credit note date (default the business date)");
  example(vd, "tally invoice void F2026-000003 --reason 'duplicate order'");
  on_parse(vd, ctx, action, v, run_void);

  auto cr = std::make_shared<CreditOpts>();
  auto* credit = cmd.add_subcommand("credit", "credit part of an invoice by a partial credit note (I3)");
  credit->add_option("NUMBER", cr->number, "the invoice number")->required();
  credit->add_option("--amount", cr->amount, "the amount HT to credit, at most what is not yet credited")
      ->required();
  credit->add_option("--reason", cr->reason, "why (recorded on the credit note)")->required();
  credit->add_option("--date", cr->date, "credit note date (default the business date)");
  example(credit, "tally invoice credit F2026-000003 --amount 150 --reason 'two days of outage'");
  on_parse(credit, ctx, action, cr, run_credit);

  setup_invoice_export(cmd, ctx, action);
}

}  // namespace tally::cli
