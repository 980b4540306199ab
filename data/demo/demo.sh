#!/usr/bin/env bash
# A demo month on a fresh ledger: customers, subscriptions, a billing run,
# listings. Run by ./build.sh demo; TALLY points at the binary.
set -euo pipefail
TALLY=${TALLY:-tally}
DEMO_DIR=${DEMO_DIR:-$(mktemp -d)}
export TALLY_DB="$DEMO_DIR/ledger.db"
rm -f "$TALLY_DB" "$TALLY_DB-wal" "$TALLY_DB-shm"

step() { printf '\n\033[1m$ tally %s\033[0m\n' "$*"; "$TALLY" "$@"; }
[ -t 1 ] || step() { printf '\n$ tally %s\n' "$*"; "$TALLY" "$@"; }

echo "Demo ledger: $TALLY_DB"
step init
step --as-of 2026-01-01 customer add acme --name "ACME SAS" --email billing@acme.test
step --as-of 2026-01-01 customer add globex --name "Globex GmbH" --vat-rate 0 --terms 45
step --as-of 2026-01-01 customer add initech --name "Initech" --terms 60
step --as-of 2026-01-01 subscription add --customer acme --amount 1500 --cycle monthly --start 2026-01-01
step --as-of 2026-01-01 subscription add --customer globex --amount 800 --cycle quarterly --start 2026-03-01
step --as-of 2026-01-01 subscription add --customer initech --amount 2000 --cycle annual --start 2026-03-15
step --as-of 2026-03-01 invoice create --customer acme --kind setup --amount 5000 --description "Platform set-up"
step --as-of 2026-03-01 invoice run --period 2026-03
step --as-of 2026-03-01 invoice run --period 2026-03
step --as-of 2026-03-31 invoice list
step --as-of 2026-03-31 customer show acme
echo
echo "Done: the demo ledger is $TALLY_DB (TALLY_DB=$TALLY_DB $TALLY invoice list)"
