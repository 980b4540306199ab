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

# K3: a partial credit note, then a void, credited one cent less (or more) than the
# invoice, because each note's VAT is rounded on its own (M3): the voided invoice
# stayed owed 0.01. The note completing the crediting now carries the VAT left.
ok --as-of 2026-06-01 customer add cent --name "Cent SARL"
# F-000004: 1000.04 HT, VAT 200.008 -> 200.01, 1200.05 TTC.
# F-000005: 1000.06 HT, VAT 200.012 -> 200.01, 1200.07 TTC.
ok --as-of 2026-06-02 invoice create --customer cent --kind services --amount 1000.04
ok --as-of 2026-06-02 invoice create --customer cent --kind services --amount 1000.06
# AV-000003: 500.02 HT, VAT 100.004 -> 100.00, 600.02: 1200.05 - 600.02 = 600.03 left.
# AV-000004: 500.03 HT, VAT 100.006 -> 100.01, 600.04: 1200.07 - 600.04 = 600.03 left.
ok --as-of 2026-06-03 --format json invoice credit F2026-000004 --amount 500.02 --reason "half"
expect_eq "K3 partial, rounding down" "$(jf '.credit_note | [.total_ht, .vat, .total_ttc] | join(" ")') $(jf .invoice.balance)" \
  "500.02 100.00 600.02 600.03"
ok --as-of 2026-06-03 --format json invoice credit F2026-000005 --amount 500.03 --reason "half"
expect_eq "K3 partial, rounding up" "$(jf '.credit_note | [.total_ht, .vat, .total_ttc] | join(" ")') $(jf .invoice.balance)" \
  "500.03 100.01 600.04 600.03"
# The voids credit the 500.02 (500.03) HT left and the 600.03 TTC left: VAT 100.01
# (M3 would give 100.00) and 100.00 (M3: 100.01). Both invoices end void, owing 0.00.
ok --as-of 2026-06-04 --format json invoice void F2026-000004 --reason "cancelled"
expect_eq "K3 void carries the cent" \
  "$(jf '.credit_note | [.number, .total_ht, .vat, .total_ttc] | join(" ")') $(jf '.invoice | [.balance, .status] | join(" ")')" \
  "AV2026-000005 500.02 100.01 600.03 0.00 void"
ok --as-of 2026-06-04 --format json invoice void F2026-000005 --reason "cancelled"
expect_eq "K3 void gives the cent back" \
  "$(jf '.credit_note | [.number, .total_ht, .vat, .total_ttc] | join(" ")') $(jf '.invoice | [.balance, .status] | join(" ")')" \
  "AV2026-000006 500.03 100.00 600.03 0.00 void"
ok --as-of 2026-06-04 --format json status cent
expect_eq "K3 nothing owed" "$(jf .balance)" "0.00"
# The VAT of June nets to zero at 20 %: invoiced 200.01 + 200.01 = 400.02, credited
# 100.00 + 100.01 + 100.01 + 100.00 = 400.02, on 2000.10 HT each way.
ok --as-of 2026-07-01 --format json report close --month 2026-06
expect_eq "K3 close report VAT" \
  "$(jf '.vat_by_rate[] | select(.rate == "20.00") | [.invoiced_ht, .invoiced_vat, .credited_ht, .credited_vat, .net_vat] | join(" ")')" \
  "2000.10 400.02 2000.10 400.02 0.00"
# The FEC books the void's VAT as its document says: 100.01 debited to 44571.
ok --as-of 2026-07-01 export fec --from 2026-06-01 --to 2026-06-30 -o "$WORK/k3.txt"
expect_eq "K3 FEC VAT of the void" \
  "$(iconv -f ISO-8859-15 -t UTF-8 "$WORK/k3.txt" | tr -d '\r' | awk -F'|' '$9 == "AV2026-000005" && $5 ~ /^4457/ { print $12 "/" $13 }')" "100,01/0,00"
# The CII says so too: BT-117 and BT-110 100.01, BT-112 600.03 (E2 first: the
# seller's identity).
for kv in "legal_form SAS" "share_capital 10000" "siren 552120222" "rcs_city Paris" "vat_number FR27552120222" \
  "iban FR1420041010050500013M02606" "bic SOGEFRPP"; do
  set -- $kv
  ok --as-of 2026-07-01 seller set "$1" "$2" --effective 2026-01-01
done
mkdir -p "$WORK/k3cii"
ok --as-of 2026-07-01 invoice export AV2026-000005 --as cii --dir "$WORK/k3cii"
CII=$(ls "$WORK"/k3cii/*.xml)
if command -v xmllint >/dev/null 2>&1; then
  xp() { xmllint --xpath "string($1)" "$CII" 2>/dev/null; }
  expect_eq "K3 CII amounts" \
    "$(xp '//*[local-name()="ApplicableTradeTax"]/*[local-name()="CalculatedAmount"]') $(xp '//*[local-name()="TaxTotalAmount"]') $(xp '//*[local-name()="GrandTotalAmount"]')" \
    "100.01 100.01 600.03"
else
  echo "test_model_findings: skipped the K3 CII amounts: no xmllint" >&2
fi
ok --as-of 2026-07-01 verify

finish
