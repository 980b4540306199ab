# End-to-end: the seller's identity (E2), versioned and journaled like the
# policy, and the customers' identity on documents; identifiers checked where
# they are entered (E4). Expected values are public identifiers (Société
# Générale: SIREN 552 120 222, VAT FR27552120222; the ECBS example IBANs), their
# keys computed by hand in tests/unit/test_identifiers.cpp.
. "$(dirname "$0")/lib.sh"

export TALLY_AS_OF=2026-02-10
ok init
events() { sqlite3 "$TALLY_DB" "SELECT COUNT(*) FROM journal WHERE kind = '$1'"; }

# ---- the seed (E2): name and address, the rest missing ----
ok --format json seller show
expect_eq "seed name" "$(jf .seller.name)" "Particeep"
expect_eq "seed address" "$(jf '[.seller.street, .seller.postcode, .seller.city, .seller.country] | join("|")')" \
  "29 rue du Louvre|75002|Paris|FR"
expect_eq "seed regime" "$(jf .seller.vat_regime)" "receipts"
expect_eq "missing keys" "$(jf '.missing | join(",")')" "legal_form,share_capital,siren,rcs_city,vat_number,iban,bic"
ok seller show
expect_contains "table names what documents need" "$OUT" "Documents need legal_form, share_capital, siren"

# ---- wrong identifiers exit 2 saying which check failed, ledger unchanged ----
snapshot
expect_exit 2 seller set siren 732829321 --effective 2026-01-01
expect_contains "SIREN Luhn" "$ERR" "invalid SIREN '732829321': Luhn check failed"
expect_exit 2 seller set siren 55212022 --effective 2026-01-01
expect_contains "SIREN length" "$ERR" "a SIREN is 9 digits"
# 552120222 mod 97 = 5: key (12 + 15) mod 97 = 27, not 28.
expect_exit 2 seller set vat_number FR28552120222 --effective 2026-01-01
expect_contains "VAT key" "$ERR" "key check failed (key 28 for SIREN 552120222, expected 27)"
expect_exit 2 seller set vat_number DE123456789 --effective 2026-01-01
expect_contains "seller VAT is French" "$ERR" "a French VAT number is FR"
# The ECBS example with its last digit changed: remainder 1 + 27 = 28 (see test_identifiers.cpp).
expect_exit 2 seller set iban "GB82 WEST 1234 5698 7654 33" --effective 2026-01-01
expect_contains "IBAN mod 97" "$ERR" "mod 97 check failed (remainder 28, expected 1)"
expect_exit 2 seller set iban "FR14 2004 1010 0505 0001 3M02 60" --effective 2026-01-01
expect_contains "IBAN length" "$ERR" "length check failed (26 characters, FR IBANs have 27)"
expect_exit 2 seller set bic DEUTXXFF --effective 2026-01-01
expect_contains "BIC country" "$ERR" "'XX' are not an ISO 3166-1 country code"
expect_exit 2 seller set country UK --effective 2026-01-01
expect_contains "country" "$ERR" "invalid country 'UK'"
expect_exit 2 seller set vat_regime monthly --effective 2026-01-01
expect_contains "regime" "$ERR" "expected receipts or debits"
expect_exit 2 seller set share_capital 10,000.00 --effective 2026-01-01
expect_contains "capital is an amount" "$ERR" "'10,000.00'"
expect_exit 2 seller set colour blue --effective 2026-01-01
expect_contains "unknown key" "$ERR" "unknown seller key 'colour': expected one of name, legal_form"
expect_exit 2 seller set name "" --effective 2026-01-01
expect_exit 2 seller set siren 552120222 --effective 2026-02-30
expect_exit 2 seller set siren 552120222
expect_unchanged "refused seller set"
expect_eq "no seller event" "$(events seller.set)" "0"

# ---- setting the identity, normalised ----
ok --format json seller set siren "552 120 222" --effective 2026-01-01
expect_eq "SIREN stored without spaces" "$(jf .value)" "552120222"
ok --format json seller set vat_number "fr 27 552 120 222" --effective 2026-01-01
expect_eq "VAT number upper-cased, no spaces" "$(jf .value)" "FR27552120222"
ok --format json seller set iban "fr14 2004 1010 0505 0001 3m02 606" --effective 2026-01-01
expect_eq "IBAN electronic form" "$(jf .value)" "FR1420041010050500013M02606"
ok seller set bic bnpafrpp --effective 2026-01-01
ok seller set legal_form SAS --effective 2026-01-01
ok --format json seller set share_capital 10000 --effective 2026-01-01
expect_eq "capital" "$(jf .value)" "10000.00"
ok seller set rcs_city Paris --effective 2026-01-01
ok seller set vat_regime debits --effective 2026-01-01
expect_eq "one event per change" "$(events seller.set)" "8"

# E2: a document shows the identity in force on its issue date.
ok --as-of 2025-12-31 --format json seller show
expect_eq "before the versions: seed only" "$(jf .seller.siren)" ""
expect_eq "before: regime" "$(jf .seller.vat_regime)" "receipts"
expect_contains "before: missing" "$(jf '.missing | join(",")')" "siren"
ok --as-of 2026-01-01 --format json seller show
expect_eq "complete from 2026-01-01" "$(jf '.missing | length')" "0"
expect_eq "bic" "$(jf .seller.bic)" "BNPAFRPP"
expect_eq "regime" "$(jf .seller.vat_regime)" "debits"
expect_eq "effective shown" "$(jf '.keys[] | select(.key == "siren") | .effective')" "2026-01-01"

# A move from 2026-06-01: earlier documents keep the old address.
ok seller set street "1 rue Neuve" --effective 2026-06-01
ok --as-of 2026-05-31 --format json seller show
expect_eq "old street before" "$(jf .seller.street)" "29 rue du Louvre"
ok --as-of 2026-06-01 --format json seller show
expect_eq "new street from" "$(jf .seller.street)" "1 rue Neuve"
expect_eq "versions listed" "$(jf '.versions | length')" "9"

# The same value again changes nothing (exit 0); another value the same day conflicts.
snapshot
ok seller set street "1 rue Neuve" --effective 2026-06-01
expect_unchanged "idempotent seller set"
expect_exit 5 seller set street "2 rue Neuve" --effective 2026-06-01
expect_contains "conflict names the value" "$ERR" "already has a version effective 2026-06-01 (value '1 rue Neuve')"
ok --dry-run seller set phone "01 79 65 66 63" --effective 2026-07-01
expect_unchanged "dry run"

# ---- customer identity ----
ok --as-of 2026-01-01 customer add acme --name ACME
ok --format json customer show acme
expect_eq "legal name defaults to the name" "$(jf .customer.identity.legal_name)" "ACME"
expect_eq "country defaults to FR" "$(jf .customer.identity.country)" "FR"
snapshot
expect_exit 2 customer set acme siren 552120223
expect_contains "customer SIREN" "$ERR" "invalid SIREN '552120223': Luhn check failed"
expect_exit 2 customer set acme vat_number FR28552120222
expect_contains "customer VAT key" "$ERR" "key check failed"
expect_exit 2 customer set acme vat_number GB123456789
expect_contains "not an EU VAT number" "$ERR" "not the prefix of an EU member state"
expect_exit 2 customer set acme iban "DE89 3704 0044 0532 0130 01"
expect_contains "customer IBAN" "$ERR" "mod 97 check failed"
expect_exit 2 customer set acme country FRA
expect_contains "customer country" "$ERR" "invalid country 'FRA'"
expect_exit 2 customer set acme billing_email nobody
expect_contains "email" "$ERR" "invalid billing_email 'nobody'"
expect_exit 2 customer set acme legal_name ""
expect_exit 2 customer set acme colour blue
expect_contains "unknown customer key" "$ERR" "unknown customer key 'colour'"
expect_exit 3 customer set nobody siren 552120222
expect_contains "unknown customer" "$ERR" "unknown customer 'nobody'"
expect_unchanged "refused customer set"

ok customer set acme legal_name "Société Générale"
ok customer set acme street "29 boulevard Haussmann"
ok customer set acme postcode 75009
ok customer set acme city Paris
ok customer set acme siren "552 120 222"
ok --format json customer set acme vat_number FR27552120222
expect_eq "reverse charge only abroad" "$(jf .identity.reverse_charge)" "false"
ok --format json customer set acme iban "DE89 3704 0044 0532 0130 00"
expect_eq "customer IBAN normalised" "$(jf .value)" "DE89370400440532013000"
ok customer set acme billing_email factures@example.fr
ok --format json customer show acme
expect_eq "identity" "$(jf '.customer.identity | [.legal_name, .street, .postcode, .city, .country, .siren, .vat_number] | join("|")')" \
  "Société Générale|29 boulevard Haussmann|75009|Paris|FR|552120222|FR27552120222"
expect_eq "billing e-mail is the customer's e-mail" "$(jf .customer.email)" "factures@example.fr"
expect_exit 2 customer set acme siren ""
expect_exit 2 customer set acme siren
expect_exit 2 customer set acme siren 552120222 --clear
ok customer set acme siren --clear
ok --format json customer show acme
expect_eq "an optional key cleared" "$(jf .customer.identity.siren)" ""
expect_eq "customer.set journaled" "$(events customer.set)" "9"

# E1: a customer elsewhere in the EU with a VAT number gets the reverse-charge mention.
ok --as-of 2026-01-01 customer add euco --name "Beispiel GmbH" --vat-rate 0
ok customer set euco country de
ok --format json customer set euco vat_number DE123456789
expect_eq "reverse charge" "$(jf .identity.reverse_charge)" "true"
expect_eq "country upper-cased" "$(jf .identity.country)" "DE"

# Every change is in the journal's hash chain.
ok verify
# ---- customer add takes the identity, checked (E4) before anything is recorded ----
snapshot
expect_exit 2 customer add zeta --name "Zeta SA" --siren 732829321
expect_contains "add: SIREN Luhn" "$ERR" "invalid SIREN '732829321': Luhn check failed"
expect_exit 2 customer add zeta --name "Zeta SA" --country UK
expect_contains "add: country" "$ERR" "invalid country 'UK'"
expect_exit 2 customer add zeta --name "Zeta SA" --vat-number FR28552120222
expect_contains "add: VAT key" "$ERR" "key check failed (key 28 for SIREN 552120222, expected 27)"
expect_unchanged "refused customer add"
ok --format json customer add zeta --name "Zeta SA" --country be --vat-number "be 0123 456 789" --vat-rate 0 \
  --street "Rue de la Loi 16" --postcode 1000 --city Bruxelles
expect_eq "add: identity normalised" "$(jf '[.identity.country, .identity.vat_number, .identity.city] | join("|")')" \
  "BE|BE0123456789|Bruxelles"
ok customer add zeta2 --name "Zeta SA" --country BE --vat-number BE0123456789 --vat-rate 0
expect_contains "add: reverse charge said" "$OUT" "Autoliquidation"
ok customer add zeta3 --name "Zeta SA" --country BE --vat-number BE0123456789
CHECKS=$((CHECKS + 1))
[[ "$OUT" == *Autoliquidation* ]] && fail "reverse charge said for a customer billed at 20 %"

finish
