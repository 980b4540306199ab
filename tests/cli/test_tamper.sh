# End-to-end: verify catches every edit made behind tally's back (issue 19).
# One ledger used normally writes a row in every table (customers and their
# IBANs, subscriptions, invoices and lines, credit notes, payments and
# reversals, fee waivers, standbys, cancellations, period locks, policy
# versions, seller versions, penalty billings and their review queue, stage
# transitions, credit movements, suspense lines and their resolution); it
# verifies clean. Then each case below applies one edit with the sqlite3 shell
# to a copy, as an auditor (or a fraudster) would, and expects exit 7 with the
# check that must catch it failing first and its finding naming the table, the
# row and the field. Which check catches what is reasoned from
# docs/architecture.md (the verify table), never read off tally's output.
. "$(dirname "$0")/lib.sh"

ok init
ok --as-of 2026-01-01 customer add acme --name "ACME SAS" --terms 30
ok --as-of 2026-01-01 customer add beta --name "Beta SARL" --terms 30
ok --as-of 2026-01-01 customer iban acme FR7630006000011234567890189
ok --as-of 2026-01-01 seller set siren 552120222 --effective 2026-01-01
ok --as-of 2026-01-01 subscription add --customer acme --amount 1000 --cycle monthly --start 2026-01-01
ok --as-of 2026-01-01 subscription add --customer beta --amount 500 --cycle monthly --start 2026-01-01
# F2026-000001 acme 1200.00 TTC, F2026-000002 beta 600.00 TTC, due 2026-01-31.
ok --as-of 2026-01-01 invoice run --period 2026-01
# F2026-000003: services for acme, 300.00 HT = 360.00 TTC.
ok --as-of 2026-01-05 invoice create --customer acme --kind services --amount 300 --description "Audit"
# Payment 1: acme's subscription invoice by transfer (no fee, P2), with a bank
# reference and detail, 50.00 over its 1200.00: credit movement 1 (P3).
ok --as-of 2026-01-10 pay F2026-000001 --method transfer --amount 1250 --ref BANK-1 --detail "virement ACME"
# AV2026-000001: 60.00 TTC credited on F2026-000003.
ok --as-of 2026-01-12 invoice credit F2026-000003 --amount 60 --reason "discount agreed"
# Payment 2: by card with its fee waived (P2), then reversed.
ok --as-of 2026-01-15 pay F2026-000003 --method card --amount 100 --waive-fee "key account"
ok --as-of 2026-01-16 payment reverse 2 --reason "card chargeback"
ok --as-of 2026-01-20 policy set payment_terms_days 45 --effective 2026-07-01
# beta never pays F2026-000002: late on 2026-02-01, penalties and a stage on 2026-02-28.
ok --as-of 2026-02-28 overdue --apply
# A bank statement: one line for acme's F2026-000003 rest, one nobody's (suspense),
# one more to dismiss.
cat > "$WORK/bank.csv" <<'CSV'
date,amount,reference,label
2026-03-02,240.00,BANK-2,ACME F2026-000003
2026-03-03,77.00,BANK-3,UNKNOWN PAYER
2026-03-04,12.00,BANK-4,BANK FEES REFUND
2026-03-04,5.00,BANK-5,LEFT OPEN
CSV
ok --as-of 2026-03-05 import payments "$WORK/bank.csv"
ok --as-of 2026-03-06 suspense dismiss 2 --reason "not a customer payment"
ok --as-of 2026-03-06 suspense assign 1 --invoice F2026-000002
ok --as-of 2026-03-06 standby start --customer acme --reason inactivity --from 2026-04-01 --until 2026-05-31
ok --as-of 2026-03-10 cancel --customer acme --letter-date 2026-03-10 --letter-ref RA-1
ok --as-of 2026-03-10 report close --month 2026-01 --lock

# Every table holds a row (the cases below edit each one).
for table in customer customer_iban seller subscription invoice invoice_line payment allocation credit_movement \
  standby stage_transition penalty_billing suspense suspense_action period_lock policy; do
  expect_eq "$table has rows" "$(sqlite3 "$TALLY_DB" "SELECT COUNT(*) > 0 FROM $table")" "1"
done

# The untouched ledger passes, and so does a copy.
ok --format json verify
expect_eq "untouched ledger" "$(jf .ok)" "true"
ok --format json backup "$WORK/base.db"
ANCHOR=$(jf .anchor)
TALLY_DB="$WORK/base.db" ok verify --anchor "$ANCHOR"

# tamper NAME CHECK NEEDLE SQL [VERIFY ARGS...]: SQL applied to a fresh copy
# with sqlite3 (foreign keys off, as the shell has them); verify must exit 7,
# CHECK be the first check that fails, and one of its findings contain NEEDLE.
# next_id TABLE: the id SQLite gives the next row of TABLE in the copy.
next_id() { sqlite3 "$WORK/base.db" "SELECT COALESCE(MAX(id), 0) + 1 FROM $1"; }

CASES=0
tamper() {
  local name=$1 check=$2 needle=$3 sql=$4 db="$WORK/tampered.db"
  shift 4
  CASES=$((CASES + 1))
  rm -f "$db" "$db-wal" "$db-shm"
  cp "$WORK/base.db" "$db"
  sqlite3 "$db" "$sql" || { fail "$name: sqlite3 refused: $sql"; return; }
  [ "$(sqlite3 "$db" .dump | md5sum)" != "$(sqlite3 "$WORK/base.db" .dump | md5sum)" ] \
    || { fail "$name: the edit changed nothing"; return; }
  [ "${REHASH:-}" = 1 ] && rehash "$db"
  TALLY_DB="$db" expect_exit 7 --format json verify "$@"
  expect_eq "$name: first failing check" "$(jf '[.checks[] | select(.ok | not) | .name][0]')" "$check"
  expect_contains "$name: finding" \
    "$(printf '%s' "$OUT" | jq -r --arg c "$check" '.checks[] | select(.name == $c) | .findings | join("\n")')" "$needle"
}

# rehash DB: recomputes every event's prev_hash and hash as docs/architecture.md
# documents them (SHA-256 of each field as LENGTH:FIELD and a newline, the
# changes blob as one more field when present, then the id), as someone who
# rewrites the file would.
rehash() {
  python3 - "$1" <<'PY' || fail "rehash $1"
import hashlib, sqlite3, sys
con = sqlite3.connect(sys.argv[1], isolation_level=None)
con.execute("BEGIN IMMEDIATE")
def field(b):
    return str(len(b)).encode() + b":" + b + b"\n"
prev = "0" * 64
for (eid, at, user, command, kind, payload, changes) in con.execute(
        "SELECT id, at, os_user, command, kind, payload, changes FROM journal ORDER BY id").fetchall():
    canon = b"".join(field(f.encode()) for f in [prev, at, user, command, kind, payload])
    if changes is not None:
        canon += field(changes)
    digest = hashlib.sha256(canon + str(eid).encode()).hexdigest()
    con.execute("UPDATE journal SET prev_hash = ?, hash = ? WHERE id = ?", (prev, digest, eid))
    prev = digest
con.execute("COMMIT")
PY
}

# ---- The edits of issue 19 that verify did not catch.
tamper "invoice due_date" journal_records "invoice F2026-000002: stored due_date 2026-01-15 != 2026-01-31" \
  "UPDATE invoice SET due_date = '2026-01-15' WHERE number = 'F2026-000002'"
tamper "line description" journal_records "stored description Audit (edited) != Audit" \
  "UPDATE invoice_line SET description = 'Audit (edited)' WHERE description = 'Audit'"
tamper "credit note reason" journal_records "invoice AV2026-000001: stored reason other != discount agreed" \
  "UPDATE invoice SET reason = 'other' WHERE number = 'AV2026-000001'"
tamper "payment ref" journal_records "payment 1: stored ref BANK-9 != BANK-1" \
  "UPDATE payment SET ref = 'BANK-9' WHERE id = 1"
tamper "payment detail" journal_records "payment 1: stored detail x != virement ACME" \
  "UPDATE payment SET detail = 'x' WHERE id = 1"
tamper "payment ref cleared" journal_records "payment 1: stored ref NULL != BANK-1" \
  "UPDATE payment SET ref = NULL WHERE id = 1"
tamper "suspense edited" journal_records "suspense 1: stored amount 1 != 7700" \
  "UPDATE suspense SET amount = 1 WHERE reference = 'BANK-3'"
tamper "suspense reference edited" journal_records "stored reference BANK-X != BANK-4" \
  "UPDATE suspense SET reference = 'BANK-X' WHERE reference = 'BANK-4'"
tamper "suspense deleted" journal_records "but missing from the ledger" \
  "DELETE FROM suspense WHERE reference = 'BANK-5'"
tamper "suspense resolution deleted" journal_records "suspense_action 1: recorded by journal event" \
  "DELETE FROM suspense_action"
tamper "period lock deleted" journal_records "period_lock 2026-01: recorded by journal event" \
  "DELETE FROM period_lock"
tamper "policy version edited" journal_records "stored value 10 != 45" \
  "UPDATE policy SET value = '10' WHERE key = 'payment_terms_days' AND effective = '2026-07-01'"
tamper "default policy edited" journal_records "stored value" \
  "UPDATE policy SET value = '1' WHERE key = 'payment_terms_days' AND effective <> '2026-07-01'"
tamper "policy version inserted" journal_records "no journal event recorded it" \
  "INSERT INTO policy(key, value, effective) VALUES ('payment_terms_days', '90', '2026-08-01')"
tamper "customer vat rate" journal_records "customer beta: stored vat_rate_bp 0 != 2000" \
  "UPDATE customer SET vat_rate_bp = 0 WHERE code = 'beta'"
tamper "customer terms" journal_records "customer beta: stored terms_days 90 != 30" \
  "UPDATE customer SET terms_days = 90 WHERE code = 'beta'"
tamper "subscription amount" journal_records "subscription 2: stored amount_ht 1 != 50000" \
  "UPDATE subscription SET amount_ht = 1 WHERE id = 2"
tamper "penalty billing edited" journal_records "penalty_billing 1: stored interest 1 !=" \
  "UPDATE penalty_billing SET interest = 1 WHERE id = 1"
tamper "penalty billing deleted" journal_records "penalty_billing 1: recorded by journal event" \
  "DELETE FROM penalty_billing WHERE id = 1"
tamper "stage undone" journal_records "but missing from the ledger" \
  "DELETE FROM stage_transition"
tamper "stage edited" journal_records "stored to_stage active !=" \
  "UPDATE stage_transition SET to_stage = 'active'"
tamper "standby edited" journal_records "standby 1: stored last_day 2026-12-31 != 2026-05-31" \
  "UPDATE standby SET last_day = '2026-12-31'"
tamper "standby deleted" journal_records "standby 1: recorded by journal event" \
  "DELETE FROM standby"
tamper "customer added" journal_records "customer ghost: no journal event recorded it" \
  "INSERT INTO customer(code, name, vat_rate_bp, terms_days, created) VALUES ('ghost', 'Ghost', 2000, 30, '2026-01-01')"
tamper "subscription added" journal_records "subscription 3: no journal event recorded it" \
  "INSERT INTO subscription(customer_id, amount_ht, cycle, start, commitment_months, notice_months)
   VALUES (2, 100, 'monthly', '2026-01-01', 12, 3)"
tamper "cancellation undone" journal_records "stored end_date NULL !=" \
  "UPDATE subscription SET letter_date = NULL, letter_ref = NULL, end_date = NULL WHERE id = 1"
tamper "fee waiver edited" journal_records "payment 2: stored waive_reason x != key account" \
  "UPDATE payment SET waive_reason = 'x' WHERE id = 2"
tamper "reversal undone" journal_records "payment 2: stored reversed_on NULL != 2026-01-16" \
  "UPDATE payment SET reversed_on = NULL, reverse_reason = NULL WHERE id = 2"
# Events cut from the journal's tail: the rows they wrote are left with no
# event; the anchor taken before says so too.
tamper "last event cut" journal_records "period_lock 2026-01: no journal event recorded it" \
  "DELETE FROM journal WHERE id = (SELECT MAX(id) FROM journal)"
tamper "two events cut" journal_records "no journal event recorded it" \
  "DELETE FROM journal WHERE id > (SELECT MAX(id) - 2 FROM journal)"
tamper "three events cut, with anchor" journal_records "no journal event recorded it" \
  "DELETE FROM journal WHERE id > (SELECT MAX(id) - 3 FROM journal)" --anchor "$ANCHOR"
expect_contains "cut tail: anchor" "$(jf '.checks[] | select(.name == "anchors") | .findings[0]')" \
  "events were cut from its tail"
# An event's changes cut off: its rows lose their record, and its hash no longer holds.
tamper "changes cleared" journal_chain "hash mismatch (content altered)" \
  "UPDATE journal SET changes = NULL WHERE kind = 'standby.start'"

# ---- One of each kind for every table: a field updated, a row inserted, a row deleted.
tamper "customer_iban updated" journal_records "customer_iban 1: stored iban" \
  "UPDATE customer_iban SET iban = 'FR7630006000019876543210123'"
tamper "customer_iban inserted" journal_records "customer_iban $(next_id customer_iban): no journal event recorded it" \
  "INSERT INTO customer_iban(customer_id, iban, added) VALUES (2, 'FR7630006000019876543210123', '2026-01-01')"
tamper "customer_iban deleted" journal_records "customer_iban 1: recorded by journal event" \
  "DELETE FROM customer_iban"
tamper "seller updated" journal_records "seller 1: stored value 732829320 != 552120222" \
  "UPDATE seller SET value = '732829320' WHERE key = 'siren'"
tamper "seller inserted" journal_records "no journal event recorded it" \
  "INSERT INTO seller(key, value, effective) VALUES ('siren', '732829320', '2026-02-01')"
tamper "seller deleted" journal_records "seller 1: recorded by journal event" "DELETE FROM seller"
tamper "customer name" journal_records "customer acme: stored name Evil != ACME SAS" \
  "UPDATE customer SET name = 'Evil' WHERE code = 'acme'"
tamper "customer deleted" foreign_keys "refers to a missing customer row" "DELETE FROM customer WHERE code = 'beta'"
tamper "subscription deleted" foreign_keys "refers to a missing subscription row" "DELETE FROM subscription WHERE id = 2"
tamper "invoice period edited" journal_records "invoice F2026-000001: stored period_last 2026-02-28 != 2026-01-31" \
  "UPDATE invoice SET period_last = '2026-02-28' WHERE number = 'F2026-000001'"
tamper "invoice_line item inserted" invoice_totals "invoice F2026-000003: stored totals" \
  "INSERT INTO invoice_line(invoice_id, position, description, qty, unit_ht, amount_ht, vat_rate_bp)
   VALUES (3, 9, 'extra', 100, 100, 100, 2000)"
tamper "invoice_line rule edited" journal_records "stored rule X !=" \
  "UPDATE invoice_line SET rule = 'X' WHERE id = 1"
tamper "payment method" journal_records "payment 1: stored method card != transfer" \
  "UPDATE payment SET method = 'card' WHERE id = 1"
tamper "allocation date" journal_records "allocation 1: stored date 2026-01-01 != 2026-01-10" \
  "UPDATE allocation SET date = '2026-01-01' WHERE id = 1"
tamper "credit movement note" journal_records "credit_movement 1: stored note x !=" \
  "UPDATE credit_movement SET note = 'x' WHERE id = 1"
tamper "credit movement inserted" journal_records "credit_movement $(next_id credit_movement): no journal event recorded it" \
  "INSERT INTO credit_movement(customer_id, date, amount) VALUES (1, '2026-03-01', 5000)"
tamper "standby inserted" journal_records "standby $(next_id standby): no journal event recorded it" \
  "INSERT INTO standby(customer_id, reason, requested, first_day, last_day) VALUES (2, 'inactivity', '2026-03-01', '2026-03-01', '2026-03-31')"
tamper "stage inserted" journal_records "stage_transition $(next_id stage_transition): no journal event recorded it" \
  "INSERT INTO stage_transition(customer_id, from_stage, to_stage, date) VALUES (2, 'data-deleted', 'active', '2026-03-09')"
tamper "penalty billing inserted" journal_records "penalty_billing $(next_id penalty_billing): no journal event recorded it" \
  "INSERT INTO penalty_billing(invoice_id, penalty_invoice_id, through, interest, indemnity)
   SELECT invoice_id, penalty_invoice_id, '2026-03-31', interest, 0 FROM penalty_billing WHERE id = 1"
tamper "penalty review queued" journal_records "penalty_review 1: no journal event recorded it" \
  "DELETE FROM penalty_review WHERE invoice_id = 1; INSERT INTO penalty_review(invoice_id) VALUES (1)"
tamper "suspense inserted" journal_records "no journal event recorded it" \
  "INSERT INTO suspense(date, amount, reference, label) VALUES ('2026-03-03', 100, 'BANK-99', 'x')"
tamper "suspense payer edited" journal_records "stored payer Mallory !=" \
  "UPDATE suspense SET payer = 'Mallory' WHERE reference = 'BANK-3'"
tamper "suspense resolution edited" journal_records "suspense_action 1: stored reason x != not a customer payment" \
  "UPDATE suspense_action SET reason = 'x'"
tamper "suspense resolution inserted" journal_records "suspense_action $(next_id suspense_action): no journal event recorded it" \
  "INSERT INTO suspense_action(suspense_id, action, date, amount, reason) VALUES (1, 'dismiss', '2026-03-07', 1, 'y')"
tamper "period lock edited" journal_records "stored locked_at" \
  "UPDATE period_lock SET locked_at = '2026-01-01'"
tamper "period lock inserted" journal_records "period_lock 2026-02: no journal event recorded it" \
  "INSERT INTO period_lock(month, locked_at) VALUES ('2026-02', '2026-03-10')"
tamper "policy deleted" journal_records "recorded by journal event" \
  "DELETE FROM policy WHERE key = 'payment_terms_days' AND effective = '2026-07-01'"
tamper "meta inserted" journal_records "meta x: no journal event recorded it" \
  "INSERT INTO meta(key, value) VALUES ('x', 'y')"
# A journal event edited, then every later hash recomputed (test_anchors.sh
# does it in Python): the chain holds; the anchor kept outside does not.
REHASH=1 tamper "rebuilt chain" anchors "the chain was rewritten" \
  "UPDATE journal SET command = 'edited' WHERE id = 2" --anchor "$ANCHOR"
# The same without the anchor: the chain alone cannot tell (docs/architecture.md).
cp "$WORK/tampered.db" "$WORK/rebuilt.db"
TALLY_DB="$WORK/rebuilt.db" ok verify

echo "test_tamper: $CASES tamper cases" >&2
finish
