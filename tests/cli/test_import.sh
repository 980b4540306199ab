# End-to-end: import payments FILE.csv (issue 7): matching by invoice number,
# the rules of pay (P2 fees, P3 credit, P6), suspense, idempotency by reference
# (P4), --dry-run, malformed files (exit 2, nothing recorded), standard input.
# Every expected amount is worked by hand in the comment above it.
. "$(dirname "$0")/lib.sh"

ok init
ok customer add acme --name "ACME SAS"
# F-000001 services 1000.00 HT = 1200.00 TTC; F-000002 services 100.00 = 120.00; both 2026-03-01.
ok --as-of 2026-03-01 invoice create --customer acme --kind services --amount 1000
ok --as-of 2026-03-01 invoice create --customer acme --kind services --amount 100
# F-000003: a monthly subscription of 500.00 HT = 600.00 TTC for March.
ok subscription add --customer acme --amount 500 --cycle monthly --start 2026-03-01
ok --as-of 2026-03-01 invoice run --period 2026-03

cat > "$WORK/bank.csv" <<'CSV'
date,amount,reference,label,bank_id
2026-03-10,1200.00,BANK-001,"VIR ACME, F2026-000001",9
2026-03-11,600.00,BANK-002,ACME F2026-000003 march,9
2026-03-12,50.00,BANK-003,"UNKNOWN ""PAYER""",9
2026-03-14,130.00,BANK-004,F2026-000002 + extra,9
2026-03-15,5.00,BANK-005,F2026-000001 again,9
CSV

# --dry-run shows the matching and writes nothing.
snapshot
ok --as-of 2026-03-31 --dry-run --format json import payments "$WORK/bank.csv"
expect_eq "dry-run recorded" "$(jf '[.recorded[].line] | join(",")')" "2,3,5"
expect_eq "dry-run suspense" "$(jf '[.suspense[].line] | join(",")')" "4,6"
expect_eq "dry-run flag" "$(jf .dry_run)" "true"
expect_contains "dry-run notice" "$ERR" "dry run"
expect_unchanged "dry-run import"

ok --as-of 2026-03-31 --format json import payments "$WORK/bank.csv"
expect_eq "recorded" "$(jf '.recorded | length')" "3"
expect_eq "line 2" "$(jf '.recorded[0] | [.line, .invoice, .amount, .reference] | join(" ")')" "2 F2026-000001 1200.00 BANK-001"
expect_eq "line 2 no fee (services by transfer)" "$(jf '.recorded[0].fee_invoice')" "null"
# A transfer on a monthly subscription: fee 20.00 HT + 20 % = 24.00 TTC on F-000004 (P2), not covered by the 600.00.
expect_eq "line 3 fee" "$(jf '.recorded[1].fee_invoice')" "F2026-000004"
# 130.00 on 120.00: 10.00 to customer credit (P3).
expect_eq "line 5 to credit" "$(jf '.recorded[2].to_credit')" "10.00"
expect_eq "suspense reasons" "$(jf '.suspense[0].reason')" "B2: no invoice number (F{YYYY}-{NNNNNN}) in the remittance information"
expect_contains "already paid (P6)" "$(jf '.suspense[1].reason')" "already paid"
expect_eq "no duplicates, no rejected" "$(jf '[(.duplicates | length), (.rejected | length)] | join(" ")')" "0 0"
ok --as-of 2026-03-31 --format json invoice show F2026-000004
expect_eq "fee invoice" "$(jf '.invoice | [.kind, .total_ttc, .balance] | join(" ")')" "fee 24.00 24.00"
ok --as-of 2026-03-31 --format json customer show acme
ok --as-of 2026-03-31 --format json report balance
expect_eq "credit from the overpayment" "$(jf '.customers[0].credit')" "10.00"
ok --as-of 2026-03-31 --format json payment list
expect_eq "payments by reference" "$(jf '[.payments[].ref] | join(",")')" "BANK-001,BANK-002,BANK-004"

# The suspense list: never dropped, quotes kept.
ok --as-of 2026-03-31 --format json report suspense
expect_eq "suspense lines" "$(jf '[.suspense[].reference] | join(",")')" "BANK-003,BANK-005"
expect_eq "suspense label" "$(jf '.suspense[0].label')" 'UNKNOWN "PAYER"'
expect_eq "suspense total" "$(jf .total)" "55.00"

# Importing the same file again records nothing and writes nothing.
snapshot
ok --as-of 2026-03-31 --format json import payments "$WORK/bank.csv"
expect_eq "all duplicates" "$(jf '[(.recorded | length), (.duplicates | length), (.suspense | length)] | join(" ")')" "0 5 0"
expect_eq "duplicate of a payment" "$(jf '.duplicates[0] | [.payment, .invoice] | join(" ")')" "1 F2026-000001"
expect_eq "duplicate of a suspense line" "$(jf '.duplicates[2].payment')" "null"
expect_unchanged "second import"
ok --as-of 2026-03-31 import payments "$WORK/bank.csv"
expect_contains "summary line" "$OUT" "5 line(s): 0 recorded (0.00), 5 duplicate(s), 0 in suspense"

# A known reference with other details: conflict (exit 5), nothing of the file recorded.
printf 'date,amount,reference,label\n2026-03-20,24.00,BANK-NEW,F2026-000004\n2026-03-10,1200.01,BANK-001,F2026-000001\n' > "$WORK/conflict.csv"
expect_exit 5 --as-of 2026-03-31 import payments "$WORK/conflict.csv"
expect_contains "conflict names the line" "$ERR" "line 3: reference 'BANK-001' is already payment 1 with other details: amount 1200.00 (file 1200.01)"
expect_unchanged "conflict"

# Malformed lines: exit 2, every line listed with its number, nothing recorded.
printf 'date,amount,reference,label\n2026-03-20,24.00,BANK-A,F2026-000004\n2026-03-21,12.345,BANK-B,x\n2026-02-30,1,BANK-C,x\n2026-03-22,1,BANK-D\n' > "$WORK/bad.csv"
expect_exit 2 --as-of 2026-03-31 --format json import payments "$WORK/bad.csv"
expect_contains "first malformed line named" "$ERR" "3 malformed line(s), nothing recorded: line 3: invalid amount '12.345'"
expect_eq "rejected lines" "$(jf '[.rejected[].line] | join(",")')" "3,4,5"
expect_contains "rejected reason" "$(jf '.rejected[2].reason')" "3 field(s) where the header has 4"
expect_eq "nothing recorded" "$(jf '.recorded | length')" "0"
expect_exit 2 --as-of 2026-03-31 import payments "$WORK/bad.csv"
expect_contains "table lists the lines" "$OUT" "invalid date '2026-02-30'"
printf 'date,amount,label\n2026-03-20,24.00,x\n' > "$WORK/header.csv"
expect_exit 2 --as-of 2026-03-31 import payments "$WORK/header.csv"
expect_contains "missing column" "$ERR" "line 1: the header 'date,amount,label' lacks 'reference'"
printf 'date,amount,reference,label\n2026-04-01,24.00,BANK-E,F2026-000004\n' > "$WORK/future.csv"
expect_exit 2 --as-of 2026-03-31 import payments "$WORK/future.csv"
expect_contains "future line (P6)" "$ERR" "after the business date 2026-03-31"
expect_exit 3 --as-of 2026-03-31 import payments "$WORK/missing.csv"
expect_contains "missing file" "$ERR" "no file"
expect_exit 2 import
expect_exit 2 import payments
expect_unchanged "malformed files"

# Standard input, an optional method column (card: 2 % fee on what it settles; no fee on a fee invoice).
printf 'date,amount,reference,label,method\n2026-03-25,24.00,CB-1,FEE F2026-000004,card\n' > "$WORK/card.csv"
ok --as-of 2026-03-31 --format json import payments - < "$WORK/card.csv"
expect_eq "stdin recorded" "$(jf '.recorded[0] | [.invoice, .method, .fee_invoice] | join(" ")')" "F2026-000004 card "
ok --as-of 2026-03-31 --format json invoice show F2026-000004
expect_eq "fee paid" "$(jf .invoice.status)" "paid"

# No progress bar when stderr is not a terminal: stderr stays empty.
printf 'date,amount,reference,label\n2026-03-26,1.00,BANK-X,nothing\n' > "$WORK/one.csv"
ok --as-of 2026-03-31 import payments "$WORK/one.csv"
expect_eq "quiet stderr" "$ERR" ""
ok import payments --help
expect_contains "import help example" "$OUT" "Example:"

finish
