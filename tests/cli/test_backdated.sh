# End-to-end, issue 18 item 3: penalties follow backdated facts (L4, L5, L8).
# Every expected amount is worked by hand from RULES.md in the comment above it.
. "$(dirname "$0")/lib.sh"

ok init
ok customer add late28 --name "Late Twenty-Eight SAS"
ok customer add ontime --name "On Time SARL"
ok customer add still --name "Still Late SA"
# 1000.00 HT + 20 % VAT = 1200.00 TTC, issued 2026-06-18, due 2026-07-18 (30 days).
for c in late28 ontime still; do
  ok --as-of 2026-06-18 invoice create --customer $c --kind services --amount 1000
done
num() { sqlite3 "$TALLY_DB" "SELECT i.number FROM invoice i JOIN customer c ON c.id = i.customer_id
  WHERE c.code = '$1' AND i.kind = '${2:-services}' AND i.credit_note = 0 ORDER BY i.id LIMIT 1"; }
F28=$(num late28); FON=$(num ontime); FST=$(num still)

# Penalties applied on 2026-09-30, nothing recorded as paid yet: 2026-07-18 to
# 2026-09-30 is 13 + 31 + 30 = 74 days; 1200.00 x 10 % x 74/365 = 24.32877 -> 24.33;
# indemnity 40.00 (L5). Each penalty invoice: 64.33, no VAT (M4).
ok --as-of 2026-09-30 --format json overdue --apply
expect_eq "three penalty invoices" "$(jf '[.issued[].total_ttc] | join(" ")')" "64.33 64.33 64.33"
P28=$(num late28 penalty); PON=$(num ontime penalty); PST=$(num still penalty)

# Then the bank shows late28 paid on 2026-08-15 and ontime on 2026-07-10 (before
# its due date), both recorded on 2026-10-05; still pays half on 2026-08-15.
ok --as-of 2026-10-05 pay "$F28" --amount 1200 --method transfer --date 2026-08-15
ok --as-of 2026-10-05 pay "$FON" --amount 1200 --method transfer --date 2026-07-10
ok --as-of 2026-10-05 pay "$FST" --amount 600 --method transfer --date 2026-08-15
ok --as-of 2026-10-05 verify

# The overdue report already sees what was over-billed (reads only).
# late28: 2026-07-18 to 2026-08-15 = 13 + 15 = 28 days; 1200.00 x 10 % x 28/365
# = 9.20548 -> 9.21 owed, 24.33 billed: 15.12 over; the indemnity stays owed.
snapshot
ok --as-of 2026-10-31 --format json overdue --customer late28
expect_eq "late28 over-billed" \
  "$(jf '.invoices[0] | [.days_late, .interest_accrued, .interest_billed, .interest_overbilled, .indemnity_overbilled] | join(" ")')" \
  "28 9.21 24.33 15.12 0.00"
expect_unchanged "overdue reads only"

# still: 1200.00 x 10 % x 28/365 = 9.20548 + 600.00 x 10 % x (2026-08-15 to
# 2026-09-30: 16 + 30 = 46 days)/365 = 7.56164 -> 16.76712 -> 16.77 owed through
# 2026-09-30 (billed 24.33: 7.56 over), then 600.00 x 10 % x 31/365 = 5.09589 for
# October: 16.76712 + 5.09589 = 21.86301 -> 21.86 accrued to 2026-10-31, below
# the 24.33 billed: 2.47 over, credited; nothing billed.
# ontime: paid before its due date, never late: no interest, no indemnity: the
# whole 64.33 is credited (L8).
ok --as-of 2026-10-31 --format json overdue --apply
expect_eq "no new penalty invoice" "$(jf '.issued | length')" "0"
expect_eq "credit notes" "$(jf '[.credited[] | .cites + "=" + .total_ttc] | sort | join(" ")')" \
  "$(printf '%s\n' "$P28=15.12" "$PON=64.33" "$PST=2.47" | sort | tr '\n' ' ' | sed 's/ $//')"
expect_eq "credit notes are partial credit notes" "$(jf '[.credited[].number | startswith("AV")] | all')" "true"
# Each cites its penalty invoice with rule L8; nothing deleted.
expect_eq "lines name L8" "$(sqlite3 "$TALLY_DB" "SELECT DISTINCT l.rule FROM invoice_line l JOIN invoice i ON i.id = l.invoice_id WHERE i.credit_note = 1")" "L8"
expect_eq "penalty invoices kept" "$(sqlite3 "$TALLY_DB" "SELECT COUNT(*) FROM invoice WHERE kind = 'penalty' AND credit_note = 0")" "3"
# What was billed net for late28 is now the 28 days' 9.21 plus the 40.00 indemnity.
ok --as-of 2026-10-31 --format json overdue --customer late28
expect_eq "late28 settled at 28 days" "$(jf '.invoices | length')" "0"
expect_eq "late28 billed net" "$(sqlite3 "$TALLY_DB" "SELECT SUM(b.interest) || ' ' || SUM(b.indemnity) FROM penalty_billing b JOIN invoice i ON i.id = b.invoice_id WHERE i.number = '$F28'")" "921 4000"
expect_eq "ontime billed net" "$(sqlite3 "$TALLY_DB" "SELECT SUM(b.interest) || ' ' || SUM(b.indemnity) FROM penalty_billing b JOIN invoice i ON i.id = b.invoice_id WHERE i.number = '$FON'")" "0 0"
# The penalty invoices were unpaid: the credits lower what is owed on them.
ok --as-of 2026-10-31 --format json invoice show "$PON"
expect_eq "ontime's penalty invoice cancelled out" "$(jf '.invoice.balance')" "0.00"
ok --as-of 2026-10-31 --format json invoice show "$P28"
# 64.33 - 15.12 = 49.21 = 9.21 + 40.00.
expect_eq "late28's penalty invoice" "$(jf '.invoice.balance')" "49.21"

# Applying again on the same day issues and credits nothing (L6).
snapshot
ok --as-of 2026-10-31 --format json overdue --apply
expect_eq "idempotent" "$(jf '(.issued | length) + (.credited | length)')" "0"
expect_unchanged "second application"
ok --as-of 2026-10-31 verify

# still pays the rest on 2026-11-10: 600.00 x 10 % x 41/365 (2026-09-30 to
# 2026-11-10: 31 + 10) = 6.73973; with the 16.76712 to 2026-09-30:
# 23.50685 -> 23.51 in all; billed 24.33 - 2.47 = 21.86: 1.65 now billed.
ok --as-of 2026-11-10 pay "$FST" --amount 600 --method transfer --date 2026-11-10
ok --as-of 2026-11-30 --format json overdue --apply --customer still
expect_eq "the rest billed, not credited" "$(jf '[.issued[].total_ttc] | join(" ")') $(jf '.credited | length')" "1.65 0"

ok --as-of 2026-11-30 verify

# A ledger of schema 8, where the backdated payment was recorded before tally
# knew L8: migration 9 queues the invoice, and the next application credits it.
export TALLY_DB="$(dirname "$TALLY_DB")/old.db"
ok init
ok customer add old --name "Old Ledger SAS"
ok --as-of 2026-06-18 invoice create --customer old --kind services --amount 1000
ok --as-of 2026-09-30 overdue --apply
ok --as-of 2026-10-05 pay "$(num old)" --amount 1200 --method transfer --date 2026-08-15
sqlite3 "$TALLY_DB" 'DROP TABLE penalty_review; DROP TABLE customer_iban; DROP TABLE suspense_action;
  ALTER TABLE suspense DROP COLUMN payer; ALTER TABLE suspense DROP COLUMN payer_iban; PRAGMA user_version = 8'
journal_before_11 "$TALLY_DB"
ok --as-of 2026-10-31 --format json overdue --apply
expect_eq "queued by the migration" "$(jf '[.credited[].total_ttc] | join(" ")')" "15.12"
ok --as-of 2026-10-31 verify
finish
