# End-to-end, issue 21 item 6 (A2): tally export journal, read by hledger
# (Debian's package; installed here when missing and possible, else skipped).
# hledger checks the journal, and the balance it computes for each customer's
# receivable on a day equals what tally report balance says on that day
# (and the hand-worked values in the comments).
. "$(dirname "$0")/lib.sh"

HLEDGER=$(debian_tool hledger hledger)

. "$(dirname "$0")/books_scenario.sh"
# (see books_scenario.sh for what each step books)
books_scenario
snapshot

ok --as-of 2026-04-01 --format json export journal --year 2026 -o "$WORK/books.journal"
J="$WORK/books.journal"
# 10 entries (9 documents and payments + the penalty), no opening balances for a whole history.
expect_eq "summary" "$(jf .format) $(jf .entries) $(jf .opening) $(jf '.debit == .credit')" "journal 10 false true"
expect_eq "transactions" "$(grep -c '^2026-' "$J")" "10"
expect_contains "a transaction" "$(cat "$J")" "2026-01-20 * (P1) Règlement F2026-000001 acme carte"
expect_contains "amounts" "$(cat "$J")" "assets:bank"
expect_contains "EUR, 2 decimals" "$(grep 'assets:bank' "$J" | grep -v '^account' | head -1)" "1228.80 EUR"
expect_unchanged "export reads only"

if [ -z "$HLEDGER" ]; then
  echo "test_export_journal: SKIPPED the hledger checks: hledger is not installed and cannot be installed here" \
    "(install Debian's hledger package, or run ./build.sh test as root)" >&2
  finish
  exit $?
fi

"$HLEDGER" -f "$J" check > "$WORK/check.txt" 2>&1
CHECKS=$((CHECKS + 1)); [ $? -eq 0 ] || fail "hledger check: $(cat "$WORK/check.txt")"
# Strict: every account and the commodity are declared; dates in order.
"$HLEDGER" -f "$J" check -s ordereddates > "$WORK/check.txt" 2>&1
CHECKS=$((CHECKS + 1)); [ $? -eq 0 ] || fail "hledger check -s ordereddates: $(cat "$WORK/check.txt")"

# hbal FILE ACCOUNT DAY: hledger's balance of one account at the end of DAY, "0.00" when none.
hbal() {
  local next
  next=$(date -d "$3 + 1 day" +%F)
  "$HLEDGER" -f "$1" balance "^$2\$" -e "$next" -N -O csv 2> "$WORK/hledger.err" |
    awk -F'","' 'NR > 1 { gsub(/"/, "", $2); sub(/ EUR$/, "", $2); print $2 }' | grep . || echo "0.00"
}
# tbal CODE DAY FIELD: tally report balance of a customer on DAY ("0.00" when it is not listed: no records yet).
tbal() {
  ok --as-of "$2" --format json report balance
  jf "[.customers[] | select(.customer == \"$1\") | .$3] | first // \"0.00\""
}
# By hand: acme 1200.00 on 2026-01-19; 0.00 once paid with its fee on 2026-01-20; 300.00 - 120.00 = 180.00 from
# 2026-03-02. globex 600.00 on 2026-01-31, 0.00 on 2026-02-01, 600.00 again after the return of 2026-03-05.
expect_eq "acme 2026-01-19 by hand" "$(hbal "$J" assets:receivables:acme 2026-01-19)" "1200.00"
expect_eq "acme 2026-03-02 by hand" "$(hbal "$J" assets:receivables:acme 2026-03-02)" "180.00"
expect_eq "globex 2026-03-05 by hand" "$(hbal "$J" assets:receivables:globex 2026-03-05)" "600.00"
# Customer credit (a liability: negative in hledger): acme 120.00 on 2026-02-10, used on 2026-03-02.
expect_eq "acme credit 2026-02-10" "$(hbal "$J" liabilities:customer-credit:acme 2026-02-10)" "-120.00"
expect_eq "acme credit 2026-03-02" "$(hbal "$J" liabilities:customer-credit:acme 2026-03-02)" "0.00"
for day in 2026-01-10 2026-01-19 2026-01-20 2026-01-31 2026-02-01 2026-02-10 2026-03-02 2026-03-05 2026-03-31; do
  for c in acme globex; do
    expect_eq "$c receivable on $day = report balance" "$(hbal "$J" "assets:receivables:$c" "$day")" "$(tbal $c $day balance)"
    expect_eq "$c credit on $day = report balance" "$(hbal "$J" "liabilities:customer-credit:$c" "$day" | tr -d -)" \
      "$(tbal $c $day credit)"
  done
done
# Bank (hand): 1228.80 + 700.00 - 700.00 = 1228.80; VAT 20 %: 200.00 + 100.00 + 4.80 - 20.00 + 50.00 = 334.80.
expect_eq "bank" "$(hbal "$J" assets:bank 2026-12-31)" "1228.80"
expect_eq "VAT 20" "$(hbal "$J" liabilities:vat:20 2026-12-31)" "-334.80"

# A period that starts later opens with the balances of the day before (AN): the same customer balances.
ok --as-of 2026-04-01 --format json export journal --from 2026-03-01 --to 2026-03-31 -o "$WORK/march.journal"
expect_eq "opening" "$(jf .opening)" "true"
"$HLEDGER" -f "$WORK/march.journal" check -s ordereddates > "$WORK/check.txt" 2>&1
CHECKS=$((CHECKS + 1)); [ $? -eq 0 ] || fail "hledger check (march): $(cat "$WORK/check.txt")"
for day in 2026-03-01 2026-03-05 2026-03-31; do
  for c in acme globex; do
    expect_eq "march: $c on $day" "$(hbal "$WORK/march.journal" "assets:receivables:$c" "$day")" "$(tbal $c $day balance)"
  done
done

# Refusals: nothing written.
expect_exit 5 --as-of 2026-04-01 export journal --year 2026 -o "$J"
expect_exit 2 --as-of 2026-04-01 export journal --year 20266 -o "$WORK/bad.journal"
expect_exit 2 --as-of 2026-04-01 export journal -o "$WORK/bad.journal"
CHECKS=$((CHECKS + 1)); [ ! -e "$WORK/bad.journal" ] || fail "a refused export left a file"
expect_unchanged "refused exports"

finish
