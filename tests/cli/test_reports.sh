# End-to-end: report aging | balance | suspense | close --month [--lock] (issue 7),
# the period lock's refusals, and --format html accepted only by report close.
# Every expected amount is worked by hand in the comment above it.
. "$(dirname "$0")/lib.sh"

ok init
ok customer add acme --name "ACME SAS"
ok customer add bob --name "Bob SARL" --vat-rate 0
# acme: 1000.00 HT + 20 % = 1200.00 TTC issued 2026-01-01, due 2026-01-31;
#       500.00 HT = 600.00 TTC issued 2026-03-01, due 2026-03-31.
ok --as-of 2026-01-01 invoice create --customer acme --kind services --amount 1000
ok --as-of 2026-03-01 invoice create --customer acme --kind services --amount 500
# bob: 300.00 (0 % VAT) issued 2026-03-02, due 2026-04-01; 350.00 paid by SEPA on 03-05: 50.00 to credit.
ok --as-of 2026-03-02 invoice create --customer bob --kind setup --amount 300
ok --as-of 2026-03-05 pay F2026-000003 --method sepa --amount 350

# Aging on 2026-03-31: F-000001 1200.00, 31 Jan + 2 months = 31 Mar: late_2_6; F-000002 600.00 due that day: not_due.
snapshot
ok --as-of 2026-03-31 --format json report aging
expect_eq "aging as_of" "$(jf .as_of)" "2026-03-31"
expect_eq "aging customers" "$(jf '[.customers[].customer] | join(",")')" "acme"
expect_eq "aging acme" "$(jf '.customers[0] | [.not_due, .late_0_1, .late_1_2, .late_2_6, .late_6_plus, .total] | join(" ")')" \
  "600.00 0.00 0.00 1200.00 0.00 1800.00"
expect_eq "aging total" "$(jf '.total.total')" "1800.00"
# The day before: 30 March is under 2 months after 31 January (L2): late_1_2.
ok --as-of 2026-03-30 --format json report aging
expect_eq "aging on 03-30" "$(jf '.customers[0] | [.late_1_2, .late_2_6] | join(" ")')" "1200.00 0.00"
# csv: the first table, a TOTAL row last; the keys as columns.
ok --as-of 2026-03-31 --format csv report aging
expect_eq "aging csv header" "$(printf '%s' "$OUT" | head -1 | tr -d '\r')" \
  "customer,not_due,late_0_1,late_1_2,late_2_6,late_6_plus,total"
expect_eq "aging csv total" "$(printf '%s\n' "$OUT" | tail -1 | tr -d '\r')" "TOTAL,600.00,0.00,0.00,1200.00,0.00,1800.00"
ok --as-of 2026-03-31 report aging
expect_contains "aging table" "$OUT" "late_6_plus"
expect_contains "aging thresholds" "$OUT" "below 1"

# Balance on 2026-03-31: acme invoiced 1800.00, nothing paid; bob 300.00 paid, 50.00 credit.
ok --as-of 2026-03-31 --format json report balance
expect_eq "balance acme" "$(jf '.customers[0] | [.customer, .invoiced, .credited, .paid, .fees, .penalties, .balance, .credit] | join(" ")')" \
  "acme 1800.00 0.00 0.00 0.00 0.00 1800.00 0.00"
expect_eq "balance bob" "$(jf '.customers[1] | [.customer, .invoiced, .paid, .balance, .credit] | join(" ")')" \
  "bob 300.00 300.00 0.00 50.00"
expect_eq "balance total" "$(jf '.total | [.invoiced, .balance, .credit] | join(" ")')" "2100.00 1800.00 50.00"
ok --as-of 2026-03-31 --format csv report balance
expect_eq "balance csv header" "$(printf '%s' "$OUT" | head -1 | tr -d '\r')" \
  "customer,invoiced,fees,penalties,credited,paid,balance,credit"
ok --as-of 2026-03-31 --format json report suspense
expect_eq "no suspense" "$(jf '.suspense | length') $(jf .total)" "0 0.00"
expect_unchanged "reports read only"

# Close of March on 2026-04-01: F-000002 600.00 (services) and F-000003 300.00 (setup, 0 %).
ok --as-of 2026-04-01 --format json report close --month 2026-03
expect_eq "close month" "$(jf .month)" "2026-03"
expect_eq "close complete" "$(jf .complete)" "true"
expect_eq "invoiced services" "$(jf '.invoiced.services | [.count, .ht, .vat, .ttc] | join(" ")')" "1 500.00 100.00 600.00"
expect_eq "invoiced setup" "$(jf '.invoiced.setup | [.count, .ttc] | join(" ")')" "1 300.00"
expect_eq "invoiced total" "$(jf '.invoiced.total | [.count, .ht, .vat, .ttc] | join(" ")')" "2 800.00 100.00 900.00"
expect_eq "vat by rate" "$(jf '[.vat_by_rate[] | "\(.rate)=\(.net_vat)"] | join(" ")')" "0.00=0.00 20.00=100.00"
expect_eq "collected sepa" "$(jf '.collected.sepa.net')" "350.00"
expect_eq "collected total" "$(jf '.collected.total | [.received, .reversed, .net] | join(" ")')" "350.00 0.00 350.00"
expect_eq "numbers" "$(jf '[.first_number, .last_number, .gapless] | join(" ")')" "F2026-000002 F2026-000003 true"
expect_eq "sequence" "$(jf '.sequences.invoices | [.from, .to, .count] | join(" ")')" "F2026-000001 F2026-000003 3"
# Aging at the month's last day (as above).
expect_eq "close aging" "$(jf '.aging | [.as_of, .total.total] | join(" ")')" "2026-03-31 1800.00"
expect_eq "not locked" "$(jf '[.locked, .locked_through] | join(" ")')" "false "
# Receivables roll-forward: 1200.00 on 02-28 + 900.00 invoiced - 0.00 - 300.00 received (bob's invoice; the
# 50.00 beyond it is credit) + 0.00 = 1800.00, the balance on 03-31. Customer credit: 0.00 + 50.00 = 50.00.
expect_eq "receivables" "$(jf '.receivables | [.opening, .invoiced, .credit_notes, .received, .reversals, .computed, .closing, .balanced] | join(" ")')" \
  "1200.00 900.00 0.00 300.00 0.00 1800.00 1800.00 true"
expect_eq "customer credit" "$(jf '.customer_credit | [.opening, .added, .taken, .closing] | join(" ")')" "0.00 50.00 0.00 50.00"
expect_eq "cash by month" "$(jf '.cash_by_month | length') $(jf '.cash_by_month[-1] | [.month, .net] | join(" ")')" "12 2026-03 350.00"
expect_eq "suspense, waivers" "$(jf '.suspense | [.count, .amount] | join(" ")') $(jf '.fee_waivers | length')" "0 0.00 0"
expect_eq "stamp" "$(jf '.tally_version') $(jf '.generated_at | test("^20[0-9-]+T[0-9:]+Z$")')" \
  "$("$TALLY" --version | awk '{print $2}') true"
ok --as-of 2026-04-01 report close --month 2026-03
expect_contains "roll-forward table" "$OUT" "Receivables roll-forward (incl. VAT)"
expect_contains "balanced line" "$OUT" "Receivables: 1200.00 + 900.00 - 0.00 - 300.00 + 0.00 = 1800.00; closing balance 1800.00: balanced."
expect_contains "sign-off" "$OUT" "Prepared by:"

# Locking needs the month to have ended (exit 4); a month starting after the business date is a usage error.
snapshot
expect_exit 4 --as-of 2026-03-31 report close --month 2026-03 --lock
expect_contains "lock too early" "$ERR" "has not ended"
expect_exit 2 --as-of 2026-03-31 report close --month 2026-04
expect_exit 2 report close --month 2026-13
expect_exit 2 report close
expect_unchanged "refused locks write nothing"
# A dry run says it would lock, and does not.
ok --as-of 2026-04-01 --dry-run --format json report close --month 2026-03 --lock
expect_eq "dry-run lock" "$(jf '[.locked, .newly_locked, .dry_run] | join(" ")')" "true true true"
expect_unchanged "dry-run lock writes nothing"
ok --as-of 2026-04-01 --format json report close --month 2026-03 --lock
expect_eq "locked" "$(jf '[.locked, .newly_locked, .locked_through] | join(" ")')" "true true 2026-03"
expect_eq "lock journal" "$(sqlite3 "$TALLY_DB" "SELECT COUNT(*) FROM journal WHERE kind = 'period.lock'")" "1"
# Again: idempotent, exit 0, nothing written.
snapshot
ok --as-of 2026-04-02 --format json report close --month 2026-03 --lock
expect_eq "lock again" "$(jf '[.locked, .newly_locked] | join(" ")')" "true false"
ok --as-of 2026-04-02 report close --month 2026-02 --lock
expect_contains "earlier month already locked" "$OUT" "is locked (locked through 2026-03)"
expect_unchanged "locking again writes nothing"

# Anything dated in or before March is refused (exit 4) naming the locked month; April is open.
expect_exit 4 --as-of 2026-04-02 invoice create --customer acme --kind setup --amount 10 --date 2026-03-31
expect_contains "invoice in locked month" "$ERR" "month 2026-03 is locked"
expect_exit 4 --as-of 2026-04-02 pay F2026-000002 --method transfer --date 2026-03-31
expect_contains "payment in locked month" "$ERR" "month 2026-03 is locked"
expect_exit 4 --as-of 2026-04-02 payment reverse 1 --reason returned --date 2026-03-20
expect_exit 4 --as-of 2026-04-02 invoice void F2026-000002 --reason x --date 2026-03-31
expect_exit 4 --as-of 2026-03-31 overdue --apply --customer acme
expect_exit 4 --as-of 2026-04-02 policy set indemnity 50 --effective 2026-03-01
expect_unchanged "locked month refusals write nothing"
ok --as-of 2026-04-02 invoice create --customer acme --kind setup --amount 10 --date 2026-04-01

# --format html is for report close only.
expect_exit 2 --format html report aging
expect_contains "html refused" "$ERR" "only 'report close' writes html"
expect_exit 2 --format pdf report close --month 2026-03
expect_contains "bad format" "$ERR" "expected table, json or csv"
ok --as-of 2026-04-02 --format html report close --month 2026-03
expect_contains "html page" "$OUT" "<!DOCTYPE html>"

# Table output for people: the sections and the lock state.
ok --as-of 2026-04-02 report close --month 2026-03
for section in "Invoiced in 2026-03" "VAT by rate" "Collected by means of payment" "Numbering (I2)" "Aging on 2026-03-31" \
  "Stage transitions in 2026-03" "Month 2026-03 is locked"; do
  expect_contains "close table: $section" "$OUT" "$section"
done
ok report close --help
expect_contains "close help example" "$OUT" "Example:"

finish
