// M2, M3, I1, I4, I5: invoice totals, due dates and billing cycles.
#include "tally/billing.hpp"

#include <algorithm>
#include <map>

#include "tally/errors.hpp"
#include "tally/standby.hpp"

namespace tally {

std::string_view to_string(InvoiceKind k) {
  switch (k) {
    case InvoiceKind::subscription: return "subscription";
    case InvoiceKind::setup: return "setup";
    case InvoiceKind::services: return "services";
    case InvoiceKind::fee: return "fee";
    case InvoiceKind::penalty: return "penalty";
  }
  return "?";
}

std::string_view to_string(Cycle c) {
  switch (c) {
    case Cycle::monthly: return "monthly";
    case Cycle::quarterly: return "quarterly";
    case Cycle::annual: return "annual";
  }
  return "?";
}

InvoiceKind parse_invoice_kind(std::string_view text) {
  for (auto k : {InvoiceKind::subscription, InvoiceKind::setup, InvoiceKind::services,
                 InvoiceKind::fee, InvoiceKind::penalty})
    if (to_string(k) == text) return k;
  throw usage_error("invalid invoice kind '{}': expected subscription, setup, services, fee or penalty",
                    text);
}

Cycle parse_cycle(std::string_view text) {
  for (auto c : {Cycle::monthly, Cycle::quarterly, Cycle::annual})
    if (to_string(c) == text) return c;
  throw usage_error("invalid cycle '{}': expected monthly, quarterly or annual", text);
}

bool is_valid_code(std::string_view code) {
  if (code.empty() || code.size() > 64) return false;
  for (std::size_t i = 0; i < code.size(); ++i) {
    const char c = code[i];
    const bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || (c == '-' && i > 0);
    if (!ok) return false;
  }
  return true;
}

Cents line_amount(std::int64_t qty, Cents unit_ht) { return mul_div_round(unit_ht, qty, 100); }

Totals invoice_totals(const std::vector<InvoiceLine>& lines) {
  std::map<std::int64_t, Cents> ht_by_rate;
  for (const auto& l : lines) ht_by_rate[l.vat_rate.bp] += l.amount_ht;
  Totals t;
  for (const auto& [bp, ht] : ht_by_rate) {
    const Cents vat = apply_rate(ht, Rate{bp});  // M2 per rate, M3 rounding
    t.by_rate.push_back(VatBucket{Rate{bp}, ht, vat});
    t.ht += ht;
    t.vat += vat;
  }
  t.ttc = t.ht + t.vat;
  return t;
}

void apply_stored_vat(std::vector<VatBucket>& by_rate, Cents stored_vat) {
  Cents m3 = 0;
  for (const auto& b : by_rate) m3 += b.vat;
  if (stored_vat != m3 && !by_rate.empty()) by_rate.back().vat += stored_vat - m3;
}

Totals stored_totals(const std::vector<InvoiceLine>& lines, Cents stored_vat) {
  Totals t = invoice_totals(lines);
  apply_stored_vat(t.by_rate, stored_vat);
  if (!t.by_rate.empty()) {
    t.vat = stored_vat;
    t.ttc = t.ht + t.vat;
  }
  return t;
}

Date due_date(Date issue, int terms_days) { return issue + date::days{terms_days}; }

void check_terms(int terms_days, const Policy& policy) {
  if (terms_days < 0)
    throw usage_error("invalid payment terms '{}': expected a whole number of days from 0 to {}",
                      terms_days, policy.max_terms_days);
  if (terms_days > policy.max_terms_days)
    throw refused("I4", "payment terms of {} days refused: at most {} days (French legal cap)",
                  terms_days, policy.max_terms_days);
}

int cycle_months(Cycle c) {
  switch (c) {
    case Cycle::monthly: return 1;
    case Cycle::quarterly: return 3;
    case Cycle::annual: return 12;
  }
  return 1;
}

std::optional<Period> cycle_starting_in(Date start, Cycle cycle, Date month) {
  const date::year_month_day s{start}, m{month};
  const int diff = (static_cast<int>(m.year()) - static_cast<int>(s.year())) * 12 +
                   static_cast<int>(static_cast<unsigned>(m.month())) -
                   static_cast<int>(static_cast<unsigned>(s.month()));
  const int len = cycle_months(cycle);
  if (diff < 0 || diff % len != 0) return std::nullopt;
  return Period{add_months(start, diff), add_months(start, diff + len) - date::days{1}};
}

Period cycle_containing(Date start, Cycle cycle, Date d) {
  const int len = cycle_months(cycle);
  int k = months_between(start, d) / len;
  // months_between counts whole months from start; clamping can put the next
  // cycle start on or before d, so step forward while it does.
  while (add_months(start, (k + 1) * len) <= d) ++k;
  return Period{add_months(start, k * len), add_months(start, (k + 1) * len) - date::days{1}};
}

std::vector<InvoiceLine> subscription_cycle_lines(Cents amount_ht_per_month, Cycle cycle, Period period,
                                                  std::optional<Date> end_date, Rate vat_rate,
                                                  const std::vector<Period>& standbys, const Policy& policy) {
  const int months = cycle_months(cycle);
  const Cents cycle_amount = amount_ht_per_month * months;
  std::vector<InvoiceLine> lines;
  if (end_date && *end_date < period.first) return lines;  // C4: nothing after the effective date
  const bool ends = end_date && *end_date < period.last;
  const Period billed{period.first, ends ? *end_date : period.last};
  const int days_cycle = days_between(period.first, period.last) + 1;
  const int days_billed = days_between(billed.first, billed.last) + 1;
  const int days_standby = standby_days(billed, standbys);
  if (!ends && days_standby == 0) {
    lines.push_back(InvoiceLine{fmt::format("Licence {} {} to {}", to_string(cycle), format_date(period.first),
                                            format_date(period.last)),
                                months * 100, amount_ht_per_month, cycle_amount, vat_rate, "I5", ""});
    return lines;
  }
  // By day (C4, S3): the billed days at full price, less the standby reduction,
  // each rounded once; the standby days' line is what they cost after it.
  const Cents billed_amount = ends ? mul_div_round(cycle_amount, days_billed, days_cycle) : cycle_amount;
  const Cents standby_full = mul_div_round(cycle_amount, days_standby, days_cycle);
  if (days_billed > days_standby) {
    const Cents amount = billed_amount - standby_full;
    lines.push_back(InvoiceLine{
        fmt::format("Licence {} {} to {} ({}/{} days{}{})", to_string(cycle), format_date(billed.first),
                    format_date(billed.last), days_billed - days_standby, days_cycle,
                    days_standby > 0 ? ", outside standby" : "", ends ? ", contract ends" : ""),
        100, amount, amount, vat_rate, ends ? "C4" : "I5", ""});
  }
  if (days_standby > 0) {
    const Cents amount = standby_full - standby_reduction(cycle_amount, days_cycle, days_standby, policy);
    lines.push_back(InvoiceLine{fmt::format("Licence {} {} to {} ({}/{} days in standby at {} %)", to_string(cycle),
                                            format_date(billed.first), format_date(billed.last), days_standby,
                                            days_cycle, format_rate(policy.standby_rate)),
                                100, amount, amount, vat_rate, "S3", ""});
  }
  return lines;
}

}  // namespace tally
