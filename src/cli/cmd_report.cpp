// tally report aging | balance | suspense | vat --month YYYY-MM | close --month YYYY-MM [--lock] [--lang fr|en]
#include <chrono>

#include <date/date.h>
#include <fmt/ranges.h>

#include "cli/options.hpp"
#include "cli/html.hpp"
#include "cli/views.hpp"
#include "tally/accounting.hpp"
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
  const Policy p = policy_at(ctx.reader(), d);
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

// ---- vat ----

struct VatOpts {
  std::string month;
};

Output run_vat(Context& ctx, const VatOpts& o) {
  const Date as_of = ctx.as_of();
  Date month;
  try {
    month = parse_month(o.month);
  } catch (const Error&) {
    throw usage_error("invalid --month '{}': expected a month as YYYY-MM (e.g. 2026-03)", o.month);
  }
  if (month_first(month) > as_of)
    throw usage_error("invalid --month '{}': it starts after the business date {} (--as-of)", o.month,
                      format_date(as_of));
  const VatReport r = vat_report(ctx.reader(), month, as_of);
  const bool receipts = r.regime == VatRegime::receipts;
  Output out;
  Json rates = Json::array();
  Table t{fmt::format("VAT of {} on {} (A1; CA3 base and VAT by rate)", format_month(r.month),
                      receipts ? "what was received" : "what was invoiced (option for debits)"),
          {"rate", "ca3_line", "base", "vat"},
          {}};
  for (const auto& v : r.by_rate) {
    const std::string line(ca3_line(v.rate));
    rates.push_back(Json{{"rate", format_rate(v.rate)}, {"ca3_line", line}, {"base", amount(v.base)},
                         {"vat", amount(v.vat)}});
    t.rows.push_back({format_rate(v.rate), line, format_amount(v.base), format_amount(v.vat)});
  }
  if (!r.by_rate.empty()) t.rows.push_back({kTotalRow, "", format_amount(r.total.base), format_amount(r.total.vat)});
  out.json = Json{{"month", format_month(r.month)},
                  {"as_of", format_date(as_of)},
                  {"complete", r.complete},
                  {"regime", to_string(r.regime)},
                  {"by_rate", rates},
                  {"total", Json{{"base", amount(r.total.base)}, {"vat", amount(r.total.vat)}}}};
  if (receipts)
    out.json["receipts"] = Json{{"received", amount(r.received)},
                                {"reversed", amount(r.reversed)},
                                {"credited_paid", amount(r.credited_paid)}};
  else
    out.json["debits"] = Json{{"invoiced", amount(r.invoiced_ttc)}, {"credit_notes", amount(r.credit_notes_ttc)}};
  out.tables.push_back(std::move(t));
  if (!r.complete)
    out.lines.push_back(fmt::format("Provisional: {} has not ended on {}; records dated up to {} are counted.",
                                    format_month(r.month), format_date(as_of), format_date(r.end)));
  if (receipts)
    out.lines.push_back(fmt::format(
        "VAT on receipts (CGI 269-2-c): each amount settled in the month carries its share of its invoice's VAT "
        "(received {}, reversed {}, credit notes on paid parts {}); penalties carry no VAT (M4).",
        format_amount(r.received), format_amount(r.reversed), format_amount(r.credited_paid)));
  else
    out.lines.push_back(fmt::format("VAT on debits (seller's option): invoices issued {} less credit notes {} (incl. "
                                    "VAT); penalties carry no VAT (M4).",
                                    format_amount(r.invoiced_ttc), format_amount(r.credit_notes_ttc)));
  return out;
}

// ---- close ----

struct CloseOpts {
  std::string month;
  bool lock = false;
  std::optional<std::string> lang;  // fr (html default) or en (table, csv, json)
};

// When the close was made, UTC: 2026-04-01T08:30:00Z.
std::string utc_now() {
  const auto now = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
  return date::format("%Y-%m-%dT%H:%M:%SZ", now);
}

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
  Json waivers = Json::array();
  for (const auto& w : r.waivers)
    waivers.push_back(Json{{"payment", w.payment},
                           {"date", format_date(w.date)},
                           {"customer", w.customer},
                           {"invoice", w.invoice},
                           {"method", to_string(w.method)},
                           {"reason", w.reason}});
  Json cash = Json::array();
  for (const auto& c : r.cash_by_month)
    cash.push_back(Json{{"month", format_month(c.month)},
                        {"received", amount(c.received)},
                        {"reversed", amount(c.reversed)},
                        {"net", amount(c.net())}});
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
              {"receivables", Json{{"opening", amount(r.receivables.opening)},
                                   {"invoiced", amount(r.receivables.invoiced)},
                                   {"credit_notes", amount(r.receivables.credit_notes)},
                                   {"received", amount(r.receivables.received)},
                                   {"reversals", amount(r.receivables.reversals)},
                                   {"computed", amount(r.receivables.computed())},
                                   {"closing", amount(r.receivables.closing)},
                                   {"balanced", r.receivables.balances()}}},
              {"customer_credit", Json{{"opening", amount(r.customer_credit.opening)},
                                       {"added", amount(r.customer_credit.added)},
                                       {"taken", amount(r.customer_credit.taken)},
                                       {"closing", amount(r.customer_credit.closing)}}},
              {"suspense", Json{{"count", r.suspense.open_count},
                                {"amount", amount(r.suspense.open_amount)},
                                {"lines", r.suspense.count},
                                {"lines_amount", amount(r.suspense.amount)}}},
              {"fee_waivers", waivers},
              {"cash_by_month", cash},
              {"locked", r.locked},
              {"newly_locked", newly_locked},
              {"locked_through", r.locked_through ? Json(*r.locked_through) : Json(nullptr)}};
}

std::vector<std::string> totals_cells(std::string first, const DocumentTotals& t) {
  return {std::move(first), std::to_string(t.count), format_amount(t.ht), format_amount(t.vat), format_amount(t.ttc)};
}

// The close's labels: English (table, csv) or French (html by default).
struct Labels {
  bool fr = false;
  std::string operator()(std::string_view en, std::string_view french) const {
    return std::string(fr ? french : en);
  }
};

std::string kind_label(InvoiceKind k, const Labels& L) {
  switch (k) {
    case InvoiceKind::subscription: return L("subscription", "abonnements");
    case InvoiceKind::setup: return L("setup", "mises en place");
    case InvoiceKind::services: return L("services", "prestations");
    case InvoiceKind::fee: return L("fee", "frais de paiement");
    case InvoiceKind::penalty: return L("penalty", "pénalités");
  }
  return "";
}

std::string method_label(Method m, const Labels& L) {
  switch (m) {
    case Method::transfer: return L("transfer", "virement");
    case Method::card: return L("card", "carte");
    case Method::sepa: return L("sepa", "prélèvement SEPA");
    case Method::other: return L("other", "autre");
    case Method::credit: return L("credit", "crédit client");
  }
  return "";
}

std::vector<std::string> sequence_cells(const NumberSequence& s, const std::string& first, const std::string& last,
                                        const Labels& L) {
  std::string state = s.gapless() ? L("gapless", "sans trou")
                                  : fmt::format("{} {}", s.last - s.count, L("missing", "manquant(s)"));
  if (!s.missing.empty()) state += ": " + fmt::format("{}", fmt::join(s.missing, " "));
  return {s.prefix, std::to_string(s.year), first, last, std::to_string(s.count), std::to_string(s.last), state};
}

Table aging_table(const AgingReport& r, const Labels& L) {
  Table t = aging_table(r, L(fmt::format("Aging on {} (balances incl. VAT)", format_date(r.as_of)),
                             fmt::format("Balance âgée au {} (soldes TTC)", format_date(r.as_of))));
  if (L.fr) t.columns = {"client", "non échu", "retard 0-1 mois", "1-2 mois", "2-6 mois", "6 mois et plus", "total"};
  return t;
}

std::vector<Table> close_tables(const CloseReport& r, const Labels& L) {
  const std::string month = format_month(r.month);
  std::vector<Table> tables;

  Table inv{L("Invoiced in ", "Facturé en ") + month,
            {L("kind", "nature"), L("count", "nombre"), L("ht", "HT"), L("vat", "TVA"), L("ttc", "TTC")},
            {}};
  for (const auto& [kind, t] : r.invoiced) inv.rows.push_back(totals_cells(kind_label(kind, L), t));
  inv.rows.push_back(totals_cells(kTotalRow, r.invoiced_total));
  tables.push_back(std::move(inv));

  Table vat{L("VAT by rate (invoices less credit notes)", "TVA par taux (factures moins avoirs)"),
            {L("rate", "taux"), L("invoiced_ht", "HT facturé"), L("invoiced_vat", "TVA facturée"),
             L("credited_ht", "HT des avoirs"), L("credited_vat", "TVA des avoirs"), L("net_ht", "HT net"),
             L("net_vat", "TVA nette")},
            {}};
  for (const auto& v : r.vat_by_rate)
    vat.rows.push_back({format_rate(v.rate), format_amount(v.invoiced_ht), format_amount(v.invoiced_vat),
                        format_amount(v.credited_ht), format_amount(v.credited_vat), format_amount(v.net_ht()),
                        format_amount(v.net_vat())});
  tables.push_back(std::move(vat));

  Table col{L("Collected by means of payment", "Encaissements par moyen de paiement"),
            {L("method", "moyen"), L("received", "reçu"), L("reversed", "rejeté"), "net"},
            {}};
  const auto collected_cells = [](std::string first, const CollectedTotals& t) {
    return std::vector<std::string>{std::move(first), format_amount(t.received), format_amount(t.reversed),
                                    format_amount(t.net())};
  };
  for (const auto& [method, t] : r.collected) col.rows.push_back(collected_cells(method_label(method, L), t));
  col.rows.push_back(collected_cells(kTotalRow, r.collected_total));
  tables.push_back(std::move(col));

  // opening + invoiced - credit notes - received + reversals = closing, shown to balance.
  const ReceivablesRollForward& f = r.receivables;
  Table roll{L("Receivables roll-forward (incl. VAT)", "Rapprochement des créances clients (TTC)"),
             {L("movement", "mouvement"), L("amount", "montant")},
             {}};
  roll.rows = {
      {L("opening balance on ", "solde d'ouverture au ") + format_date(r.month - date::days{1}), format_amount(f.opening)},
      {L("+ invoiced (fees and penalties included)", "+ facturé (frais et pénalités compris)"), format_amount(f.invoiced)},
      {L("- credit notes applied to invoices", "- avoirs imputés sur factures"), format_amount(f.credit_notes)},
      {L("- received (payments and credit used)", "- encaissé (règlements et crédit utilisé)"), format_amount(f.received)},
      {L("+ reversals (P5)", "+ rejets (P5)"), format_amount(f.reversals)},
      {L("= closing balance computed", "= solde de clôture calculé"), format_amount(f.computed())},
      {L("closing balance on ", "solde de clôture au ") + format_date(r.end), format_amount(f.closing)},
      {L("difference", "écart"), format_amount(f.computed() - f.closing)},
  };
  tables.push_back(std::move(roll));

  const CreditRollForward& cc = r.customer_credit;
  Table credit{L("Customer credit (P3)", "Crédit des clients (P3)"),
               {L("movement", "mouvement"), L("amount", "montant")},
               {}};
  credit.rows = {
      {L("opening", "ouverture"), format_amount(cc.opening)},
      {L("+ added (overpayments, credit notes on paid invoices)", "+ constitué (trop-perçus, avoirs sur factures payées)"),
       format_amount(cc.added)},
      {L("- used or taken back", "- utilisé ou repris"), format_amount(cc.taken)},
      {L("= closing", "= clôture"), format_amount(cc.closing)},
      {L("settled from credit in the month (net)", "règlements par crédit client du mois (net)"),
       format_amount(r.credit_settled)},
  };
  tables.push_back(std::move(credit));

  Table charges{L("Fees, penalties and credit notes", "Frais, pénalités et avoirs"),
                {L("what", "nature"), L("count", "nombre"), L("ht", "HT"), L("vat", "TVA"), L("ttc", "TTC")},
                {}};
  charges.rows.push_back(totals_cells(L("fees (P2)", "frais (P2)"), r.fees));
  const PenaltyTotals& p = r.penalties;
  charges.rows.push_back({L("penalties: interest (L4)", "pénalités : intérêts (L4)"), "", format_amount(p.interest),
                          "0.00", format_amount(p.interest)});
  charges.rows.push_back({L("penalties: indemnities (L5)", "pénalités : indemnités (L5)"), "",
                          format_amount(p.indemnity), "0.00", format_amount(p.indemnity)});
  charges.rows.push_back({L("penalty invoices", "factures de pénalités"), std::to_string(p.count), format_amount(p.ttc),
                          "0.00", format_amount(p.ttc)});
  charges.rows.push_back(totals_cells(L("credit notes", "avoirs"), r.credit_notes));
  tables.push_back(std::move(charges));

  Table waived{L("Fee waivers (P2)", "Frais non facturés (P2)"),
               {L("payment", "règlement"), "date", L("customer", "client"), L("invoice", "facture"),
                L("method", "moyen"), L("reason", "motif")},
               {}};
  for (const auto& w : r.waivers)
    waived.rows.push_back({std::to_string(w.payment), format_date(w.date), w.customer, w.invoice,
                           method_label(w.method, L), w.reason});
  tables.push_back(std::move(waived));

  Table suspense{L("Suspense: bank lines not yet assigned or dismissed", "Attente : lignes bancaires non affectées"),
                 {L("lines", "lignes"), L("amount", "montant")},
                 {{std::to_string(r.suspense.open_count), format_amount(r.suspense.open_amount)}}};
  tables.push_back(std::move(suspense));

  Table cash{L("Cash received by month (last 12 months)", "Encaissements par mois (12 derniers mois)"),
             {L("month", "mois"), L("received", "reçu"), L("reversed", "rejeté"), "net"},
             {}};
  for (const auto& c : r.cash_by_month)
    cash.rows.push_back({format_month(c.month), format_amount(c.received), format_amount(c.reversed),
                         format_amount(c.net())});
  tables.push_back(std::move(cash));

  Table seq{L("Numbering (I2)", "Numérotation (I2)"),
            {L("series", "série"), L("year", "année"), L("first_of_month", "premier du mois"),
             L("last_of_month", "dernier du mois"), L("count", "nombre"), L("last", "dernier"),
             L("sequence", "séquence")},
            {}};
  seq.rows.push_back(sequence_cells(r.invoice_numbers, r.first_number, r.last_number, L));
  seq.rows.push_back(sequence_cells(r.credit_note_numbers, "", "", L));
  tables.push_back(std::move(seq));

  tables.push_back(aging_table(r.aging, L));

  Table tr{L("Stage transitions in ", "Changements d'étape en ") + month,
           {"date", L("customer", "client"), L("from", "de"), L("to", "vers")},
           {}};
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
  const ReceivablesRollForward& f = r.receivables;
  lines.push_back(fmt::format("Receivables: {} + {} - {} - {} + {} = {}; closing balance {}: {}.",
                              format_amount(f.opening), format_amount(f.invoiced), format_amount(f.credit_notes),
                              format_amount(f.received), format_amount(f.reversals), format_amount(f.computed()),
                              format_amount(f.closing), f.balances() ? "balanced" : "DOES NOT BALANCE"));
  if (r.suspense.open_count > 0)
    lines.push_back(fmt::format("{} bank line(s) in suspense, {}: see tally report suspense.", r.suspense.open_count,
                                format_amount(r.suspense.open_amount)));
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
  if (o.lang && *o.lang != "fr" && *o.lang != "en")
    throw usage_error("invalid --lang '{}': expected fr or en", *o.lang);
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
  const bool html = ctx.format() == Format::html;
  const Labels labels{o.lang ? *o.lang == "fr" : html};
  const CloseStamp stamp{utc_now(), TALLY_VERSION, anchor};
  Output out;
  out.json = close_json(r, as_of, newly_locked);
  out.json["anchor"] = anchor.empty() ? Json(nullptr) : Json(anchor);
  out.json["generated_at"] = stamp.generated_at;
  out.json["tally_version"] = stamp.version;
  out.json["sign_off"] = Json{{"prepared_by", nullptr}, {"reviewed_by", nullptr}};
  out.tables = close_tables(r, labels);
  out.lines = close_lines(r, as_of, newly_locked, ledger.dry_run());
  if (!anchor.empty()) out.lines.push_back("Journal anchor (tally verify --anchor): " + anchor);
  out.lines.push_back(fmt::format("Made by tally {} at {}.", stamp.version, stamp.generated_at));
  out.lines.push_back("Prepared by: ____________________  date: __________  signature: ____________");
  out.lines.push_back("Reviewed by: ____________________  date: __________  signature: ____________");
  if (html) out.raw = close_html(r, out.tables, as_of, stamp, labels.fr);
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
  choice(suspense->add_option("--status", so->status, "open, resolved (assigned or dismissed) or all")
             ->default_str("all"),
         {"open", "resolved", "all"});
  example(suspense, "tally report suspense --status open --format json | jq -r '.suspense[].reference'");
  on_parse(suspense, ctx, action, so, run_suspense);

  auto v = std::make_shared<VatOpts>();
  auto* vat = cmd.add_subcommand("vat", "VAT by rate of a month, on receipts or on debits (A1): the CA3 figures");
  vat->add_option("--month", v->month, "the month, YYYY-MM")->required();
  example(vat, "tally --as-of 2026-04-01 report vat --month 2026-03 --format json | jq '.total.vat'");
  on_parse(vat, ctx, action, v, run_vat);

  auto c = std::make_shared<CloseOpts>();
  auto* close = cmd.add_subcommand(
      "close", "the month-end close: invoiced, VAT, collected, receivables, credit, suspense, numbering, aging; --lock");
  close->add_option("--month", c->month, "the month, YYYY-MM")->required();
  close->add_flag("--lock", c->lock, "lock the month (once it has ended): nothing dated in it or before can change");
  choice(close->add_option("--lang", c->lang, "labels (default fr for --format html, en otherwise)"), {"fr", "en"});
  offer_under(close, "--format", {"html"});
  example(close, "tally --as-of 2026-04-01 report close --month 2026-03 --lock  (or --format html > close.html)");
  close->parse_complete_callback([&ctx] { ctx.html_ok = true; });
  on_parse(close, ctx, action, c, run_close);
}

}  // namespace tally::cli
