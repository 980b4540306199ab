// The journal: one hash-chained event per write (SHA-256, GNU Nettle).
#include <pwd.h>
#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <initializer_list>
#include <string_view>

#include <nettle/sha2.h>

#include "ledger/impl.hpp"
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
std::string event_hash(std::int64_t id, std::initializer_list<std::string_view> fields) {
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

}  // namespace

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
  return event_hash(e.id, {e.prev_hash, e.at, e.user, e.command, e.kind, e.payload});
}

void begin_journal(Ledger::Impl& impl) {
  impl.journal_tail.reset();
  impl.write_at = utc_now();
  if (impl.os_user.empty()) impl.os_user = os_user();
}

void append_journal(Ledger::Impl& impl, std::string_view kind, const std::string& payload) {
  if (!impl.journal_tail) {
    auto& last = impl.stmt("SELECT id, hash FROM journal ORDER BY id DESC LIMIT 1");
    if (last.executeStep())
      impl.journal_tail.emplace(last.getColumn(0).getInt64(), last.getColumn(1).getString());
    else
      impl.journal_tail.emplace(0, std::string(64, '0'));
    last.reset();
  }
  const std::int64_t id = impl.journal_tail->first + 1;
  const std::string& prev_hash = impl.journal_tail->second;
  std::string hash = event_hash(id, {prev_hash, impl.write_at, impl.os_user, impl.command, kind, payload});
  auto& ins = impl.stmt(
      "INSERT INTO journal(id, at, os_user, command, kind, payload, prev_hash, hash) "
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
  ins.bind(1, id);
  ins.bindNoCopy(2, impl.write_at);
  ins.bindNoCopy(3, impl.os_user);
  ins.bindNoCopy(4, impl.command);
  ins.bind(5, std::string(kind));
  ins.bindNoCopy(6, payload);  // a large import's payload is not copied
  ins.bindNoCopy(7, prev_hash);
  ins.bindNoCopy(8, hash);
  ins.exec();
  ins.clearBindings();  // no binding outlives the strings it points to
  impl.journal_tail.emplace(id, std::move(hash));
}

std::vector<JournalEvent> Ledger::journal() {
  std::vector<JournalEvent> out;
  SQLite::Statement q(impl_->db,
                      "SELECT id, at, os_user, command, kind, payload, prev_hash, hash FROM journal ORDER BY id");
  while (q.executeStep()) {
    out.push_back(JournalEvent{q.getColumn(0).getInt64(), q.getColumn(1).getString(),
                               q.getColumn(2).getString(), q.getColumn(3).getString(),
                               q.getColumn(4).getString(), q.getColumn(5).getString(),
                               q.getColumn(6).getString(), q.getColumn(7).getString()});
  }
  return out;
}

}  // namespace tally
