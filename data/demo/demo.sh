#!/usr/bin/env bash
# A demo month on a fresh ledger: customers, subscriptions, a billing run,
# listings. Run by ./build.sh demo; TALLY points at the binary (default:
# build/tally of this source tree if built, else tally on PATH).
# The ledger it leaves is the one data/demo/bank-statement-2026-03.xml (the
# bank's CAMT.053 statement of March) was written for: acme's January (paid)
# and February (unpaid) cycles F2026-000001 and -000002, its set-up
# F2026-000003, March's cycles F2026-000004 (acme), -000005 (globex,
# quarterly) and -000006 (initech, annual); acme and globex pay from known
# IBANs (B2). Then it closes March on it with data/demo/month-end.sh (its
# outputs in $DEMO_DIR/out), unless DEMO_MONTH_END=0:
#   TALLY_DB=$DEMO_DIR/ledger.db data/demo/month-end.sh 2026-03 data/demo/bank-statement-2026-03.xml out/
set -euo pipefail
if [ -z "${TALLY:-}" ]; then
  BUILT="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/../../build/tally"
  if [ -x "$BUILT" ]; then
    TALLY=$BUILT
  elif ! TALLY=$(type -P tally); then
    echo "demo.sh: no tally binary: build it (./build.sh build), put tally on PATH or set TALLY=/path/to/tally" >&2
    exit 2
  fi
fi
DEMO_DIR=${DEMO_DIR:-$(mktemp -d)}
export TALLY_DB="$DEMO_DIR/ledger.db"
rm -f "$TALLY_DB" "$TALLY_DB-wal" "$TALLY_DB-shm"

step() { printf '\n\033[1m$ tally %s\033[0m\n' "$*"; "$TALLY" "$@"; }
[ -t 1 ] || step() { printf '\n$ tally %s\n' "$*"; "$TALLY" "$@"; }

echo "Demo ledger: $TALLY_DB"
step init
# E2: the seller's identity on documents (the seed gives name and address).
# Example identifiers with valid keys (E4), to replace with the real ones.
step seller set legal_form SAS --effective 2026-01-01
step seller set share_capital 10000 --effective 2026-01-01
step seller set siren 552120222 --effective 2026-01-01
step seller set rcs_city Paris --effective 2026-01-01
step seller set vat_number FR27552120222 --effective 2026-01-01
step seller set iban "FR14 2004 1010 0505 0001 3M02 606" --effective 2026-01-01
step seller set bic PSSTFRPPPAR --effective 2026-01-01
step seller set email support@particeep.com --effective 2026-01-01
step seller set phone "01 79 65 66 63" --effective 2026-01-01
step --as-of 2026-01-01 customer add acme --name "ACME SAS" --email billing@acme.test \
  --street "1 rue de la Paix" --postcode 75002 --city Paris --siren 775670417 --vat-number FR81775670417
step --as-of 2026-01-01 customer add globex --name "Globex GmbH" --vat-rate 0 --terms 45 \
  --country DE --vat-number DE123456789 --street "Unter den Linden 1" --postcode 10117 --city Berlin
step --as-of 2026-01-01 customer add initech --name "Initech" --terms 60
step --as-of 2026-01-01 subscription add --customer acme --amount 1500 --cycle monthly --start 2026-01-01
step --as-of 2026-01-01 subscription add --customer globex --amount 800 --cycle quarterly --start 2026-03-01
step --as-of 2026-01-01 subscription add --customer initech --amount 2000 --cycle annual --start 2026-03-15
step --as-of 2026-01-01 invoice run --period 2026-01
step --as-of 2026-02-01 invoice run --period 2026-02
step --as-of 2026-01-30 pay F2026-000001 --method sepa
step --as-of 2026-03-01 invoice create --customer acme --kind setup --amount 5000 --description "Platform set-up"
step --as-of 2026-03-01 invoice run --period 2026-03
step --as-of 2026-03-01 invoice run --period 2026-03
step --as-of 2026-03-01 customer iban acme FR1420041010050500013M02606
step --as-of 2026-03-01 customer iban globex DE89370400440532013000
step --as-of 2026-03-31 invoice list
step --as-of 2026-03-31 customer show acme
# E1/E3: acme's set-up invoice as a printable page and as a Factur-X PDF/A-3.
mkdir -p "$DEMO_DIR/documents"
step --as-of 2026-03-31 invoice export F2026-000003 --as html --dir "$DEMO_DIR/documents"
step --as-of 2026-03-31 invoice export F2026-000003 --as facturx -o "$DEMO_DIR/documents/F2026-000003-facturx.pdf"
step --as-of 2026-03-31 policy check
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
if [ "${DEMO_MONTH_END:-1}" != 0 ]; then
  echo
  echo "The month-end close of March 2026 on the bank's CAMT.053 statement:"
  TALLY="$TALLY" bash "$HERE/month-end.sh" 2026-03 "$HERE/bank-statement-2026-03.xml" "$DEMO_DIR/out"
fi
echo
echo "Invoice F2026-000003: $DEMO_DIR/documents/F2026-000003.html (open it in a browser) and"
echo "  $DEMO_DIR/documents/F2026-000003-facturx.pdf (Factur-X EN 16931: PDF/A-3 with factur-x.xml inside)"
echo "Done: the demo ledger is $TALLY_DB (TALLY_DB=$TALLY_DB $TALLY invoice list)"
