// L1-L7: lateness, interest, indemnity, stages and capabilities (the notice: letters.cpp).
#include "tally/late.hpp"

#include <algorithm>
#include <array>

#include "tally/errors.hpp"
#include "tally/text.hpp"

namespace tally {
namespace {

constexpr std::array<std::pair<Stage, std::string_view>, 5> kStageNames = {{
    {Stage::active, "active"},
    {Stage::late, "late"},
    {Stage::admin_disabled, "admin-disabled"},
    {Stage::platform_disabled, "platform-disabled"},
    {Stage::data_deleted, "data-deleted"},
}};

// The balance of each day from `due` to d-1 (end of day), folded into what
// interest and lateness need.
struct Walk {
  std::int64_t cents_days = 0;             // sum of balance x days over days with balance > 0
  std::optional<Cents> first_late_balance; // the balance that first went late
  std::optional<Date> delay_end;           // the day after the last day with balance > 0
  int segments = 0;                        // periods of constant positive balance
};

// REQUIRES: timeline sorted by date.
Walk walk(const std::vector<BalanceChange>& timeline, Date due, Date d) {
  Walk w;
  Cents balance = 0;
  std::size_t i = 0;
  for (; i < timeline.size() && timeline[i].date <= due; ++i) balance += timeline[i].delta;
  for (Date t = due; t < d;) {
    const Date next = i < timeline.size() ? std::min(timeline[i].date, d) : d;
    if (balance > 0) {
      w.cents_days += balance * days_between(t, next);
      if (!w.first_late_balance) w.first_late_balance = balance;
      w.delay_end = next;
      ++w.segments;
    }
    t = next;
    for (; i < timeline.size() && timeline[i].date <= t; ++i) balance += timeline[i].delta;
  }
  return w;
}

Decision interest_of(const Walk& w, const Policy& p) {
  if (!w.first_late_balance) return {0, "L4", "never late: no interest"};
  if (p.interest_mode == InterestMode::flat) {
    return {apply_rate(*w.first_late_balance, p.interest_rate), "L4",
            fmt::format("flat {} % of {} unpaid when it went late", format_rate(p.interest_rate),
                        format_amount(*w.first_late_balance))};
  }
  // balance x rate x days / 365, summed exactly, rounded once (M3).
  const Cents amount = mul_div_round(w.cents_days, p.interest_rate.bp, 10'000 * 365);
  return {amount, "L4",
          fmt::format("{} % a year, actual/365, on the unpaid balance incl. VAT ({} balance period{})",
                      format_rate(p.interest_rate), w.segments, w.segments == 1 ? "" : "s")};
}

}  // namespace

std::string_view to_string(Stage s) {
  for (const auto& [stage, name] : kStageNames)
    if (stage == s) return name;
  return "active";
}

Stage parse_stage(std::string_view text) {
  for (const auto& [stage, name] : kStageNames)
    if (name == text) return stage;
  throw usage_error("invalid stage '{}': expected active, late, admin-disabled, platform-disabled or data-deleted",
                    text);
}

Cents balance_on(const std::vector<BalanceChange>& timeline, Date d) {
  Cents b = 0;
  for (const auto& c : timeline)
    if (c.date <= d) b += c.delta;
  return b;
}

Lateness evaluate_lateness(std::vector<BalanceChange> timeline, Date due, Date d, const Policy& policy) {
  std::stable_sort(timeline.begin(), timeline.end(),
                   [](const BalanceChange& a, const BalanceChange& b) { return a.date < b.date; });
  const Walk w = walk(timeline, due, d);
  Lateness out;
  out.balance = balance_on(timeline, d);
  out.late = d > due && out.balance > 0;
  out.was_late = w.first_late_balance.has_value();
  if (out.was_late) {
    const Date end = out.late ? d : *w.delay_end;
    out.days_late = days_between(due, end);
    out.months_late = months_between(due, end);
  }
  out.interest = interest_of(w, policy);
  out.indemnity = out.was_late
                      ? Decision{policy.indemnity, "L5", "fixed recovery indemnity, once per late invoice"}
                      : Decision{0, "L5", "never late: no indemnity"};
  return out;
}

Stage stage_for_months(int months_late, const Policy& policy) {
  if (months_late >= policy.data_deletion_months) return Stage::data_deleted;
  if (months_late >= policy.platform_disable_months) return Stage::platform_disabled;
  if (months_late >= policy.admin_disable_months) return Stage::admin_disabled;
  return Stage::late;
}

StageAt stage_on(std::optional<Date> oldest_due, Date d, bool deletion_applied, const Policy& policy) {
  StageAt out;
  if (deletion_applied) {
    out.stage = Stage::data_deleted;
    return out;
  }
  if (!oldest_due) return out;
  out.stage = stage_for_months(months_between(*oldest_due, d), policy);
  const std::array<std::pair<Stage, int>, 3> thresholds = {{
      {Stage::admin_disabled, policy.admin_disable_months},
      {Stage::platform_disabled, policy.platform_disable_months},
      {Stage::data_deleted, policy.data_deletion_months},
  }};
  for (const auto& [stage, months] : thresholds) {
    const Date start = add_months(*oldest_due, months);
    if (stage > out.stage && start > d) out.upcoming.emplace_back(stage, start);
  }
  std::stable_sort(out.upcoming.begin(), out.upcoming.end(),
                   [](const auto& a, const auto& b) { return a.second < b.second; });
  if (!out.upcoming.empty()) {
    out.next = out.upcoming.front().first;
    out.next_date = out.upcoming.front().second;
  }
  return out;
}

StageAt customer_stage(const std::vector<StageInvoice>& invoices, Date d, bool deletion_applied,
                       const Policy& policy) {
  std::optional<Date> oldest;
  for (const StageInvoice& i : invoices) {
    if (!i.late) continue;
    if (std::find(policy.stage_kinds.begin(), policy.stage_kinds.end(), i.kind) == policy.stage_kinds.end()) continue;
    if (!oldest || i.due_date < *oldest) oldest = i.due_date;
  }
  return stage_on(oldest, d, deletion_applied, policy);
}

std::string_view to_string(Access a) {
  switch (a) {
    case Access::on: return "on";
    case Access::off: return "off";
    case Access::limited: return "limited";
  }
  return "on";
}

Capabilities capabilities(Stage stage, bool in_standby, bool contract_ended) {
  Capabilities c;
  if (contract_ended) return {Access::off, Access::off, Access::off, Access::off};
  if (stage >= Stage::admin_disabled) c.admin = Access::off;
  if (stage >= Stage::platform_disabled) {
    c.platform = Access::off;
    c.operations = Access::off;
    c.support = Access::limited;
  }
  if (in_standby) {  // S4: the URL and the admin area stay; no operation; limited support
    c.operations = Access::off;
    c.support = Access::limited;
  }
  return c;
}

std::vector<PenaltyCredit> overbilled_credits(const std::vector<PenaltySource>& sources, Cents interest_over,
                                              Cents indemnity_over) {
  std::vector<PenaltyCredit> out;
  for (const PenaltySource& s : sources) {
    Cents room = std::max<Cents>(s.uncredited, 0);
    PenaltyCredit c{s.penalty_invoice_id, 0, 0};
    c.interest = std::min({interest_over, std::max<Cents>(s.interest, 0), room});
    room -= c.interest;
    c.indemnity = std::min({indemnity_over, std::max<Cents>(s.indemnity, 0), room});
    interest_over -= c.interest;
    indemnity_over -= c.indemnity;
    if (c.interest > 0 || c.indemnity > 0) out.push_back(c);
  }
  return out;
}

void check_apply_order(Date d, std::optional<Date> last_applied) {
  if (last_applied && *last_applied > d)
    throw refused("L6", "applying penalties and stages on {} refused: they were already applied on {}; apply in "
                  "date order",
                  format_date(d), format_date(*last_applied))
        .with(Hint::overdue_report);
}

}  // namespace tally
