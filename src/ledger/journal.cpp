// The journal: one hash-chained event per write (SHA-256, GNU Nettle).
#include <pwd.h>
#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <cstdlib>

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

std::string sha256_hex(const std::string& data) {
  // Nettle rather than OpenSSL: libcrypto's relocations alone cost ~3 ms of
  // every process start (docs/performance.md), and tally only needs SHA-256.
  sha256_ctx ctx;
  sha256_init(&ctx);
  sha256_update(&ctx, data.size(), reinterpret_cast<const std::uint8_t*>(data.data()));
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

std::string journal_hash(const JournalEvent& e) {
  // Canonical content: the fields in a fixed order, each followed by its length
  // so no two different events can share a serialisation.
  std::string canon;
  for (const std::string* f : {&e.prev_hash, &e.at, &e.user, &e.command, &e.kind, &e.payload}) {
    canon += std::to_string(f->size());
    canon += ':';
    canon += *f;
    canon += '\n';
  }
  canon += std::to_string(e.id);
  return sha256_hex(canon);
}

void begin_journal(Ledger::Impl& impl) {
  impl.journal_tail.reset();
  impl.write_at = utc_now();
  if (impl.os_user.empty()) impl.os_user = os_user();
}

void append_journal(Ledger::Impl& impl, std::string_view kind, const std::string& payload) {
  JournalEvent e;
  if (!impl.journal_tail) {
    auto& last = impl.stmt("SELECT id, hash FROM journal ORDER BY id DESC LIMIT 1");
    if (last.executeStep())
      impl.journal_tail.emplace(last.getColumn(0).getInt64(), last.getColumn(1).getString());
    else
      impl.journal_tail.emplace(0, std::string(64, '0'));
    last.reset();
  }
  e.id = impl.journal_tail->first + 1;
  e.prev_hash = impl.journal_tail->second;
  e.at = impl.write_at;
  e.user = impl.os_user;
  e.command = impl.command;
  e.kind = std::string(kind);
  e.payload = payload;
  e.hash = journal_hash(e);
  auto& ins = impl.stmt(
      "INSERT INTO journal(id, at, os_user, command, kind, payload, prev_hash, hash) "
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
  ins.bind(1, e.id);
  ins.bind(2, e.at);
  ins.bind(3, e.user);
  ins.bind(4, e.command);
  ins.bind(5, e.kind);
  ins.bind(6, e.payload);
  ins.bind(7, e.prev_hash);
  ins.bind(8, e.hash);
  ins.exec();
  impl.journal_tail.emplace(e.id, std::move(e.hash));
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
