#!/usr/bin/env python3
"""The tally benchmark (./build.sh bench; docs/performance.md).

Builds ledgers of about 10k, 100k and 1M invoices with gen_ledger (libtally
itself, so `tally verify` passes on them), then times the main commands as
whole processes: the median wall time of --runs runs and the peak resident
memory of each process (wait4's ru_maxrss). The references run in the same
session: the sqlite3 shell doing the same single-payment write with the same
journal and sync settings, the same late-invoice listing as one query, and
an import's writes done set-based (IMPORT_SQL).
Prints one table, then how each command's time grows with the ledger.

Ledgers are kept in --work (default build-bench/ledgers) and reused while the
generator's parameters are the same; --regen builds them again.
Python 3 standard library only.
"""
import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import time

SIZES = {  # name: (customers, invoices)
    "10k": (1000, 10_000),
    "100k": (10_000, 100_000),
    "1M": (10_000, 1_000_000),
}
MIB = 1024 * 1024

# Targets on the 1M ledger (issue 9): command -> (max ms, max ratio to reference).
TARGETS = {
    "pay": (10, 1.5),
    "status": (10, None),
    "overdue": (1000, 2.0),
    "invoice run": (1000, None),
    "report aging": (1000, None),
    "import 100k lines": (3000, None),
}
MAX_RSS_MIB = 64

LATE_QUERY = """
SELECT c.code, i.number, i.due_date, i.total_ttc - i.paid - i.credited AS balance,
       CAST(julianday('{d}') - julianday(i.due_date) AS INTEGER) AS days_late,
       (i.total_ttc - i.paid - i.credited) * 1000 * CAST(julianday('{d}') - julianday(i.due_date) AS INTEGER)
         / 3650000 AS interest
FROM invoice i JOIN customer c ON c.id = i.customer_id
WHERE i.credit_note = 0 AND i.kind <> 'penalty' AND i.settled_on IS NULL AND i.due_date < '{d}'
ORDER BY c.code, i.due_date, i.number;
"""

# tally's connection settings: the WAL kept between processes, FULL sync.
CONNECTION_SQL = """
.filectrl persist_wal 1
PRAGMA synchronous = FULL;
PRAGMA journal_size_limit = 4194304;
PRAGMA foreign_keys = ON;
PRAGMA busy_timeout = 5000;
"""

# The write `tally pay NUMBER --method sepa --ref R` makes (no fee): one
# payment, its allocation, the invoice's cached balance, one journal event,
# with tally's connection settings.
PAY_SQL = CONNECTION_SQL + """
BEGIN IMMEDIATE;
INSERT INTO payment(customer_id, invoice_id, amount, method, date, ref, detail)
  SELECT customer_id, id, total_ttc - paid - credited, 'sepa', '{d}', '{ref}', '' FROM invoice WHERE number = '{n}';
INSERT INTO allocation(invoice_id, payment_id, amount, date)
  SELECT invoice_id, id, amount, date FROM payment WHERE id = last_insert_rowid();
UPDATE invoice SET paid = total_ttc - credited, settled_on = '{d}' WHERE number = '{n}';
INSERT INTO journal(id, at, os_user, command, kind, payload, prev_hash, hash)
  SELECT id + 1, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), 'bench', 'sqlite3', 'pay',
         '{{"invoice":"{n}","ref":"{ref}"}}', hash, lower(hex(randomblob(32)))
  FROM journal ORDER BY id DESC LIMIT 1;
COMMIT;
"""

# The writes `tally import payments` makes for a statement whose lines each pay
# the invoice their label names (no fee), done set-based by the sqlite3 shell
# with the import's connection settings: the statement loaded into a temporary
# table, then one statement each for the payments, their allocations, the
# invoices' and customers' cached balances, one journal event per payment
# shaped like tally's (same command line and payload fields; random hashes),
# and the lines that name no invoice to the suspense list.
# No per-line rule, parse or output: the floor under tally's time.
IMPORT_SQL = CONNECTION_SQL + """
PRAGMA temp_store = MEMORY;
PRAGMA cache_size = -16384;
CREATE TEMP TABLE st(date TEXT, amount TEXT, reference TEXT, label TEXT, method TEXT);
.import --csv --skip 1 {csv} st
BEGIN IMMEDIATE;
CREATE TEMP TABLE base AS SELECT (SELECT MAX(id) FROM payment) AS p, (SELECT MAX(id) FROM journal) AS j;
INSERT INTO payment(customer_id, invoice_id, amount, method, date, ref, detail)
  SELECT i.customer_id, i.id, CAST(replace(st.amount, '.', '') AS INTEGER), st.method, st.date, st.reference, st.label
  FROM st JOIN invoice i ON i.number = substr(st.label, 6, 12) ORDER BY st.rowid;
INSERT INTO allocation(invoice_id, payment_id, amount, date)
  SELECT invoice_id, id, amount, date FROM payment WHERE id > (SELECT p FROM base) ORDER BY id;
UPDATE invoice SET paid = paid + s.amount,
  settled_on = CASE WHEN total_ttc - paid - s.amount - credited <> 0 THEN NULL ELSE s.date END
  FROM (SELECT invoice_id, SUM(amount) AS amount, MAX(date) AS date FROM payment
        WHERE id > (SELECT p FROM base) GROUP BY invoice_id) AS s
  WHERE invoice.id = s.invoice_id;
UPDATE customer SET owed = owed - s.amount, moved_on = MAX(COALESCE(moved_on, ''), s.date)
  FROM (SELECT customer_id, SUM(amount) AS amount, MAX(date) AS date FROM payment
        WHERE id > (SELECT p FROM base) GROUP BY customer_id) AS s
  WHERE customer.id = s.customer_id;
INSERT INTO journal(id, at, os_user, command, kind, payload, prev_hash, hash)
  SELECT (SELECT j FROM base) + p.id - (SELECT p FROM base), strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), 'bench',
         '{command}', 'pay',
         json_object('allocations', json_array(json_object('amount', printf('%d.%02d', p.amount / 100, p.amount % 100),
                                                           'invoice', i.number)),
                     'amount', printf('%d.%02d', p.amount / 100, p.amount % 100), 'customer', c.code, 'date', p.date,
                     'detail', p.detail, 'fee_invoice', '', 'id', p.id, 'invoice', i.number, 'method', p.method,
                     'ref', p.ref, 'to_credit', '0.00', 'waive_reason', ''),
         lower(hex(randomblob(32))), lower(hex(randomblob(32)))
  FROM payment p JOIN invoice i ON i.id = p.invoice_id JOIN customer c ON c.id = p.customer_id
  WHERE p.id > (SELECT p FROM base) ORDER BY p.id;
INSERT INTO suspense(date, amount, reference, label, method, reason)
  SELECT st.date, CAST(replace(st.amount, '.', '') AS INTEGER), st.reference, st.label, st.method,
         'no invoice number (F{{YYYY}}-{{NNNNNN}}) in the reference or label'
  FROM st WHERE NOT EXISTS (SELECT 1 FROM invoice i WHERE i.number = substr(st.label, 6, 12)) ORDER BY st.rowid;
COMMIT;
"""


def run(argv, stdin=None):
    """Runs argv with stdout to /dev/null; returns (seconds, peak RSS bytes).

    Through /usr/bin/time -f %M: the rusage of a child forked by Python would
    count Python's own memory, copied at the fork, in the peak.
    """
    with open(os.devnull, "wb") as null:
        start = time.perf_counter()
        p = subprocess.run(["/usr/bin/time", "-f", "%M"] + argv, input=stdin.encode() if stdin else None,
                           stdin=None if stdin else subprocess.DEVNULL, stdout=null, stderr=subprocess.PIPE)
        elapsed = time.perf_counter() - start
    err = p.stderr.decode(errors="replace").strip().splitlines()
    if p.returncode != 0:
        sys.exit(f"bench: {' '.join(argv)} failed ({p.returncode}): {' '.join(err)}")
    return elapsed, int(err[-1]) * 1024


def query(db, sql):
    out = subprocess.run(["sqlite3", "-json", db, sql], check=True, capture_output=True, text=True).stdout
    return json.loads(out) if out.strip() else []


class Result:
    def __init__(self, command, size, times, rss, ref=None):
        self.command, self.size = command, size
        self.ms = statistics.median(times) * 1000
        self.rss = max(rss)
        self.ref_ms = statistics.median(ref) * 1000 if ref else None


def measure(argvs, before=None, stdins=None):
    """Runs each argv (after before(k) if given, with stdins[k] as its standard
    input if given); returns (times, rss)."""
    times, rss = [], []
    for k, argv in enumerate(argvs):
        if before:
            before(k)
        t, m = run(argv, stdins[k] if stdins else None)
        times.append(t)
        rss.append(m)
    return times, rss


def generate(args, name, customers, invoices):
    path = os.path.join(args.work, f"ledger-{name}.db")
    meta_path = path + ".json"
    want = {"customers": customers, "invoices": invoices, "seed": args.seed}
    if not args.regen and os.path.exists(path) and os.path.exists(meta_path):
        with open(meta_path) as f:
            meta = json.load(f)
        if meta.get("params") == want:
            if not args.schema1:  # brings a ledger made by an older build to this schema, outside any timing
                run([args.tally, "--db", path, "policy", "show"])
            return path, meta
    for suffix in ("", "-wal", "-shm", ".json"):
        if os.path.exists(path + suffix):
            os.remove(path + suffix)
    print(f"bench: generating the {name} ledger ({customers} customers)...", file=sys.stderr)
    start = time.perf_counter()
    out = subprocess.run([args.gen, path, "--customers", str(customers), "--invoices", str(invoices),
                          "--seed", str(args.seed)], check=True, capture_output=True, text=True).stdout
    meta = json.loads(out)
    meta["params"] = want
    meta["generate_s"] = round(time.perf_counter() - start, 1)
    meta["bytes"] = os.path.getsize(path)
    t, m = run([args.tally, "--db", path, "verify"])
    meta["verify_s"], meta["verify_rss"] = round(t, 2), m
    with open(meta_path, "w") as f:
        json.dump(meta, f)
    return path, meta


def next_month(ym, k=1):
    y, m = int(ym[:4]), int(ym[5:7]) - 1 + k
    return f"{y + m // 12:04d}-{m % 12 + 1:02d}"


def import_file(path, db, as_of, lines):
    """A bank statement of `lines` SEPA instalments spread over the open invoices."""
    open_invoices = query(db, "SELECT number, total_ttc - paid - credited AS balance FROM invoice "
                              "WHERE settled_on IS NULL AND credit_note = 0 ORDER BY id")
    per = -(-lines // len(open_invoices))
    with open(path, "w") as f:
        f.write("date,amount,reference,label,method\n")
        n = 0
        for inv in open_invoices:
            parts = min(per, max(1, inv["balance"] // 10))  # at least 0.10 a line
            for k in range(parts):
                if n == lines:
                    return
                amount = inv["balance"] // parts + (inv["balance"] % parts if k == 0 else 0)
                n += 1
                f.write(f"{as_of},{amount // 100}.{amount % 100:02d},IMP-{n:07d},"
                        f"SEPA {inv['number']} part {k + 1},sepa\n")
        while n < lines:  # more lines than instalments: unmatched ones, kept in suspense
            n += 1
            f.write(f"{as_of},10.00,IMP-{n:07d},card settlement {n},card\n")


def copy_ledger(args, db, work):
    """The working copy of a ledger; with --schema1, as a tally built before
    migration 2 expects it (to measure that build on the same data)."""
    for suffix in ("-wal", "-shm"):
        if os.path.exists(work + suffix):
            os.remove(work + suffix)
    shutil.copyfile(db, work)
    if args.schema1:
        subprocess.run(["sqlite3", work, "DROP INDEX IF EXISTS invoice_settled_late; "
                        "DROP INDEX IF EXISTS invoice_late_open; DROP INDEX IF EXISTS penalty_billing_invoice; "
                        "CREATE INDEX IF NOT EXISTS penalty_invoice ON penalty_billing(invoice_id); "
                        "CREATE INDEX IF NOT EXISTS payment_customer ON payment(customer_id, date); "
                        "PRAGMA user_version = 1"], check=True)
    # On disk before timing: the first fsync of the copy (a command's commit or
    # checkpoint) would otherwise write out the whole freshly copied file.
    fd = os.open(work, os.O_RDONLY)
    os.fsync(fd)
    os.close(fd)


def bench_size(args, name, customers, invoices):
    db, meta = generate(args, name, customers, invoices)
    as_of = meta["as_of"]
    work = os.path.join(args.work, "work.db")
    copy_ledger(args, db, work)
    tally = [args.tally, "--db", work, "--as-of", as_of]
    size = f"{meta['invoices'] // 1000}k" if meta["invoices"] < 1_000_000 else f"{meta['invoices'] / 1e6:.2f}M"
    results = []
    r = args.runs

    late = query(work, f"SELECT DISTINCT c.code FROM invoice i JOIN customer c ON c.id = i.customer_id "
                       f"WHERE i.settled_on IS NULL AND i.credit_note = 0 AND i.due_date < '{as_of}' LIMIT {r}")
    codes = [row["code"] for row in late] or ["c00000"]
    t, m = measure([tally + ["status", codes[k % len(codes)], "--format", "json"] for k in range(r)])
    results.append(Result("status", size, t, m))

    t, m = measure([tally + ["overdue", "--format", "json"] for _ in range(r)])
    ref, _ = measure([["sqlite3", "-json", work, LATE_QUERY.format(d=as_of)] for _ in range(r)])
    results.append(Result("overdue", size, t, m, ref))

    t, m = measure([tally + ["report", "aging", "--format", "json"] for _ in range(r)])
    results.append(Result("report aging", size, t, m))

    # pay: a different open invoice each run, then the sqlite3 shell on others.
    payable = query(work, f"SELECT number FROM invoice WHERE settled_on IS NULL AND credit_note = 0 "
                          f"AND kind = 'subscription' AND paid = 0 AND issue_date <= '{as_of}' LIMIT {2 * r}")
    numbers = [row["number"] for row in payable]
    t, m = measure([tally + ["pay", numbers[k], "--method", "sepa", "--ref", f"BENCH-{k}"] for k in range(r)])
    ref, _ = measure([["sqlite3", work] for _ in range(r)],
                     stdins=[PAY_SQL.format(d=as_of, n=numbers[r + k], ref=f"REF-{k}") for k in range(r)])
    results.append(Result("pay", size, t, m, ref))

    # invoice run: the next months, each a full run over every subscription.
    months = [next_month(meta["last"], k + 1) for k in range(r)]
    t, m = measure([[args.tally, "--db", work, "--as-of", f"{ym}-01", "invoice", "run", "--period", ym]
                    for ym in months])
    results.append(Result(f"invoice run", size, t, m))

    # Whole-ledger listings, once each (a 1M ledger lists for tens of seconds):
    # what they show is that memory stays bounded whatever the ledger size.
    for command in (["invoice", "list"], ["payment", "list"]):
        t, m = measure([tally + command + ["--format", "json"]])
        results.append(Result(" ".join(command) + " (all, 1 run)", size, t, m))

    # import: the same statement into a fresh copy each run.
    statement = os.path.join(args.work, f"statement-{name}.csv")
    import_file(statement, db, as_of, args.import_lines)

    def fresh(_):
        copy_ledger(args, db, work)
    runs = max(1, (r + 1) // 2)
    argv = tally + ["import", "payments", statement]
    t, m = measure([argv for _ in range(runs)], before=fresh)
    sql = IMPORT_SQL.format(csv=statement, command=" ".join(["tally"] + argv[1:]))
    ref, _ = measure([["sqlite3", work] for _ in range(runs)], before=fresh, stdins=[sql] * runs)
    results.append(Result(f"import {args.import_lines // 1000}k lines", size, t, m, ref))
    os.remove(work)
    for suffix in ("-wal", "-shm"):
        if os.path.exists(work + suffix):
            os.remove(work + suffix)
    meta["name"] = name
    return results, meta


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    root = os.path.dirname(os.path.dirname(here))
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--tally", default=os.path.join(root, "build-bench", "tally"))
    ap.add_argument("--gen", default=os.path.join(root, "build-bench", "tests", "bench", "gen_ledger"))
    ap.add_argument("--work", default=os.path.join(root, "build-bench", "ledgers"))
    ap.add_argument("--sizes", default="10k,100k,1M", help="comma-separated among " + ", ".join(SIZES))
    ap.add_argument("--runs", type=int, default=5, help="runs per command (median); import runs half as often")
    ap.add_argument("--import-lines", type=int, default=100_000)
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--regen", action="store_true", help="build the ledgers again")
    ap.add_argument("--schema1", action="store_true",
                    help="measure a tally built before schema migration 2 (the 'before' column of docs/performance.md)")
    args = ap.parse_args()
    os.makedirs(args.work, exist_ok=True)
    sizes = [s for s in args.sizes.split(",") if s]
    for s in sizes:
        if s not in SIZES:
            ap.error(f"unknown size '{s}': expected {', '.join(SIZES)}")

    # What any process costs on this machine: the floor under every figure below.
    t, m = measure([[args.tally, "--version"] for _ in range(args.runs)])
    ref, _ = measure([["sqlite3", ":memory:", "SELECT 1"] for _ in range(args.runs)])
    all_results, metas = [Result("start-up (--version)", "-", t, m, ref)], []
    for s in sizes:
        results, meta = bench_size(args, s, *SIZES[s])
        all_results += results
        metas.append(meta)

    load = os.getloadavg()[0]
    print(f"tally benchmark: {os.cpu_count()} cores, load {load:.2f}, median of {args.runs} runs "
          f"(import: {max(1, (args.runs + 1) // 2)}), wall ms and peak RSS MiB per process")
    print()
    print("| ledger | customers | invoices | file MiB | generated s | verify s | verify MiB |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for meta in metas:
        print(f"| {meta['name']} | {meta['customers']} | {meta['invoices']} | {meta['bytes'] / MIB:.0f} | "
              f"{meta['generate_s']} | {meta['verify_s']} | {meta['verify_rss'] / MIB:.1f} |")
    print()
    print("| command | ledger | wall ms | peak MiB | reference ms | ratio | target | met |")
    print("|---|---|---:|---:|---:|---:|---|---|")
    largest = sizes[-1] == "1M"
    for r in all_results:
        ratio = r.ms / r.ref_ms if r.ref_ms else None
        target, met = "", ""
        ok = r.rss <= MAX_RSS_MIB * MIB
        if largest and r.size.endswith("M") and r.command in TARGETS:
            ms_max, ratio_max = TARGETS[r.command]
            target = f"< {ms_max} ms" + (f", <= {ratio_max}x" if ratio_max else "")
            ok = ok and r.ms < ms_max and (ratio_max is None or ratio <= ratio_max)
        target += (", " if target else "") + f"< {MAX_RSS_MIB} MiB"
        met = "yes" if ok else "NO"
        print(f"| {r.command} | {r.size} | {r.ms:.1f} | {r.rss / MIB:.1f} | "
              f"{f'{r.ref_ms:.1f}' if r.ref_ms else ''} | {f'{ratio:.2f}' if ratio else ''} | {target} | {met} |")
    if len(sizes) > 1:
        print()
        first, last = metas[0], metas[-1]
        growth = last["invoices"] / first["invoices"]
        print(f"Growth {sizes[0]} -> {sizes[-1]} ({growth:.0f}x the invoices; linear or better when the "
              f"time ratio is at most that):")
        print()
        print("| command | " + " | ".join(f"{s} ms" for s in sizes) + " | time ratio |")
        print("|---|" + "---:|" * (len(sizes) + 1))
        for command in dict.fromkeys(r.command for r in all_results if r.size != "-"):
            row = [r for r in all_results if r.command == command]
            print(f"| {command} | " + " | ".join(f"{r.ms:.1f}" for r in row) +
                  f" | {row[-1].ms / row[0].ms:.1f} |")


if __name__ == "__main__":
    main()
