// Ledger: opening, transactions; the verbs of policy versions, customers and
// subscriptions (tally/ledger/policy.hpp, tally/ledger/customers.hpp).
#include "tally/ledger.hpp"

#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>

#include <SQLiteCpp/Backup.h>

#include <nlohmann/json.hpp>

#include "ledger/impl.hpp"
#include "ledger/rows.hpp"
#include "tally/errors.hpp"
#include "tally/files.hpp"
#include "tally/period_lock.hpp"

namespace tally {
namespace {

void configure(SQLite::Database& db, int busy_ms) {
  db.setBusyTimeout(busy_ms);
  if (db.getFilename().empty() || db.getFilename() == ":memory:") {
    db.exec("PRAGMA foreign_keys = ON");
    return;
  }
  db.exec("PRAGMA journal_mode = WAL");
  db.exec("PRAGMA synchronous = FULL");
  db.exec("PRAGMA foreign_keys = ON");
  // Keep the -wal file between processes (emptied, at most 4 MiB, at each
  // close): creating it anew and syncing the directory cost each writing
  // command tens of milliseconds (docs/performance.md).
  int persist = 1;
  sqlite3_file_control(db.getHandle(), "main", SQLITE_FCNTL_PERSIST_WAL, &persist);
  db.exec("PRAGMA journal_size_limit = 4194304");
}

// A new ledger's default policy, journalled as event 1 ("ledger.init") with
// its rows, like any later policy version.
void insert_default_policy(SQLite::Database& db) {
  const Policy defaults;
  SQLite::Statement ins(db, "INSERT INTO policy(key, value, effective) VALUES (?, ?, ?)");
  for (const auto& p : policy_params()) {
    ins.bind(1, std::string(p.key));
    ins.bind(2, p.get(defaults));
    ins.bind(3, format_date(defaults.effective));
    ins.exec();
    ins.reset();
  }
  journal_existing_rows(db, "ledger.init", "the default policy of a new ledger");
}

}  // namespace

SQLite::Statement& Ledger::Impl::stmt(const std::string& sql) {
  auto it = cache_.find(sql);
  if (it == cache_.end()) {
    it = cache_.emplace(sql, std::make_unique<SQLite::Statement>(db, sql)).first;
  } else {
    it->second->reset();
    it->second->clearBindings();
  }
  return *it->second;
}

void Ledger::Impl::release_statements() {
  for (auto& entry : cache_) entry.second->reset();
}

void Ledger::Impl::check_open_period(Date d, std::string_view what) {
  auto& q = stmt("SELECT MAX(month) AS month FROM period_lock");
  std::optional<std::string> locked;
  if (q.executeStep() && !q.getColumn("month").isNull()) locked = q.getColumn("month").getString();
  q.reset();
  tally::check_open_period(d, locked, what);
}

std::int64_t Ledger::Impl::customer_id(std::string_view code) {
  auto& q = stmt("SELECT id FROM customer WHERE code = ?");
  q.bind(1, std::string(code));
  if (!q.executeStep())
    throw not_found("unknown customer '{}'", code).with(Hint::customer_list);
  return q.getColumn("id").getInt64();
}

std::int64_t Ledger::Impl::invoice_id(std::string_view number) {
  auto& q = stmt("SELECT id FROM invoice WHERE number = ?");
  q.bind(1, std::string(number));
  if (!q.executeStep())
    throw not_found("unknown invoice '{}': expected a number such as F2026-000001", number).with(Hint::invoice_list);
  return q.getColumn("id").getInt64();
}

Ledger::Ledger(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Ledger::Ledger(Ledger&&) noexcept = default;
Ledger& Ledger::operator=(Ledger&&) noexcept = default;
Ledger::~Ledger() = default;

namespace {

// A file name as an SQLite URI ("file:...?"), for opening with parameters.
std::string file_uri(const std::string& path, std::string_view params) {
  std::string uri = "file:";
  for (const char c : std::filesystem::absolute(path).string()) {
    if (c == '%' || c == '?' || c == '#') uri += fmt::format("%{:02X}", static_cast<unsigned char>(c));
    else uri += c;
  }
  return uri + "?" + std::string(params);
}

Error not_a_ledger(const std::string& path, std::string_view why) {
  return Error(ExitCode::integrity, fmt::format("'{}' is not a tally ledger: {}", path, why));
}

// The checks made on the file's bytes before SQLite opens it (SQLite would
// create a -journal beside a device, and turn any database to WAL): a regular
// file starting with SQLite's header whose application id is tally's or, in a
// ledger made before tally stamped it, 0. Throws Error(not_found), or
// Error(integrity) naming what the file is instead.
void check_file(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) {
    if (errno == ENOENT || errno == ENOTDIR)
      throw not_found("no ledger at '{}'", path).with(Hint::init);
    throw Error(ExitCode::internal, fmt::format("cannot open ledger '{}': {}", path, std::strerror(errno)));
  }
  if (S_ISDIR(st.st_mode)) throw not_a_ledger(path, "it is a directory");
  if (!S_ISREG(st.st_mode)) throw not_a_ledger(path, "not a regular file (a device, FIFO or socket)");
  unsigned char header[100] = {};
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (f == nullptr) throw Error(ExitCode::internal, fmt::format("cannot read ledger '{}': {}", path, std::strerror(errno)));
  const std::size_t n = std::fread(header, 1, sizeof header, f);
  std::fclose(f);
  if (n == 0) throw not_a_ledger(path, "the file is empty");
  if (n < sizeof header || std::memcmp(header, "SQLite format 3", 16) != 0)
    throw not_a_ledger(path, "not an SQLite database");
  const std::uint32_t id = (std::uint32_t{header[68]} << 24) | (std::uint32_t{header[69]} << 16) |
                           (std::uint32_t{header[70]} << 8) | std::uint32_t{header[71]};
  if (id != 0 && id != static_cast<std::uint32_t>(kApplicationId))
    throw not_a_ledger(path, fmt::format("an SQLite database of another program (application id {:#010x})", id));
}

// The schema version of an open file, once its identity is confirmed from
// inside SQLite (the header may lag behind a WAL): tally's application id, or
// 0 with tally's schema (version 1..kSchemaVersion and its tables).
int checked_version(SQLite::Database& db, const std::string& path) {
  const int id = db.execAndGet("PRAGMA application_id").getInt();
  const int version = db.execAndGet("PRAGMA user_version").getInt();
  if (id == kApplicationId) return version;
  if (id != 0) throw not_a_ledger(path, fmt::format("an SQLite database of another program (application id {:#010x})",
                                                    static_cast<std::uint32_t>(id)));
  const int tables = db.execAndGet("SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name IN "
                                   "('customer', 'invoice', 'journal', 'policy')")
                         .getInt();
  if (version < 1 || version > kSchemaVersion || tables != 4)
    throw not_a_ledger(path, "an SQLite database without tally's schema");
  return version;
}

}  // namespace

Ledger Ledger::create(const std::string& path) {
  if (path.empty()) throw usage_error("invalid ledger path '': expected a file name");
  struct stat st {};
  if (::lstat(path.c_str(), &st) == 0)
    throw conflict("ledger '{}' already exists: init refuses to overwrite it", path);
  const auto parent = std::filesystem::path(path).parent_path();
  std::error_code ec;
  if (!parent.empty()) std::filesystem::create_directories(parent, ec);
  // Build the ledger in a new temporary file beside it, then link it under
  // its name: a crash or a failure leaves no half-initialised ledger, and an
  // existing file is never replaced.
  OutputFiles file("", false);
  const std::string tmp = file.reserve(path);
  const auto remove_sqlite_files = [&tmp] {
    for (const char* suffix : {"-wal", "-shm", "-journal"}) ::unlink((tmp + suffix).c_str());
  };
  try {
    {
      SQLite::Database db(tmp, SQLite::OPEN_READWRITE);
      configure(db, 5000);
      migrate(db);
      SQLite::Transaction tx(db, SQLite::TransactionBehavior::IMMEDIATE);
      insert_default_policy(db);
      tx.commit();
      db.exec("PRAGMA wal_checkpoint(TRUNCATE)");
      db.exec("PRAGMA journal_mode = DELETE");  // fold the WAL before placing the file
    }
    remove_sqlite_files();
    file.commit();
  } catch (const Error&) {
    remove_sqlite_files();
    throw;
  } catch (const std::exception& e) {
    remove_sqlite_files();
    throw Error(ExitCode::internal, fmt::format("cannot create ledger '{}': {}", path, e.what()));
  }
  return open(path);
}

Ledger Ledger::open(const std::string& path, OpenMode mode, int busy_ms) {
  check_file(path);
  if (mode == OpenMode::write) {
    auto impl = std::make_unique<Impl>(path, SQLite::OPEN_READWRITE);
    impl->busy_timeout_ms = busy_ms;
    impl->db.setBusyTimeout(busy_ms);
    checked_version(impl->db, path);
    configure(impl->db, busy_ms);
    migrate(impl->db);
    return Ledger(std::move(impl));
  }
  std::unique_ptr<Impl> impl;
  int version = 0;
  try {
    impl = std::make_unique<Impl>(path, SQLite::OPEN_READONLY);
    impl->db.setBusyTimeout(busy_ms);
    version = checked_version(impl->db, path);
  } catch (const SQLite::Exception& e) {
    if (e.getErrorCode() == SQLITE_BUSY || e.getErrorCode() == SQLITE_LOCKED) throw;
    // A read-only folder or file where SQLite cannot make the -shm of a WAL
    // ledger (a read-only mount, chattr +i): nobody can write it, so it is
    // read as immutable.
    impl = std::make_unique<Impl>(file_uri(path, "immutable=1"), SQLite::OPEN_READONLY | SQLite::OPEN_URI);
    version = checked_version(impl->db, path);
  }
  impl->path = path;
  impl->busy_timeout_ms = busy_ms;
  const bool stamped = impl->db.execAndGet("PRAGMA application_id").getInt() == kApplicationId;
  if (version == kSchemaVersion && stamped) return Ledger(std::move(impl));
  if (version > kSchemaVersion)
    throw Error(ExitCode::internal, fmt::format("ledger '{}' has schema version {}, newer than this tally ({}): "
                                                "upgrade tally",
                                                path, version, kSchemaVersion));
  if (mode == OpenMode::read) {
    impl.reset();
    open(path, OpenMode::write, busy_ms);  // migrates and stamps, once
    return open(path, OpenMode::read, busy_ms);
  }
  // inspect: never written; an older schema is read from a migrated copy.
  if (version == kSchemaVersion) return Ledger(std::move(impl));
  auto copy = std::make_unique<Impl>(":memory:", SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
  {
    SQLite::Backup pages(copy->db, impl->db);
    pages.executeStep(-1);
  }
  configure(copy->db, busy_ms);
  migrate(copy->db);
  copy->path = path;
  copy->busy_timeout_ms = busy_ms;
  return Ledger(std::move(copy));
}

Ledger Ledger::memory() {
  auto impl = std::make_unique<Impl>(":memory:", SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
  configure(impl->db, impl->busy_timeout_ms);
  migrate(impl->db);
  {
    SQLite::Transaction tx(impl->db, SQLite::TransactionBehavior::IMMEDIATE);
    insert_default_policy(impl->db);
    tx.commit();
  }
  return Ledger(std::move(impl));
}

void Ledger::set_command(std::string command) { impl_->command = std::move(command); }
void Ledger::set_dry_run(bool on) { impl_->dry_run = on; }
bool Ledger::dry_run() const { return impl_->dry_run; }
void Ledger::set_busy_timeout(int ms) {
  impl_->busy_timeout_ms = ms;
  impl_->db.setBusyTimeout(ms);
}

void Ledger::write(std::string_view kind, const std::function<std::string()>& body) {
  if (impl_->depth > 0) {
    append_journal(*impl_, kind, body());
    return;
  }
  transaction([&] { append_journal(*impl_, kind, body()); });
}

void Ledger::transaction(const std::function<void()>& body) {
  if (impl_->depth > 0) {
    body();
    return;
  }
  impl_->release_statements();  // wait for the lock, not fail on a stale read snapshot
  try {
    SQLite::Transaction tx(impl_->db, SQLite::TransactionBehavior::IMMEDIATE);
    begin_journal(*impl_);
    impl_->policy_versions.reset();  // another process may have changed them
    ++impl_->depth;
    struct Depth {  // also forgets policy versions read inside a write that may roll back, and its session
      Impl& impl;
      ~Depth() {
        --impl.depth;
        impl.policy_versions.reset();
        stop_recording(impl);
      }
    } guard{*impl_};
    start_recording(*impl_);
    body();
    // Every row change on the record: the last event takes what is left.
    finish_journal(*impl_);
    // No statement left holding a read snapshot: the checkpoint that follows a
    // commit can then empty the WAL (a long-lived connection's grew without end).
    impl_->release_statements();
    if (!impl_->dry_run) tx.commit();  // dry run: the destructor rolls back
  } catch (const SQLite::Exception& e) {
    if (e.getErrorCode() == SQLITE_BUSY || e.getErrorCode() == SQLITE_LOCKED)
      throw Error(ExitCode::busy, fmt::format("ledger '{}' is busy: another writer held it for more than {} ms; "
                                              "retry, or raise TALLY_BUSY_TIMEOUT",
                                              impl_->path, impl_->busy_timeout_ms));
    throw as_error(e);
  }
}

std::string Ledger::path() const { return impl_->path == ":memory:" ? std::string() : impl_->path; }

Error as_error(const std::exception& e) {
  if (const auto* err = dynamic_cast<const Error*>(&e)) return *err;
  if (const auto* sql = dynamic_cast<const SQLite::Exception*>(&e)) {
    if (sql->getErrorCode() == SQLITE_BUSY || sql->getErrorCode() == SQLITE_LOCKED)
      return Error(ExitCode::busy, "the ledger is busy: another process held it past the busy timeout; retry, or "
                                   "raise TALLY_BUSY_TIMEOUT (milliseconds)");
    if (sql->getErrorCode() == SQLITE_NOTADB || sql->getErrorCode() == SQLITE_CORRUPT)
      return Error(ExitCode::integrity, fmt::format("the ledger is damaged: {}", sql->what()));
  }
  return Error(ExitCode::internal, e.what());
}

// ---- Policy ----

namespace {
// The policy versions ordered by effective date, read once and kept until the
// next write or policy change (Impl::policy_versions).
const std::vector<PolicyVersion>& cached_policy_versions(Ledger::Impl& impl) {
  if (!impl.policy_versions) {
    std::vector<PolicyVersion> out;
    auto& q = impl.stmt("SELECT key, value, effective FROM policy ORDER BY effective, id");
    const int key = q.getColumnIndex("key"), value = q.getColumnIndex("value"),
              effective = q.getColumnIndex("effective");
    while (q.executeStep())
      out.push_back({q.getColumn(key).getString(), q.getColumn(value).getString(),
                     parse_date(q.getColumn(effective).getString())});
    q.reset();
    impl.policy_versions = std::move(out);
  }
  return *impl.policy_versions;
}
}  // namespace

Policy policy_at(Ledger& ledger, Date d) {
  Policy p;
  for (const auto& v : cached_policy_versions(impl_of(ledger))) {
    if (v.effective > d) break;  // ordered by effective date
    for (const auto& param : policy_params()) {
      if (param.key == v.key) {
        param.set(p, v.value);
        p.effective = v.effective;
      }
    }
  }
  return p;
}

void set_policy(Ledger& ledger, std::string_view key, std::string_view value, Date effective) {
  Ledger::Impl& impl = impl_of(ledger);
  const PolicyParam& param = policy_param(key);
  Policy probe;
  param.set(probe, value);  // validates; throws Error(usage)
  const std::string canonical = param.get(probe);
  ledger.write("policy.set", [&] {
    impl.check_open_period(effective, "policy change");
    auto& dup = impl.stmt("SELECT value FROM policy WHERE key = ? AND effective = ?");
    dup.bind(1, std::string(key));
    dup.bind(2, db_date(effective));
    if (dup.executeStep())
      throw conflict("policy parameter '{}' already has a version effective {} (value {})", key,
                     format_date(effective), dup.getColumn("value").getString());
    auto& ins = impl.stmt("INSERT INTO policy(key, value, effective) VALUES (?, ?, ?)");
    ins.bind(1, std::string(key));
    ins.bind(2, canonical);
    ins.bind(3, db_date(effective));
    ins.exec();
    impl.policy_versions.reset();
    return nlohmann::json{{"key", key}, {"value", canonical}, {"effective", format_date(effective)}}.dump();
  });
}

std::vector<PolicyVersion> policy_versions(Ledger& ledger) { return cached_policy_versions(impl_of(ledger)); }

// ---- Customers ----

namespace {
// A row of kCustomerColumns.
Customer read_customer(const Row& r) {
  Customer c;
  c.id = r.int64("id");
  c.code = r.text("code");
  c.name = r.text("name");
  c.email = r.text("email");
  c.vat_rate = Rate{r.int64("vat_rate_bp")};
  c.terms_days = static_cast<int>(r.int64("terms_days"));
  c.created = r.date("created");
  return c;
}
constexpr const char* kCustomerColumns = "SELECT id, code, name, email, vat_rate_bp, terms_days, created FROM customer";
}  // namespace

Customer add_customer(Ledger& ledger, Customer c, Date today) {
  Ledger::Impl& impl = impl_of(ledger);
  if (!is_valid_code(c.code))
    throw usage_error("invalid customer code '{}': expected lowercase letters, digits and '-', "
                      "starting with a letter or digit, at most 64 characters (e.g. acme-sas)",
                      c.code);
  if (c.name.empty()) throw usage_error("invalid customer name '': expected a name").with(Hint::name);
  check_text(c.name, "customer name", TextRule{kMaxCustomerNameLength, false});
  if (!c.email.empty()) check_email(c.email, "customer e-mail");
  const Policy policy = policy_at(ledger, today);
  check_terms(c.terms_days, policy);
  c.created = today;
  ledger.write("customer.add", [&] {
    auto& dup = impl.stmt("SELECT 1 FROM customer WHERE code = ?");
    dup.bind(1, c.code);
    if (dup.executeStep()) throw conflict("customer '{}' already exists", c.code);
    auto& ins = impl.stmt(
        "INSERT INTO customer(code, name, email, vat_rate_bp, terms_days, created) VALUES (?, ?, ?, ?, ?, ?)");
    ins.bind(1, c.code);
    ins.bind(2, c.name);
    ins.bind(3, c.email);
    ins.bind(4, static_cast<std::int64_t>(c.vat_rate.bp));
    ins.bind(5, c.terms_days);
    ins.bind(6, db_date(today));
    ins.exec();
    c.id = impl.db.getLastInsertRowid();
    return nlohmann::json{{"code", c.code},
                          {"name", c.name},
                          {"email", c.email},
                          {"vat_rate", format_rate(c.vat_rate)},
                          {"terms_days", c.terms_days}}
        .dump();
  });
  return c;
}

Customer find_customer(Ledger& ledger, std::string_view code) {
  Ledger::Impl& impl = impl_of(ledger);
  auto& q = impl.stmt(std::string(kCustomerColumns) + " WHERE code = ?");
  q.bind(1, std::string(code));
  if (!q.executeStep()) throw not_found("unknown customer '{}'", code).with(Hint::customer_list);
  return read_customer(Row(q));
}

std::vector<Customer> list_customers(Ledger& ledger) {
  Ledger::Impl& impl = impl_of(ledger);
  std::vector<Customer> out;
  auto& q = impl.stmt(std::string(kCustomerColumns) + " ORDER BY code");
  const Row k(q);
  while (q.executeStep()) out.push_back(read_customer(k));
  return out;
}

Cents customer_credit(Ledger& ledger, std::string_view customer_code, Date d) {
  Ledger::Impl& impl = impl_of(ledger);
  const auto id = impl.customer_id(customer_code);
  auto& q = impl.stmt(
      "SELECT COALESCE(SUM(amount), 0) AS credit FROM credit_movement WHERE customer_id = ? AND date <= ?");
  q.bind(1, id);
  q.bind(2, db_date(d));
  q.executeStep();
  return q.getColumn("credit").getInt64();
}

// ---- Subscriptions ----

namespace {
constexpr const char* kSubscriptionColumns =
    "SELECT s.id AS id, c.code AS customer, s.amount_ht AS amount_ht, s.cycle AS cycle, s.start AS start, "
    "s.commitment_months AS commitment_months, s.notice_months AS notice_months, s.letter_date AS letter_date, "
    "s.letter_ref AS letter_ref, s.end_date AS end_date FROM subscription s JOIN customer c ON c.id = s.customer_id";

// A row of kSubscriptionColumns.
Subscription read_subscription(const Row& r) {
  Subscription s;
  s.id = r.int64("id");
  s.customer = r.text("customer");
  s.amount_ht = r.cents("amount_ht");
  s.cycle = parse_cycle(r.text("cycle"));
  s.start = r.date("start");
  s.commitment_months = static_cast<int>(r.int64("commitment_months"));
  s.notice_months = static_cast<int>(r.int64("notice_months"));
  s.letter_date = r.optional_date("letter_date");
  s.letter_ref = r.text("letter_ref");
  s.end_date = r.optional_date("end_date");
  return s;
}
}  // namespace

Subscription add_subscription(Ledger& ledger, Subscription s) {
  Ledger::Impl& impl = impl_of(ledger);
  if (s.amount_ht <= 0)
    throw usage_error("invalid amount '{}': a licence amount must be above 0.00", format_amount(s.amount_ht));
  if (s.commitment_months <= 0 || s.commitment_months > 120)
    throw usage_error("invalid commitment '{}': expected 1 to 120 months", s.commitment_months);
  if (s.notice_months < 0 || s.notice_months > 120)
    throw usage_error("invalid notice '{}': expected 0 to 120 months", s.notice_months);
  ledger.write("subscription.add", [&] {
    const auto cid = impl.customer_id(s.customer);
    auto& ins = impl.stmt(
        "INSERT INTO subscription(customer_id, amount_ht, cycle, start, commitment_months, notice_months) "
        "VALUES (?, ?, ?, ?, ?, ?)");
    ins.bind(1, cid);
    ins.bind(2, s.amount_ht);
    ins.bind(3, std::string(to_string(s.cycle)));
    ins.bind(4, db_date(s.start));
    ins.bind(5, s.commitment_months);
    ins.bind(6, s.notice_months);
    ins.exec();
    s.id = impl.db.getLastInsertRowid();
    return nlohmann::json{{"id", s.id},
                          {"customer", s.customer},
                          {"amount_ht", format_amount(s.amount_ht)},
                          {"cycle", to_string(s.cycle)},
                          {"start", format_date(s.start)},
                          {"commitment_months", s.commitment_months},
                          {"notice_months", s.notice_months}}
        .dump();
  });
  return s;
}

Subscription find_subscription(Ledger& ledger, std::int64_t id) {
  Ledger::Impl& impl = impl_of(ledger);
  auto& q = impl.stmt(std::string(kSubscriptionColumns) + " WHERE s.id = ?");
  q.bind(1, id);
  if (!q.executeStep()) throw not_found("unknown subscription '{}'", id).with(Hint::subscription_list);
  return read_subscription(Row(q));
}

std::vector<Subscription> list_subscriptions(Ledger& ledger, std::optional<std::string> customer) {
  Ledger::Impl& impl = impl_of(ledger);
  std::vector<Subscription> out;
  if (customer) {
    const auto cid = impl.customer_id(*customer);
    auto& q = impl.stmt(std::string(kSubscriptionColumns) + " WHERE s.customer_id = ? ORDER BY s.id");
    q.bind(1, cid);
    const Row k(q);
    while (q.executeStep()) out.push_back(read_subscription(k));
  } else {
    auto& q = impl.stmt(std::string(kSubscriptionColumns) + " ORDER BY s.id");
    const Row k(q);
    while (q.executeStep()) out.push_back(read_subscription(k));
  }
  return out;
}

std::string default_ledger_path() {
  if (const char* db = std::getenv("TALLY_DB"); db && *db) return db;
  if (const char* xdg = std::getenv("XDG_DATA_HOME"); xdg && *xdg) return std::string(xdg) + "/tally/ledger.db";
  const char* home = std::getenv("HOME");
  return std::string(home ? home : ".") + "/.local/share/tally/ledger.db";
}

}  // namespace tally
