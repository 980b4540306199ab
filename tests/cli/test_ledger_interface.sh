# Issue 18 item 1: the ledger's verbs live behind one documented interface.
# class Ledger is the connection only; every verb is a free function in
# include/tally/ledger/<area>.hpp, each included by tally/ledger.hpp and listed
# in its index; the state behind a Ledger (Ledger::Impl, impl_of) is reached
# from src/ledger only: not from the commands, the rules, the PDF module or
# the tests (which use src/ledger/testing.hpp).
. "$(dirname "$0")/lib.sh"

: "${TALLY_SOURCE_DIR:?set TALLY_SOURCE_DIR to the source tree}"
S=$TALLY_SOURCE_DIR

CHECKS=$((CHECKS + 1))
found=$(grep -rnE 'ledger/impl\.hpp|impl_of\(|\.impl\(\)|Ledger::Impl' "$S"/src/cli "$S"/src/core "$S"/src/pdf \
  "$S"/tests/unit "$S"/tests/bench || true)
[ -z "$found" ] || fail "Ledger::Impl reached outside src/ledger:
$found"

# The class declares no verb: between "class Ledger {" and its "};", only the
# connection's members.
CHECKS=$((CHECKS + 1))
members=$(sed -n '/^class Ledger {/,/^};/p' "$S"/include/tally/ledger.hpp | grep -vE '^\s*//' |
  grep -oE '(^|[ &*])[a-z_]+\(' | tr -d ' &*(' | sort -u | tr '\n' ' ')
expect_eq "Ledger's members" "$members" \
  "create dry_run impl_of memory open path set_busy_timeout set_command set_dry_run transaction write "

# Every area header is included by ledger.hpp and named in its index.
for h in "$S"/include/tally/ledger/*.hpp; do
  name=$(basename "$h")
  CHECKS=$((CHECKS + 1))
  grep -q "^#include \"tally/ledger/$name\"" "$S"/include/tally/ledger.hpp || fail "ledger.hpp does not include $name"
  CHECKS=$((CHECKS + 1))
  grep -qE "^//   $name " "$S"/include/tally/ledger.hpp || fail "ledger.hpp's index does not list $name"
done
finish
