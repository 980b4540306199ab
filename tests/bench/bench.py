#!/usr/bin/env python3
"""The tally benchmark (./build.sh bench; docs/performance.md).

Builds ledgers of about 10k, 100k and 1M invoices with gen_ledger (libtally
itself, so `tally verify` passes on them), then times the main commands as
whole processes: the median (and min, max) wall time of --runs runs and the
peak resident memory of each process (/usr/bin/time %M). Each timed command
has a reference run in the same session, interleaved with it: the sqlite3
shell doing the same reads and writes (the *_SQL texts below), or for the
start-up `sqlite3 :memory: 'SELECT 1'`. The targets are ratios to those
references (issue 23), so that a figure of a loaded machine is still read
against its floor measured under the same load.
Prints one table, then how each command's time grows with the ledger;
--json FILE writes every row (and the run's context) for scripts.

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

# Targets on the 1M ledger (issue 23): command -> the largest ratio of its
# median to its reference's median in the same run. `status` is held to the
# start-up floor (sqlite3 :memory:), its own reference row is shown beside.
TARGETS = {
    "start-up (--version)": 1.05,
    "status": 1.15,
    "pay": 1.15,
    "overdue": 1.25,
    "report aging": 1.5,
    "invoice run": 1.5,
    "import csv": 1.25,
    "import camt053": 1.25,
    "verify": 2.0,
    "export fec": 2.0,
    "export journal": 2.0,
    "invoice export cii": 2.0,
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


# What `tally status CODE` reads, as the sqlite3 shell would: the customer's
# row with its cached balance, the standby holding the day, its subscriptions
# (cancellation), its late candidates (open ones and ones settled late) with
# the penalties billed on each, its last stage transition, its credit and the
# policy in force.
STATUS_SQL = """
SELECT id, code, name, vat_rate_bp, terms_days, owed, moved_on FROM customer WHERE code = '{code}';
SELECT first_day, last_day, reason FROM standby
 WHERE customer_id = (SELECT id FROM customer WHERE code = '{code}') AND decision = 'accepted'
   AND first_day <= '{d}' AND last_day >= '{d}';
SELECT letter_date, letter_ref, end_date FROM subscription WHERE customer_id = (SELECT id FROM customer WHERE code = '{code}');
SELECT i.number, i.due_date, i.total_ttc - i.paid - i.credited AS balance,
       (SELECT COALESCE(SUM(b.interest + b.indemnity), 0) FROM penalty_billing b INDEXED BY penalty_billing_invoice
         WHERE b.invoice_id = i.id AND b.through <= '{d}') AS billed,
       (SELECT MAX(b.through) FROM penalty_billing b INDEXED BY penalty_billing_invoice
         WHERE b.invoice_id = i.id AND b.through <= '{d}') AS through
  FROM invoice i INDEXED BY invoice_late_open
 WHERE i.customer_id = (SELECT id FROM customer WHERE code = '{code}') AND i.settled_on IS NULL
   AND i.credit_note = 0 AND i.kind <> 'penalty' AND i.due_date < '{d}'
UNION ALL
SELECT i.number, i.due_date, 0, 0, NULL FROM invoice i INDEXED BY invoice_settled_late
 WHERE i.customer_id = (SELECT id FROM customer WHERE code = '{code}') AND i.settled_on > i.due_date
   AND i.credit_note = 0 AND i.kind <> 'penalty' AND i.due_date < '{d}'
   AND NOT EXISTS (SELECT 1 FROM penalty_billing b WHERE b.invoice_id = i.id AND b.through >= i.settled_on);
SELECT from_stage, to_stage, date FROM stage_transition
 WHERE customer_id = (SELECT id FROM customer WHERE code = '{code}') AND date <= '{d}' ORDER BY date DESC LIMIT 1;
SELECT COALESCE(SUM(amount), 0) FROM credit_movement
 WHERE customer_id = (SELECT id FROM customer WHERE code = '{code}') AND date <= '{d}';
SELECT key, value, MAX(effective) FROM policy WHERE effective <= '{d}' GROUP BY key;
"""

# `tally report aging`: each customer's open balances by months late (the
# policy's 1, 2 and 6 months), from the open invoices' cached balances (what
# tally reads when nothing moved after the day).
AGING_SQL = """
WITH owed(code, due_date, balance) AS MATERIALIZED (
  SELECT c.code, i.due_date, i.total_ttc - i.paid - i.credited
    FROM invoice i INDEXED BY invoice_open JOIN customer c ON c.id = i.customer_id
   WHERE i.settled_on IS NULL AND i.credit_note = 0 AND i.issue_date <= '{d}')
SELECT code,
       SUM(CASE WHEN due_date >= '{d}' THEN balance ELSE 0 END) AS not_due,
       SUM(CASE WHEN due_date < '{d}' AND due_date > date('{d}', '-1 month') THEN balance ELSE 0 END) AS late_0_1,
       SUM(CASE WHEN due_date <= date('{d}', '-1 month') AND due_date > date('{d}', '-2 months') THEN balance ELSE 0 END)
         AS late_1_2,
       SUM(CASE WHEN due_date <= date('{d}', '-2 months') AND due_date > date('{d}', '-6 months') THEN balance ELSE 0 END)
         AS late_2_6,
       SUM(CASE WHEN due_date <= date('{d}', '-6 months') THEN balance ELSE 0 END) AS late_6_plus,
       SUM(balance) AS total
  FROM owed WHERE balance > 0 GROUP BY code ORDER BY code;
"""

# `tally invoice run --period M` on its first day, set-based: the
# subscriptions whose cycle starts in M (not ended, not invoiced yet), one
# invoice each numbered after the year's last, its line, the customers'
# cached balances, one `invoice.issue` event per invoice shaped like tally's
# and the run's own event (random hashes), in one write with tally's settings.
# No standby or proration rule (the benchmark's runs have none to apply).
INVOICE_RUN_SQL = CONNECTION_SQL + """
PRAGMA temp_store = MEMORY;
BEGIN IMMEDIATE;
CREATE TEMP TABLE run AS
  SELECT s.id AS sub, s.customer_id AS cid, c.code AS code, c.vat_rate_bp AS rate, c.terms_days AS terms,
         s.amount_ht AS monthly, m.n AS months, s.amount_ht * m.n AS ht,
         (s.amount_ht * m.n * c.vat_rate_bp + 5000) / 10000 AS vat
    FROM subscription s JOIN customer c ON c.id = s.customer_id
    JOIN (SELECT 'monthly' AS cycle, 1 AS n UNION ALL SELECT 'quarterly', 3 UNION ALL SELECT 'annual', 12) m
      ON m.cycle = s.cycle
   WHERE s.start <= '{d}' AND (s.end_date IS NULL OR s.end_date >= '{d}')
     AND ({y} * 12 + {m} - CAST(strftime('%Y', s.start) AS INTEGER) * 12 - CAST(strftime('%m', s.start) AS INTEGER))
         % m.n = 0
     AND NOT EXISTS (SELECT 1 FROM invoice WHERE subscription_id = s.id AND period_first = '{d}'
                     AND credit_note = 0 AND kind = 'subscription')
   ORDER BY s.id;
CREATE TEMP TABLE base AS
  SELECT (SELECT COALESCE(MAX(seq), 0) FROM invoice WHERE credit_note = 0 AND year = {y}) AS seq,
         (SELECT MAX(id) FROM invoice) AS inv, (SELECT MAX(id) FROM journal) AS j;
INSERT INTO invoice(id, number, credit_note, year, seq, customer_id, kind, issue_date, due_date, total_ht, vat,
                    total_ttc, subscription_id, period_first, period_last)
  SELECT b.inv + r.rowid, printf('F%d-%06d', {y}, b.seq + r.rowid), 0, {y}, b.seq + r.rowid, r.cid, 'subscription',
         '{d}', date('{d}', '+' || r.terms || ' days'), r.ht, r.vat, r.ht + r.vat, r.sub, '{d}',
         date('{d}', '+' || r.months || ' months', '-1 day')
    FROM run r, base b ORDER BY r.rowid;
INSERT INTO invoice_line(invoice_id, position, description, qty, unit_ht, amount_ht, vat_rate_bp, rule)
  SELECT b.inv + r.rowid, 1, printf('Abonnement du %s au %s', '{d}', date('{d}', '+' || r.months || ' months', '-1 day')),
         100 * r.months, r.monthly, r.ht, r.rate, 'I1'
    FROM run r, base b ORDER BY r.rowid;
UPDATE customer SET owed = owed + s.ttc, moved_on = MAX(COALESCE(moved_on, ''), '{d}')
  FROM (SELECT cid, SUM(ht + vat) AS ttc FROM run GROUP BY cid) AS s WHERE customer.id = s.cid;
INSERT INTO journal(id, at, os_user, command, kind, payload, prev_hash, hash)
  SELECT b.j + r.rowid, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), 'bench', '{command}', 'invoice.issue',
         json_object('cites', '', 'customer', r.code, 'issue_date', '{d}', 'kind', 'subscription',
                     'number', printf('F%d-%06d', {y}, b.seq + r.rowid),
                     'total_ht', printf('%d.%02d', r.ht / 100, r.ht % 100), 'total_ttc',
                     printf('%d.%02d', (r.ht + r.vat) / 100, (r.ht + r.vat) % 100),
                     'vat', printf('%d.%02d', r.vat / 100, r.vat % 100)),
         lower(hex(randomblob(32))), lower(hex(randomblob(32)))
    FROM run r, base b ORDER BY r.rowid;
INSERT INTO journal(id, at, os_user, command, kind, payload, prev_hash, hash)
  SELECT (SELECT MAX(id) FROM journal) + 1, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), 'bench', '{command}', 'invoice.run',
         json_object('issued', (SELECT json_group_array(number) FROM invoice WHERE id > b.inv), 'period', '{ym}'),
         lower(hex(randomblob(32))), lower(hex(randomblob(32)))
    FROM base b;
COMMIT;
"""

# `tally verify`'s floor, part 1 (sqlite3): the same cross-checks over the
# whole ledger, each one aggregate: invoice totals against their lines, cached
# paid and credited against allocations and credit notes, customers' cached
# balances against their invoices, payments against their allocations, the
# journal's links, and the journal's `invoice.issue` and `pay` payloads (JSON
# read by SQLite) against the rows they record.
VERIFY_SQL = """
PRAGMA temp_store = FILE;
SELECT COUNT(*) FROM invoice i JOIN (SELECT invoice_id, SUM(amount_ht) AS ht FROM invoice_line GROUP BY invoice_id) l
    ON l.invoice_id = i.id WHERE l.ht <> i.total_ht OR i.total_ttc <> i.total_ht + i.vat;
SELECT COUNT(*) FROM invoice i
  LEFT JOIN (SELECT invoice_id, SUM(amount) AS s, MAX(date) AS last FROM allocation WHERE reversed_on IS NULL
             GROUP BY invoice_id) a ON a.invoice_id = i.id
  LEFT JOIN (SELECT cites_id, SUM(applied) AS s FROM invoice WHERE credit_note = 1 GROUP BY cites_id) n
    ON n.cites_id = i.id
 WHERE i.credit_note = 0 AND (i.paid <> COALESCE(a.s, 0) OR i.credited <> COALESCE(n.s, 0)
       OR (i.settled_on IS NULL) <> (i.total_ttc - i.paid - i.credited <> 0));
SELECT COUNT(*) FROM customer c
  LEFT JOIN (SELECT customer_id, SUM(total_ttc - paid - credited) AS s FROM invoice WHERE credit_note = 0
             GROUP BY customer_id) o ON o.customer_id = c.id
 WHERE c.owed <> COALESCE(o.s, 0);
SELECT COUNT(*) FROM payment p
  LEFT JOIN (SELECT payment_id, SUM(amount) AS s FROM allocation GROUP BY payment_id) a ON a.payment_id = p.id
 WHERE COALESCE(a.s, 0) > p.amount;
SELECT COUNT(*) FROM journal j JOIN journal k ON k.id = j.id - 1 WHERE j.prev_hash <> k.hash;
SELECT COUNT(*) FROM journal j JOIN invoice i ON i.number = json_extract(j.payload, '$.number')
 WHERE j.kind = 'invoice.issue'
   AND json_extract(j.payload, '$.total_ttc') <> printf('%d.%02d', i.total_ttc / 100, i.total_ttc % 100);
SELECT COUNT(*) FROM journal j JOIN payment p ON p.id = json_extract(j.payload, '$.id')
 WHERE j.kind = 'pay' AND json_extract(j.payload, '$.amount') <> printf('%d.%02d', p.amount / 100, p.amount % 100);
"""

# Part 2 (sqlite3 | sha256sum): every event's canonical text as tally hashes
# it (each field preceded by its length in bytes, then the id), hashed once as
# one stream: the same bytes through SHA-256 (one digest instead of one per
# event: the padding of each event, at most one 64-byte block, is left out).
CHAIN_SQL = ("SELECT length(CAST(prev_hash AS BLOB)) || ':' || prev_hash || char(10) || "
             "length(CAST(at AS BLOB)) || ':' || at || char(10) || "
             "length(CAST(os_user AS BLOB)) || ':' || os_user || char(10) || "
             "length(CAST(command AS BLOB)) || ':' || command || char(10) || "
             "length(CAST(kind AS BLOB)) || ':' || kind || char(10) || "
             "length(CAST(payload AS BLOB)) || ':' || payload || char(10) || id FROM journal ORDER BY id")


def export_sql(kind, first, last, out):
    """What `tally export fec|journal --from FIRST --to LAST -o OUT` reads and
    writes, by the sqlite3 shell: the same three date-ordered reads (documents
    with their lines, payments with what they allocated, reversals) up to
    LAST; the records before FIRST summed per customer into the opening
    entry; the records of the period written as postings (a document: the
    receivable, a revenue and a VAT posting per line; a payment: bank and
    receivable), in FEC's pipe-separated columns (CRLF) or as hledger
    transactions. Amounts are formatted by printf, as tally does."""
    amt = "printf('%d,%02d', abs({0}) / 100, abs({0}) % 100)" if kind == "fec" else \
          "printf('%s%d.%02d', CASE WHEN {0} < 0 THEN '-' ELSE '' END, abs({0}) / 100, abs({0}) % 100)"
    if kind == "fec":
        def post(jc, jl, num, day, acct, alabel, code, name, piece, pday, label, debit, credit):
            return (f"printf('%s|%s|%d|%s|%s|%s|%s|%s|%s|%s|%s|%s|%s|||%s||' || char(13), {jc}, {jl}, {num}, "
                    f"replace({day}, '-', ''), {acct}, {alabel}, {code}, {name}, {piece}, replace({pday}, '-', ''), "
                    f"{label}, {amt.format(debit)}, {amt.format(credit)}, replace({day}, '-', ''))")
        head = ("'JournalCode|JournalLib|EcritureNum|EcritureDate|CompteNum|CompteLib|CompAuxNum|CompAuxLib|PieceRef|"
                "PieceDate|EcritureLib|Debit|Credit|EcritureLet|DateLet|ValidDate|Montantdevise|Idevise' || char(13)")
        title = lambda day, piece, label: "NULL"
    else:
        def post(jc, jl, num, day, acct, alabel, code, name, piece, pday, label, debit, credit):
            return (f"printf('    %-50s  %14s EUR', {acct} || CASE WHEN {code} <> '' THEN ':' || {code} ELSE '' END, "
                    f"{amt.format(f'({debit}) - ({credit})')})")
        head = f"'; tally export journal: the entries of {first} to {last} (A2), opening balances first.'"
        title = lambda day, piece, label: f"printf('%s%s * (%s) %s', char(10), {day}, {piece}, {label})"
    ttc_line = "(l.amount_ht + (l.amount_ht * l.vat_rate_bp + 5000) / 10000)"
    vat_line = "((l.amount_ht * l.vat_rate_bp + 5000) / 10000)"
    sign = "CASE WHEN d.credit_note = 1 THEN -1 ELSE 1 END"
    return f"""
.mode list
.headers off
.output {out}
SELECT {head};
WITH d AS (
  SELECT i.id, i.number, i.credit_note, i.kind, i.issue_date, i.total_ttc, i.applied, c.code, c.name,
         COALESCE(o.number, '') AS cites, l.position, l.amount_ht, l.vat_rate_bp, l.rule
    FROM invoice i JOIN customer c ON c.id = i.customer_id LEFT JOIN invoice o ON o.id = i.cites_id
    JOIN invoice_line l ON l.invoice_id = i.id
   WHERE i.issue_date <= '{last}'),
p AS (
  SELECT p.id, p.method, p.date, p.amount, COALESCE(p.ref, '') AS ref, p.reversed_on, c.code, c.name,
         COALESCE(i.number, '') AS invoice,
         (SELECT COALESCE(SUM(a.amount), 0) FROM allocation a WHERE a.payment_id = p.id) AS allocated
    FROM payment p JOIN customer c ON c.id = p.customer_id LEFT JOIN invoice i ON i.id = p.invoice_id
   WHERE p.date <= '{last}'),
opening AS (
  SELECT code, name, SUM(amount) AS amount FROM (
    SELECT d.code, d.name, {sign} * (d.amount_ht + (d.amount_ht * d.vat_rate_bp + 5000) / 10000) AS amount
      FROM d AS d WHERE d.issue_date < '{first}'
    UNION ALL SELECT p.code, p.name, -p.amount FROM p WHERE p.date < '{first}')
   GROUP BY code),
lines(day, k, id, pos, text) AS (
  SELECT '{first}', 0, 0, -1, {title("'" + first + "'", "'AN'", "'Opening balances'")}
  UNION ALL
  SELECT '{first}', 0, 0, 0, {post("'AN'", "'A nouveaux'", 0, "'" + first + "'", "'411000'", "'Clients'", "o.code",
                                   "o.name", "'AN'", "'" + first + "'", "'Opening balances'",
                                   "MAX(o.amount, 0)", "MAX(-o.amount, 0)")}
    FROM opening o
  UNION ALL
  SELECT d.issue_date, 1, d.id, -1, {title("d.issue_date", "d.number", "d.kind")}
    FROM d AS d WHERE d.issue_date >= '{first}' AND d.position = 1
  UNION ALL
  SELECT d.issue_date, 1, d.id, 0, {post("'VE'", "'Ventes'", "d.id", "d.issue_date", "'411000'", "'Clients'", "d.code",
                                         "d.name", "d.number", "d.issue_date", "d.kind",
                                         f"CASE WHEN d.credit_note = 0 THEN d.total_ttc ELSE 0 END",
                                         f"CASE WHEN d.credit_note = 1 THEN d.total_ttc ELSE 0 END")}
    FROM d AS d WHERE d.issue_date >= '{first}' AND d.position = 1
  UNION ALL
  SELECT d.issue_date, 1, d.id, 2 * d.position, {post("'VE'", "'Ventes'", "d.id", "d.issue_date",
                                                       "'706' || d.kind", "'Prestations'", "''", "''", "d.number",
                                                       "d.issue_date", "d.kind",
                                                       "CASE WHEN d.credit_note = 1 THEN d.amount_ht ELSE 0 END",
                                                       "CASE WHEN d.credit_note = 0 THEN d.amount_ht ELSE 0 END")}
    FROM d AS d WHERE d.issue_date >= '{first}'
  UNION ALL
  SELECT d.issue_date, 1, d.id, 2 * d.position + 1, {post("'VE'", "'Ventes'", "d.id", "d.issue_date",
                                                           "'44571' || d.vat_rate_bp", "'TVA collectee'", "''", "''",
                                                           "d.number", "d.issue_date", "d.kind",
                                                           "CASE WHEN d.credit_note = 1 THEN " + vat_line.replace('l.', 'd.') + " ELSE 0 END",
                                                           "CASE WHEN d.credit_note = 0 THEN " + vat_line.replace('l.', 'd.') + " ELSE 0 END")}
    FROM d AS d WHERE d.issue_date >= '{first}'
  UNION ALL
  SELECT p.date, 2, p.id, -1, {title("p.date", "p.ref", "p.invoice")} FROM p WHERE p.date >= '{first}'
  UNION ALL
  SELECT p.date, 2, p.id, 0, {post("'BQ'", "'Banque'", "p.id", "p.date", "'512000'", "'Banque'", "''", "''", "p.ref",
                                   "p.date", "p.invoice", "p.amount", "0")} FROM p WHERE p.date >= '{first}'
  UNION ALL
  SELECT p.date, 2, p.id, 1, {post("'BQ'", "'Banque'", "p.id", "p.date", "'411000'", "'Clients'", "p.code", "p.name",
                                   "p.ref", "p.date", "p.invoice", "0", "p.allocated")} FROM p WHERE p.date >= '{first}'
  UNION ALL
  SELECT p.reversed_on, 3, p.id, 0, {post("'BQ'", "'Banque'", "p.id", "p.reversed_on", "'512000'", "'Banque'", "''",
                                          "''", "p.ref", "p.reversed_on", "p.invoice", "0", "p.amount")}
    FROM p WHERE p.reversed_on BETWEEN '{first}' AND '{last}')
SELECT text FROM lines WHERE text IS NOT NULL ORDER BY day, k, id, pos;
.output stdout
"""


# `tally invoice export --period M --as cii --dir DIR`'s floor: the same
# documents (issued in M, with their lines, buyer and the seller's identity in
# force) each written to DIR/NUMBER.xml by the shell's writefile(), as a
# Cross-Industry Invoice of the same elements built by printf (no XML escaping,
# no file staging: tally writes all files or none).
CII_SQL = """
WITH s AS (SELECT json_group_object(key, value) AS j FROM (SELECT key, value FROM seller
             WHERE effective <= '{last}' GROUP BY key HAVING effective = MAX(effective)))
SELECT length(writefile('{dir}/' || i.number || '.xml', printf(
'<?xml version="1.0" encoding="UTF-8"?>
<rsm:CrossIndustryInvoice xmlns:rsm="urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100" xmlns:ram="urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100" xmlns:udt="urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100" xmlns:qdt="urn:un:unece:uncefact:data:standard:QualifiedDataType:100">
  <rsm:ExchangedDocumentContext>
    <ram:GuidelineSpecifiedDocumentContextParameter><ram:ID>urn:cen.eu:en16931:2017</ram:ID></ram:GuidelineSpecifiedDocumentContextParameter>
  </rsm:ExchangedDocumentContext>
  <rsm:ExchangedDocument>
    <ram:ID>%s</ram:ID>
    <ram:TypeCode>%s</ram:TypeCode>
    <ram:IssueDateTime><udt:DateTimeString format="102">%s</udt:DateTimeString></ram:IssueDateTime>
  </rsm:ExchangedDocument>
  <rsm:SupplyChainTradeTransaction>%s
    <ram:ApplicableHeaderTradeAgreement>
      <ram:SellerTradeParty>
        <ram:Name>%s</ram:Name>
        <ram:SpecifiedLegalOrganization><ram:ID schemeID="0002">%s</ram:ID></ram:SpecifiedLegalOrganization>
        <ram:PostalTradeAddress><ram:PostcodeCode>%s</ram:PostcodeCode><ram:LineOne>%s</ram:LineOne><ram:CityName>%s</ram:CityName><ram:CountryID>%s</ram:CountryID></ram:PostalTradeAddress>
        <ram:SpecifiedTaxRegistration><ram:ID schemeID="VA">%s</ram:ID></ram:SpecifiedTaxRegistration>
      </ram:SellerTradeParty>
      <ram:BuyerTradeParty>
        <ram:ID>%s</ram:ID>
        <ram:Name>%s</ram:Name>
        <ram:PostalTradeAddress><ram:CountryID>FR</ram:CountryID></ram:PostalTradeAddress>
      </ram:BuyerTradeParty>
    </ram:ApplicableHeaderTradeAgreement>
    <ram:ApplicableHeaderTradeDelivery/>
    <ram:ApplicableHeaderTradeSettlement>
      <ram:InvoiceCurrencyCode>EUR</ram:InvoiceCurrencyCode>
      <ram:SpecifiedTradeSettlementPaymentMeans><ram:TypeCode>58</ram:TypeCode><ram:PayeePartyCreditorFinancialAccount><ram:IBANID>%s</ram:IBANID></ram:PayeePartyCreditorFinancialAccount></ram:SpecifiedTradeSettlementPaymentMeans>
      <ram:ApplicableTradeTax><ram:CalculatedAmount>%d.%02d</ram:CalculatedAmount><ram:TypeCode>VAT</ram:TypeCode><ram:BasisAmount>%d.%02d</ram:BasisAmount><ram:CategoryCode>S</ram:CategoryCode><ram:RateApplicablePercent>20</ram:RateApplicablePercent></ram:ApplicableTradeTax>
      <ram:SpecifiedTradePaymentTerms><ram:DueDateDateTime><udt:DateTimeString format="102">%s</udt:DateTimeString></ram:DueDateDateTime></ram:SpecifiedTradePaymentTerms>
      <ram:SpecifiedTradeSettlementHeaderMonetarySummation>
        <ram:LineTotalAmount>%d.%02d</ram:LineTotalAmount>
        <ram:TaxBasisTotalAmount>%d.%02d</ram:TaxBasisTotalAmount>
        <ram:TaxTotalAmount currencyID="EUR">%d.%02d</ram:TaxTotalAmount>
        <ram:GrandTotalAmount>%d.%02d</ram:GrandTotalAmount>
        <ram:DuePayableAmount>%d.%02d</ram:DuePayableAmount>
      </ram:SpecifiedTradeSettlementHeaderMonetarySummation>
    </ram:ApplicableHeaderTradeSettlement>
  </rsm:SupplyChainTradeTransaction>
</rsm:CrossIndustryInvoice>
',
  i.number, CASE WHEN i.credit_note = 1 THEN '381' ELSE '380' END, replace(i.issue_date, '-', ''),
  (SELECT group_concat(printf('
    <ram:IncludedSupplyChainTradeLineItem>
      <ram:AssociatedDocumentLineDocument><ram:LineID>%d</ram:LineID></ram:AssociatedDocumentLineDocument>
      <ram:SpecifiedTradeProduct><ram:Name>%s</ram:Name></ram:SpecifiedTradeProduct>
      <ram:SpecifiedLineTradeAgreement><ram:NetPriceProductTradePrice><ram:ChargeAmount>%d.%02d</ram:ChargeAmount></ram:NetPriceProductTradePrice></ram:SpecifiedLineTradeAgreement>
      <ram:SpecifiedLineTradeDelivery><ram:BilledQuantity unitCode="C62">%d.%02d</ram:BilledQuantity></ram:SpecifiedLineTradeDelivery>
      <ram:SpecifiedLineTradeSettlement>
        <ram:ApplicableTradeTax><ram:TypeCode>VAT</ram:TypeCode><ram:CategoryCode>S</ram:CategoryCode><ram:RateApplicablePercent>%d</ram:RateApplicablePercent></ram:ApplicableTradeTax>
        <ram:SpecifiedTradeSettlementLineMonetarySummation><ram:LineTotalAmount>%d.%02d</ram:LineTotalAmount></ram:SpecifiedTradeSettlementLineMonetarySummation>
      </ram:SpecifiedLineTradeSettlement>
    </ram:IncludedSupplyChainTradeLineItem>', l.position, l.description, l.unit_ht / 100, l.unit_ht % 100,
      l.qty / 100, l.qty % 100, l.vat_rate_bp / 100, l.amount_ht / 100, l.amount_ht % 100), '')
     FROM invoice_line l WHERE l.invoice_id = i.id),
  json_extract(s.j, '$.name'), json_extract(s.j, '$.siren'), json_extract(s.j, '$.postcode'),
  json_extract(s.j, '$.street'), json_extract(s.j, '$.city'), json_extract(s.j, '$.country'),
  json_extract(s.j, '$.vat_number'), c.code, c.name, json_extract(s.j, '$.iban'),
  i.vat / 100, i.vat % 100, i.total_ht / 100, i.total_ht % 100, replace(i.due_date, '-', ''),
  i.total_ht / 100, i.total_ht % 100, i.total_ht / 100, i.total_ht % 100, i.vat / 100, i.vat % 100,
  i.total_ttc / 100, i.total_ttc % 100, i.total_ttc / 100, i.total_ttc % 100)))
  FROM invoice i JOIN customer c ON c.id = i.customer_id, s
 WHERE i.issue_date BETWEEN '{first}' AND '{last}' ORDER BY i.id;
"""

# The seller's identity E2 needs before a CII document or a FEC file is
# written (set on the working copy, outside any timing).
SELLER = [("legal_form", "SAS"), ("share_capital", "10000"), ("siren", "552120222"), ("rcs_city", "Paris"),
          ("vat_number", "FR27552120222"), ("iban", "FR1420041010050500013M02606"), ("bic", "SOGEFRPP")]


def run(argv, stdin=None, out=None):
    """Runs argv with stdout to /dev/null (or the file out); returns (seconds,
    peak RSS bytes). argv may also be a list of argvs run one after the other
    (a reference made of two processes): their times add up, the peak is the
    larger one.

    Through /usr/bin/time -f %M: the rusage of a child forked by Python would
    count Python's own memory, copied at the fork, in the peak.
    """
    if argv and isinstance(argv[0], list):
        total, peak = 0.0, 0
        for k, a in enumerate(argv):
            t, m = run(a, stdin if k == 0 else None)
            total, peak = total + t, max(peak, m)
        return total, peak
    with open(out or os.devnull, "wb") as sink:
        start = time.perf_counter()
        p = subprocess.run(["/usr/bin/time", "-f", "%M"] + argv, input=stdin.encode() if stdin else None,
                           stdin=None if stdin else subprocess.DEVNULL, stdout=sink, stderr=subprocess.PIPE)
        elapsed = time.perf_counter() - start
    err = p.stderr.decode(errors="replace").strip().splitlines()
    if p.returncode != 0:
        sys.exit(f"bench: {' '.join(map(str, argv))} failed ({p.returncode}): {' '.join(err)}")
    return elapsed, int(err[-1]) * 1024


def query(db, sql):
    out = subprocess.run(["sqlite3", "-json", db, sql], check=True, capture_output=True, text=True).stdout
    return json.loads(out) if out.strip() else []


class Result:
    def __init__(self, command, size, times, rss, ref=None, note=""):
        self.command, self.size, self.note = command, size, note
        self.times = sorted(t * 1000 for t in times)
        self.ms = statistics.median(self.times)
        self.rss = max(rss)
        self.ref = sorted(t * 1000 for t in ref) if ref else []
        self.ref_ms = statistics.median(self.ref) if ref else None
        self.floor = None  # the reference a target is read against, when not ref (status: start-up)
        # Progress on stderr as each row is measured (a 1M run takes a while).
        print(f"bench: {size} {command}: {self.ms:.1f} ms, {self.rss / MIB:.1f} MiB"
              + (f", reference {self.ref_ms:.1f} ms" if self.ref_ms else "")
              + f" (load {os.getloadavg()[0]:.2f})", file=sys.stderr)

    def ratio(self):
        return self.ms / self.ref_ms if self.ref_ms else None

    def target_ratio(self):
        floor = self.floor if self.floor is not None else self.ref_ms
        return self.ms / floor if floor else None


def measure(argvs, before=None, stdins=None, refs=None, ref_stdins=None):
    """Runs each argv (after before(k) if given, with stdins[k] as its standard
    input if given) and, right after it, refs[k] when given (after before(k)
    again): command and reference interleaved, so that both see the same load.
    Returns (times, rss, ref_times)."""
    times, rss, ref_times = [], [], []
    for k, argv in enumerate(argvs):
        if before:
            before(k)
        t, m = run(argv, stdins[k] if stdins else None)
        times.append(t)
        rss.append(m)
        if refs:
            if before:
                before(k)
            t, _ = run(refs[k], ref_stdins[k] if ref_stdins else None)
            ref_times.append(t)
    return times, rss, ref_times


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


def instalments(db, lines):
    """`lines` SEPA instalments spread over the open invoices, as (amount in
    cents, invoice number, part), then unmatched card settlements (None)."""
    open_invoices = query(db, "SELECT number, total_ttc - paid - credited AS balance FROM invoice "
                              "WHERE settled_on IS NULL AND credit_note = 0 ORDER BY id")
    per = -(-lines // max(1, len(open_invoices)))
    n = 0
    for inv in open_invoices:
        parts = min(per, max(1, inv["balance"] // 10))  # at least 0.10 a line
        for k in range(parts):
            if n == lines:
                return
            n += 1
            yield inv["balance"] // parts + (inv["balance"] % parts if k == 0 else 0), inv["number"], k + 1
    while n < lines:  # more lines than instalments: unmatched ones, kept in suspense
        n += 1
        yield 1000, None, n


def import_file(path, db, as_of, lines):
    """A bank statement (tally's CSV) of `lines` SEPA instalments spread over the open invoices."""
    with open(path, "w") as f:
        f.write("date,amount,reference,label,method\n")
        for n, (amount, number, part) in enumerate(instalments(db, lines), 1):
            if number:
                f.write(f"{as_of},{amount // 100}.{amount % 100:02d},IMP-{n:07d},SEPA {number} part {part},sepa\n")
            else:
                f.write(f"{as_of},10.00,IMP-{n:07d},card settlement {n},card\n")


def camt_file(path, db, as_of, lines):
    """The same statement as import_file as a CAMT.053 (camt.053.001.02): one
    booked SEPA direct-debit credit entry per line with the bank's reference
    and the same remittance text, nothing said of the payer (as tally's CSV),
    the balances reconciling (B1)."""
    total = 0
    with open(path, "w") as f:
        f.write('<?xml version="1.0" encoding="UTF-8"?>\n'
                '<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"><BkToCstmrStmt>'
                f'<GrpHdr><MsgId>BENCH</MsgId><CreDtTm>{as_of}T08:00:00</CreDtTm></GrpHdr>'
                f'<Stmt><Id>BENCH-{as_of}</Id><CreDtTm>{as_of}T08:00:00</CreDtTm>'
                '<Acct><Id><IBAN>FR7630006000011234567890189</IBAN></Id><Ccy>EUR</Ccy></Acct>\n'
                '<Bal><Tp><CdOrPrtry><Cd>OPBD</Cd></CdOrPrtry></Tp><Amt Ccy="EUR">0.00</Amt>'
                f'<CdtDbtInd>CRDT</CdtDbtInd><Dt><Dt>{as_of}</Dt></Dt></Bal>\n')
        entries = []
        for n, (amount, number, part) in enumerate(instalments(db, lines), 1):
            total += amount
            label = f"SEPA {number} part {part}" if number else f"card settlement {n}"
            fam = "RDDT" if number else "CCRD"
            entries.append(f'<Ntry><Amt Ccy="EUR">{amount // 100}.{amount % 100:02d}</Amt><CdtDbtInd>CRDT</CdtDbtInd>'
                           f'<Sts>BOOK</Sts><BookgDt><Dt>{as_of}</Dt></BookgDt><AcctSvcrRef>IMP-{n:07d}</AcctSvcrRef>'
                           f'<BkTxCd><Domn><Cd>PMNT</Cd><Fmly><Cd>{fam}</Cd><SubFmlyCd>ESDD</SubFmlyCd></Fmly></Domn>'
                           f'</BkTxCd><NtryDtls><TxDtls><RmtInf><Ustrd>{label}</Ustrd></RmtInf></TxDtls></NtryDtls>'
                           '</Ntry>\n')
        f.write('<Bal><Tp><CdOrPrtry><Cd>CLBD</Cd></CdOrPrtry></Tp>'
                f'<Amt Ccy="EUR">{total // 100}.{total % 100:02d}</Amt>'
                f'<CdtDbtInd>CRDT</CdtDbtInd><Dt><Dt>{as_of}</Dt></Dt></Bal>\n')
        f.writelines(entries)
        f.write('</Stmt></BkToCstmrStmt></Document>\n')


def suspense_file(path, as_of, lines):
    """A statement of `lines` lines that name no invoice: all to suspense."""
    with open(path, "w") as f:
        f.write("date,amount,reference,label,method\n")
        for n in range(1, lines + 1):
            f.write(f"{as_of},{10 + n % 990}.{n % 100:02d},SUSP-{n:07d},card settlement {n},card\n")


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


def clean_dir(path):
    shutil.rmtree(path, ignore_errors=True)
    os.makedirs(path)


def bench_size(args, name, customers, invoices):
    db, meta = generate(args, name, customers, invoices)
    as_of = meta["as_of"]
    work = os.path.join(args.work, "work.db")
    copy_ledger(args, db, work)
    tally = [args.tally, "--db", work, "--as-of", as_of]
    size = f"{meta['invoices'] // 1000}k" if meta["invoices"] < 1_000_000 else f"{meta['invoices'] / 1e6:.2f}M"
    results = []
    r = args.runs
    heavy = max(1, (r + 1) // 2)  # commands of seconds: import, verify, exports
    only = set(args.only.split(",")) if args.only else None

    def want(command):
        return only is None or command in only

    if want("status"):
        late = query(work, f"SELECT DISTINCT c.code FROM invoice i JOIN customer c ON c.id = i.customer_id "
                           f"WHERE i.settled_on IS NULL AND i.credit_note = 0 AND i.due_date < '{as_of}' LIMIT {r}")
        codes = [row["code"] for row in late] or ["c00000"]
        t, m, ref = measure([tally + ["status", codes[k % len(codes)], "--format", "json"] for k in range(r)],
                            refs=[["sqlite3", "-json", work] for _ in range(r)],
                            ref_stdins=[STATUS_SQL.format(d=as_of, code=codes[k % len(codes)]) for k in range(r)])
        results.append(Result("status", size, t, m, ref))

    if want("overdue"):
        t, m, ref = measure([tally + ["overdue", "--format", "json"] for _ in range(r)],
                            refs=[["sqlite3", "-json", work, LATE_QUERY.format(d=as_of)] for _ in range(r)])
        results.append(Result("overdue", size, t, m, ref))

    if want("report aging"):
        t, m, ref = measure([tally + ["report", "aging", "--format", "json"] for _ in range(r)],
                            refs=[["sqlite3", "-json", work, AGING_SQL.format(d=as_of)] for _ in range(r)])
        results.append(Result("report aging", size, t, m, ref))

    if want("pay"):  # a different open invoice each run, tally and the sqlite3 shell alternately
        payable = query(work, f"SELECT number FROM invoice WHERE settled_on IS NULL AND credit_note = 0 "
                              f"AND kind = 'subscription' AND paid = 0 AND issue_date <= '{as_of}' LIMIT {2 * r}")
        numbers = [row["number"] for row in payable]
        t, m, ref = measure([tally + ["pay", numbers[k], "--method", "sepa", "--ref", f"BENCH-{k}"] for k in range(r)],
                            refs=[["sqlite3", work] for _ in range(r)],
                            ref_stdins=[PAY_SQL.format(d=as_of, n=numbers[r + k], ref=f"REF-{k}") for k in range(r)])
        results.append(Result("pay", size, t, m, ref))

    if want("invoice run"):  # the next months, each a full run over every subscription; the shell the month after
        months = [next_month(meta["last"], k + 1) for k in range(2 * r)]
        argvs = [[args.tally, "--db", work, "--as-of", f"{ym}-01", "invoice", "run", "--period", ym]
                 for ym in months[0::2]]
        stdins = [INVOICE_RUN_SQL.format(d=f"{ym}-01", y=int(ym[:4]), m=int(ym[5:7]), ym=ym,
                                         command=f"tally --db {work} --as-of {ym}-01 invoice run --period {ym}")
                  for ym in months[1::2]]
        t, m, ref = measure(argvs, refs=[["sqlite3", work] for _ in range(r)], ref_stdins=stdins)
        results.append(Result("invoice run", size, t, m, ref))

    # Whole-ledger listings, once each (a 1M ledger lists for tens of seconds),
    # against the sqlite3 shell printing the same rows as JSON: what they show
    # is that memory stays bounded and time linear whatever the ledger size.
    listings = {
        "invoice list": "SELECT i.*, c.code, (SELECT json_group_array(json_object('position', l.position, "
                        "'description', l.description, 'qty', l.qty, 'unit_ht', l.unit_ht, 'amount_ht', l.amount_ht, "
                        "'vat_rate_bp', l.vat_rate_bp)) FROM invoice_line l WHERE l.invoice_id = i.id) AS lines "
                        f"FROM invoice i JOIN customer c ON c.id = i.customer_id WHERE i.issue_date <= '{as_of}' "
                        "ORDER BY i.id",
        "payment list": "SELECT p.*, c.code, i.number, f.number FROM payment p JOIN customer c ON c.id = p.customer_id "
                        "LEFT JOIN invoice i ON i.id = p.invoice_id LEFT JOIN invoice f ON f.id = p.fee_invoice_id "
                        f"WHERE p.date <= '{as_of}' ORDER BY p.date, p.id",
    }
    for command, ref_sql in listings.items():
        if want(command):
            t, m, ref = measure([tally + command.split() + ["--format", "json"]],
                                refs=[["sqlite3", "-json", work, ref_sql]])
            results.append(Result(command + " (all, 1 run)", size, t, m, ref))

    def fresh(_):
        copy_ledger(args, db, work)

    # verify: the whole ledger checked and its journal's chain recomputed, on
    # a fresh copy (the references above chain their events with random hashes).
    if want("verify"):
        fresh(0)
        chain = os.path.join(args.work, "chain.sh")
        with open(chain, "w") as f:
            f.write(f'sqlite3 "$1" "{CHAIN_SQL}" | sha256sum\n')
        t, m, ref = measure([tally + ["verify"] for _ in range(heavy)],
                            refs=[[["sqlite3", work], ["sh", chain, work]] for _ in range(heavy)],
                            ref_stdins=[VERIFY_SQL] * heavy)
        results.append(Result("verify", size, t, m, ref))

    # The seller's identity the documents and the FEC need (outside any timing).
    for key, value in SELLER:
        run(tally + ["seller", "set", key, value, "--effective", "2000-01-01"])
    year = meta["last"][:4]
    out = os.path.join(args.work, "out")
    for kind in ("fec", "journal"):
        if not want(f"export {kind}"):
            continue
        first, last = f"{year}-01-01", f"{year}-12-31"
        target = os.path.join(args.work, f"export.{kind}")
        t, m, ref = measure([tally + ["export", kind, "--year", year, "-o", target, "--force"] for _ in range(heavy)],
                            refs=[["sqlite3", work] for _ in range(heavy)],
                            ref_stdins=[export_sql(kind, first, last, target + ".ref")] * heavy)
        note = f"{os.path.getsize(target) / MIB:.0f} MiB (shell {os.path.getsize(target + '.ref') / MIB:.0f})"
        results.append(Result(f"export {kind}", size, t, m, ref, note))
        for path in (target, target + ".ref"):
            os.remove(path)
    if want("invoice export cii"):  # every document issued in the last month billed
        ym = meta["last"]
        first, last = f"{ym}-01", f"{next_month(ym)}-01"
        t, m, ref = measure([tally + ["invoice", "export", "--period", ym, "--as", "cii", "--dir", out]
                             for _ in range(heavy)], before=lambda _: clean_dir(out),
                            refs=[["sqlite3", work] for _ in range(heavy)],
                            ref_stdins=[CII_SQL.format(first=first, last=last, dir=out)] * heavy)
        results.append(Result("invoice export cii", size, t, m, ref, f"{len(os.listdir(out))} files"))
        shutil.rmtree(out, ignore_errors=True)

    # import: the same statement into a fresh copy each run, as tally's CSV and
    # as a CAMT.053; the reference makes the writes set-based from the CSV (for
    # the CAMT.053 after xmllint has streamed through the XML: its parse).
    statement = os.path.join(args.work, f"statement-{name}.csv")
    camt = os.path.join(args.work, f"statement-{name}.xml")
    import_file(statement, db, as_of, args.import_lines)
    for fmt_name, path in (("csv", statement), ("camt053", camt)):
        if not want(f"import {fmt_name}"):
            continue
        if fmt_name == "camt053":
            camt_file(camt, db, as_of, args.import_lines)
        argv = tally + ["import", "payments", path]
        script = IMPORT_SQL.format(csv=statement, command=" ".join(["tally"] + argv[1:]))
        parse = [["xmllint", "--stream", "--noout", camt]] if fmt_name == "camt053" else []
        t, m, ref = measure([argv for _ in range(heavy)], before=fresh,
                            refs=[[["sqlite3", work]] + parse if parse else ["sqlite3", work] for _ in range(heavy)],
                            ref_stdins=[script] * heavy)
        results.append(Result(f"import {fmt_name}", size, t, m, ref, f"{args.import_lines} lines"))

    # report suspense: 100k lines in suspense (a statement naming no invoice),
    # streamed as they are printed.
    if want("report suspense"):
        fresh(0)
        lost = os.path.join(args.work, "suspense.csv")
        suspense_file(lost, as_of, args.import_lines)
        run(tally + ["import", "payments", lost])
        sus_sql = ("SELECT s.*, (SELECT json_group_array(json_object('action', a.action, 'date', a.date, 'amount', "
                   "a.amount)) FROM suspense_action a WHERE a.suspense_id = s.id) AS actions FROM suspense s "
                   f"WHERE s.date <= '{as_of}' ORDER BY s.id")
        t, m, ref = measure([tally + ["report", "suspense", "--format", "json"] for _ in range(heavy)],
                            refs=[["sqlite3", "-json", work, sus_sql] for _ in range(heavy)])
        results.append(Result("report suspense", size, t, m, ref, f"{args.import_lines} lines"))
        os.remove(lost)
    for path in (statement, camt):
        if os.path.exists(path):
            os.remove(path)
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(work + suffix):
            os.remove(work + suffix)
    meta["name"] = name
    meta["size"] = size
    return results, meta


def target_of(r, largest):
    """The ratio target of a row and whether it is met (on the 1M ledger, or on
    the start-up row), and the memory bound on every row."""
    target = TARGETS.get(r.command) if (largest and r.size.endswith("M")) or r.size == "-" else None
    ok = r.rss <= MAX_RSS_MIB * MIB
    if target is not None and r.target_ratio() is not None:
        ok = ok and r.target_ratio() <= target
    return target, ok


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    root = os.path.dirname(os.path.dirname(here))
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--tally", default=os.path.join(root, "build-bench", "tally"))
    ap.add_argument("--gen", default=os.path.join(root, "build-bench", "tests", "bench", "gen_ledger"))
    ap.add_argument("--work", default=os.path.join(root, "build-bench", "ledgers"))
    ap.add_argument("--sizes", default="10k,100k,1M", help="comma-separated among " + ", ".join(SIZES))
    ap.add_argument("--runs", type=int, default=5,
                    help="runs per command (median); import, verify and exports run half as often")
    ap.add_argument("--import-lines", type=int, default=100_000)
    ap.add_argument("--only", help="comma-separated commands to time (as named in the table), e.g. 'status,pay'")
    ap.add_argument("--json", metavar="FILE", help="also write every row, with the run's context, to FILE as JSON")
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
    started = time.time()
    load_before = os.getloadavg()

    # What any process costs on this machine: the floor under every figure below.
    t, m, ref = measure([[args.tally, "--version"] for _ in range(args.runs)],
                        refs=[["sqlite3", ":memory:", "SELECT 1"] for _ in range(args.runs)])
    startup = Result("start-up (--version)", "-", t, m, ref)
    all_results, metas = [startup], []
    for s in sizes:
        results, meta = bench_size(args, s, *SIZES[s])
        for r in results:
            if r.command == "status":  # held to the start-up floor of the same run
                r.floor = startup.ref_ms
        all_results += results
        metas.append(meta)

    load = os.getloadavg()
    largest = sizes[-1] == "1M"
    print(f"tally benchmark: {os.cpu_count()} cores, load {load_before[0]:.2f} at the start, {load[0]:.2f} at the "
          f"end, {time.time() - started:.0f} s; median of {args.runs} runs (import, verify, exports: "
          f"{max(1, (args.runs + 1) // 2)}), wall ms and peak RSS MiB per process")
    print()
    print("| ledger | customers | invoices | file MiB | generated s | verify s | verify MiB |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for meta in metas:
        print(f"| {meta['name']} | {meta['customers']} | {meta['invoices']} | {meta['bytes'] / MIB:.0f} | "
              f"{meta['generate_s']} | {meta['verify_s']} | {meta['verify_rss'] / MIB:.1f} |")
    print()
    print("Ratio: the command's median over its reference's (status: over the start-up reference, "
          "`sqlite3 :memory:`; its own reference beside). Targets apply on the 1M ledger.")
    print()
    print("| command | ledger | wall ms | min-max | peak MiB | reference ms | ratio | target | met | note |")
    print("|---|---|---:|---|---:|---:|---:|---|---|---|")
    rows = []
    for r in all_results:
        target, ok = target_of(r, largest)
        ratio = r.target_ratio()
        shown = f"{ratio:.2f}" if ratio else ""
        if r.floor is not None and r.ratio():
            shown += f" ({r.ratio():.2f} to its query)"
        tgt = (f"<= {target}x, " if target else "") + f"< {MAX_RSS_MIB} MiB"
        print(f"| {r.command} | {r.size} | {r.ms:.1f} | {r.times[0]:.1f}-{r.times[-1]:.1f} | {r.rss / MIB:.1f} | "
              f"{f'{r.ref_ms:.1f}' if r.ref_ms else ''} | {shown} | {tgt} | {'yes' if ok else 'NO'} | {r.note} |")
        rows.append({
            "command": r.command, "ledger": r.size, "runs": len(r.times),
            "wall_ms_median": round(r.ms, 2), "wall_ms_min": round(r.times[0], 2), "wall_ms_max": round(r.times[-1], 2),
            "reference_ms": round(r.ref_ms, 2) if r.ref_ms else None,
            "reference_ms_min": round(r.ref[0], 2) if r.ref else None,
            "reference_ms_max": round(r.ref[-1], 2) if r.ref else None,
            "ratio": round(r.ratio(), 3) if r.ratio() else None,
            "floor_ms": round(r.floor, 2) if r.floor is not None else None,
            "target_ratio_value": round(ratio, 3) if ratio else None,
            "target_ratio": target, "peak_rss_kib": r.rss // 1024, "max_rss_kib": MAX_RSS_MIB * 1024,
            "met": ok, "note": r.note})
    growth_rows = []
    if len(sizes) > 1:
        print()
        first, last = metas[0], metas[-1]
        growth = last["invoices"] / first["invoices"]
        print(f"Growth {sizes[0]} -> {sizes[-1]} ({growth:.1f}x the invoices; linear when the time ratio is "
              f"within 10 % of that or of its reference's ratio):")
        print()
        print("| command | " + " | ".join(f"{s} ms" for s in sizes) + " | time ratio | reference ratio | linear |")
        print("|---|" + "---:|" * (len(sizes) + 2) + "---|")
        for command in dict.fromkeys(r.command for r in all_results if r.size != "-"):
            row = [r for r in all_results if r.command == command]
            if len(row) < 2:
                continue
            ratio = row[-1].ms / row[0].ms
            ref_ratio = row[-1].ref_ms / row[0].ref_ms if row[-1].ref_ms and row[0].ref_ms else None
            # Linear: within 10 % (the noise of one run) of the ledger's
            # growth, or of its reference's (a listing of payments grows with
            # the payments, a billing run with the subscriptions).
            linear = ratio <= 1.1 * max(growth, ref_ratio or 0)
            print(f"| {command} | " + " | ".join(f"{r.ms:.1f}" for r in row) +
                  f" | {ratio:.1f} | {f'{ref_ratio:.1f}' if ref_ratio else ''} | {'yes' if linear else 'NO'} |")
            growth_rows.append({"command": command, "wall_ms": {r.size: round(r.ms, 2) for r in row},
                                "time_ratio": round(ratio, 2),
                                "reference_ratio": round(ref_ratio, 2) if ref_ratio else None,
                                "invoice_ratio": round(growth, 2), "linear": linear})
    if args.json:
        commit = subprocess.run(["git", "-C", root, "rev-parse", "--short", "HEAD"], capture_output=True,
                                text=True).stdout.strip()
        doc = {"cores": os.cpu_count(), "load_start": [round(x, 2) for x in load_before],
               "load_end": [round(x, 2) for x in load], "seconds": round(time.time() - started, 1),
               "runs": args.runs, "commit": commit, "sizes": sizes, "import_lines": args.import_lines,
               "ledgers": [{k: meta.get(k) for k in ("name", "size", "customers", "invoices", "payments", "bytes",
                                                     "generate_s", "verify_s", "verify_rss", "as_of")}
                           for meta in metas],
               "rows": rows, "growth": growth_rows}
        with open(args.json, "w") as f:
            json.dump(doc, f, indent=1)
            f.write("\n")


if __name__ == "__main__":
    main()
