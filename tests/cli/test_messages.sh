# Issue 18 item 2: libtally speaks of values, the command line adds its hints.
# No string in src/core or src/ledger names an option (--flag) or a command
# ('tally ...'); the CLI adds them (src/cli/hints.cpp), as these runs show.
. "$(dirname "$0")/lib.sh"

: "${TALLY_SOURCE_DIR:?set TALLY_SOURCE_DIR to the source tree}"
# String literals only (SQL comments '-- ' and C++ comments are not messages).
found=$(grep -nE '"[^"]*(--[a-z]|'"'"'tally )[^"]*"' "$TALLY_SOURCE_DIR"/src/core/*.cpp "$TALLY_SOURCE_DIR"/src/ledger/*.cpp \
  "$TALLY_SOURCE_DIR"/include/tally/*.hpp | grep -vE '^[^:]+:[0-9]+:\s*//' || true)
CHECKS=$((CHECKS + 1))
[ -z "$found" ] || fail "library messages naming an option or a command:
$found"

# The hints as the command line says them.
expect_exit 3 customer list
expect_contains "no ledger: init hint" "$ERR" "no ledger at '$TALLY_DB' (run 'tally init', or pass --db PATH / set TALLY_DB)"
ok init
expect_exit 3 status nobody
expect_contains "unknown customer hint" "$ERR" "unknown customer 'nobody' (see 'tally customer list')"
ok customer add acme --name "ACME SAS"
ok --as-of 2026-01-01 invoice create --customer acme --kind services --amount 100
expect_exit 4 --as-of 2026-01-10 pay F2026-000001 --method sepa --date 2026-01-11
expect_contains "as-of hint" "$ERR" "P6: payment dated 2026-01-11 refused: after the business date 2026-01-10 (--as-of)"
expect_exit 2 --as-of 2026-01-10 pay F2026-000001 --method other
expect_contains "detail hint" "$ERR" "a payment by 'other' means needs its detail (P1) (--detail 'cheque 123', 'cash'...)"
finish
