#!/usr/bin/env python3
"""Model-based test of tally (issue 18 item 9).

Drives the real `tally` binary through a seeded random sequence of every writing
command (customer add, subscription add, invoice create / run --period, pay by
each means and --from-credit, invoice credit, invoice void, payment reverse,
standby start / end, cancel, overdue --apply, import payments), moving the
business date (--as-of) forward, and after every step checks:

  conservation  per customer, from the ledger rows with the sqlite3 module:
                invoiced (TTC) - credit notes (TTC) - cash received net of
                reversals + customer credit = what the customer owes (the sum
                of its invoice balances, recomputed from allocations and
                credit notes); and `report balance` and `status` say the same
                balance and credit;
  numbering     F and AV gapless per year from 1, the number text is the year
                and the sequence, issue dates never decrease with the number
                and are never after the business date (I2);
  credited      no invoice is credited above its total (the credit notes
                citing it, HT and TTC), no credit note cites a credit note, no
                balance below zero;
  verify        `tally verify` exits 0;
  refusals      a command that exits 2-5 changes nothing (the ledger's dump is
                the same before and after), and so does any --dry-run;
  exit codes    never 1 (internal), 6, 7, a signal; an exit 0 prints one JSON
                document.

Usage:
  TALLY=build/tally tests/model/model.py --seed 7 --steps 200
  tests/model/model.py --tally build/tally --seeds 1-20 --steps 300
  tests/model/model.py --replay FILE.json [--shrink]

On a failure it prints the seed, the step, the broken invariant and the command
sequence so far as a shell script, and writes the sequence as JSON
(model-failure-SEED.json in --out, default the current directory) for
--replay; --shrink then removes every step the failure does not need and
prints the minimal sequence.

In ctest (tests/CMakeLists.txt) `model: short` runs 3 seeds x 60 steps: seeds
1, 2 and 3 (3, 4 and 5 found K1 and K2, 3 and 19 at 120 steps K3, all fixed
since). A long
run: the environment variables TALLY_MODEL_SEEDS (a count N for seeds 1..N, or
a range A-B, or a list 1,5,9) and TALLY_MODEL_STEPS override the defaults, e.g.
  TALLY_MODEL_SEEDS=1-200 TALLY_MODEL_STEPS=400 ctest --test-dir build -R model
(docs/architecture.md, "Tests and CI"). Python 3 standard library only; money
is integer cents throughout, never floats.

Defects it found, fixed (issue 18): K1 a backdated payment's fee invoice is
dated the series' last date (I2) while its fee was allocated on the payment
date; K2 a backdated payment or credit note split on today's balance settled
an invoice on days it was already settled (balance below zero). Both now wait
as credit until the day they can settle (settlement_schedule, src/core).
K3 a partial credit note then a void left 0.01 TTC that nothing could credit
(per-note VAT rounding): the note crediting all the HT left now carries the
VAT left (decide_credit, src/core/invoicing.cpp).
Known defect it still finds (not fixed; `--seeds 23 --steps 150`, 29 steps
once shrunk):
  K4 a credit note issued while its invoice is paid goes to customer credit
     (P3); a reversal recorded later but dated before the note reopens the
     invoice, and the note's amount stays customer credit instead of lowering
     it. A void then credits only what remains uncredited: the invoice stays
     owed (22.41) while the customer holds the same 22.41 as credit. Money is
     conserved; the void leaves the invoice partially-paid, not void.
"""
import argparse
import concurrent.futures
import datetime
import json
import os
import random
import shlex
import sqlite3
import subprocess
import sys
import tempfile

D = datetime.date
ONE_DAY = datetime.timedelta(days=1)


# ---------------------------------------------------------------- money, dates

def cents(text):
    """'-1234.56' -> -123456 (exact: no float)."""
    s = str(text)
    neg = s.startswith('-')
    if neg:
        s = s[1:]
    whole, _, frac = s.partition('.')
    if not whole.isdigit() or (frac and (not frac.isdigit() or len(frac) > 2)):
        raise ValueError(f'not an amount: {text!r}')
    v = int(whole) * 100 + int((frac + '00')[:2])
    return -v if neg else v


def money(c):
    sign = '-' if c < 0 else ''
    c = abs(c)
    return f'{sign}{c // 100}.{c % 100:02d}'


def iso(d):
    return d.isoformat()


def parse_date(s):
    return D.fromisoformat(s)


def add_months(d, n):
    m = d.month - 1 + n
    y, m = d.year + m // 12, m % 12 + 1
    return D(y, m, 1)


class Failure(Exception):
    def __init__(self, kind, message):
        super().__init__(f'{kind}: {message}')
        self.kind = kind
        self.message = message


# ---------------------------------------------------------------- running tally

WRITING = {'customer add', 'subscription add', 'invoice create', 'invoice run', 'invoice credit',
           'invoice void', 'pay', 'payment reverse', 'standby start', 'standby end', 'cancel',
           'overdue', 'import payments'}


class Tally:
    def __init__(self, binary, workdir):
        self.binary = binary
        self.workdir = workdir
        self.db = os.path.join(workdir, 'ledger.db')
        self.env = dict(os.environ)
        for k in ('TALLY_AS_OF', 'TALLY_FORMAT', 'TALLY_DB'):
            self.env.pop(k, None)
        self.env['NO_COLOR'] = '1'

    def run(self, args, as_of=None):
        argv = [self.binary, '--db', self.db, '--format', 'json']
        if as_of:
            argv += ['--as-of', as_of]
        p = subprocess.run(argv + args, capture_output=True, text=True, env=self.env, timeout=120)
        return p.returncode, p.stdout, p.stderr

    def json(self, args, as_of):
        rc, out, err = self.run(args, as_of)
        if rc != 0:
            raise Failure('read', f'tally {" ".join(args)} exited {rc}: {err.strip()}')
        try:
            return json.loads(out)
        except ValueError as e:
            raise Failure('json', f'tally {" ".join(args)}: stdout is not one JSON document ({e})')

    def connect(self):
        return sqlite3.connect(f'file:{self.db}?mode=ro', uri=True)

    def dates(self):
        """How many records bear each date (documents, payments, allocations, reversals, credit)."""
        con = self.connect()
        try:
            counts = {}
            for (d,) in con.execute(
                    'SELECT issue_date FROM invoice UNION ALL SELECT date FROM payment UNION ALL '
                    'SELECT reversed_on FROM payment WHERE reversed_on IS NOT NULL UNION ALL '
                    'SELECT date FROM allocation UNION ALL SELECT date FROM credit_movement'):
                counts[d] = counts.get(d, 0) + 1
            return counts
        finally:
            con.close()

    def dump(self):
        con = self.connect()
        try:
            return '\n'.join(con.iterdump())
        finally:
            con.close()


# ---------------------------------------------------------------- invariants

def check_invariants(t, as_of, status_for=None, past=None):
    """Every invariant of the ledger at the business date as_of (and money
    conserved on an earlier day past too: balances are evaluated as of any day
    from dated rows); raises Failure.
    status_for: which customers `status` is asked about (all when None; a step
    asks about one in turn, which keeps the short run short)."""
    rc, out, err = t.run(['verify'], as_of)
    if rc != 0:
        raise Failure('verify', f'tally verify exited {rc}: {err.strip()}')

    con = t.connect()
    try:
        q = lambda sql, *a: con.execute(sql, a).fetchall()
        invoices = q('SELECT id, number, credit_note, year, seq, customer_id, kind, issue_date, total_ht, '
                     'total_ttc, cites_id, applied, paid, credited FROM invoice ORDER BY credit_note, year, seq')
        customers = dict(q('SELECT id, code FROM customer'))
        by_id = {r[0]: r for r in invoices}

        # documents: TTC = HT + VAT, nothing negative, a credit note above zero (M2, I3)
        for number, cn, ht, vat, ttc in q('SELECT number, credit_note, total_ht, vat, total_ttc FROM invoice'):
            if ttc != ht + vat or ht < 0 or vat < 0 or (cn and ttc <= 0):
                raise Failure('documents', f'{number}: {money(ht)} HT + {money(vat)} VAT, {money(ttc)} TTC')
        # P6, P5: no payment before its invoice's issue date, no reversal before its payment
        for pid, number, issue, date, rev in q('SELECT p.id, i.number, i.issue_date, p.date, p.reversed_on '
                                               'FROM payment p JOIN invoice i ON i.id = p.invoice_id'):
            if date < issue or (rev is not None and (rev < date or rev > as_of)):
                raise Failure('payments', f'payment {pid} dated {date}, reversed {rev}, on {number} issued {issue}')
        for number, issue, pid, date in q('SELECT i.number, i.issue_date, a.payment_id, a.date FROM allocation a '
                                          'JOIN invoice i ON i.id = a.invoice_id WHERE a.date < i.issue_date'):
            raise Failure('payments', f'payment {pid} allocated on {date} to {number}, issued {issue}')

        # numbering (I2)
        series = {}
        for (iid, number, cn, year, seq, cust, kind, issue, ht, ttc, cites, applied, paid, credited) in invoices:
            series.setdefault((cn, year), []).append((seq, number, issue))
            if issue > as_of:
                raise Failure('numbering', f'{number} issued {issue}, after the business date {as_of}')
        for (cn, year), docs in series.items():
            prefix = 'AV' if cn else 'F'
            last_issue = ''
            for expect, (seq, number, issue) in enumerate(docs, start=1):
                if seq != expect:
                    raise Failure('numbering', f'{prefix}{year}: expected sequence {expect}, found {seq} ({number})')
                if number != f'{prefix}{year}-{seq:06d}':
                    raise Failure('numbering', f'{number}: the text is not {prefix}{year}-{seq:06d}')
                if issue[:4] != str(year):
                    raise Failure('numbering', f'{number} issued {issue}, not in {year}')
                if issue < last_issue:
                    raise Failure('numbering', f'{number} issued {issue}, before the previous number ({last_issue})')
                last_issue = issue

        # credited: no invoice credited above its total, HT or TTC (I3)
        cust_of = lambda row: customers.get(row[5])
        cited_ttc, cited_ht = {}, {}
        for r in invoices:
            iid, number, cn, _, _, _, _, issue, ht, ttc, cites, applied = r[:12]
            if not cn or cites is None:
                continue
            target = by_id.get(cites)
            if target is None or target[2]:
                raise Failure('credited', f'{number} cites {target[1] if target else cites}, not an invoice')
            if issue < target[7] or cust_of(r) != cust_of(target):
                raise Failure('credited', f'{number} issued {issue} for customer {cust_of(r)} cites {target[1]} '
                              f'issued {target[7]} for customer {cust_of(target)}')
            if not (0 <= applied <= ttc):
                raise Failure('credited', f'{number}: applied {money(applied)} outside 0..{money(ttc)}')
            cited_ttc[cites] = cited_ttc.get(cites, 0) + ttc
            cited_ht[cites] = cited_ht.get(cites, 0) + ht
        for (iid, number, cn, year, seq, cust, kind, issue, ht, ttc, cites, applied, paid, credited) in invoices:
            if not cn and (cited_ttc.get(iid, 0) > ttc or cited_ht.get(iid, 0) > ht):
                raise Failure('credited', f'{number} ({money(ht)} HT, {money(ttc)} TTC) is credited '
                              f'{money(cited_ht.get(iid, 0))} HT, {money(cited_ttc.get(iid, 0))} TTC')

    finally:
        con.close()
    rows = load_rows(t)
    for what, table in (('allocation', rows['allocations']), ('payment', rows['payments']),
                        ('credit movement', rows['credit'])):
        for row in table:
            date = row[2] if what != 'payment' else row[3]
            if date > as_of:
                raise Failure('conservation', f'{what} dated {date}, after the business date {as_of}')

    check_money(t, rows, customers, as_of, status_for, cached=True)
    if past and past < as_of:
        check_money(t, rows, customers, past, status_for)


def load_rows(t):
    con = t.connect()
    try:
        q = lambda sql: con.execute(sql).fetchall()
        return {
            'invoices': q('SELECT id, number, credit_note, year, seq, customer_id, kind, issue_date, total_ht, '
                          'total_ttc, cites_id, applied, paid, credited FROM invoice ORDER BY credit_note, year, seq'),
            'allocations': q('SELECT invoice_id, amount, date, reversed_on FROM allocation'),
            'payments': q('SELECT customer_id, amount, method, date, reversed_on FROM payment'),
            'credit': q('SELECT customer_id, amount, date FROM credit_movement'),
        }
    finally:
        con.close()


def check_money(t, rows, customers, day, status_for=None, cached=False):
    """Money is conserved on day, for each customer, from the ledger rows dated by
    then: invoiced (TTC) - credit notes (TTC) - cash received net of reversals +
    customer credit = the sum of its invoice balances (TTC - allocations not
    reversed - credit notes applied); `report balance` and `status` on that day
    say the same. cached: day is today, so the cached paid and credited agree."""
    alloc = {}
    for inv_id, amount, date, rev in rows['allocations']:
        if date <= day and (rev is None or rev > day):
            alloc[inv_id] = alloc.get(inv_id, 0) + amount
    applied_to = {}
    for (iid, number, cn, year, seq, cust, kind, issue, ht, ttc, cites, applied, paid, credited) in rows['invoices']:
        if cn and cites is not None and issue <= day:
            applied_to[cites] = applied_to.get(cites, 0) + applied
    owed = {c: 0 for c in customers}
    invoiced = {c: 0 for c in customers}
    credit_notes = {c: 0 for c in customers}
    for (iid, number, cn, year, seq, cust, kind, issue, ht, ttc, cites, applied, paid, credited) in rows['invoices']:
        if issue > day:
            continue
        if cn:
            credit_notes[cust] += ttc
            continue
        invoiced[cust] += ttc
        balance = ttc - alloc.get(iid, 0) - applied_to.get(iid, 0)
        if balance < 0:
            raise Failure('credited', f'{number}: balance {money(balance)} below zero on {day}')
        if cached and balance != ttc - paid - credited:
            raise Failure('conservation', f'{number}: balance from the rows {money(balance)} != cached '
                          f'{money(ttc - paid - credited)} (paid {money(paid)}, credited {money(credited)})')
        owed[cust] += balance
    cash = {c: 0 for c in customers}
    for cust, amount, method, date, rev in rows['payments']:
        if method != 'credit' and date <= day and (rev is None or rev > day):
            cash[cust] += amount
    credit = {c: 0 for c in customers}
    for cust, amount, date in rows['credit']:
        if date <= day:
            credit[cust] += amount

    for cid, code in customers.items():
        lhs = invoiced[cid] - credit_notes[cid] - cash[cid] + credit[cid]
        if lhs != owed[cid]:
            raise Failure('conservation', f'{code} on {day}: invoiced {money(invoiced[cid])} - credit notes '
                          f'{money(credit_notes[cid])} - cash {money(cash[cid])} + credit {money(credit[cid])} '
                          f'= {money(lhs)}, but its invoices owe {money(owed[cid])}')

    report = t.json(['report', 'balance'], day)
    seen = set()
    for row in report['customers']:
        code = row['customer']
        cid = next((i for i, c in customers.items() if c == code), None)
        if cid is None:
            raise Failure('conservation', f'report balance on {day} names unknown customer {code}')
        seen.add(cid)
        b, cr = cents(row['balance']), cents(row['credit'])
        parts = cents(row['invoiced']) + cents(row['fees']) + cents(row['penalties']) \
            - cents(row['credited']) - cents(row['paid'])
        if parts != b:
            raise Failure('conservation', f'report balance {code} on {day}: invoiced + fees + penalties - '
                          f'credited - paid = {money(parts)} != balance {money(b)}')
        if b != owed[cid] or cr != credit[cid]:
            raise Failure('conservation', f'report balance {code} on {day}: balance {money(b)} credit {money(cr)}, '
                          f'the ledger rows say {money(owed[cid])} and {money(credit[cid])}')
    for k, (cid, code) in enumerate(sorted(customers.items())):
        if cid not in seen and (owed[cid] or credit[cid]):
            raise Failure('conservation', f'report balance on {day} omits {code} (owes {money(owed[cid])})')
        if status_for is not None and k % len(customers) != status_for % len(customers):
            continue
        st = t.json(['status', code], day)
        if cents(st['balance']) != owed[cid] or cents(st['credit']) != credit[cid]:
            raise Failure('conservation', f'status {code} on {day}: balance {st["balance"]} credit '
                          f'{st["credit"]}, the ledger rows say {money(owed[cid])} and {money(credit[cid])}')


# ---------------------------------------------------------------- the generator

METHODS = ['transfer', 'card', 'sepa', 'other']
REASONS = ['inactivity', 'awaiting-approval', 'third-party-integration']


class Generator:
    """Chooses the next command from the ledger's current rows (so choices hit
    real invoices, payments and customers) and a seeded random source."""

    def __init__(self, rng, start):
        self.rng = rng
        self.as_of = start
        self.n_customers = 0
        self.n = 0          # counter for references and names
        self.refs = []      # (ref, args) of payments with a --ref
        self.bank = []      # lines already imported

    def amount(self, lo=1, hi=300000):
        return self.rng.randint(lo, hi)

    def near(self, lo, hi):
        """A random day in [lo, hi]."""
        if hi < lo:
            hi = lo
        return lo + datetime.timedelta(days=self.rng.randint(0, (hi - lo).days))

    def state(self, t):
        con = t.connect()
        try:
            q = lambda sql: con.execute(sql).fetchall()
            s = {
                'customers': [r[0] for r in q('SELECT code FROM customer ORDER BY id')],
                'invoices': q("""SELECT i.number, i.kind, c.code, i.issue_date, i.total_ht, i.total_ttc,
                                        i.total_ttc - i.paid - i.credited,
                                        i.total_ht - COALESCE((SELECT SUM(n.total_ht) FROM invoice n
                                                               WHERE n.cites_id = i.id), 0)
                                 FROM invoice i JOIN customer c ON c.id = i.customer_id
                                 WHERE i.credit_note = 0 ORDER BY i.id"""),
                'notes': [r[0] for r in q('SELECT number FROM invoice WHERE credit_note = 1')],
                'payments': q("""SELECT p.id, p.method, p.date, p.reversed_on FROM payment p ORDER BY p.id"""),
                'cycles': q("""SELECT c.code, i.period_first, i.period_last FROM invoice i
                               JOIN customer c ON c.id = i.customer_id
                               WHERE i.credit_note = 0 AND i.period_first IS NOT NULL"""),
                'standbys': q("""SELECT c.code, s.first_day, COALESCE(s.ended_early, s.last_day) FROM standby s
                                 JOIN customer c ON c.id = s.customer_id"""),
                'subscribed': [r[0] for r in q("""SELECT DISTINCT c.code FROM subscription s
                                                  JOIN customer c ON c.id = s.customer_id""")],
                'credit': dict(q("""SELECT c.code, SUM(m.amount) FROM credit_movement m
                                    JOIN customer c ON c.id = m.customer_id GROUP BY c.code""")),
            }
        finally:
            con.close()
        return s

    def pick_customer(self, s, among=None):
        pool = among if among else s['customers']
        if not pool or self.rng.random() < 0.03:
            return 'nobody'      # unknown customer: exit 3
        return self.rng.choice(pool)

    def pick_invoice(self, s, open_bias=0.85):
        inv = s['invoices']
        if not inv:
            return None
        open_ = [i for i in inv if i[6] > 0]
        if open_ and self.rng.random() < open_bias:
            return self.rng.choice(open_)
        return self.rng.choice(inv)

    def next(self, t):
        """One step: a dict {as_of, args, csv?}; or an advance of the date."""
        r = self.rng
        s = self.state(t)
        choices = [
            ('advance', 14), ('customer', 6 if self.n_customers < 4 else 1), ('subscription', 4),
            ('create', 7), ('run', 6), ('pay', 18), ('from_credit', 4), ('credit', 6), ('void', 3),
            ('reverse', 4), ('standby_start', 4), ('standby_end', 3), ('cancel', 2), ('overdue', 5),
            ('import', 4),
        ]
        if not s['customers']:
            choices = [('customer', 1)]
        what = r.choices([c for c, _ in choices], [w for _, w in choices])[0]
        getattr(self, 'g_' + what)(s)
        step = self.step
        if step is not None and step['args'][0] != 'advance' and r.random() < 0.05:
            step['args'] = ['--dry-run'] + step['args']
        step['as_of'] = iso(self.as_of)
        return step

    def cmd(self, *args, csv=None):
        self.step = {'args': [str(a) for a in args]}
        if csv is not None:
            self.step['csv'] = csv

    def g_advance(self, s):
        days = self.rng.choice([1, 2, 5, 10, 15, 20, 31, 45])
        self.as_of += datetime.timedelta(days=days)
        self.cmd('advance', days)

    def g_customer(self, s):
        r = self.rng
        if s['customers'] and r.random() < 0.1:
            code = r.choice(s['customers'])     # exists: exit 5
        else:
            self.n_customers += 1
            code = f'c{self.n_customers}'
        args = ['customer', 'add', code, '--name', f'Customer {code.upper()} SAS']
        if r.random() < 0.5:
            args += ['--terms', r.choice(['0', '15', '30', '45', '60', '61'])]
        if r.random() < 0.4:
            args += ['--vat-rate', r.choice(['0', '20', '5.5', '10'])]
        self.cmd(*args)

    def g_subscription(self, s):
        r = self.rng
        start = self.near(self.as_of - datetime.timedelta(days=70), self.as_of + datetime.timedelta(days=40))
        if r.random() < 0.6:
            start = start.replace(day=1)
        args = ['subscription', 'add', '--customer', self.pick_customer(s), '--amount',
                money(self.amount(1000, 300000)), '--cycle', r.choice(['monthly', 'monthly', 'quarterly', 'annual']),
                '--start', iso(start)]
        if r.random() < 0.5:
            args += ['--commitment-months', r.choice(['1', '3', '12'])]
        if r.random() < 0.5:
            args += ['--notice-months', r.choice(['0', '1', '3'])]
        self.cmd(*args)

    def g_create(self, s):
        r = self.rng
        args = ['invoice', 'create', '--customer', self.pick_customer(s), '--kind',
                r.choice(['setup', 'services', 'subscription'])]
        for _ in range(r.choice([1, 1, 1, 2])):
            args += ['--amount', money(self.amount(1, 500000))]
        if r.random() < 0.3:
            args += ['--date', iso(self.near(self.as_of - datetime.timedelta(days=10), self.as_of + ONE_DAY))]
        self.cmd(*args)

    def g_run(self, s):
        month = add_months(self.as_of, self.rng.choice([-3, -2, -1, -1, 0, 0, 0, 1]))
        self.cmd('invoice', 'run', '--period', month.strftime('%Y-%m'))

    def pay_date(self, inv):
        issue = parse_date(inv[3])
        if self.rng.random() < 0.1:
            return iso(issue - ONE_DAY)                 # P6: before the issue date, exit 4
        return iso(self.near(issue, self.as_of))

    def g_pay(self, s):
        r = self.rng
        inv = self.pick_invoice(s)
        if inv is None:
            return self.g_create(s)
        if self.refs and r.random() < 0.06:
            self.cmd(*self.rng.choice(self.refs))   # the same reference again: duplicate (0) or conflict (5)
            return
        method = r.choice(METHODS)
        args = ['pay', inv[0], '--method', method]
        if method == 'other' and r.random() < 0.95:
            args += ['--detail', f'cheque {r.randint(1000, 9999)}']
        balance = inv[6]
        x = r.random()
        if x < 0.35:
            pass                                              # the balance plus the fee
        elif x < 0.7 and balance > 1:
            args += ['--amount', money(r.randint(1, balance - 1))]   # partial
        elif x < 0.85:
            args += ['--amount', money(max(balance, 1))]
        else:
            args += ['--amount', money(balance + r.randint(1, 50000))]  # leaves credit
        if r.random() < 0.5:
            args += ['--date', self.pay_date(inv)]
        if r.random() < 0.1:
            args += ['--waive-fee', 'agreed by sales']
        if r.random() < 0.3:
            self.n += 1
            args += ['--ref', f'TX-{self.n:04d}']
            self.refs.append(list(args))
        self.cmd(*args)

    def g_from_credit(self, s):
        r = self.rng
        with_credit = [c for c, v in s['credit'].items() if v and v > 0]
        if not with_credit and r.random() < 0.7:
            return self.g_pay(s)
        pool = [i for i in s['invoices'] if i[6] > 0 and i[2] in with_credit] if r.random() < 0.8 else []
        inv = r.choice(pool) if pool else self.pick_invoice(s)
        if inv is None:
            return self.g_create(s)
        args = ['pay', inv[0], '--from-credit']
        if r.random() < 0.4:
            args += ['--amount', money(r.randint(1, max(inv[6], 1)))]
        if r.random() < 0.3:
            args += ['--date', self.pay_date(inv)]
        self.cmd(*args)

    def doc_date(self):
        return iso(self.near(self.as_of - datetime.timedelta(days=5), self.as_of + ONE_DAY))

    def g_credit(self, s):
        r = self.rng
        if s['notes'] and r.random() < 0.05:
            self.cmd('invoice', 'credit', r.choice(s['notes']), '--amount', '1.00', '--reason', 'a credit note')
            return
        creditable = [i for i in s['invoices'] if i[7] > 0]
        inv = r.choice(creditable) if creditable and r.random() < 0.9 else self.pick_invoice(s, open_bias=0.5)
        if inv is None:
            return self.g_create(s)
        left_ht = inv[7]
        x = r.random()
        if left_ht <= 0 or x < 0.1:
            amount = r.randint(1, 100000)
        elif x < 0.3:
            amount = left_ht
        elif x < 0.4:
            amount = left_ht + 1            # I3: above what remains, exit 4
        else:
            amount = r.randint(1, left_ht)
        args = ['invoice', 'credit', inv[0], '--amount', money(amount), '--reason', 'goodwill']
        if r.random() < 0.25:
            args += ['--date', self.doc_date()]
        self.cmd(*args)

    def g_void(self, s):
        inv = self.pick_invoice(s, open_bias=0.6)
        if inv is None:
            return self.g_create(s)
        args = ['invoice', 'void', inv[0], '--reason', 'wrong customer']
        if self.rng.random() < 0.25:
            args += ['--date', self.doc_date()]
        self.cmd(*args)

    def g_reverse(self, s):
        r = self.rng
        pays = s['payments']
        if not pays:
            return self.g_pay(s)
        live = [p for p in pays if p[3] is None]
        p = r.choice(live) if live and r.random() < 0.9 else r.choice(pays)
        args = ['payment', 'reverse', str(p[0]), '--reason', r.choice(['chargeback', 'SEPA debit returned'])]
        if r.random() < 0.5:
            args += ['--date', iso(self.near(parse_date(p[2]) - ONE_DAY, self.as_of))]
        self.cmd(*args)

    def g_standby_start(self, s):
        r = self.rng
        if s['cycles'] and r.random() < 0.6:
            # inside a cycle already invoiced (S3: a credit note), maybe a credited or voided one
            code, lo, hi = r.choice(s['cycles'])
            first = self.near(parse_date(lo), parse_date(hi))
        else:
            code = self.pick_customer(s, s['subscribed'] if r.random() < 0.9 else None)
            first = self.near(self.as_of - datetime.timedelta(days=30), self.as_of + datetime.timedelta(days=45))
        reason = r.choice(REASONS) if r.random() < 0.95 else 'holidays'
        args = ['standby', 'start', '--customer', code, '--reason', reason, '--from', iso(first)]
        if r.random() < 0.6:
            args += ['--until', iso(first + datetime.timedelta(days=r.randint(0, 100)))]
        self.cmd(*args)

    def g_standby_end(self, s):
        r = self.rng
        if not s['standbys']:
            return self.g_standby_start(s)
        code, first, last = r.choice(s['standbys'])
        args = ['standby', 'end', '--customer', code]
        if r.random() < 0.7:
            args += ['--date', iso(self.near(parse_date(first) - ONE_DAY, parse_date(last)))]
        self.cmd(*args)

    def g_cancel(self, s):
        self.n += 1
        letter = self.near(self.as_of - datetime.timedelta(days=40), self.as_of)
        self.cmd('cancel', '--customer', self.pick_customer(s, s['subscribed']), '--letter-date', iso(letter),
                 '--letter-ref', f'RR{self.n:06d}FR')

    def g_overdue(self, s):
        args = ['overdue', '--apply']
        if self.rng.random() < 0.3:
            args += ['--customer', self.pick_customer(s)]
        self.cmd(*args)

    def g_import(self, s):
        r = self.rng
        lines = []
        for _ in range(r.randint(1, 4)):
            if self.bank and r.random() < 0.15:
                lines.append(r.choice(self.bank))        # already imported: duplicate
                continue
            inv = self.pick_invoice(s)
            self.n += 1
            ref = f'BANK-{self.n:05d}'
            if inv is None or r.random() < 0.1:
                date, amount, label = self.as_of, self.amount(100, 50000), 'VIR UNKNOWN PAYER'
            else:
                date = self.near(parse_date(inv[3]) - ONE_DAY, self.as_of)
                x = r.random()
                amount = inv[6] if x < 0.5 and inv[6] > 0 else r.randint(1, max(inv[6], 1) + 20000)
                label = f'VIR {inv[0]} {inv[2].upper()}'
                if r.random() < 0.2:
                    ref, label = f'B{self.n:05d} {inv[0]}', ''    # the number in the reference, no label
            method = r.choice(['', '', 'transfer', 'card', 'sepa', 'other'])
            lines.append(f'{iso(date)},{money(amount)},{ref},{label},{method}')
        self.bank.extend(l for l in lines if l not in self.bank)
        csv = 'date,amount,reference,label,method\n' + '\n'.join(lines) + '\n'
        self.cmd('import', 'payments', '{csv}', csv=csv)


# ---------------------------------------------------------------- executing steps

def command_name(args):
    words = [a for a in args if a != '--dry-run']
    if words[0] in ('pay', 'cancel', 'overdue', 'advance'):
        return words[0]
    return ' '.join(words[:2])


class Run:
    def __init__(self, binary, workdir):
        self.t = Tally(binary, workdir)
        self.workdir = workdir
        self.stats = {}

    def init(self):
        rc, out, err = self.t.run(['init'])
        if rc != 0:
            raise Failure('init', f'tally init exited {rc}: {err.strip()}')

    def execute(self, i, step):
        """Runs one step and checks the invariants; raises Failure."""
        args = step['args']
        as_of = step['as_of']
        name = command_name(args)
        if name != 'advance':
            args = list(args)
            if 'csv' in step:
                path = os.path.join(self.workdir, f'step{i}.csv')
                with open(path, 'w', encoding='utf-8') as f:
                    f.write(step['csv'])
                args = [path if a == '{csv}' else a for a in args]
            before = self.t.dump()
            dates_before = self.t.dates()
            rc, out, err = self.t.run(args, as_of)
            self.stats.setdefault(name, {}).setdefault(rc, 0)
            self.stats[name][rc] += 1
            if rc == 0:
                try:
                    json.loads(out)
                except ValueError as e:
                    raise Failure('json', f'exit 0 but stdout is not one JSON document ({e}): {out[:300]}')
            elif rc in (2, 3, 4, 5):
                if not err.startswith('tally: error: '):
                    raise Failure('exit', f'exit {rc} without a "tally: error:" line: {err.strip()[:300]}')
            else:
                raise Failure('exit', f'exit {rc} (never expected here): {err.strip()[:500]}')
            after = self.t.dump()
            if (rc != 0 or '--dry-run' in args) and after != before:
                raise Failure('refusal', f'exit {rc}{" (--dry-run)" if "--dry-run" in args else ""} '
                              f'changed the ledger: {err.strip()[:300]}')
            if rc == 0 and '--dry-run' not in args:
                self.postconditions(name, args, as_of, json.loads(out), before, after)
            step['rc'] = rc
            step['err'] = err.strip()[:300]
            # A record dated before the business date (a backdated payment, reversal,
            # credit note...): money must be conserved on that earlier day too.
            added = [d for d, n in self.t.dates().items() if n > dates_before.get(d, 0) and d < as_of]
            past = min(added) if added else None
        else:
            past = None
        check_invariants(self.t, as_of, status_for=i, past=past)

    def sweep(self, as_of, limit=40):
        """At the end of a run: money conserved on every day a record bears (up to limit days)."""
        con = self.t.connect()
        try:
            customers = dict(con.execute('SELECT id, code FROM customer').fetchall())
        finally:
            con.close()
        days = sorted(self.t.dates())
        if len(days) > limit:
            days = [days[k * len(days) // limit] for k in range(limit)]
        rows = load_rows(self.t)
        for day in days:
            check_money(self.t, rows, customers, day, status_for=None)


    def postconditions(self, name, args, as_of, out, before, after):
        """What a command that exited 0 promises (docs/cli.md), beyond the invariants."""
        def opt(flag):
            return args[args.index(flag) + 1] if flag in args else None
        if name == 'pay':
            if out.get('duplicate'):
                if after != before:
                    raise Failure('idempotence', 'a duplicate payment (P4) changed the ledger')
                return
            pay = out['payment']
            placed = sum(cents(a['amount']) for a in out['allocations']) + cents(out['to_credit'])
            if placed != cents(pay['amount']):
                raise Failure('conservation', f'payment {pay["id"]} of {pay["amount"]}: allocations and credit '
                              f'place {money(placed)}')
            if opt('--amount') is not None and cents(pay['amount']) != cents(opt('--amount')):
                raise Failure('postcondition', f'pay --amount {opt("--amount")} recorded {pay["amount"]}')
            if opt('--amount') is None and '--from-credit' not in args:
                # P3: no amount pays the balance plus the fee it triggers
                left = [out['invoice']] + list(out['fees'])
                if any(cents(i['balance']) != 0 for i in left):
                    raise Failure('postcondition', 'pay without --amount (P3) left '
                                  + ', '.join(f'{i["number"]} {i["balance"]}' for i in left))
        elif name == 'invoice credit':
            note = out['credit_note']
            if cents(note['total_ht']) != cents(opt('--amount')) or note['cites'] != args[args.index('credit') + 1]:
                raise Failure('postcondition', f'invoice credit --amount {opt("--amount")} issued '
                              f'{note["number"]} of {note["total_ht"]} HT citing {note["cites"]}')
        elif name == 'invoice void':
            # I3: void = a full credit note; the invoice owes nothing and the credit notes
            # citing it add up to its total (its status stays 'paid' when it was paid).
            inv = out['invoice']
            con = self.t.connect()
            try:
                cited, total = con.execute(
                    'SELECT (SELECT SUM(n.total_ttc) FROM invoice n WHERE n.cites_id = i.id), i.total_ttc '
                    'FROM invoice i WHERE i.number = ?', (inv['number'],)).fetchone()
            finally:
                con.close()
            if inv['status'] not in ('void', 'paid') or cents(inv['balance']) != 0 or cited != total:
                raise Failure('postcondition', f'void left {inv["number"]} {inv["status"]}, balance '
                              f'{inv["balance"]}, credited {money(cited or 0)} of {money(total)} TTC')
        elif name in ('invoice run', 'overdue', 'import payments'):
            # I5, L6, import: the same call again on the same day writes nothing
            rc, out2, err = self.t.run(args, as_of)
            if rc != 0:
                raise Failure('idempotence', f'the same {name} again exited {rc}: {err.strip()[:300]}')
            again = self.t.dump()
            if name == 'invoice run':
                # A run that issues nothing still journals itself (docs/cli.md only promises
                # it issues nothing): compare everything but the journal.
                again, after = (strip_journal(d) for d in (again, after))
            if again != after:
                raise Failure('idempotence', f'the same {name} again on {as_of} changed the ledger')


def strip_journal(dump):
    return '\n'.join(l for l in dump.split('\n') if not l.startswith('INSERT INTO "journal"'))


def shell(steps, upto=None):
    lines = ['#!/bin/bash', '# replay: TALLY=build/tally bash THIS_FILE (a fresh ledger in $PWD/ledger.db)',
             'export TALLY_DB=$PWD/ledger.db', '"$TALLY" init']
    for i, step in enumerate(steps[:upto] if upto else steps):
        if command_name(step['args']) == 'advance':
            continue
        args = list(step['args'])
        if 'csv' in step:
            lines.append(f"cat > step{i}.csv <<'CSV'\n{step['csv']}CSV")
            args = [f'step{i}.csv' if a == '{csv}' else a for a in args]
        note = f"  # exit {step['rc']}" if 'rc' in step else ''
        if step.get('rc') not in (None, 0) and step.get('err'):
            note += ': ' + step['err'].splitlines()[0][:160]
        lines.append(f'"$TALLY" --as-of {step["as_of"]} --format json {shlex.join(args)}{note}')
    return '\n'.join(lines)


def replay(binary, steps, quiet=True):
    """Runs steps on a fresh ledger; returns (index, Failure) or None."""
    with tempfile.TemporaryDirectory(prefix='tally-model-') as work:
        run = Run(binary, work)
        run.init()
        for i, step in enumerate(steps):
            try:
                run.execute(i, step)
            except Failure as f:
                return i, f
        try:
            run.sweep(steps[-1]['as_of'] if steps else None)
        except Failure as f:
            f.message = 'at the end of the run, ' + f.message
            return len(steps) - 1, f
    return None


def shrink(binary, steps, kind):
    """Removes the steps a failure of this kind does not need (chunks, then one by one)."""
    def fails(candidate):
        r = replay(binary, [dict(s) for s in candidate])
        return r is not None and r[1].kind == kind, r

    res = replay(binary, steps)
    if res is None:
        return steps
    steps = steps[:res[0] + 1]
    chunk = max(1, len(steps) // 2)
    while chunk >= 1:
        i = 0
        while i < len(steps):
            cand = steps[:i] + steps[i + chunk:]
            ok, r = fails(cand) if cand else (False, None)
            if ok:
                steps = cand[:r[0] + 1]
            else:
                i += chunk
        chunk //= 2
    return steps


def report_failure(seed, step_index, steps, failure, out_dir):
    """The failure as text: seed, step, invariant, the replayable sequence; and its JSON file."""
    lines = [f'FAIL seed {seed} step {step_index} ({command_name(steps[step_index]["args"])}): '
             f'{failure.kind}: {failure.message}',
             '--- the command sequence so far (replayable):', shell(steps, step_index + 1)]
    path = os.path.join(out_dir, f'model-failure-{seed}.json')
    try:
        with open(path, 'w', encoding='utf-8') as f:
            json.dump({'seed': seed, 'step': step_index, 'kind': failure.kind, 'message': failure.message,
                       'steps': steps[:step_index + 1]}, f, indent=1)
        lines.append(f'--- written to {path}: tests/model/model.py --replay {path} [--shrink]')
    except OSError as e:
        lines.append(f'--- could not write {path}: {e}')
    return '\n'.join(lines)


def run_seed(binary, seed, n_steps, out_dir, verbose=False):
    """Returns (failure text or None, exit codes by command)."""
    rng = random.Random(seed)
    # Some seeds start late in the year: numbering per year (I2) is crossed early.
    start = D(2026, 1, 1) + datetime.timedelta(days=rng.choice([rng.randint(0, 27), rng.randint(0, 340)]))
    gen = Generator(rng, start)
    steps = []
    with tempfile.TemporaryDirectory(prefix='tally-model-') as work:
        run = Run(binary, work)
        run.init()
        for i in range(n_steps):
            step = gen.next(run.t)
            steps.append(step)
            try:
                run.execute(i, step)
            except Failure as f:
                return report_failure(seed, i, steps, f, out_dir), run.stats
            if verbose:
                print(f'{seed}:{i:4d} {step["as_of"]} rc={step.get("rc", "-")} {shlex.join(step["args"])}')
        try:
            run.sweep(iso(gen.as_of))
        except Failure as f:
            f.message = 'at the end of the run, ' + f.message
            return report_failure(seed, len(steps) - 1, steps, f, out_dir), run.stats
    return None, run.stats


def parse_seeds(text):
    seeds = []
    for part in text.split(','):
        if '-' in part:
            a, b = part.split('-', 1)
            seeds += list(range(int(a), int(b) + 1))
        else:
            seeds.append(int(part))
    return seeds


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--tally', default=os.environ.get('TALLY'), help='the binary (default $TALLY)')
    ap.add_argument('--seed', type=int, help='one seed')
    ap.add_argument('--seeds', help='seeds: N (1..N), A-B or a list; default $TALLY_MODEL_SEEDS, else 1,2,3')
    ap.add_argument('--steps', type=int, help='steps per seed; default $TALLY_MODEL_STEPS, else 60')
    ap.add_argument('--replay', help='a model-failure-SEED.json to run again')
    ap.add_argument('--shrink', action='store_true', help='with --replay: the minimal sequence that still fails')
    ap.add_argument('--out', default='.', help='where a failure writes its JSON (default .)')
    ap.add_argument('-j', '--jobs', type=int, default=int(os.environ.get('TALLY_MODEL_JOBS') or 2),
                    help='seeds run at once (default $TALLY_MODEL_JOBS, else 2)')
    ap.add_argument('-v', '--verbose', action='store_true')
    a = ap.parse_args()
    if not a.tally:
        ap.error('set TALLY or --tally to the tally binary')
    binary = os.path.abspath(a.tally)
    os.makedirs(a.out, exist_ok=True)

    if a.replay:
        with open(a.replay, encoding='utf-8') as f:
            saved = json.load(f)
        steps = [{k: v for k, v in s.items() if k in ('args', 'as_of', 'csv')} for s in saved['steps']]
        if a.shrink:
            steps = shrink(binary, steps, saved['kind'])
        res = replay(binary, steps)
        if res is None:
            print('replay: no failure')
            return 0
        i, f = res
        print(f'replay: step {i}: {f.kind}: {f.message}')
        print(shell(steps, i + 1))
        return 1

    if a.seed is not None:
        seeds = [a.seed]
    else:
        spec = a.seeds or os.environ.get('TALLY_MODEL_SEEDS') or '1,2,3'
        seeds = list(range(1, int(spec) + 1)) if spec.isdigit() else parse_seeds(spec)
    n_steps = a.steps or int(os.environ.get('TALLY_MODEL_STEPS') or 60)
    failed = []
    totals = {}
    # Seeds run side by side (each its own ledger): tally mostly waits on fsync.
    with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, a.jobs)) as pool:
        results = pool.map(lambda seed: (seed, run_seed(binary, seed, n_steps, a.out, a.verbose)), seeds)
        for seed, (failure, stats) in results:
            for name, rcs in stats.items():
                for rc, n in rcs.items():
                    totals.setdefault(name, {}).setdefault(rc, 0)
                    totals[name][rc] += n
            if failure:
                print(failure, file=sys.stderr, flush=True)
                failed.append(seed)
    summary = ', '.join(f'{name} ' + '/'.join(f'{rc}:{n}' for rc, n in sorted(rcs.items()))
                        for name, rcs in sorted(totals.items()))
    print(f'model: {len(seeds)} seed(s) x {n_steps} steps, {len(failed)} failed'
          f'{" (seeds " + ",".join(map(str, failed)) + ")" if failed else ""}; exit codes by command: {summary}')
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
