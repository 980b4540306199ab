// The journal: one hash-chained event per write (SHA-256, GNU Nettle), each
// with the rows its write changed (an SQLite session changeset, issue 19).
#define SQLITE_ENABLE_SESSION 1
#define SQLITE_ENABLE_PREUPDATE_HOOK 1
#include <sqlite3.h>

#include <pwd.h>
#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <initializer_list>
#include <string_view>

#include <cstring>

#include <nettle/sha2.h>
#include <nlohmann/json.hpp>

#include "ledger/impl.hpp"
#include "ledger/rows.hpp"
#include "tally/errors.hpp"

namespace tally {
namespace {

std::string os_user() {
  if (const passwd* pw = getpwuid(geteuid()); pw && pw->pw_name) return pw->pw_name;
  if (const char* u = std::getenv("USER")) return u;
  return "unknown";
}

std::string utc_now() {
  const auto now = std::chrono::time_point_cast<std::chrono::milliseconds>(std::chrono::system_clock::now());
  return date::format("%FT%TZ", now);
}

// The hash of an event from its fields, fed to SHA-256 piece by piece: the
// canonical text of a 100k-line import's event is never built in memory.
// Nettle rather than OpenSSL: libcrypto's relocations alone cost ~3 ms of
// every process start (docs/performance.md), and tally only needs SHA-256.
}  // namespace

// The changeset, when the event has one, is one more field after the payload
// (events without one hash as they always did).
std::string event_hash(std::int64_t id, std::initializer_list<std::string_view> fields,
                       std::optional<std::string_view> changes) {
  sha256_ctx ctx;
  sha256_init(&ctx);
  const auto feed = [&ctx](std::string_view s) {
    sha256_update(&ctx, s.size(), reinterpret_cast<const std::uint8_t*>(s.data()));
  };
  // Canonical content: the fields in a fixed order, each preceded by its
  // length so no two different events can share a serialisation.
  for (const std::string_view f : fields) {
    feed(std::to_string(f.size()));
    feed(":");
    feed(f);
    feed("\n");
  }
  if (changes) {
    feed(std::to_string(changes->size()));
    feed(":");
    feed(*changes);
    feed("\n");
  }
  feed(std::to_string(id));
  std::uint8_t md[SHA256_DIGEST_SIZE];
  sha256_digest(&ctx, SHA256_DIGEST_SIZE, md);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex(2 * SHA256_DIGEST_SIZE, '0');
  for (std::size_t i = 0; i < SHA256_DIGEST_SIZE; ++i) {
    hex[2 * i] = kHex[md[i] >> 4];
    hex[2 * i + 1] = kHex[md[i] & 0xF];
  }
  return hex;
}

namespace {

// A changeset made by sqlite3session_changeset, freed with sqlite3_free.
struct Changeset {
  void* data = nullptr;
  int size = 0;
  Changeset() = default;
  Changeset(const Changeset&) = delete;
  Changeset& operator=(const Changeset&) = delete;
  ~Changeset() { sqlite3_free(data); }
  std::optional<std::string_view> view() const {
    if (size <= 0) return std::nullopt;
    return std::string_view(static_cast<const char*>(data), static_cast<std::size_t>(size));
  }
};

// Session memory past which an event takes the changes made so far.
constexpr sqlite3_int64 kFlushBytes = 1 << 20;

int recorded_table(void*, const char* table) { return std::strcmp(table, "journal") != 0; }

// The rows changed since the session began (net: a row inserted then deleted
// in it, or rolled back, is not there), then a fresh session for what follows.
void take_changes(Ledger::Impl& impl, Changeset& out) {
  if (!impl.session || sqlite3session_isempty(impl.session)) return;
  const int rc = sqlite3session_changeset(impl.session, &out.size, &out.data);
  if (rc != SQLITE_OK)
    throw Error(ExitCode::internal, fmt::format("cannot record the write's changes: {}", sqlite3_errstr(rc)));
  stop_recording(impl);
  start_recording(impl);
}

// SQLite's changeset format (https://sqlite.org/sessionintro.html, the
// session module's file format): varints big-endian, 7 bits a byte.
void put_varint(std::string& out, std::uint64_t v) {
  unsigned char tmp[10];
  int n = 0;
  do {
    tmp[n++] = static_cast<unsigned char>(v & 0x7f);
    v >>= 7;
  } while (v != 0);
  for (int i = n - 1; i >= 0; --i) out += static_cast<char>(tmp[i] | (i > 0 ? 0x80 : 0));
}

void put_value(std::string& out, sqlite3_stmt* q, int col) {
  switch (sqlite3_column_type(q, col)) {
    case SQLITE_INTEGER:
    case SQLITE_FLOAT: {
      const bool integer = sqlite3_column_type(q, col) == SQLITE_INTEGER;
      std::uint64_t bits = 0;
      if (integer) {
        bits = static_cast<std::uint64_t>(sqlite3_column_int64(q, col));
      } else {
        const double d = sqlite3_column_double(q, col);
        std::memcpy(&bits, &d, sizeof bits);
      }
      out += static_cast<char>(integer ? SQLITE_INTEGER : SQLITE_FLOAT);
      for (int shift = 56; shift >= 0; shift -= 8) out += static_cast<char>((bits >> shift) & 0xff);
      return;
    }
    case SQLITE_TEXT:
    case SQLITE_BLOB: {
      const bool text = sqlite3_column_type(q, col) == SQLITE_TEXT;
      const void* p = text ? static_cast<const void*>(sqlite3_column_text(q, col)) : sqlite3_column_blob(q, col);
      const int n = sqlite3_column_bytes(q, col);
      out += static_cast<char>(text ? SQLITE_TEXT : SQLITE_BLOB);
      put_varint(out, static_cast<std::uint64_t>(n));
      if (n > 0) out.append(static_cast<const char*>(p), static_cast<std::size_t>(n));
      return;
    }
    default:
      out += static_cast<char>(SQLITE_NULL);
  }
}

// Appends an event outside Ledger::write (a migration, a new ledger's seed).
void insert_event(SQLite::Database& db, std::string_view kind, const std::string& payload,
                  std::optional<std::string_view> changes) {
  std::int64_t id = 1;
  std::string prev(64, '0');
  {
    SQLite::Statement last(db, "SELECT id, hash FROM journal ORDER BY id DESC LIMIT 1");
    if (last.executeStep()) {
      const Row r(last);
      id = r.int64("id") + 1;
      prev = r.text("hash");
    }
  }
  const std::string at = utc_now(), user = os_user(), command = "tally";
  const std::string hash = event_hash(id, {prev, at, user, command, kind, payload}, changes);
  SQLite::Statement ins(db,
                        "INSERT INTO journal(id, at, os_user, command, kind, payload, prev_hash, hash, changes) "
                        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
  ins.bind(1, id);
  ins.bind(2, at);
  ins.bind(3, user);
  ins.bind(4, command);
  ins.bind(5, std::string(kind));
  ins.bind(6, payload);
  ins.bind(7, prev);
  ins.bind(8, hash);
  if (changes) ins.bindNoCopy(9, changes->data(), static_cast<int>(changes->size()));
  ins.exec();
}

}  // namespace

void start_recording(Ledger::Impl& impl) {
  if (impl.session) return;
  sqlite3_session* s = nullptr;
  int rc = sqlite3session_create(impl.db.getHandle(), "main", &s);
  if (rc == SQLITE_OK) {
    sqlite3session_table_filter(s, recorded_table, nullptr);
    rc = sqlite3session_attach(s, nullptr);
  }
  if (rc != SQLITE_OK) {
    if (s) sqlite3session_delete(s);
    throw Error(ExitCode::internal, fmt::format("cannot record the write's changes: {}", sqlite3_errstr(rc)));
  }
  impl.session = s;
}

void stop_recording(Ledger::Impl& impl) noexcept {
  if (impl.session) sqlite3session_delete(impl.session);
  impl.session = nullptr;
}

void finish_journal(Ledger::Impl& impl) {
  Changeset left;
  take_changes(impl, left);
  const auto changes = left.view();
  if (!changes) return;
  if (!impl.journal_tail || impl.journal_tail->first == 0)
    throw Error(ExitCode::internal, "a write changed rows without a journal event (a tally bug): rolled back");
  const std::int64_t id = impl.journal_tail->first;
  auto& q = impl.stmt("SELECT at, os_user, command, kind, payload, prev_hash, changes IS NOT NULL AS has_changes "
                      "FROM journal WHERE id = ?");
  q.bind(1, id);
  const Row r(q);
  if (!q.executeStep() || r.flag("has_changes")) {
    q.reset();
    throw Error(ExitCode::internal, "a write changed rows after its last journal event (a tally bug): rolled back");
  }
  const std::string at = r.text("at"), user = r.text("os_user"), command = r.text("command"), kind = r.text("kind"),
                    payload = r.text("payload"), prev_hash = r.text("prev_hash");
  q.reset();
  std::string hash = event_hash(id, {prev_hash, at, user, command, kind, payload}, changes);
  auto& up = impl.stmt("UPDATE journal SET changes = ?, hash = ? WHERE id = ?");
  up.bindNoCopy(1, left.data, left.size);
  up.bind(2, hash);
  up.bind(3, id);
  up.exec();
  up.clearBindings();
  impl.journal_tail.emplace(id, std::move(hash));
}

void journal_existing_rows(SQLite::Database& db, std::string_view kind, std::string_view why) {
  constexpr std::size_t kChunk = 4u << 20;  // changeset bytes per event
  std::vector<std::string> tables;
  {
    SQLite::Statement q(db,
                        "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
                        "AND name <> 'journal' ORDER BY name");
    const Row r(q);
    while (q.executeStep()) tables.push_back(r.text("name"));
  }
  for (const auto& table : tables) {
    std::string header = "T";
    {
      std::string flags;
      bool keyed = false;
      SQLite::Statement cols(db, "SELECT pk FROM pragma_table_info(?) ORDER BY cid");
      cols.bind(1, table);
      const Row r(cols);
      while (cols.executeStep()) {
        const int pk = r.column("pk").getInt();
        keyed = keyed || pk > 0;
        flags += static_cast<char>(pk);
      }
      if (!keyed) continue;  // the session module records only tables with a primary key
      put_varint(header, flags.size());
      header += flags;
      header += table;
      header += '\0';
    }
    RawStatement rows(db, fmt::format("SELECT * FROM \"{}\" ORDER BY rowid", table));
    sqlite3_stmt* q = rows.get();
    std::string buf;
    std::int64_t count = 0;
    const auto flush = [&] {
      if (count == 0) return;
      insert_event(db, kind, nlohmann::json{{"table", table}, {"rows", count}, {"why", why}}.dump(),
                   std::string_view(buf));
      buf.clear();
      count = 0;
    };
    while (rows.step()) {
      if (buf.empty()) buf = header;
      buf += static_cast<char>(SQLITE_INSERT);
      buf += '\0';  // not indirect
      for (int c = 0; c < sqlite3_column_count(q); ++c) put_value(buf, q, c);
      ++count;
      if (buf.size() >= kChunk) flush();
    }
    flush();
  }
}

std::string json_quote(std::string_view s) {
  std::string out;
  out.reserve(s.size() + 2);
  out += '"';
  for (const char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\b': out += "\\b"; break;
      case '\f': out += "\\f"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (c < 0x20) out += fmt::format("\\u{:04x}", c);
        else out += ch;
    }
  }
  out += '"';
  return out;
}

std::string journal_hash(const JournalEvent& e) {
  std::optional<std::string_view> changes;
  if (e.changes) changes = *e.changes;
  return event_hash(e.id, {e.prev_hash, e.at, e.user, e.command, e.kind, e.payload}, changes);
}

void begin_journal(Ledger::Impl& impl) {
  impl.journal_tail.reset();
  impl.write_at = utc_now();
  if (impl.os_user.empty()) impl.os_user = os_user();
}

void append_journal(Ledger::Impl& impl, std::string_view kind, const std::string& payload) {
  if (!impl.journal_tail) {
    auto& last = impl.stmt("SELECT id, hash FROM journal ORDER BY id DESC LIMIT 1");
    const Row r(last);
    if (last.executeStep())
      impl.journal_tail.emplace(r.int64("id"), r.text("hash"));
    else
      impl.journal_tail.emplace(0, std::string(64, '0'));
    last.reset();
  }
  const std::int64_t id = impl.journal_tail->first + 1;
  const std::string& prev_hash = impl.journal_tail->second;
  // The rows changed so far go with this event only once they are many (a
  // long import: the session's memory stays bounded); otherwise with the
  // write's last event, at its end (finish_journal). A new session per
  // event would cost each event the session's look-up of every table.
  Changeset changes;
  if (impl.session && sqlite3session_memory_used(impl.session) > kFlushBytes) take_changes(impl, changes);
  std::string hash =
      event_hash(id, {prev_hash, impl.write_at, impl.os_user, impl.command, kind, payload}, changes.view());
  auto& ins = impl.stmt(
      "INSERT INTO journal(id, at, os_user, command, kind, payload, prev_hash, hash, changes) "
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
  ins.bind(1, id);
  ins.bindNoCopy(2, impl.write_at);
  ins.bindNoCopy(3, impl.os_user);
  ins.bindNoCopy(4, impl.command);
  ins.bind(5, std::string(kind));
  ins.bindNoCopy(6, payload);  // a large import's payload is not copied
  ins.bindNoCopy(7, prev_hash);
  ins.bindNoCopy(8, hash);
  if (changes.size > 0) ins.bindNoCopy(9, changes.data, changes.size);  // else NULL: no row changed
  ins.exec();
  ins.clearBindings();  // no binding outlives the strings it points to
  impl.journal_tail.emplace(id, std::move(hash));
}

JournalEvent read_journal_event(const Row& r) {
  return JournalEvent{r.int64("id"),      r.text("at"),        r.text("os_user"), r.text("command"), r.text("kind"),
                      r.text("payload"), r.text("prev_hash"), r.text("hash"),    std::nullopt};
}

std::vector<JournalEvent> read_journal(Ledger& ledger) {
  std::vector<JournalEvent> out;
  SQLite::Statement q(impl_of(ledger).db,
                      "SELECT id, at, os_user, command, kind, payload, prev_hash, hash, changes FROM journal "
                      "ORDER BY id");
  const Row r(q);
  while (q.executeStep()) {
    out.push_back(read_journal_event(r));
    out.back().changes = r.optional_text("changes");
  }
  return out;
}

}  // namespace tally
