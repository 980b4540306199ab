# End-to-end: tally verify and tally backup (issue 8). The ledger is tampered
# with plain sqlite3, as someone bypassing tally would: verify must exit 7 and
# name the first broken item.
. "$(dirname "$0")/lib.sh"

expect_exit 3 verify
expect_contains "missing ledger" "$ERR" "tally init"

ok init
ok --as-of 2026-01-01 customer add acme --name ACME
# F2026-000001: 1000.00 HT + 20 % = 1200.00 TTC; F2026-000002: 500.00 HT = 600.00 TTC.
ok --as-of 2026-01-05 invoice create --customer acme --kind services --amount 1000
ok --as-of 2026-01-06 invoice create --customer acme --kind services --amount 500
# Paid by SEPA (no fee, P2): F2026-000001 settled.
ok --as-of 2026-01-10 pay F2026-000001 --method sepa --amount 1200
ok --as-of 2026-01-11 invoice void F2026-000002 --reason duplicate

# An intact ledger: exit 0, every check ok, verify writes nothing.
snapshot
ok --format json verify
expect_eq "verify ok" "$(jf .ok)" "true"
expect_eq "no first failure" "$(jf .first_failure)" "null"
expect_eq "ten checks" "$(jf '.checks | length')" "10"
expect_eq "every check ok" "$(jf '[.checks[].ok] | all')" "true"
expect_eq "check names" "$(jf '[.checks[].name] | join(",")')" \
  "sqlite_integrity,foreign_keys,journal_chain,numbering,invoice_totals,journal_records,settlement,credit_notes,payments,anchors"
# Events: ledger.init (the default policy), customer.add, 2 x invoice.issue, pay, credit-note.issue.
expect_eq "journal summary" "$(jf '.checks[2].detail')" "6 events, hash chain intact"
expect_unchanged "verify is read-only"
ok verify
expect_contains "table verdict" "$OUT" "intact (10 checks passed)"

# Backup: a copy that verifies; never over an existing file.
ok --format json backup "$WORK/copy.db"
expect_eq "backup path" "$(jf .backup)" "$WORK/copy.db"
expect_eq "backup events" "$(jf .journal_events)" "6"
expect_eq "backup head" "$(jf .last_hash)" "$(sqlite3 "$TALLY_DB" 'SELECT hash FROM journal WHERE id = 6')"
expect_eq "copy has no wal" "$(ls "$WORK" | grep -c 'copy.db-wal')" "0"
ok --db "$WORK/copy.db" --format json verify
expect_eq "copy verifies" "$(jf .ok)" "true"
expect_eq "copy = ledger" "$(sqlite3 "$WORK/copy.db" .dump | md5sum)" "$(sqlite3 "$TALLY_DB" .dump | md5sum)"
copy_sum=$(md5sum < "$WORK/copy.db")
expect_exit 5 backup "$WORK/copy.db"
expect_contains "exists message" "$ERR" "'$WORK/copy.db' already exists"
expect_eq "existing copy untouched" "$(md5sum < "$WORK/copy.db")" "$copy_sum"
expect_exit 2 backup "$WORK/no-such-dir/copy.db"
expect_contains "missing dir message" "$ERR" "folder '$WORK/no-such-dir' does not exist"
expect_exit 2 backup "$TALLY_DB"
expect_exit 2 backup "$WORK"
ok --dry-run backup "$WORK/dry.db"
expect_eq "dry run writes no copy" "$(ls "$WORK" | grep -c '^dry.db')" "0"
ok backup --force "$WORK/copy.db"
expect_unchanged "backup is read-only on the ledger"

# tamper NAME EXPECTED_FIRST_FAILURE SQL: alters a fresh copy of the intact
# ledger with sqlite3, then expects verify to exit 7 naming that item first.
tamper() {
  local name=$1 expected=$2 sql=$3 db="$WORK/tampered.db"
  rm -f "$db" "$db-wal" "$db-shm"
  cp "$WORK/copy.db" "$db"
  sqlite3 "$db" "$sql" || fail "$name: sqlite3 refused: $sql"
  TALLY_DB="$db" expect_exit 7 --format json verify
  expect_eq "$name: verdict" "$(jf .ok)" "false"
  expect_eq "$name: first failure" "$(jf .first_failure)" "$expected"
  expect_eq "$name: stderr" "$ERR" "tally: error: integrity check failed: $expected"
}

# An altered amount: a line, then a line and its invoice's totals together
# (900.00 HT, 180.00 VAT, 1080.00 TTC agree with each other, not with journal event 3).
tamper "line amount" \
  "invoice F2026-000001: stored totals 1000.00 HT, 200.00 VAT, 1200.00 TTC != 900.00 HT, 180.00 VAT, 1080.00 TTC recomputed from its lines" \
  "UPDATE invoice_line SET amount_ht = 90000, unit_ht = 90000 WHERE invoice_id = 1"
tamper "line and totals" \
  "invoice F2026-000001: stored total_ht 900.00 != 1000.00 recorded by journal event 3" \
  "UPDATE invoice_line SET amount_ht = 90000, unit_ht = 90000 WHERE invoice_id = 1;
   UPDATE invoice SET total_ht = 90000, vat = 18000, total_ttc = 108000 WHERE id = 1"
tamper "payment amount" \
  "payment 1: stored amount 1100.00 != 1200.00 recorded by journal event 5" \
  "UPDATE payment SET amount = 110000 WHERE id = 1"
# The allocation was recorded by the pay event (5): journal_records, which
# runs before settlement, names it first.
tamper "deleted allocation" \
  "allocation 1: recorded by journal event 5 but missing from the ledger" \
  "DELETE FROM allocation WHERE invoice_id = 1"
# A deleted row: a journal event, an invoice with its lines.
tamper "deleted event" \
  "journal event 3: missing (ids jump from 2 to 4)" \
  "DELETE FROM journal WHERE id = 3"
tamper "deleted invoice" \
  "numbering: F2026 jumps from 000000 to 000002" \
  "PRAGMA foreign_keys = OFF; DELETE FROM invoice_line WHERE invoice_id = 1; DELETE FROM invoice WHERE id = 1;
   DELETE FROM allocation WHERE invoice_id = 1; DELETE FROM payment WHERE invoice_id = 1"
# Reordered events: events 2 and 3 swap places.
tamper "reordered events" \
  "journal event 2: prev_hash does not match the hash of event 1 (chain broken)" \
  "UPDATE journal SET id = -1 WHERE id = 2; UPDATE journal SET id = 2 WHERE id = 3; UPDATE journal SET id = 3 WHERE id = -1"
tamper "edited payload" \
  "journal event 5: hash mismatch (content altered)" \
  "UPDATE journal SET payload = replace(payload, '1200.00', '1.00') WHERE id = 5"

# A file that is no longer a SQLite database: exit 7, named.
cp "$WORK/copy.db" "$WORK/garbage.db"
printf 'this is not a ledger' | dd of="$WORK/garbage.db" bs=1 seek=0 conv=notrunc status=none
TALLY_DB="$WORK/garbage.db" expect_exit 7 verify
expect_contains "garbage named" "$ERR" "'$WORK/garbage.db' is not a tally ledger"

finish
