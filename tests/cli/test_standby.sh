# End-to-end: standby (issue 5: S1-S5): refusals, billing by day, credit notes
# for cycles already invoiced, early end, list, status during standby.
. "$(dirname "$0")/lib.sh"

ok init
for c in acme dec qua ann idle; do ok customer add $c --name "$c SAS"; done
ok subscription add --customer acme --amount 1000 --cycle monthly --start 2026-01-01
ok subscription add --customer dec --amount 1000 --cycle monthly --start 2026-01-01
ok subscription add --customer qua --amount 1500 --cycle quarterly --start 2026-01-01
ok subscription add --customer ann --amount 1000 --cycle annual --start 2026-07-01
export TALLY_AS_OF=2026-03-02

# ---- Refusals: exit code, one line naming the rule and what is accepted, nothing written.
snapshot
expect_exit 4 standby start --customer acme --reason holidays --from 2026-03-10
expect_contains "S1 message" "$ERR" "S1: standby reason 'holidays' refused: accepted reasons are inactivity, awaiting-approval and third-party-integration"
# 2026-03-10 + 3 months = 2026-06-10: the last day may be 2026-06-09, not 2026-06-10.
expect_exit 4 standby start --customer acme --reason inactivity --from 2026-03-10 --until 2026-06-10
expect_contains "S2 length message" "$ERR" "S2: standby 2026-03-10 to 2026-06-10 refused: longer than 3 calendar months (it may last until 2026-06-09 at most)"
expect_exit 2 standby start --customer acme --reason inactivity --from 2026-03-10 --until 2026-03-09
expect_exit 2 standby start --customer acme --reason inactivity --from 2026-02-30
expect_exit 2 standby start --customer acme --reason inactivity --from 2026-03-10 --requested 2026-03-03
expect_exit 2 standby start --customer acme --from 2026-03-10
expect_exit 3 standby start --customer nobody --reason inactivity --from 2026-03-10
expect_exit 4 standby start --customer idle --reason inactivity --from 2026-03-10
expect_contains "no subscription" "$ERR" "S1: standby for 'idle' refused: it has no subscription"
expect_exit 3 standby end --customer acme --date 2026-03-15
expect_exit 3 standby list --customer nobody
expect_unchanged "refused standbys"

# ---- Monthly, recorded before the run: 2026-03-10..2026-03-31 is 22 of 31 days.
ok --dry-run --format json standby start --customer acme --reason inactivity --from 2026-03-10 --until 2026-03-31
expect_eq "dry-run standby" "$(jf .standby.last_day) $(jf .dry_run)" "2026-03-31 true"
expect_unchanged "dry-run standby start"
ok --format json standby start --customer acme --reason inactivity --from 2026-03-10 --until 2026-03-31 --requested 2026-02-27
expect_eq "standby recorded" "$(jf '.standby | [.customer, .reason, .requested, .first_day, .last_day, .decision] | join(" ")')" \
  "acme inactivity 2026-02-27 2026-03-10 2026-03-31 accepted"
expect_eq "nothing invoiced yet: no document" "$(jf '.documents | length')" "0"
# Overlap and back-to-back refusals (S2).
snapshot
expect_exit 4 standby start --customer acme --reason inactivity --from 2026-03-31 --until 2026-04-10
expect_contains "overlap message" "$ERR" "S2: standby 2026-03-31 to 2026-04-10 refused: it overlaps the standby 2026-03-10 to 2026-03-31"
# Back to back from 2026-04-01: the procedure starts 2026-03-10, so it may last until 2026-06-09.
expect_exit 4 standby start --customer acme --reason awaiting-approval --from 2026-04-01 --until 2026-06-10
expect_contains "back-to-back message" "$ERR" "the procedure 2026-03-10 to 2026-06-10 is longer than 3 calendar months"
expect_unchanged "overlap and back-to-back refused"

# March bills 1000.00 less 1000.00 x 22/31 x 50 % = 354.8387 -> 354.84: 645.16 HT, in two lines:
# 9 days at full price 1000.00 - round(709.677) = 290.32, 22 days in standby 709.68 - 354.84 = 354.84.
ok --as-of 2026-03-02 --format json invoice run --period 2026-03
expect_eq "acme March HT" "$(jf '.issued[] | select(.customer == "acme") | .total_ht')" "645.16"
expect_eq "acme March lines" "$(jf '[.issued[] | select(.customer == "acme") | .lines[] | .amount_ht + "/" + .rule] | join(" ")')" \
  "290.32/I5 354.84/S3"
# 645.16 + VAT 129.032 -> 129.03 = 774.19
expect_eq "acme March TTC" "$(jf '.issued[] | select(.customer == "acme") | .total_ttc')" "774.19"

# ---- Status during standby (S4): operations off, support limited, admin and platform on.
ok --as-of 2026-03-15 --format json status acme
expect_eq "S4 capabilities" "$(jf '.capabilities | [.admin, .platform, .operations, .support] | join(" ")')" "on on off limited"
expect_eq "status standby" "$(jf '.standby.first + " " + .standby.last')" "2026-03-10 2026-03-31"
ok --as-of 2026-04-01 --format json status acme
expect_eq "after standby" "$(jf '.capabilities.operations') $(jf .standby)" "on null"

# ---- Across a year boundary on monthly cycles: 2026-12-15..2027-01-14, split by cycle.
ok --as-of 2026-12-01 standby start --customer dec --reason third-party-integration --from 2026-12-15 --until 2027-01-14
# (its December and January runs are at the end: numbers follow the dates, I2)

# ---- Quarterly, recorded after the run: a credit note settles the reduction.
ok --as-of 2026-04-01 invoice run --period 2026-04
# 2026-05-16..2026-06-30 is 46 of the 91 days of 2026-04-01..2026-06-30:
# 4500.00 x 46/91 x 50 % = 1137.3626 -> 1137.36 HT, VAT 227.472 -> 227.47, 1364.83 TTC.
ok --as-of 2026-05-10 --format json standby start --customer qua --reason awaiting-approval --from 2026-05-16
expect_eq "quarterly default last day" "$(jf .standby.last_day)" "2026-08-15"
expect_eq "quarterly credit note" "$(jf '.documents[0] | [.type, .total_ht, .total_ttc] | join(" ")')" "credit-note 1137.36 1364.83"
qua_invoice=$(jf '.documents[0].cites')
ok --as-of 2026-05-10 --format json invoice show "$qua_invoice"
# 5400.00 - 1364.83 = 4035.17
expect_eq "quarterly balance after credit" "$(jf .invoice.balance)" "4035.17"
# The July cycle, 2026-07-01..2026-09-30 (92 days), 46 days in standby (07-01..08-15):
# 4500.00 x 46/92 x 50 % = 1125.00; 4500.00 - 1125.00 = 3375.00
ok --as-of 2026-07-01 --format json invoice run --period 2026-07
expect_eq "quarterly July HT" "$(jf '.issued[] | select(.customer == "qua") | .total_ht')" "3375.00"

# ---- Annual: invoiced by the July run above (2026-07-01..2027-06-30, 365 days; documents
# follow the dates, I2, so this section comes after the July run); a standby credits, an
# early end re-invoices.
# 2026-09-01..2026-11-30 (91 of 365 days): 12000.00 x 91/365 x 50 % = 1495.8904 -> 1495.89
ok --as-of 2026-07-02 --format json standby start --customer ann --reason inactivity --from 2026-09-01
expect_eq "annual default last day" "$(jf .standby.last_day)" "2026-11-30"
expect_eq "annual credit note HT" "$(jf '.documents[0].total_ht')" "1495.89"
snapshot
expect_exit 3 --as-of 2026-10-01 standby end --customer ann --date 2026-12-01
expect_exit 2 --as-of 2026-10-01 standby end --customer ann --date 2026-09-31
expect_unchanged "standby end outside the standby"
# Ended early, last day 2026-09-30 (30 days): 12000.00 x 30/365 x 50 % = 493.1507 -> 493.15;
# 1495.89 - 493.15 = 1002.74 HT invoiced again, VAT 200.548 -> 200.55, 1203.29 TTC.
ok --as-of 2026-10-01 --format json standby end --customer ann --date 2026-09-30
expect_eq "early end invoice" "$(jf '.documents[0] | [.type, .kind, .total_ht, .total_ttc, .lines[0].rule] | join(" ")')" \
  "invoice subscription 1002.74 1203.29 S3"
expect_eq "ended early" "$(jf .standby.ended_early)" "2026-09-30"
snapshot
ok --as-of 2026-10-02 --format json standby end --customer ann --date 2026-09-30
expect_eq "same end again: nothing issued" "$(jf '.documents | length')" "0"
expect_unchanged "same end again"
# Net billed for the year: 12000.00 - 1495.89 + 1002.74 = 11506.85 = 12000.00 - 493.15
net=$(sqlite3 "$TALLY_DB" "SELECT printf('%.2f', (SUM(CASE credit_note WHEN 1 THEN -total_ht ELSE total_ht END)) / 100.0)
  FROM invoice WHERE customer_id = (SELECT id FROM customer WHERE code = 'ann') AND issue_date < '2027-01-01'")
expect_eq "annual net billed" "$net" "11506.85"
# A new standby back to back with the shortened one: the procedure starts 2026-09-01 (until 2026-11-30 at most).
expect_exit 4 --as-of 2026-10-02 standby start --customer ann --reason inactivity --from 2026-10-01 --until 2026-12-01

# ---- List: history with request date, reason and decision, in the three formats.
ok --format json standby list
expect_eq "list count" "$(jf '.standbys | length')" "4"
expect_eq "list keys" "$(jf '.standbys[0] | keys_unsorted | join(",")')" \
  "id,customer,reason,requested,first_day,last_day,ended_early,decision"
ok --format json standby list --customer ann
expect_eq "list one customer" "$(jf '.standbys[0] | [.reason, .requested, .decision, .ended_early] | join(" ")')" \
  "inactivity 2026-07-02 accepted 2026-09-30"
ok --format csv standby list --customer acme
expect_eq "csv header" "$(printf '%s' "$OUT" | head -1 | tr -d '\r')" \
  "id,customer,requested,reason,decision,first_day,last_day,ended_early"
ok standby list
expect_contains "table" "$OUT" "third-party-integration"
ok standby start --help
expect_contains "help example" "$OUT" "Example:"

# dec across the year boundary, billed last so that no earlier document follows (I2).
ok --as-of 2026-12-01 --format json invoice run --period 2026-12
# December, 17 of 31 days: 1000.00 x 17/31 x 50 % = 274.1935 -> 274.19; 1000.00 - 274.19 = 725.81
expect_eq "December HT" "$(jf '.issued[] | select(.customer == "dec") | .total_ht')" "725.81"
ok --as-of 2027-01-01 --format json invoice run --period 2027-01
# January, 14 of 31 days: 1000.00 x 14/31 x 50 % = 225.8065 -> 225.81; 1000.00 - 225.81 = 774.19
expect_eq "January HT" "$(jf '.issued[] | select(.customer == "dec") | .total_ht')" "774.19"

finish
