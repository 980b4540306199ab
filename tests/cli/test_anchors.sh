# End-to-end: journal anchors kept outside the ledger (issue 19, item 3).
# backup and report close print the journal's last event as ID:HASH; verify
# --anchor fails (exit 7) when the journal no longer holds that hash at that id:
# a cut tail, or a chain rebuilt after an edit, which the chain alone accepts.
. "$(dirname "$0")/lib.sh"

ok init
ok customer add acme --name "ACME SAS"
ok --as-of 2026-01-01 subscription add --customer acme --amount 1000 --cycle monthly --start 2026-01-01
ok --as-of 2026-01-01 invoice run --period 2026-01

# The anchor is the journal's last event: its id and hash as the journal holds them.
expected="$(sqlite3 "$TALLY_DB" "SELECT id || ':' || hash FROM journal ORDER BY id DESC LIMIT 1")"
ok --format json backup "$WORK/b1.db"
ANCHOR=$(jf .anchor)
expect_eq "backup anchor" "$ANCHOR" "$expected"
ok backup "$WORK/b2.db"
expect_contains "backup prints the anchor" "$OUT" "Journal anchor (keep it elsewhere; check with tally verify --anchor): $expected"
ok --as-of 2026-02-01 --format json report close --month 2026-01
expect_eq "close anchor" "$(jf .anchor)" "$expected"
ok --as-of 2026-02-01 --format html report close --month 2026-01
expect_contains "close html anchor" "$OUT" "<code>$expected</code>"

# Later writes keep an earlier anchor valid.
ok --as-of 2026-02-01 invoice run --period 2026-02
ok verify --anchor "$ANCHOR"
printf '# kept by the accountant\n%s\n\n' "$ANCHOR" > "$WORK/anchors.txt"
ok verify --anchors "$WORK/anchors.txt"

# Malformed anchors: usage errors naming the text (or the file and line).
for bad in "12" "x:$(printf 'a%.0s' {1..64})" "3:abc" "0:$(printf 'a%.0s' {1..64})" "3:$(printf 'A%.0s' {1..64})"; do
  expect_exit 2 verify --anchor "$bad"
  expect_contains "bad anchor named" "$ERR" "invalid anchor '$bad'"
done
printf '%s\nnot-an-anchor\n' "$ANCHOR" > "$WORK/bad-anchors.txt"
expect_exit 2 verify --anchors "$WORK/bad-anchors.txt"
expect_contains "bad anchors line" "$ERR" "line 2"
expect_exit 3 verify --anchors "$WORK/missing.txt"

# A cut tail: the chain that is left is intact, only the anchor tells.
ok --format json backup "$WORK/full.db"
TAIL=$(jf .anchor)
cp "$WORK/full.db" "$WORK/cut.db"
sqlite3 "$WORK/cut.db" "DELETE FROM journal WHERE id = (SELECT MAX(id) FROM journal)"
TALLY_DB="$WORK/cut.db" expect_exit 7 --format json verify --anchor "$TAIL"
expect_contains "cut tail" "$(jf '.checks[] | select(.name == "anchors") | .findings[0]')" "events were cut from its tail"
# The rows the cut event wrote are left with no event (issue 19: journal_records).
expect_contains "cut tail: rows left" "$(jf '.checks[] | select(.name == "journal_records") | .findings | join("\n")')" \
  "invoice F2026-000002: no journal event recorded it"

# A rebuilt chain: an event's command line edited, then every later hash
# recomputed (the documented hash, computed here independently), so the chain
# holds; the anchor of the original tail no longer matches.
cp "$WORK/full.db" "$WORK/rebuilt.db"
python3 - "$WORK/rebuilt.db" <<'PY' || fail "rebuilding the chain"
import hashlib, sqlite3, sys
con = sqlite3.connect(sys.argv[1], isolation_level=None)
con.execute("BEGIN IMMEDIATE")
con.execute("UPDATE journal SET command = 'tally (edited)' WHERE id = 2")
prev = con.execute("SELECT hash FROM journal WHERE id = 1").fetchone()[0]
def field(b):
    return str(len(b)).encode() + b":" + b + b"\n"
for (eid, at, user, command, kind, payload, changes) in con.execute(
        "SELECT id, at, os_user, command, kind, payload, changes FROM journal WHERE id >= 2 ORDER BY id").fetchall():
    canon = b"".join(field(f.encode()) for f in [prev, at, user, command, kind, payload])
    if changes is not None:  # the rows the event changed (schema 11), one more field
        canon += field(changes)
    digest = hashlib.sha256(canon + str(eid).encode()).hexdigest()
    con.execute("UPDATE journal SET prev_hash = ?, hash = ? WHERE id = ?", (prev, digest, eid))
    prev = digest
con.execute("COMMIT")
PY
TALLY_DB="$WORK/rebuilt.db" ok verify
TALLY_DB="$WORK/rebuilt.db" expect_exit 7 verify --anchor "$TAIL"
expect_contains "rebuilt chain" "$ERR" "the chain was rewritten"
TALLY_DB="$WORK/rebuilt.db" ok --format json verify
expect_eq "anchors check listed" "$(jf '.checks[] | select(.name == "anchors") | .ok')" "true"

finish
