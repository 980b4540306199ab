// C1-C3: the cancellation letter, its effective date and the balance statement.
#include "tally/cancellation.hpp"

#include <algorithm>

#include "tally/document.hpp"
#include "tally/errors.hpp"
#include "tally/text.hpp"

namespace tally {

Date cancellation_effective_date(Date start, int commitment_months, int notice_months, Date letter) {
  const Date earliest = add_months(letter, notice_months);
  auto term_end = [&](int k) { return add_months(start, k * commitment_months) - date::days{1}; };
  // Start near the answer, then step back and forth to the first term that fits.
  int k = std::max(1, months_between(start, earliest) / commitment_months);
  while (k > 1 && term_end(k - 1) >= earliest) --k;
  while (term_end(k) < earliest) ++k;
  return term_end(k);
}

void check_letter_ref(std::string_view ref) {
  if (ref.find_first_not_of(" \t") == std::string_view::npos)
    throw refused("C1", "cancellation refused: the postal reference of the registered letter is required")
        .with(Hint::letter_ref);
  check_text(ref, "letter reference", TextRule{100, false});
}

std::vector<Period> cycles_not_invoiced(Date start, Cycle cycle, Date effective, const std::vector<Date>& invoiced) {
  const int len = cycle_months(cycle);
  std::vector<Period> out;
  for (int k = 0;; ++k) {
    const Period p{add_months(start, k * len), add_months(start, (k + 1) * len) - date::days{1}};
    if (p.first > effective) break;
    if (std::find(invoiced.begin(), invoiced.end(), p.first) == invoiced.end()) out.push_back(p);
  }
  return out;
}

StatementLine licence_due(const Subscription& s, Period cycle, Date effective, Rate vat_rate,
                          const std::vector<Period>& standbys, const Policy& policy) {
  const auto lines = subscription_cycle_lines(s.amount_ht, s.cycle, cycle, effective, vat_rate, standbys, policy);
  const Totals t = invoice_totals(lines);
  std::string rule = "I5";
  for (const auto& l : lines)
    if (l.rule != "I5") rule = l.rule;  // C4 (prorated) or S3 (standby) tells more
  const Date last = std::min(cycle.last, effective);
  return StatementLine{fmt::format("Licence {} {} to {}, not yet invoiced{} (HT {} + VAT {})", to_string(s.cycle),
                                   format_date(cycle.first), format_date(last),
                                   last < cycle.last ? ", prorated by day" : "", format_amount(t.ht),
                                   format_amount(t.vat)),
                       t.ttc, "licence", rule,
                       fmt::format("Licence {} du {} au {}, non encore facturée{} (HT {} + TVA {})",
                                   s.cycle == Cycle::monthly     ? "mensuelle"
                                   : s.cycle == Cycle::quarterly ? "trimestrielle"
                                                                 : "annuelle",
                                   french_date(cycle.first), french_date(last),
                                   last < cycle.last ? ", au prorata des jours" : "", french_money(t.ht),
                                   french_money(t.vat))};
}

Statement make_statement(Date as_of, std::vector<StatementLine> lines, Cents credit) {
  Statement st{as_of, std::move(lines), 0};
  if (credit != 0) st.lines.push_back(StatementLine{"Customer credit", -credit, "credit", "P3", "Crédit client disponible"});
  for (const auto& l : st.lines) st.total_due += l.amount;
  return st;
}

void check_cancellable(const std::string& code, std::size_t subscriptions) {
  if (subscriptions == 0) throw refused("C2", "cancellation for '{}' refused: it has no subscription", code);
}

}  // namespace tally
