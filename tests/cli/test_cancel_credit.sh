# End-to-end, issue 18 item 8: a cycle invoiced before the cancellation letter
# that runs past the effective date is credited by day for the days after it
# (C3, C4), and the balance statement shows the credit. Worked by hand.
. "$(dirname "$0")/lib.sh"

ok init
ok customer add unpaid --name "Unpaid SAS"
ok customer add paid --name "Paid SARL"
# Quarterly, 1200.00 HT a month, one-month terms without notice: a letter
# received 2026-01-10 takes effect at the end of the first term ending on or
# after it, 2026-01-31 (C2).
for c in unpaid paid; do
  ok subscription add --customer $c --amount 1200 --cycle quarterly --start 2026-01-01 --commitment-months 1 --notice-months 0
done
# Q1 billed on 2026-01-01: 3 x 1200.00 = 3600.00 HT + 720.00 VAT = 4320.00 TTC.
ok --as-of 2026-01-01 invoice run --period 2026-01
num() { sqlite3 "$TALLY_DB" "SELECT i.number FROM invoice i JOIN customer c ON c.id = i.customer_id
  WHERE c.code = '$1' AND i.credit_note = 0 ORDER BY i.id LIMIT 1"; }
FU=$(num unpaid); FP=$(num paid)
ok --as-of 2026-01-05 pay "$FP" --method transfer --amount 4320

# The cycle 2026-01-01..2026-03-31 has 31 + 28 + 31 = 90 days; 31 of them up to
# the effective date: 3600.00 x 31/90 = 1240.00 HT owed, so 3600.00 - 1240.00 =
# 2360.00 HT is credited, VAT 472.00, 2832.00 TTC.
snapshot
ok --as-of 2026-01-12 --dry-run --format json cancel --customer unpaid --letter-date 2026-01-10 --letter-ref R1
expect_unchanged "dry-run cancel"
ok --as-of 2026-01-12 --format json cancel --customer unpaid --letter-date 2026-01-10 --letter-ref R1
expect_eq "effective" "$(jf .effective_date)" "2026-01-31"
expect_eq "credit note" "$(jf '.credit_notes[0] | [.cites, .total_ht, .vat, .total_ttc] | join(" ")')" "$FU 2360.00 472.00 2832.00"
expect_eq "credit line rule" "$(jf '.credit_notes[0].lines[0].rule')" "C4"
# Statement: the balance before the credit (4320.00), the credit note (-2832.00):
# 1488.00 due, which is 1240.00 x 1.20.
expect_eq "statement lines" "$(jf '[.statement.lines[] | .kind + ":" + .rule + ":" + .amount] | join(" ")')" \
  "open-balance:C3:4320.00 credit-note:C4:-2832.00"
expect_eq "statement total" "$(jf .statement.total_due)" "1488.00"
ok --as-of 2026-01-12 --format json invoice show "$FU"
expect_eq "invoice balance after the credit" "$(jf .invoice.balance)" "1488.00"

# Paid in full: the credit goes to the customer's credit (P3); the statement
# shows the credit note. The transfer on a quarterly (not annual) subscription
# invoice cost a P2 fee invoice of 20.00 HT + 4.00 VAT = 24.00, still open:
# 24.00 - 2832.00 = -2808.00, owed to the customer.
ok --as-of 2026-01-12 --format json cancel --customer paid --letter-date 2026-01-10 --letter-ref R2
expect_eq "paid: statement" "$(jf '[.statement.lines[] | .kind + ":" + .amount] | join(" ")')" \
  "open-balance:24.00 credit-note:-2832.00"
expect_eq "paid: total" "$(jf .statement.total_due)" "-2808.00"
ok --as-of 2026-01-12 --format json status paid
expect_eq "paid: customer credit" "$(jf .credit)" "2832.00"

# Nothing more is invoiced after the effective date, and the ledger verifies.
ok --as-of 2026-04-01 --format json invoice run --period 2026-04
expect_eq "no Q2" "$(jf '.issued | length')" "0"
ok --as-of 2026-04-01 verify
finish
