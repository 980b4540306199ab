# End-to-end: late payment (issue 4: L1-L7): overdue, --apply, --notices, status.
# Every expected amount is worked by hand in the comment above it.
. "$(dirname "$0")/lib.sh"

ok init
ok customer add acme --name "ACME SAS"
ok customer add beta --name "Beta SARL"
# 1000.00 HT + 20 % = 1200.00 TTC, issued 2026-01-01, due 2026-01-31 (30 days).
ok --as-of 2026-01-01 invoice create --customer acme --kind services --amount 1000
ok --as-of 2026-01-01 invoice create --customer beta --kind services --amount 1000

# Due today is not late (L1); read-only.
snapshot
ok --as-of 2026-01-31 --format json overdue
expect_eq "nothing late on the due date" "$(jf '.invoices | length')" "0"
expect_eq "every customer listed" "$(jf '[.customers[].stage] | join(",")')" "active,active"
expect_unchanged "overdue reads only"

# 2026-02-27: 27 days, 0 months; 1200.00 x 10 % x 27/365 = 8.87671 -> 8.88; indemnity 40.00.
ok --as-of 2026-02-27 --format json overdue --customer acme
expect_eq "one late invoice" "$(jf '.invoices | length')" "1"
expect_eq "late invoice" "$(jf '.invoices[0] | [.number, .due_date, .days_late, .months_late, .balance] | join(" ")')" \
  "F2026-000001 2026-01-31 27 0 1200.00"
expect_eq "interest to date" "$(jf '.invoices[0].interest_accrued')" "8.88"
expect_eq "indemnity" "$(jf '.invoices[0].indemnity')" "40.00"
expect_eq "stage late" "$(jf '.customers[0] | [.customer, .stage, .next_stage, .next_stage_date] | join(" ")')" \
  "acme late admin-disabled 2026-02-28"
# 31 January + 1 month = 28 February (L2 clamping).
ok --as-of 2026-02-28 --format json overdue --customer acme
expect_eq "admin-disabled on 28 Feb" "$(jf '.customers[0].stage')" "admin-disabled"
expect_eq "next: platform" "$(jf '.customers[0] | [.next_stage, .next_stage_date] | join(" ")')" \
  "platform-disabled 2026-03-31"

# A partial payment during the delay: beta pays 500.00 on 2026-02-10 (SEPA: no fee).
ok --as-of 2026-02-10 pay F2026-000002 --method sepa --amount 500 --date 2026-02-10
# On 2026-02-20: 1200.00 x 10 % x 10/365 = 3.28767 + 700.00 x 10 % x 10/365 = 1.91781 -> 5.20548 -> 5.21
ok --as-of 2026-02-20 --format json overdue --customer beta
expect_eq "partial: balance" "$(jf '.invoices[0].balance')" "700.00"
expect_eq "partial: piecewise interest" "$(jf '.invoices[0].interest_accrued')" "5.21"

# Dry run of --apply: prints, writes nothing.
snapshot
ok --as-of 2026-02-28 --dry-run --format json overdue --apply
expect_eq "dry-run lists issues" "$(jf '.issued | length')" "2"
expect_unchanged "dry-run apply"

# Apply on 2026-02-28 (L6).
# acme: 1200.00 x 10 % x 28/365 = 9.20548 -> 9.21 + 40.00 = 49.21, no VAT (M4).
# beta: 1200.00 x 10 % x 10/365 = 3.28767 + 700.00 x 10 % x 18/365 = 3.45205 -> 6.73973 -> 6.74 + 40.00 = 46.74.
ok --as-of 2026-02-28 --format json overdue --apply
expect_eq "two penalty invoices" "$(jf '.issued | length')" "2"
expect_eq "acme penalty" "$(jf '.issued[0] | [.customer, .kind, .total_ht, .vat, .total_ttc, .due_date] | join(" ")')" \
  "acme penalty 49.21 0.00 49.21 2026-03-30"
expect_eq "acme lines" "$(jf '[.issued[0].lines[] | .rule + "=" + .amount_ht + "@" + .vat_rate] | join(" ")')" \
  "L4=9.21@0.00 L5=40.00@0.00"
expect_eq "beta penalty" "$(jf '.issued[1] | [.customer, .total_ttc] | join(" ")')" "beta 46.74"
expect_eq "transitions" "$(jf '[.transitions[] | [.customer, .from, .to, .date] | join(" ")] | join(", ")')" \
  "acme active admin-disabled 2026-02-28, beta active admin-disabled 2026-02-28"
expect_eq "billed" "$(jf '.invoices[0] | [.interest_billed, .interest_unbilled, .indemnity_billed] | join(" ")')" \
  "9.21 0.00 40.00"

# Idempotent: the same date again issues and records nothing, exit 0, ledger unchanged.
snapshot
ok --as-of 2026-02-28 --format json overdue --apply
expect_eq "again: nothing issued" "$(jf '.issued | length')" "0"
expect_eq "again: no transition" "$(jf '.transitions | length')" "0"
expect_unchanged "second apply on the same date"

# Penalty invoices never accrue (L1): their kind is excluded.
ok --as-of 2026-06-30 --format json overdue
expect_eq "penalties never late" "$(jf '[.invoices[].number] | join(" ")')" "F2026-000001 F2026-000002"

# acme pays in full on 2026-03-05: no longer late, stage back to active; 33 days of
# interest: 1200.00 x 10 % x 33/365 = 10.84932 -> 10.85, 9.21 billed: 1.64 left.
ok --as-of 2026-03-05 --format json pay F2026-000001 --method sepa --amount 1200 --date 2026-03-05
PAYMENT=$(jf .payment.id)
ok --as-of 2026-03-05 --format json overdue --customer acme
expect_eq "paid late: listed while unbilled" "$(jf '.invoices[0] | [.late, .days_late, .balance, .interest_unbilled, .indemnity_unbilled] | join(" ")')" \
  "false 33 0.00 1.64 0.00"
expect_eq "paid: active" "$(jf '.customers[0].stage')" "active"
# beta: 1200.00 x 10 % x 10/365 + 700.00 x 10 % x 23/365 = 3.28767 + 4.41096 = 7.69863 -> 7.70; 6.74 billed: 0.96.
ok --as-of 2026-03-05 --format json overdue --apply
expect_eq "later apply bills the rest" "$(jf '[.issued[] | .customer + "=" + .total_ttc] | join(" ")')" \
  "acme=1.64 beta=0.96"
expect_eq "acme back to active" "$(jf '[.transitions[] | [.customer, .from, .to] | join(" ")] | join(", ")')" \
  "acme admin-disabled active"

# Out of order: an earlier date after a later application is refused (exit 4).
snapshot
expect_exit 4 --as-of 2026-03-01 overdue --apply
expect_contains "L6 refusal" "$ERR" "L6"
expect_unchanged "refused apply"

# A reversal on 2026-03-20 makes acme's invoice late again from that day;
# months still count from the due date: 31 Jan -> 20 Mar = 1 month: admin-disabled.
ok --as-of 2026-03-20 payment reverse "$PAYMENT" --reason "returned debit" --date 2026-03-20
ok --as-of 2026-03-19 --format json overdue --customer acme
expect_eq "before the reversal: nothing late" "$(jf '[.invoices[] | select(.late)] | length')" "0"
# 33 days paid late + 5 days since the reversal = 38: 1200.00 x 10 % x 38/365 = 12.49315 -> 12.49
ok --as-of 2026-03-25 --format json overdue --customer acme
expect_eq "late again" "$(jf '.invoices[0] | [.late, .days_late, .balance, .interest_accrued] | join(" ")')" \
  "true 53 1200.00 12.49"
expect_eq "late again: stage" "$(jf '.customers[0].stage')" "admin-disabled"

# Platform-disabled at +2 months: 31 Jan + 2 months = 31 Mar.
ok --as-of 2026-03-30 --format json overdue --customer beta
expect_eq "day before platform" "$(jf '.customers[0].stage')" "admin-disabled"
ok --as-of 2026-03-31 --format json status beta
expect_eq "status stage" "$(jf '[.customer, .stage, .next_stage, .next_stage_date] | join(" ")')" \
  "beta platform-disabled data-deleted 2026-07-31"
expect_eq "capabilities" "$(jf '.capabilities | [.admin, .platform, .operations, .support] | join(" ")')" \
  "off off off limited"
# 700.00 left on F2026-000002 + penalties 46.74 + 0.96 = 747.70
expect_eq "status balance" "$(jf '[.balance, .credit] | join(" ")')" "747.70 0.00"
expect_eq "no standby, not cancelled" "$(jf '[.standby, .cancelled] | map(tostring) | join(" ")')" "null null"
expect_exit 3 status nobody
expect_exit 3 overdue --customer nobody

# Notices (L7): one per customer in a late stage, in dry-run only listed.
snapshot
ok --as-of 2026-03-31 --dry-run --format json overdue --notices "$WORK/notices"
expect_eq "dry-run notices" "$(jf '[.notices[] | .written] | map(tostring) | join(" ")')" "false false"
[ -e "$WORK/notices" ] && fail "dry-run wrote notices"
expect_unchanged "dry-run notices"
ok --as-of 2026-03-31 --format json overdue --notices "$WORK/notices"
expect_eq "notice files" "$(cd "$WORK/notices" && ls | tr '\n' ' ')" "acme-2026-03-31.txt beta-2026-03-31.txt "
NOTICE=$(cat "$WORK/notices/beta-2026-03-31.txt")
for want in "Beta SARL" "F2026-000002" "700,00 €" "plateforme désactivée (les données sont conservées)" \
  "31 juillet 2026" "01 79 65 66 63" "support@particeep.com"; do
  expect_contains "notice" "$NOTICE" "$want"
done
CHECKS=$((CHECKS + 1))
[[ "$NOTICE" == *platform-disabled* ]] && fail "English stage code in the French notice"
ok --as-of 2026-03-31 overdue --customer acme --notices "$WORK/md" --notice-format md
expect_contains "markdown notice" "$(cat "$WORK/md/acme-2026-03-31.md")" "| F2026-000001 |"
expect_exit 2 overdue --notices "$WORK/x" --notice-format pdf
expect_unchanged "bad notice format"

# Data deleted at +6 months (31 Jan + 6 = 31 Jul), final once applied.
ok --as-of 2026-07-30 --format json overdue --customer beta
expect_eq "day before deletion" "$(jf '.customers[0].stage')" "platform-disabled"
ok --as-of 2026-07-31 --format json overdue --apply --customer beta
expect_eq "deletion recorded" "$(jf '[.transitions[] | [.from, .to] | join(" ")] | join(",")')" \
  "admin-disabled data-deleted"
ok --as-of 2026-08-03 pay F2026-000002 --method sepa --amount 700 --date 2026-08-03
ok --as-of 2026-08-05 --format json status beta
expect_eq "deleted stays deleted" "$(jf '[.stage, .next_stage] | map(tostring) | join(" ")')" "data-deleted null"
# acme, unpaid since the reversal and not applied since 2026-03-05, is evaluated: 6 months late.
ok --as-of 2026-08-05 --format json status acme
expect_eq "acme evaluated" "$(jf .stage)" "data-deleted"

# I6: licences keep being invoiced while the platform is off (beta: data-deleted).
ok subscription add --customer beta --amount 100 --cycle monthly --start 2026-09-01
ok --as-of 2026-09-01 --format json invoice run --period 2026-09
expect_eq "I6: billed while data-deleted" "$(jf '[.issued[].customer] | join(" ")')" "beta"

# Table and csv output.
ok --as-of 2026-03-31 overdue
expect_contains "table title" "$OUT" "Late invoices as of 2026-03-31"
ok --as-of 2026-03-31 --format csv overdue
expect_eq "csv header" "$(printf '%s' "$OUT" | head -1 | tr -d '\r')" \
  "number,customer,due_date,late,days_late,months_late,balance,interest_accrued,interest_unbilled,indemnity,indemnity_unbilled"
ok overdue --help
expect_contains "help example" "$OUT" "Example:"
ok status --help
expect_contains "help example" "$OUT" "Example:"

finish
