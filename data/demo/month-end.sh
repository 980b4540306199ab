#!/usr/bin/env bash
# The month-end close of one month, as a finance team runs it:
#   1. bill the month's subscription cycles (idempotent: a cycle is billed once),
#   2. import the bank statement (first a dry run showing the matching),
#   3. apply late payment on the month's last day (interest, indemnities, stages),
#   4. print the suspense list and the close report,
#   5. stop if the invoice numbering has a gap, else lock the month and keep
#      the close report as JSON and HTML in OUTDIR.
# Every step is idempotent: running the script again changes nothing.
#
# Usage: month-end.sh YYYY-MM STATEMENT [OUTDIR]
#   STATEMENT   the bank's statement: CAMT.053, CFONB 120, OFX or tally's CSV
#               (tally import payments detects the format)
#   TALLY       the tally binary (default: build/tally of this source tree if
#               built, else tally on PATH; neither: exit 2 saying so)
#   TALLY_DB    the ledger (default: tally's own default)
#   CLOSE_DATE  the business date of the close (default: the next month's first day)
# Example, on the demo ledger that data/demo/demo.sh builds (its statement is
# data/demo/bank-statement-2026-03.xml; tests/cli/test_month_end.sh runs both):
#   DEMO_DIR=demo DEMO_MONTH_END=0 data/demo/demo.sh
#   TALLY_DB=demo/ledger.db data/demo/month-end.sh 2026-03 data/demo/bank-statement-2026-03.xml out/
set -euo pipefail

usage() { echo "usage: month-end.sh YYYY-MM STATEMENT [OUTDIR]" >&2; exit 2; }
[ $# -ge 2 ] && [ $# -le 3 ] || usage
MONTH=$1
STATEMENT=$2
OUTDIR=${3:-.}
[[ "$MONTH" =~ ^[0-9]{4}-(0[1-9]|1[0-2])$ ]] || { echo "month-end.sh: invalid month '$MONTH': expected YYYY-MM" >&2; exit 2; }
[ -r "$STATEMENT" ] || { echo "month-end.sh: cannot read the statement '$STATEMENT'" >&2; exit 3; }
# The binary, as a path: never a shell function or alias (run_tally below).
if [ -z "${TALLY:-}" ]; then
  BUILT="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/../../build/tally"
  if [ -x "$BUILT" ]; then
    TALLY=$BUILT
  elif ! TALLY=$(type -P tally); then
    echo "month-end.sh: no tally binary: build it (./build.sh build), put tally on PATH or set TALLY=/path/to/tally" >&2
    exit 2
  fi
fi
FIRST="$MONTH-01"
LAST=$(date -d "$FIRST +1 month -1 day" +%F)
CLOSE_DATE=${CLOSE_DATE:-$(date -d "$FIRST +1 month" +%F)}
mkdir -p "$OUTDIR"

step() { printf '\n== %s\n' "$*"; }
run_tally() { "$TALLY" --no-color "$@"; }

step "1. Bill the subscription cycles of $MONTH"
run_tally --as-of "$FIRST" invoice run --period "$MONTH"

step "2. Import the bank statement $STATEMENT (dry run, then for real)"
run_tally --as-of "$CLOSE_DATE" --dry-run import payments "$STATEMENT"
run_tally --as-of "$CLOSE_DATE" import payments "$STATEMENT"

step "3. Late payment on $LAST: penalties and stages"
run_tally --as-of "$LAST" overdue --apply

step "4. Suspense and close report of $MONTH"
run_tally --as-of "$CLOSE_DATE" report suspense --status open
run_tally --as-of "$CLOSE_DATE" report close --month "$MONTH"

step "5. Lock $MONTH"
if [ "$(run_tally --as-of "$CLOSE_DATE" --format json report close --month "$MONTH" | jq -r .gapless)" != "true" ]; then
  echo "month-end.sh: the invoice numbering of $MONTH has gaps (see the close report): not locking" >&2
  exit 7
fi
run_tally --as-of "$CLOSE_DATE" --format json report close --month "$MONTH" --lock > "$OUTDIR/close-$MONTH.json"
run_tally --as-of "$CLOSE_DATE" --format html report close --month "$MONTH" > "$OUTDIR/close-$MONTH.html"
echo "$MONTH is locked: nothing dated in it or before can be written any more."
echo "Close report kept in $OUTDIR/close-$MONTH.html and $OUTDIR/close-$MONTH.json"
