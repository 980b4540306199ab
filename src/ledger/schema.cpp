// The ledger schema and its migrations (PRAGMA user_version).
#include <array>

#include "ledger/impl.hpp"
#include "tally/errors.hpp"

namespace tally {
namespace {

// Migration N brings a ledger from user_version N-1 to N. Append only: a
// released migration is never edited.
constexpr std::array kMigrations = {
    // 1: the whole ledger.
    R"sql(
CREATE TABLE meta (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
) STRICT;

-- Policy parameters, one row per version of one key (RULES.md, tally policy set).
CREATE TABLE policy (
  id        INTEGER PRIMARY KEY,
  key       TEXT NOT NULL,
  value     TEXT NOT NULL,
  effective TEXT NOT NULL,
  UNIQUE (key, effective)
) STRICT;

CREATE TABLE customer (
  id          INTEGER PRIMARY KEY,
  code        TEXT NOT NULL UNIQUE,
  name        TEXT NOT NULL,
  email       TEXT NOT NULL DEFAULT '',
  vat_rate_bp INTEGER NOT NULL CHECK (vat_rate_bp BETWEEN 0 AND 10000),
  terms_days  INTEGER NOT NULL CHECK (terms_days >= 0),
  created     TEXT NOT NULL
) STRICT;

CREATE TABLE subscription (
  id                INTEGER PRIMARY KEY,
  customer_id       INTEGER NOT NULL REFERENCES customer(id),
  amount_ht         INTEGER NOT NULL CHECK (amount_ht > 0),
  cycle             TEXT NOT NULL CHECK (cycle IN ('monthly', 'quarterly', 'annual')),
  start             TEXT NOT NULL,
  commitment_months INTEGER NOT NULL CHECK (commitment_months > 0),
  notice_months     INTEGER NOT NULL CHECK (notice_months >= 0),
  letter_date       TEXT,            -- C1: cancellation letter received
  letter_ref        TEXT,
  end_date          TEXT             -- C2: last day of the contract
) STRICT;
CREATE INDEX subscription_customer ON subscription(customer_id);

-- Invoices (F) and credit notes (AV). Issued rows are never updated except the
-- cached settlement columns (paid, credited, settled_on), which verify recomputes.
CREATE TABLE invoice (
  id              INTEGER PRIMARY KEY,
  number          TEXT NOT NULL UNIQUE,
  credit_note     INTEGER NOT NULL CHECK (credit_note IN (0, 1)),
  year            INTEGER NOT NULL,
  seq             INTEGER NOT NULL CHECK (seq > 0),
  customer_id     INTEGER NOT NULL REFERENCES customer(id),
  kind            TEXT NOT NULL CHECK (kind IN ('subscription', 'setup', 'services', 'fee', 'penalty')),
  issue_date      TEXT NOT NULL,
  due_date        TEXT NOT NULL,
  total_ht        INTEGER NOT NULL,
  vat             INTEGER NOT NULL,
  total_ttc       INTEGER NOT NULL,
  cites_id        INTEGER REFERENCES invoice(id),   -- credit notes: the invoice corrected
  applied         INTEGER NOT NULL DEFAULT 0,       -- credit notes: part applied to cites_id
  reason          TEXT NOT NULL DEFAULT '',
  subscription_id INTEGER REFERENCES subscription(id),
  period_first    TEXT,
  period_last     TEXT,
  paid            INTEGER NOT NULL DEFAULT 0,
  credited        INTEGER NOT NULL DEFAULT 0,
  settled_on      TEXT,                              -- day the balance last reached 0
  UNIQUE (credit_note, year, seq)
) STRICT;
CREATE INDEX invoice_customer ON invoice(customer_id, issue_date);
CREATE INDEX invoice_cites ON invoice(cites_id) WHERE cites_id IS NOT NULL;
CREATE INDEX invoice_open ON invoice(due_date) WHERE settled_on IS NULL AND credit_note = 0;
-- Invoices settled after a day (report aging as of a past day).
CREATE INDEX invoice_settled ON invoice(settled_on, issue_date) WHERE settled_on IS NOT NULL AND credit_note = 0;
-- I5: a subscription cycle is invoiced at most once.
CREATE UNIQUE INDEX invoice_cycle ON invoice(subscription_id, period_first)
  WHERE credit_note = 0 AND kind = 'subscription';

CREATE TABLE invoice_line (
  id          INTEGER PRIMARY KEY,
  invoice_id  INTEGER NOT NULL REFERENCES invoice(id),
  position    INTEGER NOT NULL,
  description TEXT NOT NULL,
  item        TEXT NOT NULL DEFAULT '',
  qty         INTEGER NOT NULL,      -- hundredths of a unit
  unit_ht     INTEGER NOT NULL,
  amount_ht   INTEGER NOT NULL,
  vat_rate_bp INTEGER NOT NULL,
  rule        TEXT NOT NULL DEFAULT '',
  UNIQUE (invoice_id, position)
) STRICT;

-- Money received (P1-P6). amount is what arrived; allocations say where it went.
CREATE TABLE payment (
  id             INTEGER PRIMARY KEY,
  customer_id    INTEGER NOT NULL REFERENCES customer(id),
  invoice_id     INTEGER REFERENCES invoice(id),     -- the invoice named when paying
  amount         INTEGER NOT NULL CHECK (amount > 0),
  method         TEXT NOT NULL CHECK (method IN ('transfer', 'card', 'sepa', 'other', 'credit')),
  date           TEXT NOT NULL,
  ref            TEXT,
  detail         TEXT NOT NULL DEFAULT '',
  waive_reason   TEXT,
  fee_invoice_id INTEGER REFERENCES invoice(id),
  reversed_on    TEXT,
  reverse_reason TEXT
) STRICT;
CREATE UNIQUE INDEX payment_ref ON payment(ref) WHERE ref IS NOT NULL;
CREATE INDEX payment_invoice ON payment(invoice_id);
CREATE INDEX payment_customer ON payment(customer_id, date);

-- Where money went: to an invoice's balance, from a payment or from credit.
CREATE TABLE allocation (
  id          INTEGER PRIMARY KEY,
  invoice_id  INTEGER NOT NULL REFERENCES invoice(id),
  payment_id  INTEGER NOT NULL REFERENCES payment(id),
  amount      INTEGER NOT NULL CHECK (amount > 0),
  date        TEXT NOT NULL,
  reversed_on TEXT
) STRICT;
CREATE INDEX allocation_invoice ON allocation(invoice_id);
CREATE INDEX allocation_payment ON allocation(payment_id);

-- Customer credit (P3): + overpayment or credit-note excess, - credit used or reversed.
CREATE TABLE credit_movement (
  id          INTEGER PRIMARY KEY,
  customer_id INTEGER NOT NULL REFERENCES customer(id),
  date        TEXT NOT NULL,
  amount      INTEGER NOT NULL CHECK (amount <> 0),
  payment_id  INTEGER REFERENCES payment(id),
  invoice_id  INTEGER REFERENCES invoice(id),
  note        TEXT NOT NULL DEFAULT ''
) STRICT;
CREATE INDEX credit_customer ON credit_movement(customer_id, date);

-- Standby procedures (S1-S5).
CREATE TABLE standby (
  id          INTEGER PRIMARY KEY,
  customer_id INTEGER NOT NULL REFERENCES customer(id),
  reason      TEXT NOT NULL CHECK (reason IN ('inactivity', 'awaiting-approval', 'third-party-integration')),
  requested   TEXT NOT NULL,
  first_day   TEXT NOT NULL,
  last_day    TEXT NOT NULL,
  decision    TEXT NOT NULL DEFAULT 'accepted',
  ended_early TEXT
) STRICT;
CREATE INDEX standby_customer ON standby(customer_id, first_day);

-- Late-payment stage transitions as applied (L3, L6).
CREATE TABLE stage_transition (
  id          INTEGER PRIMARY KEY,
  customer_id INTEGER NOT NULL REFERENCES customer(id),
  from_stage  TEXT NOT NULL,
  to_stage    TEXT NOT NULL,
  date        TEXT NOT NULL
) STRICT;
CREATE INDEX stage_customer ON stage_transition(customer_id, date);

-- What penalty invoices billed for each late invoice (L5, L6).
CREATE TABLE penalty_billing (
  id                 INTEGER PRIMARY KEY,
  invoice_id         INTEGER NOT NULL REFERENCES invoice(id),
  penalty_invoice_id INTEGER NOT NULL REFERENCES invoice(id),
  through            TEXT NOT NULL,   -- interest billed up to this day
  interest           INTEGER NOT NULL,
  indemnity          INTEGER NOT NULL
) STRICT;
CREATE INDEX penalty_invoice ON penalty_billing(invoice_id);

-- Bank statement lines that matched no invoice (tally import payments).
CREATE TABLE suspense (
  id         INTEGER PRIMARY KEY,
  date       TEXT NOT NULL,
  amount     INTEGER NOT NULL,
  reference  TEXT NOT NULL UNIQUE,
  label      TEXT NOT NULL DEFAULT '',
  method     TEXT NOT NULL DEFAULT 'transfer',
  reason     TEXT NOT NULL DEFAULT '',   -- why it was not recorded as a payment
  payment_id INTEGER REFERENCES payment(id)
) STRICT;

-- Locked months (tally report close --lock).
CREATE TABLE period_lock (
  month     TEXT PRIMARY KEY,   -- YYYY-MM
  locked_at TEXT NOT NULL
) STRICT;

-- The journal: one event per writing command, hash-chained.
CREATE TABLE journal (
  id        INTEGER PRIMARY KEY,
  at        TEXT NOT NULL,
  os_user   TEXT NOT NULL,
  command   TEXT NOT NULL,
  kind      TEXT NOT NULL,
  payload   TEXT NOT NULL,
  prev_hash TEXT NOT NULL,
  hash      TEXT NOT NULL
) STRICT;
)sql",
    // 2: invoices settled after their due date, read by tally overdue and status
    // until their penalties are billed (without it: a scan of every invoice).
    R"sql(
CREATE INDEX invoice_settled_late ON invoice(customer_id, due_date)
  WHERE settled_on > due_date AND credit_note = 0 AND kind <> 'penalty';
)sql",
    // 3: tally overdue on a million invoices: the open invoices that can be late
    // without the open penalty invoices (a late customer gets one a month), the
    // settled-late index covering what the candidate query reads, and what was
    // billed per late invoice read from the index alone (a table lookup per
    // monthly application made overdue 4x slower).
    R"sql(
CREATE INDEX invoice_late_open ON invoice(due_date)
  WHERE settled_on IS NULL AND credit_note = 0 AND kind <> 'penalty';
DROP INDEX invoice_settled_late;
CREATE INDEX invoice_settled_late ON invoice(customer_id, due_date, settled_on, issue_date)
  WHERE settled_on > due_date AND credit_note = 0 AND kind <> 'penalty';
DROP INDEX penalty_invoice;
CREATE INDEX penalty_billing_invoice ON penalty_billing(invoice_id, through, interest, indemnity);
)sql",
    // 4: no payment index keyed by customer. Each payment landed on a leaf of
    // its own in it (a fifth of a 100k-line import); a customer's payments are
    // found through its invoices (invoice_customer, then payment_invoice), and
    // verify checks that a payment's invoice is its customer's.
    R"sql(
DROP INDEX IF EXISTS payment_customer;
)sql",
    // 5: tally status on a million invoices read 780 pages: a customer's
    // balance summed every invoice it ever had, each with its allocations, and
    // its late candidates came from all its invoices. Each customer now caches
    // what it owes today (owed: the sum of its invoices' cached balances) and
    // the last day anything moved on its invoices (moved_on: an issue, a
    // credit note, an allocation or its reversal); a balance as of that day or
    // later is the cached one. Impl::customer_moved keeps both wherever
    // an invoice's balance changes, and verify recomputes them (not
    // triggers: a trigger makes each INSERT keep a statement journal, which
    // quadrupled a billing run's page writes). The open invoices that can be
    // late are indexed by customer first (the whole-ledger overdue reads all
    // of them).
    R"sql(
ALTER TABLE customer ADD COLUMN owed INTEGER NOT NULL DEFAULT 0;
ALTER TABLE customer ADD COLUMN moved_on TEXT;
UPDATE customer SET owed = s.owed FROM (
  SELECT customer_id, SUM(total_ttc - paid - credited) AS owed FROM invoice WHERE credit_note = 0 GROUP BY customer_id
) AS s WHERE s.customer_id = customer.id;
UPDATE customer SET moved_on = m.day FROM (
  SELECT customer_id, MAX(day) AS day FROM (
    SELECT customer_id, MAX(issue_date) AS day FROM invoice GROUP BY customer_id
    UNION ALL
    SELECT i.customer_id, MAX(MAX(a.date), COALESCE(MAX(a.reversed_on), ''))
      FROM allocation a JOIN invoice i ON i.id = a.invoice_id GROUP BY i.customer_id)
  GROUP BY customer_id
) AS m WHERE m.customer_id = customer.id;
DROP INDEX invoice_late_open;
CREATE INDEX invoice_late_open ON invoice(customer_id, due_date)
  WHERE settled_on IS NULL AND credit_note = 0 AND kind <> 'penalty';
)sql",
    // 6: a cycle's first day before its subscription in the unique
    // invoice_cycle (I5). Keyed by subscription first, each invoice of a
    // billing run landed on a leaf page of its own (10k subscriptions: 4.9k
    // pages written); a run's cycles all begin in one month, so they now fill
    // a few adjacent leaves (page writes 54k -> 36k on the 1M ledger). The
    // queries by subscription go through invoice_customer.
    R"sql(
DROP INDEX invoice_cycle;
CREATE UNIQUE INDEX invoice_cycle ON invoice(period_first, subscription_id)
  WHERE credit_note = 0 AND kind = 'subscription';
)sql",
    // 7: invoice_customer keyed by the customer alone. A billing run adds one
    // invoice per customer, so it rewrote nearly every leaf of this index
    // (7.2k of 7.6k pages on the 1M ledger); without the issue date each
    // entry is half the size and the index has half the leaves (3.4k). Every
    // query through it reads the invoice rows anyway (dates, kinds, amounts),
    // and its entries come in invoice id order.
    R"sql(
DROP INDEX invoice_customer;
CREATE INDEX invoice_customer ON invoice(customer_id);
)sql",
    // 8: E2, the seller's identity, one row per version of one key (tally
    // seller set; before any version, seed_seller()); the customer's identity
    // on documents (tally customer set): '' is not known, the legal name
    // defaults to the name, the country to FR.
    R"sql(
CREATE TABLE seller (
  id        INTEGER PRIMARY KEY,
  key       TEXT NOT NULL,
  value     TEXT NOT NULL,
  effective TEXT NOT NULL,
  UNIQUE (key, effective)
) STRICT;
ALTER TABLE customer ADD COLUMN legal_name TEXT NOT NULL DEFAULT '';
ALTER TABLE customer ADD COLUMN street     TEXT NOT NULL DEFAULT '';
ALTER TABLE customer ADD COLUMN postcode   TEXT NOT NULL DEFAULT '';
ALTER TABLE customer ADD COLUMN city       TEXT NOT NULL DEFAULT '';
ALTER TABLE customer ADD COLUMN country    TEXT NOT NULL DEFAULT 'FR';
ALTER TABLE customer ADD COLUMN siren      TEXT NOT NULL DEFAULT '';
ALTER TABLE customer ADD COLUMN vat_number TEXT NOT NULL DEFAULT '';
ALTER TABLE customer ADD COLUMN iban       TEXT NOT NULL DEFAULT '';
)sql",
    // 9: L8, penalties follow backdated facts. The late invoices a payment,
    // reversal or credit note changed on a day before penalties were applied
    // to them (Impl::penalties_changed marks them), waiting for the next
    // application to bill what is missing or credit what was over-billed.
    // Existing ledgers queue every invoice moved on a day before one of its
    // applications: the first application after the upgrade checks each once.
    R"sql(
CREATE TABLE penalty_review (
  invoice_id INTEGER PRIMARY KEY REFERENCES invoice(id)
) STRICT;
INSERT OR IGNORE INTO penalty_review(invoice_id)
  SELECT DISTINCT b.invoice_id FROM penalty_billing b
   WHERE EXISTS (SELECT 1 FROM allocation a WHERE a.invoice_id = b.invoice_id
                  AND (a.date < b.through OR a.reversed_on < b.through))
      OR EXISTS (SELECT 1 FROM invoice n WHERE n.cites_id = b.invoice_id AND n.credit_note = 1
                  AND n.issue_date < b.through);
)sql",
    // 10: issue 21, B2 and suspense resolution. A customer's known payer IBANs
    // beyond its document IBAN (customer.iban, migration 8); who paid a
    // suspense line as the bank said; and what became of each suspense line:
    // one suspense_action row per assignment (the payment it recorded, of
    // part or all of the line) or dismissal (with its reason), dated the
    // business day of the decision, each written with its journal event.
    // Additive: existing lines are open, with no payer.
    R"sql(
CREATE TABLE customer_iban (
  id          INTEGER PRIMARY KEY,
  customer_id INTEGER NOT NULL REFERENCES customer(id),
  iban        TEXT NOT NULL,
  added       TEXT NOT NULL,
  UNIQUE (customer_id, iban)
) STRICT;
CREATE INDEX customer_iban_iban ON customer_iban(iban);
ALTER TABLE suspense ADD COLUMN payer      TEXT NOT NULL DEFAULT '';
ALTER TABLE suspense ADD COLUMN payer_iban TEXT NOT NULL DEFAULT '';
CREATE TABLE suspense_action (
  id          INTEGER PRIMARY KEY,
  suspense_id INTEGER NOT NULL REFERENCES suspense(id),
  action      TEXT NOT NULL CHECK (action IN ('assign', 'dismiss')),
  date        TEXT NOT NULL,
  amount      INTEGER NOT NULL CHECK (amount > 0),
  payment_id  INTEGER REFERENCES payment(id),
  reason      TEXT NOT NULL DEFAULT ''
) STRICT;
CREATE INDEX suspense_action_line ON suspense_action(suspense_id);
)sql",
    // 11: issue 19, every row on the record. Each journal event carries the
    // rows its write changed, field by field (an SQLite session changeset,
    // hashed with the event), and verify compares every table with what the
    // journal says it holds. The rows of an existing ledger, written before
    // events carried them, come onto the record in "ledger.migrate" events
    // (migrate(), after this SQL).
    R"sql(
ALTER TABLE journal ADD COLUMN changes BLOB;
)sql",
};
static_assert(kMigrations.size() == kSchemaVersion, "one migration per schema version");

}  // namespace

void migrate(SQLite::Database& db) {
  const int have = db.execAndGet("PRAGMA user_version").getInt();
  const int want = static_cast<int>(kMigrations.size());
  if (have > want) {
    throw Error(ExitCode::internal,
                fmt::format("ledger '{}' has schema version {}, newer than this tally ({}): "
                            "upgrade tally",
                            db.getFilename(), have, want));
  }
  if (have == want && db.execAndGet("PRAGMA application_id").getInt() == kApplicationId) return;
  SQLite::Transaction tx(db, SQLite::TransactionBehavior::IMMEDIATE);
  // Another process may have migrated while we waited for the lock.
  const int now = db.execAndGet("PRAGMA user_version").getInt();
  for (int v = now; v < want; ++v) {
    db.exec(kMigrations[static_cast<std::size_t>(v)]);
    // 11: the rows already there are journalled as they are (none in a new ledger).
    if (v + 1 == 11) journal_existing_rows(db, "ledger.migrate", fmt::format("schema {} to 11", now));
  }
  db.exec(fmt::format("PRAGMA user_version = {}", want));
  // Ledgers made before tally stamped its id get it with their migration.
  db.exec(fmt::format("PRAGMA application_id = {}", kApplicationId));
  tx.commit();
}

}  // namespace tally
