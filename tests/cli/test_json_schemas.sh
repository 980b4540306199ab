# Issue 22 item 5: every command's JSON is described by a JSON Schema in
# docs/json/, and lib.sh validates each JSON output of the CLI tests against
# its command's schema (tests/cli/validate_json.py, python3-jsonschema).
# Here: the schemas themselves are valid, the validator refuses what breaks a
# schema and a command without one, and the commands no other test prints as
# JSON are run once.
. "$(dirname "$0")/lib.sh"

VALIDATE() { python3 "$JSON_VALIDATOR" "$JSON_SCHEMAS" "$@"; }
if ! python3 -c 'import jsonschema' 2> /dev/null; then
  echo "test_json_schemas: SKIPPED: python3-jsonschema is not installed (apt-get install python3-jsonschema)" >&2
  finish
  exit $?
fi

# Every schema is valid against its metaschema (2020-12), its $id names its
# file, and every $ref resolves (one python3 process for them all).
out=$(VALIDATE --check-schemas 2>&1)
expect_eq "schemas valid" "$?:$out" "0:"
# ... and a schema with a $ref that names nothing, or an $id not its own, is caught.
cp -r "$JSON_SCHEMAS" "$WORK/schemas"
sed -i 's|#/$defs/invoice"|#/$defs/invoise"|' "$WORK/schemas/invoice-show.schema.json"
sed -i 's|/sla.schema.json"|/slx.schema.json"|' "$WORK/schemas/sla.schema.json"
out=$(python3 "$JSON_VALIDATOR" "$WORK/schemas" --check-schemas 2>&1)
expect_contains "bad \$ref caught" "$out" "invoice-show: \$ref common.schema.json#/\$defs/invoise does not resolve"
expect_contains "bad \$id caught" "$out" "sla: \$id does not name its file"
# Each command's schema requires its keys: an empty object is refused.
echo '{}' > "$WORK/empty.json"
out=$(VALIDATE --schema invoice-list "$WORK/empty.json" 2>&1)
expect_contains "required keys" "$out" "'as_of' is a required property"

# The validator refuses a document that breaks its schema: an amount without
# its two decimals, an unknown key, a stage that does not exist.
cat > "$WORK/bad-status.json" <<'JSON'
{"customer": "acme", "as_of": "2026-03-01", "stage": "asleep", "next_stage": null, "next_stage_date": null,
 "upcoming": [], "standby": null, "cancelled": null,
 "capabilities": {"admin": "on", "platform": "on", "operations": "on", "support": "on"},
 "balance": "12.5", "credit": "0.00", "colour": "red"}
JSON
out=$(VALIDATE --schema status "$WORK/bad-status.json")
expect_eq "bad document refused" "$?" "1"
expect_contains "amount pattern" "$out" "balance: '12.5' does not match"
expect_contains "unknown key" "$out" "'colour' was unexpected"
expect_contains "stage enum" "$out" "stage: 'asleep' is not one of"

# A command whose JSON has no schema is a failure, as is output that is not JSON.
mkdir -p "$WORK/runs"
printf '%s\0' --format json frobnicate > "$WORK/runs/1.args"
echo '{}' > "$WORK/runs/1.out"
printf '%s\0' --format json status acme > "$WORK/runs/2.args"
echo 'Customer acme' > "$WORK/runs/2.out"
out=$(VALIDATE "$WORK/runs")
expect_eq "runs refused" "$?" "1"
expect_contains "no schema" "$out" "no schema docs/json/frobnicate.schema.json"
expect_contains "not JSON" "$out" "tally --format json status acme: not one JSON document"

# The commands whose JSON no other test prints; each validated by finish.
ok --format json init
ok --format json customer add acme --name "ACME SAS" --terms 45
ok --format json customer list
expect_eq "customer list" "$(jf '[.customers[] | .code, (.terms_days | tostring)] | join(" ")')" "acme 45"
ok --format json customer iban acme FR7630006000011234567890189
ok --format json customer iban acme FR7630006000011234567890189 --remove
ok --format json subscription add --customer acme --amount 1500 --cycle monthly --start 2026-01-01
expect_eq "subscription" "$(jf '.subscription | [.amount_ht, .cycle, .start] | join(" ")')" "1500.00 monthly 2026-01-01"
ok --format json subscription list
ok --format json policy show
ok --format json --dry-run policy set card_fee_rate 0 --effective 2027-01-01
expect_eq "dry run" "$(jf .dry_run)" "true"
ok --format json seller show
ok --format json report aging
ok --format json report balance
ok --format json report suspense
ok --format json standby list
ok --format json payment list
ok --format json invoice list
ok --format json verify
finish
