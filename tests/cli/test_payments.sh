# End-to-end: payments (issue 3: P1-P6, M4 for fees): pay, pay --from-credit,
# payment list, payment reverse. Every expected amount is worked by hand from
# RULES.md in the comment above it.
. "$(dirname "$0")/lib.sh"

A="--as-of 2026-02-10"
ok init
ok customer add acme --name "ACME SAS"
ok customer add beta --name "Beta SARL"
# F2026-000001: monthly 100.00 HT -> 120.00 TTC; F2026-000002: annual 12 x 100.00 =
# 1200.00 HT -> 1440.00 TTC; both issued 2026-01-01.
ok subscription add --customer acme --amount 100 --cycle monthly --start 2026-01-01
ok subscription add --customer acme --amount 100 --cycle annual --start 2026-01-01
ok --as-of 2026-01-01 invoice run --period 2026-01
# F2026-000003: 1000.00 HT + 20 % = 1200.00 TTC, issued 2026-02-01, due 2026-03-03.
ok --as-of 2026-02-01 invoice create --customer acme --kind services --amount 1000

# Issue 1 / P2, P3, M4: a card payment of the whole invoice, no --amount.
# Fee 2 % x 1200.00 = 24.00 HT, VAT 4.80, 28.80 TTC; amount 1200.00 + 28.80 = 1228.80.
ok $A --format json pay F2026-000003 --method card
expect_eq "card amount" "$(jf .payment.amount)" "1228.80"
expect_eq "card payment" "$(jf '.payment | [.invoice, .method, .date] | join(" ")')" "F2026-000003 card 2026-02-10"
expect_eq "card fee" "$(jf '.fees[0] | [.kind, .total_ht, .vat, .total_ttc, .issue_date, .due_date, .status] | join(" ")')" \
  "fee 24.00 4.80 28.80 2026-02-10 2026-03-12 paid"
expect_eq "fee rule" "$(jf '.fees[0].lines[0].rule')" "P2"
FEE1=$(jf '.fees[0].number')
expect_eq "fee invoice linked" "$(jf .payment.fee_invoice)" "$FEE1"
expect_eq "invoice paid" "$(jf '.invoice | [.status, .balance] | join(" ")')" "paid 0.00"
expect_eq "not a duplicate" "$(jf .duplicate)" "false"
expect_eq "no credit" "$(jf .credit)" "0.00"

# A partial card payment of 600.00 on a second 1200.00 invoice:
# fee 2 % x 600.00 = 12.00 HT + 2.40 VAT = 14.40 TTC, unpaid; balance 1200.00 - 600.00 = 600.00.
ok --as-of 2026-02-10 --format json invoice create --customer acme --kind services --amount 1000
F_PART=$(jf .invoice.number)
ok $A --format json pay "$F_PART" --method card --amount 600
expect_eq "partial status" "$(jf '.invoice | [.status, .balance] | join(" ")')" "partially-paid 600.00"
expect_eq "partial fee" "$(jf '.fees[0] | [.total_ht, .total_ttc, .status, .balance] | join(" ")')" \
  "12.00 14.40 open 14.40"

# Transfer on the monthly subscription: 20.00 HT + 4.00 VAT = 24.00 TTC; 120.00 + 24.00 = 144.00.
ok $A --format json pay F2026-000001 --method transfer
expect_eq "monthly transfer fee" "$(jf '.fees[0] | [.total_ht, .total_ttc] | join(" ")')" "20.00 24.00"
expect_eq "monthly transfer amount" "$(jf .payment.amount)" "144.00"
# Transfer on the annual one: no fee; the balance 1440.00.
ok $A --format json pay F2026-000002 --method transfer
expect_eq "annual transfer no fee" "$(jf '.fees | length') $(jf .payment.amount) $(jf .invoice.status)" "0 1440.00 paid"

# Set-up by transfer (500.00 HT -> 600.00 TTC): no fee. SEPA (services 600.00 TTC): no fee.
ok --as-of 2026-02-10 --format json invoice create --customer acme --kind setup --amount 500
F_SETUP=$(jf .invoice.number)
ok $A --format json pay "$F_SETUP" --method transfer
expect_eq "setup transfer no fee" "$(jf '.fees | length') $(jf .payment.amount)" "0 600.00"
ok --as-of 2026-02-10 --format json invoice create --customer acme --kind services --amount 500
F_SEPA=$(jf .invoice.number)
ok $A --format json pay "$F_SEPA" --method sepa
expect_eq "sepa no fee" "$(jf '.fees | length') $(jf .payment.amount)" "0 600.00"

# Other with its detail: 20.00 HT per payment; without detail: exit 2, nothing written.
ok --as-of 2026-02-10 --format json invoice create --customer acme --kind services --amount 100
F_OTHER=$(jf .invoice.number)
snapshot
expect_exit 2 $A pay "$F_OTHER" --method other
expect_unchanged "other without detail"
ok $A --format json pay "$F_OTHER" --method other --detail "cheque 123"
expect_eq "other detail" "$(jf .payment.detail)" "cheque 123"
# 120.00 + 20.00 HT fee + 4.00 VAT = 144.00
expect_eq "other fee" "$(jf '.fees[0].total_ht') $(jf .payment.amount)" "20.00 144.00"

# A waived fee: no fee invoice, the reason recorded; an empty reason is a usage error.
ok --as-of 2026-02-10 --format json invoice create --customer acme --kind services --amount 100
F_WAIVE=$(jf .invoice.number)
snapshot
expect_exit 2 $A pay "$F_WAIVE" --method card --waive-fee ""
expect_unchanged "empty waive reason"
ok $A --format json pay "$F_WAIVE" --method card --waive-fee "key account: agreed by sales"
expect_eq "waived" "$(jf '.fees | length') $(jf .payment.waive_reason) $(jf .payment.amount)" \
  "0 key account: agreed by sales 120.00"
expect_eq "waived fee decision" "$(jf '.fee | [.amount_ht, .waived] | join(" ")')" "2.40 true"  # 2 % x 120.00

# Issue 2 / P3: an overpayment leaves credit, seen by customer show, used by --from-credit.
# beta: 100.00 HT -> 120.00 TTC paid 200.00 by SEPA: 80.00 to credit.
ok --as-of 2026-02-10 --format json invoice create --customer beta --kind services --amount 100
F_OVER=$(jf .invoice.number)
ok $A --format json pay "$F_OVER" --method sepa --amount 200
expect_eq "overpayment credit" "$(jf .to_credit) $(jf .credit)" "80.00 80.00"
ok $A --format json customer show beta
expect_eq "customer show credit" "$(jf .customer.credit)" "80.00"
ok $A customer show beta
expect_contains "customer show table credit" "$OUT" "Credit: 80.00"
ok $A --format json status beta
expect_eq "status credit" "$(jf .credit)" "80.00"
# 50.00 HT -> 60.00 TTC settled from credit: 80.00 - 60.00 = 20.00 left.
ok --as-of 2026-02-10 --format json invoice create --customer beta --kind services --amount 50
F_CREDIT=$(jf .invoice.number)
snapshot
expect_exit 2 $A pay "$F_CREDIT" --from-credit --method card
expect_exit 4 $A pay "$F_CREDIT" --from-credit --amount 60.01
expect_unchanged "from-credit refusals"
ok $A --format json pay "$F_CREDIT" --from-credit
expect_eq "from credit" "$(jf .payment.method) $(jf .payment.amount) $(jf .invoice.status) $(jf .credit)" \
  "credit 60.00 paid 20.00"
ok $A --format json customer show beta
expect_eq "credit left" "$(jf .customer.credit)" "20.00"
ok --as-of 2026-02-10 --format json invoice create --customer beta --kind services --amount 100
F_CREDIT2=$(jf .invoice.number)
ok $A --format json pay "$F_CREDIT2" --from-credit
# 120.00 owed, 20.00 of credit: 100.00 left.
expect_eq "credit partly" "$(jf .payment.amount) $(jf .invoice.balance) $(jf .credit)" "20.00 100.00 0.00"
snapshot
expect_exit 4 $A pay "$F_CREDIT2" --from-credit
expect_contains "no credit message" "$ERR" "no credit"
expect_unchanged "no credit left"

# Issue 3 / P4: the same reference twice is one payment; other details exit 5.
ok --as-of 2026-02-10 --format json invoice create --customer acme --kind services --amount 100
F_REF=$(jf .invoice.number)
ok $A --format json pay "$F_REF" --method transfer --ref TX-0001
REF_ID=$(jf .payment.id)
expect_eq "ref recorded" "$(jf .payment.ref)" "TX-0001"
snapshot
ok $A --format json pay "$F_REF" --method transfer --ref TX-0001
expect_eq "duplicate" "$(jf .duplicate) $(jf .payment.id)" "true $REF_ID"
expect_unchanged "duplicate writes nothing"
ok $A pay "$F_REF" --method transfer --ref TX-0001 --amount 120
expect_contains "duplicate said" "$OUT" "Duplicate"
expect_unchanged "duplicate with the same amount"
expect_exit 5 $A pay "$F_REF" --method transfer --ref TX-0001 --amount 100
expect_contains "conflict names the payment" "$ERR" "payment $REF_ID"
expect_exit 5 $A pay "$F_REF" --method card --ref TX-0001
expect_exit 2 $A pay "$F_REF" --method transfer --ref ""
expect_exit 2 $A pay "$F_REF" --method transfer --ref "$(printf 'x%.0s' {1..129})"
expect_exit 2 $A pay "$F_REF" --method transfer --ref $'REF\xff'
expect_contains "invalid UTF-8 shown" "$ERR" "'REF\xff'"
expect_exit 2 $A pay "$F_REF" --method other --detail $'cheque\n123'
expect_unchanged "ref conflicts and bad refs"

# Issue 5 / P6 and refusals, each leaving the ledger unchanged.
ok --as-of 2026-02-10 --format json invoice create --customer acme --kind services --amount 100
F_OPEN=$(jf .invoice.number)
ok --as-of 2026-02-10 --format json invoice create --customer acme --kind services --amount 100
F_VOID=$(jf .invoice.number)
ok $A --format json invoice void "$F_VOID" --reason "wrong customer"
NOTE=$(jf .credit_note.number)
snapshot
expect_exit 4 $A pay "$F_OPEN" --method sepa --date 2026-01-31
expect_contains "before issue" "$ERR" "P6"
expect_unchanged "dated before the issue date"
expect_exit 4 $A pay "$F_OPEN" --method sepa --date 2026-02-11
expect_contains "after business date" "$ERR" "business date"
expect_unchanged "dated after the business date"
expect_exit 2 $A pay "$F_OPEN" --method sepa --amount 0
expect_unchanged "amount 0"
expect_exit 2 $A pay "$F_OPEN" --method sepa --amount -5
expect_unchanged "negative amount"
expect_exit 2 $A pay "$F_OPEN" --method cheque
expect_unchanged "unknown method"
expect_exit 2 $A pay "$F_OPEN"
expect_unchanged "no method"
expect_exit 3 $A pay F2026-999999 --method sepa
expect_unchanged "unknown invoice"
expect_exit 4 $A pay "$F_VOID" --method sepa
expect_contains "void refused" "$ERR" "void"
expect_unchanged "void invoice"
expect_exit 4 $A pay "$NOTE" --method sepa
expect_unchanged "credit note"
expect_exit 4 $A pay F2026-000003 --method sepa --amount 10
expect_contains "paid shows balance" "$ERR" "balance 0.00"
expect_unchanged "paid invoice"
# A dry run computes everything and writes nothing.
ok $A --dry-run --format json pay "$F_OPEN" --method sepa
expect_eq "dry run result" "$(jf .invoice.status) $(jf .dry_run)" "paid true"
expect_unchanged "dry run"

# Issue 4 / P5: a SEPA debit returned. F_SEPA (600.00, due 2026-03-03) paid 2026-02-10;
# reversed 2026-03-20: paid as of 2026-03-19, open (and late again) from 2026-03-20.
ok $A --format json payment list --invoice "$F_SEPA"
SEPA_ID=$(jf '.payments[0].id')
snapshot
expect_exit 4 --as-of 2026-04-08 payment reverse "$SEPA_ID" --reason "returned"  # 8 weeks = up to 2026-04-07
expect_contains "sepa window" "$ERR" "P5"
expect_exit 4 --as-of 2026-03-20 payment reverse "$SEPA_ID" --reason "returned" --date 2026-02-09
expect_exit 4 --as-of 2026-03-20 payment reverse "$SEPA_ID" --reason "returned" --date 2026-03-21
expect_exit 2 --as-of 2026-03-20 payment reverse abc --reason "returned"
expect_exit 3 --as-of 2026-03-20 payment reverse 9999 --reason "returned"
expect_unchanged "reversal refusals"
ok --as-of 2026-03-20 --format json payment reverse "$SEPA_ID" --reason "SEPA debit returned: insufficient funds"
expect_eq "reversed" "$(jf .payment.reversed_on) $(jf '.invoices[0].number') $(jf '.invoices[0].balance')" \
  "2026-03-20 $F_SEPA 600.00"
ok --as-of 2026-03-19 --format json invoice show "$F_SEPA"
expect_eq "paid before the reversal" "$(jf .invoice.status)" "paid"
ok --as-of 2026-03-20 --format json invoice show "$F_SEPA"
expect_eq "open from the reversal" "$(jf '.invoice | [.status, .balance] | join(" ")')" "open 600.00"
expect_eq "journal keeps both" \
  "$(sqlite3 "$TALLY_DB" "SELECT COUNT(*) FROM journal WHERE kind IN ('pay', 'payment.reverse') AND payload LIKE '%\"id\":$SEPA_ID,%'")" "2"
snapshot
expect_exit 5 --as-of 2026-03-21 payment reverse "$SEPA_ID" --reason "again"
expect_unchanged "second reversal"
# A card chargeback: the fee invoice stays owed (its 28.80 was paid by the reversed money).
ok --as-of 2026-03-20 --format json payment list --invoice F2026-000003
CARD_ID=$(jf '.payments[0].id')
ok --as-of 2026-05-20 --format json payment reverse "$CARD_ID" --reason chargeback
expect_eq "chargeback reopens" "$(jf '[.invoices[] | .balance] | join(" ")')" "1200.00 28.80"
ok --as-of 2026-05-20 --format json invoice show "$FEE1"
expect_eq "fee still owed" "$(jf '.invoice | [.status, .balance] | join(" ")')" "open 28.80"
# Reversing the overpayment takes its 80.00 credit back; beta used it already: -80.00.
ok --as-of 2026-02-10 --format json payment list --invoice "$F_OVER"
ok --as-of 2026-02-12 --format json payment reverse "$(jf '.payments[0].id')" --reason "recalled" --date 2026-02-12
expect_eq "credit taken back" "$(jf .credit)" "-80.00"

# Issue 6: payment list, filters, formats, as of a date.
ok --as-of 2026-03-19 --format json payment list --customer beta
# beta: the overpayment, two settlements from credit.
expect_eq "beta payments" "$(jf '[.payments[].method] | join(",")')" "sepa,credit,credit"
ok --as-of 2026-03-19 --format json payment list --method card
expect_eq "card payments" "$(jf '.payments | length')" "3"  # full, partial, waived
ok --as-of 2026-03-19 --format json payment list --invoice "$F_SEPA"
expect_eq "reversal not yet shown" "$(jf '.payments[0].reversed_on')" "null"
ok --as-of 2026-03-20 --format json payment list --invoice "$F_SEPA"
expect_eq "reversal shown" "$(jf '.payments[0] | [.reversed_on, .reverse_reason] | join(" ")')" \
  "2026-03-20 SEPA debit returned: insufficient funds"
ok --as-of 2026-02-09 --format json payment list
expect_eq "none before the first payment" "$(jf '.payments | length')" "0"
ok --as-of 2026-03-20 --format json payment list --invoice "$FEE1"
expect_eq "fee invoice lists the payment that paid it" "$(jf '.payments[0].id')" "$CARD_ID"
ok --as-of 2026-03-20 --format csv payment list --customer beta
expect_eq "csv header" "$(printf '%s' "$OUT" | head -1 | tr -d '\r')" \
  "id,date,customer,invoice,method,amount,ref,fee_invoice,reversed_on"
expect_eq "csv rows" "$(printf '%s\n' "$OUT" | tail -n +2 | wc -l)" "3"
ok --as-of 2026-03-20 payment list --customer beta
expect_contains "table" "$OUT" "3 payment(s)"
expect_exit 3 payment list --customer nobody
expect_exit 3 payment list --invoice F2026-999999
expect_exit 2 payment list --method cheque

# --help of each command has an example.
ok pay --help
expect_contains "pay example" "$OUT" "Example:"
ok payment list --help
expect_contains "list example" "$OUT" "Example:"
ok payment reverse --help
expect_contains "reverse example" "$OUT" "Example:"

finish
