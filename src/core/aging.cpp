// Aging buckets (report aging): how late a balance is on a day, by the
// policy's calendar-month thresholds (L1, L2, L3).
#include "tally/reports.hpp"

namespace tally {

std::string_view to_string(AgingBucket b) {
  switch (b) {
    case AgingBucket::not_due: return "not_due";
    case AgingBucket::late_0_1: return "late_0_1";
    case AgingBucket::late_1_2: return "late_1_2";
    case AgingBucket::late_2_6: return "late_2_6";
    case AgingBucket::late_6_plus: return "late_6_plus";
  }
  return "not_due";
}

AgingBucket aging_bucket(Date due, Date as_of, const Policy& policy) {
  if (as_of <= due) return AgingBucket::not_due;
  const int months = months_between(due, as_of);
  if (months >= policy.data_deletion_months) return AgingBucket::late_6_plus;
  if (months >= policy.platform_disable_months) return AgingBucket::late_2_6;
  if (months >= policy.admin_disable_months) return AgingBucket::late_1_2;
  return AgingBucket::late_0_1;
}

Date latest_due_months_late(Date as_of, int months) {
  // add_months(as_of, -months) qualifies (adding the months back clamps to a day
  // <= as_of's); later days may too when as_of ends its month (L2 clamping).
  Date d = add_months(as_of, -months);
  while (d < as_of && months_between(d + date::days{1}, as_of) >= months) d += date::days{1};
  return d;
}

Cents AgingAmounts::total() const {
  Cents sum = 0;
  for (Cents c : by_bucket) sum += c;
  return sum;
}

}  // namespace tally
