# End-to-end, as a hostile user would try it (issue 17, items 1-5 and 8): the
# files tally writes outside its ledger, the files it agrees to open as a
# ledger, reading without writing, the busy lock, strict integers. Each case:
# the command, the exit code, the ledger's dump unchanged where it must be, and
# no file created or changed outside.
. "$(dirname "$0")/lib.sh"

# sums DIR: every file under DIR (links as links) with its content's hash.
# SQLite's shared-memory index (-shm) and an empty -wal are left out: readers of
# a WAL ledger may make them (and the sqlite3 shell used by `snapshot` removes
# them); the ledger's bytes and a -wal with content are compared.
sums() { (cd "$1" && find . -path ./stderr -prune -o -name '*-shm' -prune -o -name '*-wal' -empty -prune -o \
  \( -type f -o -type l \) -print | sort | while read -r f; do
  if [ -L "$f" ]; then echo "$f -> $(readlink "$f")"; else echo "$f $(sha256sum < "$f" | cut -c1-16)"; fi
done); }
# files_unchanged WHAT: the work folder holds the same files as at the last files_snapshot.
files_snapshot() { sums "$WORK" > "$WORK/../files-$$.txt"; }
files_unchanged() {
  CHECKS=$((CHECKS + 1))
  sums "$WORK" | cmp -s - "$WORK/../files-$$.txt" || fail "files changed: $* ($(sums "$WORK" | diff "$WORK/../files-$$.txt" - | tr '\n' ' '))"
}
trap 'rm -rf "$WORK" "$WORK/../files-$$.txt"' EXIT

ok init
ok customer add acme --name "ACME SAS"
ok --as-of 2026-01-01 subscription add --customer acme --amount 1000 --cycle monthly --start 2026-01-01
ok --as-of 2026-01-01 invoice run --period 2026-01
export TALLY_AS_OF=2026-03-16
L="--letter-date 2026-02-01 --letter-ref RA1"
echo "outside" > "$WORK/outside.txt"

# ---- 1. Files written: new only, never the ledger, a link, a device or a folder.
snapshot; files_snapshot
# The reported defect: a dry run that replaced the ledger with the letter.
expect_exit 2 --dry-run cancel --customer acme $L --statement "$TALLY_DB"
expect_contains "ledger named" "$ERR" "it is the ledger's own file"
expect_exit 2 cancel --customer acme $L --statement "$TALLY_DB" --force
expect_exit 2 cancel --customer acme $L --statement "$TALLY_DB-wal" --force
# The same file under another name: compared by device and inode.
ln "$TALLY_DB" "$WORK/hardlink.db"
files_snapshot
expect_exit 2 cancel --customer acme $L --statement "$WORK/hardlink.db" --force
expect_contains "hard link" "$ERR" "it is the ledger's own file"
expect_exit 2 cancel --customer acme $L --statement "$WORK/./../$(basename "$WORK")/ledger.db" --force
rm "$WORK/hardlink.db"
files_snapshot
expect_exit 5 cancel --customer acme $L --statement "$WORK/outside.txt"
expect_contains "existing named" "$ERR" "file '$WORK/outside.txt' already exists"
ln -s outside.txt "$WORK/link.md"
files_snapshot
expect_exit 2 cancel --customer acme $L --statement "$WORK/link.md" --force
expect_contains "symlink" "$ERR" "symbolic link"
ln -s nowhere.txt "$WORK/dangling.md"
files_snapshot
expect_exit 2 cancel --customer acme $L --statement "$WORK/dangling.md"
mkdir "$WORK/folder"
files_snapshot
expect_exit 2 cancel --customer acme $L --statement "$WORK/folder" --force
expect_contains "folder" "$ERR" "it is a directory"
mkfifo "$WORK/fifo"
files_snapshot
expect_exit 2 cancel --customer acme $L --statement "$WORK/fifo" --force
expect_contains "fifo" "$ERR" "not a regular file"
expect_exit 2 cancel --customer acme $L --statement /dev/full --force
expect_exit 2 cancel --customer acme $L --statement /dev/null --force
[ -c /dev/full ] || fail "/dev/full is no longer a device"
expect_unchanged "refused statement targets"
files_unchanged "refused statement targets"

# Dry run: no file, and it says what it would have written.
ok --dry-run cancel --customer acme $L --statement "$WORK/draft.md"
[ -e "$WORK/draft.md" ] && fail "dry run wrote a file"
expect_contains "dry-run says" "$OUT" "Statement letter would be written to $WORK/draft.md"
expect_unchanged "dry-run cancel"
files_unchanged "dry-run cancel"

# Backups follow the same rules (the source is only read).
expect_exit 2 backup "$TALLY_DB" --force
expect_exit 2 backup "$WORK/link.md" --force
expect_exit 2 backup /dev/full --force
expect_exit 5 backup "$WORK/outside.txt"
ok --dry-run backup "$WORK/copy.db"
[ -e "$WORK/copy.db" ] && fail "dry-run backup wrote a file"
expect_unchanged "refused backups"
files_unchanged "refused backups"

# ---- 2. All or nothing across the ledger and its files.
# The reported defect: a penalty committed although the notices could not be written.
expect_exit 2 --as-of 2026-03-16 overdue --apply --notices "$WORK/outside.txt"
expect_contains "notices not a folder" "$ERR" "not a directory"
# A planted link in the notices folder is refused, not followed, before anything is written.
mkdir "$WORK/notices"
ln -s ../outside.txt "$WORK/notices/acme-2026-03-16.txt"
files_snapshot
expect_exit 2 --as-of 2026-03-16 overdue --apply --notices "$WORK/notices"
expect_contains "planted link" "$ERR" "symbolic link"
expect_exit 2 --as-of 2026-03-16 overdue --apply --notices "$WORK/notices" --force
expect_unchanged "refused notices"
files_unchanged "refused notices"
rm "$WORK/notices/acme-2026-03-16.txt"
echo "older notice" > "$WORK/notices/acme-2026-03-16.txt"
files_snapshot
expect_exit 5 --as-of 2026-03-16 overdue --apply --notices "$WORK/notices"
expect_unchanged "existing notice"
files_unchanged "existing notice"
# A full disk (here: a file size limit of 0, SIGXFSZ ignored so writes fail with
# EFBIG): nothing recorded, no notice, not even an empty one.
rm "$WORK/notices/acme-2026-03-16.txt"
files_snapshot
(trap '' XFSZ; ulimit -f 0; exec "$TALLY" --as-of 2026-03-16 overdue --notices "$WORK/notices" >/dev/null 2>"$WORK/stderr")
rc=$?
expect_eq "notice on a full disk: exit" "$rc" "1"
(trap '' XFSZ; ulimit -f 0; exec "$TALLY" --as-of 2026-03-16 overdue --apply --notices "$WORK/notices" >/dev/null 2>"$WORK/stderr")
rc=$?
[ "$rc" -ne 0 ] || fail "overdue --apply on a full disk exited 0"
expect_unchanged "full disk"
files_unchanged "full disk"
# And when everything can be written: the penalty and the notice, together.
ok --as-of 2026-03-16 --format json overdue --apply --notices "$WORK/notices"
expect_eq "notice written" "$(jf '.notices[0].written')" "true"
expect_contains "notice content" "$(cat "$WORK/notices/acme-2026-03-16.txt")" "F2026-000001"
[ -n "$(jf '.issued[0].number')" ] || fail "no penalty invoice issued with the notice"
ls -A "$WORK/notices" | grep -q '^\.' && fail "temporary files left in the notices folder"

# ---- 3. Only tally ledgers are opened, and left byte for byte as they were.
expect_eq "application id" "$(sqlite3 "$TALLY_DB" 'PRAGMA application_id')" "1414286425"
: > "$WORK/empty.db"
sqlite3 "$WORK/foreign.db" "CREATE TABLE t(x); INSERT INTO t VALUES (1);"
printf 'not a database at all\n' > "$WORK/text.db"
files_snapshot
for f in empty foreign text; do
  for cmd in "status acme" "customer add x --name X" "verify" "backup $WORK/b-$f.db" "invoice list"; do
    # shellcheck disable=SC2086
    expect_exit 7 --db "$WORK/$f.db" $cmd
    expect_contains "$f: $cmd" "$ERR" "is not a tally ledger"
  done
done
files_unchanged "foreign files opened as ledgers"
expect_exit 7 --db /dev/null status acme
expect_exit 5 --db /dev/null init
[ -e /dev/null-journal ] && fail "/dev/null-journal created"
# A ledger made before tally stamped its id gets it on its next write.
sqlite3 "$TALLY_DB" 'PRAGMA application_id = 0'
ok verify
expect_eq "verify never stamps" "$(sqlite3 "$TALLY_DB" 'PRAGMA application_id')" "0"
ok customer add beta --name "Beta SA"
expect_eq "stamped on migration" "$(sqlite3 "$TALLY_DB" 'PRAGMA application_id')" "1414286425"
# A failed init leaves nothing behind (a disk full from the first byte).
mkdir "$WORK/initdir"
(trap '' XFSZ; ulimit -f 0; exec "$TALLY" --db "$WORK/initdir/l.db" init >/dev/null 2>"$WORK/stderr")
rc=$?
[ "$rc" -ne 0 ] || fail "init on a full disk exited 0"
expect_eq "failed init leaves nothing" "$(ls -A "$WORK/initdir")" ""

# ---- 4. Reading never writes; a held lock is exit 6 for every command.
files_snapshot
for cmd in "verify" "status acme" "invoice list" "payment list" "customer list" "customer show acme" \
           "subscription list" "report aging" "report balance" "report suspense" "report close --month 2026-01" \
           "overdue" "policy show" "standby list" "invoice show F2026-000001" "report vat --month 2026-01" \
           "export fec --year 2026" "export journal --year 2026"; do
  # shellcheck disable=SC2086
  ok $cmd
done
files_unchanged "readers"
# A read-only ledger: verify and the readers work on a file nobody may write
# (checked as an unprivileged user when run as root, who may write anything).
ok backup "$WORK/ro.db"
as_reader=()
if [ "$(id -u)" -eq 0 ] && command -v setpriv >/dev/null; then
  as_reader=(setpriv --reuid=65534 --regid=65534 --clear-groups)
  chmod 755 "$WORK"
fi
mkdir "$WORK/rodir"; mv "$WORK/ro.db" "$WORK/rodir/ro.db"; cp "$TALLY_DB" "$WORK/rodir/wal.db"
chmod 444 "$WORK/rodir/ro.db" "$WORK/rodir/wal.db"; chmod 555 "$WORK/rodir"
files_snapshot
if [ "$(id -u)" -ne 0 ] || [ ${#as_reader[@]} -gt 0 ]; then
  for db in ro wal; do
    "${as_reader[@]}" "$TALLY" --db "$WORK/rodir/$db.db" verify >/dev/null 2>"$WORK/stderr"
    expect_eq "verify of a read-only $db ledger: $(cat "$WORK/stderr")" "$?" "0"
    "${as_reader[@]}" "$TALLY" --db "$WORK/rodir/$db.db" status acme >/dev/null 2>"$WORK/stderr"
    expect_eq "status of a read-only $db ledger: $(cat "$WORK/stderr")" "$?" "0"
    "${as_reader[@]}" "$TALLY" --db "$WORK/rodir/$db.db" export fec --year 2026 >/dev/null 2>"$WORK/stderr"
    expect_eq "export fec of a read-only $db ledger: $(cat "$WORK/stderr")" "$?" "0"
  done
else
  echo "SKIP: read-only ledger cases (running as root without setpriv)"
fi
files_unchanged "read-only ledgers"
chmod 755 "$WORK/rodir"
# Another process holds the write lock: writers wait TALLY_BUSY_TIMEOUT then exit 6;
# readers of a WAL ledger go on (exit 0), never 1 or 7.
export TALLY_BUSY_TIMEOUT=300
hold_lock() {  # SQL: run by a sqlite3 shell that keeps the lock until release_lock
  mkfifo "$WORK/lock.in"
  sqlite3 "$TALLY_DB" < "$WORK/lock.in" > /dev/null &
  LOCK_PID=$!
  exec 9>"$WORK/lock.in"
  printf '%s\n' "$1" >&9
  sleep 0.5
}
release_lock() { printf 'ROLLBACK;\n.quit\n' >&9; exec 9>&-; wait "$LOCK_PID"; rm -f "$WORK/lock.in"; }
snapshot
hold_lock "BEGIN IMMEDIATE; INSERT INTO period_lock(month, locked_at) VALUES ('1999-01', '1999-02-01');"
for cmd in "customer add gamma --name Gamma" "pay F2026-000001 --method sepa --amount 1" "overdue --apply"; do
  # shellcheck disable=SC2086
  expect_exit 6 $cmd
done
for cmd in "status acme" "verify" "backup $WORK/during-lock.db" "invoice list"; do
  # shellcheck disable=SC2086
  ok $cmd
done
release_lock
# An exclusive lock (locking_mode EXCLUSIVE) shuts readers out too: exit 6.
hold_lock "PRAGMA locking_mode = EXCLUSIVE; BEGIN EXCLUSIVE; INSERT INTO period_lock(month, locked_at) VALUES ('1999-01', '1999-02-01');"
for cmd in "status acme" "verify" "backup $WORK/during-xlock.db" "invoice list" "customer add gamma --name Gamma"; do
  # shellcheck disable=SC2086
  expect_exit 6 $cmd
done
release_lock
expect_unchanged "busy ledger"
unset TALLY_BUSY_TIMEOUT

# ---- 5. Integers and empty values parse strictly.
ok --as-of 2026-03-16 pay F2026-000001 --method sepa --amount 10 --date 2026-03-16
snapshot
for id in 18446744073709551617 9223372036854775808 99999999999999999999999 -1 0x1 1e3; do
  expect_exit 2 payment reverse "$id" --reason "test"
  expect_contains "id $id named" "$ERR" "'$id'"
done
expect_exit 2 --as-of "" status acme
expect_contains "empty as-of" "$ERR" "invalid --as-of '': an empty value is not accepted"
expect_exit 2 invoice list --customer ""
expect_exit 2 pay F2026-000001 --method "" --amount 1
expect_exit 2 --db "" status acme
expect_exit 2 invoice show ""
expect_unchanged "strict integers and empty values"
expect_eq "payment 1 not reversed" "$(sqlite3 "$TALLY_DB" 'SELECT COUNT(*) FROM payment WHERE reversed_on IS NOT NULL')" "0"

finish
