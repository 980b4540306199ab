# End-to-end: bad inputs across every command (issue 8). One row per bad input:
# each exits with its documented code (CLI.md), prints one error line naming
# the offending value, and leaves the ledger file byte-for-byte unchanged.
. "$(dirname "$0")/lib.sh"

export TALLY_AS_OF=2026-02-10
ok init
ok --as-of 2026-01-01 customer add acme --name ACME
ok subscription add --customer acme --amount 100 --cycle monthly --start 2026-01-01
ok --as-of 2026-02-01 invoice create --customer acme --kind setup --amount 1000   # F2026-000001, 1200.00 TTC
ok --as-of 2026-02-02 pay F2026-000001 --method sepa --amount 200               # payment 1
printf 'date,amount,reference,label\n2026-02-03,abc,R1,x\n' >"$WORK/bad.csv"
printf 'date,amount\n2026-02-03,1\n' >"$WORK/no-columns.csv"

BIG=$(head -c 102400 /dev/zero | tr '\0' 'x')   # a 100 kB argument
ROWS=0

# digest: the ledger file's bytes, and whether a non-empty -wal sits beside it
# (uncommitted or unfolded writes; an empty one is left by a read-only open).
digest() { find "$WORK" -maxdepth 1 -name ledger.db-wal -size +0 | wc -l; sha256sum <"$TALLY_DB"; }

# row CODE NEEDLE ARGS...: tally ARGS exits CODE, stderr is the one line
# 'tally: error: ...' containing NEEDLE, the ledger is unchanged.
row() {
  local code=$1 needle=$2; shift 2
  local before
  before=$(digest)
  ROWS=$((ROWS + 1))
  expect_exit "$code" "$@"
  expect_contains "row $ROWS (tally $(printf '%q ' "$@" | head -c 120)): message" "$ERR" "$needle"
  expect_eq "row $ROWS: ledger unchanged" "$(digest)" "$before"
}

# ---- amounts (M1) ----
row 2 "'12.345'"         invoice create --customer acme --kind setup --amount 12.345
row 2 "'1,234.50'"       invoice create --customer acme --kind setup --amount 1,234.50
row 2 "'-5'"             invoice create --customer acme --kind setup --amount -5
row 2 "'1e3'"            invoice create --customer acme --kind services --amount 1e3
row 2 "'1000000000.01'"  invoice create --customer acme --kind setup --amount 1000000000.01
row 2 "''"               invoice create --customer acme --kind setup --amount ""
row 2 "'0x10'"           subscription add --customer acme --amount 0x10 --cycle monthly --start 2026-01-01
row 2 "'１２'"           invoice create --customer acme --kind setup --amount "１２"
row 2 "'0.00'"           pay F2026-000001 --method sepa --amount 0
row 2 "'12 00'"          pay F2026-000001 --method sepa --amount "12 00"
row 2 "'100.5'"          customer add x1 --name X --vat-rate 100.5
row 2 "'20%'"            customer add x1 --name X --vat-rate 20%
# ---- dates ----
row 2 "'2026-02-30'"     invoice create --customer acme --kind setup --amount 10 --date 2026-02-30
row 2 "'2026-13-01'"     --as-of 2026-13-01 customer list
row 2 "'26-01-01'"       subscription add --customer acme --amount 10 --cycle monthly --start 26-01-01
row 2 "'2026/02/05'"     pay F2026-000001 --method sepa --date 2026/02/05
row 2 "'2026-1'"         invoice run --period 2026-1
row 2 "'yesterday'"      standby start --customer acme --reason inactivity --from yesterday
row 2 "'2026-02-29'"     sla --type bug --from 2026-02-29
row 2 "'0000-01-01'"     cancel --customer acme --letter-date 0000-01-01 --letter-ref RA123
row 4 "2026-02-01"       pay F2026-000001 --method sepa --date 2026-01-15
# ---- codes, numbers, ids ----
row 2 "'Bad Code'"       customer add "Bad Code" --name X
row 3 "'nobody'"         invoice create --customer nobody --kind setup --amount 10
row 3 "'F2026-999999'"   invoice show F2026-999999
row 3 "'F2026-999999'"   pay F2026-999999 --method sepa
row 3 "'nobody'"         status nobody
row 3 "'999'"            payment reverse 999 --reason test
row 2 "'abc'"            payment reverse abc --reason test
row 3 "'nobody'"         standby start --customer nobody --reason inactivity --from 2026-02-10
row 3 "'nobody'"         overdue --customer nobody
row 5 "'acme'"           customer add acme --name Again
# ---- enums ----
row 2 "'bogus'"          invoice create --customer acme --kind bogus --amount 10
row 2 "'weekly'"         subscription add --customer acme --amount 10 --cycle weekly --start 2026-01-01
row 2 "'cash'"           pay F2026-000001 --method cash
row 4 "'vacation'"       standby start --customer acme --reason vacation --from 2026-02-10
row 2 "'xml'"            --format xml customer list
row 2 "'nightly'"        sla --type nightly --from 2026-01-05
row 2 "'haircut'"        quote intervention --type haircut
row 2 "'pending'"        invoice list --status pending
row 2 "'no_such_key'"    policy set no_such_key 1 --effective 2026-03-01
row 2 "'pdf'"            overdue --notices "$WORK" --notice-format pdf
# ---- missing flags, commands ----
row 2 "--name"           customer add x2
row 2 "--kind"           invoice create --customer acme --amount 10
row 2 "--period"         invoice run
row 2 "--reason"         invoice void F2026-000001
row 2 "--letter-ref"     cancel --customer acme --letter-date 2026-02-01
row 2 "an empty value"   cancel --customer acme --letter-date 2026-02-01 --letter-ref " "
row 2 "--from"           sla --type bug
row 2 "--effective"      policy set vat_rate 19
row 2 "did you mean 'invoice'" invoise list
row 2 "unknown command 'invoce': did you mean 'invoice'?" invoce
row 2 "unknown command 'invoce': did you mean 'invoice'?" --format json --as-of 2026-02-10 invoce list
row 2 "unknown command 'invoice lst': did you mean 'invoice list'?" invoice lst
row 2 "unknown command 'report clse': did you mean 'report close'?" report clse --month 2026-01
row 2 "unknown command 'frobnicate': run 'tally --help' for the list" frobnicate
row 2 "missing command: expected one of the commands above"
# ---- absurd sizes ----
row 2 "is 102400 bytes long: at most 4096" customer add big --name "$BIG"
row 2 "is 102400 bytes long: at most 4096" pay F2026-000001 --method sepa --ref "$BIG"
row 2 "'99999999999999999999'" customer add x3 --name X --terms 99999999999999999999
row 2 "'121'"            subscription add --customer acme --amount 10 --cycle monthly --start 2026-01-01 --commitment-months 121
row 2 "'1000000.01'"     quote intervention --type reporting --qty 1000000.01
# ---- injection-like strings: refused as values, never run as SQL ----
row 2 "acme'; DROP TABLE invoice;--" customer add "acme'; DROP TABLE invoice;--" --name X
row 3 "acme' OR '1'='1"  customer show "acme' OR '1'='1"
row 3 "F2026-000001' OR 1=1 --" invoice show "F2026-000001' OR 1=1 --"
row 2 "'1 OR 1=1'"       payment reverse "1 OR 1=1" --reason x
row 3 "x'; DELETE FROM payment;--" overdue --customer "x'; DELETE FROM payment;--"
# ---- non-UTF-8 bytes ----
row 2 "'acme\xff': not UTF-8" customer add $'acme\xff' --name X
row 2 "'Caf\xe9': not UTF-8" customer add cafe --name $'Caf\xe9'
row 2 "'REF\xff': not UTF-8" pay F2026-000001 --method sepa --ref $'REF\xff'
row 2 "'\xc3(': not UTF-8" invoice void F2026-000001 --reason $'\xc3\x28'
row 2 "'\xed\xa0\x80': not UTF-8" invoice create --customer acme --kind setup --amount 10 --description $'\xed\xa0\x80'
# ---- files ----
row 3 "'$WORK/missing.csv'" import payments "$WORK/missing.csv"
row 2 "line 2"           import payments "$WORK/bad.csv"
row 2 "line 1"           import payments "$WORK/no-columns.csv"
row 3 "'$WORK/none.db'"  --db "$WORK/none.db" customer list
row 5 "'$TALLY_DB'"      init

# A read-only ledger: a write exits 1 with SQLite's reason, nothing changed.
# chmod does not stop root, so as root the file is made immutable (chattr +i)
# when the file system allows it; otherwise the row is skipped and said so.
if [ "$(id -u)" -ne 0 ]; then
  chmod 444 "$TALLY_DB"
  row 1 "readonly" customer add ro --name "Read Only"
  chmod 644 "$TALLY_DB"
elif chattr +i "$TALLY_DB" 2>/dev/null; then
  row 1 "readonly" customer add ro --name "Read Only"
  chattr -i "$TALLY_DB"
else
  echo "test_bad_inputs: read-only ledger row skipped: running as root without chattr" >&2
fi

# A full disk, simulated: files may not grow past 1 KiB (ulimit -f; SIGXFSZ
# ignored so writes fail with EFBIG, as ENOSPC would): the write fails, exit 1.
before=$(digest)
(trap '' XFSZ; ulimit -f 1; "$TALLY" customer add full --name "Full Disk" >/dev/null 2>"$WORK/full.err"; echo $? >"$WORK/full.rc")
ROWS=$((ROWS + 1))
expect_eq "full disk: exit" "$(cat "$WORK/full.rc")" "1"
expect_contains "full disk: message" "$(cat "$WORK/full.err")" "tally: error: "
expect_eq "full disk: ledger unchanged" "$(digest)" "$before"

echo "test_bad_inputs: $ROWS bad inputs" >&2
[ "$ROWS" -ge 50 ] || fail "only $ROWS bad inputs in the table"

# After all of it the ledger still verifies, and a value that looks like SQL
# but is a valid name is stored verbatim.
ok --format json verify
expect_eq "verify after bad inputs" "$(jf .ok)" "true"
ok customer add bobby --name "Robert'); DROP TABLE customer;--"
ok --format json customer show bobby
expect_eq "name stored verbatim" "$(jf .customer.name)" "Robert'); DROP TABLE customer;--"

finish
