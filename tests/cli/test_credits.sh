# End-to-end, issue 18 items 4-7: chronological numbering (I2), partial credit
# notes (I3), standby over a voided cycle (S3 with I3), fee invoices on terms
# that never move a stage (P2, L3). Values computed by hand from RULES.md.
. "$(dirname "$0")/lib.sh"

ok init
for c in acme vopaid vounpaid voafter fee; do ok customer add $c --name "$c SAS"; done
ok subscription add --customer acme --amount 1000 --cycle monthly --start 2026-01-01
for c in vopaid vounpaid voafter; do ok subscription add --customer $c --amount 1500 --cycle quarterly --start 2026-04-01; done

# ---- I2: a late run issues on the business date; the lines name the service period.
# January billed on 2026-02-13: issued 2026-02-13, due 2026-02-13 + 30 days = 2026-03-15.
ok --as-of 2026-02-13 --format json invoice run --period 2026-01
expect_eq "late run: issue and due dates" \
  "$(jf '.issued[] | select(.customer == "acme") | .issue_date + " " + .due_date')" "2026-02-13 2026-03-15"
expect_contains "late run: the line names January" \
  "$(jf '.issued[] | select(.customer == "acme") | .lines[0].description')" "2026-01-01 to 2026-01-31"
# Not late on its due date, so no invoice is late when issued.
ok --as-of 2026-03-15 --format json overdue --customer acme
expect_eq "not late on the due date" "$(jf '.invoices | length')" "0"
# Documents before the last one of the series, or after the business date: exit 4, I2.
snapshot
expect_exit 4 --as-of 2026-02-14 invoice create --customer acme --kind setup --amount 10 --date 2026-02-12
expect_contains "I2 before the last" "$ERR" "I2: invoice dated 2026-02-12 refused: the last invoice of 2026 was issued on 2026-02-13"
expect_exit 4 --as-of 2026-02-14 invoice create --customer acme --kind setup --amount 10 --date 2026-02-15
expect_contains "I2 after the business date" "$ERR" "I2: invoice dated 2026-02-15 refused: after the business date 2026-02-14"
expect_exit 4 --as-of 2026-02-12 invoice run --period 2026-02
expect_contains "I2 run before the last" "$ERR" "I2: "
expect_unchanged "I2 refusals"

# ---- I3: tally invoice credit NUMBER --amount A --reason R [--date D]
# acme's January invoice: 1000.00 HT + 200.00 VAT = 1200.00 TTC.
F=$(sqlite3 "$TALLY_DB" "SELECT i.number FROM invoice i JOIN customer c ON c.id = i.customer_id WHERE c.code = 'acme'")
# 150.00 HT + 30.00 VAT = 180.00 TTC; balance 1200.00 - 180.00 = 1020.00.
ok --as-of 2026-02-20 --format json invoice credit "$F" --amount 150 --reason "two days of outage"
expect_eq "credit note" "$(jf '.credit_note | [.number, .cites, .total_ht, .vat, .total_ttc, .reason] | join(" ")')" \
  "AV2026-000001 $F 150.00 30.00 180.00 two days of outage"
expect_eq "invoice after credit" "$(jf '.invoice | [.balance, .status] | join(" ")')" "1020.00 partially-paid"
ok --as-of 2026-02-20 invoice credit "$F" --amount 100 --reason "table output"
expect_contains "table line" "$OUT" "credited 100.00 HT by credit note AV2026-000002 (120.00 TTC)"
# 1000.00 - 150.00 - 100.00 = 750.00 HT remain: 750.01 refused (exit 4, I3), nothing written.
snapshot
expect_exit 4 --as-of 2026-02-20 invoice credit "$F" --amount 750.01 --reason "too much"
expect_contains "I3 bound" "$ERR" "I3: credit of 750.01 HT on $F refused: only 750.00 HT of it is not yet credited"
expect_exit 4 --as-of 2026-02-20 invoice credit AV2026-000001 --amount 1 --reason "a credit note"
expect_exit 4 --as-of 2026-02-20 invoice credit "$F" --amount 1 --reason "before the last AV" --date 2026-02-19
expect_contains "I2 on credit notes" "$ERR" "I2: credit note dated 2026-02-19 refused"
expect_exit 4 --as-of 2026-02-20 invoice credit "$F" --amount 1 --reason "future" --date 2026-02-21
expect_exit 2 --as-of 2026-02-20 invoice credit "$F" --amount 0 --reason "zero"
expect_exit 2 --as-of 2026-02-20 invoice credit "$F" --amount -5 --reason "negative"
expect_exit 2 --as-of 2026-02-20 invoice credit "$F" --amount 1.234 --reason "three decimals"
expect_exit 2 --as-of 2026-02-20 invoice credit "$F" --reason "no amount"
expect_exit 2 --as-of 2026-02-20 invoice credit "$F" --amount 1
expect_exit 3 --as-of 2026-02-20 invoice credit F2026-000999 --amount 1 --reason "unknown"
expect_unchanged "refused credits"
ok --as-of 2026-02-20 --dry-run invoice credit "$F" --amount 750 --reason "dry run"
expect_unchanged "dry-run credit"
# void stays the full one: the 750.00 HT left, 900.00 TTC.
ok --as-of 2026-02-21 --format json invoice void "$F" --reason "cancelled"
expect_eq "void credits the rest" "$(jf '.credit_note.total_ttc') $(jf '.invoice.status')" "900.00 void"

# ---- S3 with I3: a standby over a voided quarterly cycle (4500.00 HT, 5400.00 TTC).
ok --as-of 2026-04-01 invoice run --period 2026-04
num() { sqlite3 "$TALLY_DB" "SELECT i.number FROM invoice i JOIN customer c ON c.id = i.customer_id WHERE c.code = '$1' AND i.credit_note = 0 AND i.kind = 'subscription'"; }
# Paid, then voided: the 5400.00 credit note all becomes customer credit.
ok --as-of 2026-04-02 pay "$(num vopaid)" --method sepa --date 2026-04-02
ok --as-of 2026-04-03 invoice void "$(num vopaid)" --reason "wrong customer"
ok --as-of 2026-04-03 invoice void "$(num vounpaid)" --reason "wrong customer"
# 2026-05-16..2026-06-30 would reduce the cycle by 4500.00 x 46/91 x 50 % = 1137.36 HT:
# the cycle is void, nothing is credited (the bug credited 1364.83 TTC from nothing).
for c in vopaid vounpaid; do
  ok --as-of 2026-05-10 --format json standby start --customer $c --reason inactivity --from 2026-05-16
  expect_eq "$c: standby over a voided cycle credits nothing" "$(jf '.documents | length')" "0"
done
ok --as-of 2026-05-10 --format json status vopaid
expect_eq "vopaid credit is the invoice, not more" "$(jf .credit) $(jf .balance)" "5400.00 0.00"
# Standby first (credit note 1137.36 HT), then void (the 3362.64 HT left), then an early end:
# the cycle is void, nothing is billed (the bug invoiced the restored reduction).
ok --as-of 2026-05-10 --format json standby start --customer voafter --reason inactivity --from 2026-05-16
expect_eq "voafter standby credit" "$(jf '.documents[0].total_ht')" "1137.36"
ok --as-of 2026-05-11 --format json invoice void "$(num voafter)" --reason "cancelled"
expect_eq "voafter void credits the rest" "$(jf '.credit_note.total_ht')" "3362.64"
for c in vopaid vounpaid voafter; do
  ok --as-of 2026-06-01 --format json standby end --customer $c --date 2026-05-31
  expect_eq "$c: early end bills nothing for a voided cycle" "$(jf '.documents | length')" "0"
done
ok --as-of 2026-06-01 --format json status voafter
expect_eq "voafter owes nothing" "$(jf .balance) $(jf .credit)" "0.00 0.00"
ok --as-of 2026-06-01 verify

# ---- P2, L3: a fee is due on the terms and never moves the stage.
# March (1200.00 TTC, issued 2026-06-01 by a late run, due 2026-07-01) paid in full by
# transfer on 2026-07-01 without its 20.00 fee (24.00 TTC).
# Added after the April run: its only invoice is March's.
ok subscription add --customer fee --amount 1000 --cycle monthly --start 2026-03-01
ok --as-of 2026-06-01 invoice run --period 2026-03
FEE_INV=$(sqlite3 "$TALLY_DB" "SELECT i.number FROM invoice i JOIN customer c ON c.id = i.customer_id WHERE c.code = 'fee' AND i.kind = 'subscription'")
ok --as-of 2026-07-01 --format json pay "$FEE_INV" --method transfer --amount 1200 --date 2026-07-01
expect_eq "fee invoice: 24.00, issued on the payment date, due 30 days later" \
  "$(jf '.fees[0] | [.total_ttc, .issue_date, .due_date] | join(" ")')" "24.00 2026-07-01 2026-07-31"
ok --as-of 2026-07-02 --format json status fee
expect_eq "the day after: active" "$(jf .stage)" "active"
# 2026-11-30 is 4 months after the fee's due date: late, 24.00 x 10 % x 122 / 365 = 0.80 interest,
# 40.00 indemnity, but the stage stays active and the platform on.
ok --as-of 2026-11-30 --format json overdue --customer fee
expect_eq "fee late" "$(jf '.invoices[0] | "\(.months_late) \(.interest_accrued) \(.indemnity)"')" "4 0.80 40.00"
expect_eq "fee stage" "$(jf '.customers[0].stage')" "active"
ok --as-of 2026-11-30 --format json overdue --customer fee --apply
expect_eq "no transition for a fee" "$(jf '.transitions | length')" "0"
ok --as-of 2026-11-30 --format json status fee
expect_eq "platform kept" "$(jf '.stage') $(jf '.capabilities.platform') $(jf '.capabilities.admin')" "active on on"
# With fee in stage_kinds (policy, versioned), the same fee would count.
ok policy set stage_kinds subscription,setup,services,fee --effective 2026-12-01
ok --as-of 2026-12-01 --format json status fee
expect_eq "stage_kinds with fee" "$(jf '.stage')" "platform-disabled"
expect_exit 2 policy set stage_kinds subscription,penalty --effective 2026-12-02

finish
