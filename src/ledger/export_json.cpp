// tally export json: every record of the ledger as one JSON document, read in
// one snapshot and written row by row (docs/json/export.schema.json).
#include <nlohmann/json.hpp>

#include "ledger/impl.hpp"
#include "tally/errors.hpp"
#include "tally/export.hpp"

namespace tally {
namespace {

using Json = nlohmann::ordered_json;

Json text_or_null(const SQLite::Column& c) { return c.isNull() ? Json(nullptr) : Json(c.getString()); }
Json nonempty_or_null(const SQLite::Column& c) {
  return c.isNull() || c.getString().empty() ? Json(nullptr) : Json(c.getString());
}
Json id_or_null(const SQLite::Column& c) { return c.isNull() ? Json(nullptr) : Json(c.getInt64()); }
Json amount(const SQLite::Column& c) { return format_amount(c.getInt64()); }
Json rate(const SQLite::Column& c) { return format_rate(Rate{c.getInt64()}); }

// The document's text, written as it is made: the head's fields, then each
// array one compact element per line.
class DocumentWriter {
 public:
  explicit DocumentWriter(const std::function<void(std::string_view)>& write) : write_(write) { write_("{"); }
  void field(std::string_view key, const Json& value) {
    key_(key);
    write_(dump(value));
  }
  // Writes "key": [ then each element `rows` gives, then ]; returns how many.
  std::int64_t array(std::string_view key, const std::function<void(const std::function<void(const Json&)>&)>& rows) {
    key_(key);
    write_("[");
    std::int64_t n = 0;
    rows([&](const Json& row) {
      write_(n++ == 0 ? "\n    " : ",\n    ");
      write_(dump(row));
    });
    write_(n == 0 ? "]" : "\n  ]");
    return n;
  }
  void finish() { write_("\n}\n"); }

 private:
  // Invalid UTF-8 (a label from an old import) is replaced, never an exception halfway.
  static std::string dump(const Json& j) { return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace); }
  void key_(std::string_view key) {
    write_(first_ ? "\n  " : ",\n  ");
    first_ = false;
    write_(dump(Json(std::string(key))));
    write_(": ");
  }
  const std::function<void(std::string_view)>& write_;
  bool first_ = true;
};

// Steps `child` (rows ordered by their parent's id in column 0) alongside
// the parent rows: the children of `parent_id`, as JSON, in order.
class Children {
 public:
  Children(SQLite::Database& db, const char* sql, std::function<Json(SQLite::Statement&)> row)
      : q_(db, sql), row_(std::move(row)) {
    more_ = q_.executeStep();
  }
  Json of(std::int64_t parent_id) {
    Json out = Json::array();
    while (more_ && q_.getColumn(0).getInt64() < parent_id) more_ = q_.executeStep();
    while (more_ && q_.getColumn(0).getInt64() == parent_id) {
      out.push_back(row_(q_));
      ++count;
      more_ = q_.executeStep();
    }
    return out;
  }
  std::int64_t count = 0;

 private:
  SQLite::Statement q_;
  std::function<Json(SQLite::Statement&)> row_;
  bool more_ = false;
};

// Each row of `sql` as JSON.
void each_row(SQLite::Database& db, const char* sql, const std::function<void(const Json&)>& sink,
              const std::function<Json(SQLite::Statement&)>& row) {
  SQLite::Statement q(db, sql);
  while (q.executeStep()) sink(row(q));
}

// A deferred read transaction: every query of the export reads the same
// snapshot, whatever commits meanwhile (WAL readers do not block writers).
class ReadSnapshot {
 public:
  explicit ReadSnapshot(SQLite::Database& db) : db_(db) { db_.exec("BEGIN"); }
  ReadSnapshot(const ReadSnapshot&) = delete;
  ReadSnapshot& operator=(const ReadSnapshot&) = delete;
  ~ReadSnapshot() {
    try {
      db_.exec("COMMIT");
    } catch (...) {  // a read transaction has nothing to lose
    }
  }

 private:
  SQLite::Database& db_;
};

}  // namespace

JsonExportCounts export_json(Ledger& ledger, const JsonExportInfo& info,
                             const std::function<void(std::string_view)>& write) {
  SQLite::Database& db = impl_of(ledger).db;
  JsonExportCounts n;
  ReadSnapshot snapshot(db);
  DocumentWriter doc(write);
  doc.field("format", "tally-export");
  doc.field("format_version", 1);
  doc.field("tally_version", info.tally_version);
  doc.field("schema_version", db.execAndGet("PRAGMA user_version").getInt());
  doc.field("generated_at", info.generated_at);

  n.customers = doc.array("customers", [&](const auto& sink) {
    Children ibans(db, "SELECT customer_id, iban, added FROM customer_iban ORDER BY customer_id, id",
                   [](SQLite::Statement& q) { return Json{{"iban", q.getColumn(1).getString()}, {"added", q.getColumn(2).getString()}}; });
    each_row(db,
             "SELECT id, code, name, email, vat_rate_bp, terms_days, created, legal_name, street, postcode, city, "
             "country, siren, vat_number, iban FROM customer ORDER BY id",
             sink, [&](SQLite::Statement& q) {
               return Json{{"code", q.getColumn(1).getString()},
                           {"name", q.getColumn(2).getString()},
                           {"email", q.getColumn(3).getString()},
                           {"vat_rate", rate(q.getColumn(4))},
                           {"terms_days", q.getColumn(5).getInt64()},
                           {"created", q.getColumn(6).getString()},
                           {"identity", Json{{"legal_name", q.getColumn(7).getString()},
                                             {"street", q.getColumn(8).getString()},
                                             {"postcode", q.getColumn(9).getString()},
                                             {"city", q.getColumn(10).getString()},
                                             {"country", q.getColumn(11).getString()},
                                             {"siren", q.getColumn(12).getString()},
                                             {"vat_number", q.getColumn(13).getString()},
                                             {"iban", q.getColumn(14).getString()}}},
                           {"payer_ibans", ibans.of(q.getColumn(0).getInt64())}};
             });
  });

  n.subscriptions = doc.array("subscriptions", [&](const auto& sink) {
    each_row(db,
             "SELECT s.id, c.code, s.amount_ht, s.cycle, s.start, s.commitment_months, s.notice_months, "
             "s.letter_date, s.letter_ref, s.end_date FROM subscription s JOIN customer c ON c.id = s.customer_id "
             "ORDER BY s.id",
             sink, [](SQLite::Statement& q) {
               return Json{{"id", q.getColumn(0).getInt64()},
                           {"customer", q.getColumn(1).getString()},
                           {"amount_ht", amount(q.getColumn(2))},
                           {"cycle", q.getColumn(3).getString()},
                           {"start", q.getColumn(4).getString()},
                           {"commitment_months", q.getColumn(5).getInt64()},
                           {"notice_months", q.getColumn(6).getInt64()},
                           {"letter_date", text_or_null(q.getColumn(7))},
                           {"letter_ref", text_or_null(q.getColumn(8))},
                           {"end_date", text_or_null(q.getColumn(9))}};
             });
  });

  // Invoices and credit notes in the order they were issued, each with its
  // lines (one cursor over invoice_line stepped alongside).
  Children lines(db,
                 "SELECT invoice_id, description, item, qty, unit_ht, amount_ht, vat_rate_bp, rule FROM invoice_line "
                 "ORDER BY invoice_id, position",
                 [](SQLite::Statement& q) {
                   return Json{{"description", q.getColumn(1).getString()},
                               {"item", nonempty_or_null(q.getColumn(2))},
                               {"qty", format_quantity(q.getColumn(3).getInt64())},
                               {"unit_ht", amount(q.getColumn(4))},
                               {"amount_ht", amount(q.getColumn(5))},
                               {"vat_rate", rate(q.getColumn(6))},
                               {"rule", q.getColumn(7).getString()}};
                 });
  n.documents = doc.array("documents", [&](const auto& sink) {
    each_row(db,
             "SELECT i.id, i.number, i.credit_note, c.code, i.kind, i.issue_date, i.due_date, i.total_ht, i.vat, "
             "i.total_ttc, o.number, i.applied, i.reason, i.subscription_id, i.period_first, i.period_last, i.paid, "
             "i.credited, i.settled_on FROM invoice i JOIN customer c ON c.id = i.customer_id "
             "LEFT JOIN invoice o ON o.id = i.cites_id ORDER BY i.id",
             sink, [&](SQLite::Statement& q) {
               const bool note = q.getColumn(2).getInt() != 0;
               Json j{{"number", q.getColumn(1).getString()},
                      {"type", note ? "credit-note" : "invoice"},
                      {"customer", q.getColumn(3).getString()},
                      {"kind", q.getColumn(4).getString()},
                      {"issue_date", q.getColumn(5).getString()},
                      {"due_date", q.getColumn(6).getString()},
                      {"total_ht", amount(q.getColumn(7))},
                      {"vat", amount(q.getColumn(8))},
                      {"total_ttc", amount(q.getColumn(9))},
                      {"cites", text_or_null(q.getColumn(10))},
                      {"applied", note ? amount(q.getColumn(11)) : Json(nullptr)},
                      {"reason", nonempty_or_null(q.getColumn(12))},
                      {"subscription", id_or_null(q.getColumn(13))},
                      {"period", q.getColumn(14).isNull() ? Json(nullptr)
                                                          : Json{{"first", q.getColumn(14).getString()},
                                                                 {"last", q.getColumn(15).getString()}}}};
               // What every recorded movement left on it (the columns verify recomputes).
               const std::int64_t paid = note ? 0 : q.getColumn(16).getInt64();
               const std::int64_t credited = note ? 0 : q.getColumn(17).getInt64();
               j["paid"] = format_amount(paid);
               j["credited"] = format_amount(credited);
               j["balance"] = format_amount(note ? 0 : q.getColumn(9).getInt64() - paid - credited);
               j["settled_on"] = note ? Json(nullptr) : text_or_null(q.getColumn(18));
               j["lines"] = lines.of(q.getColumn(0).getInt64());
               return j;
             });
  });
  n.document_lines = lines.count;

  // Payments, each with where its money went (allocations, with their reversal).
  Children allocations(db,
                       "SELECT a.payment_id, i.number, a.amount, a.date, a.reversed_on FROM allocation a "
                       "JOIN invoice i ON i.id = a.invoice_id ORDER BY a.payment_id, a.id",
                       [](SQLite::Statement& q) {
                         return Json{{"invoice", q.getColumn(1).getString()},
                                     {"amount", amount(q.getColumn(2))},
                                     {"date", q.getColumn(3).getString()},
                                     {"reversed_on", text_or_null(q.getColumn(4))}};
                       });
  n.payments = doc.array("payments", [&](const auto& sink) {
    each_row(db,
             "SELECT p.id, c.code, i.number, p.amount, p.method, p.date, p.ref, p.detail, p.waive_reason, f.number, "
             "p.reversed_on, p.reverse_reason FROM payment p JOIN customer c ON c.id = p.customer_id "
             "LEFT JOIN invoice i ON i.id = p.invoice_id LEFT JOIN invoice f ON f.id = p.fee_invoice_id ORDER BY p.id",
             sink, [&](SQLite::Statement& q) {
               return Json{{"id", q.getColumn(0).getInt64()},
                           {"customer", q.getColumn(1).getString()},
                           {"invoice", text_or_null(q.getColumn(2))},
                           {"amount", amount(q.getColumn(3))},
                           {"method", q.getColumn(4).getString()},
                           {"date", q.getColumn(5).getString()},
                           {"ref", nonempty_or_null(q.getColumn(6))},
                           {"detail", nonempty_or_null(q.getColumn(7))},
                           {"waive_reason", nonempty_or_null(q.getColumn(8))},
                           {"fee_invoice", text_or_null(q.getColumn(9))},
                           {"reversed_on", text_or_null(q.getColumn(10))},
                           {"reverse_reason", nonempty_or_null(q.getColumn(11))},
                           {"allocations", allocations.of(q.getColumn(0).getInt64())}};
             });
  });
  n.allocations = allocations.count;

  n.credit_movements = doc.array("credit_movements", [&](const auto& sink) {
    each_row(db,
             "SELECT m.id, c.code, m.date, m.amount, m.payment_id, i.number, m.note FROM credit_movement m "
             "JOIN customer c ON c.id = m.customer_id LEFT JOIN invoice i ON i.id = m.invoice_id ORDER BY m.id",
             sink, [](SQLite::Statement& q) {
               return Json{{"id", q.getColumn(0).getInt64()},
                           {"customer", q.getColumn(1).getString()},
                           {"date", q.getColumn(2).getString()},
                           {"amount", amount(q.getColumn(3))},
                           {"payment", id_or_null(q.getColumn(4))},
                           {"invoice", text_or_null(q.getColumn(5))},
                           {"note", q.getColumn(6).getString()}};
             });
  });

  // P2: the payments whose fee was waived, with the recorded reason.
  n.fee_waivers = doc.array("fee_waivers", [&](const auto& sink) {
    each_row(db,
             "SELECT p.id, c.code, i.number, p.date, p.method, p.waive_reason FROM payment p "
             "JOIN customer c ON c.id = p.customer_id LEFT JOIN invoice i ON i.id = p.invoice_id "
             "WHERE p.waive_reason IS NOT NULL AND p.waive_reason <> '' ORDER BY p.id",
             sink, [](SQLite::Statement& q) {
               return Json{{"payment", q.getColumn(0).getInt64()},
                           {"customer", q.getColumn(1).getString()},
                           {"invoice", text_or_null(q.getColumn(2))},
                           {"date", q.getColumn(3).getString()},
                           {"method", q.getColumn(4).getString()},
                           {"reason", q.getColumn(5).getString()}};
             });
  });

  n.standbys = doc.array("standbys", [&](const auto& sink) {
    each_row(db,
             "SELECT s.id, c.code, s.reason, s.requested, s.first_day, s.last_day, s.ended_early, s.decision "
             "FROM standby s JOIN customer c ON c.id = s.customer_id ORDER BY s.id",
             sink, [](SQLite::Statement& q) {
               return Json{{"id", q.getColumn(0).getInt64()},
                           {"customer", q.getColumn(1).getString()},
                           {"reason", q.getColumn(2).getString()},
                           {"requested", q.getColumn(3).getString()},
                           {"first_day", q.getColumn(4).getString()},
                           {"last_day", q.getColumn(5).getString()},
                           {"ended_early", text_or_null(q.getColumn(6))},
                           {"decision", q.getColumn(7).getString()}};
             });
  });

  // C1-C2: each subscription cancelled by a letter, and its effective date.
  n.cancellations = doc.array("cancellations", [&](const auto& sink) {
    each_row(db,
             "SELECT s.id, c.code, s.letter_date, s.letter_ref, s.end_date FROM subscription s "
             "JOIN customer c ON c.id = s.customer_id WHERE s.letter_date IS NOT NULL ORDER BY s.id",
             sink, [](SQLite::Statement& q) {
               return Json{{"subscription", q.getColumn(0).getInt64()},
                           {"customer", q.getColumn(1).getString()},
                           {"letter_date", q.getColumn(2).getString()},
                           {"letter_ref", text_or_null(q.getColumn(3))},
                           {"effective_date", text_or_null(q.getColumn(4))}};
             });
  });

  n.stage_transitions = doc.array("stage_transitions", [&](const auto& sink) {
    each_row(db,
             "SELECT c.code, t.from_stage, t.to_stage, t.date FROM stage_transition t "
             "JOIN customer c ON c.id = t.customer_id ORDER BY t.id",
             sink, [](SQLite::Statement& q) {
               return Json{{"customer", q.getColumn(0).getString()},
                           {"from", q.getColumn(1).getString()},
                           {"to", q.getColumn(2).getString()},
                           {"date", q.getColumn(3).getString()}};
             });
  });

  n.penalty_billings = doc.array("penalty_billings", [&](const auto& sink) {
    each_row(db,
             "SELECT i.number, p.number, b.through, b.interest, b.indemnity FROM penalty_billing b "
             "JOIN invoice i ON i.id = b.invoice_id JOIN invoice p ON p.id = b.penalty_invoice_id ORDER BY b.id",
             sink, [](SQLite::Statement& q) {
               return Json{{"invoice", q.getColumn(0).getString()},
                           {"penalty_invoice", q.getColumn(1).getString()},
                           {"through", q.getColumn(2).getString()},
                           {"interest", amount(q.getColumn(3))},
                           {"indemnity", amount(q.getColumn(4))}};
             });
  });

  // B2: the bank lines matched to no invoice, with what became of each.
  n.suspense = doc.array("suspense", [&](const auto& sink) {
    Children actions(db,
                     "SELECT a.suspense_id, a.action, a.date, a.amount, a.payment_id, i.number, a.reason "
                     "FROM suspense_action a LEFT JOIN payment p ON p.id = a.payment_id "
                     "LEFT JOIN invoice i ON i.id = p.invoice_id ORDER BY a.suspense_id, a.id",
                     [](SQLite::Statement& q) {
                       return Json{{"action", q.getColumn(1).getString()},
                                   {"date", q.getColumn(2).getString()},
                                   {"amount", amount(q.getColumn(3))},
                                   {"payment", id_or_null(q.getColumn(4))},
                                   {"invoice", text_or_null(q.getColumn(5))},
                                   {"reason", nonempty_or_null(q.getColumn(6))}};
                     });
    each_row(db,
             "SELECT id, date, amount, reference, label, method, reason, payer, payer_iban, payment_id "
             "FROM suspense ORDER BY id",
             sink, [&](SQLite::Statement& q) {
               return Json{{"id", q.getColumn(0).getInt64()},
                           {"date", q.getColumn(1).getString()},
                           {"amount", amount(q.getColumn(2))},
                           {"reference", q.getColumn(3).getString()},
                           {"label", q.getColumn(4).getString()},
                           {"method", q.getColumn(5).getString()},
                           {"reason", q.getColumn(6).getString()},
                           {"payer", q.getColumn(7).getString()},
                           {"payer_iban", q.getColumn(8).getString()},
                           {"payment", id_or_null(q.getColumn(9))},
                           {"actions", actions.of(q.getColumn(0).getInt64())}};
             });
  });

  n.period_locks = doc.array("period_locks", [&](const auto& sink) {
    each_row(db, "SELECT month, locked_at FROM period_lock ORDER BY month", sink, [](SQLite::Statement& q) {
      return Json{{"month", q.getColumn(0).getString()}, {"locked_at", q.getColumn(1).getString()}};
    });
  });

  const auto versions = [&](const char* sql) {
    return [&db, sql](const auto& sink) {
      each_row(db, sql, sink, [](SQLite::Statement& q) {
        return Json{{"key", q.getColumn(0).getString()},
                    {"value", q.getColumn(1).getString()},
                    {"effective", q.getColumn(2).getString()}};
      });
    };
  };
  n.policy_versions = doc.array("policy_versions", versions("SELECT key, value, effective FROM policy ORDER BY effective, key, id"));
  n.seller_versions = doc.array("seller_versions", versions("SELECT key, value, effective FROM seller ORDER BY effective, key, id"));

  // The journal itself stays in the ledger (tally verify); its anchor says
  // which state of it this export is.
  {
    SQLite::Statement q(db, "SELECT id, hash, (SELECT COUNT(*) FROM journal) FROM journal ORDER BY id DESC LIMIT 1");
    if (q.executeStep()) {
      n.anchor = std::to_string(q.getColumn(0).getInt64()) + ":" + q.getColumn(1).getString();
      n.journal_events = q.getColumn(2).getInt64();
    }
  }
  doc.field("journal", Json{{"events", n.journal_events}, {"anchor", n.anchor.empty() ? Json(nullptr) : Json(n.anchor)}});
  doc.field("counts", Json{{"customers", n.customers},
                           {"subscriptions", n.subscriptions},
                           {"documents", n.documents},
                           {"document_lines", n.document_lines},
                           {"payments", n.payments},
                           {"allocations", n.allocations},
                           {"credit_movements", n.credit_movements},
                           {"fee_waivers", n.fee_waivers},
                           {"standbys", n.standbys},
                           {"cancellations", n.cancellations},
                           {"stage_transitions", n.stage_transitions},
                           {"penalty_billings", n.penalty_billings},
                           {"suspense", n.suspense},
                           {"period_locks", n.period_locks},
                           {"policy_versions", n.policy_versions},
                           {"seller_versions", n.seller_versions}});
  doc.finish();
  return n;
}

}  // namespace tally
