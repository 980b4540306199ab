// Ledger integrity (issue 8): verify() on an intact ledger and on tampered
// copies of it, and backup() on :memory: to a file.
#include <catch2/catch.hpp>

#include <unistd.h>

#include <algorithm>
#include <filesystem>

#include "ledger/testing.hpp"
#include "tally/errors.hpp"
#include "tally/integrity.hpp"
#include "tally/payments.hpp"
#include "tally/reports.hpp"
#include "unit/fixtures.hpp"

using tally::test::d;

using namespace tally;

namespace {

NewInvoice services(Date issue, Cents ht) {
  NewInvoice n;
  n.customer = "acme";
  n.kind = InvoiceKind::services;
  n.issue_date = issue;
  n.lines.push_back(InvoiceLine{"work", 100, ht, ht, percent(20), "I1", ""});
  return n;
}

PaymentRequest payment(const char* number, Method m, Cents amount, const char* date) {
  PaymentRequest r;
  r.invoice = number;
  r.method = m;
  r.amount = amount;
  r.date = d(date);
  r.today = d("2026-01-31");
  return r;
}

// Journal: 1 ledger.init (the default policy), 2 customer.add, 3 F1, 4 F2,
// 5 pay F1, 6 AV1 on F2, 7 F3, 8 pay F3 from credit, 9 F4, 10 pay F4, 11
// reverse it. Invoice ids: F1 1, F2 2, AV1 3, F3 4, F4 5.
Ledger sample() {
  Ledger l = Ledger::memory();
  Customer c;
  c.code = "acme";
  c.name = "ACME";
  c.vat_rate = percent(20);
  add_customer(l, c, d("2026-01-01"));
  issue_invoice(l, services(d("2026-01-05"), 100000));                     // F2026-000001: 1200.00 TTC
  issue_invoice(l, services(d("2026-01-06"), 50000));                      // F2026-000002: 600.00 TTC
  pay(l, payment("F2026-000001", Method::transfer, 130000, "2026-01-10"));  // 1200.00 + 100.00 credit
  void_invoice(l, "F2026-000002", "duplicate", d("2026-01-11"));             // AV2026-000001
  issue_invoice(l, services(d("2026-01-12"), 5000));                       // F2026-000003: 60.00 TTC
  pay_from_credit(l, "F2026-000003", std::nullopt, d("2026-01-13"), d("2026-01-31"));  // credit 100 - 60 = 40
  issue_invoice(l, services(d("2026-01-14"), 10000));                      // F2026-000004: 120.00 TTC
  const auto sepa = pay(l, payment("F2026-000004", Method::sepa, 12000, "2026-01-15"));
  reverse_payment(l, sepa.payment.id, "returned debit", d("2026-01-20"), d("2026-01-31"));
  return l;
}

const IntegrityCheck& check_named(const IntegrityReport& r, const std::string& name) {
  for (const auto& c : r.checks)
    if (c.name == name) return c;
  FAIL("no check named " << name);
  throw std::logic_error("unreachable");
}

bool has_finding(const IntegrityCheck& c, const std::string& text) {
  for (const auto& f : c.findings)
    if (f.find(text) != std::string::npos) return true;
  return false;
}

std::string temp_path(const char* name) {
  return (std::filesystem::temp_directory_path() / fmt::format("tally-unit-{}-{}", getpid(), name)).string();
}

}  // namespace

TEST_CASE("verify: an intact ledger passes every check", "[integrity]") {
  Ledger l = sample();
  const IntegrityReport r = verify(l);
  for (const auto& c : r.checks) INFO(c.name << ": " << c.detail());
  CHECK(r.ok());
  CHECK_FALSE(r.first_failure());
  REQUIRE(r.checks.size() == 10);
  CHECK(r.checks[0].name == "sqlite_integrity");
  // The sample's own state, by hand: F1 paid 1200.00 of 1300.00, 100.00 to
  // credit, 60.00 of it used on F3 -> 40.00; F4 reopened by the reversal.
  CHECK(customer_credit(l, "acme", d("2026-01-31")) == 4000);
  CHECK(find_invoice(l, "F2026-000004", d("2026-01-31")).balance == 12000);
  CHECK(check_named(r, "journal_chain").summary == "11 events, hash chain intact");
}

// Migration 5: the customer's cached owed and moved_on, and customer_balance
// from them when nothing moved after the day asked, from the movements before.
TEST_CASE("customer balance: cached for today, recomputed for an earlier day", "[integrity][ledger]") {
  Ledger l = sample();
  // By hand: F1 1200.00 paid, F2 600.00 voided by AV1, F3 60.00 paid from
  // credit, F4 120.00 paid on 01-15 and reversed on 01-20: 120.00 owed; the
  // last movement is the reversal.
  SQLite::Statement q(testing::database(l), "SELECT owed, moved_on FROM customer WHERE code = 'acme'");
  REQUIRE(q.executeStep());
  CHECK(q.getColumn(0).getInt64() == 12000);
  CHECK(q.getColumn(1).getString() == "2026-01-20");
  CHECK(customer_balance(l, "acme", d("2026-01-31")) == 12000);  // cached
  CHECK(customer_balance(l, "acme", d("2026-01-20")) == 12000);  // cached: the reversal's own day
  CHECK(customer_balance(l, "acme", d("2026-01-16")) == 0);      // F4 paid, the reversal still to come
  CHECK(customer_balance(l, "acme", d("2026-01-14")) == 12000);  // F4 issued, not yet paid
  CHECK(customer_balance(l, "acme", d("2026-01-07")) == 180000); // F1 1200.00 + F2 600.00, nothing paid yet
  CHECK(customer_balance(l, "acme", d("2026-01-04")) == 0);      // nothing issued
}

// Each row alters the sample behind the ledger's back, as `sqlite3` would.
struct Tamper {
  const char* what;
  const char* sql;
  const char* check;    // the check that must fail
  const char* finding;  // text of its finding
};

TEST_CASE("verify: every kind of tampering is caught and named", "[integrity][I2][I3][P3][P5]") {
  static const Tamper cases[] = {
      {"an invoice total", "UPDATE invoice SET total_ttc = total_ttc + 1 WHERE number = 'F2026-000001'",
       "invoice_totals", "invoice F2026-000001: stored totals 1000.00 HT, 200.00 VAT, 1200.01 TTC"},
      {"a line amount", "UPDATE invoice_line SET amount_ht = 90000 WHERE invoice_id = 1", "invoice_totals",
       "invoice F2026-000001: stored totals 1000.00 HT"},
      // Lines and totals altered together: 900.00 HT, 180.00 VAT, 1080.00 TTC
      // agree with each other, not with the journal's issue event (event 3).
      {"a line and its totals together",
       "UPDATE invoice_line SET amount_ht = 90000, unit_ht = 90000 WHERE invoice_id = 1; "
       "UPDATE invoice SET total_ht = 90000, vat = 18000, total_ttc = 108000 WHERE id = 1",
       "journal_records", "invoice F2026-000001: stored total_ht 900.00 != 1000.00 recorded by journal event 3"},
      {"a cached paid amount", "UPDATE invoice SET paid = 100000 WHERE number = 'F2026-000001'", "settlement",
       "invoice F2026-000001: stored paid 1000.00 != recomputed 1200.00"},
      {"a deleted allocation", "DELETE FROM allocation WHERE invoice_id = 1", "settlement",
       "invoice F2026-000001: stored paid 1200.00 != recomputed 0.00"},
      {"a customer's cached balance", "UPDATE customer SET owed = owed + 1 WHERE code = 'acme'", "settlement",
       "customer acme: stored owed 120.01 != 120.00 (its invoices' balances)"},
      {"a customer's last movement", "UPDATE customer SET moved_on = '2026-01-15' WHERE code = 'acme'", "settlement",
       "customer acme: stored moved_on 2026-01-15 != recomputed 2026-01-20"},
      {"a reversal undone", "UPDATE allocation SET reversed_on = NULL WHERE invoice_id = 5", "payments",
       "allocation(s) reversed on another day"},
      {"a payment amount", "UPDATE payment SET amount = 140000 WHERE id = 1", "payments",
       "payment 1: amount 1400.00 != 1200.00 allocated + 100.00 left as credit"},
      {"a payment moved to another customer",
       "INSERT INTO customer(id, code, name, vat_rate_bp, terms_days, created) "
       "VALUES (2, 'other', 'Other', 2000, 30, '2026-01-01'); UPDATE payment SET customer_id = 2 WHERE id = 1",
       "payments", "payment 1: its invoice F2026-000001 belongs to another customer"},
      {"credit out of thin air", "INSERT INTO credit_movement(customer_id, date, amount) VALUES (1, '2026-01-30', 5000)",
       "payments", "credit movement 3 of 50.00: comes from no payment nor credit note"},
      {"a credit note's applied part", "UPDATE invoice SET applied = 70000 WHERE number = 'AV2026-000001'",
       "credit_notes", "credit note AV2026-000001: applied 700.00 outside 0.00..600.00"},
      {"a journal payload", "UPDATE journal SET payload = '{}' WHERE id = 3", "journal_chain",
       "journal event 3: hash mismatch"},
      {"a deleted journal event", "DELETE FROM journal WHERE id = 4", "journal_chain",
       "journal event 4: missing (ids jump from 3 to 5)"},
      {"two events reordered",
       "UPDATE journal SET id = -2 WHERE id = 2; UPDATE journal SET id = 2 WHERE id = 3; "
       "UPDATE journal SET id = 3 WHERE id = -2",
       "journal_chain", "journal event 2: prev_hash does not match"},
      {"a renumbered invoice", "UPDATE invoice SET seq = 5, number = 'F2026-000005' WHERE number = 'F2026-000004'",
       "numbering", "numbering: F2026 jumps from 000003 to 000005"},
      {"a number not matching its year", "UPDATE invoice SET number = 'F2025-000003' WHERE number = 'F2026-000003'",
       "numbering", "numbering: F2025-000003 does not match its year 2026 and sequence 3"},
      {"an invoice deleted with its lines",
       "PRAGMA foreign_keys = OFF; DELETE FROM invoice_line WHERE invoice_id = 5; DELETE FROM invoice WHERE id = 5",
       "foreign_keys", "allocation row"},
      {"an invoice inserted behind the journal",
       "INSERT INTO invoice(number, credit_note, year, seq, customer_id, kind, issue_date, due_date, total_ht, vat, "
       "total_ttc) VALUES ('F2026-000005', 0, 2026, 5, 1, 'services', '2026-01-30', '2026-03-01', 0, 0, 0); "
       "INSERT INTO invoice_line(invoice_id, position, description, qty, unit_ht, amount_ht, vat_rate_bp) "
       "VALUES (last_insert_rowid(), 1, 'x', 100, 0, 0, 2000)",
       "journal_records", "invoice F2026-000005: no journal event issued it"},
  };
  for (const auto& t : cases) {
    SECTION(t.what) {
      Ledger l = sample();
      testing::database(l).exec(t.sql);
      const IntegrityReport r = verify(l);
      const IntegrityCheck& c = check_named(r, t.check);
      INFO(t.what << " -> " << c.name << ": " << c.detail());
      CHECK_FALSE(r.ok());
      CHECK_FALSE(c.ok());
      CHECK(has_finding(c, t.finding));
      REQUIRE(r.first_failure());
    }
  }
}

// Issue 19: every row of every table against the journal's record of it. Each
// case is one edit made behind tally's back that the checks of issue 8 let
// through; journal_records must name the table, the row and the field.
TEST_CASE("verify: every row is on the record, field by field", "[integrity][issue19]") {
  static const Tamper cases[] = {
      // F2026-000001 issued 2026-01-05, due 30 days later (the default terms).
      {"an invoice's due date", "UPDATE invoice SET due_date = '2026-12-31' WHERE number = 'F2026-000001'",
       "journal_records", "invoice F2026-000001: stored due_date 2026-12-31 != 2026-02-04 in the journal (the row last written by journal event 5)"},
      {"a line's description", "UPDATE invoice_line SET description = 'other' WHERE invoice_id = 1",
       "journal_records", "invoice_line 1: stored description other != work in the journal (the row last written by journal event 3)"},
      {"a credit note's reason", "UPDATE invoice SET reason = 'x' WHERE number = 'AV2026-000001'",
       "journal_records", "invoice AV2026-000001: stored reason x != duplicate in the journal"},
      {"a payment's reference", "UPDATE payment SET ref = 'R' WHERE id = 1", "journal_records",
       "payment 1: stored ref R != NULL in the journal (the row last written by journal event 5)"},
      {"a payment's detail", "UPDATE payment SET detail = 'd' WHERE id = 1", "journal_records",
       "payment 1: stored detail d != '' in the journal"},
      {"a customer's VAT rate", "UPDATE customer SET vat_rate_bp = 0", "journal_records",
       "customer acme: stored vat_rate_bp 0 != 2000 in the journal"},
      {"a customer's terms", "UPDATE customer SET terms_days = 90", "journal_records",
       "customer acme: stored terms_days 90 != 30 in the journal"},
      {"a policy version edited", "UPDATE policy SET value = '1' WHERE key = 'payment_terms_days'", "journal_records",
       "stored value 1 != 30 in the journal (the row last written by journal event 1)"},
      {"a policy version inserted",
       "INSERT INTO policy(key, value, effective) VALUES ('payment_terms_days', '90', '2026-06-01')",
       "journal_records", "no journal event recorded it"},
      {"a period lock deleted", "DELETE FROM period_lock", "journal_records",
       "period_lock 2026-01: recorded by journal event 12 but missing from the ledger"},
      {"a period lock added", "INSERT INTO period_lock(month, locked_at) VALUES ('2026-02', 'x')", "journal_records",
       "period_lock 2026-02: no journal event recorded it"},
      {"a reversal's reason", "UPDATE payment SET reverse_reason = 'x' WHERE reversed_on IS NOT NULL",
       "journal_records", "payment 3: stored reverse_reason x != returned debit in the journal (the row last written by journal event 11)"},
      {"a credit movement's date", "UPDATE credit_movement SET date = '2026-01-01' WHERE id = 1", "journal_records",
       "credit_movement 1: stored date 2026-01-01 != 2026-01-10 in the journal (the row last written by journal event 5)"},
      {"a customer added", "INSERT INTO customer(code, name, vat_rate_bp, terms_days, created) "
                           "VALUES ('ghost', 'G', 2000, 30, '2026-01-01')",
       "journal_records", "customer ghost: no journal event recorded it"},
      {"a stage transition added", "INSERT INTO stage_transition(customer_id, from_stage, to_stage, date) "
                                   "VALUES (1, 'active', 'late', '2026-01-20')",
       "journal_records", "stage_transition 1: no journal event recorded it"},
      {"an event's changes cut off", "UPDATE journal SET changes = NULL WHERE id = 2", "journal_chain",
       "journal event 2: hash mismatch"},
      {"the last event cut", "DELETE FROM journal WHERE id = 12", "journal_records",
       "period_lock 2026-01: no journal event recorded it"},
  };
  for (const auto& t : cases) {
    SECTION(t.what) {
      Ledger l = sample();
      lock_month(l, d("2026-01-01"), d("2026-02-01"));
      REQUIRE(verify(l).ok());
      testing::database(l).exec(t.sql);
      const IntegrityReport r = verify(l);
      const IntegrityCheck& c = check_named(r, t.check);
      INFO(t.what << " -> " << c.name << ": " << c.detail());
      for (const auto& f : c.findings) INFO(f);
      CHECK_FALSE(r.ok());
      CHECK_FALSE(c.ok());
      CHECK(has_finding(c, t.finding));
      REQUIRE(r.first_failure());
      const auto first = std::find_if(r.checks.begin(), r.checks.end(), [](const auto& k) { return !k.ok(); });
      REQUIRE(first != r.checks.end());
      CHECK(first->name == t.check);  // the first check that fails
    }
  }
}

TEST_CASE("journal: each event carries the rows its write changed", "[integrity][issue19][journal]") {
  Ledger l = sample();
  const auto events = read_journal(l);
  REQUIRE(events.size() == 11);
  CHECK(events[0].kind == "ledger.init");
  for (const auto& e : events) {
    INFO(e.id << " " << e.kind);
    CHECK(e.changes.has_value());  // every write of the sample changed rows
    CHECK(journal_hash(e) == e.hash);
  }
  // A dry run records nothing and leaves no recording behind: the next write
  // carries only its own changes (one customer row).
  l.set_dry_run(true);
  issue_invoice(l, services(d("2026-01-25"), 1000));
  l.set_dry_run(false);
  CHECK(read_journal(l).size() == 11);
  CHECK_FALSE(testing::recording(l));
  Customer c;
  c.code = "beta";
  c.name = "Beta";
  c.vat_rate = percent(20);
  add_customer(l, c, d("2026-01-25"));
  CHECK(verify(l).ok());
  const auto last = read_journal(l).back();
  REQUIRE(last.changes);
  CHECK(last.changes->find("F2026-000005") == std::string::npos);
  CHECK(last.changes->find("beta") != std::string::npos);
  // A failed write leaves nothing either.
  CHECK_THROWS_AS(add_customer(l, c, d("2026-01-25")), Error);
  CHECK_FALSE(testing::recording(l));
  CHECK(verify(l).ok());
}

TEST_CASE("verify: findings past the cap are counted, the first named", "[integrity]") {
  Ledger l = sample();
  // 25 loose credit movements: 20 kept, 5 counted.
  for (int i = 0; i < 25; ++i)
    testing::database(l).exec("INSERT INTO credit_movement(customer_id, date, amount) VALUES (1, '2026-01-30', 1)");
  const IntegrityReport r = verify(l);
  const IntegrityCheck& c = check_named(r, "payments");
  CHECK(c.findings.size() == kMaxFindings);
  CHECK(c.more == 5);
  CHECK(c.detail() == "credit movement 3 of 0.01: comes from no payment nor credit note (and 24 more)");
}

TEST_CASE("backup: a consistent copy that verifies, never overwriting", "[integrity][backup]") {
  Ledger l = sample();
  const std::string path = temp_path("backup.db");
  std::filesystem::remove(path);

  SECTION("the copy holds the whole journal and passes verify") {
    const BackupResult r = backup(l, path);
    CHECK(r.journal_events == 11);
    CHECK(r.last_hash == read_journal(l).back().hash);
    CHECK(r.bytes == static_cast<std::int64_t>(std::filesystem::file_size(path)));
    CHECK_FALSE(std::filesystem::exists(path + ".backup-tmp"));
    CHECK_FALSE(std::filesystem::exists(path + "-wal"));
    Ledger copy = Ledger::open(path);
    CHECK(verify(copy).ok());
    CHECK(find_invoice(copy, "F2026-000001", d("2026-01-31")).paid == 120000);
    // An existing file is refused, unless asked to replace it.
    try {
      backup(l, path);
      FAIL("an existing backup file was overwritten");
    } catch (const Error& e) {
      CHECK(e.code() == ExitCode::conflict);
    }
    CHECK(backup(l, path, true).journal_events == 11);
  }
  SECTION("a missing directory is a usage error, nothing written") {
    const std::string bad = temp_path("no-such-dir") + "/ledger.db";
    try {
      backup(l, bad);
      FAIL("backup into a missing directory succeeded");
    } catch (const Error& e) {
      CHECK(e.code() == ExitCode::usage);
    }
  }
  SECTION("dry run writes nothing") {
    l.set_dry_run(true);
    CHECK(backup(l, path).journal_events == 11);
    CHECK_FALSE(std::filesystem::exists(path));
  }
  // Opening the copy left its -wal (kept between processes) and -shm.
  for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path + suffix);
}
