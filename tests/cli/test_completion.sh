# End-to-end: completion for bash, zsh and fish (issue 22 item 2), generated
# from the command tree the parser uses. For every option whose values are an
# enumeration, the values each shell offers are exactly those the parser
# accepts: each offered value goes through the parser without being refused,
# a value not offered is refused (exit 2), and the three scripts offer the
# same. The bash script is run (its _tally function); zsh parses its script
# and fish runs its own engine on its script (`complete -C`) when installed
# (build.sh installs both), else their scripts are read as text. Customer
# codes and invoice numbers complete from the ledger.
. "$(dirname "$0")/lib.sh"

ok completion bash
BASH_SCRIPT=$OUT
printf '%s\n' "$OUT" > "$WORK/tally.bash"
ok completion zsh
printf '%s\n' "$OUT" > "$WORK/_tally"
expect_contains "zsh: a compdef" "$OUT" "#compdef tally"
ok completion fish
printf '%s\n' "$OUT" > "$WORK/tally.fish"
# The shells themselves read the scripts when installed (build.sh installs
# both for the tests): each parses, and fish's engine runs below.
FISH=$(command -v fish || true)
if command -v zsh >/dev/null; then
  t completion zsh; printf '%s\n' "$OUT" > "$WORK/_tally.zsh"
  CHECKS=$((CHECKS + 1)); zsh -n "$WORK/_tally.zsh" || fail "zsh cannot parse the zsh script"
else
  echo "test_completion.sh: zsh not installed: the zsh script is checked as text only" >&2
fi
if [ -n "$FISH" ]; then
  CHECKS=$((CHECKS + 1)); "$FISH" -n "$WORK/tally.fish" || fail "fish cannot parse the fish script"
else
  echo "test_completion.sh: fish not installed: the fish script is checked as text only" >&2
fi
expect_exit 2 completion tcsh
expect_eq "unknown shell" "$ERR" "tally: error: invalid SHELL 'tcsh': expected bash, zsh or fish"
CHECKS=$((CHECKS + 1))
bash -n "$WORK/tally.bash" || fail "bash script: syntax error"

# comp WORDS...: what bash's _tally offers with the cursor after the last word
# ("" to complete an empty word), one per line, sorted.
comp() {
  bash -c '
    tally() { "$TALLY" "$@"; }
    . "$1"; shift
    COMP_WORDS=(tally "$@"); COMP_CWORD=$#
    _tally
    printf "%s\n" "${COMPREPLY[@]}"' comp "$WORK/tally.bash" "$@" | sort | sed '/^$/d' | tr '\n' ' ' | sed 's/ $//'
}

# ---- what the issue found wrong ----
expect_eq "invoice void --reason: free text" "$(comp invoice void F2026-000001 --reason '')" ""
expect_eq "invoice create --kind" "$(comp invoice create --kind '')" "services setup subscription"
expect_eq "invoice list --kind" "$(comp invoice list --kind '')" "fee penalty services setup subscription"
expect_eq "payment list --method" "$(comp payment list --method '')" "card credit other sepa transfer"
expect_eq "pay --method" "$(comp pay F2026-000001 --method '')" "card other sepa transfer"
expect_eq "overdue --notice-format" "$(comp overdue --notice-format '')" "md txt"
expect_eq "sla --type" "$(comp sla --type '')" "bug evolution feature"
expect_eq "standby start --reason" "$(comp standby start --reason '')" \
  "awaiting-approval inactivity third-party-integration"
expect_eq "--format" "$(comp --format '')" "csv json table"
expect_eq "--format after a command" "$(comp invoice list --format '')" "csv json table"
expect_eq "report close --format" "$(comp report close --format '')" "csv html json table"
expect_eq "--color" "$(comp --color '')" "always auto never"
expect_eq "completion SHELL" "$(comp completion '')" "bash fish zsh"
expect_eq "commands" "$(comp inv)" "invoice"
expect_eq "invoice commands" "$(comp invoice '')" "create credit export list run show void"
expect_contains "options of invoice create" "$(comp invoice create --)" "--customer"
expect_contains "global options after a command" "$(comp invoice create --)" "--as-of"
expect_eq "a value skipped" "$(comp --as-of 2026-01-01 invoice li)" "list"
expect_contains "help COMMAND" "$(comp help '')" "invoice"

# ---- customer codes and invoice numbers from the ledger ----
export TALLY_AS_OF=2026-03-01
ok init
ok customer add acme --name "ACME SAS"
ok customer add beta --name "Beta SARL"
ok invoice create --customer acme --kind setup --amount 100
expect_eq "status CODE" "$(comp status '')" "acme beta"
expect_eq "--customer CODE" "$(comp invoice list --customer '')" "acme beta"
expect_eq "pay NUMBER" "$(comp pay '')" "F2026-000001"
expect_eq "--db is read" "$(TALLY_DB=/nonexistent comp --db "$TALLY_DB" status '')" "acme beta"
expect_contains "grid items" "$(comp quote intervention --type '')" "data-modification"
expect_contains "the sla does not offer grid items" "$(comp sla --type '') " "bug "
ok --db "$WORK/none/x.db" __complete customers
expect_eq "__complete without a ledger: nothing" "$OUT|$ERR" "|"
ok --db "$WORK/none/x.db" __complete invoices
expect_eq "__complete invoices without a ledger" "$OUT|$ERR" "|"

# ---- every enumerated option: offered = accepted, in the three shells ----
# The enumeration cases of the bash script: "PATH|--opt") mode=list; vals="..."
# (and *"|--opt" for a global option).
grep -E '^    (\*)?"[^"#]*\|[^"]*"\) mode=list;' "$WORK/tally.bash" > "$WORK/enums"
CHECKS=$((CHECKS + 1))
[ "$(wc -l < "$WORK/enums")" -ge 17 ] || fail "only $(wc -l < "$WORK/enums") enumerated options: $(cat "$WORK/enums")"
# Those CLI.md names as enumerations must all be there.
for want in '" subscription add|--cycle"' '" invoice create|--kind"' '" invoice list|--status"' \
  '" invoice list|--kind"' '" pay|--method"' '" payment list|--method"' '" standby start|--reason"' \
  '" sla|--type"' '" overdue|--notice-format"' '" overdue|--lang"' '" cancel|--lang"' '" report close|--lang"' \
  '" report suspense|--status"' '" import payments|--from"' '" invoice export|--as"' '*"|--format"' \
  '*"|--color"'; do
  CHECKS=$((CHECKS + 1))
  grep -qF "    $want) mode=list;" "$WORK/enums" || fail "no enumeration completed for $want"
done
NOLEDGER="$WORK/absent/ledger.db"
either() {  # "a, b or c"
  local out="" i=0
  for v; do
    i=$((i + 1))
    if [ $i -eq 1 ]; then out=$v; elif [ $i -eq $# ]; then out="$out or $v"; else out="$out, $v"; fi
  done
  printf '%s' "$out"
}
while IFS= read -r line; do
  pattern=$(printf '%s' "$line" | sed -E 's/^    (\*?"[^"]*")\).*/\1/')
  key=$(printf '%s' "$pattern" | sed -E 's/^\*?"(.*)"$/\1/')   # " invoice create|--kind" or "|--format"
  path=${key%%|*}
  opt=${key#*|}
  offered=$(printf '%s' "$line" | sed -E 's/.*vals="([^"]*)".*/\1/')
  read -r -a words <<< "$path"
  # bash, run: the same values
  got=$(comp "${words[@]}" "$opt" '' | tr ' ' '\n' | sort | tr '\n' ' ' | sed 's/ $//')
  want=$(printf '%s\n' $offered | sort | tr '\n' ' ' | sed 's/ $//')
  expect_eq "bash offers for $key" "$got" "$want"
  # zsh: the same case line
  CHECKS=$((CHECKS + 1))
  grep -qF -- "$line" "$WORK/_tally" || fail "zsh does not offer the same for $key"
  # fish: the union of its -a lists for that option at that path (or everywhere)
  lopt=${opt#--}
  if [[ "$pattern" == \** ]]; then cond="^complete -c tally -l $lopt "; else cond="^complete -c tally -n '__tally_at \"$path\"' (-s [a-z] )?-l $lopt "; fi
  fish_got=$(grep -E -- "$cond" "$WORK/tally.fish" | sed -E "s/.* -a '([^']*)'.*/\1/" | tr ' ' '\n' | sort -u | tr '\n' ' ' | sed 's/ $//')
  if [ -n "$path" ] && [ "$opt" = --format ]; then  # a global one offered more here: fish adds the two lists
    fish_got=$(grep -E -- "^complete -c tally -l $lopt |$cond" "$WORK/tally.fish" | sed -E "s/.* -a '([^']*)'.*/\1/" | tr ' ' '\n' | sort -u | tr '\n' ' ' | sed 's/ $//')
  fi
  expect_eq "fish offers for $key" "$fish_got" "$want"
  # fish, run (when installed): its own completion engine on the script
  if [ -n "$FISH" ]; then
    fish_ran=$(PATH="$(dirname "$TALLY"):$PATH" "$FISH" -c "source '$WORK/tally.fish'; complete -C 'tally$path $opt '" 2>&1 |
      cut -f1 | sort -u | tr '\n' ' ' | sed 's/ $//')
    expect_eq "fish completes for $key" "$fish_ran" "$want"
  fi
  # the parser: each offered value passes its check, a value not offered is refused
  # --format is checked once the command line parsed (Context::format): the
  # rest of a valid command line follows it.
  rest=()
  [ -z "$path" ] && rest=(status acme)
  [ "$path" = " report close" ] && rest=(--month 2026-01)
  for v in $offered; do
    t --db "$NOLEDGER" "${words[@]}" "$opt" "$v" "${rest[@]}"
    CHECKS=$((CHECKS + 1))
    [[ "$ERR" != *"invalid $opt '$v'"* ]] || fail "offered $key '$v' refused by the parser: $ERR"
  done
  if [ "$key" = " standby start|--reason" ]; then  # another reason is the policy's refusal (S1), exit 4
    expect_exit 4 --as-of 2026-03-01 "${words[@]}" "$opt" not-a-value --customer acme --from 2026-03-02
    expect_contains "not offered $key: refused by S1" "$ERR" "S1: standby reason 'not-a-value' refused: accepted reasons are inactivity, awaiting-approval and third-party-integration"
    continue
  fi
  expect_exit 2 --db "$NOLEDGER" "${words[@]}" "$opt" not-a-value "${rest[@]}"
  expect_contains "not offered $key: refused" "$ERR" "invalid $opt 'not-a-value': "
  # the values named by the message, as the parser's check words them (--format: Context::format's own)
  [ "$opt" = --format ] || expect_contains "not offered $key: what is accepted" "$ERR" "expected $(either $offered)"
done < "$WORK/enums"

# ---- cmake --install puts the scripts where each shell looks ----
build=$(dirname "$TALLY")
if [ -f "$build/completions/tally" ]; then
  expect_eq "built bash script = completion bash" "$(cat "$build/completions/tally")" "$BASH_SCRIPT"
  grep -q 'bash-completion/completions' "$build/cmake_install.cmake" &&
    grep -q 'zsh/vendor-completions' "$build/cmake_install.cmake" &&
    grep -q 'fish/vendor_completions.d' "$build/cmake_install.cmake"
  CHECKS=$((CHECKS + 1))
  [ $? -eq 0 ] || fail "cmake_install.cmake does not install the three scripts"
else
  echo "$(basename "$0"): skipped the installed scripts: $build/completions not built (target tally-completions)"
fi

finish
