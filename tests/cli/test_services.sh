# End-to-end: professional services (issue 6: D1-D3, U1): quote, sla and
# invoice create --item, priced from a test grid so amounts are known by hand.
. "$(dirname "$0")/lib.sh"

# Before init: quote and sla read the policy from the ledger.
expect_exit 3 quote feature --days 1
expect_exit 3 sla --type bug --from 2026-05-04
ok init
ok customer add acme --name "ACME SAS"
ok customer add euco --name "EU Co" --vat-rate 0

GRID="$WORK/grid.csv"
cat > "$GRID" <<'EOF'
# test grid, real prices
code,label,unit,price_ht
feature-day,Feature development,day,800.00
data-modification,Manual modification of data,hour,90.00
data-extraction,Specific data extraction,request,250.00
reporting,"Reporting, monthly",request,300
EOF

# ---- U1: sla ----
snapshot
ok --format json sla --type bug --from 2026-05-02
expect_eq "bug: same day" "$(jf '.target') $(jf '.working_days') $(jf '.rule')" "2026-05-02 0 U1"
# From Thu 2026-04-30, counting from the next day: Fri 1 May off, Mon-Thu 4..7 = 4,
# Fri 8 May off, Mon-Wed 11..13 = 7, Thu 14 Ascension off, Fri 15 = 8,
# Mon-Fri 18..22 = 13, Mon 25 Whit Monday off, Tue 26 = 14, Wed 27 = 15.
ok --format json sla --type evolution --from 2026-04-30
expect_eq "evolution across May" "$(jf '.target')" "2026-05-27"
expect_eq "evolution working days" "$(jf '.working_days')" "15"
expect_eq "May holidays skipped" "$(jf '[.holidays_skipped[].date] | join(" ")')" \
  "2026-05-01 2026-05-08 2026-05-14 2026-05-25"
expect_eq "Ascension named" "$(jf '.holidays_skipped[2].name')" "Ascension Day"
expect_eq "May weekend days" "$(jf '.weekend_days_skipped')" "8"
# From Fri 2026-12-18: Mon-Thu 21..24 = 4, Fri 25 Dec off, Mon-Thu 28..31 = 8,
# Fri 1 Jan off, Mon-Fri 4..8 = 13, Mon 11 = 14, Tue 12 = 15.
ok --format json sla --type evolution --from 2026-12-18
expect_eq "evolution across the year end" "$(jf '.target')" "2027-01-12"
expect_eq "year-end holidays" "$(jf '[.holidays_skipped[].date] | join(" ")')" "2026-12-25 2027-01-01"
# Feature: one calendar month at the earliest, clamped (L2).
ok --format json sla --type feature --from 2026-01-31
expect_eq "feature: a month later, clamped" "$(jf '.target') $(jf '.working_days')" "2026-02-28 null"
ok --format csv sla --type evolution --from 2026-04-30
expect_eq "sla csv" "$(printf '%s\n' "$OUT" | tr -d '\r' | head -2 | paste -sd'|')" \
  "type,from,target,working_days,rule|evolution,2026-04-30,2026-05-27,15,U1"
ok sla --type evolution --from 2026-04-30
expect_contains "sla table lists holidays" "$OUT" "Whit Monday"
expect_exit 2 sla --type hotfix --from 2026-04-30
expect_contains "sla type message" "$ERR" "expected bug, evolution or feature"
expect_exit 2 sla --type bug --from 2026-02-30
expect_exit 2 sla --type bug
# The policy in force on the request day: 5 working days from 2026-06-01 on.
ok policy set evolution_working_days 5 --effective 2026-06-01
snapshot
# Mon 2026-06-01 + 5: Tue 2 .. Mon 8 (weekend 6-7 skipped).
ok --format json sla --type evolution --from 2026-06-01
expect_eq "policy version applies" "$(jf '.target') $(jf '.working_days')" "2026-06-08 5"
ok --format json sla --type evolution --from 2026-04-30
expect_eq "older requests keep 15" "$(jf '.target')" "2026-05-27"
expect_unchanged "sla writes nothing"

# ---- D1: quote feature, every case, on the test grid ----
# 2.5 days x 800.00 = 2000.00.
ok --grid "$GRID" --format json quote feature --days 2.5 --roadmap
expect_eq "roadmap: free" "$(jf '.amount_ht') $(jf '.gross_ht') $(jf '.discount') $(jf '.rule')" "0.00 2000.00 100.00 D1"
expect_eq "roadmap why" "$(jf '.why')" "feature on the roadmap: free"
expect_eq "no example warning for a real grid" "$ERR" ""
ok --grid "$GRID" --format json quote feature --days 2.5 --roadmap --urgent
# 50 % of 2000.00 = 1000.00 off; VAT 20 % of 1000.00 = 200.00.
expect_eq "roadmap + urgent: half" "$(jf '.amount_ht') $(jf '.vat') $(jf '.amount_ttc')" "1000.00 200.00 1200.00"
expect_eq "quote fields" "$(GRID="$GRID" jq -r '[.kind, .item, .days, .qty, .unit, .unit_price_ht, (.grid == env.GRID)] | map(tostring) | join(" ")' <<<"$OUT")" \
  "feature feature-day 2.5 2.5 day 800.00 true"
ok --grid "$GRID" --format json quote feature --days 2.5
expect_eq "off the roadmap: full" "$(jf '.amount_ht') $(jf '.discount')" "2000.00 0.00"
ok --grid "$GRID" --format json quote feature --days 2.5 --urgent
expect_eq "off the roadmap, urgent: full" "$(jf '.amount_ht')" "2000.00"
ok --grid "$GRID" quote feature --days 2.5 --roadmap --urgent
expect_contains "table names the rule" "$OUT" "D1: urgent feature on the roadmap: 50.00 % discount"
for bad in 0 -1 abc 1.234 "" 1e3; do
  expect_exit 2 --grid "$GRID" quote feature --days "$bad"
  expect_contains "bad --days message" "$ERR" "invalid --days '$bad'"
done
expect_exit 2 quote feature

# ---- D2: quote intervention ----
ok --grid "$GRID" --format json quote intervention --type data-modification --qty 2.5
# 2.5 h x 90.00 = 225.00.
expect_eq "data modification" "$(jf '.amount_ht') $(jf '.type') $(jf '.rule')" "225.00 data-modification D2"
ok --grid "$GRID" --format json quote intervention --type data-modification --qty 2.5 --urgent
expect_eq "urgent: grid price" "$(jf '.amount_ht') $(jf '.urgent')" "225.00 true"
ok --grid "$GRID" --format json quote intervention --type reporting
# qty defaults to 1: 300.00; the quoted label keeps its comma.
expect_eq "reporting" "$(jf '.amount_ht') $(jf '.qty') $(jf '.label')" "300.00 1 Reporting, monthly"
ok --grid "$GRID" --format json quote intervention --type blocking-bug --qty 4 --urgent
expect_eq "blocking bug: free even urgent" "$(jf '.amount_ht') $(jf '.rule')" "0.00 D2"
expect_contains "blocking bug why" "$(jf '.why')" "never billed, even when urgent"
expect_exit 2 --grid "$GRID" quote intervention --type feature-day
expect_contains "feature-day is D1" "$ERR" "tally quote feature"
expect_exit 2 --grid "$GRID" quote intervention --type data-recovery
expect_contains "types of the grid listed" "$ERR" "data-modification, data-extraction, reporting or blocking-bug"
expect_exit 2 --grid "$GRID" quote intervention --type reporting --qty 0

# ---- D3: the builtin grid, the policy parameter, malformed grids ----
ok --format json quote feature --days 1
expect_eq "builtin grid" "$(jf '.grid') $(jf '.example_prices')" "builtin true"
expect_eq "1 day at grid price" "$(jf '.amount_ht')" "$(jf '.unit_price_ht')"
expect_contains "example prices warning" "$ERR" "tally: warning: services grid 'builtin' holds EXAMPLE prices"
ok --format json quote intervention --type urgent-intervention
expect_eq "builtin urgent-intervention" "$(jf '.item') $(jf '.rule')" "urgent-intervention D2"
ok policy set services_grid "$GRID" --effective 2026-03-01
ok policy set urgent_discount 30 --effective 2026-03-01
ok --as-of 2026-03-01 --format json quote feature --days 2.5 --roadmap --urgent
# 30 % of 2000.00 = 600.00 off: 1400.00.
expect_eq "policy grid and discount" "$(jf '.grid == "'"$GRID"'"') $(jf '.amount_ht')" "true 1400.00"
ok --as-of 2026-02-28 --format json quote feature --days 1
expect_eq "before the version: builtin" "$(jf '.grid')" "builtin"

printf 'code,label,unit,price_ht\nfeature-day,F,day,800\nreporting,R,week,10\n' > "$WORK/bad-unit.csv"
printf 'code,label,unit,price_ht\nx,X,day,1\nx,Y,day,2\n' > "$WORK/dup.csv"
printf 'code,label,unit,price_ht\nx,X,day,12.345\n' > "$WORK/bad-price.csv"
printf 'code,label,unit\nx,X,day\n' > "$WORK/bad-header.csv"
printf 'code,label,unit,price_ht\nx,X,day\n' > "$WORK/columns.csv"
printf 'code,label,unit,price_ht\n,X,day,1\n' > "$WORK/empty-code.csv"
expect_exit 2 --grid "$WORK/bad-unit.csv" quote feature --days 1
expect_eq "bad unit message" "$ERR" \
  "tally: error: grid $WORK/bad-unit.csv line 3: invalid unit 'week': expected hour, day or request"
expect_exit 2 --grid "$WORK/dup.csv" quote intervention --type x
expect_contains "duplicate message" "$ERR" "grid $WORK/dup.csv line 3: duplicate code 'x' (first defined on line 2)"
expect_exit 2 --grid "$WORK/bad-price.csv" quote intervention --type x
expect_contains "price message" "$ERR" "grid $WORK/bad-price.csv line 2: invalid price_ht '12.345'"
expect_exit 2 --grid "$WORK/bad-header.csv" quote intervention --type x
expect_contains "header message" "$ERR" "line 1: expected the header 'code,label,unit,price_ht'"
expect_exit 2 --grid "$WORK/columns.csv" quote intervention --type x
expect_contains "columns message" "$ERR" "line 2: expected 4 columns"
expect_exit 2 --grid "$WORK/empty-code.csv" quote intervention --type x
expect_contains "empty code message" "$ERR" "line 2: empty code"
expect_exit 3 --grid "$WORK/missing.csv" quote feature --days 1
expect_contains "missing grid file" "$ERR" "services grid file '$WORK/missing.csv' cannot be read"

# ---- invoice create --item: the same prices as quote ----
ok --as-of 2026-03-02 --format json quote feature --days 2.5 --roadmap --urgent
QUOTED=$(jf '.amount_ht')
ok --as-of 2026-03-02 --format json invoice create --customer acme --kind services --item feature-day --qty 2.5 \
  --roadmap --urgent
expect_eq "invoice line = quote" "$(jf '.invoice.lines[0].amount_ht')" "$QUOTED"
# 1400.00 HT (policy grid, 30 % off 2000.00), VAT 20 % = 280.00, TTC 1680.00.
expect_eq "invoice totals" "$(jf '.invoice.total_ht') $(jf '.invoice.vat') $(jf '.invoice.total_ttc')" \
  "1400.00 280.00 1680.00"
expect_eq "invoice line fields" \
  "$(jf '.invoice.lines[0] | [.item, .qty, .unit_ht, .rule] | join(" ")')" "feature-day 2.5 800.00 D1"
# Two items: 2 x 250.00 = 500.00, and a blocking bug at 0.00; 0 % VAT customer.
ok --as-of 2026-03-02 --format json invoice create --customer euco --kind services --item data-extraction --qty 2 \
  --item blocking-bug --qty 1 --urgent
expect_eq "two items" "$(jf '.invoice.total_ht') $(jf '.invoice.vat') $(jf '[.invoice.lines[].rule] | join(",")')" \
  "500.00 0.00 D2,D2"
# A free roadmap feature: a 0.00 invoice, settled from the start.
ok --as-of 2026-03-02 --format json invoice create --customer acme --kind services --item feature-day --qty 3 --roadmap
expect_eq "free invoice" "$(jf '.invoice.total_ttc') $(jf '.invoice.status') $(jf '.invoice.balance')" "0.00 paid 0.00"
ok --as-of 2026-03-02 --format json quote feature --days 3 --roadmap
expect_eq "its quote" "$(jf '.amount_ht')" "0.00"
snapshot
expect_exit 2 --as-of 2026-03-02 invoice create --customer acme --kind services --item nope
expect_contains "unknown item lists codes" "$ERR" "expected feature-day, data-modification, data-extraction, reporting or blocking-bug"
expect_exit 2 --as-of 2026-03-02 --grid "$WORK/bad-unit.csv" invoice create --customer acme --kind services \
  --item feature-day
expect_contains "malformed grid refuses the invoice" "$ERR" "line 3: invalid unit 'week'"
expect_exit 2 --as-of 2026-03-02 invoice create --customer acme --kind services --item reporting --qty 1.234
# Grid items are professional services (D1-D3): --item on another kind is refused.
for kind in setup subscription; do
  expect_exit 2 --as-of 2026-03-02 invoice create --customer acme --kind "$kind" --item reporting
  expect_eq "--item with --kind $kind" "$ERR" "tally: error: invalid --kind '$kind' with --item 'reporting': \
grid items are professional services (D1-D3); --item needs --kind services"
done
expect_exit 2 --dry-run --as-of 2026-03-02 invoice create --customer acme --kind setup --item feature-day --qty 2
expect_contains "--item with --kind setup, dry run" "$ERR" "--item needs --kind services"
expect_unchanged "refused --item invoices"
ok --dry-run --as-of 2026-03-02 --format json invoice create --customer acme --kind services --item reporting
expect_eq "dry run prices too" "$(jf '.invoice.total_ht')" "300.00"
expect_unchanged "dry run writes nothing"

# --help shows an example.
for c in "quote" "quote feature" "quote intervention" "sla"; do
  # shellcheck disable=SC2086
  ok $c --help
  expect_contains "$c --help example" "$OUT" "Example:"
done

finish
