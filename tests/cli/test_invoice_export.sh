# End-to-end: invoice documents (E1) and e-invoices (E3) written by
# `tally invoice export`, checked by tools written by others: xmllint against
# the Factur-X EN 16931 schema (../shared, skipped when absent), headless
# Chromium, qpdf, pdftotext and pdffonts (poppler). Expected amounts are
# computed by hand from RULES.md in the comments.
. "$(dirname "$0")/lib.sh"

SHARED=${TALLY_SOURCE_DIR:-$(dirname "$0")/../..}/../shared
XSD=$SHARED/samples/einvoice/facturx-en16931-xsd/Factur-X_EN16931.xsd
has() { command -v "$1" >/dev/null 2>&1; }

export TALLY_AS_OF=2026-03-02
ok init
# Seller: Société Générale's public identifiers (SIREN 552 120 222, key 27:
# see test_seller.sh), the ECBS example IBAN of France.
# Buyer acme: SIREN 775 670 417, Luhn: 7+4+7+5+7 = 30 on odd places, doubled
# even places 1->2, 0->0, 6->12->3, 7->14->5 = 10: 40, a multiple of 10.
# Its VAT key: 775670417 mod 97 = 23 (97 x 7996602 = 775670394), (12 + 69) mod 97 = 81.
ok customer add acme --name "ACME SAS" --email billing@acme.test --street "1 rue de la Paix" --postcode 75002 \
  --city Paris --siren 775670417 --vat-number FR81775670417
ok customer add globex --name "Globex GmbH" --vat-rate 0 --country DE --vat-number DE123456789 \
  --street "Unter den Linden 1" --postcode 10117 --city Berlin
expect_contains "reverse charge said at add" "$OUT" "Autoliquidation"
# 1 234,56 HT at 20 %: VAT 246,912 -> 246,91 (M3), TTC 1 481,47.
ok invoice create --customer acme --kind setup --amount 1234.56 --description "Mise en service <plateforme>"
ok invoice create --customer globex --kind services --amount 800 --description "Reporting"
ok invoice credit F2026-000001 --amount 100 --reason "remise commerciale"

# ---- E2: the seller's identity must be complete (exit 4, naming the keys) ----
expect_exit 4 invoice export F2026-000001 --as html --dir "$WORK"
expect_contains "missing keys named" "$ERR" "lacks legal_form, share_capital, siren, rcs_city, vat_number, iban, bic"
[ -z "$(ls "$WORK"/*.html 2>/dev/null)" ] || fail "a refused export left a file"

for kv in "legal_form SAS" "share_capital 10000" "siren 552120222" "rcs_city Paris" "vat_number FR27552120222" \
  "iban FR1420041010050500013M02606" "bic SOGEFRPP" "email factures@particeep.test" "phone 0179656663"; do
  set -- $kv
  ok seller set "$1" "$2" --effective 2026-01-01
done

# ---- bad input: exit 2, nothing written ----
expect_exit 2 invoice export F2026-000001 --as docx --dir "$WORK"
expect_contains "--as accepted" "$ERR" "expected html, pdf, cii or facturx"
expect_exit 2 invoice export F2026-000001 F2026-000002 --as html -o "$WORK/x.html"
expect_exit 2 invoice export --as html --dir "$WORK"
expect_exit 2 invoice export F2026-000001 --period 2026-03 --as html --dir "$WORK"
expect_exit 2 invoice export --period 2026-13 --as html --dir "$WORK"
expect_exit 3 invoice export F2026-000001 F2026-000099 --as html --dir "$WORK"
expect_eq "all or nothing: no file for the known one" "$(ls "$WORK" | grep -c html)" "0"
expect_exit 3 invoice export --period 2026-07 --as html --dir "$WORK"
snapshot

# ---- cii: every document of the month, valid against the EN 16931 schema ----
mkdir "$WORK/cii"
ok --format json invoice export --period 2026-03 --as cii --dir "$WORK/cii"
expect_eq "three documents of March" "$(jf '[.documents[].number] | join(",")')" \
  "F2026-000001,F2026-000002,AV2026-000001"
expect_eq "credit note kind" "$(jf '.documents[2].kind')" "credit-note"
if [ -f "$XSD" ] && has xmllint; then
  for f in "$WORK"/cii/*.xml; do
    CHECKS=$((CHECKS + 1))
    xmllint --noout --schema "$XSD" "$f" 2>"$WORK/xsd.err" || fail "$(basename "$f") not valid: $(cat "$WORK/xsd.err")"
  done
else
  echo "skipped: XSD validation (no ../shared samples or no xmllint)"
fi
xp() { xmllint --xpath "string($1)" "$2" 2>/dev/null; }
if has xmllint; then
  expect_eq "credit note type 381" "$(xp '//*[local-name()="TypeCode"]' "$WORK/cii/AV2026-000001.xml")" "381"
  expect_eq "credit note cites" \
    "$(xp '//*[local-name()="InvoiceReferencedDocument"]/*[local-name()="IssuerAssignedID"]' "$WORK/cii/AV2026-000001.xml")" \
    "F2026-000001"
  # 100,00 HT credited at 20 %: VAT 20,00, TTC 120,00.
  expect_eq "credit note total" "$(xp '//*[local-name()="GrandTotalAmount"]' "$WORK/cii/AV2026-000001.xml")" "120.00"
  expect_eq "invoice total" "$(xp '//*[local-name()="GrandTotalAmount"]' "$WORK/cii/F2026-000001.xml")" "1481.47"
  expect_eq "reverse charge category" \
    "$(xp '(//*[local-name()="ApplicableTradeTax"]/*[local-name()="CategoryCode"])[1]' "$WORK/cii/F2026-000002.xml")" "AE"
fi
expect_unchanged "export is read-only"

# ---- existing files: refused without --force, all or nothing ----
mkdir "$WORK/again"
: > "$WORK/again/F2026-000002.xml"
expect_exit 5 invoice export F2026-000001 F2026-000002 --as cii --dir "$WORK/again"
expect_eq "no file beside the existing one" "$(ls "$WORK/again")" "F2026-000002.xml"
ok invoice export F2026-000001 F2026-000002 --as cii --dir "$WORK/again" --force
cmp -s "$WORK/again/F2026-000002.xml" "$WORK/cii/F2026-000002.xml" || fail "--force did not replace the file"
ok --dry-run invoice export F2026-000001 --as cii -o "$WORK/dry.xml"
[ ! -e "$WORK/dry.xml" ] || fail "--dry-run wrote a file"
expect_exit 2 invoice export F2026-000001 --as cii -o "$TALLY_DB" --force

# ---- html: every mention of E1, French amounts, nothing fetched ----
ok invoice export F2026-000001 --as html -o "$WORK/F1.html"
# The page's text as a browser reads it: entities decoded (Python's html module).
page_text() { python3 -c 'import html, sys; print(html.unescape(sys.stdin.read()))' < "$1"; }
expect_contains "html escaped" "$(cat "$WORK/F1.html")" "Mise en service &lt;plateforme&gt;"
H=$(page_text "$WORK/F1.html")
for m in "F2026-000001" "Date d'émission" "02/03/2026" "Date d'échéance" "01/04/2026" "Particeep" \
  "29 rue du Louvre" "75002 Paris" "SAS au capital de 10 000,00 € - RCS Paris 552 120 222" \
  "N° TVA intracommunautaire : FR27552120222" "ACME SAS" "1 rue de la Paix" "SIREN 775 670 417" "FR81775670417" \
  "Mise en service <plateforme>" "1 234,56 €" "246,91 €" "1 481,47 €" "TVA 20 % sur 1 234,56 €" \
  "taux annuel de 10,00 %" "40,00 €" "Pas d'escompte pour paiement anticipé" \
  "IBAN FR14 2004 1010 0505 0001 3M02 606" "BIC SOGEFRPP"; do
  expect_contains "html mention" "$H" "$m"
done
CHECKS=$((CHECKS + 1))
grep -qiE '<(script|link|img|iframe)|src=|href=|url\(' "$WORK/F1.html" && fail "the page loads a resource"
ok invoice export F2026-000002 --as html -o "$WORK/F2.html"
expect_contains "reverse charge mention" "$(page_text "$WORK/F2.html")" "Autoliquidation"
expect_contains "buyer VAT number" "$(page_text "$WORK/F2.html")" "DE123456789"
ok invoice export AV2026-000001 --as html -o "$WORK/AV1.html"
expect_contains "credit note cites" "$(page_text "$WORK/AV1.html")" "Avoir sur la facture n° F2026-000001 du 02/03/2026"

CHROMIUM=$(command -v chromium || command -v chromium-browser || true)
if [ -n "$CHROMIUM" ]; then
  DOM=$(timeout 120 "$CHROMIUM" --headless --no-sandbox --disable-gpu --user-data-dir="$WORK/chromium" \
    --dump-dom "file://$WORK/F1.html" 2>/dev/null)
  expect_contains "chromium renders the number" "$DOM" "F2026-000001"
  expect_contains "chromium renders the total" "$DOM" "1 481,47 €"
  expect_contains "chromium renders the mentions" "$DOM" "Pas d'escompte pour paiement anticipé"
  timeout 120 "$CHROMIUM" --headless --no-sandbox --disable-gpu --user-data-dir="$WORK/chromium" \
    --print-to-pdf="$WORK/F1-chromium.pdf" "file://$WORK/F1.html" >/dev/null 2>&1
  if has pdftotext; then
    expect_contains "chromium prints the page" "$(pdftotext -layout "$WORK/F1-chromium.pdf" - 2>/dev/null)" \
      "1 481,47 €"
  fi
else
  echo "skipped: chromium rendering (no chromium)"
fi

# ---- pdf and facturx: qpdf, pdftotext, pdffonts ----
if has qpdf && has pdftotext; then
  ok invoice export F2026-000001 --as pdf -o "$WORK/F1.pdf"
  CHECKS=$((CHECKS + 1))
  qpdf --check "$WORK/F1.pdf" >/dev/null 2>&1 || fail "qpdf --check failed on the pdf"
  # Amounts are laid out with no-break spaces (U+00A0): read as spaces.
  pdf_text() { pdftotext -layout "$1" - 2>/dev/null | sed 's/\xc2\xa0/ /g'; }
  T=$(pdf_text "$WORK/F1.pdf")
  for m in "F2026-000001" "02/03/2026" "01/04/2026" "SAS au capital de 10 000,00 €" "RCS Paris 552 120 222" \
    "FR27552120222" "FR81775670417" "1 234,56 €" "246,91 €" "1 481,47 €" "10,00 %" "40,00 €" \
    "Pas d'escompte pour paiement anticipé" "FR14 2004 1010 0505 0001 3M02 606"; do
    expect_contains "pdf mention" "$T" "$m"
  done
  if has pdffonts; then
    CHECKS=$((CHECKS + 1))
    pdffonts "$WORK/F1.pdf" | awk 'NR > 2 && $(NF-4) != "yes" { bad = 1 } END { exit bad }' ||
      fail "a font is not embedded: $(pdffonts "$WORK/F1.pdf")"
  fi

  expect_exit 2 invoice export F2026-000001 --as facturx --dir "$WORK/fx"  # no such folder
  mkdir "$WORK/fx"
  ok invoice export F2026-000001 AV2026-000001 F2026-000002 --as facturx --dir "$WORK/fx"
  for n in F2026-000001 AV2026-000001 F2026-000002; do
    f="$WORK/fx/$n.pdf"
    CHECKS=$((CHECKS + 1))
    qpdf --check "$f" >/dev/null 2>&1 || fail "qpdf --check failed on $n"
    CHECKS=$((CHECKS + 1))
    qpdf --show-attachment=factur-x.xml "$f" > "$WORK/fx/$n.xml" 2>/dev/null || fail "$n: no factur-x.xml"
    CHECKS=$((CHECKS + 1))
    cmp -s "$WORK/fx/$n.xml" "$WORK/cii/$n.xml" || fail "$n: the attachment is not the cii export"
  done
  qpdf --qdf --object-streams=disable "$WORK/fx/F2026-000001.pdf" "$WORK/fx/qdf.pdf" 2>/dev/null
  Q=$(cat -v "$WORK/fx/qdf.pdf")
  for m in "/AFRelationship /Data" "/AF [" "/Subtype /text#2fxml" "/S /GTS_PDFA1" "/OutputIntents" \
    "<pdfaid:part>3</pdfaid:part>" "<pdfaid:conformance>B</pdfaid:conformance>" \
    "<fx:DocumentType>INVOICE</fx:DocumentType>" "<fx:DocumentFileName>factur-x.xml</fx:DocumentFileName>" \
    "<fx:Version>1.0</fx:Version>" "<fx:ConformanceLevel>EN 16931</fx:ConformanceLevel>" \
    "urn:factur-x:pdfa:CrossIndustryDocument:invoice:1p0#"; do
    expect_contains "factur-x structure" "$Q" "$m"
  done
  expect_contains "attachment listed" "$(qpdf --list-attachments "$WORK/fx/F2026-000001.pdf")" "factur-x.xml"
  expect_contains "facturx text" "$(pdf_text "$WORK/fx/F2026-000002.pdf")" "Autoliquidation"
  expect_contains "credit note text" "$(pdf_text "$WORK/fx/AV2026-000001.pdf")" "Avoir sur la facture n° F2026-000001 du 02/03/2026"
else
  echo "skipped: pdf checks (no qpdf or pdftotext)"
fi

finish
