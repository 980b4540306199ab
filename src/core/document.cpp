// E1: the invoice document as French text: formats, the document of an issued
// invoice, its mentions and its HTML page. No I/O.
#include "tally/document.hpp"

#include <array>

#include "tally/errors.hpp"
#include "tally/text.hpp"

namespace tally {
namespace {

// "552 120 222"
std::string grouped_siren(const std::string& siren) {
  if (siren.size() != 9) return siren;
  return siren.substr(0, 3) + " " + siren.substr(3, 3) + " " + siren.substr(6);
}

// "FR76 3000 6000 0112 3456 7890 189": an IBAN in its paper form.
std::string grouped_iban(const std::string& iban) {
  std::string out;
  for (std::size_t i = 0; i < iban.size(); ++i) {
    if (i > 0 && i % 4 == 0) out.push_back(' ');
    out.push_back(iban[i]);
  }
  return out;
}

std::string city_line(const PostalAddress& a) {
  std::string line = a.postcode;
  if (!a.city.empty()) line += (line.empty() ? "" : " ") + a.city;
  if (!a.country.empty() && a.country != "FR") line += (line.empty() ? "" : " ") + std::string("(") + a.country + ")";
  return line;
}

void add_if(std::vector<std::string>& lines, const std::string& line) {
  if (!line.empty()) lines.push_back(line);
}

// The VAT column of a line: "20 %", "0 %", "Non soumis".
std::string vat_label(VatCategory c, Rate r) {
  if (c == VatCategory::not_subject) return "Non soumis";
  if (c == VatCategory::reverse_charge) return "0 % (autoliquidation)";
  return french_percent(r);
}

}  // namespace

std::string french_amount(Cents amount) {
  std::string plain = format_amount(amount);  // "-10000.00"
  const bool negative = !plain.empty() && plain[0] == '-';
  if (negative) plain.erase(0, 1);
  const auto dot = plain.find('.');
  const std::string whole = plain.substr(0, dot);
  std::string grouped;
  for (std::size_t i = 0; i < whole.size(); ++i) {
    if (i > 0 && (whole.size() - i) % 3 == 0) grouped.push_back(' ');
    grouped.push_back(whole[i]);
  }
  return (negative ? "-" : "") + grouped + "," + plain.substr(dot + 1);
}

std::string french_money(Cents amount) { return french_amount(amount) + " €"; }

std::string french_percent(Rate rate) {
  std::string s = french_amount(rate.bp);  // basis points read as cents: "7,86"
  if (s.size() > 3 && s.compare(s.size() - 3, 3, ",00") == 0) s.erase(s.size() - 3);
  else if (s.back() == '0' && s.find(',') != std::string::npos) s.pop_back();
  return s + " %";
}

std::string french_date(Date d) { return date::format("%d/%m/%Y", d); }

std::string french_long_date(Date d) {
  static constexpr std::array<const char*, 12> kMonths = {"janvier", "février", "mars",      "avril",
                                                          "mai",     "juin",    "juillet",   "août",
                                                          "septembre", "octobre", "novembre", "décembre"};
  const date::year_month_day ymd{d};
  const unsigned day = static_cast<unsigned>(ymd.day());
  return fmt::format("{}{} {} {}", day, day == 1 ? "er" : "", kMonths[static_cast<unsigned>(ymd.month()) - 1],
                     static_cast<int>(ymd.year()));
}

std::string french_quantity(std::int64_t hundredths) {
  std::string s = french_amount(hundredths);
  if (s.size() > 3 && s.compare(s.size() - 3, 3, ",00") == 0) s.erase(s.size() - 3);
  else if (s.back() == '0' && s.find(',') != std::string::npos) s.pop_back();
  return s;
}

InvoiceDocument invoice_document(const Invoice& inv, const SellerIdentity& seller, const BuyerIdentity& buyer,
                                 const Policy& policy, std::optional<Date> cited_date) {
  InvoiceDocument d;
  d.seller = seller;
  d.buyer = buyer;
  d.number = inv.number;
  d.type = inv.credit_note ? DocumentType::credit_note : DocumentType::invoice;
  d.cited_number = inv.cites;
  d.cited_date = cited_date;
  d.issue_date = inv.issue_date;
  d.due_date = inv.due_date;
  d.service_period = inv.period;
  if (inv.credit_note) d.stored_vat = inv.vat;
  d.late_interest_rate = policy.interest_rate;
  d.recovery_indemnity = policy.indemnity;
  for (const auto& l : inv.lines) {
    DocumentLine dl;
    dl.description = l.description;
    dl.qty = l.qty;
    dl.unit_ht = l.unit_ht;
    if (line_amount(l.qty, l.unit_ht) != l.amount_ht) {
      dl.qty = 100;
      dl.unit_ht = l.amount_ht;
    }
    if (inv.kind == InvoiceKind::penalty) {
      dl.category = VatCategory::not_subject;  // M4
      dl.vat_rate = Rate{0};
    } else if (l.vat_rate.bp == 0) {
      dl.category = reverse_charge_applies(buyer) ? VatCategory::reverse_charge : VatCategory::zero_rated;
      dl.vat_rate = Rate{0};
    } else {
      dl.category = VatCategory::standard;
      dl.vat_rate = l.vat_rate;
    }
    if (inv.kind == InvoiceKind::subscription) dl.period = inv.period;
    d.lines.push_back(dl);
  }
  return d;
}

std::vector<std::string> document_mentions(const InvoiceDocument& doc) {
  std::vector<std::string> out;
  if (doc.type == DocumentType::credit_note)
    out.push_back("Avoir sur la facture n° " + doc.cited_number +
                  (doc.cited_date ? " du " + french_date(*doc.cited_date) : std::string()) + ".");
  for (const auto& n : document_notes(doc)) out.push_back(n.content);
  return out;
}

DocumentText document_text(const InvoiceDocument& doc) {
  check_document(doc);
  const DocumentAmounts t = document_totals(doc);
  const SellerIdentity& s = doc.seller;
  const BuyerIdentity& b = doc.buyer;
  DocumentText out;
  const bool credit = doc.type == DocumentType::credit_note;
  out.title = credit ? "Avoir" : "Facture";
  out.number = doc.number;
  out.header.push_back({credit ? "Avoir n°" : "Facture n°", doc.number});
  out.header.push_back({"Date d'émission", french_date(doc.issue_date)});
  if (doc.service_period)
    out.header.push_back({"Période", "du " + french_date(doc.service_period->first) + " au " +
                                         french_date(doc.service_period->last)});
  else
    out.header.push_back({"Date de la prestation", french_date(doc.issue_date)});
  out.header.push_back({"Date d'échéance", french_date(doc.due_date)});
  if (credit)
    out.header.push_back({"Facture d'origine", doc.cited_number + (doc.cited_date ? " du " + french_date(*doc.cited_date)
                                                                                 : std::string())});

  out.seller.push_back(s.name);
  add_if(out.seller, s.address.street);
  add_if(out.seller, city_line(s.address));
  out.seller.push_back(seller_legal_mention(s));
  out.seller.push_back("SIREN " + grouped_siren(s.siren));
  out.seller.push_back("N° TVA intracommunautaire : " + s.vat_number);
  add_if(out.seller, s.email);
  add_if(out.seller, s.phone.empty() ? "" : "Tél. " + s.phone);

  out.buyer.push_back(b.legal_name);
  add_if(out.buyer, b.address.street);
  add_if(out.buyer, city_line(b.address));
  add_if(out.buyer, b.siren.empty() ? "" : "SIREN " + grouped_siren(b.siren));
  add_if(out.buyer, b.vat_number.empty() ? "" : "N° TVA intracommunautaire : " + b.vat_number);

  out.columns = {"Désignation", "Quantité", "Prix unitaire HT", "TVA", "Montant HT"};
  for (std::size_t i = 0; i < doc.lines.size(); ++i) {
    const DocumentLine& l = doc.lines[i];
    std::string description = l.description;
    if (l.period && (!doc.service_period || !(*l.period == *doc.service_period)))
      description += " (du " + french_date(l.period->first) + " au " + french_date(l.period->last) + ")";
    out.rows.push_back({description, french_quantity(l.qty), french_money(l.unit_ht), vat_label(l.category, l.vat_rate),
                        french_money(t.line_nets[i])});
  }

  out.totals.push_back({"Total HT", french_money(t.lines)});
  for (const auto& v : t.breakdown) {
    if (v.category == VatCategory::not_subject)
      out.totals.push_back({"Non soumis à la TVA, base " + french_money(v.base), french_money(v.vat)});
    else
      out.totals.push_back({"TVA " + vat_label(v.category, v.rate) + " sur " + french_money(v.base), french_money(v.vat)});
  }
  out.totals.push_back({"Total TVA", french_money(t.vat)});
  out.totals.push_back({"Total TTC", french_money(t.grand_total)});
  if (t.prepaid != 0) {
    out.totals.push_back({"Déjà réglé", french_money(t.prepaid)});
    out.totals.push_back({"Net à payer", french_money(t.due)});
  }

  out.mentions = document_mentions(doc);
  out.bank = "Règlement par virement : IBAN " + grouped_iban(s.iban) + " - BIC " + s.bic;
  return out;
}

std::string document_html(const DocumentText& d) {
  const auto e = [](const std::string& text) { return html_escape(text); };
  std::string h;
  h += "<!DOCTYPE html>\n<html lang=\"fr\">\n<head>\n<meta charset=\"utf-8\">\n";
  h += "<title>" + e(d.title + " " + d.number) + "</title>\n";
  h += R"(<style>
@page { size: A4; margin: 18mm 16mm; }
body { font-family: "DejaVu Sans", Arial, sans-serif; font-size: 10pt; color: #000; max-width: 180mm;
       margin: 0 auto; padding: 10mm; }
@media print { body { padding: 0; } }
header { display: flex; justify-content: space-between; gap: 2em; }
h1 { font-size: 20pt; margin: 0 0 0.3em 0; }
.parties { display: flex; justify-content: space-between; gap: 2em; margin: 1.5em 0; }
.party { width: 48%; }
.party h2 { font-size: 9pt; text-transform: uppercase; margin: 0 0 0.3em 0; color: #444; }
.party p, .meta p, .seller p { margin: 0.1em 0; }
table { border-collapse: collapse; width: 100%; }
th, td { padding: 0.35em 0.5em; border-bottom: 1px solid #999; vertical-align: top; }
th { text-align: left; background: #eee; }
td.num, th.num { text-align: right; white-space: nowrap; }
table.totals { width: 55%; margin: 1em 0 0 auto; }
table.totals tr:last-child td { font-weight: bold; }
.mentions { margin-top: 2em; font-size: 8.5pt; }
.mentions p { margin: 0.3em 0; }
</style>
</head>
<body>
)";
  h += "<header>\n<div class=\"seller\">\n";
  for (std::size_t i = 0; i < d.seller.size(); ++i)
    h += (i == 0 ? "<p><strong>" + e(d.seller[i]) + "</strong></p>\n" : "<p>" + e(d.seller[i]) + "</p>\n");
  h += "</div>\n<div class=\"meta\">\n<h1>" + e(d.title) + "</h1>\n";
  for (const auto& [label, value] : d.header) h += "<p>" + e(label) + " : <strong>" + e(value) + "</strong></p>\n";
  h += "</div>\n</header>\n<section class=\"parties\">\n<div class=\"party\"></div>\n";
  h += "<div class=\"party buyer\">\n<h2>Client</h2>\n";
  for (std::size_t i = 0; i < d.buyer.size(); ++i)
    h += (i == 0 ? "<p><strong>" + e(d.buyer[i]) + "</strong></p>\n" : "<p>" + e(d.buyer[i]) + "</p>\n");
  h += "</div>\n</section>\n<table class=\"lines\">\n<thead><tr>";
  for (std::size_t i = 0; i < d.columns.size(); ++i)
    h += std::string(i == 0 ? "<th>" : "<th class=\"num\">") + e(d.columns[i]) + "</th>";
  h += "</tr></thead>\n<tbody>\n";
  for (const auto& row : d.rows) {
    h += "<tr>";
    for (std::size_t i = 0; i < row.size(); ++i) h += std::string(i == 0 ? "<td>" : "<td class=\"num\">") + e(row[i]) + "</td>";
    h += "</tr>\n";
  }
  h += "</tbody>\n</table>\n<table class=\"totals\">\n";
  for (const auto& [label, value] : d.totals)
    h += "<tr><td>" + e(label) + "</td><td class=\"num\">" + e(value) + "</td></tr>\n";
  h += "</table>\n<section class=\"mentions\">\n";
  for (const auto& m : d.mentions) h += "<p>" + e(m) + "</p>\n";
  h += "<p>" + e(d.bank) + "</p>\n</section>\n</body>\n</html>\n";
  return h;
}

}  // namespace tally
