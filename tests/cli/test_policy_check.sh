# End-to-end: `tally policy check [--strict]` against French law. The floor is
# computed by hand: legal interest rate 2026 H1 2.62 % (JO / Banque de
# France) x 3 = 7.86 %; 2024 H1 5.07 % x 3 = 15.21 %.
. "$(dirname "$0")/lib.sh"

export TALLY_AS_OF=2026-03-02
ok init
snapshot

# The default policy: 10 % >= 7.86 %; card 2 % and transfer 20.00 are surcharges;
# the seed seller lacks the keys documents need.
ok --format json policy check
expect_eq "legal rate 2026 H1" "$(jf .legal_interest_rate)" "2.62"
expect_eq "floor" "$(jf .late_interest_floor)" "7.86"
expect_eq "warnings" "$(jf '[.warnings[].rule] | join(",")')" "P2,P2,E2"
expect_contains "L112-12 cited" "$(jf '.warnings[0].law')" "Code monétaire et financier L112-12"
expect_contains "warning on stderr" "$ERR" "tally: warning: P2 (Code monétaire et financier L112-12): card_fee_rate is 2.00 %"
expect_contains "seller keys" "$(jf '.warnings[2].message')" "lacks legal_form, share_capital, siren, rcs_city, vat_number, iban, bic"
expect_exit 4 policy check --strict
expect_contains "strict names the rules" "$ERR" "tally: error: policy check --strict: 3 warning(s) (P2, P2, E2)"
expect_contains "strict still lists them" "$OUT" "card_fee_rate is 2.00 %"
expect_unchanged "policy check writes nothing"

# Mend everything: no surcharge, a complete seller.
ok policy set card_fee_rate 0 --effective 2026-01-01
ok policy set transfer_fee 0 --effective 2026-01-01
for kv in "legal_form SAS" "share_capital 10000" "siren 552120222" "rcs_city Paris" "vat_number FR27552120222" \
  "iban FR1420041010050500013M02606" "bic SOGEFRPP"; do
  set -- $kv
  ok seller set "$1" "$2" --effective 2026-01-01
done
ok --format json policy check --strict
expect_eq "no warning" "$(jf '.warnings | length')" "0"
expect_eq "nothing on stderr" "$ERR" ""

# 7.85 % is below 7.86 %; 7.86 % is not.
ok policy set interest_rate 7.85 --effective 2026-02-01
ok --format json policy check
expect_eq "below the floor" "$(jf '[.warnings[].rule] | join(",")')" "L4"
expect_contains "L441-10 cited" "$(jf '.warnings[0].law')" "Code de commerce L441-10"
expect_contains "values named" "$(jf '.warnings[0].message')" "interest_rate 7.85 % is below three times the legal interest rate of the semester from 2026-01-01 (2.62 % x 3 = 7.86 %)"
expect_exit 4 policy check --strict
ok policy set interest_rate 7.86 --effective 2026-03-01
ok policy check --strict

# 2024 H1: the policy's 10 % is below 15.21 % (the seller was set from 2026).
ok --format json --as-of 2024-03-01 policy check
expect_contains "2024 floor" "$(jf '[.warnings[] | select(.rule == "L4") | .message] | join("")')" "5.07 % x 3 = 15.21 %"
# A semester not listed is said, not guessed.
ok --format json --as-of 2026-09-01 policy check
expect_contains "unknown semester" "$(jf '.warnings[0].message')" "no legal interest rate is listed for the semester of 2026-09-01"
expect_exit 2 policy check --strict --bogus
finish
