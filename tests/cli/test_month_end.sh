# End-to-end: the month-end example script data/demo/month-end.sh (issue 7) on
# the demo ledger of data/demo/demo.sh: it bills March 2026, imports the bank's CAMT.053 statement
# data/demo/bank-statement-2026-03.xml (issue 21),
# applies late payment, prints and keeps the close report, locks the month;
# run again it changes nothing. Every expected amount is worked by hand.
. "$(dirname "$0")/lib.sh"
SRC=${TALLY_SOURCE_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}

# The demo ledger, as data/demo/demo.sh builds it (issue 17: the statement is
# written for it, so the month-end demo runs end to end on it):
# acme's January and February cycles F-000001 and F-000002, 1500.00 HT + 20 % = 1800.00 TTC each,
# due 2026-01-31 and 2026-03-03; January paid on time by SEPA (no fee), February never.
# F-000003: acme's set-up, 5000.00 HT = 6000.00 TTC on 2026-03-01; then March's billing run (below).
mkdir -p "$WORK/demo"
DEMO_DIR="$WORK/demo" DEMO_MONTH_END=0 TALLY="$TALLY" bash "$SRC/data/demo/demo.sh" > "$WORK/demo.out" 2>&1
RC=$?
CHECKS=$((CHECKS + 1))
[ "$RC" -eq 0 ] || fail "demo.sh failed: $(tail -5 "$WORK/demo.out")"
export TALLY_DB="$WORK/demo/ledger.db"

t_script() {
  OUT=$(TALLY="$TALLY" bash "$SRC/data/demo/month-end.sh" "$@" 2> "$WORK/stderr")
  RC=$?
  ERR=$(cat "$WORK/stderr")
}
t_script 2026-03 "$SRC/data/demo/bank-statement-2026-03.xml" "$WORK/out"
CHECKS=$((CHECKS + 1))
[ "$RC" -eq 0 ] || fail "month-end.sh exited $RC: $ERR"
for step in "1. Bill" "2. Import" "3. Late payment on 2026-03-31" "4. Suspense and close report" "5. Lock 2026-03" \
  "Invoiced in 2026-03" "2026-03 is locked" "close-2026-03.html"; do
  expect_contains "script step: $step" "$OUT" "$step"
done

# Billing of March (by demo.sh; the script's step 1 then bills nothing): F-000004 acme 1800.00 (due 03-31); F-000005 globex quarterly 3 x 800.00 = 2400.00 at 0 %
# (due 04-15); F-000006 initech annual 12 x 2000.00 = 24000.00 + 20 % = 28800.00 (due 04-30).
# Statement (CAMT.053, B1: 12000.00 + 38061.20 - 12.50 = 50048.70): 6000.00 from ACME SAS pays F-000003
# (set-up: no fee); 2420.00 from GLOBEX GMBH pays F-000005 and its transfer fee F-000007 of 20.00 (0 % VAT);
# 29491.20 by card (B3: PMNT/CCRD) pays F-000006 and its fee F-000008: 2 % of 28800.00 = 576.00 + 115.20 VAT
# = 691.20; 150.00 with no invoice number goes to suspense; the bank's 12.50 fee (a debit) is skipped.
# B2: each amount is within what its customer owes plus the fee it triggers (acme 9600.00; globex 2400.00 +
# 20.00; initech 28800.00 + 691.20).
# Late payment on 03-31: F-000002 1800.00 due 03-03, 28 days (03-03 to 03-30): 1800.00 x 10 % x 28 / 365
# = 13.808 -> 13.81, indemnity 40.00: penalty F-000009 53.81 (no VAT), due 04-30; acme active -> late.
J="$WORK/out/close-2026-03.json"
CHECKS=$((CHECKS + 1)); [ -s "$J" ] && [ -s "$WORK/out/close-2026-03.html" ] || fail "close report files missing"
OUT=$(cat "$J")
expect_eq "subscriptions" "$(jf '.invoiced.subscription | [.count, .ht, .vat, .ttc] | join(" ")')" \
  "3 27900.00 5100.00 33000.00"
expect_eq "setup" "$(jf '.invoiced.setup.ttc')" "6000.00"
expect_eq "fees" "$(jf '.fees | [.count, .ht, .vat, .ttc] | join(" ")')" "2 596.00 115.20 711.20"
expect_eq "penalties" "$(jf '.penalties | [.count, .interest, .indemnity, .ttc] | join(" ")')" "1 13.81 40.00 53.81"
# HT 27900.00 + 5000.00 + 596.00 + 53.81 = 33549.81; VAT 5100.00 + 1000.00 + 115.20 = 6215.20; TTC 39765.01.
expect_eq "invoiced total" "$(jf '.invoiced.total | [.count, .ht, .vat, .ttc] | join(" ")')" \
  "7 33549.81 6215.20 39765.01"
expect_eq "collected" "$(jf '[.collected.transfer.net, .collected.card.net, .collected.total.net] | join(" ")')" \
  "8420.00 29491.20 37911.20"
expect_eq "numbers" "$(jf '[.first_number, .last_number, .gapless] | join(" ")')" "F2026-000003 F2026-000009 true"
# Aging on 03-31: acme F-000002 1800.00 late under a month; F-000004 1800.00 (due that day) and the penalty
# 53.81 not due.
expect_eq "aging" "$(jf '.aging.total | [.not_due, .late_0_1, .total] | join(" ")')" "1853.81 1800.00 3653.81"
expect_eq "transition" "$(jf '.transitions[0] | [.customer, .from, .to, .date] | join(" ")')" \
  "acme active late 2026-03-31"
ok --as-of 2026-04-01 --format json report suspense
expect_eq "suspense" "$(jf '.suspense[0] | [.reference, .amount] | join(" ")')" "BNK-2603-0004 150.00"
ok --as-of 2026-04-01 --format json report close --month 2026-03
expect_eq "locked" "$(jf .locked)" "true"

# March is closed: a payment dated in it is refused, naming the month.
expect_exit 4 --as-of 2026-04-01 pay F2026-000004 --method transfer --date 2026-03-31
expect_contains "locked month named" "$ERR" "month 2026-03 is locked"

# Run again: every step is idempotent; nothing is recorded, the figures are the same.
# This time TALLY is unset: the script finds tally on PATH, never calls its own
# function over and over until bash crashes (issue 17; a copy away from the
# source tree, so build/tally next to it is not what it finds).
mkdir -p "$WORK/script"
cp "$SRC/data/demo/month-end.sh" "$WORK/script/"
OUT=$(env -u TALLY PATH="$(dirname "$TALLY"):$PATH" timeout 120 bash "$WORK/script/month-end.sh" 2026-03 \
  "$SRC/data/demo/bank-statement-2026-03.xml" "$WORK/out2" 2> "$WORK/stderr")
RC=$?
ERR=$(cat "$WORK/stderr")
CHECKS=$((CHECKS + 1))
[ "$RC" -eq 0 ] || fail "month-end.sh again exited $RC: $ERR"
expect_contains "import again" "$OUT" "0 recorded (0.00), 4 duplicate(s), 0 in suspense, 1 debit(s) skipped"
# The anchor moves with the events the second run records (its duplicates).
expect_eq "same close figures" "$(jq -S 'del(.newly_locked, .anchor, .generated_at)' "$WORK/out2/close-2026-03.json")" "$(jq -S 'del(.newly_locked, .anchor, .generated_at)' "$J")"
expect_eq "payments once" "$(sqlite3 "$TALLY_DB" 'SELECT COUNT(*) FROM payment')" "4"

# Bad arguments.
t_script 2026-3 "$SRC/data/demo/bank-statement-2026-03.xml"
expect_eq "bad month" "$RC" "2"
t_script 2026-03 "$WORK/nothing.csv"
expect_eq "missing statement" "$RC" "3"

finish
