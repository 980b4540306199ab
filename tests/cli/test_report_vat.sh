# End-to-end, issue 21 item 7 (A1): tally report vat --month YYYY-MM, the VAT
# of a month by rate on what was received (default), or on what was invoiced
# once the seller opted for VAT on debits (E2). Values worked by hand from
# RULES.md (M2, M3, P2) in the comments.
. "$(dirname "$0")/lib.sh"

ok init
ok customer add acme --name "ACME SAS"
ok customer add beta --name "Beta SARL" --vat-rate 5.5
# F2026-000001 acme 1000.00 HT + 20 % = 200.00 VAT: 1200.00.
ok --as-of 2026-03-02 invoice create --customer acme --kind services --amount 1000
# Payment 1: 300.00 by transfer (services: no fee, P2).
ok --as-of 2026-03-10 pay F2026-000001 --method transfer --amount 300
# F2026-000002 beta 200.00 HT + 5.5 % = 11.00 VAT: 211.00; payment 2: 100.00 by SEPA (no fee).
ok --as-of 2026-03-15 invoice create --customer beta --kind services --amount 200
ok --as-of 2026-03-20 pay F2026-000002 --method sepa --amount 100
# Payment 3: acme pays the rest, 900.00, by card: fee 2 % x 900.00 = 18.00 HT + 3.60 VAT = 21.60
# (F2026-000003); 921.60 received.
ok --as-of 2026-03-25 pay F2026-000001 --method card
snapshot

# ---- Receipts (the default regime): each amount settled carries its invoice's share of VAT (M3 rounding).
# 20 %: payment 1: 300.00 x 200.00 / 1200.00 = 50.00 VAT, base 250.00;
#       payment 3 on F1: 900.00 x 200.00 / 1200.00 = 150.00, base 750.00; on the fee: 21.60 x 3.60 / 21.60 = 3.60,
#       base 18.00. Total 20 %: base 250.00 + 750.00 + 18.00 = 1018.00, VAT 50.00 + 150.00 + 3.60 = 203.60.
# 5.5 %: payment 2: 100.00 x 11.00 / 211.00 = 5.2132 -> 5.21, base 100.00 - 5.21 = 94.79.
# Total: base 1112.79, VAT 208.81; received 300.00 + 100.00 + 921.60 = 1321.60.
ok --as-of 2026-04-01 --format json report vat --month 2026-03
expect_eq "regime" "$(jf .regime) $(jf .complete)" "receipts true"
expect_eq "by rate" "$(jf '.by_rate[] | [.rate, .ca3_line, .base, .vat] | join(" ")' | tr '\n' ';')" \
  "5.50 09 94.79 5.21;20.00 08 1018.00 203.60;"
expect_eq "total" "$(jf '.total.base + " " + .total.vat')" "1112.79 208.81"
expect_eq "received" "$(jf .receipts.received)" "1321.60"
ok --as-of 2026-04-01 --format csv report vat --month 2026-03
expect_eq "csv" "$(printf '%s' "$OUT" | tr -d '\r')" "rate,ca3_line,base,vat
5.50,09,94.79,5.21
20.00,08,1018.00,203.60
TOTAL,,1112.79,208.81"
ok --as-of 2026-04-01 report vat --month 2026-03
expect_contains "table" "$OUT" "TOTAL"
expect_contains "table says receipts" "$OUT" "VAT on receipts"
# February: nothing received.
ok --as-of 2026-04-01 --format json report vat --month 2026-02
expect_eq "february" "$(jf '.by_rate | length') $(jf .total.vat)" "0 0.00"
# A month still running is provisional: March on 2026-03-15 counts payment 1 only: 50.00.
ok --as-of 2026-03-15 --format json report vat --month 2026-03
expect_eq "provisional" "$(jf .complete) $(jf .total.vat)" "false 50.00"

# ---- April: payment 2 returned (P5) takes its VAT back; a credit note on the paid F1 gives back its VAT.
ok --as-of 2026-04-03 payment reverse 2 --reason "returned debit" --date 2026-04-03
# AV2026-000001: 100.00 HT + 20.00 VAT = 120.00 on the paid F1, all to acme's credit: 120.00 x 20 / 120 = 20.00.
ok --as-of 2026-04-05 invoice credit F2026-000001 --amount 100 --reason "outage"
ok --as-of 2026-05-01 --format json report vat --month 2026-04
expect_eq "april by rate" "$(jf '.by_rate[] | [.rate, .base, .vat] | join(" ")' | tr '\n' ';')" \
  "5.50 -94.79 -5.21;20.00 -100.00 -20.00;"
expect_eq "april" "$(jf .receipts.reversed) $(jf .receipts.credited_paid)" "100.00 120.00"
snapshot

# ---- Debits (the seller's option, E2): VAT of what was invoiced in the month, M2 per document and rate.
ok --as-of 2026-01-01 seller set vat_regime debits --effective 2026-01-01
# March: F1 1000.00 (200.00), F3 the fee 18.00 (3.60): 20 % base 1018.00, VAT 203.60; F2 200.00 at 5.5 %: 11.00.
# Invoiced incl. VAT: 1200.00 + 211.00 + 21.60 = 1432.60.
ok --as-of 2026-05-01 --format json report vat --month 2026-03
expect_eq "debits" "$(jf .regime) $(jf '.by_rate[] | [.rate, .base, .vat] | join(" ")' | tr '\n' ';')" \
  "debits 5.50 200.00 11.00;20.00 1018.00 203.60;"
expect_eq "debits invoiced" "$(jf .debits.invoiced)" "1432.60"
# April: the credit note only: -100.00 and -20.00.
ok --as-of 2026-05-01 --format json report vat --month 2026-04
expect_eq "debits april" "$(jf '.total.base + " " + .total.vat')" "-100.00 -20.00"
snapshot

# ---- Back to receipts from May: three transfers of 400.00 on F2026-000004 (1000.00 + 200.00 = 1200.00).
# Each alone would carry 400.00 x 200 / 1200 = 66.666 -> 66.67 (200.01 in all); the shares are cumulated per
# invoice: 66.67, then 800.00 -> 133.33 - 66.67 = 66.66, then 200.00 - 133.33 = 66.67: 200.00 on 1000.00.
ok --as-of 2026-05-01 seller set vat_regime receipts --effective 2026-05-01
ok --as-of 2026-05-02 invoice create --customer acme --kind services --amount 1000
for day in 03 04 05; do ok --as-of 2026-05-$day pay F2026-000004 --method transfer --amount 400; done
ok --as-of 2026-06-01 --format json report vat --month 2026-05
expect_eq "three thirds" "$(jf .regime) $(jf '.by_rate[] | [.rate, .base, .vat] | join(" ")')" "receipts 20.00 1000.00 200.00"
snapshot

# ---- Bad input: exit 2, one line naming the value, nothing written.
expect_exit 2 --as-of 2026-05-01 report vat --month 2026-13
expect_contains "names the value" "$ERR" "2026-13"
expect_exit 2 --as-of 2026-05-01 report vat --month 03-2026
expect_exit 2 --as-of 2026-05-01 report vat
expect_exit 2 --as-of 2026-05-01 report vat --month 2026-06
expect_contains "future" "$ERR" "after the business date"
expect_exit 2 --as-of 2026-05-01 --format html report vat --month 2026-03
expect_unchanged "report vat reads only"

finish
