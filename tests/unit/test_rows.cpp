// Rows read by column name (issue 18, src/ledger/rows.hpp): a read finds its
// column wherever the SELECT puts it, by the AS alias or the column's own
// name; a name the statement lacks or holds twice is refused, naming it.
#include <catch2/catch.hpp>

#include <stdexcept>
#include <string>

#include "ledger/rows.hpp"

using namespace tally;

namespace {

SQLite::Database table() {
  SQLite::Database db(":memory:", SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
  db.exec("CREATE TABLE t(id INTEGER PRIMARY KEY, number TEXT, total INTEGER, day TEXT, note TEXT);"
          "INSERT INTO t VALUES (7, 'F2026-000001', 123456, '2026-03-31', NULL);");
  return db;
}

// The message of the logic_error `read` throws, "" when it throws none.
template <typename F>
std::string refusal(F read) {
  try {
    read();
  } catch (const std::logic_error& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST_CASE("a row's columns are read by name in any SELECT order", "[rows]") {
  SQLite::Database db = table();
  for (const char* sql : {"SELECT id, number, total, day, note FROM t",
                          "SELECT note, day, total, number, id FROM t",
                          "SELECT t.day, t.note, t.id, t.total, t.number FROM t"}) {
    SQLite::Statement q(db, sql);
    const Row r(q);
    REQUIRE(q.executeStep());
    CHECK(r.int64("id") == 7);
    CHECK(r.text("number") == "F2026-000001");
    CHECK(r.cents("total") == 123456);
    CHECK(r.date("day") == date::sys_days{date::year{2026} / 3 / 31});
    CHECK(r.is_null("note"));
    CHECK_FALSE(r.optional_text("note"));
    CHECK(r.optional_text("number") == std::optional<std::string>("F2026-000001"));
    CHECK(r.optional_date("day") == std::optional<Date>(date::sys_days{date::year{2026} / 3 / 31}));
    CHECK_FALSE(r.optional_int64("note"));
    CHECK(r.index("day") == q.getColumnIndex("day"));
  }
}

TEST_CASE("an expression is read by its AS alias", "[rows]") {
  SQLite::Database db = table();
  SQLite::Statement q(db, "SELECT total - 6 AS due, id > 0 AS positive, COUNT(*) AS n FROM t");
  const Row r(q);
  REQUIRE(q.executeStep());
  CHECK(r.cents("due") == 123450);
  CHECK(r.flag("positive"));
  CHECK(r.int64("n") == 1);
}

TEST_CASE("a name the statement lacks, or holds twice, is refused naming it", "[rows]") {
  SQLite::Database db = table();
  SQLite::Statement q(db, "SELECT a.number, b.number, a.total + 1 FROM t a JOIN t b ON b.id = a.id");
  const Row r(q);
  REQUIRE(q.executeStep());
  CHECK(refusal([&] { r.text("number"); }).rfind("two columns named 'number' in SELECT a.number", 0) == 0);
  CHECK(refusal([&] { r.text("total"); }).rfind("no column named 'total' in SELECT", 0) == 0);
  CHECK(refusal([&] { r.text("nmber"); }).rfind("no column named 'nmber'", 0) == 0);
}
