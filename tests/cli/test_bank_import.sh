# End-to-end, issue 21 items 1-4: bank statements in (CAMT.053, CFONB 120, OFX,
# a bank CSV with rules, tally's own CSV), B1 (reconciled or refused, debits
# skipped, SEPA batches split, empty statements), B2 matching (invoice number,
# amount within what the customer owes, payer consistent with the customer)
# and suspense resolution (assign, dismiss, report suspense). Every expected
# value is worked by hand from RULES.md in the comment above it.
. "$(dirname "$0")/lib.sh"
SRC=${TALLY_SOURCE_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}
SHARED="$SRC/../shared/samples/bank"
AS_OF=2026-04-01
events() { sqlite3 "$TALLY_DB" "SELECT COUNT(*) FROM journal WHERE kind = '$1'"; }

ok init
ok --as-of 2026-01-01 customer add acme --name "ACME SAS"
ok --as-of 2026-01-01 customer add globex --name "Globex GmbH" --vat-rate 0 --terms 45
ok --as-of 2026-01-01 customer add initech --name "Initech" --terms 60
# globex's subscription first: March's run issues its invoice before acme's.
ok --as-of 2026-01-01 subscription add --customer globex --amount 800 --cycle quarterly --start 2026-03-01
ok --as-of 2026-01-01 subscription add --customer acme --amount 1500 --cycle monthly --start 2026-01-01
# F-000001 acme January 1500.00 + 20 % = 1800.00; F-000002 February 1800.00;
# March: F-000003 globex 3 x 800.00 at 0 % = 2400.00, F-000004 acme 1800.00.
ok --as-of 2026-01-01 invoice run --period 2026-01
ok --as-of 2026-02-01 invoice run --period 2026-02
ok --as-of 2026-03-01 invoice run --period 2026-03
# F-000005 initech services 1000.00 + 20 % = 1200.00; F-000006 500.00 + 20 % = 600.00;
# F-000007 acme set-up 5000.00 + 20 % = 6000.00.
ok --as-of 2026-03-02 invoice create --customer initech --kind services --amount 1000
ok --as-of 2026-03-02 invoice create --customer initech --kind services --amount 500
ok --as-of 2026-03-02 invoice create --customer acme --kind setup --amount 5000
ok --as-of 2026-03-02 --format json invoice show F2026-000003
expect_eq "F-000003 is globex's 2400.00" "$(jf '.invoice | [.customer, .total_ttc] | join(" ")')" "globex 2400.00"

# ---- The demo defect (B2), in tally's own CSV: 6000.00 naming F-000003 paid
# Globex's 2400.00 invoice and its 20.00 transfer fee, leaving 3580.00 as Globex
# credit. Globex owes 2400.00, plus the 20.00 fee the payment would trigger
# (transfer on a quarterly subscription, 0 % VAT): at most 2420.00 -> suspense.
cat > "$WORK/defect.csv" <<'CSV'
date,amount,reference,label,method
2026-03-20,6000.00,BNK-2603-0001,VIR SEPA ACME SAS SETUP F2026-000003,transfer
CSV
ok --as-of $AS_OF --format json import payments "$WORK/defect.csv"
expect_eq "defect: nothing recorded" "$(jf '.recorded | length')" "0"
expect_eq "defect: suspense" "$(jf '.suspense[0].reason')" \
  "B2: amount 6000.00 for F2026-000003 is above what customer globex owes (2400.00 plus the fee 20.00 this payment triggers: at most 2420.00)"
ok --as-of $AS_OF --format json status globex
expect_eq "defect: globex has no credit, owes 2400.00" "$(jf '[.credit, .balance] | join(" ")')" "0.00 2400.00"

# ---- suspense assign: the 6000.00 was ACME's set-up, F-000007 (set-up by
# transfer: no fee, P2). Line 1.
snapshot
ok --as-of $AS_OF --dry-run suspense assign 1 --invoice F2026-000007
expect_unchanged "dry-run assign"
ok --as-of $AS_OF --format json suspense assign 1 --invoice F2026-000007
expect_eq "assign: payment" "$(jf '.payment | [.invoice, .amount, .method, .date, .ref] | join(" ")')" \
  "F2026-000007 6000.00 transfer 2026-03-20 BNK-2603-0001#s1"
expect_eq "assign: invoice paid, no fee" "$(jf '[.invoice.balance, .invoice.status, (.fees | length)] | join(" ")')" \
  "0.00 paid 0"
expect_eq "assign: line resolved" "$(jf '.line | [.status, .open] | join(" ")')" "assigned 0.00"
expect_eq "assign: journaled" "$(events suspense.assign) $(events pay)" "1 1"
snapshot
expect_exit 5 --as-of $AS_OF suspense assign 1 --invoice F2026-000007
expect_contains "assigned twice" "$ERR" "suspense line 1 is already assigned"
expect_exit 3 --as-of $AS_OF suspense assign 99 --invoice F2026-000007
expect_contains "unknown line" "$ERR" "unknown suspense line '99'"
expect_exit 2 --as-of $AS_OF suspense assign x1 --invoice F2026-000007
expect_exit 2 --as-of $AS_OF suspense dismiss 1 --reason ""
expect_unchanged "refused assignments"

# ---- A CAMT.053 of our own (B1, B2, B3, a SEPA batch). acme pays from a known IBAN.
ok --as-of $AS_OF customer iban acme "FR76 3000 6000 0112 3456 7890 189"
ok --as-of $AS_OF --format json customer show acme
expect_eq "acme's known IBAN" "$(jf '.customer.payer_ibans | join(",")')" "FR7630006000011234567890189"
# Removed and added again: one journal event each; adding a known one changes nothing.
ok --as-of $AS_OF --format json customer iban acme FR7630006000011234567890189 --remove
expect_eq "removed" "$(jf '[(.removed | length), (.ibans | length)] | join(" ")')" "1 0"
ok --as-of $AS_OF customer iban acme FR7630006000011234567890189
ok --as-of $AS_OF --format json customer iban acme FR7630006000011234567890189
expect_eq "known again: nothing added" "$(jf '.added | length')" "0"
expect_eq "iban events" "$(events customer.iban.add) $(events customer.iban.remove)" "2 1"
expect_exit 2 --as-of $AS_OF customer iban acme FR7630006000011234567890180
expect_contains "bad IBAN" "$ERR" "FR7630006000011234567890180"

# camt BOOKED-ENTRIES... CLOSING: writes a camt.053.001.08 with those balances and entries.
camt() {
  local open=$1 close=$2; shift 2
  printf '<?xml version="1.0" encoding="UTF-8"?>\n<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.08"><BkToCstmrStmt>
<GrpHdr><MsgId>T</MsgId><CreDtTm>2026-04-01T06:00:00</CreDtTm></GrpHdr><Stmt><Id>TEST-03</Id>
<Acct><Id><IBAN>FR7630004000031234567890143</IBAN></Id></Acct>
<Bal><Tp><CdOrPrtry><Cd>OPBD</Cd></CdOrPrtry></Tp><Amt Ccy="EUR">%s</Amt><CdtDbtInd>CRDT</CdtDbtInd><Dt><Dt>2026-02-28</Dt></Dt></Bal>
<Bal><Tp><CdOrPrtry><Cd>CLBD</Cd></CdOrPrtry></Tp><Amt Ccy="EUR">%s</Amt><CdtDbtInd>CRDT</CdtDbtInd><Dt><Dt>2026-03-31</Dt></Dt></Bal>
%s</Stmt></BkToCstmrStmt></Document>\n' "$open" "$close" "$*"
}
# ntry REF AMOUNT CRDT|DBIT FAMILY PAYER IBAN REMITTANCE: one booked entry with one transaction.
ntry() {
  printf '<Ntry><Amt Ccy="EUR">%s</Amt><CdtDbtInd>%s</CdtDbtInd><Sts><Cd>BOOK</Cd></Sts><BookgDt><Dt>2026-03-25</Dt></BookgDt>
<AcctSvcrRef>%s</AcctSvcrRef><BkTxCd><Domn><Cd>PMNT</Cd><Fmly><Cd>%s</Cd><SubFmlyCd>ESCT</SubFmlyCd></Fmly></Domn></BkTxCd>
<NtryDtls><TxDtls><Amt Ccy="EUR">%s</Amt><CdtDbtInd>%s</CdtDbtInd><RltdPties><Dbtr><Pty><Nm>%s</Nm></Pty></Dbtr>%s</RltdPties>
<RmtInf><Ustrd>%s</Ustrd></RmtInf></TxDtls></NtryDtls></Ntry>\n' "$2" "$3" "$1" "$4" "$2" "$3" "$5" \
    "${6:+<DbtrAcct><Id><IBAN>$6</IBAN></Id></DbtrAcct>}" "$7"
}
# A SEPA direct-debit batch booked as one entry of 1800.00: initech's F-000005
# 1200.00 and F-000006 600.00.
BATCH='<Ntry><Amt Ccy="EUR">1800.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts><Cd>BOOK</Cd></Sts><BookgDt><Dt>2026-03-26</Dt></BookgDt>
<AcctSvcrRef>T-BATCH</AcctSvcrRef><BkTxCd><Domn><Cd>PMNT</Cd><Fmly><Cd>RDDT</Cd><SubFmlyCd>ESDD</SubFmlyCd></Fmly></Domn></BkTxCd>
<NtryDtls><Btch><NbOfTxs>2</NbOfTxs></Btch>
<TxDtls><Refs><EndToEndId>F2026-000005</EndToEndId></Refs><Amt Ccy="EUR">1200.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><RltdPties><Dbtr><Pty><Nm>INITECH</Nm></Pty></Dbtr></RltdPties></TxDtls>
<TxDtls><Refs><EndToEndId>F2026-000006</EndToEndId></Refs><Amt Ccy="EUR">600.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><RltdPties><Dbtr><Pty><Nm>INITECH</Nm></Pty></Dbtr></RltdPties></TxDtls>
</NtryDtls></Ntry>'
# Entries: 1. acme's F-000001 1800.00 by transfer from its known IBAN, under
# another name (the IBAN decides): recorded, fee 20.00 + 20 % = 24.00 (P2:
# transfer on a monthly subscription), F-000008, unpaid (the 1800.00 settles
# the invoice only). 2. GLOBEX GMBH naming F-000003 with 5000.00: above 2400.00
# + 20.00 = 2420.00 -> suspense. 3. INITECH naming acme's F-000002: payer not
# acme -> suspense. 4. the batch: two lines, SEPA (B3): no fee, both recorded.
# 5. a debit of 45.00: skipped, counted. 6. 99.00 naming no invoice -> suspense.
# B1: credits 1800.00 + 5000.00 + 1800.00 + 1800.00 + 99.00 = 10499.00, debits
# 45.00: 1000.00 + 10499.00 - 45.00 = 11454.00.
ENTRIES="$(ntry T-1 1800.00 CRDT RCDT "PARENT HOLDING" FR7630006000011234567890189 "FACTURE F2026-000001")
$(ntry T-2 5000.00 CRDT RCDT "GLOBEX GMBH" "" "F2026-000003")
$(ntry T-3 1800.00 CRDT RCDT "INITECH" "" "F2026-000002")
$BATCH
$(ntry T-5 45.00 DBIT ICDT "FOURNISSEUR" "" "LOYER MARS")
$(ntry T-6 99.00 CRDT RCDT "ASSURANCE MUTUELLE" "" "REMBOURSEMENT SINISTRE 2231")"
camt 1000.00 11454.00 "$ENTRIES" > "$WORK/march.xml"
camt 1000.00 11454.01 "$ENTRIES" > "$WORK/march-gap.xml"

# B1 refused: exit 4 naming the gap (11454.01 - 11454.00 = 0.01); nothing written.
snapshot
expect_exit 4 --as-of $AS_OF import payments "$WORK/march-gap.xml"
expect_contains "B1 refusal" "$ERR" "B1: statement TEST-03 (account FR7630004000031234567890143) does not reconcile"
expect_contains "B1 gap" "$ERR" "= 11454.00, but its closing balance is 11454.01 (gap 0.01)"
expect_unchanged "B1 refusal"
# A CAMT file read as something else, and bad options: exit 2, nothing written.
expect_exit 2 --as-of $AS_OF import payments "$WORK/march.xml" --from cfonb120
expect_exit 2 --as-of $AS_OF import payments "$WORK/march.xml" --from mt940
expect_contains "bad --from" "$ERR" "invalid --from 'mt940': expected camt053, cfonb120, ofx or csv"
expect_exit 2 --as-of $AS_OF import payments "$WORK/march.xml" --from ofx --rules "$SRC/data/bank-rules/fr-bank.rules"
expect_exit 2 --as-of 2026-03-20 import payments "$WORK/march.xml"
expect_contains "entries after the business date" "$ERR" "after the business date 2026-03-20"
expect_unchanged "bad imports"

ok --as-of $AS_OF --format json import payments "$WORK/march.xml"
expect_eq "camt: format" "$(jf .format)" "camt053"
# 6 credits once the batch is split: T-1, T-2, T-3, T-BATCH/1, T-BATCH/2, T-6.
expect_eq "camt: B1" "$(jf '.statements[0] | [.reconciled, .credits, .credit_total, .debits_skipped, .debit_total] | join(" ")')" \
  "true 6 10499.00 1 45.00"
expect_eq "camt: debits skipped" "$(jf .debits_skipped)" "1"
expect_eq "camt: recorded" "$(jf '[.recorded[] | .invoice + " " + .amount + " " + .method] | join(", ")')" \
  "F2026-000001 1800.00 transfer, F2026-000005 1200.00 sepa, F2026-000006 600.00 sepa"
expect_eq "camt: fees" "$(jf '[.recorded[] | .fee_invoice // "-"] | join(" ")')" "F2026-000008 - -"
expect_eq "camt: batch split" "$(jf '[.recorded[1,2].reference] | join(" ")')" "T-BATCH/1 T-BATCH/2"
expect_eq "camt: suspense" "$(jf '[.suspense[].amount] | join(" ")')" "5000.00 1800.00 99.00"
expect_eq "camt: wrong amount" "$(jf '.suspense[0].reason')" \
  "B2: amount 5000.00 for F2026-000003 is above what customer globex owes (2400.00 plus the fee 20.00 this payment triggers: at most 2420.00)"
expect_eq "camt: wrong payer" "$(jf '.suspense[1].reason')" \
  "B2: 1800.00 names F2026-000002, but payer 'INITECH' is not customer acme (ACME SAS)"
expect_eq "camt: no invoice" "$(jf '.suspense[2].reason')" \
  "B2: no invoice number (F{YYYY}-{NNNNNN}) in the remittance information"
ok --as-of $AS_OF --format json invoice show F2026-000008
expect_eq "fee invoice" "$(jf '.invoice | [.kind, .customer, .total_ht, .vat, .total_ttc, .balance] | join(" ")')" \
  "fee acme 20.00 4.00 24.00 24.00"
expect_eq "one import event" "$(events import.payments)" "2"

# Idempotent: the same file again records nothing and writes nothing.
snapshot
ok --as-of $AS_OF --format json import payments "$WORK/march.xml"
expect_eq "again: nothing recorded" "$(jf '[(.recorded | length), (.duplicates | length), (.suspense | length)] | join(" ")')" "0 6 0"
expect_unchanged "second import"
ok --as-of $AS_OF import payments "$WORK/march.xml"
expect_contains "table summary" "$OUT" "6 line(s): 0 recorded (0.00), 6 duplicate(s), 0 in suspense, 1 debit(s) skipped"
expect_contains "table B1" "$OUT" "B1: 1000.00 + 10499.00 - 45.00 = 11454.00, reconciled"

# ---- report suspense: lines 2, 3, 4 open (5000.00 + 1800.00 + 99.00 = 6899.00), line 1 assigned.
ok --as-of $AS_OF --format json report suspense
expect_eq "report: all" "$(jf '[.suspense[] | "\(.id) \(.status) \(.open)"] | join(", ")')" \
  "1 assigned 0.00, 2 open 5000.00, 3 open 1800.00, 4 open 99.00"
expect_eq "report: totals" "$(jf '[.total, .open.count, .lines.count, .lines.amount] | join(" ")')" "6899.00 3 4 12899.00"
expect_eq "report: payer" "$(jf '.suspense[2].payer')" "INITECH"
ok --as-of $AS_OF --format json report suspense --status resolved
expect_eq "report: resolved" "$(jf '[.suspense[].id] | join(" ")')" "1"
expect_eq "report: resolution" "$(jf '.suspense[0].actions[0] | [.action, .invoice, .amount, .payment] | join(" ")')" \
  "assign F2026-000007 6000.00 1"
expect_exit 2 --as-of $AS_OF report suspense --status closed
expect_contains "bad --status" "$ERR" "invalid --status 'closed': expected open, resolved or all"

# ---- Assign part of a line, then dismiss the rest (line 2: globex's 5000.00).
# More than is open: B2, exit 4.
snapshot
expect_exit 4 --as-of $AS_OF suspense assign 2 --invoice F2026-000003 --amount 5000.01
expect_contains "above the line" "$ERR" "amount 5000.01 is above what is open of suspense line 2: 5000.00"
expect_exit 2 --as-of $AS_OF suspense assign 2 --invoice F2026-000003 --amount 0
expect_exit 2 --as-of $AS_OF suspense assign 2 --invoice F2026-000003 --amount 1.234
expect_exit 3 --as-of $AS_OF suspense assign 2 --invoice F2026-000999
expect_unchanged "refused partial assignments"
# 2420.00 to F-000003: 2400.00 settles it, 20.00 pays its transfer fee F-000009 (0 % VAT).
ok --as-of $AS_OF --format json suspense assign 2 --invoice F2026-000003 --amount 2420
expect_eq "partial: payment" "$(jf '.payment | [.amount, .fee_invoice, .ref] | join(" ")')" "2420.00 F2026-000009 T-2#s1"
expect_eq "partial: 5000.00 - 2420.00 = 2580.00 open" "$(jf '.line | [.status, .open] | join(" ")')" "open 2580.00"
ok --as-of $AS_OF --format json status globex
expect_eq "globex settled, no credit" "$(jf '[.balance, .credit] | join(" ")')" "0.00 0.00"
ok --as-of $AS_OF --format json suspense dismiss 2 --reason "the rest sent back to Globex"
expect_eq "dismissed" "$(jf '.line | [.status, .open, .actions[1].amount, .actions[1].reason] | join("|")')" \
  "dismissed|0.00|2580.00|the rest sent back to Globex"
expect_exit 5 --as-of $AS_OF suspense dismiss 2 --reason "again"
# Line 4 is no customer's money.
ok --as-of $AS_OF suspense dismiss 4 --reason "insurance refund, not a customer payment"
expect_eq "journal" "$(events suspense.assign) $(events suspense.dismiss)" "2 2"
ok --as-of $AS_OF --format json report suspense --status open
expect_eq "open: line 3 only" "$(jf '[.suspense[] | "\(.id) \(.open)"] | join(", ")') $(jf .total)" "3 1800.00 1800.00"
# The close pack counts what is still open (line 3's 1800.00), not every line received.
ok --as-of $AS_OF --format json report close --month "${AS_OF:0:7}"
expect_eq "close: open suspense" "$(jf '.suspense | [.count, .amount, .lines] | map(tostring) | join(" ")')" "1 1800.00 4"
ok --as-of $AS_OF --format csv report suspense
expect_contains "csv header" "$OUT" "id,date,amount,reference,label,payer,method,reason,status,open,resolution"
# As of the day before the decisions, every line was open.
ok --as-of 2026-03-31 --format json report suspense --status open
expect_eq "as of 03-31" "$(jf '[.suspense[].id] | join(" ")')" "1 2 3 4"
ok --as-of $AS_OF verify

# ---- An empty statement imports nothing and says so (exit 0, nothing written).
camt 500.00 500.00 "" > "$WORK/empty.xml"
snapshot
ok --as-of $AS_OF import payments "$WORK/empty.xml"
expect_contains "empty" "$OUT" "no credit entry: nothing to import"
expect_unchanged "empty statement"

# ---- Our own samples of each format (tests/data/bank), on a fresh ledger:
# no invoice of theirs exists, so every credit goes to suspense with its reason.
fresh() { export TALLY_DB="$WORK/$1.db"; ok init; }
fresh own
# CAMT 001.02: "Opening 1000.00 + 1200.00 - 45.50 + (200.00 + 150.00) = closing 2504.50": 3 credits (a batch of 2), 1 debit.
ok --as-of $AS_OF --format json import payments "$SRC/tests/data/bank/camt053-v02.xml"
expect_eq "own camt v02" "$(jf '[.format, (.suspense | length), .debits_skipped, .statements[0].reconciled] | join(" ")')" "camt053 3 1 true"
# CFONB 120, two accounts: 100.00 + 120.00 - 4.55 = 215.45; -20.00 + 100.25 = 80.25: 2 credits, 1 debit.
ok --as-of $AS_OF --format json import payments "$SRC/tests/data/bank/two-accounts.cfonb120"
expect_eq "own cfonb" "$(jf '[.format, (.statements | length), (.suspense | length), .debits_skipped] | join(" ")')" "cfonb120 2 2 1"
expect_eq "own cfonb: refers to no invoice" "$(jf '.suspense[0].reason')" "B2: refers to no invoice: F2026-000001 is not in the ledger"
expect_eq "own cfonb: B3 card" "$(jf '.suspense[1] | [.amount, .method] | join(" ")')" "100.25 card"
# OFX 2.1.1: 2 credits, 1 debit, no opening balance (B1 not checked, said so).
ok --as-of $AS_OF --format json import payments "$SRC/tests/data/bank/xml-v211.ofx"
expect_eq "own ofx 2" "$(jf '[.format, (.suspense | length), .debits_skipped, .statements[0].reconciled] | join(" ")')" "ofx 2 1 false"
expect_contains "own ofx 2 note" "$(jf '.statements[0].note')" "no opening balance"
ok --as-of $AS_OF --format json import payments "$SRC/tests/data/bank/sgml-v102.ofx" --from ofx
expect_eq "own ofx 1" "$(jf '.format')" "ofx"
# The French bank CSV with its rules: 1 200,00 and 350,00 in, 45,50 out.
ok --as-of $AS_OF --format json import payments "$SRC/tests/data/bank/fr-bank.csv" --rules "$SRC/data/bank-rules/fr-bank.rules"
expect_eq "own csv" "$(jf '[.format, (.suspense | length), .debits_skipped, ([.suspense[].amount] | join("+"))] | join(" ")')" \
  "csv 2 1 1200.00+350.00"
# The bank CSV without its rules is read as tally's CSV: its header is not, and the error says how to read it.
expect_exit 3 --as-of $AS_OF import payments "$SRC/tests/data/bank/fr-bank.csv" --rules "$WORK/none.rules"
expect_contains "no rules file" "$ERR" "no rules file '$WORK/none.rules'"
printf 'separator ;\nfields date, amount, colour\n' > "$WORK/bad.rules"
expect_exit 2 --as-of $AS_OF import payments "$SRC/tests/data/bank/fr-bank.csv" --rules "$WORK/bad.rules"
expect_contains "bad rules named" "$ERR" "--rules $WORK/bad.rules: "
expect_exit 2 --as-of $AS_OF import payments "$SRC/tests/data/bank/fr-bank.csv"
expect_contains "rules hint" "$ERR" "a bank's CSV export is read with --rules FILE"
expect_exit 4 --as-of $AS_OF import payments "$SRC/tests/data/bank/camt053-unbalanced.xml"
expect_contains "own unbalanced" "$ERR" "B1: "

# ---- The real statements of ../shared/samples/bank (SOURCE.md there).
if [ ! -d "$SHARED" ]; then
  echo "test_bank_import.sh: skipped the shared samples: $SHARED is absent"
else
  fresh shared
  # oca txdtls: one CHF entry of 3483.00 split into 2187.00 and 1296.00
  # (75960.15 + 3483.00 = 79443.15): both to suspense, tally's invoices are in EUR.
  ok --as-of $AS_OF --format json import payments "$SHARED/camt053/oca-test-camt053-txdtls"
  expect_eq "oca camt" "$(jf '[.statements[0].reconciled, ([.suspense[].amount] | join("+")), .suspense[0].reason] | join(" ")')" \
    "true 2187.00+1296.00 B2: amount in CHF: invoices are in EUR"
  # oca no-ntry: OPBD = CLBD = 1520.76, no entry.
  ok --as-of $AS_OF import payments "$SHARED/camt053/oca-test-camt053-no-ntry"
  expect_contains "oca empty" "$OUT" "nothing to import"
  # pennylane: two accounts; -190.40 - 32.21 - 10.70 - 7.90 = -241.21 and
  # -241.21 + 97.49 - 12.10 - 7.90 = -163.72: one credit (97.49), five debits.
  ok --as-of $AS_OF --format json import payments "$SHARED/cfonb120/pennylane-example.txt"
  expect_eq "pennylane" "$(jf '[([.statements[].reconciled] | join(",")), (.suspense | length), .suspense[0].amount, .debits_skipped] | join(" ")')" \
    "true,true 1 97.49 5"
  ok --as-of $AS_OF import payments "$SHARED/cfonb120/silarhi-simple-test.txt"
  expect_contains "silarhi empty" "$OUT" "nothing to import"
  # akretion: 0.08 + 4000.00 - 6000.00 = -1999.92, its closing says 11871.14: gap 13871.06.
  snapshot
  expect_exit 4 --as-of $AS_OF import payments "$SHARED/cfonb120/akretion-bank_statement.cfo"
  expect_contains "akretion B1" "$ERR" "= -1999.92, but its closing balance is 11871.14 (gap 13871.06)"
  expect_unchanged "akretion refused"
  # oca OFX: four card debits (80.00, 90.00, 100.00, 90.00): nothing to import.
  for f in oca-test_ofx.ofx oca-test_ofx_iban.ofx; do
    ok --as-of $AS_OF --format json import payments "$SHARED/ofx/$f"
    expect_eq "$f" "$(jf '[(.recorded | length), (.suspense | length), .debits_skipped, .debit_total] | join(" ")')" "0 0 4 360.00"
  done
fi

finish
