// Ledger: opening, transactions, policy versions, customers, subscriptions.
#include "tally/ledger.hpp"

#include <sqlite3.h>
#include <sys/stat.h>

#include <cstdlib>
#include <filesystem>

#include <nlohmann/json.hpp>

#include "ledger/impl.hpp"
#include "tally/errors.hpp"

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
  auto& q = stmt("SELECT MAX(month) FROM period_lock");
  if (q.executeStep() && !q.getColumn(0).isNull()) {
    const std::string month = q.getColumn(0).getString();
    if (format_month(d) <= month) {
      throw refused("lock", "{} dated {} refused: month {} is locked (nothing dated in or before it "
                    "can change)", what, format_date(d), month);
    }
  }
}

std::int64_t Ledger::Impl::customer_id(std::string_view code) {
  auto& q = stmt("SELECT id FROM customer WHERE code = ?");
  q.bind(1, std::string(code));
  if (!q.executeStep())
    throw not_found("unknown customer '{}': see 'tally customer list'", code);
  return q.getColumn(0).getInt64();
}

std::int64_t Ledger::Impl::invoice_id(std::string_view number) {
  auto& q = stmt("SELECT id FROM invoice WHERE number = ?");
  q.bind(1, std::string(number));
  if (!q.executeStep())
    throw not_found("unknown invoice '{}': expected a number such as F2026-000001 (see 'tally invoice list')",
                    number);
  return q.getColumn(0).getInt64();
}

Ledger::Ledger(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Ledger::Ledger(Ledger&&) noexcept = default;
Ledger& Ledger::operator=(Ledger&&) noexcept = default;
Ledger::~Ledger() = default;

Ledger Ledger::create(const std::string& path) {
  std::error_code ec;
  if (std::filesystem::exists(path, ec))
    throw conflict("ledger '{}' already exists: init refuses to overwrite it", path);
  const auto parent = std::filesystem::path(path).parent_path();
  if (!parent.empty()) std::filesystem::create_directories(parent, ec);
  // Build the ledger under a temporary name, then rename: a crash leaves no
  // half-initialised file under the real name.
  const std::string tmp = path + ".init-tmp";
  std::filesystem::remove(tmp, ec);
  {
    SQLite::Database db(tmp, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    configure(db, 5000);
    migrate(db);
    SQLite::Transaction tx(db, SQLite::TransactionBehavior::IMMEDIATE);
    insert_default_policy(db);
    tx.commit();
    db.exec("PRAGMA wal_checkpoint(TRUNCATE)");
    db.exec("PRAGMA journal_mode = DELETE");  // fold the WAL before renaming
  }
  std::filesystem::remove(tmp + "-wal", ec);
  std::filesystem::remove(tmp + "-shm", ec);
  if (std::filesystem::exists(path, ec))
    throw conflict("ledger '{}' already exists: init refuses to overwrite it", path);
  std::filesystem::rename(tmp, path);
  return open(path);
}

Ledger Ledger::open(const std::string& path) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec))
    throw not_found("no ledger at '{}': run 'tally init' (or pass --db PATH / set TALLY_DB)", path);
  auto impl = std::make_unique<Impl>(path, SQLite::OPEN_READWRITE);
  configure(impl->db, impl->busy_timeout_ms);
  migrate(impl->db);
  return Ledger(std::move(impl));
}

Ledger Ledger::memory() {
  auto impl = std::make_unique<Impl>(":memory:", SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
  configure(impl->db, impl->busy_timeout_ms);
  migrate(impl->db);
  insert_default_policy(impl->db);
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
  impl_->release_statements();  // wait for the lock, not fail on a stale read snapshot
  try {
    SQLite::Transaction tx(impl_->db, SQLite::TransactionBehavior::IMMEDIATE);
    begin_journal(*impl_);
    impl_->policy_versions.reset();  // another process may have changed them
    ++impl_->depth;
    struct Depth {  // also forgets policy versions read inside a write that may roll back
      Impl& impl;
      ~Depth() {
        --impl.depth;
        impl.policy_versions.reset();
      }
    } guard{*impl_};
    append_journal(*impl_, kind, body());
    // No statement left holding a read snapshot: the checkpoint that follows a
    // commit can then empty the WAL (a long-lived connection's grew without end).
    impl_->release_statements();
    if (!impl_->dry_run) tx.commit();  // dry run: the destructor rolls back
  } catch (const SQLite::Exception& e) {
    if (e.getErrorCode() == SQLITE_BUSY || e.getErrorCode() == SQLITE_LOCKED)
      throw Error(ExitCode::busy, fmt::format("ledger '{}' is busy: another writer held it for more than {} ms; "
                                              "retry, or raise TALLY_BUSY_TIMEOUT",
                                              impl_->db.getFilename(), impl_->busy_timeout_ms));
    throw Error(ExitCode::internal, fmt::format("ledger '{}': {}", impl_->db.getFilename(), e.what()));
  }
}

// ---- Policy ----

namespace {
// The policy versions ordered by effective date, read once and kept until the
// next write or policy change (Impl::policy_versions).
const std::vector<Ledger::PolicyVersion>& cached_policy_versions(Ledger::Impl& impl) {
  if (!impl.policy_versions) {
    std::vector<Ledger::PolicyVersion> out;
    auto& q = impl.stmt("SELECT key, value, effective FROM policy ORDER BY effective, id");
    while (q.executeStep())
      out.push_back({q.getColumn(0).getString(), q.getColumn(1).getString(), parse_date(q.getColumn(2).getString())});
    q.reset();
    impl.policy_versions = std::move(out);
  }
  return *impl.policy_versions;
}
}  // namespace

Policy Ledger::policy_at(Date d) {
  Policy p;
  for (const auto& v : cached_policy_versions(*impl_)) {
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

void Ledger::set_policy(std::string_view key, std::string_view value, Date effective) {
  const PolicyParam& param = policy_param(key);
  Policy probe;
  param.set(probe, value);  // validates; throws Error(usage)
  const std::string canonical = param.get(probe);
  write("policy.set", [&] {
    impl_->check_open_period(effective, "policy change");
    auto& dup = impl_->stmt("SELECT value FROM policy WHERE key = ? AND effective = ?");
    dup.bind(1, std::string(key));
    dup.bind(2, db_date(effective));
    if (dup.executeStep())
      throw conflict("policy parameter '{}' already has a version effective {} (value {})", key,
                     format_date(effective), dup.getColumn(0).getString());
    auto& ins = impl_->stmt("INSERT INTO policy(key, value, effective) VALUES (?, ?, ?)");
    ins.bind(1, std::string(key));
    ins.bind(2, canonical);
    ins.bind(3, db_date(effective));
    ins.exec();
    impl_->policy_versions.reset();
    return nlohmann::json{{"key", key}, {"value", canonical}, {"effective", format_date(effective)}}.dump();
  });
}

std::vector<Ledger::PolicyVersion> Ledger::policy_versions() { return cached_policy_versions(*impl_); }

// ---- Customers ----

namespace {
Customer read_customer(SQLite::Statement& q) {
  Customer c;
  c.id = q.getColumn(0).getInt64();
  c.code = q.getColumn(1).getString();
  c.name = q.getColumn(2).getString();
  c.email = q.getColumn(3).getString();
  c.vat_rate = Rate{q.getColumn(4).getInt64()};
  c.terms_days = q.getColumn(5).getInt();
  c.created = parse_date(q.getColumn(6).getString());
  return c;
}
constexpr const char* kCustomerColumns = "SELECT id, code, name, email, vat_rate_bp, terms_days, created FROM customer";
}  // namespace

Customer Ledger::add_customer(Customer c, Date today) {
  if (!is_valid_code(c.code))
    throw usage_error("invalid customer code '{}': expected lowercase letters, digits and '-', "
                      "starting with a letter or digit, at most 64 characters (e.g. acme-sas)",
                      c.code);
  if (c.name.empty()) throw usage_error("invalid customer name '': expected a non-empty --name");
  check_text(c.name, "customer name", TextRule{kMaxCustomerNameLength, false});
  if (!c.email.empty()) check_email(c.email, "customer e-mail");
  const Policy policy = policy_at(today);
  check_terms(c.terms_days, policy);
  c.created = today;
  write("customer.add", [&] {
    auto& dup = impl_->stmt("SELECT 1 FROM customer WHERE code = ?");
    dup.bind(1, c.code);
    if (dup.executeStep()) throw conflict("customer '{}' already exists", c.code);
    auto& ins = impl_->stmt(
        "INSERT INTO customer(code, name, email, vat_rate_bp, terms_days, created) VALUES (?, ?, ?, ?, ?, ?)");
    ins.bind(1, c.code);
    ins.bind(2, c.name);
    ins.bind(3, c.email);
    ins.bind(4, static_cast<std::int64_t>(c.vat_rate.bp));
    ins.bind(5, c.terms_days);
    ins.bind(6, db_date(today));
    ins.exec();
    c.id = impl_->db.getLastInsertRowid();
    return nlohmann::json{{"code", c.code},
                          {"name", c.name},
                          {"email", c.email},
                          {"vat_rate", format_rate(c.vat_rate)},
                          {"terms_days", c.terms_days}}
        .dump();
  });
  return c;
}

Customer Ledger::customer(std::string_view code) {
  auto& q = impl_->stmt(std::string(kCustomerColumns) + " WHERE code = ?");
  q.bind(1, std::string(code));
  if (!q.executeStep()) throw not_found("unknown customer '{}': see 'tally customer list'", code);
  return read_customer(q);
}

std::vector<Customer> Ledger::customers() {
  std::vector<Customer> out;
  auto& q = impl_->stmt(std::string(kCustomerColumns) + " ORDER BY code");
  while (q.executeStep()) out.push_back(read_customer(q));
  return out;
}

Cents Ledger::credit(std::string_view customer_code, Date d) {
  const auto id = impl_->customer_id(customer_code);
  auto& q = impl_->stmt("SELECT COALESCE(SUM(amount), 0) FROM credit_movement WHERE customer_id = ? AND date <= ?");
  q.bind(1, id);
  q.bind(2, db_date(d));
  q.executeStep();
  return q.getColumn(0).getInt64();
}

// ---- Subscriptions ----

namespace {
constexpr const char* kSubscriptionColumns =
    "SELECT s.id, c.code, s.amount_ht, s.cycle, s.start, s.commitment_months, s.notice_months, "
    "s.letter_date, s.letter_ref, s.end_date FROM subscription s JOIN customer c ON c.id = s.customer_id";

Subscription read_subscription(SQLite::Statement& q) {
  Subscription s;
  s.id = q.getColumn(0).getInt64();
  s.customer = q.getColumn(1).getString();
  s.amount_ht = q.getColumn(2).getInt64();
  s.cycle = parse_cycle(q.getColumn(3).getString());
  s.start = parse_date(q.getColumn(4).getString());
  s.commitment_months = q.getColumn(5).getInt();
  s.notice_months = q.getColumn(6).getInt();
  if (!q.getColumn(7).isNull()) s.letter_date = parse_date(q.getColumn(7).getString());
  s.letter_ref = q.getColumn(8).getString();
  if (!q.getColumn(9).isNull()) s.end_date = parse_date(q.getColumn(9).getString());
  return s;
}
}  // namespace

Subscription Ledger::add_subscription(Subscription s) {
  if (s.amount_ht <= 0)
    throw usage_error("invalid amount '{}': a licence amount must be above 0.00", format_amount(s.amount_ht));
  if (s.commitment_months <= 0 || s.commitment_months > 120)
    throw usage_error("invalid commitment '{}': expected 1 to 120 months", s.commitment_months);
  if (s.notice_months < 0 || s.notice_months > 120)
    throw usage_error("invalid notice '{}': expected 0 to 120 months", s.notice_months);
  write("subscription.add", [&] {
    const auto cid = impl_->customer_id(s.customer);
    auto& ins = impl_->stmt(
        "INSERT INTO subscription(customer_id, amount_ht, cycle, start, commitment_months, notice_months) "
        "VALUES (?, ?, ?, ?, ?, ?)");
    ins.bind(1, cid);
    ins.bind(2, s.amount_ht);
    ins.bind(3, std::string(to_string(s.cycle)));
    ins.bind(4, db_date(s.start));
    ins.bind(5, s.commitment_months);
    ins.bind(6, s.notice_months);
    ins.exec();
    s.id = impl_->db.getLastInsertRowid();
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

Subscription Ledger::subscription(std::int64_t id) {
  auto& q = impl_->stmt(std::string(kSubscriptionColumns) + " WHERE s.id = ?");
  q.bind(1, id);
  if (!q.executeStep()) throw not_found("unknown subscription '{}': see 'tally subscription list'", id);
  return read_subscription(q);
}

std::vector<Subscription> Ledger::subscriptions(std::optional<std::string> customer) {
  std::vector<Subscription> out;
  if (customer) {
    const auto cid = impl_->customer_id(*customer);
    auto& q = impl_->stmt(std::string(kSubscriptionColumns) + " WHERE s.customer_id = ? ORDER BY s.id");
    q.bind(1, cid);
    while (q.executeStep()) out.push_back(read_subscription(q));
  } else {
    auto& q = impl_->stmt(std::string(kSubscriptionColumns) + " ORDER BY s.id");
    while (q.executeStep()) out.push_back(read_subscription(q));
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
