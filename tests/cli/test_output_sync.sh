# End-to-end: the files a command writes beside the ledger reach the disk
# with one sync of their file system, not one fsync per file (issue 23: an
# fsync costs a journal commit, 7 ms on the benchmark's VM, and a month of
# CII documents is thousands of files). Counted with strace, a tool written by
# others; skipped when it is absent.
. "$(dirname "$0")/lib.sh"

if ! command -v strace >/dev/null 2>&1 || ! strace -f -o /dev/null true 2>/dev/null; then
  echo "skipped: no usable strace (install strace)"
  finish
  exit 0
fi

export TALLY_AS_OF=2026-03-02
ok init
for kv in "legal_form SAS" "share_capital 10000" "siren 552120222" "rcs_city Paris" "vat_number FR27552120222" \
  "iban FR1420041010050500013M02606" "bic SOGEFRPP"; do
  set -- $kv
  ok seller set "$1" "$2" --effective 2026-01-01
done
ok customer add acme --name "ACME SAS"
for k in 1 2 3 4 5 6 7 8; do ok invoice create --customer acme --kind services --amount "$k"00; done
mkdir "$WORK/cii"

# sync_calls NAME: how many NAME system calls the last traced run made.
sync_calls() { awk -v name="$1" '$0 ~ "(^|[^a-z_])" name "\\(" { n++ } END { print n + 0 }' "$WORK/trace"; }

strace -f -qq -e trace=fsync,fdatasync,syncfs -o "$WORK/trace" \
  "$TALLY" invoice export --period 2026-03 --as cii --dir "$WORK/cii" >/dev/null 2>&1
CHECKS=$((CHECKS + 1))
[ "$(ls "$WORK/cii" | grep -c '\.xml$')" -eq 8 ] || fail "expected 8 CII documents, found: $(ls "$WORK/cii")"
expect_eq "no fsync per document (8 documents)" "$(sync_calls fsync)" "0"
expect_eq "no fdatasync per document" "$(sync_calls fdatasync)" "0"
expect_eq "one syncfs for the folder" "$(sync_calls syncfs)" "1"
[ -z "$(ls -A "$WORK/cii" | grep tally-)" ] || fail "a temporary file was left: $(ls -A "$WORK/cii")"

# --force over the same files: still one sync for all of them.
strace -f -qq -e trace=fsync,fdatasync,syncfs -o "$WORK/trace" \
  "$TALLY" invoice export --period 2026-03 --as cii --dir "$WORK/cii" --force >/dev/null 2>&1
expect_eq "replacing: no fsync per document" "$(sync_calls fsync)" "0"
expect_eq "replacing: one syncfs" "$(sync_calls syncfs)" "1"

# A refused export (the files exist, no --force) syncs nothing and writes nothing.
strace -f -qq -e trace=fsync,fdatasync,syncfs -o "$WORK/trace" \
  "$TALLY" invoice export --period 2026-03 --as cii --dir "$WORK/cii" >/dev/null 2>&1
expect_eq "refused: no sync" "$(sync_calls syncfs)" "0"
expect_eq "refused: no temporary left" "$(ls -A "$WORK/cii" | grep -c tally-)" "0"

# overdue --apply --notices: the notices are synced inside the penalties'
# transaction, before its commit (the ledger's own sync comes after the
# syncfs), so that a notice that cannot reach the disk leaves no penalty.
# The eight invoices of 2026-03-02 (30 days' terms) are late on 2026-06-30.
strace -f -qq -e trace=fsync,fdatasync,syncfs -o "$WORK/trace" \
  "$TALLY" --as-of 2026-06-30 overdue --apply --notices "$WORK/notices" >/dev/null 2>&1
CHECKS=$((CHECKS + 1))
[ -n "$(ls "$WORK/notices" 2>/dev/null)" ] || fail "overdue --apply --notices wrote no notice"
expect_eq "notices: one syncfs" "$(sync_calls syncfs)" "1"
syncfs_at=$(grep -n 'syncfs(' "$WORK/trace" | head -1 | cut -d: -f1)
last_sync=$(grep -nE '(^|[^a-z])f(data)?sync\(' "$WORK/trace" | tail -1 | cut -d: -f1)
CHECKS=$((CHECKS + 1))
[ -n "$syncfs_at" ] && [ -n "$last_sync" ] && [ "$syncfs_at" -lt "$last_sync" ] ||
  fail "the notices' syncfs (line ${syncfs_at:-none}) does not come before the ledger's commit sync (line ${last_sync:-none}): $(cat "$WORK/trace")"

finish
