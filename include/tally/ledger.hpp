// The ledger: a SQLite file holding customers, subscriptions, invoices,
// payments, the policy versions and an append-only, hash-chained journal.
//
// Every mutation runs through Ledger::write(): one BEGIN IMMEDIATE transaction
// that also appends one journal event, so a crash leaves all or nothing of it.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "tally/billing.hpp"
#include "tally/calendar.hpp"
#include "tally/einvoice.hpp"
#include "tally/money.hpp"
#include "tally/policy.hpp"
#include "tally/records.hpp"

namespace tally {

// The schema version this build writes (PRAGMA user_version).
inline constexpr int kSchemaVersion = 11;

// PRAGMA application_id of every tally ledger ("TLLY"): a file without it (or,
// for ledgers made before it, without tally's schema) is not opened.
inline constexpr std::int32_t kApplicationId = 0x544C4C59;

// How a command uses the ledger.
enum class OpenMode {
  write,    // read-write; an older schema is migrated
  read,     // read-only connection; an older schema is migrated once first
  inspect,  // read-only, never migrates: an older schema is read from a
            // migrated copy in memory (verify, backup of its source)
};

// The longest customer name accepted (characters), checked by add_customer
// with check_text (tally/text.hpp), as the e-mail with check_email.
inline constexpr std::size_t kMaxCustomerNameLength = 200;

// One event of the journal.
struct JournalEvent {
  std::int64_t id = 0;
  std::string at;       // UTC timestamp
  std::string user;     // OS user
  std::string command;  // the command line
  std::string kind;     // "invoice.create", "pay"...
  std::string payload;  // JSON
  std::string prev_hash;
  std::string hash;
  // The rows the event's write changed, field by field: an SQLite session
  // changeset (schema 11; none for an event that changed no row and for
  // events written before). Hashed with the event when present.
  std::optional<std::string> changes;
};

// The SHA-256 (hex) of a journal event over its previous hash and canonical
// content; an intact event has hash == journal_hash(event).
std::string journal_hash(const JournalEvent& e);

class Ledger {
 public:
  // Creates a new ledger file with the schema and the default policy.
  // Throws Error(conflict) if the file exists.
  static Ledger create(const std::string& path);
  // Opens an existing ledger in `mode`. Throws Error(not_found) if the file is
  // missing, Error(integrity) "is not a tally ledger" for anything but a
  // regular SQLite file with tally's application id (or, made before it, with
  // tally's schema 1..kSchemaVersion), leaving it untouched; Error(internal)
  // for a ledger newer than this build; Error(busy) when another process holds
  // it past `busy_timeout_ms`.
  static Ledger open(const std::string& path, OpenMode mode = OpenMode::write, int busy_timeout_ms = 5000);
  // An in-memory ledger with the schema and default policy (tests).
  static Ledger memory();

  Ledger(Ledger&&) noexcept;
  Ledger& operator=(Ledger&&) noexcept;
  ~Ledger();

  // The command line recorded in journal events. Default: "".
  void set_command(std::string command);
  // When on, write() rolls back instead of committing. Default: off.
  void set_dry_run(bool on);
  bool dry_run() const;
  // Milliseconds a writer waits for the lock before Error(busy). Default: 5000.
  void set_busy_timeout(int ms);

  // Runs body in one BEGIN IMMEDIATE transaction and appends one journal event
  // of `kind` whose payload is the JSON text body returns. Commits (or rolls
  // back in dry-run mode). A nested call joins the outer transaction and appends
  // its own event. A lock held past the busy timeout throws Error(busy).
  void write(std::string_view kind, const std::function<std::string()>& body);

  // Runs body in one BEGIN IMMEDIATE transaction that appends no event of its
  // own: the writes inside it join it, each with its event, and commit (or
  // roll back) together. A command that must also write files stages them
  // inside body, so a failure anywhere leaves neither rows nor files.
  void transaction(const std::function<void()>& body);

  // The file this ledger was opened from ("" in memory).
  std::string path() const;

  // ---- Policy (versioned) ----
  // The policy in force on day d: the latest value of each parameter whose
  // effective date is <= d (the defaults before the first version).
  Policy policy_at(Date d);
  // Records a new version of one parameter from `effective` on.
  // Throws Error(usage) for an unknown key or bad value, Error(conflict) if that
  // key already has a version on that date.
  void set_policy(std::string_view key, std::string_view value, Date effective);
  struct PolicyVersion {
    std::string key, value;
    Date effective;
  };
  std::vector<PolicyVersion> policy_versions();

  // ---- Seller identity (E2), versioned like the policy ----
  // The seller's identity in force on day d: seed_seller() overlaid with the
  // latest version of each key whose effective date is <= d.
  SellerIdentity seller_at(Date d);
  // Records a new version of one key from `effective` on, checked (E4). The
  // same value already recorded for that key and date changes nothing.
  // Throws Error(usage) for an unknown key or bad value, Error(conflict) if
  // that key has another value on that date, Error(refused) in a locked month.
  void set_seller(std::string_view key, std::string_view value, Date effective);
  struct SellerVersion {
    std::string key, value;
    Date effective;
  };
  std::vector<SellerVersion> seller_versions();

  // ---- Customers ----
  // The customer's identity on documents (legal name defaults to its name).
  // Throws Error(not_found).
  BuyerIdentity customer_identity(std::string_view code);
  // Sets one key of customer_params() (checked, E4) and journals the change.
  // Throws Error(not_found), Error(usage). Returns the identity after it.
  BuyerIdentity set_customer(std::string_view code, std::string_view key, std::string_view value);
  // B2: the IBANs the customer is known to pay from: its document IBAN (key
  // iban, when set) first, then the ones added, in order. Throws Error(not_found).
  std::vector<std::string> customer_ibans(std::string_view code);
  // B2: adds a known payer IBAN to the customer (checked, E4; stored in
  // electronic form), or removes one added (not the document IBAN: set_customer).
  // Adding one already known, or removing one not known, changes nothing and
  // returns false. Throws Error(not_found), Error(usage).
  bool set_customer_iban(std::string_view code, std::string_view iban, bool remove, Date today);
  // Throws Error(conflict) if the code exists, Error(usage) for a bad code, a
  // name that is not people's text (check_text) of at most
  // kMaxCustomerNameLength characters or an e-mail check_email refuses,
  // Error(refused) for terms over the cap (I4).
  Customer add_customer(Customer c, Date today);
  // Throws Error(not_found).
  Customer customer(std::string_view code);
  std::vector<Customer> customers();
  // Customer credit available on day d (P3).
  Cents credit(std::string_view customer_code, Date d);
  // What the customer owes on day d: the balances of its invoices issued by
  // then (credit notes and payments counted as of d). One query, not a listing.
  Cents balance(std::string_view customer_code, Date d);

  // ---- Subscriptions ----
  Subscription add_subscription(Subscription s);
  Subscription subscription(std::int64_t id);
  std::vector<Subscription> subscriptions(std::optional<std::string> customer = {});

  // ---- Invoices ----
  // Issues an invoice: assigns the next number of its issue year (I2), computes
  // the totals (M2, M3) and the due date (I4). Throws Error(refused, "I2") when
  // the issue date is before the last issued date of its series and year, or
  // after the business date (check_chronology).
  Invoice issue_invoice(const NewInvoice& n);
  // Issues a credit note citing `original` (I3), dated `date` (I2 as for
  // invoices; business_date default: date). Lines are positive amounts to
  // credit, at most what remains uncredited (decide_credit: Error refused
  // "I3"). Whatever exceeds the original's balance becomes customer credit.
  Invoice issue_credit_note(std::string_view original, std::vector<InvoiceLine> lines, Date date,
                            std::string reason, std::optional<Date> business_date = std::nullopt);
  // I3: a full credit note of the remaining (not yet credited) amount.
  // Throws Error(conflict) when already void, Error(refused) for credit notes.
  Invoice void_invoice(std::string_view number, std::string reason, Date date,
                       std::optional<Date> business_date = std::nullopt);
  // I3: a partial credit note of amount_ht at the invoice's VAT rate
  // (partial_credit_line), at most what remains uncredited (Error refused "I3").
  Invoice credit_invoice(std::string_view number, Cents amount_ht, std::string reason, Date date,
                         std::optional<Date> business_date = std::nullopt);
  // The invoice or credit note, evaluated at day d. Throws Error(not_found).
  Invoice invoice(std::string_view number, Date d);
  std::vector<Invoice> invoices(const InvoiceFilter& f, Date d);
  // The same invoices one at a time, in id order, each with its lines and
  // dropped once fn returns: a whole 1M-invoice ledger listed in bounded
  // memory. fn must not use this Ledger. Throws Error(not_found) for an
  // unknown customer in the filter, before the first call.
  void each_invoice(const InvoiceFilter& f, Date d, const std::function<void(const Invoice&)>& fn);

  // I5: issues one invoice per subscription cycle starting in the month of
  // `month`, unless already invoiced, each dated `today` (I2: the business
  // date; its period names the cycle) and due today + terms (I4). Returns the invoices issued. `progress`,
  // when given, is called with (subscriptions done, subscriptions in all).
  std::vector<Invoice> run_billing(Date month, Date today,
                                   const std::function<void(std::size_t, std::size_t)>& progress = {});

  // ---- Standby (S1-S5) ----
  // The standby periods of a customer as billed: first day to last day in
  // standby (an early end shortens it), ordered by first day.
  std::vector<Period> standby_periods(std::string_view customer_code);

  // ---- Journal ----
  std::vector<JournalEvent> journal();

  // For libtally's own storage modules (src/ledger): the implementation.
  struct Impl;
  Impl& impl() { return *impl_; }

 private:
  explicit Ledger(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// What a failure escaping libtally means for the caller: an Error as it is;
// SQLite's "busy" or "locked" as Error(busy); anything else Error(internal)
// with its message.
class Error;
Error as_error(const std::exception& e);

// The default ledger path: $TALLY_DB, else $XDG_DATA_HOME/tally/ledger.db, else
// ~/.local/share/tally/ledger.db.
std::string default_ledger_path();

}  // namespace tally

// Every verb of the ledger, one interface: the functions that read or write
// the ledger file, area by area (include/tally/ledger/*.hpp). The values they
// take and return, and the pure rules, stay in include/tally/<area>.hpp,
// which never include this header.
#include "tally/ledger/accounting.hpp"
#include "tally/ledger/cancellation.hpp"
#include "tally/ledger/export.hpp"
#include "tally/ledger/import.hpp"
#include "tally/ledger/integrity.hpp"
#include "tally/ledger/overdue.hpp"
#include "tally/ledger/payments.hpp"
#include "tally/ledger/reports.hpp"
#include "tally/ledger/standby.hpp"
#include "tally/ledger/suspense.hpp"
