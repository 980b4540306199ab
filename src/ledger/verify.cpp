// tally verify: every stored fact checked against what it must equal (issue 8),
// every row against the journal's record of it (issue 19).
#define SQLITE_ENABLE_SESSION 1
#define SQLITE_ENABLE_PREUPDATE_HOOK 1
#include <sqlite3.h>

#include <algorithm>
#include <cstring>
#include <functional>
#include <unordered_map>
#include <map>
#include <memory>
#include <string>
#include <utility>

#include <nlohmann/json.hpp>

#include "ledger/impl.hpp"
#include "ledger/rows.hpp"
#include "tally/errors.hpp"
#include "tally/integrity.hpp"

namespace tally {
namespace {

using Json = nlohmann::json;

// Collects the findings of one check, keeping the first kMaxFindings.
class Findings {
 public:
  explicit Findings(IntegrityCheck& check) : check_(check) {}
  template <typename... Args>
  void add(fmt::format_string<Args...> f, Args&&... args) {
    if (check_.findings.size() < kMaxFindings)
      check_.findings.push_back(fmt::format(f, std::forward<Args>(args)...));
    else
      ++check_.more;
  }

 private:
  IntegrityCheck& check_;
};

std::string text(const Json& j, const char* key) {
  const auto it = j.find(key);
  if (it == j.end()) return "";
  return it->is_string() ? it->get<std::string>() : it->dump();
}

// What the journal says was issued and paid, gathered while walking the chain
// into temporary tables (one row per document or payment: the first event's
// fields, how many events named it), which SQLite spills to disk past its page
// cache: memory does not grow with the ledger.
class JournalIndex {
 public:
  explicit JournalIndex(SQLite::Database& db) : db_(db) {
    drop();
    db_.exec(
        "CREATE TEMP TABLE verify_issued (number TEXT PRIMARY KEY, events INTEGER NOT NULL, first_event INTEGER, "
        "  second_event INTEGER, customer TEXT, kind TEXT, issue_date TEXT, total_ht TEXT, vat TEXT, total_ttc TEXT, "
        "  cites TEXT);"
        "CREATE TEMP TABLE verify_paid (payment_id INTEGER PRIMARY KEY, first_event INTEGER, amount TEXT, "
        "  method TEXT, date TEXT, invoice TEXT);");
    issued_ = std::make_unique<SQLite::Statement>(
        db_,
        "INSERT INTO verify_issued VALUES (?1, 1, ?2, NULL, ?3, ?4, ?5, ?6, ?7, ?8, ?9) ON CONFLICT(number) DO "
        "UPDATE SET events = events + 1, second_event = COALESCE(second_event, excluded.first_event)");
    paid_ = std::make_unique<SQLite::Statement>(
        db_, "INSERT INTO verify_paid VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(payment_id) DO NOTHING");
  }
  JournalIndex(const JournalIndex&) = delete;
  JournalIndex& operator=(const JournalIndex&) = delete;
  ~JournalIndex() {
    issued_.reset();
    paid_.reset();
    try {
      drop();
    } catch (const std::exception&) {  // the connection closes soon: temp tables go with it
    }
  }

  void issued(std::int64_t event, const Json& e) {
    issued_->bind(1, text(e, "number"));
    issued_->bind(2, event);
    int k = 3;
    for (const char* key : {"customer", "kind", "issue_date", "total_ht", "vat", "total_ttc", "cites"})
      issued_->bind(k++, text(e, key));
    issued_->exec();
    issued_->reset();
  }
  void paid(std::int64_t payment, std::int64_t event, const Json& e) {
    paid_->bind(1, payment);
    paid_->bind(2, event);
    int k = 3;
    for (const char* key : {"amount", "method", "date", "invoice"}) paid_->bind(k++, text(e, key));
    paid_->exec();
    paid_->reset();
  }

 private:
  void drop() { db_.exec("DROP TABLE IF EXISTS temp.verify_issued; DROP TABLE IF EXISTS temp.verify_paid"); }
  SQLite::Database& db_;
  std::unique_ptr<SQLite::Statement> issued_, paid_;
};

// What the journal says every table holds: the changesets of its events
// (issue 19) applied in id order to a mirror of each table, a TEMP table
// (spilled to disk past SQLite's page cache: memory does not grow with the
// ledger) with the column `_event`, the last event that wrote the row.
// journal_records then compares each ledger table with its mirror.
class Mirror {
 public:
  struct Table {
    std::string name;                // the ledger's table
    std::string mirror;              // its TEMP mirror
    std::vector<std::string> cols;   // in the table's order
    std::vector<bool> key;           // primary key columns
    std::int64_t size = 0;           // its highest rowid: its share of the progress
    sqlite3_stmt* ins = nullptr;
    sqlite3_stmt* upd = nullptr;
    sqlite3_stmt* del = nullptr;
  };

  explicit Mirror(SQLite::Database& db) : db_(db) {
    std::vector<std::string> names;
    {
      SQLite::Statement q(db_,
                          "SELECT name FROM main.sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
                          "AND name <> 'journal' ORDER BY name");
      const Row r(q);
      while (q.executeStep()) names.push_back(r.text("name"));
    }
    for (const auto& name : names) {
      Table t;
      t.name = name;
      t.mirror = "verify_row_" + name;
      std::vector<std::string> types;
      SQLite::Statement cols(db_, "SELECT name, pk, upper(type) AS type FROM pragma_table_info(?, 'main') ORDER BY cid");
      const Row r(cols);
      cols.bind(1, name);
      while (cols.executeStep()) {
        t.cols.push_back(r.text("name"));
        t.key.push_back(r.column("pk").getInt() > 0);
        types.push_back(r.text("type"));
      }
      const auto keys = std::count(t.key.begin(), t.key.end(), true);
      if (keys == 0) continue;  // the session module records only tables with a primary key
      t.size = db_.execAndGet(fmt::format("SELECT COALESCE(MAX(rowid), 0) FROM main.\"{}\"", name)).getInt64();
      std::string ddl = fmt::format("DROP TABLE IF EXISTS temp.\"{0}\"; CREATE TEMP TABLE \"{0}\" (", t.mirror);
      std::string pk;
      for (std::size_t i = 0; i < t.cols.size(); ++i) {
        ddl += fmt::format("\"{}\"", t.cols[i]);
        if (t.key[i] && keys == 1 && types[i] == "INTEGER") ddl += " INTEGER PRIMARY KEY";  // the rowid
        ddl += ", ";
        if (t.key[i]) pk += (pk.empty() ? "" : ", ") + fmt::format("\"{}\"", t.cols[i]);
      }
      ddl += "_event INTEGER NOT NULL";
      if (keys > 1 || ddl.find(" INTEGER PRIMARY KEY") == std::string::npos) ddl += ", PRIMARY KEY (" + pk + ")";
      ddl += ")";
      db_.exec(ddl);
      std::string cols_list, params, set, where;
      const std::size_t n = t.cols.size();
      for (std::size_t i = 0; i < n; ++i) {
        const std::string c = fmt::format("\"{}\"", t.cols[i]);
        cols_list += c + ", ";
        params += fmt::format("?{}, ", i + 1);
        if (t.key[i])
          where += fmt::format("{}{} = ?{}", where.empty() ? "" : " AND ", c, 2 * i + 2);
        else
          set += fmt::format("{} = CASE WHEN ?{} THEN ?{} ELSE {} END, ", c, 2 * i + 1, 2 * i + 2, c);
      }
      t.ins = prepare(fmt::format("INSERT INTO temp.\"{}\" ({}_event) VALUES ({}?{})", t.mirror, cols_list, params,
                                  n + 1));
      t.upd = prepare(fmt::format("UPDATE temp.\"{}\" SET {}_event = ?{} WHERE {}", t.mirror, set, 2 * n + 1, where));
      t.del = prepare(fmt::format("DELETE FROM temp.\"{}\" WHERE {}", t.mirror, where));
      by_name_.emplace(t.name, tables_.size());
      tables_.push_back(std::move(t));
    }
  }
  Mirror(const Mirror&) = delete;
  Mirror& operator=(const Mirror&) = delete;
  ~Mirror() {
    for (auto& t : tables_) {
      sqlite3_finalize(t.ins);
      sqlite3_finalize(t.upd);
      sqlite3_finalize(t.del);
      try {
        db_.exec(fmt::format("DROP TABLE IF EXISTS temp.\"{}\"", t.mirror));
      } catch (const std::exception&) {  // the connection closes soon: temp tables go with it
      }
    }
  }

  const std::vector<Table>& tables() const { return tables_; }
  std::int64_t size() const {
    std::int64_t n = 0;
    for (const auto& t : tables_) n += t.size;
    return n;
  }
  // What the fold found wrong with the changesets themselves.
  const std::vector<std::string>& problems() const { return problems_; }
  std::int64_t more_problems() const { return more_; }
  std::int64_t changes() const { return changes_; }

  // Applies journal event `event`'s changeset.
  void fold(std::int64_t event, const void* data, int size) {
    sqlite3_changeset_iter* it = nullptr;
    if (sqlite3changeset_start(&it, size, const_cast<void*>(data)) != SQLITE_OK) {
      problem(fmt::format("journal event {}: its changes are not an SQLite changeset", event));
      return;
    }
    std::string last_name;  // the iterator may reuse one buffer for every table's name: compare the text
    Table* t = nullptr;
    while (sqlite3changeset_next(it) == SQLITE_ROW) {
      const char* name = nullptr;
      int ncol = 0, op = 0, indirect = 0;
      sqlite3changeset_op(it, &name, &ncol, &op, &indirect);
      ++changes_;
      if (!t || last_name != name) {
        last_name = name;
        const auto found = by_name_.find(name);
        t = found == by_name_.end() ? nullptr : &tables_[found->second];
      }
      if (!t || static_cast<std::size_t>(ncol) != t->cols.size()) {
        problem(fmt::format("journal event {}: changes table {} ({} columns), which the ledger does not have", event,
                            name, ncol));
        continue;
      }
      apply(*t, it, op, event);
    }
    if (sqlite3changeset_finalize(it) != SQLITE_OK)
      problem(fmt::format("journal event {}: its changes are not a well-formed SQLite changeset", event));
  }

 private:
  sqlite3_stmt* prepare(const std::string& sql) {
    sqlite3_stmt* q = nullptr;
    if (sqlite3_prepare_v2(db_.getHandle(), sql.c_str(), -1, &q, nullptr) != SQLITE_OK)
      throw std::runtime_error(fmt::format("{}: {}", sql, sqlite3_errmsg(db_.getHandle())));
    return q;
  }

  void problem(std::string text) {
    if (problems_.size() < kMaxFindings)
      problems_.push_back(std::move(text));
    else
      ++more_;
  }

  std::string key_of(const Table& t, sqlite3_changeset_iter* it, int op) {
    std::string out;
    for (std::size_t i = 0; i < t.cols.size(); ++i) {
      if (!t.key[i]) continue;
      sqlite3_value* v = nullptr;
      if (op == SQLITE_INSERT) sqlite3changeset_new(it, static_cast<int>(i), &v);
      else sqlite3changeset_old(it, static_cast<int>(i), &v);
      const unsigned char* txt = v ? sqlite3_value_text(v) : nullptr;
      out += (out.empty() ? "" : ",") + std::string(txt ? reinterpret_cast<const char*>(txt) : "NULL");
    }
    return out;
  }

  void apply(Table& t, sqlite3_changeset_iter* it, int op, std::int64_t event) {
    const int n = static_cast<int>(t.cols.size());
    sqlite3_stmt* q = op == SQLITE_INSERT ? t.ins : op == SQLITE_UPDATE ? t.upd : t.del;
    sqlite3_reset(q);
    sqlite3_clear_bindings(q);
    for (int i = 0; i < n; ++i) {
      sqlite3_value* v = nullptr;
      if (op == SQLITE_INSERT) {
        sqlite3changeset_new(it, i, &v);
        if (v) sqlite3_bind_value(q, i + 1, v);
      } else if (t.key[static_cast<std::size_t>(i)]) {
        sqlite3changeset_old(it, i, &v);
        if (v) sqlite3_bind_value(q, 2 * i + 2, v);
      } else if (op == SQLITE_UPDATE) {
        sqlite3changeset_new(it, i, &v);  // null: the column did not change
        sqlite3_bind_int(q, 2 * i + 1, v != nullptr);
        if (v) sqlite3_bind_value(q, 2 * i + 2, v);
      }
    }
    if (op == SQLITE_INSERT) sqlite3_bind_int64(q, n + 1, event);
    else if (op == SQLITE_UPDATE) sqlite3_bind_int64(q, 2 * n + 1, event);
    const int rc = sqlite3_step(q);
    const int changed = sqlite3_changes(db_.getHandle());
    sqlite3_reset(q);
    if (rc == SQLITE_CONSTRAINT) {
      problem(fmt::format("journal event {}: inserts {} {}, which an earlier event had inserted", event, t.name,
                          key_of(t, it, op)));
    } else if (rc != SQLITE_DONE) {
      throw std::runtime_error(sqlite3_errmsg(db_.getHandle()));
    } else if (op != SQLITE_INSERT && changed != 1) {
      problem(fmt::format("journal event {}: {} {} {}, which no earlier event had inserted", event,
                          op == SQLITE_UPDATE ? "updates" : "deletes", t.name, key_of(t, it, op)));
    }
  }

  SQLite::Database& db_;
  std::vector<Table> tables_;
  std::unordered_map<std::string, std::size_t> by_name_;
  std::vector<std::string> problems_;
  std::int64_t more_ = 0, changes_ = 0;
};

IntegrityCheck check_sqlite(SQLite::Database& db) {
  IntegrityCheck c{"sqlite_integrity", "PRAGMA integrity_check", {}, 0};
  Findings f(c);
  SQLite::Statement q(db, "PRAGMA integrity_check");
  const Row r(q);
  while (q.executeStep()) {
    const std::string row = r.text("integrity_check");
    if (row != "ok") f.add("sqlite: {}", row);
  }
  return c;
}

IntegrityCheck check_foreign_keys(SQLite::Database& db) {
  IntegrityCheck c{"foreign_keys", "PRAGMA foreign_key_check", {}, 0};
  Findings f(c);
  SQLite::Statement q(db, "PRAGMA foreign_key_check");
  const Row r(q);
  while (q.executeStep())
    f.add("{} row {}: refers to a missing {} row", r.text("table"), r.text("rowid"), r.text("parent"));
  return c;
}

// Ids continuous from 1, each prev_hash the previous event's hash, each hash
// the SHA-256 of the event's content. Fills `index` from the intact payloads.
// Folds each event's changeset into `mirror` (the changes are read in place,
// never copied).
IntegrityCheck check_journal_chain(SQLite::Database& db, JournalIndex& index, Mirror* mirror,
                                   const VerifyProgress& progress, std::int64_t total) {
  IntegrityCheck c{"journal_chain", "", {}, 0};
  Findings f(c);
  SQLite::Statement q(
      db, "SELECT id, at, os_user, command, kind, payload, prev_hash, hash, changes FROM journal ORDER BY id");
  std::int64_t expected_id = 1;
  std::string prev_hash(64, '0');
  std::int64_t events = 0;
  const Row r(q);
  while (q.executeStep()) {
    const JournalEvent e = read_journal_event(r);
    ++events;
    if (progress && events % 256 == 0) progress(std::min(events, total), total);
    const SQLite::Column changes = r.column("changes");
    std::optional<std::string_view> blob;
    if (!changes.isNull())
      blob = std::string_view(static_cast<const char*>(changes.getBlob()), static_cast<std::size_t>(changes.getBytes()));
    if (e.id != expected_id)
      f.add("journal event {}: missing (ids jump from {} to {})", expected_id, expected_id - 1, e.id);
    if (e.prev_hash != prev_hash)
      f.add("journal event {}: prev_hash does not match the hash of event {} (chain broken)", e.id, e.id - 1);
    if (event_hash(e.id, {e.prev_hash, e.at, e.user, e.command, e.kind, e.payload}, blob) != e.hash)
      f.add("journal event {}: hash mismatch (content altered)", e.id);
    if (mirror && blob && !blob->empty()) mirror->fold(e.id, blob->data(), static_cast<int>(blob->size()));
    expected_id = e.id + 1;
    prev_hash = e.hash;
    Json payload = Json::parse(e.payload, nullptr, false);
    if (payload.is_discarded() || !payload.is_object()) {
      f.add("journal event {}: payload is not a JSON object", e.id);
      continue;
    }
    if (e.kind == "invoice.issue" || e.kind == "credit-note.issue")
      index.issued(e.id, payload);
    else if (e.kind == "pay" && payload.contains("id") && payload["id"].is_number_integer())
      index.paid(payload["id"].get<std::int64_t>(), e.id, payload);
  }
  c.summary = fmt::format("{} events, hash chain intact", events);
  return c;
}

// I2: per kind (F, AV) and year, numbers 1, 2, 3... with no gap or duplicate,
// the text F{year}-{seq:06}, the year the issue date's.
IntegrityCheck check_numbering(SQLite::Database& db) {
  IntegrityCheck c{"numbering", "", {}, 0};
  Findings f(c);
  SQLite::Statement q(db, "SELECT credit_note, year, seq, number, issue_date FROM invoice ORDER BY credit_note, year, seq");
  std::int64_t documents = 0;
  int group_note = -1;
  int group_year = 0;
  std::int64_t last_seq = 0;
  const Row r(q);
  while (q.executeStep()) {
    ++documents;
    const int note = r.column("credit_note").getInt();
    const int year = r.column("year").getInt();
    const std::int64_t seq = r.int64("seq");
    const std::string number = r.text("number");
    const std::string issued = r.text("issue_date");
    const char* prefix = note ? "AV" : "F";
    if (note != group_note || year != group_year) {
      group_note = note;
      group_year = year;
      last_seq = 0;
    }
    if (seq == last_seq)
      f.add("numbering: {}{} has sequence {:06} twice", prefix, year, seq);
    else if (seq != last_seq + 1)
      f.add("numbering: {}{} jumps from {:06} to {:06}", prefix, year, last_seq, seq);
    last_seq = seq;
    if (number != fmt::format("{}{}-{:06}", prefix, year, seq))
      f.add("numbering: {} does not match its year {} and sequence {}", number, year, seq);
    if (issued.size() < 4 || issued.compare(0, 4, std::to_string(year)) != 0)
      f.add("numbering: {} is numbered in {} but issued on {}", number, year, issued);
  }
  c.summary = fmt::format("{} invoices and credit notes, numbers continuous per year", documents);
  return c;
}

// K3: a credit note whose VAT is not M3's must complete its invoice's
// crediting: with it and the notes before it, all of the invoice's HT and TTC
// are credited, and the difference is at most a cent per rate.
bool completes_crediting(SQLite::Database& db, std::int64_t note_id, const Totals& m3, Cents stored_vat) {
  const auto rates = static_cast<Cents>(m3.by_rate.size());
  if (stored_vat - m3.vat > rates || m3.vat - stored_vat > rates) return false;
  SQLite::Statement q(db, R"sql(
SELECT o.total_ht AS ht, o.total_ttc AS ttc,
       (SELECT SUM(n.total_ht) FROM invoice n WHERE n.cites_id = o.id AND n.id <= ?1) AS credited_ht,
       (SELECT SUM(n.total_ttc) FROM invoice n WHERE n.cites_id = o.id AND n.id <= ?1) AS credited_ttc
  FROM invoice c JOIN invoice o ON o.id = c.cites_id
 WHERE c.id = ?1 AND c.credit_note = 1
)sql");
  q.bind(1, note_id);
  const Row r(q);
  return q.executeStep() && r.cents("credited_ht") == r.cents("ht") && r.cents("credited_ttc") == r.cents("ttc");
}

// M2, M3: each document's stored totals equal invoice_totals() of its lines
// (K3: a credit note completing its invoice's crediting may carry the VAT
// left, completes_crediting). One pass over the documents joined with their
// lines, in id order: memory stays that of one document whatever the
// ledger's size.
IntegrityCheck check_invoice_totals(SQLite::Database& db) {
  IntegrityCheck c{"invoice_totals", "", {}, 0};
  Findings f(c);
  SQLite::Statement q(db,
                      "SELECT i.id, i.number, i.total_ht, i.vat, i.total_ttc, l.amount_ht, l.vat_rate_bp "
                      "FROM invoice i LEFT JOIN invoice_line l ON l.invoice_id = i.id ORDER BY i.id, l.position");
  std::int64_t documents = 0, current = 0;
  std::string number;
  Cents ht = 0, vat = 0, ttc = 0;
  std::vector<InvoiceLine> lines;
  auto check = [&] {
    if (current == 0) return;
    if (lines.empty()) {
      f.add("invoice {}: has no lines", number);
      return;
    }
    Totals t = invoice_totals(lines);
    if (t.ht == ht && t.vat != vat && ttc == ht + vat && completes_crediting(db, current, t, vat))
      t = stored_totals(lines, vat);
    if (t.ht != ht || t.vat != vat || t.ttc != ttc)
      f.add("invoice {}: stored totals {} HT, {} VAT, {} TTC != {} HT, {} VAT, {} TTC recomputed from its lines",
            number, format_amount(ht), format_amount(vat), format_amount(ttc), format_amount(t.ht),
            format_amount(t.vat), format_amount(t.ttc));
  };
  const Row r(q);
  while (q.executeStep()) {
    if (r.int64("id") != current) {
      check();
      ++documents;
      current = r.int64("id");
      number = r.text("number");
      ht = r.cents("total_ht");
      vat = r.cents("vat");
      ttc = r.cents("total_ttc");
      lines.clear();
    }
    if (r.is_null("amount_ht")) continue;  // no line at all
    InvoiceLine l;
    l.amount_ht = r.cents("amount_ht");
    l.vat_rate = Rate{r.int64("vat_rate_bp")};
    lines.push_back(l);
  }
  check();
  c.summary = fmt::format("{} documents: totals equal their lines", documents);
  return c;
}

// I3: every document was issued by exactly one journal event recording the
// same number, customer, kind, date and totals; every payment by one `pay`
// event with its amount, invoice, method and date. Catches an edit of a row
// and its lines together, and rows added or removed behind the journal's back.
// A stored field (as text), and the column of the row holding what the
// journal event recorded of it.
struct Recorded {
  const char* key;
  std::string stored;
  Name recorded;
};

// Each stored field against what the journal event recorded: a difference is a finding.
template <std::size_t N>
void compare_recorded(Findings& f, const std::string& what, const Recorded (&fields)[N], const Row& r,
                      std::int64_t event_id) {
  for (const auto& [key, stored, column] : fields) {
    const std::string recorded = r.text(column);
    if (recorded != stored)
      f.add("{}: stored {} {} != {} recorded by journal event {}", what, key, stored, recorded, event_id);
  }
}

// A value as a finding shows it.
std::string shown(sqlite3_stmt* q, int col) {
  switch (sqlite3_column_type(q, col)) {
    case SQLITE_NULL: return "NULL";
    case SQLITE_BLOB: return fmt::format("(blob of {} bytes)", sqlite3_column_bytes(q, col));
    default: {
      const auto* t = reinterpret_cast<const char*>(sqlite3_column_text(q, col));
      const std::string v = t ? std::string(t, static_cast<std::size_t>(sqlite3_column_bytes(q, col))) : "";
      return v.empty() ? "''" : v;
    }
  }
}

bool same_value(sqlite3_stmt* q, int a, int b) {
  const int ta = sqlite3_column_type(q, a), tb = sqlite3_column_type(q, b);
  if (ta != tb) return false;
  switch (ta) {
    case SQLITE_NULL: return true;
    case SQLITE_INTEGER: return sqlite3_column_int64(q, a) == sqlite3_column_int64(q, b);
    case SQLITE_FLOAT: return sqlite3_column_double(q, a) == sqlite3_column_double(q, b);
    default: {
      const void* pa = ta == SQLITE_TEXT ? static_cast<const void*>(sqlite3_column_text(q, a)) : sqlite3_column_blob(q, a);
      const int na = sqlite3_column_bytes(q, a);
      const void* pb = ta == SQLITE_TEXT ? static_cast<const void*>(sqlite3_column_text(q, b)) : sqlite3_column_blob(q, b);
      const int nb = sqlite3_column_bytes(q, b);
      return na == nb && (na == 0 || std::memcmp(pa, pb, static_cast<std::size_t>(na)) == 0);
    }
  }
}

// How a finding names a row: a document by its number, a customer by its
// code, any other row by its table and primary key (`first` is the first of
// the row's columns in `q`).
std::string row_name(const Mirror::Table& t, sqlite3_stmt* q, int first) {
  const auto column = [&](const char* name) {
    const auto it = std::find(t.cols.begin(), t.cols.end(), name);
    return it == t.cols.end() ? -1 : first + static_cast<int>(it - t.cols.begin());
  };
  if (t.name == "invoice" && column("number") >= 0) return "invoice " + shown(q, column("number"));
  if (t.name == "customer" && column("code") >= 0) return "customer " + shown(q, column("code"));
  std::string key;
  for (std::size_t i = 0; i < t.cols.size(); ++i)
    if (t.key[i]) key += (key.empty() ? "" : ",") + shown(q, first + static_cast<int>(i));
  return t.name + " " + key;
}

// Issue 19: each table against the journal's record of it, every column: a
// row no event wrote, a row an event wrote that is gone, a field that differs.
// `progress` goes on from `done` by each table's highest rowid.
void compare_tables(SQLite::Database& db, const Mirror& mirror, Findings& f, const VerifyProgress& progress,
                    std::int64_t done, std::int64_t total) {
  for (const auto& t : mirror.tables()) {
    const int n = static_cast<int>(t.cols.size());
    std::string a_cols, b_cols, on, differs;
    for (int i = 0; i < n; ++i) {
      const std::string c = fmt::format("\"{}\"", t.cols[static_cast<std::size_t>(i)]);
      a_cols += "a." + c + ", ";
      b_cols += "b." + c + ", ";
      if (t.key[static_cast<std::size_t>(i)]) on += fmt::format("{}a.{} = b.{}", on.empty() ? "" : " AND ", c, c);
      else differs += fmt::format(" OR a.{} IS NOT b.{}", c, c);
    }
    RawStatement q(db, fmt::format("SELECT {}{}b._event FROM main.\"{}\" AS a LEFT JOIN temp.\"{}\" AS b ON {} "
                                   "WHERE b._event IS NULL{}",
                                   a_cols, b_cols, t.name, t.mirror, on, differs));
    sqlite3_stmt* raw = q.get();
    while (q.step()) {
      const std::string row = row_name(t, raw, 0);
      if (sqlite3_column_type(raw, 2 * n) == SQLITE_NULL) {
        f.add("{}: no journal event recorded it", row);
        continue;
      }
      const std::int64_t event = sqlite3_column_int64(raw, 2 * n);
      for (int i = 0; i < n; ++i)
        if (!same_value(raw, i, n + i))
          f.add("{}: stored {} {} != {} in the journal (the row last written by journal event {})", row,
                t.cols[static_cast<std::size_t>(i)], shown(raw, i), shown(raw, n + i), event);
    }
    RawStatement gone(db, fmt::format("SELECT {}b._event FROM temp.\"{}\" AS b WHERE NOT EXISTS "
                                      "(SELECT 1 FROM main.\"{}\" AS a WHERE {}) ORDER BY b._event",
                                      b_cols, t.mirror, t.name, on));
    sqlite3_stmt* graw = gone.get();
    while (gone.step())
      f.add("{}: recorded by journal event {} but missing from the ledger", row_name(t, graw, 0),
            sqlite3_column_int64(graw, n));
    done += t.size;
    if (progress) progress(std::min(done, total), total);
  }
}

IntegrityCheck check_journal_records(SQLite::Database& db, const Mirror& mirror, const VerifyProgress& progress,
                                     std::int64_t done, std::int64_t total) {
  IntegrityCheck c{"journal_records", "", {}, 0};
  Findings f(c);
  SQLite::Statement docs(db,
                         "SELECT i.number, c.code, i.kind, i.issue_date, i.total_ht, i.vat, i.total_ttc, "
                         "COALESCE(o.number, '') AS cites, v.events, v.first_event, v.second_event, "
                         "v.customer AS recorded_customer, v.kind AS recorded_kind, v.issue_date AS recorded_issue_date, "
                         "v.total_ht AS recorded_total_ht, v.vat AS recorded_vat, v.total_ttc AS recorded_total_ttc, "
                         "v.cites AS recorded_cites "
                         "FROM invoice i JOIN customer c ON c.id = i.customer_id "
                         "LEFT JOIN invoice o ON o.id = i.cites_id "
                         "LEFT JOIN temp.verify_issued v ON v.number = i.number ORDER BY i.id");
  std::int64_t documents = 0;
  const Row doc(docs);
  while (docs.executeStep()) {
    ++documents;
    const std::string number = doc.text("number");
    if (doc.is_null("events")) {
      f.add("invoice {}: no journal event issued it", number);
      continue;
    }
    const std::int64_t event_id = doc.int64("first_event");
    if (doc.int64("events") > 1)
      f.add("invoice {}: issued by {} journal events ({} and {})", number, doc.int64("events"), event_id,
            doc.int64("second_event"));
    const Recorded fields[] = {{"customer", doc.text("code"), "recorded_customer"},
                               {"kind", doc.text("kind"), "recorded_kind"},
                               {"issue_date", doc.text("issue_date"), "recorded_issue_date"},
                               {"total_ht", format_amount(doc.cents("total_ht")), "recorded_total_ht"},
                               {"vat", format_amount(doc.cents("vat")), "recorded_vat"},
                               {"total_ttc", format_amount(doc.cents("total_ttc")), "recorded_total_ttc"},
                               {"cites", doc.text("cites"), "recorded_cites"}};
    compare_recorded(f, "invoice " + number, fields, doc, event_id);
  }
  SQLite::Statement ghosts(db,
                           "SELECT v.number, v.first_event FROM temp.verify_issued v "
                           "WHERE NOT EXISTS (SELECT 1 FROM invoice i WHERE i.number = v.number) ORDER BY v.first_event");
  const Row ghost(ghosts);
  while (ghosts.executeStep())
    f.add("invoice {}: issued by journal event {} but missing from the ledger", ghost.text("number"),
          ghost.int64("first_event"));

  SQLite::Statement pays(db,
                         "SELECT p.id, p.amount, p.method, p.date, COALESCE(i.number, '') AS invoice, v.first_event, "
                         "v.amount AS recorded_amount, v.method AS recorded_method, v.date AS recorded_date, "
                         "v.invoice AS recorded_invoice FROM payment p LEFT JOIN invoice i ON i.id = p.invoice_id "
                         "LEFT JOIN temp.verify_paid v ON v.payment_id = p.id ORDER BY p.id");
  std::int64_t payments = 0;
  const Row pay(pays);
  while (pays.executeStep()) {
    ++payments;
    const std::int64_t id = pay.int64("id");
    if (pay.is_null("first_event")) {
      f.add("payment {}: no journal event recorded it", id);
      continue;
    }
    const std::int64_t event_id = pay.int64("first_event");
    const Recorded fields[] = {{"amount", format_amount(pay.cents("amount")), "recorded_amount"},
                               {"method", pay.text("method"), "recorded_method"},
                               {"date", pay.text("date"), "recorded_date"},
                               {"invoice", pay.text("invoice"), "recorded_invoice"}};
    compare_recorded(f, fmt::format("payment {}", id), fields, pay, event_id);
  }
  SQLite::Statement lost(db,
                         "SELECT v.payment_id, v.first_event FROM temp.verify_paid v "
                         "WHERE NOT EXISTS (SELECT 1 FROM payment p WHERE p.id = v.payment_id) ORDER BY v.payment_id");
  const Row gone(lost);
  while (lost.executeStep())
    f.add("payment {}: recorded by journal event {} but missing from the ledger", gone.int64("payment_id"),
          gone.int64("first_event"));
  for (const auto& p : mirror.problems()) f.add("{}", p);
  c.more += mirror.more_problems();
  compare_tables(db, mirror, f, progress, done, total);
  c.summary = fmt::format("{} documents and {} payments match their journal events; {} tables equal the journal's "
                          "record of them ({} row changes)",
                          documents, payments, mirror.tables().size(), mirror.changes());
  return c;
}

// The cached paid, credited and settled_on of every invoice equal their
// recomputation from allocations (net of reversals) and credit notes, and no
// balance is below zero.
IntegrityCheck check_settlement(SQLite::Database& db) {
  IntegrityCheck c{"settlement", "", {}, 0};
  Findings f(c);
  SQLite::Statement q(db,
                      "SELECT i.number, i.credit_note, i.total_ttc, i.paid, i.credited, i.settled_on, i.issue_date, "
                      " (SELECT COALESCE(SUM(amount), 0) FROM allocation WHERE invoice_id = i.id AND reversed_on IS NULL)"
                      "   AS want_paid, "
                      " (SELECT COALESCE(SUM(applied), 0) FROM invoice n WHERE n.cites_id = i.id) AS want_credited, "
                      " MAX(i.issue_date, "
                      "     COALESCE((SELECT MAX(date) FROM allocation WHERE invoice_id = i.id AND reversed_on IS NULL), ''), "
                      "     COALESCE((SELECT MAX(issue_date) FROM invoice n WHERE n.cites_id = i.id), '')) AS last_move, "
                      " i.customer_id, "
                      " COALESCE((SELECT MAX(MAX(date), COALESCE(MAX(reversed_on), '')) FROM allocation "
                      "           WHERE invoice_id = i.id), '') AS last_allocation "
                      "FROM invoice i ORDER BY i.id");
  // Each customer's cache (migration 5) is recomputed in the same pass over
  // the invoices: the sum of their stored balances, and the last day one was
  // issued or had an allocation made or reversed. Three lookups per customer
  // through invoice_customer read every invoice row three times, out of
  // order (18 s on the 1M ledger, the query alone in the sqlite3 shell).
  struct Cache {
    Cents owed = 0;
    std::string moved;
  };
  std::map<std::int64_t, Cache> by_customer;
  std::int64_t invoices = 0;
  const Row r(q);
  while (q.executeStep()) {
    ++invoices;
    const std::string number = r.text("number");
    const bool note = r.flag("credit_note");
    const Cents ttc = r.cents("total_ttc");
    const Cents paid = r.cents("paid");
    const Cents credited = r.cents("credited");
    Cache& cache = by_customer[r.int64("customer_id")];
    if (!note) cache.owed += ttc - paid - credited;
    cache.moved = std::max({cache.moved, r.text("issue_date"), r.text("last_allocation")});
    const std::string settled = r.optional_text("settled_on").value_or("(none)");
    // Credit notes are never paid nor credited and settled on issue.
    const Cents want_paid = note ? 0 : r.cents("want_paid");
    const Cents want_credited = note ? 0 : r.cents("want_credited");
    const Cents balance = ttc - want_paid - want_credited;
    const std::string want_settled = note ? r.text("issue_date") : (balance == 0 ? r.text("last_move") : "(none)");
    if (paid != want_paid)
      f.add("invoice {}: stored paid {} != recomputed {}", number, format_amount(paid), format_amount(want_paid));
    if (credited != want_credited)
      f.add("invoice {}: stored credited {} != recomputed {}", number, format_amount(credited),
            format_amount(want_credited));
    if (settled != want_settled)
      f.add("invoice {}: stored settled_on {} != recomputed {}", number, settled, want_settled);
    if (!note && balance < 0)
      f.add("invoice {}: balance {} below zero (more paid and credited than its total)", number,
            format_amount(balance));
  }
  SQLite::Statement cq(db, "SELECT id, code, owed, COALESCE(moved_on, '(none)') AS moved_on FROM customer ORDER BY id");
  std::int64_t customers = 0;
  const Row cr(cq);
  while (cq.executeStep()) {
    ++customers;
    const auto it = by_customer.find(cr.int64("id"));
    const Cache want = it == by_customer.end() ? Cache{} : it->second;
    const std::string code = cr.text("code");
    const Cents owed = cr.cents("owed");
    const std::string moved = cr.text("moved_on");
    const std::string want_moved = want.moved.empty() ? "(none)" : want.moved;
    if (owed != want.owed)
      f.add("customer {}: stored owed {} != {} (its invoices' balances)", code, format_amount(owed),
            format_amount(want.owed));
    if (moved != want_moved)
      f.add("customer {}: stored moved_on {} != recomputed {}", code, moved, want_moved);
  }
  c.summary = fmt::format(
      "{} documents: paid, credited and settled_on equal their recomputation; {} customers: owed and moved_on too",
      invoices, customers);
  return c;
}

// I3, P3: a credit note cites an invoice, applies between 0 and its own total,
// the notes on one invoice credit at most its total, and the part not applied
// became the customer's credit.
IntegrityCheck check_credit_notes(SQLite::Database& db) {
  IntegrityCheck c{"credit_notes", "", {}, 0};
  Findings f(c);
  SQLite::Statement q(db,
                      "SELECT n.number, n.total_ttc, n.applied, o.number AS cites, o.credit_note AS cites_credit_note, "
                      " (SELECT COALESCE(SUM(amount), 0) FROM credit_movement WHERE invoice_id = n.id) AS to_credit "
                      "FROM invoice n LEFT JOIN invoice o ON o.id = n.cites_id WHERE n.credit_note = 1 ORDER BY n.id");
  std::int64_t notes = 0;
  const Row r(q);
  while (q.executeStep()) {
    ++notes;
    const std::string number = r.text("number");
    const Cents ttc = r.cents("total_ttc");
    const Cents applied = r.cents("applied");
    const Cents to_credit = r.cents("to_credit");
    if (r.is_null("cites") || r.flag("cites_credit_note"))
      f.add("credit note {}: cites no invoice", number);
    if (applied < 0 || applied > ttc)
      f.add("credit note {}: applied {} outside 0.00..{} (its total)", number, format_amount(applied),
            format_amount(ttc));
    if (to_credit != ttc - applied)
      f.add("credit note {}: {} went to customer credit, expected {} (total {} - applied {})", number,
            format_amount(to_credit), format_amount(ttc - applied), format_amount(ttc), format_amount(applied));
  }
  SQLite::Statement over(db,
                         "SELECT o.number, o.total_ttc, SUM(n.total_ttc) AS credited FROM invoice n "
                         "JOIN invoice o ON o.id = n.cites_id "
                         "WHERE n.credit_note = 1 GROUP BY o.id HAVING SUM(n.total_ttc) > o.total_ttc ORDER BY o.id");
  const Row o(over);
  while (over.executeStep())
    f.add("invoice {}: credited {} by credit notes, above its total {}", o.text("number"),
          format_amount(o.cents("credited")), format_amount(o.cents("total_ttc")));
  c.summary = fmt::format("{} credit notes within their invoices' totals", notes);
  return c;
}

// P3, P5: a payment's money all went somewhere (its allocations plus what it
// left as credit; a settlement from credit took as much credit as it
// allocated); a reversal undid all of it on one day; every credit movement
// comes from a payment or a credit note.
IntegrityCheck check_payments(SQLite::Database& db) {
  IntegrityCheck c{"payments", "", {}, 0};
  Findings f(c);
  SQLite::Statement q(db,
                      "SELECT p.id, p.amount, p.method, p.reversed_on, "
                      " (SELECT COALESCE(SUM(amount), 0) FROM allocation WHERE payment_id = p.id) AS allocated, "
                      " (SELECT COALESCE(SUM(amount), 0) FROM credit_movement "
                      "   WHERE payment_id = p.id AND invoice_id IS NULL AND amount > 0) AS credit_in, "
                      " (SELECT COALESCE(SUM(amount), 0) FROM credit_movement "
                      "   WHERE payment_id = p.id AND invoice_id IS NULL AND amount < 0) AS credit_out, "
                      " (SELECT COUNT(*) FROM allocation WHERE payment_id = p.id "
                      "   AND reversed_on IS NOT p.reversed_on) AS reversed_apart, "
                      " i.number, i.customer_id IS NOT p.customer_id AS other_customer "
                      "FROM payment p LEFT JOIN invoice i ON i.id = p.invoice_id ORDER BY p.id");
  std::int64_t payments = 0;
  const Row r(q);
  while (q.executeStep()) {
    ++payments;
    const std::int64_t id = r.int64("id");
    const Cents amount = r.cents("amount");
    const bool from_credit = r.text("method") == "credit";
    const bool reversed = !r.is_null("reversed_on");
    const Cents allocated = r.cents("allocated");
    const Cents credit_in = r.cents("credit_in");
    const Cents credit_out = -r.cents("credit_out");
    // What the payment itself moved; a reversal moves the opposite way.
    const Cents left = from_credit ? credit_in : credit_out;
    const Cents moved = from_credit ? credit_out : credit_in;
    if (from_credit ? (amount != allocated || moved != amount) : (amount != allocated + moved))
      f.add("payment {}: amount {} != {} allocated + {} {} credit", id, format_amount(amount),
            format_amount(allocated), format_amount(moved), from_credit ? "taken from" : "left as");
    if (reversed ? left != moved : left != 0)
      f.add("payment {}: credit movements of {} in and {} out do not match its {}", id, format_amount(credit_in),
            format_amount(credit_out), reversed ? "reversal" : "recording");
    if (r.int64("reversed_apart") > 0)
      f.add("payment {}: {} allocation(s) reversed on another day than the payment ({})", id,
            r.int64("reversed_apart"), reversed ? r.text("reversed_on") : "not reversed");
    // A customer's payments are listed through its invoices (schema migration 4).
    if (r.flag("other_customer"))
      f.add("payment {}: its invoice {} belongs to another customer", id,
            r.optional_text("number").value_or("(none)"));
  }
  // K1, K2: money a payment held for a later settlement came back out of
  // credit (to its allocation, or by the reversal) in full.
  SQLite::Statement held(db,
                         "SELECT payment_id, SUM(amount) AS held FROM credit_movement "
                         "WHERE payment_id IS NOT NULL AND invoice_id IS NOT NULL "
                         "GROUP BY payment_id HAVING SUM(amount) <> 0 ORDER BY payment_id");
  const Row h(held);
  while (held.executeStep())
    f.add("payment {}: {} held for a later settlement never left credit", h.int64("payment_id"),
          format_amount(h.cents("held")));
  SQLite::Statement loose(db,
                          "SELECT id, amount FROM credit_movement WHERE payment_id IS NULL AND invoice_id IS NULL ORDER BY id");
  const Row l(loose);
  while (loose.executeStep())
    f.add("credit movement {} of {}: comes from no payment nor credit note", l.int64("id"),
          format_amount(l.cents("amount")));
  c.summary =
      fmt::format("{} payments: amounts equal allocations and credit, reversals complete, invoices their customer's",
                  payments);
  return c;
}

// Each anchor kept outside the ledger against the journal: its event must
// still be there with the same hash.
IntegrityCheck check_anchors(SQLite::Database& db, const std::vector<Anchor>& anchors) {
  IntegrityCheck c{"anchors", "", {}, 0};
  Findings found(c);
  SQLite::Statement q(db, "SELECT hash FROM journal WHERE id = ?");
  const std::int64_t last = db.execAndGet("SELECT COALESCE(MAX(id), 0) FROM journal").getInt64();
  const Row r(q);
  for (const Anchor& a : anchors) {
    q.reset();
    q.bind(1, a.event);
    if (!q.executeStep())
      found.add("anchor {}: the journal has no event {} (its last is {}): events were cut from its tail",
                format_anchor(a), a.event, last);
    else if (r.text("hash") != a.hash)
      found.add("anchor {}: event {} now has hash {}: the chain was rewritten", format_anchor(a), a.event,
                r.text("hash"));
  }
  c.summary = anchors.empty() ? "no anchor given"
                              : fmt::format("{} anchor(s) held by the journal", anchors.size());
  return c;
}

// Runs one check; a check that cannot run (corrupt table...) is a finding.
template <typename Fn>
IntegrityCheck run_check(const char* name, Fn&& fn) {
  try {
    return fn();
  } catch (const std::exception& e) {
    return IntegrityCheck{name, "", {fmt::format("{}: could not run: {}", name, e.what())}, 0};
  }
}

}  // namespace

std::string IntegrityCheck::detail() const {
  if (ok()) return summary;
  const std::int64_t others = static_cast<std::int64_t>(findings.size()) - 1 + more;
  return others > 0 ? fmt::format("{} (and {} more)", findings.front(), others) : findings.front();
}

bool IntegrityReport::ok() const {
  for (const auto& c : checks)
    if (!c.ok()) return false;
  return true;
}

std::optional<std::string> IntegrityReport::first_failure() const {
  for (const auto& c : checks)
    if (!c.ok()) return c.findings.front();
  return std::nullopt;
}

Anchor parse_anchor(std::string_view text) {
  const auto colon = text.find(':');
  Anchor a;
  bool ok = colon != std::string_view::npos && text.size() - colon - 1 == 64;
  if (ok) {
    try {
      a.event = parse_count(text.substr(0, colon), "anchor event", INT64_MAX);
    } catch (const Error&) {
      ok = false;
    }
    a.hash = std::string(text.substr(colon + 1));
    ok = ok && a.event > 0 &&
         a.hash.find_first_not_of("0123456789abcdef") == std::string::npos;
  }
  if (!ok)
    throw usage_error("invalid anchor '{}': expected EVENT_ID:SHA256 (a journal event id, ':', 64 lowercase hex "
                      "digits), as printed by tally backup or report close",
                      text);
  return a;
}

std::string format_anchor(const Anchor& a) { return fmt::format("{}:{}", a.event, a.hash); }

std::optional<Anchor> journal_anchor(Ledger& ledger) {
  SQLite::Statement q(impl_of(ledger).db, "SELECT id, hash FROM journal ORDER BY id DESC LIMIT 1");
  const Row r(q);
  if (!q.executeStep()) return std::nullopt;
  return Anchor{r.int64("id"), r.text("hash")};
}

IntegrityReport verify(Ledger& ledger, const std::vector<Anchor>& anchors, const VerifyProgress& progress) {
  SQLite::Database& db = impl_of(ledger).db;
  IntegrityReport r;
  // One snapshot for every check: writers may go on meanwhile (WAL).
  SQLite::Transaction snapshot(db);
  JournalIndex index(db);
  // The journal's record of every table (issue 19); a ledger too damaged to
  // read its schema fails journal_records with the reason.
  std::unique_ptr<Mirror> mirror;
  std::string no_mirror;
  try {
    mirror = std::make_unique<Mirror>(db);
  } catch (const std::exception& e) {
    no_mirror = e.what();
  }
  r.checks.push_back(run_check("sqlite_integrity", [&] { return check_sqlite(db); }));
  r.checks.push_back(run_check("foreign_keys", [&] { return check_foreign_keys(db); }));
  // Progress: the journal's events, then each table's rows compared.
  std::int64_t events = 0, total = 0;
  try {
    events = db.execAndGet("SELECT COALESCE(MAX(id), 0) FROM journal").getInt64();
    total = events + (mirror ? mirror->size() : 0);
  } catch (const std::exception&) {  // journal_chain says what is wrong
  }
  r.checks.push_back(
      run_check("journal_chain", [&] { return check_journal_chain(db, index, mirror.get(), progress, total); }));
  r.checks.push_back(run_check("numbering", [&] { return check_numbering(db); }));
  r.checks.push_back(run_check("invoice_totals", [&] { return check_invoice_totals(db); }));
  r.checks.push_back(run_check("journal_records", [&] {
    if (!mirror) throw std::runtime_error(no_mirror);
    return check_journal_records(db, *mirror, progress, events, total);
  }));
  r.checks.push_back(run_check("settlement", [&] { return check_settlement(db); }));
  r.checks.push_back(run_check("credit_notes", [&] { return check_credit_notes(db); }));
  r.checks.push_back(run_check("payments", [&] { return check_payments(db); }));
  r.checks.push_back(run_check("anchors", [&] { return check_anchors(db, anchors); }));
  return r;  // the snapshot's destructor ends the read transaction
}

}  // namespace tally
