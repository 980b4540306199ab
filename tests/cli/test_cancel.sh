# End-to-end: cancellation (issue 5: C1-C4): refusals, effective dates, the
# balance statement in three formats and as a letter, billing after the end.
. "$(dirname "$0")/lib.sh"

ok init
for c in acme qtr lat oct idle; do ok customer add $c --name "$c SAS"; done
ok subscription add --customer acme --amount 1000 --cycle monthly --start 2026-01-01
ok subscription add --customer lat --amount 1000 --cycle monthly --start 2026-03-01
# acme's invoices January to September, January to August paid by SEPA on their
# issue date (no fee, never late), August with 300.00 too much; lat's from March, unpaid.
for m in 01 02 03 04 05 06 07 08 09; do
  ok --as-of 2026-$m-01 --format json invoice run --period 2026-$m
  number=$(jf '.issued[] | select(.customer == "acme") | .number')
  if [ $m != 09 ]; then
    amount=1200; [ $m == 08 ] && amount=1500
    ok --as-of 2026-$m-01 pay "$number" --method sepa --amount $amount --date 2026-$m-01
  fi
done
export TALLY_AS_OF=2026-09-16
L="--letter-date 2026-09-15 --letter-ref 1A12345678901"

# ---- Refusals: exit code, one line, nothing written.
snapshot
expect_exit 2 cancel --customer acme --letter-date 2026-09-15
expect_exit 2 cancel --customer acme --letter-ref 1A12345678901
# An empty value is a usage error like any other (issue 17), named as such.
expect_exit 2 cancel --customer acme --letter-date 2026-09-15 --letter-ref ""
expect_contains "empty ref message" "$ERR" "invalid --letter-ref '': an empty value is not accepted"
expect_exit 2 cancel --customer acme --letter-date "" --letter-ref 1A12345678901
expect_contains "empty date message" "$ERR" "invalid --letter-date '': an empty value is not accepted"
expect_exit 2 cancel --customer acme --letter-date 2026-09-17 --letter-ref 1A12345678901
expect_contains "future letter" "$ERR" "after the business date 2026-09-16"
expect_exit 2 cancel --customer acme --letter-date 2026-09-31 --letter-ref 1A12345678901
expect_exit 2 cancel --customer acme --letter-date 2026-09-15 --letter-ref $'1A\n123'
expect_exit 3 cancel --customer nobody $L
expect_exit 4 cancel --customer idle $L
expect_contains "no subscription" "$ERR" "C2: cancellation for 'idle' refused: it has no subscription"
expect_exit 2 cancel --customer acme $L --statement "$WORK/no/such/dir/statement.md"
expect_contains "missing folder" "$ERR" "folder '$WORK/no/such/dir' does not exist"
expect_unchanged "refused cancellations"

# ---- Dry run: the same statement, a draft letter, nothing recorded.
ok --dry-run --format json cancel --customer acme $L --statement "$WORK/draft.md"
expect_eq "dry-run effective" "$(jf .effective_date) $(jf .statement.total_due) $(jf .dry_run)" "2026-12-31 4500.00 true"
# A dry run writes no file (issue 17): it names the file and shows the draft.
[ -e "$WORK/draft.md" ] && fail "dry run wrote the statement letter"
expect_eq "dry-run letter not written" "$(jf .statement_written)" "false"
expect_contains "draft letter" "$(jf .statement_preview)" "BROUILLON (simulation) : rien n'a été enregistré."
expect_unchanged "dry-run cancel"

# ---- The cancellation. C2: 2026-09-15 + 3 months = 2026-12-15, on or before the
# end of the first 12-month term, 2026-12-31.
ok --format json cancel --customer acme $L --statement "$WORK/acme.md"
expect_eq "effective date" "$(jf .effective_date)" "2026-12-31"
expect_eq "subscriptions" "$(jf '.subscriptions | map("\(.id) \(.effective_date)") | join(",")')" "1 2026-12-31"
# C3 on 2026-09-16: September open 1200.00 (due 2026-10-01, not late); October,
# November, December not invoiced, 1200.00 each; credit -300.00. Total 4500.00.
expect_eq "statement amounts" "$(jf '[.statement.lines[] | .kind + ":" + .amount] | join(" ")')" \
  "open-balance:1200.00 licence:1200.00 licence:1200.00 licence:1200.00 credit:-300.00"
expect_eq "total due" "$(jf .statement.total_due)" "4500.00"
expect_eq "statement line keys" "$(jf '.statement.lines[0] | keys_unsorted | join(",")')" "label,amount,kind,rule"
letter=$(cat "$WORK/acme.md")
for needle in "29 rue du Louvre" "75002 Paris" "acme SAS" "référence 1A12345678901, le 15 septembre 2026" \
  "dernier jour le 31/12/2026" "| Facture $number du 01/09/2026" "| **Total dû** | **4 500,00 €** |" \
  "01 79 65 66 63"; do
  expect_contains "statement letter" "$letter" "$needle"
done
ok --format json subscription list --customer acme
expect_eq "stored letter" "$(jf '.subscriptions[0] | [.letter_date, .letter_ref, .end_date] | join(" ")')" \
  "2026-09-15 1A12345678901 2026-12-31"

# A second cancel: conflict, naming the letter.
snapshot
expect_exit 5 cancel --customer acme --letter-date 2026-09-16 --letter-ref OTHER
expect_contains "already cancelled" "$ERR" "'acme' is already cancelled: letter 1A12345678901 received 2026-09-15, effective 2026-12-31"
expect_unchanged "second cancel"


# ---- Quarterly with a 4-month commitment and 1-month notice: letter 2026-02-10
# + 1 month = 2026-03-10 <= first term end 2026-04-30: effective 2026-04-30.
ok subscription add --customer qtr --amount 1500 --cycle quarterly --start 2026-01-01 --commitment-months 4 --notice-months 1
ok --as-of 2026-02-11 --format csv cancel --customer qtr --letter-date 2026-02-10 --letter-ref R2
expect_eq "csv header" "$(printf '%s' "$OUT" | head -1 | tr -d '\r')" "label,kind,rule,amount"
# Q1 not invoiced: 4500.00 + 900.00 VAT = 5400.00. Q2 prorated by day: 30 of the 91
# days of 2026-04-01..2026-06-30: 4500.00 x 30/91 = 1483.5165 -> 1483.52 HT,
# VAT 296.704 -> 296.70, 1780.22 TTC.
expect_eq "csv amounts" "$(printf '%s\n' "$OUT" | tail -n +2 | tr -d '\r' | awk -F, '{print $(NF-1) ":" $NF}' | paste -sd' ')" \
  "I5:5400.00 C4:1780.22"
ok --as-of 2026-02-11 --format json subscription list --customer qtr
expect_eq "qtr end" "$(jf '.subscriptions[0].end_date')" "2026-04-30"
# Run on 2026-09-16, after acme's September invoice (numbers follow the dates, I2): issued that
# day, the lines still name the cycle.
ok --as-of 2026-09-16 --format json invoice run --period 2026-04
expect_eq "last cycle prorated" "$(jf '.issued[] | select(.customer == "qtr") | .total_ht + " " + .lines[0].rule')" "1483.52 C4"
ok --as-of 2026-09-16 --format json invoice run --period 2026-07
expect_eq "nothing after the end" "$(jf '[.issued[] | select(.customer == "qtr")] | length')" "0"

# ---- Interest and indemnity accrued and not billed (L4, L5), as of a past day:
# lat's invoices of March (due 2026-03-31) and April (due 2026-05-01) are open
# on 2026-04-20; those issued after it do not count as invoiced yet.
ok --as-of 2026-04-20 --format json cancel --customer lat --letter-date 2026-04-15 --letter-ref R3
# Effective: 2026-04-15 + 3 = 2026-07-15 <= term end 2027-02-28.
expect_eq "lat effective" "$(jf .effective_date)" "2027-02-28"
# March 20 days late on 2026-04-20: 1200.00 x 10 % x 20/365 = 6.5753 -> 6.58; indemnity 40.00;
# April open 1200.00; May 2026 to February 2027 not invoiced: 10 x 1200.00 = 12000.00.
# 1200.00 + 6.58 + 40.00 + 1200.00 + 12000.00 = 14446.58
expect_eq "lat kinds" "$(jf '[.statement.lines[] | .kind] | unique | join(",")')" "indemnity,interest,licence,open-balance"
expect_eq "lat interest" "$(jf '.statement.lines[] | select(.kind == "interest") | .amount + " " + .rule')" "6.58 L4"
expect_eq "lat indemnity" "$(jf '.statement.lines[] | select(.kind == "indemnity") | .amount + " " + .rule')" "40.00 L5"
expect_eq "lat total" "$(jf .statement.total_due)" "14446.58"

# ---- A letter after the first term's notice window: 2026-10-02 + 3 months =
# 2027-01-02 > 2026-12-31, so the second term's end, 2027-12-31.
ok subscription add --customer oct --amount 1000 --cycle monthly --start 2026-01-01
ok --as-of 2026-10-05 cancel --customer oct --letter-date 2026-10-02 --letter-ref R4
expect_contains "table output" "$OUT" "effective 2027-12-31"
ok cancel --help
expect_contains "help example" "$OUT" "Example:"

# Last: numbers follow the dates (I2), so the December and January runs come after every earlier document.
# ---- C4: billing continues up to the effective date, then stops; standby refused after it.
ok --as-of 2026-12-01 --format json invoice run --period 2026-12
expect_eq "December still billed" "$(jf '[.issued[] | select(.customer == "acme")] | length')" "1"
ok --as-of 2027-01-01 --format json invoice run --period 2027-01
expect_eq "January not billed" "$(jf '[.issued[] | select(.customer == "acme")] | length')" "0"
snapshot
expect_exit 4 --as-of 2026-12-05 standby start --customer acme --reason inactivity --from 2026-12-10 --until 2027-01-10
expect_contains "standby past the end" "$ERR" "C4: standby until 2027-01-10 refused: the contract of 'acme' ends on 2026-12-31"
expect_exit 4 --as-of 2027-01-02 standby start --customer acme --reason inactivity --from 2027-01-05
expect_contains "standby after the end" "$ERR" "C4: standby from 2027-01-05 refused"
expect_unchanged "standby after the effective date"
# Without --until, the longest standby stops with the contract.
ok --as-of 2026-12-05 --format json standby start --customer acme --reason inactivity --from 2026-12-10
expect_eq "standby clamped to the contract" "$(jf .standby.last_day)" "2026-12-31"

finish
