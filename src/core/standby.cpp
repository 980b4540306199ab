// S1-S3: standby reasons, length and overlap, and the licence reduction by day.
#include "tally/standby.hpp"

#include <algorithm>

#include "tally/errors.hpp"

namespace tally {

std::string_view to_string(StandbyReason r) {
  switch (r) {
    case StandbyReason::inactivity: return "inactivity";
    case StandbyReason::awaiting_approval: return "awaiting-approval";
    case StandbyReason::third_party_integration: return "third-party-integration";
  }
  return "?";
}

StandbyReason parse_standby_reason(std::string_view text) {
  for (auto r : {StandbyReason::inactivity, StandbyReason::awaiting_approval, StandbyReason::third_party_integration})
    if (to_string(r) == text) return r;
  throw refused("S1", "standby reason '{}' refused: accepted reasons are inactivity, awaiting-approval and "
                "third-party-integration", text);
}

Date standby_max_last_day(Date first, const Policy& policy) {
  return add_months(first, policy.standby_max_months) - date::days{1};
}

void check_standby(Period request, const std::vector<Period>& existing, const Policy& policy) {
  if (request.last < request.first)
    throw usage_error("invalid standby {} to {}: the last day is before the first", format_date(request.first),
                      format_date(request.last));
  for (const Period& p : existing)
    if (p.first <= request.last && request.first <= p.last)
      throw refused("S2", "standby {} to {} refused: it overlaps the standby {} to {} (standbys may not overlap)",
                    format_date(request.first), format_date(request.last), format_date(p.first),
                    format_date(p.last));
  // The procedure: the request extended by the standbys back to back with it.
  Period proc = request;
  std::vector<Period> sorted = existing;
  std::sort(sorted.begin(), sorted.end(), [](const Period& a, const Period& b) { return a.first > b.first; });
  for (const Period& p : sorted)  // latest first: walk backwards
    if (p.last + date::days{1} == proc.first) proc.first = p.first;
  std::reverse(sorted.begin(), sorted.end());
  for (const Period& p : sorted)  // earliest first: walk forwards
    if (proc.last + date::days{1} == p.first) proc.last = p.last;
  const Date max_last = standby_max_last_day(proc.first, policy);
  if (proc.last <= max_last) return;
  if (proc.first == request.first && proc.last == request.last)
    throw refused("S2", "standby {} to {} refused: longer than {} calendar months (it may last until {} at most)",
                  format_date(request.first), format_date(request.last), policy.standby_max_months,
                  format_date(max_last));
  throw refused("S2",
                "standby {} to {} refused: with the standbys back to back with it, the procedure {} to {} is "
                "longer than {} calendar months (it may last until {} at most)",
                format_date(request.first), format_date(request.last), format_date(proc.first),
                format_date(proc.last), policy.standby_max_months, format_date(max_last));
}

int standby_days(Period cycle, const std::vector<Period>& standbys) {
  int days = 0;
  for (const Period& p : standbys) {
    const Date first = std::max(cycle.first, p.first);
    const Date last = std::min(cycle.last, p.last);
    if (first <= last) days += days_between(first, last) + 1;
  }
  return days;
}

Cents standby_reduction(Cents cycle_amount, int days_in_cycle, int standby_days, const Policy& policy) {
  // One rounding: amount x days x (10000 - rate_bp) / (days_in_cycle x 10000).
  return mul_div_round(cycle_amount, static_cast<std::int64_t>(standby_days) * (10'000 - policy.standby_rate.bp),
                       static_cast<std::int64_t>(days_in_cycle) * 10'000);
}

CycleSettlement settle_invoiced_cycle(const InvoicedCycleState& c) {
  CycleSettlement out;
  if (c.credited_by_hand && c.uncredited_ttc <= 0) {
    out.why = "cycle voided: nothing more to credit or to bill";
    return out;
  }
  const Cents delta = c.after_ht - c.before_ht;
  if (delta > 0) {
    out.invoice_ht = delta;
    out.why = fmt::format("{} more to bill", format_amount(delta));
    return out;
  }
  Cents credit = std::min<Cents>(-delta, std::max<Cents>(c.uncredited_ht, 0));
  // A one-line credit note's TTC is ht + VAT rounded (M3): never above what
  // remains. One crediting all the HT left at its rate carries the VAT left
  // instead (decide_credit, K3).
  if (credit < c.uncredited_ht)
    while (credit > 0 && credit + apply_rate(credit, c.vat_rate) > c.uncredited_ttc) --credit;
  out.credit_ht = credit;
  out.why = credit == -delta ? fmt::format("{} less to bill", format_amount(credit))
                             : fmt::format("{} less to bill, credited {}: what remains uncredited",
                                           format_amount(-delta), format_amount(credit));
  return out;
}

Date decide_standby_last_day(const std::string& code, std::size_t subscriptions, Date first,
                             std::optional<Date> asked_last, Date max_last, std::optional<Date> contract_end) {
  if (subscriptions == 0)
    throw refused("S1", "standby for '{}' refused: it has no subscription to put to sleep", code);
  Date last = asked_last ? *asked_last : max_last;
  if (!contract_end) return last;
  if (first > *contract_end)
    throw refused("C4", "standby from {} refused: the contract of '{}' ended on {} (cancelled)", format_date(first),
                  code, format_date(*contract_end));
  if (last > *contract_end) {
    if (asked_last)
      throw refused("C4", "standby until {} refused: the contract of '{}' ends on {} (cancelled): {} at most",
                    format_date(last), code, format_date(*contract_end), format_date(*contract_end))
          .with(Hint::until);
    last = *contract_end;  // the longest standby stops with the contract
  }
  return last;
}

}  // namespace tally
