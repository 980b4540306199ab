# Shared helpers for the end-to-end tests: each test_*.sh sources this file,
# runs the real binary ($TALLY) on a temporary ledger and asserts on what users see.
set -uo pipefail

: "${TALLY:?set TALLY to the tally binary}"
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
export TALLY_DB="$WORK/ledger.db"
export NO_COLOR=1
unset TALLY_AS_OF TALLY_FORMAT
FAILURES=0
CHECKS=0
OUT=""
ERR=""
RC=0
# The JSON outputs of the test, validated by finish against docs/json/.
JSON_SCHEMAS=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)/docs/json
JSON_RUNS=0
JSON_VALIDATOR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/validate_json.py
mkdir -p "$WORK/json"

# t ARGS...: runs tally, keeping stdout in $OUT, stderr in $ERR, exit code in $RC.
t() {
  OUT=$("$TALLY" "$@" 2>"$WORK/stderr")
  RC=$?
  ERR=$(cat "$WORK/stderr")
  record_json "$@"
}

# record_json ARGS...: keeps the output of a run that printed JSON (exit 0, or
# 7 for verify's report) for finish to check against the command's schema.
record_json() {
  [ "$RC" -eq 0 ] || [ "$RC" -eq 7 ] || return 0
  local format=${TALLY_FORMAT:-table} prev="" a to_file=0
  for a in "$@"; do
    [ "$prev" = --format ] && format=$a
    [[ "$a" == --format=* ]] && format=${a#--format=}
    [[ "$a" == -o || "$a" == --output || "$a" == --output=* ]] && to_file=1
    prev=$a
  done
  # export json without -o prints its document whatever the format.
  [ "$format" = json ] || { [[ " $* " == *" export json "* ]] && [ "$to_file" -eq 0 ]; } || return 0
  JSON_RUNS=$((JSON_RUNS + 1))
  printf '%s\0' "$@" > "$WORK/json/$JSON_RUNS.args"
  printf '%s' "$OUT" > "$WORK/json/$JSON_RUNS.out"
}

# check_json: validates every recorded JSON output against its command's
# schema (tests/cli/validate_json.py, python3-jsonschema); one failure per
# output that does not match or whose command has no schema.
check_json() {
  [ "$JSON_RUNS" -gt 0 ] || return 0
  if ! python3 -c 'import jsonschema' 2> /dev/null; then
    if [ "$(id -u)" -eq 0 ] && command -v apt-get > /dev/null; then
      DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends python3-jsonschema \
        < /dev/null > "$WORK/apt-jsonschema.log" 2>&1
    fi
    if ! python3 -c 'import jsonschema' 2> /dev/null; then
      fail "python3-jsonschema is missing: $JSON_RUNS JSON outputs not validated (apt-get install python3-jsonschema)"
      return
    fi
  fi
  local report rc
  report=$(python3 "$JSON_VALIDATOR" "$JSON_SCHEMAS" "$WORK/json" 2> "$WORK/validate.err")
  rc=$?
  CHECKS=$((CHECKS + JSON_RUNS))
  [ "$rc" -eq 0 ] || [ -n "$report" ] || report="validate_json.py exited $rc: $(tail -n 1 "$WORK/validate.err")"
  while IFS= read -r line; do
    [ -n "$line" ] && fail "JSON schema: $line"
  done <<< "$report"
}

# expect_schema NAME FILE: FILE is one JSON document valid against
# docs/json/NAME.schema.json (for documents a command writes to a file).
expect_schema() {
  CHECKS=$((CHECKS + 1))
  local report
  report=$(python3 "$JSON_VALIDATOR" "$JSON_SCHEMAS" --schema "$1" "$2" 2>&1) ||
    fail "JSON schema $1: ${report:-validate_json.py failed}"
}

fail() {
  echo "FAIL: $*" >&2
  FAILURES=$((FAILURES + 1))
}

# ok ARGS...: runs tally and expects exit 0.
ok() {
  t "$@"
  CHECKS=$((CHECKS + 1))
  [ "$RC" -eq 0 ] || fail "tally $* exited $RC: $ERR"
}

# expect_exit CODE ARGS...: runs tally and expects that exit code and, for a
# non-zero code, a one-line 'tally: error:' message.
expect_exit() {
  local code=$1; shift
  t "$@"
  CHECKS=$((CHECKS + 1))
  [ "$RC" -eq "$code" ] || fail "tally $* exited $RC, expected $code (stderr: $ERR)"
  if [ "$code" -ne 0 ]; then
    [[ "$ERR" == "tally: error: "* ]] || fail "tally $*: stderr does not start with 'tally: error: ': $ERR"
    [ "$(printf '%s\n' "$ERR" | grep -c 'tally: error:')" -eq 1 ] || fail "tally $*: expected one error line: $ERR"
  fi
}

# expect_eq WHAT ACTUAL EXPECTED
expect_eq() {
  CHECKS=$((CHECKS + 1))
  [ "$2" == "$3" ] || fail "$1: got '$2', expected '$3'"
}

# expect_contains WHAT HAYSTACK NEEDLE
expect_contains() {
  CHECKS=$((CHECKS + 1))
  [[ "$2" == *"$3"* ]] || fail "$1: '$3' not found in: $2"
}

# jf FILTER: applies a jq filter to the last $OUT (raw output).
jf() { printf '%s' "$OUT" | jq -r "$1"; }

# snapshot / expect_unchanged: the ledger's full content (dump) before and after.
snapshot() { sqlite3 "$TALLY_DB" .dump > "$WORK/snapshot.sql"; }
expect_unchanged() {
  CHECKS=$((CHECKS + 1))
  sqlite3 "$TALLY_DB" .dump | cmp -s - "$WORK/snapshot.sql" || fail "ledger changed: $*"
}

# journal_before_11 DB: the journal as a ledger of schema 10 or older holds it,
# for tests that simulate one: no `changes` column, each event hashed without
# it (docs/architecture.md, the journal's hash chain).
journal_before_11() {
  sqlite3 "$1" 'ALTER TABLE journal DROP COLUMN changes' || fail "journal_before_11: drop column"
  python3 - "$1" <<'PY' || fail "journal_before_11: rehash"
import hashlib, sqlite3, sys
con = sqlite3.connect(sys.argv[1], isolation_level=None)
con.execute("BEGIN IMMEDIATE")
prev = "0" * 64
for (eid, at, user, command, kind, payload) in con.execute(
        "SELECT id, at, os_user, command, kind, payload FROM journal ORDER BY id").fetchall():
    canon = "".join(f"{len(f.encode())}:{f}\n" for f in [prev, at, user, command, kind, payload]) + str(eid)
    digest = hashlib.sha256(canon.encode()).hexdigest()
    con.execute("UPDATE journal SET prev_hash = ?, hash = ? WHERE id = ?", (prev, digest, eid))
    prev = digest
con.execute("COMMIT")
PY
}

# finish: prints the summary line and exits non-zero on any failure.
finish() {
  check_json
  echo "$(basename "$0"): $CHECKS checks, $FAILURES failed"
  [ "$FAILURES" -eq 0 ]
}

# debian_tool COMMAND PACKAGE: the path of COMMAND, installing Debian's PACKAGE
# first when it is missing and this runs as root with apt-get; "" when it
# cannot be had (the caller skips, saying so).
debian_tool() {
  local path
  path=$(command -v "$1" || true)
  if [ -z "$path" ] && [ "$(id -u)" -eq 0 ] && command -v apt-get > /dev/null; then
    echo "$(basename "$0"): installing Debian's $2" >&2
    { DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "$2" ||
      { DEBIAN_FRONTEND=noninteractive apt-get update -q &&
        DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "$2"; }
    } < /dev/null > "$WORK/apt-$2.log" 2>&1
    path=$(command -v "$1" || true)
  fi
  printf '%s' "$path"
}
