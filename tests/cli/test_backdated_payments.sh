# End-to-end, issue 18 (K1, K2): a payment or credit note recorded after the
# fact never puts money on a document not yet issued, nor settles an invoice
# on days it was already settled. Every amount is worked by hand from RULES.md
# (P2, P3, P5, I2, I3) in the comment above it.
. "$(dirname "$0")/lib.sh"

q() { sqlite3 "$TALLY_DB" "$1"; }
num() { q "SELECT i.number FROM invoice i JOIN customer c ON c.id = i.customer_id
  WHERE c.code = '$1' AND i.kind = '${2:-services}' AND i.credit_note = 0 ORDER BY i.id LIMIT 1"; }

ok init
ok customer add k1 --name "Fee Later SAS"
ok customer add k2 --name "Returned Debit SARL"
ok customer add k3 --name "Credited Between SA"

# K1. A subscription invoice of 1000.00 HT (1200.00 TTC) issued 2026-03-02,
# then another invoice issued 2026-03-16: the F series' last date is 2026-03-16.
ok --as-of 2026-03-02 invoice create --customer k1 --kind subscription --amount 1000
F1=$(num k1 subscription)
ok --as-of 2026-03-16 invoice create --customer k2 --kind services --amount 100
# A transfer dated 2026-03-05 on it, recorded on 2026-03-20 with no amount:
# P2 20.00 HT fee + 20 % VAT = 24.00; it pays 1200.00 + 24.00 = 1224.00. The fee
# invoice cannot be dated 2026-03-05 (I2: after the 2026-03-16 invoice), so it is
# dated 2026-03-16, and the 24.00 waits as k1's credit from 03-05 to 03-16.
ok --as-of 2026-03-20 --format json pay "$F1" --method transfer --date 2026-03-05
expect_eq "K1 paid with the fee" "$(jf '.payment.amount')" "1224.00"
FEE=$(num k1 fee)
expect_eq "K1 fee invoice dated by I2" "$(q "SELECT issue_date || ' ' || total_ttc FROM invoice WHERE number = '$FEE'")" \
  "2026-03-16 2400"
expect_eq "K1 fee settled on its issue date" \
  "$(q "SELECT a.date || ' ' || a.amount FROM allocation a JOIN invoice i ON i.id = a.invoice_id WHERE i.number = '$FEE'")" \
  "2026-03-16 2400"
# Between the payment and the fee invoice the 24.00 is k1's credit; before the
# fix it sat on no issued invoice and in no credit.
ok --as-of 2026-03-10 --format json status k1
expect_eq "K1 on 2026-03-10: nothing owed, 24.00 credit" "$(jf '[.balance, .credit] | join(" ")')" "0.00 24.00"
ok --as-of 2026-03-20 --format json status k1
expect_eq "K1 on 2026-03-20: nothing owed, no credit" "$(jf '[.balance, .credit] | join(" ")')" "0.00 0.00"
ok --as-of 2026-03-20 verify

# K2, payment. 1000.00 HT services = 1200.00 TTC issued 2026-04-01 (sepa: no fee).
# Paid by SEPA on 2026-04-06, the debit returned on 2026-04-14 (P5), both recorded
# on 2026-04-20; then a transfer dated 2026-04-09 is found and recorded. On
# 2026-04-09..13 the invoice was settled by the debit: the transfer settles it
# only from 2026-04-14, the day it reopened, and is credit before.
ok --as-of 2026-04-01 invoice create --customer k2 --kind services --amount 1000
F2=$(q "SELECT number FROM invoice WHERE issue_date = '2026-04-01'")
ok --as-of 2026-04-20 --format json pay "$F2" --method sepa --date 2026-04-06 --ref SEPA-1
P1=$(jf '.payment.id')
ok --as-of 2026-04-20 payment reverse "$P1" --reason "returned debit" --date 2026-04-14
ok --as-of 2026-04-20 --format json pay "$F2" --method transfer --amount 1200 --date 2026-04-09 --ref TX-2
P2=$(jf '.payment.id')
expect_eq "K2 the transfer settles from the reopening" \
  "$(q "SELECT date || ' ' || amount FROM allocation WHERE payment_id = $P2")" "2026-04-14 120000"
for day in 2026-04-10 2026-04-13; do
  ok --as-of $day --format json status k2
  expect_eq "K2 k2 on $day: 100.00 TTC of 03-16 owed (+20 % = 120.00), 1200.00 credit" \
    "$(jf '[.balance, .credit] | join(" ")')" "120.00 1200.00"
done
ok --as-of 2026-04-20 --format json status k2
expect_eq "K2 k2 today: the 120.00 of 03-16 owed, no credit" \
  "$(jf '[.balance, .credit] | join(" ")')" "120.00 0.00"
ok --as-of 2026-04-20 verify
# Reversing the transfer too, on 2026-04-12 (before it settled anything): the
# held 1200.00 leaves credit that day and the hold's end is undone on its day.
# On 04-10 the transfer is still held (credit 1200.00); on 04-13 the debit
# still settles the invoice (returned 04-14) and nothing is held; from 04-14
# the 1200.00 is owed again.
ok --as-of 2026-04-20 payment reverse "$P2" --reason "recalled" --date 2026-04-12
for check in "2026-04-10 120.00 1200.00" "2026-04-13 120.00 0.00" "2026-04-14 1320.00 0.00"; do
  set -- $check
  ok --as-of "$1" --format json status k2
  expect_eq "K2 after both reversals, on $1" "$(jf '[.balance, .credit] | join(" ")')" "$2 $3"
done
ok --as-of 2026-04-20 --format json status k2
expect_eq "K2 after both reversals, today" "$(jf '[.balance, .credit] | join(" ")')" "1320.00 0.00"
ok --as-of 2026-04-20 verify

# K2, credit note. 500.00 HT = 600.00 TTC issued 2026-05-04, paid by SEPA on
# 2026-05-06, the debit returned 2026-05-15; then a partial credit note of
# 100.00 HT (120.00 TTC) dated 2026-05-11, when the invoice was settled: it
# lowers no balance (0 owed from 05-11 to 05-14) and all 120.00 becomes credit;
# the invoice owes its 600.00 again from 05-15.
ok --as-of 2026-05-04 invoice create --customer k3 --kind services --amount 500
F3=$(num k3)
ok --as-of 2026-05-20 --format json pay "$F3" --method sepa --date 2026-05-06 --ref SEPA-3
P3=$(jf '.payment.id')
ok --as-of 2026-05-20 payment reverse "$P3" --reason "returned debit" --date 2026-05-15
ok --as-of 2026-05-20 --format json invoice credit "$F3" --amount 100 --reason "discount" --date 2026-05-11
expect_eq "K2 credit note applied nothing" \
  "$(q "SELECT applied FROM invoice WHERE credit_note = 1 AND cites_id = (SELECT id FROM invoice WHERE number = '$F3')")" "0"
ok --as-of 2026-05-12 --format json status k3
expect_eq "K2 k3 on 05-12: settled, 120.00 credit" "$(jf '[.balance, .credit] | join(" ")')" "0.00 120.00"
ok --as-of 2026-05-20 --format json status k3
expect_eq "K2 k3 today: 600.00 owed, 120.00 credit" "$(jf '[.balance, .credit] | join(" ")')" "600.00 120.00"
ok --as-of 2026-05-20 verify

finish
