// tally report aging | balance | suspense | close --month YYYY-MM [--lock]
#include <fmt/ranges.h>

#include "cli/html.hpp"
#include "cli/views.hpp"
#include "tally/errors.hpp"
#include "tally/integrity.hpp"
#include "tally/reports.hpp"
#include "tally/text.hpp"

namespace tally::cli {
namespace {

constexpr const char* kTotalRow = "TOTAL";  // customer codes are lowercase: no clash

// ---- aging ----

Json to_json(const AgingAmounts& a) {
  Json j = Json::object();
  for (AgingBucket b : kAgingBuckets) j[std::string(to_string(b))] = amount(a[b]);
  j["total"] = amount(a.total());
  return j;
}

Json to_json(const AgingReport& r) {
  Json customers = Json::array();
  for (const auto& row : r.customers) {
    Json c{{"customer", row.customer}};
    c.update(to_json(row.amounts));
    customers.push_back(c);
  }
  return Json{{"as_of", format_date(r.as_of)}, {"customers", customers}, {"total", to_json(r.total)}};
}

std::vector<std::string> aging_cells(std::string first, const AgingAmounts& a) {
  std::vector<std::string> row{std::move(first)};
  for (AgingBucket b : kAgingBuckets) row.push_back(format_amount(a[b]));
  row.push_back(format_amount(a.total()));
  return row;
}

Table aging_table(const AgingReport& r, std::string title) {
  Table t{std::move(title), {"customer"}, {}};
  for (AgingBucket b : kAgingBuckets) t.columns.emplace_back(to_string(b));
  t.columns.emplace_back("total");
  for (const auto& row : r.customers) t.rows.push_back(aging_cells(row.customer, row.amounts));
  if (!r.customers.empty()) t.rows.push_back(aging_cells(kTotalRow, r.total));
  return t;
}

Output run_aging(Context& ctx) {
  const Date d = ctx.as_of();
  const AgingReport r = aging_report(ctx.reader(), d);
  const Policy p = ctx.reader().policy_at(d);
  Output out;
  out.json = to_json(r);
  out.tables.push_back(aging_table(r, fmt::format("Aging on {} (balances incl. VAT)", format_date(d))));
  out.lines.push_back(fmt::format("Months late (L2) with the policy's thresholds: late_0_1 below {}, late_1_2 below {}, "
                                  "late_2_6 below {}, late_6_plus from {} months.",
                                  p.admin_disable_months, p.platform_disable_months, p.data_deletion_months,
                                  p.data_deletion_months));
  return out;
}

// ---- balance ----

Json to_json(const BalanceRow& b) {
  return Json{{"invoiced", amount(b.invoiced)}, {"credited", amount(b.credited)}, {"paid", amount(b.paid)},
              {"fees", amount(b.fees)},         {"penalties", amount(b.penalties)}, {"balance", amount(b.balance)},
              {"credit", amount(b.credit)}};
}

std::vector<std::string> balance_cells(std::string first, const BalanceRow& b) {
  return {std::move(first),        format_amount(b.invoiced), format_amount(b.fees),    format_amount(b.penalties),
          format_amount(b.credited), format_amount(b.paid),   format_amount(b.balance), format_amount(b.credit)};
}

Output run_balance(Context& ctx) {
  const Date d = ctx.as_of();
  const BalanceReport r = balance_report(ctx.reader(), d);
  Output out;
  Json customers = Json::array();
  Table t{fmt::format("Balances on {} (incl. VAT)", format_date(d)),
          {"customer", "invoiced", "fees", "penalties", "credited", "paid", "balance", "credit"},
          {}};
  for (const auto& row : r.customers) {
    Json c{{"customer", row.customer}};
    c.update(to_json(row));
    customers.push_back(c);
    t.rows.push_back(balance_cells(row.customer, row));
  }
  if (!r.customers.empty()) t.rows.push_back(balance_cells(kTotalRow, r.total));
  out.json = Json{{"as_of", format_date(d)}, {"customers", customers}, {"total", to_json(r.total)}};
  out.tables.push_back(std::move(t));
  out.lines.push_back("balance = invoiced + fees + penalties - credited - paid; credit is the customer credit (P3).");
  return out;
}

// ---- suspense ----

// Streamed while printing (Table::generate, Output::json_arrays): an import
// of a whole year's statement can leave 88k lines in suspense, which as rows
// and a JSON tree held at once took 274 MB (issue 17).
struct SuspenseOpts {
  std::string status = "all";
};

Output run_suspense(Context& ctx, const SuspenseOpts& o) {
  const SuspenseFilter filter = [&] {
    try {
      return parse_suspense_filter(o.status);
    } catch (const Error&) {
      throw usage_error("invalid --status '{}': expected open, resolved or all", shown_text(o.status));
    }
  }();
  const Date d = ctx.as_of();
  Ledger& ledger = ctx.reader();
  const SuspenseTotal total = suspense_total(ledger, d);
  const auto each = [&ledger, d, filter](const std::function<void(const SuspenseLine&)>& fn) {
    each_suspense_line(ledger, d, fn, filter);
  };
  Output out;
  out.json = Json{{"as_of", format_date(d)},
                  {"status", o.status},
                  {"suspense", Json::array()},
                  {"total", amount(total.open_amount)},
                  {"open", Json{{"count", total.open_count}, {"amount", amount(total.open_amount)}}},
                  {"lines", Json{{"count", total.count}, {"amount", amount(total.amount)}}}};
  out.json_arrays["suspense"] = [each](const std::function<void(const Json&)>& sink) {
    each([&sink](const SuspenseLine& l) { sink(suspense_json(l)); });
  };
  Table t{"", {"id", "date", "amount", "reference", "label", "payer", "method", "reason", "status", "open", "resolution"},
          {}};
  t.generate = [each](const RowSink& sink) {
    each([&sink](const SuspenseLine& l) {
      sink({std::to_string(l.id), format_date(l.date), format_amount(l.amount), l.reference, l.label, l.payer,
            std::string(to_string(l.method)), l.reason, std::string(to_string(l.status)),
            format_amount(l.open_amount), suspense_resolution(l)});
    });
  };
  out.tables.push_back(std::move(t));
  out.lines.push_back(fmt::format("{} open line(s), {} still in suspense; {} line(s) in all ({}) dated by {} (bank "
                                  "statement lines not recorded as payments: tally suspense assign LINE --invoice "
                                  "NUMBER, or tally suspense dismiss LINE --reason R)",
                                  total.open_count, format_amount(total.open_amount), total.count,
                                  format_amount(total.amount), format_date(d)));
  return out;
}

// ---- close ----

struct CloseOpts {
  std::string month;
  bool lock = false;
};

Json to_json(const DocumentTotals& t) {
  return Json{{"count", t.count}, {"ht", amount(t.ht)}, {"vat", amount(t.vat)}, {"ttc", amount(t.ttc)}};
}

Json to_json(const CollectedTotals& t) {
  return Json{{"received", amount(t.received)}, {"reversed", amount(t.reversed)}, {"net", amount(t.net())}};
}

Json to_json(const NumberSequence& s) {
  const auto number = [&](std::int64_t n) { return fmt::format("{}{}-{:06}", s.prefix, s.year, n); };
  return Json{{"year", s.year},
              {"from", s.last > 0 ? Json(number(1)) : Json(nullptr)},
              {"to", s.last > 0 ? Json(number(s.last)) : Json(nullptr)},
              {"count", s.count},
              {"missing", s.missing},
              {"gapless", s.gapless()}};
}

Json text_or_null(const std::string& s) { return s.empty() ? Json(nullptr) : Json(s); }

Json close_json(const CloseReport& r, Date as_of, bool newly_locked) {
  Json invoiced = Json::object();
  for (const auto& [kind, t] : r.invoiced) invoiced[std::string(to_string(kind))] = to_json(t);
  invoiced["total"] = to_json(r.invoiced_total);
  Json vat = Json::array();
  for (const auto& v : r.vat_by_rate)
    vat.push_back(Json{{"rate", format_rate(v.rate)},
                       {"invoiced_ht", amount(v.invoiced_ht)},
                       {"invoiced_vat", amount(v.invoiced_vat)},
                       {"credited_ht", amount(v.credited_ht)},
                       {"credited_vat", amount(v.credited_vat)},
                       {"net_ht", amount(v.net_ht())},
                       {"net_vat", amount(v.net_vat())}});
  Json collected = Json::object();
  for (const auto& [method, t] : r.collected) collected[std::string(to_string(method))] = to_json(t);
  collected["total"] = to_json(r.collected_total);
  Json fees = to_json(r.fees);
  fees["waived"] = r.fees_waived;
  Json transitions = Json::array();
  for (const auto& t : r.transitions)
    transitions.push_back(
        Json{{"customer", t.customer}, {"from", to_string(t.from)}, {"to", to_string(t.to)}, {"date", format_date(t.date)}});
  return Json{{"month", format_month(r.month)},
              {"as_of", format_date(as_of)},
              {"complete", r.complete},
              {"invoiced", invoiced},
              {"vat_by_rate", vat},
              {"collected", collected},
              {"credit_settled", amount(r.credit_settled)},
              {"fees", fees},
              {"penalties", Json{{"count", r.penalties.count},
                                 {"interest", amount(r.penalties.interest)},
                                 {"indemnity", amount(r.penalties.indemnity)},
                                 {"ttc", amount(r.penalties.ttc)}}},
              {"credit_notes", to_json(r.credit_notes)},
              {"first_number", text_or_null(r.first_number)},
              {"last_number", text_or_null(r.last_number)},
              {"gapless", r.gapless()},
              {"sequences", Json{{"invoices", to_json(r.invoice_numbers)}, {"credit_notes", to_json(r.credit_note_numbers)}}},
              {"aging", to_json(r.aging)},
              {"transitions", transitions},
              {"locked", r.locked},
              {"newly_locked", newly_locked},
              {"locked_through", r.locked_through ? Json(*r.locked_through) : Json(nullptr)}};
}

std::vector<std::string> totals_cells(std::string first, const DocumentTotals& t) {
  return {std::move(first), std::to_string(t.count), format_amount(t.ht), format_amount(t.vat), format_amount(t.ttc)};
}

std::vector<std::string> sequence_cells(const NumberSequence& s, const std::string& first, const std::string& last) {
  std::string state = s.gapless() ? "gapless" : fmt::format("{} missing", s.last - s.count);
  if (!s.missing.empty()) state += ": " + fmt::format("{}", fmt::join(s.missing, " "));
  return {s.prefix, std::to_string(s.year), first, last, std::to_string(s.count), std::to_string(s.last), state};
}

std::vector<Table> close_tables(const CloseReport& r) {
  const std::string month = format_month(r.month);
  std::vector<Table> tables;

  Table inv{"Invoiced in " + month, {"kind", "count", "ht", "vat", "ttc"}, {}};
  for (const auto& [kind, t] : r.invoiced) inv.rows.push_back(totals_cells(std::string(to_string(kind)), t));
  inv.rows.push_back(totals_cells(kTotalRow, r.invoiced_total));
  tables.push_back(std::move(inv));

  Table vat{"VAT by rate (invoices less credit notes)",
            {"rate", "invoiced_ht", "invoiced_vat", "credited_ht", "credited_vat", "net_ht", "net_vat"},
            {}};
  for (const auto& v : r.vat_by_rate)
    vat.rows.push_back({format_rate(v.rate), format_amount(v.invoiced_ht), format_amount(v.invoiced_vat),
                        format_amount(v.credited_ht), format_amount(v.credited_vat), format_amount(v.net_ht()),
                        format_amount(v.net_vat())});
  tables.push_back(std::move(vat));

  Table col{"Collected by means of payment", {"method", "received", "reversed", "net"}, {}};
  const auto collected_cells = [](std::string first, const CollectedTotals& t) {
    return std::vector<std::string>{std::move(first), format_amount(t.received), format_amount(t.reversed),
                                    format_amount(t.net())};
  };
  for (const auto& [method, t] : r.collected) col.rows.push_back(collected_cells(std::string(to_string(method)), t));
  col.rows.push_back(collected_cells(kTotalRow, r.collected_total));
  tables.push_back(std::move(col));

  Table charges{"Fees, penalties and credit notes", {"what", "count", "ht", "vat", "ttc"}, {}};
  charges.rows.push_back(totals_cells("fees (P2)", r.fees));
  const PenaltyTotals& p = r.penalties;
  charges.rows.push_back({"penalties: interest (L4)", "", format_amount(p.interest), "0.00", format_amount(p.interest)});
  charges.rows.push_back({"penalties: indemnities (L5)", "", format_amount(p.indemnity), "0.00", format_amount(p.indemnity)});
  charges.rows.push_back({"penalty invoices", std::to_string(p.count), format_amount(p.ttc), "0.00", format_amount(p.ttc)});
  charges.rows.push_back(totals_cells("credit notes", r.credit_notes));
  tables.push_back(std::move(charges));

  Table seq{"Numbering (I2)", {"series", "year", "first_of_month", "last_of_month", "count", "last", "sequence"}, {}};
  seq.rows.push_back(sequence_cells(r.invoice_numbers, r.first_number, r.last_number));
  seq.rows.push_back(sequence_cells(r.credit_note_numbers, "", ""));
  tables.push_back(std::move(seq));

  tables.push_back(aging_table(r.aging, fmt::format("Aging on {} (balances incl. VAT)", format_date(r.aging.as_of))));

  Table tr{"Stage transitions in " + month, {"date", "customer", "from", "to"}, {}};
  for (const auto& t : r.transitions)
    tr.rows.push_back({format_date(t.date), t.customer, std::string(to_string(t.from)), std::string(to_string(t.to))});
  tables.push_back(std::move(tr));
  return tables;
}

std::vector<std::string> close_lines(const CloseReport& r, Date as_of, bool newly_locked, bool dry_run) {
  const std::string month = format_month(r.month);
  std::vector<std::string> lines;
  if (!r.complete)
    lines.push_back(fmt::format("Provisional: {} has not ended on {}; records dated up to {} are counted.", month,
                                format_date(as_of), format_date(r.end)));
  if (r.fees_waived > 0) lines.push_back(fmt::format("{} payment(s) had their fee waived (P2).", r.fees_waived));
  if (r.credit_settled != 0)
    lines.push_back(fmt::format("{} settled from customer credit (not money received).", format_amount(r.credit_settled)));
  lines.push_back(r.gapless() ? "Numbering: no gap in the invoice and credit-note sequences of the year (I2)."
                              : "Numbering: GAPS in the sequences of the year (I2): see the Numbering table.");
  if (newly_locked)
    lines.push_back(fmt::format("Month {} {}locked: nothing dated in it or before can be written any more.", month,
                                dry_run ? "would be " : ""));
  else if (r.locked)
    lines.push_back(fmt::format("Month {} is locked (locked through {}).", month, *r.locked_through));
  else
    lines.push_back(fmt::format("Month {} is not locked: lock it with 'tally report close --month {} --lock'.", month,
                                month));
  return lines;
}

Output run_close(Context& ctx, const CloseOpts& o) {
  const Date as_of = ctx.as_of();
  const Date month = parse_month(o.month);
  Ledger& ledger = ctx.ledger(o.lock ? OpenMode::write : OpenMode::read);
  const bool newly_locked = o.lock && lock_month(ledger, month, as_of);
  CloseReport r = close_report(ledger, month, as_of);
  if (newly_locked) {  // also in a dry run, where the lock was rolled back
    r.locked = true;
    if (!r.locked_through || *r.locked_through < format_month(month)) r.locked_through = format_month(month);
  }
  // The journal's last event, to keep outside the ledger with the close pack.
  const std::string anchor = [&] {
    const auto a = journal_anchor(ledger);
    return a ? format_anchor(*a) : std::string();
  }();
  Output out;
  out.json = close_json(r, as_of, newly_locked);
  out.json["anchor"] = anchor.empty() ? Json(nullptr) : Json(anchor);
  out.tables = close_tables(r);
  out.lines = close_lines(r, as_of, newly_locked, ledger.dry_run());
  if (!anchor.empty()) out.lines.push_back("Journal anchor (tally verify --anchor): " + anchor);
  if (ctx.format() == Format::html) out.raw = close_html(r, out.tables, as_of, anchor);
  return out;
}

}  // namespace

void setup_report(CLI::App& cmd, Context& ctx, Action& action) {
  cmd.require_subcommand(1);
  struct NoOpts {};
  auto none = std::make_shared<NoOpts>();

  auto* aging = cmd.add_subcommand("aging", "balances incl. VAT per customer by months late, as of --as-of");
  example(aging, "tally --as-of 2026-03-31 report aging --format csv > aging.csv");
  on_parse(aging, ctx, action, none, [](Context& c, const NoOpts&) { return run_aging(c); });

  auto* balance = cmd.add_subcommand("balance", "per customer: invoiced, fees, penalties, credited, paid, balance, credit");
  example(balance, "tally --as-of 2026-03-31 report balance --format json | jq '.total.balance'");
  on_parse(balance, ctx, action, none, [](Context& c, const NoOpts&) { return run_balance(c); });

  auto so = std::make_shared<SuspenseOpts>();
  auto* suspense = cmd.add_subcommand("suspense", "bank statement lines the import could not record as payments");
  suspense->add_option("--status", so->status, "open, resolved (assigned or dismissed) or all (default)");
  example(suspense, "tally report suspense --status open --format json | jq -r '.suspense[].reference'");
  on_parse(suspense, ctx, action, so, run_suspense);

  auto c = std::make_shared<CloseOpts>();
  auto* close = cmd.add_subcommand("close", "the month-end close: invoiced, VAT, collected, numbering, aging; --lock");
  close->add_option("--month", c->month, "the month, YYYY-MM")->required();
  close->add_flag("--lock", c->lock, "lock the month (once it has ended): nothing dated in it or before can change");
  example(close, "tally --as-of 2026-04-01 report close --month 2026-03 --lock  (or --format html > close.html)");
  close->parse_complete_callback([&ctx] { ctx.html_ok = true; });
  on_parse(close, ctx, action, c, run_close);
}

}  // namespace tally::cli
