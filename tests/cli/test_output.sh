# End-to-end: output for people and files (issue 22 items 3 and 4). Tables:
# numbers right-aligned under right-aligned headers, amounts grouped by
# thousands with a space in the table format only, the widest text columns
# cut with an ellipsis to fit a terminal (never in a pipe), overdue's short
# table and --wide. Colour: --color auto|always|never, --no-color, NO_COLOR,
# TERM=dumb. -o FILE: a new file unless --force, by the rules of the files
# tally writes (CLI.md). The terminal is a pseudo-terminal made by script(1).
. "$(dirname "$0")/lib.sh"

export TALLY_AS_OF=2026-03-02
ok init
ok customer add acme --name "ACME SAS"
# 1 872 360.00 HT at the policy's 20 % VAT (M2): 374 472.00 VAT, 2 246 832.00 TTC.
ok invoice create --customer acme --kind setup --amount 1872360

# ---- grouping: table only ----
ok invoice list
expect_contains "HT grouped" "$OUT" "1 872 360.00"
expect_contains "VAT grouped" "$OUT" "374 472.00"
expect_contains "TTC grouped" "$OUT" "2 246 832.00"
table=$OUT
ok --format csv invoice list
expect_contains "csv not grouped" "$OUT" ",1872360.00,374472.00,2246832.00,"
ok --format json invoice list
expect_eq "json not grouped" "$(jf '.invoices[0].total_ttc')" "2246832.00"

# ---- right-aligned: each number column ends where its header ends ----
CHECKS=$((CHECKS + 1))
python3 - "$table" <<'EOF' || fail "numbers not right-aligned under their headers: $table"
import sys
lines = sys.argv[1].split("\n")
header, row = lines[0], lines[1]
for name, value in [("total_ht", "1 872 360.00"), ("vat", "374 472.00"), ("total_ttc", "2 246 832.00"),
                    ("balance", "2 246 832.00")]:
    h = header.index(" " + name + " ") + 1 + len(name) if " " + name + " " in header else None
    v = row.index(value) + len(value)
    if h is None:
        sys.exit(f"no header {name}")
    # balance: the last of the amounts, found from the right
    if name == "balance":
        v = row.rindex(value) + len(value)
    if h != v:
        sys.exit(f"{name}: header ends at {h}, value at {v}")
EOF
CHECKS=$((CHECKS + 1))
[[ "$(printf '%s\n' "$table" | head -1)" == "number "* ]] || fail "a text header is not left-aligned: $table"

# ---- on a terminal: the widest text column cut to fit, with an ellipsis; in a pipe nothing cut ----
long="Compagnie Générale des Établissements de Facturation Électronique et Associés"
ok customer add long --name "$long"
ok customer list
expect_contains "pipe: the whole name" "$OUT" "$long"
tty_out=$(COLUMNS=60 script -qec "'$TALLY' customer list" /dev/null | tr -d '\r')
widest() { python3 -c 'import sys; print(max(len(l) for l in sys.stdin.read().split("\n")))'; }
expect_eq "terminal of 60 columns: the widest line" "$(printf '%s\n' "$tty_out" | widest)" "60"
expect_contains "terminal: an ellipsis" "$tty_out" "…"
expect_contains "terminal: the name's start" "$tty_out" "Compagnie G"
CHECKS=$((CHECKS + 1))
[[ "$tty_out" != *"$long"* ]] || fail "terminal: nothing cut: $tty_out"
tty_wide=$(COLUMNS=300 script -qec "'$TALLY' customer list" /dev/null | tr -d '\r')
expect_contains "wide terminal: the whole name" "$tty_wide" "$long"

# ---- colour ----
esc=$'\033['
got=$(env -u NO_COLOR TERM=xterm script -qec "'$TALLY' customer list" /dev/null)
expect_contains "terminal, auto: colour" "$got" "$esc"
for variant in "TERM=dumb|customer list" "TERM=xterm|--no-color customer list" "TERM=xterm|--color never customer list" \
  "TERM=xterm NO_COLOR=1|customer list"; do
  envs=${variant%%|*}
  args=${variant#*|}
  # shellcheck disable=SC2086
  got=$(env -u NO_COLOR $envs script -qec "'$TALLY' $args" /dev/null)
  CHECKS=$((CHECKS + 1))
  [[ "$got" != *"$esc"* ]] || fail "$envs tally $args: escape sequences on the terminal"
done
OUT=$(env -u NO_COLOR TERM=xterm "$TALLY" customer list)
CHECKS=$((CHECKS + 1))
[[ "$OUT" != *"$esc"* ]] || fail "pipe, auto: escape sequences"
OUT=$(TERM=dumb "$TALLY" --color always customer list)
expect_contains "--color always" "$OUT" "$esc"
expect_exit 2 --color sometimes customer list
expect_eq "bad --color" "$ERR" "tally: error: invalid --color 'sometimes': expected auto, always or never"

# ---- -o FILE ----
ok --format csv invoice list
csv=$OUT
ok --format csv -o "$WORK/list.csv" invoice list
expect_eq "-o: nothing on stdout" "$OUT" ""
expect_eq "-o: the file holds the output" "$(cat "$WORK/list.csv")" "$csv"
expect_exit 5 --format csv -o "$WORK/list.csv" customer list
expect_eq "-o existing: unchanged" "$(cat "$WORK/list.csv")" "$csv"
ok --force -o "$WORK/list.csv" --format csv customer list
expect_contains "--force replaces" "$(cat "$WORK/list.csv")" "long"
ok customer list -o "$WORK/table.txt"
CHECKS=$((CHECKS + 1))
grep -qF "$long" "$WORK/table.txt" && ! grep -qF "$esc" "$WORK/table.txt" || fail "-o table: cut or coloured"
expect_exit 2 --force -o "$TALLY_DB" customer list
expect_exit 2 -o "$WORK/missing/x.txt" customer list
ln -s "$WORK/list.csv" "$WORK/link.csv"
expect_exit 2 --force -o "$WORK/link.csv" customer list
# checked before the command runs: a writing command changes nothing
snapshot
expect_exit 5 -o "$WORK/list.csv" customer add gamma --name "Gamma"
expect_unchanged "customer add with an -o that exists"
# a command that fails leaves no file, no temporary
mkdir "$WORK/out"
expect_exit 3 -o "$WORK/out/x.json" status nobody
expect_eq "failed command: no file" "$(ls -A "$WORK/out")" ""
# --dry-run: never a file (CLI.md); the output goes to stdout
ok --dry-run -o "$WORK/out/dry.txt" customer add gamma --name "Gamma"
expect_eq "dry run: no file" "$(ls -A "$WORK/out")" ""
expect_contains "dry run: said" "$ERR" "not written"
ok -o "$WORK/out/help.txt" help invoice
expect_contains "help -o" "$(cat "$WORK/out/help.txt")" "Commands:"
ok -o "$WORK/out/tally.bash" completion bash
expect_contains "completion -o" "$(cat "$WORK/out/tally.bash")" "complete -F _tally tally"

# ---- overdue: what a person reads first; --wide for all; csv always all ----
ok --as-of 2026-04-20 overdue
head=$(printf '%s\n' "$OUT" | sed -n 2p)
expect_eq "overdue columns" "$(echo $head)" "number customer days_late balance interest_accrued indemnity"
CHECKS=$((CHECKS + 1))
[ "$(printf '%s\n' "$OUT" | widest)" -le 80 ] ||
  fail "overdue table wider than 80: $OUT"
ok --as-of 2026-04-20 overdue --wide
head=$(printf '%s\n' "$OUT" | sed -n 2p)
expect_eq "overdue --wide columns" "$(echo $head)" \
  "number customer due_date late days_late months_late balance interest_accrued interest_unbilled indemnity indemnity_unbilled"
ok --as-of 2026-04-20 --format csv overdue
expect_eq "overdue csv: all columns" "$(printf '%s\n' "$OUT" | head -1 | tr -d '\r')" \
  "number,customer,due_date,late,days_late,months_late,balance,interest_accrued,interest_unbilled,indemnity,indemnity_unbilled"

finish
