# End-to-end: concurrent writers (issue 8, I2). Eight tally processes at once,
# each issuing invoices and paying them, while a ninth takes backups: every
# call succeeds (exit 6 is tolerated only with its busy message), numbers are
# gapless and unique, totals exact, the ledger and every backup verify.
. "$(dirname "$0")/lib.sh"

WRITERS=8
K=10                              # invoices per writer
export TALLY_BUSY_TIMEOUT=60000   # a writer waits up to 60 s for the lock

ok init
for w in $(seq 1 $WRITERS); do ok --as-of 2026-01-01 customer add "c$w" --name "Writer $w"; done
export TALLY_AS_OF=2026-02-02

# writer W: K times, invoice W*100+I EUR HT to customer cW, then pay its
# balance by SEPA (no fee, P2). Logs "rc_create rc_pay number" per invoice.
writer() {
  local w=$1 i out number rc rc2
  for i in $(seq 1 $K); do
    out=$("$TALLY" --format json invoice create --customer "c$w" --kind services --amount $((w * 100 + i)) \
      2>>"$WORK/w$w.err")
    rc=$?
    number=$(printf '%s' "$out" | jq -r '.invoice.number // "none"' 2>/dev/null)
    rc2=-
    if [ "$rc" -eq 0 ]; then
      "$TALLY" pay "$number" --method sepa >/dev/null 2>>"$WORK/w$w.err"
      rc2=$?
    fi
    echo "$rc $rc2 $number" >>"$WORK/w$w.log"
  done
}

# backer: backups one after the other while the writers run.
backer() {
  local j=0
  while [ ! -e "$WORK/writers.done" ] && [ $j -lt 20 ]; do
    j=$((j + 1))
    "$TALLY" backup "$WORK/b$(printf '%02d' $j).db" >/dev/null 2>>"$WORK/backer.err"
    echo "$?" >>"$WORK/backer.log"
  done
}

backer &
backer_pid=$!
pids=()
for w in $(seq 1 $WRITERS); do
  writer "$w" &
  pids+=($!)
done
wait "${pids[@]}"
touch "$WORK/writers.done"
wait "$backer_pid"

# Every call exited 0, or 6 with the busy message (then the invoice is not counted).
cat "$WORK"/w*.log >"$WORK/all.log"
bad=$(awk '!(($1 == 0 || $1 == 6) && ($2 == 0 || $2 == "-"))' "$WORK/all.log" | wc -l)
expect_eq "calls that failed other than busy" "$bad" "0"
busy=$(awk '$1 == 6' "$WORK/all.log" | wc -l)
if [ "$busy" -gt 0 ]; then
  expect_contains "busy message" "$(cat "$WORK"/w*.err)" "is busy"
fi
n=$(awk '$1 == 0 && $2 == 0' "$WORK/all.log" | wc -l)
expect_eq "calls done" "$((n + busy))" "$((WRITERS * K))"
echo "concurrency: $n invoices issued and paid, $busy busy" >&2
[ "$busy" -eq 0 ] && grep -v '^$' "$WORK"/w*.err >&2 && fail "writers wrote errors"

# I2: numbers 1..n, each returned to exactly one writer.
expect_eq "numbers gapless" "$(sqlite3 "$TALLY_DB" \
  'SELECT COUNT(*), COUNT(DISTINCT seq), MIN(seq), MAX(seq) FROM invoice WHERE credit_note = 0')" "$n|$n|1|$n"
expect_eq "numbers returned once each" "$(awk '$1 == 0 {print $3}' "$WORK/all.log" | sort -u | wc -l)" "$n"
expect_eq "returned numbers are the ledger's" \
  "$(awk '$1 == 0 {print $3}' "$WORK/all.log" | sort | md5sum)" \
  "$(sqlite3 "$TALLY_DB" 'SELECT number FROM invoice ORDER BY number' | md5sum)"

# Totals: with no busy call, HT = sum over w = 1..8, i = 1..10 of (100 w + i)
# = 100 x 10 x 36 + 8 x 55 = 36440.00 EUR; VAT 20 % = 7288.00; TTC 43728.00,
# all paid (SEPA: no fee), every balance 0.
if [ "$busy" -eq 0 ]; then
  expect_eq "total ht, vat, ttc" "$(sqlite3 "$TALLY_DB" \
    'SELECT SUM(total_ht), SUM(vat), SUM(total_ttc) FROM invoice')" "3644000|728800|4372800"
  expect_eq "payments" "$(sqlite3 "$TALLY_DB" 'SELECT COUNT(*), SUM(amount) FROM payment')" "80|4372800"
fi
expect_eq "paid = ttc" "$(sqlite3 "$TALLY_DB" 'SELECT SUM(paid) = SUM(total_ttc) FROM invoice')" "1"
expect_eq "nothing open" "$(sqlite3 "$TALLY_DB" 'SELECT COUNT(*) FROM invoice WHERE settled_on IS NULL')" "0"
# Events: ledger.init, 8 customer.add + per invoice one invoice.issue and one pay.
expect_eq "journal events" "$(sqlite3 "$TALLY_DB" 'SELECT COUNT(*) FROM journal')" "$((1 + WRITERS + 2 * n))"
ok --format json verify
expect_eq "ledger verifies" "$(jf .ok)" "true"

# Backups taken while writing: each exited 0 and verifies; each later copy
# holds at least the invoices of the one before (one snapshot each).
expect_eq "backups failed" "$(grep -vc '^0$' "$WORK/backer.log")" "0"
prev=0
for b in "$WORK"/b*.db; do
  ok --db "$b" --format json verify
  expect_eq "backup $(basename "$b") verifies" "$(jf .ok)" "true"
  count=$(sqlite3 "$b" 'SELECT COUNT(*) FROM invoice')
  [ "$count" -ge "$prev" ] || fail "backup $(basename "$b") holds $count invoices, fewer than the one before ($prev)"
  prev=$count
done
echo "concurrency: $(ls "$WORK"/b*.db | wc -l) backups taken while writing" >&2

finish
