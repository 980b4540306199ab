# End-to-end: what the model-based test (tests/model/model.py) found, pinned
# with values computed by hand from RULES.md.
. "$(dirname "$0")/lib.sh"

ok init
ok --as-of 2026-05-01 customer add acme --name "ACME SAS"
# F-000001 services 100.00 HT + 20 % = 120.00 TTC; F-000002 services 10.00 HT = 12.00 TTC.
ok --as-of 2026-05-01 invoice create --customer acme --kind services --amount 100
ok --as-of 2026-05-01 invoice create --customer acme --kind services --amount 10
# 150.00 by SEPA (no fee) on the 120.00: 30.00 of customer credit (P3).
ok --as-of 2026-05-02 --format json pay F2026-000001 --method sepa --amount 150
expect_eq "overpayment" "$(jf .credit)" "30.00"
# 5.00 of that credit on F-000002 on 2026-05-20: 12.00 - 5.00 = 7.00 left, 25.00 of credit.
ok --as-of 2026-05-20 --format json pay F2026-000002 --from-credit --amount 5
expect_eq "from credit" "$(jf .invoice.balance) $(jf .credit)" "7.00 25.00"

# I3: a void dated 2026-05-10, recorded on 2026-05-20. The credit note credits the
# whole 12.00 TTC; the 7.00 still owed on the business date is cleared, the 5.00
# already paid goes back to credit: 25.00 + 5.00 = 30.00. The invoice it returns is
# the one of the business date, paid 5.00, balance 0.00 (it showed the invoice as of
# 2026-05-10, before the payment: balance 5.00, partially-paid).
ok --as-of 2026-05-20 --format json invoice void F2026-000002 --reason "wrong customer" --date 2026-05-10
expect_eq "void note" "$(jf '.credit_note | [.number, .issue_date, .total_ttc] | join(" ")')" \
  "AV2026-000001 2026-05-10 12.00"
expect_eq "void: the invoice on the business date" "$(jf '.invoice | [.paid, .balance] | join(" ")')" "5.00 0.00"
ok --as-of 2026-05-20 --format json invoice show F2026-000002
expect_eq "invoice show agrees" "$(jf '.invoice | [.paid, .balance, .status] | join(" ")')" "5.00 0.00 paid"
ok --as-of 2026-05-20 --format json status acme
expect_eq "status" "$(jf .balance) $(jf .credit)" "0.00 30.00"

# The same for a partial credit: F-000003 services 50.00 HT = 60.00 TTC, 60.00 paid by
# SEPA on 2026-05-25, then 10.00 HT (12.00 TTC) credited with --date 2026-05-22 on
# 2026-05-26: on the business date it is paid, balance 0.00, the 12.00 to credit
# (30.00 + 12.00 = 42.00).
ok --as-of 2026-05-22 invoice create --customer acme --kind services --amount 50
ok --as-of 2026-05-25 pay F2026-000003 --method sepa
ok --as-of 2026-05-26 --format json invoice credit F2026-000003 --amount 10 --reason "goodwill" --date 2026-05-22
expect_eq "credit: the invoice on the business date" "$(jf '.invoice | [.paid, .balance] | join(" ")')" "60.00 0.00"
ok --as-of 2026-05-26 --format json status acme
expect_eq "credit to the customer" "$(jf .credit)" "42.00"
ok --as-of 2026-05-26 verify

finish
