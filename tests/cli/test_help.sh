# End-to-end: help that teaches the command line (issue 22 item 1). `tally`
# alone and a group without its command print help and exit 2; `tally help
# [COMMAND...]` prints it and exits 0; a command's help names each value's
# kind, its accepted values, its default, the global options, the exit codes
# and an example; a group's help lists its commands, one line each, and its
# own examples. The expected words are CLI.md's and RULES.md's.
. "$(dirname "$0")/lib.sh"

# ---- tally alone: help on stdout, one error line, exit 2 ----
t
expect_eq "bare tally exit" "$RC" "2"
expect_contains "bare tally lists commands" "$OUT" "Commands:"
expect_contains "bare tally lists invoice" "$OUT" "  invoice "
expect_contains "bare tally: exit codes" "$OUT" "Exit codes: 0 done"
expect_eq "bare tally: one error line" "$ERR" \
  "tally: error: missing command: expected one of the commands above ('tally help COMMAND')"
top_help=$OUT
t --db "$WORK/x.db" --as-of 2026-01-01
expect_eq "global options only: exit" "$RC" "2"
expect_eq "global options only: the same help" "$OUT" "$top_help"

# ---- tally help: the same text, exit 0; --help too ----
ok help
expect_eq "help = bare help" "$OUT" "$top_help"
ok --help
expect_eq "--help = help" "$OUT" "$top_help"
expect_contains "top: global options" "$OUT" "Global options"
expect_contains "top: its examples" "$OUT" "tally --as-of 2026-03-01 invoice run --period 2026-03"
expect_contains "top: --color" "$OUT" "--color auto|always|never"
expect_contains "top: -o" "$OUT" "-o,--output FILE"

# ---- a group: its commands one line each, its own examples, exit 2 alone ----
ok help invoice
group_help=$OUT
for c in create run list show void credit export; do
  CHECKS=$((CHECKS + 1))
  [ "$(printf '%s\n' "$OUT" | grep -c "^  $c  ")" -eq 1 ] || fail "help invoice: no one line for '$c': $OUT"
done
expect_contains "group examples are its own" "$OUT" "tally invoice create"
CHECKS=$((CHECKS + 1))
[[ "$OUT" != *"tally init"* ]] || fail "help invoice repeats the top-level examples: $OUT"
t invoice
expect_eq "invoice alone: exit" "$RC" "2"
expect_eq "invoice alone: its help" "$OUT" "$group_help"
expect_contains "invoice alone: error line" "$ERR" "missing command"
ok report --help
CHECKS=$((CHECKS + 1))
[[ "$OUT" != *"tally init"* && "$OUT" != *"tally customer add"* ]] || fail "report --help repeats top examples: $OUT"
expect_contains "report examples" "$OUT" "report aging"

# ---- a leaf: kinds, accepted values, defaults, globals, exit codes, example ----
ok help invoice create
leaf=$OUT
expect_contains "leaf: CODE" "$OUT" "--customer CODE"
expect_contains "leaf: accepted kinds" "$OUT" "--kind setup|services|subscription"
expect_contains "leaf: AMOUNT" "$OUT" "--amount AMOUNT"
expect_contains "leaf: DATE" "$OUT" "--date DATE"
expect_contains "leaf: default" "$OUT" "[default: 1]"
expect_contains "leaf: required" "$OUT" "(required)"
expect_contains "leaf: globals" "$OUT" "Global options"
expect_contains "leaf: global --db" "$OUT" "--db FILE"
expect_contains "leaf: global default" "$OUT" "[default: table]"
expect_contains "leaf: env" "$OUT" "[env: TALLY_AS_OF]"
expect_contains "leaf: DATE legend" "$OUT" "YYYY-MM-DD"
expect_contains "leaf: exit codes" "$OUT" "4 refused by the policy"
expect_contains "leaf: example" "$OUT" "Example:"
ok invoice create --help
expect_eq "--help of a leaf = help of it" "$OUT" "$leaf"

ok help standby start
expect_contains "standby: reasons" "$OUT" "--reason inactivity|awaiting-approval|third-party-integration"
expect_contains "standby: --from DATE" "$OUT" "--from DATE"
ok help invoice run
expect_contains "run: PERIOD" "$OUT" "--period PERIOD"
expect_contains "run: PERIOD legend" "$OUT" "YYYY-MM"
ok help pay
expect_contains "pay: NUMBER" "$OUT" "Usage: tally [GLOBAL OPTIONS] pay NUMBER"
expect_contains "pay: methods" "$OUT" "--method transfer|card|sepa|other"
ok help payment list
expect_contains "payment list: credit" "$OUT" "--method transfer|card|sepa|other|credit"
ok help cancel
expect_contains "cancel: FILE" "$OUT" "--statement FILE"
ok help overdue
expect_contains "overdue: notice format" "$OUT" "--notice-format txt|md"
expect_contains "overdue: --wide" "$OUT" "--wide"
ok help report close
expect_contains "close: html here" "$OUT" "--format also accepts html here"

# Every command: an example, the global options and the exit codes; no value
# left typed INT, and DATE/AMOUNT/CODE where the option names say so.
leaves=0
check_level() {  # WORDS...: the help of that command, then of each command under it
  local text sub
  text=$("$TALLY" help "$@")
  if [[ "$text" == *"Commands:"* ]]; then
    for sub in $(printf '%s\n' "$text" | sed -n '/^Commands:/,/^$/p' | sed -n 's/^  \([a-z][a-z-]*\)  .*/\1/p'); do
      [ "$sub" = help ] && [ $# -eq 0 ] && continue
      check_level "$@" "$sub"
    done
    return
  fi
  leaves=$((leaves + 1))
  CHECKS=$((CHECKS + 1))
  [[ "$text" == *"Example"* && "$text" == *"Global options"* && "$text" == *"Exit codes:"* ]] ||
    fail "help $*: missing example, global options or exit codes"
  CHECKS=$((CHECKS + 1))
  ! printf '%s\n' "$text" | grep -qE -- '--(date|from|until|start|letter-date|effective) TEXT|--amount TEXT|--customer TEXT| INT( |$)' ||
    fail "help $*: an untyped value: $text"
}
check_level
CHECKS=$((CHECKS + 1))
[ "$leaves" -ge 40 ] || fail "only $leaves commands walked"

# help of an unknown command: exit 2, named
expect_exit 2 help invoce
expect_contains "help of an unknown command" "$ERR" "unknown command 'invoce': expected one of init, customer"
expect_exit 2 help invoice create extra
expect_exit 2 invoce list
expect_contains "did you mean" "$ERR" "did you mean 'invoice'"

finish
