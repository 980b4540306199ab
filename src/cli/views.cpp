// JSON and table views of customers, subscriptions and invoices.
#include "cli/views.hpp"

namespace tally::cli {

Json amount(Cents c) { return format_amount(c); }

Json to_json(const Customer& c) {
  return Json{{"code", c.code},           {"name", c.name},
              {"email", c.email},         {"vat_rate", format_rate(c.vat_rate)},
              {"terms_days", c.terms_days}, {"created", format_date(c.created)}};
}

Json to_json(const Subscription& s) {
  Json j{{"id", s.id},
         {"customer", s.customer},
         {"amount_ht", amount(s.amount_ht)},
         {"cycle", to_string(s.cycle)},
         {"start", format_date(s.start)},
         {"commitment_months", s.commitment_months},
         {"notice_months", s.notice_months},
         {"letter_date", nullptr},
         {"letter_ref", nullptr},
         {"end_date", nullptr}};
  if (s.letter_date) {
    j["letter_date"] = format_date(*s.letter_date);
    j["letter_ref"] = s.letter_ref;
  }
  if (s.end_date) j["end_date"] = format_date(*s.end_date);
  return j;
}

Json to_json(const InvoiceLine& l) {
  return Json{{"description", l.description}, {"item", l.item.empty() ? Json(nullptr) : Json(l.item)},
              {"qty", format_quantity(l.qty)},   {"unit_ht", amount(l.unit_ht)},
              {"amount_ht", amount(l.amount_ht)}, {"vat_rate", format_rate(l.vat_rate)},
              {"rule", l.rule}};
}

Json to_json(const Invoice& inv) {
  Json j{{"number", inv.number},
         {"type", inv.credit_note ? "credit-note" : "invoice"},
         {"customer", inv.customer},
         {"kind", to_string(inv.kind)},
         {"issue_date", format_date(inv.issue_date)},
         {"due_date", format_date(inv.due_date)},
         {"total_ht", amount(inv.total_ht)},
         {"vat", amount(inv.vat)},
         {"total_ttc", amount(inv.total_ttc)},
         {"paid", amount(inv.paid)},
         {"credited", amount(inv.credited)},
         {"balance", amount(inv.balance)},
         {"status", inv.status},
         {"cites", inv.cites.empty() ? Json(nullptr) : Json(inv.cites)},
         {"reason", inv.reason.empty() ? Json(nullptr) : Json(inv.reason)},
         {"period", nullptr},
         {"lines", Json::array()}};
  if (inv.period) j["period"] = Json{{"first", format_date(inv.period->first)}, {"last", format_date(inv.period->last)}};
  for (const auto& l : inv.lines) j["lines"].push_back(to_json(l));
  return j;
}

namespace {
Json text_or_null(const std::string& s) { return s.empty() ? Json(nullptr) : Json(s); }
}  // namespace

Json to_json(const Payment& p) {
  return Json{{"id", p.id},
              {"invoice", p.invoice},
              {"customer", p.customer},
              {"amount", amount(p.amount)},
              {"method", to_string(p.method)},
              {"date", format_date(p.date)},
              {"ref", text_or_null(p.ref)},
              {"detail", text_or_null(p.detail)},
              {"waive_reason", text_or_null(p.waive_reason)},
              {"fee_invoice", text_or_null(p.fee_invoice)},
              {"reversed_on", p.reversed_on ? Json(format_date(*p.reversed_on)) : Json(nullptr)},
              {"reverse_reason", text_or_null(p.reverse_reason)}};
}

Table payment_table(const std::vector<Payment>& payments, std::string title) {
  Table t{std::move(title),
          {"id", "date", "customer", "invoice", "method", "amount", "ref", "fee_invoice", "reversed_on"},
          {}};
  for (const auto& p : payments) t.rows.push_back(payment_row(p));
  return t;
}

Row payment_row(const Payment& p) {
  return {std::to_string(p.id), format_date(p.date), p.customer, p.invoice, std::string(to_string(p.method)),
          format_amount(p.amount), p.ref, p.fee_invoice, p.reversed_on ? format_date(*p.reversed_on) : ""};
}

Table invoice_table(const std::vector<Invoice>& invoices, std::string title) {
  Table t{std::move(title),
          {"number", "customer", "kind", "issue_date", "due_date", "total_ht", "vat", "total_ttc", "paid", "balance",
           "status"},
          {}};
  for (const auto& i : invoices) t.rows.push_back(invoice_row(i));
  return t;
}

Row invoice_row(const Invoice& i) {
  return {i.number, i.customer, std::string(to_string(i.kind)), format_date(i.issue_date), format_date(i.due_date),
          format_amount(i.total_ht), format_amount(i.vat), format_amount(i.total_ttc), format_amount(i.paid),
          format_amount(i.balance), i.status};
}

Table invoice_lines_table(const Invoice& inv) {
  Table t{"Lines of " + inv.number, {"description", "qty", "unit_ht", "amount_ht", "vat_rate", "rule"}, {}};
  for (const auto& l : inv.lines)
    t.rows.push_back({l.description, format_quantity(l.qty), format_amount(l.unit_ht), format_amount(l.amount_ht),
                      format_rate(l.vat_rate), l.rule});
  return t;
}

}  // namespace tally::cli
