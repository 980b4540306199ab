# End-to-end, issue 21 item 5 (A2): tally export fec. Every entry balances,
# every line has the 18 fields of LPF art. A47 A-1, the header is the one of a
# real FEC written by another program (../shared/samples/fec), the numbers are
# continuous, and the totals are worked by hand below (and the customer
# accounts match tally report balance).
. "$(dirname "$0")/lib.sh"

. "$(dirname "$0")/books_scenario.sh"
books_scenario
snapshot

# ---- --dir: <SIREN>FEC<AAAAMMJJ of the period's end>.txt
mkdir "$WORK/out"
ok --as-of 2026-04-01 --format json export fec --year 2026 --dir "$WORK/out"
FEC="$WORK/out/552120222FEC20261231.txt"
CHECKS=$((CHECKS + 1)); [ -s "$FEC" ] || fail "no $FEC: $(ls "$WORK/out")"
expect_eq "file in the summary" "$(jf .file)" "$FEC"
SUMMARY=$OUT
# The text as UTF-8 (the file is ISO 8859-15, A47 A-1 III), without the CR of each line.
iconv -f ISO-8859-15 -t UTF-8 "$FEC" | tr -d '\r' > "$WORK/fec.txt"
expect_eq "CRLF line ends" "$(grep -c $'\r$' "$FEC")" "$(wc -l < "$FEC")"

HEADER='JournalCode|JournalLib|EcritureNum|EcritureDate|CompteNum|CompteLib|CompAuxNum|CompAuxLib|PieceRef|PieceDate|EcritureLib|Debit|Credit|EcritureLet|DateLet|ValidDate|Montantdevise|Idevise'
expect_eq "header" "$(head -1 "$WORK/fec.txt")" "$HEADER"
SAMPLE="${TALLY_SOURCE_DIR:-$(dirname "$0")/../..}/../shared/samples/fec/odoo-l10n_fr_fec-expected.txt"
if [ -f "$SAMPLE" ]; then
  expect_eq "header as in Odoo's FEC" "$(head -1 "$WORK/fec.txt")" "$(head -1 "$SAMPLE" | tr -d '\r')"
  expect_eq "sample: 18 fields" "$(head -1 "$SAMPLE" | tr -d '\r' | awk -F'|' '{print NF}')" "18"
else
  echo "test_export_fec: SKIPPED the comparison with the real FEC: ../shared/samples/fec is absent" >&2
fi

# 18 fields on every line, no empty line, one separator only (no TAB).
expect_eq "lines without 18 fields" "$(awk -F'|' 'NF != 18' "$WORK/fec.txt" | wc -l)" "0"
expect_eq "empty lines" "$(grep -c '^$' "$WORK/fec.txt")" "0"
expect_eq "tabs" "$(grep -c $'\t' "$WORK/fec.txt")" "0"
# Dates AAAAMMJJ, amounts with a decimal comma.
expect_eq "bad dates" "$(awk -F'|' 'NR > 1 && ($4 !~ /^2026[01][0-9][0-3][0-9]$/ || $10 !~ /^[0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9]$/ || $16 != $4)' "$WORK/fec.txt" | wc -l)" "0"
expect_eq "bad amounts" "$(awk -F'|' 'NR > 1 && ($12 !~ /^[0-9]+,[0-9][0-9]$/ || $13 !~ /^[0-9]+,[0-9][0-9]$/)' "$WORK/fec.txt" | wc -l)" "0"
expect_eq "accounts start with 3 digits" "$(awk -F'|' 'NR > 1 && $5 !~ /^[0-9][0-9][0-9][0-9A-Za-z]*$/' "$WORK/fec.txt" | wc -l)" "0"

# cents FIELD: the amount of a line in cents (awk, no floating point for money: "1228,80" -> 122880).
AWK_CENTS='function cents(s) { gsub(",", "", s); return s + 0 }'
# Every entry balances: sum of Debit = sum of Credit per EcritureNum; the numbers run 1..N.
expect_eq "unbalanced entries" "$(awk -F'|' "$AWK_CENTS"' NR > 1 { d[$3] += cents($12); c[$3] += cents($13) }
  END { for (n in d) if (d[n] != c[n]) print n }' "$WORK/fec.txt")" ""
expect_eq "continuous EcritureNum" "$(awk -F'|' 'NR > 1 && $3 != prev { if ($3 != prev + 1) print "gap at " $3; prev = $3 }' "$WORK/fec.txt")" ""
# 10 entries: F1, F2, F3 (fee), payment 1, payment 2, AV1, F4, payment 3 (OD), the reversal, the penalty F5.
expect_eq "entries" "$(jf .entries) $(awk -F'|' 'NR > 1 { print $3 }' "$WORK/fec.txt" | sort -un | wc -l)" "10 10"
# Lines: 3 (F1) + 3 (F2) + 3 (F3) + 2 (P1) + 3 (P2) + 3 (AV1) + 3 (F4) + 2 (P3) + 3 (reversal) + 3 (F5) = 28.
expect_eq "lines" "$(jf .lines) $(($(wc -l < "$WORK/fec.txt") - 1))" "28 28"
expect_eq "no opening entry for a whole history" "$(jf .opening)" "false"

# sum ACCOUNT [AUX]: debit - credit of an account (and auxiliary account) in cents.
sum() {
  awk -F'|' -v acc="$1" -v aux="${2:-}" "$AWK_CENTS"' NR > 1 && $5 == acc && (aux == "" || $7 == aux) {
    s += cents($12) - cents($13) } END { printf "%d", s }' "$WORK/fec.txt"
}
# Journals: sales VE for documents, bank BQ for money, OD for the settlement from credit.
expect_eq "journals" "$(awk -F'|' 'NR > 1 { print $1 "|" $2 }' "$WORK/fec.txt" | sort -u | tr '\n' ' ')" \
  "BQ|Banque OD|Opérations diverses VE|Ventes "
# Revenue 706: 1000.00 + 500.00 + 24.00 - 100.00 + 250.00 = 1674.00 (credit).
expect_eq "706" "$(sum 706)" "-167400"
# VAT 20 %: 200.00 + 100.00 + 4.80 - 20.00 + 50.00 = 334.80 (credit), one sub-account for the rate.
expect_eq "445712000" "$(sum 445712000)" "-33480"
expect_eq "VAT label" "$(awk -F'|' '$5 == "445712000" { print $6; exit }' "$WORK/fec.txt")" "TVA collectée 20,00 %"
# Bank 512: 1228.80 + 700.00 - 700.00 = 1228.80 (debit).
expect_eq "512" "$(sum 512)" "122880"
# acme's receivable: 1200.00 + 28.80 - 1228.80 + 300.00 - 120.00 = 180.00; its credit 120.00 - 120.00 = 0.
expect_eq "411 acme" "$(sum 411 acme)" "18000"
expect_eq "4191 acme" "$(sum 4191 acme)" "0"
# globex: 600.00 - 600.00 + 600.00 (reversal) + the penalty; its credit 100.00 - 100.00 = 0.
expect_eq "4191 globex" "$(sum 4191 globex)" "0"
# L5: the indemnity is 40.00 on 7588; interest on 7631; the penalty carries no VAT (M4): its entry has 3 lines.
expect_eq "7588" "$(sum 7588)" "-4000"
PEN=$(awk -F'|' '$9 == "F2026-000005" { print $3; exit }' "$WORK/fec.txt")
expect_eq "penalty accounts" "$(awk -F'|' -v n="$PEN" '$3 == n { print $5 }' "$WORK/fec.txt" | tr '\n' ' ')" "411 7631 7588 "
# The customer accounts against the ledger: tally report balance on the same day.
ok --as-of 2026-04-01 --format json report balance
for c in acme globex; do
  expect_eq "411 $c = report balance" "$(sum 411 $c)" "$(jf ".customers[] | select(.customer == \"$c\") | .balance" | tr -d .)"
done
# Totals: debit = credit = 1200.00 + 600.00 + 28.80 + 1228.80 + 700.00 + 120.00 + 300.00 + 120.00 + 700.00 = 4997.60
# plus the penalty's 411 debit.
PEN_TTC=$(sum 411 globex)
OUT=$SUMMARY
expect_eq "totals" "$(jf .debit) $(jf .credit)" "$(awk -v p="$PEN_TTC" 'BEGIN { t = 499760 + p - 60000; printf "%d.%02d %d.%02d", t / 100, t % 100, t / 100, t % 100 }')"
# Sanitised text: the '|' of globex's name is '/', é is Latin-9 (E9) in the file.
expect_eq "CompAuxLib" "$(awk -F'|' '$7 == "globex" { print $8; exit }' "$WORK/fec.txt")" "Globex / Société; SA"
expect_eq "Latin-9 bytes" "$(LC_ALL=C grep -c $'Soci\xe9t\xe9' "$FEC")" "$(grep -c 'Société' "$WORK/fec.txt")"
# The card payment: bank debit 1228.80, receivable credit 1228.80, on 2026-01-20.
expect_contains "payment 1" "$(grep '|P1|' "$WORK/fec.txt")" "BQ|Banque|4|20260120|512|Banque|||P1|20260120|"
expect_unchanged "export reads only"

# ---- -o FILE and --from/--to: an opening entry carries the balances of 31 January.
ok --as-of 2026-04-01 --format json export fec --from 2026-02-01 --to 2026-02-28 -o "$WORK/feb.txt"
tr -d '\r' < "$WORK/feb.txt" | iconv -f ISO-8859-15 -t UTF-8 > "$WORK/feb-utf8.txt"
# Opening (AN): globex 600.00 and bank 1228.80 debit = VAT 304.80 and earlier revenue 1524.00 (110) credit;
# then payment 2 (700.00) and AV1 (120.00): 1828.80 + 700.00 + 120.00 = 2648.80.
expect_eq "opening" "$(jf .opening) $(jf .entries) $(jf .debit) $(jf .credit)" "true 3 2648.80 2648.80"
expect_eq "opening lines" "$(awk -F'|' '$1 == "AN" { print $5 ":" $7 ":" $12 ":" $13 }' "$WORK/feb-utf8.txt" | tr '\n' ' ')" \
  "411:globex:600,00:0,00 445712000::0,00:304,80 512::1228,80:0,00 110::0,00:1524,00 "
expect_eq "first entry" "$(sed -n 2p "$WORK/feb-utf8.txt" | cut -d'|' -f1-4)" "AN|À-nouveaux|1|20260201"

# ---- standard output, dry run, existing files, bad input: nothing written, one-line errors.
ok --as-of 2026-04-01 export fec --year 2026
expect_eq "stdout header" "$(printf '%s\n' "$OUT" | head -1 | tr -d '\r')" "$HEADER"
ok --as-of 2026-04-01 --dry-run --format json export fec --year 2026 -o "$WORK/dry.txt"
expect_eq "dry run" "$(jf .written) $(jf .entries) $([ -e "$WORK/dry.txt" ] && echo file || echo none)" "false 10 none"
before=$(md5sum < "$FEC")
expect_exit 5 --as-of 2026-04-01 export fec --year 2026 --dir "$WORK/out"
expect_contains "exists" "$ERR" "already exists"
expect_eq "existing file kept" "$(md5sum < "$FEC")" "$before"
ok --as-of 2026-04-01 export fec --year 2026 --dir "$WORK/out" --force
for args in "--year 26" "--year 2026x" "--year 1899" "--from 2026-01-01" "--to 2026-01-31" \
  "--from 2026-02-01 --to 2026-01-31" "--from 2026-02-30 --to 2026-03-31" "--year 2026 --from 2026-01-01 --to 2026-01-31" ""; do
  # shellcheck disable=SC2086
  expect_exit 2 --as-of 2026-04-01 export fec $args -o "$WORK/bad.txt"
done
expect_exit 2 --as-of 2026-04-01 export fec --year 2026 -o "$WORK/x.txt" --dir "$WORK/out"
expect_exit 2 --as-of 2026-04-01 export fec --year 2026 --dir "$WORK/missing"
expect_exit 2 --as-of 2026-04-01 export fec --year 2026 -o "$WORK/missing/x.txt"
expect_exit 2 --as-of 2026-04-01 export fec --year 2026 -o "$TALLY_DB" --force
CHECKS=$((CHECKS + 1)); [ ! -e "$WORK/bad.txt" ] && [ ! -e "$WORK/x.txt" ] || fail "a refused export left a file"
# No SIREN, no file name (E2): exit 4.
export TALLY_DB="$WORK/nosiren.db"
ok init
mkdir "$WORK/out2"
expect_exit 4 --as-of 2026-04-01 export fec --year 2026 --dir "$WORK/out2"
expect_contains "E2" "$ERR" "SIREN"
expect_eq "nothing written" "$(ls "$WORK/out2" | wc -l)" "0"
export TALLY_DB="$WORK/ledger.db"
expect_unchanged "refused exports"

finish
