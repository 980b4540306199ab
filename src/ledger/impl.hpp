// Private to libtally's storage modules: the state behind tally::Ledger and
// helpers shared by src/ledger/*.cpp. Commands (src/cli) never include this.
#pragma once

#include <initializer_list>
#include <memory>
#include <stdexcept>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include <sqlite3.h>

#include <SQLiteCpp/SQLiteCpp.h>

#include "tally/invoicing.hpp"
#include "tally/ledger.hpp"
#include "tally/payments.hpp"
#include "tally/standby.hpp"

struct sqlite3_session;

namespace tally {

struct Ledger::Impl {
  explicit Impl(const std::string& file, int flags) : db(file, flags), path(file) {}

  SQLite::Database db;
  std::string path;  // the ledger file as named by the caller (":memory:" in memory)
  std::string command;
  bool dry_run = false;
  int busy_timeout_ms = 5000;
  int depth = 0;  // nesting of write()

  // Journal state shared by the events of one write (journal.cpp): the OS user
  // (looked up once), the write's time, and the last event's id and hash while
  // the transaction lasts. journal_tail is reset at each outer write; code that
  // rolls back to a savepoint must reset it too (the rollback may remove events).
  std::string os_user;
  std::string write_at;
  std::optional<std::pair<std::int64_t, std::string>> journal_tail;

  // The policy versions ordered by effective date, read once per write (and
  // once for a read-only command); set_policy clears them.
  std::optional<std::vector<PolicyVersion>> policy_versions;

  // A cached prepared statement, reset and with bindings cleared, ready to bind.
  SQLite::Statement& stmt(const std::string& sql);

  // Resets every cached statement. A statement stepped and not reset keeps a
  // read snapshot open; BEGIN IMMEDIATE on a stale snapshot fails at once with
  // SQLITE_BUSY instead of waiting for the lock, so write() calls this first.
  // REQUIRES: no caller is iterating a cached statement.
  void release_statements();

  // Refuses (Error refused) any write dated on or before the end of a locked month.
  void check_open_period(Date d, std::string_view what);

  // Recomputes the cached paid/credited/settled_on columns of an invoice from
  // its allocations and credit notes, and its customer's owed; `moved_on`, the
  // day of the change when the caller has one (a reversal), goes to the
  // customer's moved_on.
  void refresh_invoice(std::int64_t invoice_id, std::optional<Date> moved_on = std::nullopt);

  // Adds a new allocation of `amount` (already inserted) to the cached paid
  // column of an invoice, and sets its settlement day if that settles it: the
  // same result as refresh_invoice without summing every earlier allocation.
  void add_paid(std::int64_t invoice_id, Cents amount);

  // Keeps a customer's cached owed and moved_on (schema 5) in step with a
  // change to its invoices: owed moves by owed_delta, moved_on becomes `day`
  // if that is later. Called wherever an invoice is issued, paid, credited or
  // reversed; verify's settlement check recomputes both.
  void customer_moved(std::int64_t customer_id, Cents owed_delta, std::optional<Date> day);

  // L8: a payment, reversal or credit note dated `day` changed invoice_id's
  // balance; when penalties were already applied to it after that day, queues
  // it (penalty_review) for the next application to bill or credit the
  // difference. One lookup in penalty_billing_invoice.
  void penalties_changed(std::int64_t invoice_id, Date day);

  // The customer's id. Throws Error(not_found) naming the code.
  std::int64_t customer_id(std::string_view code);

  // The invoice's id. Throws Error(not_found) naming the number.
  std::int64_t invoice_id(std::string_view number);

  // Issue 19: the SQLite session recording every row change of the outer
  // write (every table but the journal), opened at BEGIN IMMEDIATE; its
  // changes go to the write's last event at its end, or to an event of the
  // write once they pass a few MiB (journal.cpp). Null outside a write.
  sqlite3_session* session = nullptr;

 private:
  std::unordered_map<std::string, std::unique_ptr<SQLite::Statement>> cache_;  // by SQL text
};

// The implementation behind a Ledger: for libtally's storage modules
// (src/ledger) only; Ledger befriends this function and exposes nothing else.
inline Ledger::Impl& impl_of(Ledger& ledger) { return *ledger.impl_; }

// A prepared statement on the raw handle, finalized on scope exit (SQLiteCpp
// keeps its sqlite3_stmt private; these read column types and values as SQLite
// holds them). Throws std::runtime_error naming the SQL when it does not prepare.
class RawStatement {
 public:
  RawStatement(SQLite::Database& db, const std::string& sql) : db_(db.getHandle()) {
    if (sqlite3_prepare_v2(db_, sql.c_str(), -1, &q_, nullptr) != SQLITE_OK) {
      const std::string why = sqlite3_errmsg(db_);
      sqlite3_finalize(q_);
      throw std::runtime_error(sql + ": " + why);
    }
  }
  RawStatement(const RawStatement&) = delete;
  RawStatement& operator=(const RawStatement&) = delete;
  ~RawStatement() { sqlite3_finalize(q_); }
  sqlite3_stmt* get() const { return q_; }
  // True for a row, false when done; throws on an error.
  bool step() {
    const int rc = sqlite3_step(q_);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    throw SQLite::Exception(db_, rc);
  }

 private:
  sqlite3* db_;
  sqlite3_stmt* q_ = nullptr;
};

// Schema creation and migrations (schema.cpp). Applies every migration above
// the file's user_version in one transaction. Throws Error(internal) for a
// ledger written by a newer tally.
void migrate(SQLite::Database& db);

// Starts the journal state of an outer write: the time of its events, the OS
// user, and the last event read afresh (journal.cpp).
void begin_journal(Ledger::Impl& impl);

// SHA-256 (hex) of an event: each of `fields` (prev_hash, at, os_user,
// command, kind, payload) as "LENGTH:FIELD\n", then the changeset the same way
// when there is one, then the id (journal_hash() of a JournalEvent).
std::string event_hash(std::int64_t id, std::initializer_list<std::string_view> fields,
                       std::optional<std::string_view> changes);

// Appends one journal event, chaining its hash to the previous one, with the
// rows changed since the write's previous event (its changeset) (journal.cpp).
void append_journal(Ledger::Impl& impl, std::string_view kind, const std::string& payload);

// The session of an outer write (Impl::session): start_recording opens it on
// every table but the journal; stop_recording deletes it (commit, rollback,
// dry run: nothing outlives the transaction). finish_journal, before COMMIT,
// gives the changes not yet journalled to the write's last event (its hash
// recomputed with them); rows changed with no event to carry them are a bug
// (Error internal: the write rolls back).
void start_recording(Ledger::Impl& impl);
void stop_recording(Ledger::Impl& impl) noexcept;
void finish_journal(Ledger::Impl& impl);

// Inside a transaction on `db`: journals every row of every table but the
// journal as inserted, in events of kind `kind` (one per table, split past a
// few MiB of changeset), payload {"table", "rows", "why"}. How rows written
// before events carried their changes (migration 11), and the default policy
// of a new ledger, come onto the record.
void journal_existing_rows(SQLite::Database& db, std::string_view kind, std::string_view why);

// ---- pay() in steps (payments.cpp), for the bulk import (import.cpp) ----

// What paying an invoice needs of it, its customer and its subscription (one
// indexed read); the cached columns count every movement, so no payment can
// allocate more than is owed.
struct PayTarget {
  std::int64_t id = 0;
  std::string number;
  bool credit_note = false;
  std::int64_t customer_id = 0;
  std::string customer;
  Rate vat_rate;
  InvoiceKind kind = InvoiceKind::services;
  Date issue_date;
  std::optional<Cycle> cycle;  // a subscription invoice's cycle (P2)
  Cents ttc = 0, paid = 0, credited = 0;
};


// A payment checked against the ledger and ready to write: the invoice, what it
// settles, the fee (P2) and where the rest goes (P3).
struct PaymentPlan {
  PayTarget inv;
  Cents settled = 0, amount = 0, to_fee = 0, to_credit = 0;
  Decision fee;
  bool waived = false, charged = false;
  InvoiceLine fee_line;
};

// The checks of a request that need no ledger (amount, reference, notes,
// method). Throws Error(usage).
void check_payment_request(const PaymentRequest& r);

// Reads and checks, writes nothing: the invoice exists (Error not_found), it
// can be paid on r.date (Error refused: P6, a locked month), and the fee. So
// every refusal of a payment comes before its first row is written: an import
// sends a refused line to suspense with no savepoint to roll back.
PaymentPlan plan_payment(Ledger& ledger, const PaymentRequest& r);

// Inside a write: records the plan as pay() does (payment, allocations, fee
// invoice, credit) into `out`; returns the payload of its "pay" journal event.
std::string write_payment(Ledger& ledger, const PaymentRequest& r, PaymentPlan plan, PaymentResult& out);

// P3, P5 (K2): the moves of an invoice's balance dated after `from`:
// allocations, the reversals of allocations, credit notes' applied parts
// (invoices.cpp), for settlement_schedule and lowest_balance_ahead.
std::vector<BalanceMove> balance_moves_after(Ledger::Impl& impl, std::int64_t invoice_id, Date from);

// I3: the snapshot decide_credit and void_lines take, read now (inside a
// write, under its lock): the invoice's cached balance and what the credit
// notes citing it credited, in all and per VAT rate (invoices.cpp).
CreditSnapshot credit_snapshot(Ledger::Impl& impl, const Invoice& orig);

// The same, with the balance a credit note dated `date` may lower: the lowest
// balance from that day on (K2), not today's.
CreditSnapshot credit_snapshot(Ledger::Impl& impl, const Invoice& orig, Date date);

// S3, C4: how invoiced cycle `inv` (licence lines at `vat_rate`) is settled
// when what its cycle bills goes from before_ht to after_ht
// (settle_invoiced_cycle on its credit snapshot, read now; invoices.cpp).
CycleSettlement settle_cycle(Ledger::Impl& impl, const Invoice& inv, Rate vat_rate, Cents before_ht, Cents after_ht);

// A JSON string literal of s (quotes included), as nlohmann::json(s).dump()
// writes it: '"', '\\' and control characters escaped, UTF-8 as is. For
// journal payloads written without building a JSON tree (journal.cpp).
std::string json_quote(std::string_view s);

// Dates as stored: ISO text.
inline std::string db_date(Date d) { return format_date(d); }

}  // namespace tally
