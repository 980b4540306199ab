# End-to-end: init, customers, subscriptions, invoices (issue 2: M1-M4, I1-I6).
. "$(dirname "$0")/lib.sh"

# --version: one line "tally X.Y.Z" ended by a newline, on stdout, exit 0.
ok --version
CHECKS=$((CHECKS + 1))
[[ "$OUT" =~ ^tally\ [0-9]+\.[0-9]+\.[0-9]+$ ]] || fail "--version prints '$OUT'"
"$TALLY" --version >"$WORK/version.txt"
expect_eq "--version: one newline-terminated line" "$(wc -l <"$WORK/version.txt") $(wc -c <"$WORK/version.txt")" \
  "1 $((${#OUT} + 1))"

# A missing ledger: exit 3, says to run init.
expect_exit 3 customer list
expect_contains "missing ledger message" "$ERR" "tally init"

ok init
expect_exit 5 init

# Customers (I4: terms default 30, > 60 refused).
ok customer add acme --name "ACME SAS" --email billing@acme.test
ok --format json customer show acme
expect_eq "default terms" "$(jf .customer.terms_days)" "30"
expect_eq "default vat" "$(jf .customer.vat_rate)" "20.00"
snapshot
expect_exit 4 customer add late --name Late --terms 61
expect_unchanged "terms > 60 refused"
expect_exit 5 customer add acme --name Again
expect_exit 2 customer add "Bad Code" --name X
expect_exit 2 customer add ok1 --name X --vat-rate 20.123
expect_unchanged "bad customers refused"
ok customer add euco --name "EU Co" --vat-rate 0 --terms 60

# Subscriptions and a billing run (I5): monthly from 2026-01-31 -> Feb cycle
# starts 2026-02-28 (L2 clamping) and ends 2026-03-30.
ok subscription add --customer acme --amount 1000 --cycle monthly --start 2026-01-31
ok subscription add --customer euco --amount 250.50 --cycle annual --start 2026-02-10
ok --as-of 2026-02-01 --format json invoice run --period 2026-02
expect_eq "two invoices issued" "$(jf '.issued | length')" "2"
expect_eq "first number" "$(jf '.issued[0].number')" "F2026-000001"
expect_eq "monthly period" "$(jf '.issued[0].period.first') $(jf '.issued[0].period.last')" "2026-02-28 2026-03-30"
# 1000.00 HT, VAT 20 % = 200.00, TTC 1200.00, due 30 days after 2026-02-01.
expect_eq "monthly ttc" "$(jf '.issued[0].total_ttc')" "1200.00"
expect_eq "monthly due" "$(jf '.issued[0].due_date')" "2026-03-03"
# Annual: 12 x 250.50 = 3006.00 HT, 0 % VAT, due 60 days later.
expect_eq "annual ht" "$(jf '.issued[1].total_ht')" "3006.00"
expect_eq "annual vat" "$(jf '.issued[1].vat')" "0.00"
expect_eq "annual due" "$(jf '.issued[1].due_date')" "2026-04-02"
# Run twice: nothing new.
snapshot
ok --as-of 2026-02-01 --format json invoice run --period 2026-02
expect_eq "second run issues nothing" "$(jf '.issued | length')" "0"
# A future month is refused.
expect_exit 4 --as-of 2026-02-27 invoice run --period 2026-03

# Invoice create with two lines: 0.10 + 0.05 HT at 20 % -> VAT on the total
# 0.15 = 0.03 (half away from zero of 0.030), not 0.02 + 0.01 per line.
ok --as-of 2026-02-05 --format json invoice create --customer acme --kind services --amount 0,10 --amount 0.05
expect_eq "vat per invoice" "$(jf .invoice.vat)" "0.03"
expect_eq "third number" "$(jf .invoice.number)" "F2026-000003"
snapshot
for bad in 12.345 1.234,5 -5 1e3 "" 1000000000.01 "12 00" abc; do
  expect_exit 2 --as-of 2026-02-05 invoice create --customer acme --kind setup --amount "$bad"
done
expect_exit 3 --as-of 2026-02-05 invoice create --customer nobody --kind setup --amount 10
expect_exit 2 --as-of 2026-02-05 invoice create --customer acme --kind bogus --amount 10
expect_exit 2 --as-of 2026-02-05 invoice create --customer acme --kind setup --amount 10 --date 2026-02-30
expect_exit 3 invoice show F2026-999999
expect_unchanged "bad invoices refused"

# Void: a full credit note AV2026-000001 citing the invoice.
ok --as-of 2026-02-06 --format json invoice void F2026-000003 --reason "duplicate"
expect_eq "credit note number" "$(jf .credit_note.number)" "AV2026-000001"
expect_eq "credit note cites" "$(jf .credit_note.cites)" "F2026-000003"
expect_eq "voided status" "$(jf .invoice.status)" "void"
expect_exit 5 --as-of 2026-02-06 invoice void F2026-000003 --reason "again"

# Listings and filters in the three formats.
ok --as-of 2026-02-06 --format csv invoice list --status open
expect_eq "csv header" "$(printf '%s' "$OUT" | head -1 | tr -d '\r')" \
  "number,customer,kind,issue_date,due_date,total_ht,vat,total_ttc,paid,balance,status"
expect_eq "csv open rows" "$(printf '%s\n' "$OUT" | tail -n +2 | wc -l)" "2"
ok --as-of 2026-02-06 --format json invoice list --customer euco
expect_eq "filter by customer" "$(jf '.invoices | length')" "1"
expect_exit 2 invoice list --status bogus

# Journal: every write appended one event.
expect_eq "journal not empty" "$(sqlite3 "$TALLY_DB" 'SELECT COUNT(*) > 5 FROM journal')" "1"

# Schema versions (PRAGMA user_version): a ledger left at version 1 is brought
# to the current version on open, in one transaction; a ledger written by a
# newer tally is refused (exit 1) and left as it is.
expect_eq "schema version" "$(sqlite3 "$TALLY_DB" 'PRAGMA user_version')" "11"
sqlite3 "$TALLY_DB" 'DROP INDEX invoice_settled_late; DROP INDEX invoice_late_open;
  DROP INDEX penalty_billing_invoice; CREATE INDEX penalty_invoice ON penalty_billing(invoice_id);
  CREATE INDEX payment_customer ON payment(customer_id, date);
  ALTER TABLE customer DROP COLUMN owed; ALTER TABLE customer DROP COLUMN moved_on;
  DROP INDEX invoice_cycle; CREATE UNIQUE INDEX invoice_cycle ON invoice(subscription_id, period_first)
    WHERE credit_note = 0 AND kind = '\''subscription'\'';
  DROP INDEX invoice_customer; CREATE INDEX invoice_customer ON invoice(customer_id, issue_date);
  DROP TABLE seller; ALTER TABLE customer DROP COLUMN legal_name; ALTER TABLE customer DROP COLUMN street;
  ALTER TABLE customer DROP COLUMN postcode; ALTER TABLE customer DROP COLUMN city;
  ALTER TABLE customer DROP COLUMN country; ALTER TABLE customer DROP COLUMN siren;
  ALTER TABLE customer DROP COLUMN vat_number; ALTER TABLE customer DROP COLUMN iban;
  DROP TABLE penalty_review;
  DROP TABLE customer_iban; DROP TABLE suspense_action; ALTER TABLE suspense DROP COLUMN payer;
  ALTER TABLE suspense DROP COLUMN payer_iban;
  PRAGMA user_version = 1'
# Events of a version-1 ledger carried no changes: the chain as it was hashed then.
journal_before_11 "$TALLY_DB"
ok --format json verify
expect_eq "a version-1 ledger verifies (read from a migrated copy)" "$(jf .ok)" "true"
expect_eq "verify did not migrate it" "$(sqlite3 "$TALLY_DB" 'PRAGMA user_version')" "1"
ok customer list
expect_eq "migrated to 11" "$(sqlite3 "$TALLY_DB" 'PRAGMA user_version')" "11"
# Migration 11 journals every row already there (ledger.migrate events), so
# the migrated ledger verifies, and an edit made after is caught.
expect_eq "migration events" "$(sqlite3 "$TALLY_DB" "SELECT COUNT(*) > 0 FROM journal WHERE kind = 'ledger.migrate'
  AND changes IS NOT NULL")" "1"
expect_eq "migrations 9 and 10 tables" "$(sqlite3 "$TALLY_DB" "SELECT group_concat(name) FROM (SELECT name FROM sqlite_master
  WHERE name IN ('customer_iban', 'suspense_action', 'penalty_review') ORDER BY name)")" "customer_iban,penalty_review,suspense_action"
expect_eq "migrations 2 to 7 indexes" "$(sqlite3 "$TALLY_DB" "SELECT group_concat(name) FROM (SELECT name
  FROM sqlite_master WHERE name IN ('invoice_settled_late', 'invoice_late_open', 'penalty_billing_invoice',
  'penalty_invoice', 'payment_customer') ORDER BY name)")" "invoice_late_open,invoice_settled_late,penalty_billing_invoice"
# Migration 5 fills each customer's cache from its invoices. acme: F1 1200.00
# open, F3 voided by AV1 on 02-06; euco: F2 3006.00 open, issued 02-01.
expect_eq "migration 5 cache" "$(sqlite3 "$TALLY_DB" "SELECT group_concat(code || ' ' || owed || ' ' || moved_on, ', ')
  FROM (SELECT * FROM customer ORDER BY code)")" "acme 120000 2026-02-06, euco 300600 2026-02-01"
expect_eq "migrated indexes" "$(sqlite3 "$TALLY_DB" "SELECT sql FROM sqlite_master
  WHERE name IN ('invoice_late_open', 'invoice_cycle', 'invoice_customer') ORDER BY name" | grep '^CREATE')" \
  "CREATE INDEX invoice_customer ON invoice(customer_id)
CREATE UNIQUE INDEX invoice_cycle ON invoice(period_first, subscription_id)
CREATE INDEX invoice_late_open ON invoice(customer_id, due_date)"
# I5 still holds on the migrated index: the same run again issues nothing.
ok --as-of 2026-02-06 --format json invoice run --period 2026-02
expect_eq "rerun after migration issues nothing" "$(jf '.issued | length')" "0"
ok --as-of 2026-02-06 verify
cp "$TALLY_DB" "$WORK/edited.db"
sqlite3 "$WORK/edited.db" "UPDATE customer SET terms_days = 99 WHERE code = 'euco'"
TALLY_DB="$WORK/edited.db" expect_exit 7 verify
expect_contains "an edit after migration" "$ERR" "customer euco: stored terms_days 99 !="
ok --as-of 2026-02-06 --format json status euco
expect_eq "balance from the migrated cache" "$(jf .balance)" "3006.00"
sqlite3 "$TALLY_DB" 'PRAGMA user_version = 99'
expect_exit 1 customer list
case "$ERR" in *"schema version 99, newer than this tally (11)"*) ;; *) fail "newer ledger message: $ERR" ;; esac
expect_eq "newer ledger untouched" "$(sqlite3 "$TALLY_DB" 'PRAGMA user_version')" "99"
sqlite3 "$TALLY_DB" 'PRAGMA user_version = 11'

finish
