// L7, C3: the letters, rendered from the mustache templates of data/templates
// (kainjow-mustache, header-only). This file gathers the values, already
// formatted for the language; the templates hold the wording and the layout.
#include "tally/letters.hpp"

#include <kainjow/mustache.hpp>

#include "tally/data.hpp"
#include "tally/document.hpp"
#include "tally/errors.hpp"
#include "tally/text.hpp"

namespace tally {
namespace {

using kainjow::mustache::data;
using kainjow::mustache::mustache;

// "1,234.56 EUR"
std::string english_money(Cents c) {
  std::string s = french_amount(c);  // "1 234,56"
  for (char& ch : s) {
    if (ch == ' ') ch = ',';
    else if (ch == ',') ch = '.';
  }
  return s + " EUR";
}

// "1 March 2026"
std::string english_long_date(Date d) {
  return date::format("%e %B %Y", d).substr(date::format("%e", d)[0] == ' ' ? 1 : 0);
}

struct Words {
  Lang lang;
  std::string money(Cents c) const { return lang == Lang::fr ? french_money(c) : english_money(c); }
  std::string day(Date d) const { return lang == Lang::fr ? french_date(d) : format_date(d); }
  std::string long_day(Date d) const { return lang == Lang::fr ? french_long_date(d) : english_long_date(d); }

  std::string stage(Stage s) const {
    const bool fr = lang == Lang::fr;
    switch (s) {
      case Stage::active: return fr ? "compte à jour" : "account up to date";
      case Stage::late: return fr ? "retard de paiement" : "late payment";
      case Stage::admin_disabled:
        return fr ? "accès à l'espace administrateur désactivé" : "administrator area deactivated";
      case Stage::platform_disabled:
        return fr ? "plateforme désactivée (les données sont conservées)" : "platform deactivated (data kept)";
      case Stage::data_deleted: return fr ? "données de la plateforme supprimées" : "platform data deleted";
    }
    return "";
  }
  std::string next_stage(Stage s) const {
    const bool fr = lang == Lang::fr;
    switch (s) {
      case Stage::admin_disabled:
        return fr ? "désactivation de l'accès à votre espace administrateur" : "your administrator area is deactivated";
      case Stage::platform_disabled:
        return fr ? "désactivation complète de la plateforme, les données étant conservées"
                  : "the whole platform is deactivated, its data kept";
      case Stage::data_deleted:
        return fr ? "suppression des données de votre plateforme" : "your platform's data is deleted";
      default: return "";
    }
  }
  std::string cycle(Cycle c) const {
    if (lang == Lang::en) return std::string(to_string(c));
    return c == Cycle::monthly ? "mensuel" : c == Cycle::quarterly ? "trimestriel" : "annuel";
  }
};

// The seller's letterhead: name, address lines, legal mention when the
// identity has it (E2), and the place letters are written from.
void letterhead(data& d, const SellerIdentity& s) {
  d.set("seller_name", s.name);
  data address{data::type::list};
  if (!s.address.street.empty()) address.push_back(data{s.address.street});
  std::string city = s.address.postcode;
  if (!s.address.city.empty()) city += (city.empty() ? "" : " ") + s.address.city;
  if (!city.empty()) address.push_back(data{city});
  if (!s.legal_form.empty() && !s.siren.empty() && !s.rcs_city.empty())
    address.push_back(data{seller_legal_mention(s)});
  d.set("seller_address", address);
  d.set("place", s.address.city.empty() ? std::string("Paris") : s.address.city);
  d.set("contact_phone", std::string(kContactPhone));
  d.set("contact_email", std::string(kContactEmail));
}

std::string render(const std::string& name, Lang lang, const data& values, bool markdown) {
  const std::string file = fmt::format("templates/{}.{}.mustache", name, to_string(lang));
  const auto text = builtin_data(file);
  if (!text) throw Error(ExitCode::internal, fmt::format("this build of tally has no template data/{}", file));
  mustache tmpl{std::string(*text)};
  if (!tmpl.is_valid())
    throw Error(ExitCode::internal, fmt::format("template data/{}: {}", file, tmpl.error_message()));
  // Text from the ledger: Markdown gets no HTML, plain text no control character.
  if (markdown) tmpl.set_custom_escape([](const std::string& s) { return markdown_escape(s); });
  else tmpl.set_custom_escape([](const std::string& s) { return escape_control(s); });
  return tmpl.render(values);
}

}  // namespace

Lang parse_lang(std::string_view text) {
  if (text == "fr") return Lang::fr;
  if (text == "en") return Lang::en;
  throw usage_error("invalid language '{}': expected fr or en", text);
}

std::string_view to_string(Lang lang) { return lang == Lang::fr ? "fr" : "en"; }

std::string late_notice(const Notice& n, const SellerIdentity& seller, Lang lang, bool markdown) {
  const Words w{lang};
  data d;
  letterhead(d, seller);
  d.set("md", markdown);
  d.set("customer_name", n.customer_name);
  d.set("customer_code", n.customer_code);
  d.set("date", w.long_day(n.date));
  d.set("stage", w.stage(n.stage.stage));
  Cents balance = 0, interest = 0, indemnity = 0;
  data invoices{data::type::list};
  for (const auto& i : n.invoices) {
    balance += i.balance;
    interest += i.interest;
    indemnity += i.indemnity;
    data row;
    row.set("number", i.number);
    row.set("due", w.day(i.due_date));
    row.set("days", std::to_string(i.days_late));
    row.set("balance", w.money(i.balance));
    row.set("interest", w.money(i.interest));
    row.set("indemnity", w.money(i.indemnity));
    invoices.push_back(row);
  }
  d.set("invoices", invoices);
  d.set("total_balance", w.money(balance));
  d.set("total_interest", w.money(interest));
  d.set("total_indemnity", w.money(indemnity));
  d.set("total", w.money(balance + interest + indemnity));
  data upcoming{data::type::list};
  for (const auto& [stage, when] : n.stage.upcoming) {
    data u;
    u.set("date", w.long_day(when));
    u.set("what", w.next_stage(stage));
    upcoming.push_back(u);
  }
  d.set("has_upcoming", !n.stage.upcoming.empty());
  d.set("upcoming", upcoming);
  return render("late-notice", lang, d, markdown);
}

std::string statement_letter(const StatementLetter& l) {
  const Words w{l.lang};
  data d;
  letterhead(d, l.seller);
  d.set("draft", l.draft);
  d.set("customer_name", l.customer.name);
  d.set("customer_code", l.customer.code);
  d.set("date", w.long_day(l.statement.as_of));
  d.set("letter_ref", l.letter_ref);
  d.set("letter_date", w.long_day(l.letter_date));
  data subs{data::type::list};
  for (const auto& s : l.subscriptions) {
    data row;
    row.set("id", std::to_string(s.id));
    row.set("cycle", w.cycle(s.cycle));
    row.set("amount", w.money(s.amount_ht));
    row.set("start", w.day(s.start));
    row.set("end", s.end_date ? w.day(*s.end_date) : std::string("-"));
    subs.push_back(row);
  }
  d.set("subscriptions", subs);
  data lines{data::type::list};
  for (const auto& line : l.statement.lines) {
    data row;
    row.set("label", l.lang == Lang::fr && !line.label_fr.empty() ? line.label_fr : line.label);
    row.set("amount", w.money(line.amount));
    lines.push_back(row);
  }
  d.set("lines", lines);
  const Cents total = l.statement.total_due;
  d.set("owed_to_customer", total < 0);
  d.set("total", w.money(total < 0 ? -total : total));
  return render("cancellation-statement", l.lang, d, true);
}

}  // namespace tally
