# End-to-end: the letters (late notices L7, the cancellation statement C3)
# from the templates of data/templates: French by default, English with
# --lang en, the seller's identity (E2) in the letterhead, French dates and
# amounts, no English word of the ledger in a French letter. Amounts computed
# by hand in the comments.
. "$(dirname "$0")/lib.sh"

export TALLY_AS_OF=2026-01-02
ok init
for kv in "legal_form SAS" "share_capital 10000" "siren 552120222" "rcs_city Paris"; do
  set -- $kv
  ok seller set "$1" "$2" --effective 2026-01-01
done
ok customer add beta --name "Beta <SARL>"
# 1 000,00 HT + 20 % = 1 200,00 TTC, due 2026-02-01 (I4: 30 days).
ok invoice create --customer beta --kind setup --amount 1000

# ---- Late notice on 2026-03-31: 58 days late (1 Feb -> 31 Mar).
# Interest 1200.00 x 10 % x 58 / 365 = 19.0684 -> 19,07; indemnity 40,00;
# total 1 200,00 + 19,07 + 40,00 = 1 259,07. Stage: 1 month late on 1 March
# (admin-disabled); platform-disabled on 1 April, data-deleted on 1 August.
export TALLY_AS_OF=2026-03-31
ok overdue --notices "$WORK/fr"
FR=$(cat "$WORK/fr/beta-2026-03-31.txt")
for want in "Particeep" "29 rue du Louvre" "75002 Paris" "SAS au capital de 10 000,00 € - RCS Paris 552 120 222" \
  "Paris, le 31 mars 2026" "Madame, Monsieur," "Beta <SARL> (beta)" "F2026-000001" "01/02/2026" "58 jours" \
  "1 200,00 €" "19,07 €" "40,00 €" "1 259,07 €" "accès à l'espace administrateur désactivé" \
  "le 1er avril 2026 : désactivation complète de la plateforme" "le 1er août 2026 : suppression des données" \
  "01 79 65 66 63" "support@particeep.com" "salutations distinguées"; do
  expect_contains "French notice" "$FR" "$want"
done
for unwanted in "Dear" "Yours" "admin-disabled" "platform-disabled" "data-deleted" "EUR" "2026-03-31" "Invoice"; do
  CHECKS=$((CHECKS + 1))
  [[ "$FR" == *"$unwanted"* ]] && fail "English or ISO text in the French notice: $unwanted"
done

ok overdue --notices "$WORK/en" --lang en --notice-format md
EN=$(cat "$WORK/en/beta-2026-03-31.md")
for want in "Dear Sir or Madam," "Beta &lt;SARL&gt; (beta)" "| F2026-000001 | 2026-02-01 | 58 | 1,200.00 EUR | 19.07 EUR | 40.00 EUR |" \
  "1,259.07 EUR" "on 1 April 2026" "Yours faithfully,"; do
  expect_contains "English notice" "$EN" "$want"
done
CHECKS=$((CHECKS + 1))
[[ "$EN" == *"Madame"* ]] && fail "French salutation in the English notice"

snapshot
expect_exit 2 overdue --notices "$WORK/de" --lang de
expect_contains "--lang accepted" "$ERR" "invalid --lang 'de': expected fr or en"
[ ! -e "$WORK/de" ] || fail "a refused --lang wrote notices"
expect_unchanged "refused --lang"

# ---- Cancellation statement: acme, monthly 1 000,00 HT from 2026-09-01 with a
# 4-month commitment, letter received 2026-09-15: effective 2026-12-31 (C2:
# +3 months = 2026-12-15, on or before the end of the term). On 2026-09-16
# nothing is invoiced yet: September to December, 4 x 1 200,00 TTC = 4 800,00.
export TALLY_AS_OF=2026-09-16
ok customer add acme --name "ACME SAS"
ok subscription add --customer acme --amount 1000 --cycle monthly --start 2026-09-01 --commitment-months 4
expect_exit 2 cancel --customer acme --letter-date 2026-09-15 --letter-ref 1A23 --statement "$WORK/x.md" --lang it
[ ! -e "$WORK/x.md" ] || fail "a refused --lang wrote the statement"
ok --dry-run cancel --customer acme --letter-date 2026-09-15 --letter-ref 1A23 --statement "$WORK/en.md" --lang en \
  --format json
expect_contains "English draft" "$(jf .statement_preview)" "DRAFT (dry run): nothing was recorded."
expect_contains "English salutation" "$(jf .statement_preview)" "Dear Sir or Madam,"
expect_contains "English total" "$(jf .statement_preview)" "| **Total due** | **4,800.00 EUR** |"
ok cancel --customer acme --letter-date 2026-09-15 --letter-ref 1A23 --statement "$WORK/fr.md"
ST=$(cat "$WORK/fr.md")
for want in "# Résiliation de votre abonnement : arrêté de compte" "Madame, Monsieur," \
  "référence 1A23, le 15 septembre 2026" "abonnement 1 (mensuel, 1 000,00 € HT par mois, débuté le 01/09/2026) : dernier jour le 31/12/2026" \
  "| Licence mensuelle du 01/09/2026 au 30/09/2026, non encore facturée (HT 1 000,00 € + TVA 200,00 €) | 1 200,00 € |" \
  "| **Total dû** | **4 800,00 €** |" "SAS au capital de 10 000,00 €"; do
  expect_contains "French statement" "$ST" "$want"
done
for unwanted in "Dear" "Yours" "monthly" "Licence monthly" "Total due" "EUR"; do
  CHECKS=$((CHECKS + 1))
  [[ "$ST" == *"$unwanted"* ]] && fail "English text in the French statement: $unwanted"
done
finish
