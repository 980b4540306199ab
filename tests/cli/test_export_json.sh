# End-to-end, issue 22 item 6: tally export json [-o FILE], the whole ledger as
# one JSON document. The ledger of books_scenario.sh, plus a subscription
# cancelled by letter, a standby, a waived fee, a dismissed suspense line, a
# locked month and a policy version: the export is valid against
# docs/json/export.schema.json (python3-jsonschema), its counts are those of
# the ledger's tables (sqlite3) and its amounts those worked by hand below.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/books_scenario.sh"
# (see books_scenario.sh for what each step books: F1..F5, AV1, payments 1-3)
books_scenario
# initech: a monthly subscription (never invoiced), cancelled by a letter; a standby.
ok customer add initech --name "Initech"
ok --as-of 2026-01-05 subscription add --customer initech --amount 800 --cycle monthly --start 2026-01-01
ok --as-of 2026-02-02 standby start --customer initech --reason inactivity --from 2026-02-02 --until 2026-02-27
ok --as-of 2026-03-10 cancel --customer initech --letter-date 2026-03-10 --letter-ref "RAR 1A 234"
# Payment 4: acme pays what is left of F4 (300.00 TTC - 120.00 from credit = 180.00) by card, fee waived (P2).
ok --as-of 2026-03-31 pay F2026-000004 --method card --waive-fee "goodwill"
# A bank line nobody owes: to suspense (B2), then dismissed.
printf 'date,amount,reference,label\n2026-03-20,55.00,BANK-77,REFUND SUPPLIER\n' > "$WORK/bank.csv"
ok --as-of 2026-03-31 import payments "$WORK/bank.csv"
ok --as-of 2026-03-31 suspense dismiss 1 --reason "supplier refund"
ok --as-of 2026-04-01 report close --month 2026-01 --lock
ok policy set card_fee_rate 0 --effective 2027-01-01
snapshot

# To standard output: one JSON document, whatever --format says; the hook of
# lib.sh validates it against export.schema.json.
ok export json
printf '%s\n' "$OUT" > "$WORK/stdout.json"
expect_schema export "$WORK/stdout.json"
expect_eq "format" "$(jf '.format + " " + (.format_version | tostring)')" "tally-export 1"
expect_eq "schema version" "$(jf .schema_version)" "$(sqlite3 "$TALLY_DB" 'PRAGMA user_version')"

# Counts: every row of the ledger's tables, counted by sqlite3.
db() { sqlite3 "$TALLY_DB" "$1"; }
expect_eq "customers" "$(jf '[.customers[].code] | join(",")')" "acme,globex,initech"
expect_eq "subscriptions" "$(jf '.subscriptions | length')" "1"
# F1 F2 F3 (card fee of payment 1) AV1 F4 F5 (penalty of F2): 6 documents, in the order issued.
expect_eq "documents" "$(jf '[.documents[].number] | join(",")')" \
  "F2026-000001,F2026-000002,F2026-000003,AV2026-000001,F2026-000004,F2026-000005"
expect_eq "documents = table" "$(jf '.documents | length')" "$(db 'SELECT COUNT(*) FROM invoice')"
expect_eq "lines = table" "$(jf '[.documents[].lines | length] | add')" "$(db 'SELECT COUNT(*) FROM invoice_line')"
expect_eq "payments" "$(jf '[.payments[] | .id | tostring] | join(",")')" "1,2,3,4"
expect_eq "allocations = table" "$(jf '[.payments[].allocations | length] | add')" "$(db 'SELECT COUNT(*) FROM allocation')"
expect_eq "credit movements = table" "$(jf '.credit_movements | length')" "$(db 'SELECT COUNT(*) FROM credit_movement')"
expect_eq "standbys" "$(jf '[.standbys[] | .customer, .reason, .first_day] | join(" ")')" "initech inactivity 2026-02-02"
expect_eq "cancellations" "$(jf '[.cancellations[] | .customer, .letter_date, .letter_ref] | join(" ")')" \
  "initech 2026-03-10 RAR 1A 234"
expect_eq "fee waivers" "$(jf '[.fee_waivers[] | .payment, .invoice, .reason | tostring] | join(" ")')" \
  "4 F2026-000004 goodwill"
expect_eq "penalty billings" "$(jf '[.penalty_billings[] | .invoice, .penalty_invoice, .indemnity] | join(" ")')" \
  "F2026-000002 F2026-000005 40.00"
expect_eq "suspense" "$(jf '[.suspense[] | .reference, .amount, (.actions[] | .action, .amount, .reason)] | join(" ")')" \
  "BANK-77 55.00 dismiss 55.00 supplier refund"
expect_eq "period locks" "$(jf '[.period_locks[].month] | join(",")')" "2026-01"
# The version set above (rates are written with two decimals), after the defaults init recorded.
expect_eq "policy version" "$(jf '[.policy_versions[] | select(.effective == "2027-01-01") | .key, .value] | join(" ")')" \
  "card_fee_rate 0.00"
expect_eq "policy versions = table" "$(jf '.policy_versions | length')" "$(db 'SELECT COUNT(*) FROM policy')"
expect_eq "seller versions" "$(jf '[.seller_versions[] | .key, .value, .effective] | join(" ")')" "siren 552120222 2026-01-01"
expect_eq "counts" "$(jf '.counts | [.customers, .subscriptions, .documents, .payments, .standbys, .cancellations, .suspense] | map(tostring) | join(" ")')" \
  "3 1 6 4 1 1 1"

# Amounts, by hand (books_scenario.sh): F1 1000.00 + 200.00 = 1200.00; F3 the card fee 24.00 + 4.80 = 28.80;
# AV1 100.00 + 20.00 = 120.00 citing F1; F4 250.00 + 50.00 = 300.00: 120.00 from credit + 180.00 by card.
expect_eq "F1" "$(jf '.documents[0] | [.total_ht, .vat, .total_ttc, .kind, .type] | join(" ")')" "1000.00 200.00 1200.00 services invoice"
expect_eq "F3 fee" "$(jf '.documents[2] | [.total_ht, .vat, .total_ttc, .kind] | join(" ")')" "24.00 4.80 28.80 fee"
expect_eq "AV1" "$(jf '.documents[3] | [.type, .cites, .total_ttc, .reason] | join(" ")')" "credit-note F2026-000001 120.00 outage"
expect_eq "F4 settled" "$(jf '.documents[4] | [.paid, .balance, .settled_on] | join(" ")')" "300.00 0.00 2026-03-31"
# F2: 600.00, its payment reversed on 2026-03-05: nothing paid, 600.00 owed.
expect_eq "F2 reopened" "$(jf '.documents[1] | [.paid, .balance, .settled_on // "null"] | join(" ")')" "0.00 600.00 null"
# Payment 1: 1228.80 by card to F1 (1200.00) and its fee F3 (28.80).
expect_eq "payment 1" "$(jf '.payments[0] | [.amount, .method, .fee_invoice, (.allocations[] | .invoice, .amount)] | join(" ")')" \
  "1228.80 card F2026-000003 F2026-000001 1200.00 F2026-000003 28.80"
# Payment 2: 700.00, 600.00 to F2, reversed on 2026-03-05 with its allocation.
expect_eq "payment 2" "$(jf '.payments[1] | [.amount, .reversed_on, .reverse_reason, (.allocations[] | .invoice, .amount, .reversed_on)] | join(" ")')" \
  "700.00 2026-03-05 returned F2026-000002 600.00 2026-03-05"
expect_eq "payment 4" "$(jf '.payments[3] | [.amount, .method, .waive_reason, .fee_invoice // "null"] | join(" ")')" \
  "180.00 card goodwill null"
# Customer credit (P3): +100.00 and -100.00 for globex (payment 2, its reversal); +120.00 (AV1) and -120.00
# (payment 3) for acme: every customer's movements sum to 0.00.
expect_eq "credit sums" "$(jf '[.credit_movements | group_by(.customer)[] | (.[0].customer + " " + ([.[].amount | tonumber * 100 | round] | add | tostring))] | join(",")')" \
  "acme 0,globex 0"
# Invoiced TTC of every invoice but the penalty: 1200.00 + 600.00 + 28.80 + 300.00 = 2128.80.
expect_eq "invoiced TTC" "$(jf '[.documents[] | select(.type == "invoice" and .kind != "penalty") | .total_ttc | tonumber * 100 | round] | add')" \
  "212880"

# The journal's anchor: its last event, which verify finds in the journal.
expect_eq "journal events" "$(jf .journal.events)" "$(db 'SELECT COUNT(*) FROM journal')"
anchor=$(jf .journal.anchor)
expect_eq "anchor" "$anchor" "$(db 'SELECT id || '"':'"' || hash FROM journal ORDER BY id DESC LIMIT 1')"
ok verify --anchor "$anchor"
expect_unchanged "export json only reads"

# To a file: new unless --force; the summary names it; the file is the same document.
ok --format json export json -o "$WORK/ledger.json"
expect_schema export "$WORK/ledger.json"
expect_eq "summary" "$(jf '[.format, .documents, .payments, .anchor, .written] | map(tostring) | join(" ")')" \
  "json 6 4 $anchor true"
expect_eq "file = stdout" "$(jq -S 'del(.generated_at)' "$WORK/ledger.json")" "$(jq -S 'del(.generated_at)' "$WORK/stdout.json")"
expect_exit 5 export json -o "$WORK/ledger.json"
expect_contains "refused existing" "$ERR" "already exists"
ok export json -o "$WORK/ledger.json" --force
expect_exit 2 export json -o "$TALLY_DB" --force
expect_contains "never the ledger" "$ERR" "ledger"
ok --dry-run --format json export json -o "$WORK/dry.json"
expect_eq "dry run writes nothing" "$(jf .written) $([ -e "$WORK/dry.json" ] && echo exists || echo absent)" "false absent"
expect_unchanged "export json to a file only reads"

# A new ledger: every array empty, still one valid document.
export TALLY_DB="$WORK/empty.db"
ok init
ok export json
printf '%s\n' "$OUT" > "$WORK/empty.json"
expect_schema export "$WORK/empty.json"
expect_eq "empty" "$(jf '[.customers, .documents, .payments] | map(length) | add')" "0"
finish
