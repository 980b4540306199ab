// tally export json: every record of the ledger as one JSON document, read in
// one snapshot and written row by row (docs/json/export.schema.json).
#include <nlohmann/json.hpp>

#include "ledger/impl.hpp"
#include "ledger/rows.hpp"
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

// Steps `child` (rows ordered by their parent's id, column `parent`)
// alongside the parent rows: the children of `parent_id`, as JSON, in order.
class Children {
 public:
  Children(SQLite::Database& db, const char* sql, Name parent, std::function<Json(const Row&)> row)
      : q_(db, sql), r_(q_), parent_(r_.index(parent)), row_(std::move(row)) {
    more_ = q_.executeStep();
  }
  Json of(std::int64_t parent_id) {
    Json out = Json::array();
    while (more_ && q_.getColumn(parent_).getInt64() < parent_id) more_ = q_.executeStep();
    while (more_ && q_.getColumn(parent_).getInt64() == parent_id) {
      out.push_back(row_(r_));
      ++count;
      more_ = q_.executeStep();
    }
    return out;
  }
  std::int64_t count = 0;

 private:
  SQLite::Statement q_;
  Row r_;
  int parent_;
  std::function<Json(const Row&)> row_;
  bool more_ = false;
};

// Each row of `sql` as JSON.
void each_row(SQLite::Database& db, const char* sql, const std::function<void(const Json&)>& sink,
              const std::function<Json(const Row&)>& row) {
  SQLite::Statement q(db, sql);
  const Row r(q);
  while (q.executeStep()) sink(row(r));
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
    Children ibans(db, "SELECT customer_id, iban, added FROM customer_iban ORDER BY customer_id, id", "customer_id",
                   [](const Row& r) { return Json{{"iban", r.text("iban")}, {"added", r.text("added")}}; });
    each_row(db,
             "SELECT id, code, name, email, vat_rate_bp, terms_days, created, legal_name, street, postcode, city, "
             "country, siren, vat_number, iban FROM customer ORDER BY id",
             sink, [&](const Row& r) {
               return Json{{"code", r.text("code")},
                           {"name", r.text("name")},
                           {"email", r.text("email")},
                           {"vat_rate", rate(r.column("vat_rate_bp"))},
                           {"terms_days", r.int64("terms_days")},
                           {"created", r.text("created")},
                           {"identity", Json{{"legal_name", r.text("legal_name")},
                                             {"street", r.text("street")},
                                             {"postcode", r.text("postcode")},
                                             {"city", r.text("city")},
                                             {"country", r.text("country")},
                                             {"siren", r.text("siren")},
                                             {"vat_number", r.text("vat_number")},
                                             {"iban", r.text("iban")}}},
                           {"payer_ibans", ibans.of(r.int64("id"))}};
             });
  });

  n.subscriptions = doc.array("subscriptions", [&](const auto& sink) {
    each_row(db,
             "SELECT s.id, c.code, s.amount_ht, s.cycle, s.start, s.commitment_months, s.notice_months, "
             "s.letter_date, s.letter_ref, s.end_date FROM subscription s JOIN customer c ON c.id = s.customer_id "
             "ORDER BY s.id",
             sink, [](const Row& r) {
               return Json{{"id", r.int64("id")},
                           {"customer", r.text("code")},
                           {"amount_ht", amount(r.column("amount_ht"))},
                           {"cycle", r.text("cycle")},
                           {"start", r.text("start")},
                           {"commitment_months", r.int64("commitment_months")},
                           {"notice_months", r.int64("notice_months")},
                           {"letter_date", text_or_null(r.column("letter_date"))},
                           {"letter_ref", text_or_null(r.column("letter_ref"))},
                           {"end_date", text_or_null(r.column("end_date"))}};
             });
  });

  // Invoices and credit notes in the order they were issued, each with its
  // lines (one cursor over invoice_line stepped alongside).
  Children lines(db,
                 "SELECT invoice_id, description, item, qty, unit_ht, amount_ht, vat_rate_bp, rule FROM invoice_line "
                 "ORDER BY invoice_id, position",
                 "invoice_id",
                 [](const Row& r) {
                   return Json{{"description", r.text("description")},
                               {"item", nonempty_or_null(r.column("item"))},
                               {"qty", format_quantity(r.int64("qty"))},
                               {"unit_ht", amount(r.column("unit_ht"))},
                               {"amount_ht", amount(r.column("amount_ht"))},
                               {"vat_rate", rate(r.column("vat_rate_bp"))},
                               {"rule", r.text("rule")}};
                 });
  n.documents = doc.array("documents", [&](const auto& sink) {
    each_row(db,
             "SELECT i.id, i.number, i.credit_note, c.code, i.kind, i.issue_date, i.due_date, i.total_ht, i.vat, "
             "i.total_ttc, o.number AS cites, i.applied, i.reason, i.subscription_id, i.period_first, i.period_last, "
             "i.paid, i.credited, i.settled_on FROM invoice i JOIN customer c ON c.id = i.customer_id "
             "LEFT JOIN invoice o ON o.id = i.cites_id ORDER BY i.id",
             sink, [&](const Row& r) {
               const bool note = r.flag("credit_note");
               Json j{{"number", r.text("number")},
                      {"type", note ? "credit-note" : "invoice"},
                      {"customer", r.text("code")},
                      {"kind", r.text("kind")},
                      {"issue_date", r.text("issue_date")},
                      {"due_date", r.text("due_date")},
                      {"total_ht", amount(r.column("total_ht"))},
                      {"vat", amount(r.column("vat"))},
                      {"total_ttc", amount(r.column("total_ttc"))},
                      {"cites", text_or_null(r.column("cites"))},
                      {"applied", note ? amount(r.column("applied")) : Json(nullptr)},
                      {"reason", nonempty_or_null(r.column("reason"))},
                      {"subscription", id_or_null(r.column("subscription_id"))},
                      {"period", r.is_null("period_first") ? Json(nullptr)
                                                           : Json{{"first", r.text("period_first")},
                                                                  {"last", r.text("period_last")}}}};
               // What every recorded movement left on it (the columns verify recomputes).
               const std::int64_t paid = note ? 0 : r.cents("paid");
               const std::int64_t credited = note ? 0 : r.cents("credited");
               j["paid"] = format_amount(paid);
               j["credited"] = format_amount(credited);
               j["balance"] = format_amount(note ? 0 : r.cents("total_ttc") - paid - credited);
               j["settled_on"] = note ? Json(nullptr) : text_or_null(r.column("settled_on"));
               j["lines"] = lines.of(r.int64("id"));
               return j;
             });
  });
  n.document_lines = lines.count;

  // Payments, each with where its money went (allocations, with their reversal).
  Children allocations(db,
                       "SELECT a.payment_id, i.number, a.amount, a.date, a.reversed_on FROM allocation a "
                       "JOIN invoice i ON i.id = a.invoice_id ORDER BY a.payment_id, a.id",
                       "payment_id",
                       [](const Row& r) {
                         return Json{{"invoice", r.text("number")},
                                     {"amount", amount(r.column("amount"))},
                                     {"date", r.text("date")},
                                     {"reversed_on", text_or_null(r.column("reversed_on"))}};
                       });
  n.payments = doc.array("payments", [&](const auto& sink) {
    each_row(db,
             "SELECT p.id, c.code, i.number AS invoice, p.amount, p.method, p.date, p.ref, p.detail, p.waive_reason, "
             "f.number AS fee_invoice, p.reversed_on, p.reverse_reason FROM payment p "
             "JOIN customer c ON c.id = p.customer_id LEFT JOIN invoice i ON i.id = p.invoice_id "
             "LEFT JOIN invoice f ON f.id = p.fee_invoice_id ORDER BY p.id",
             sink, [&](const Row& r) {
               return Json{{"id", r.int64("id")},
                           {"customer", r.text("code")},
                           {"invoice", text_or_null(r.column("invoice"))},
                           {"amount", amount(r.column("amount"))},
                           {"method", r.text("method")},
                           {"date", r.text("date")},
                           {"ref", nonempty_or_null(r.column("ref"))},
                           {"detail", nonempty_or_null(r.column("detail"))},
                           {"waive_reason", nonempty_or_null(r.column("waive_reason"))},
                           {"fee_invoice", text_or_null(r.column("fee_invoice"))},
                           {"reversed_on", text_or_null(r.column("reversed_on"))},
                           {"reverse_reason", nonempty_or_null(r.column("reverse_reason"))},
                           {"allocations", allocations.of(r.int64("id"))}};
             });
  });
  n.allocations = allocations.count;

  n.credit_movements = doc.array("credit_movements", [&](const auto& sink) {
    each_row(db,
             "SELECT m.id, c.code, m.date, m.amount, m.payment_id, i.number, m.note FROM credit_movement m "
             "JOIN customer c ON c.id = m.customer_id LEFT JOIN invoice i ON i.id = m.invoice_id ORDER BY m.id",
             sink, [](const Row& r) {
               return Json{{"id", r.int64("id")},
                           {"customer", r.text("code")},
                           {"date", r.text("date")},
                           {"amount", amount(r.column("amount"))},
                           {"payment", id_or_null(r.column("payment_id"))},
                           {"invoice", text_or_null(r.column("number"))},
                           {"note", r.text("note")}};
             });
  });

  // P2: the payments whose fee was waived, with the recorded reason.
  n.fee_waivers = doc.array("fee_waivers", [&](const auto& sink) {
    each_row(db,
             "SELECT p.id, c.code, i.number, p.date, p.method, p.waive_reason FROM payment p "
             "JOIN customer c ON c.id = p.customer_id LEFT JOIN invoice i ON i.id = p.invoice_id "
             "WHERE p.waive_reason IS NOT NULL AND p.waive_reason <> '' ORDER BY p.id",
             sink, [](const Row& r) {
               return Json{{"payment", r.int64("id")},
                           {"customer", r.text("code")},
                           {"invoice", text_or_null(r.column("number"))},
                           {"date", r.text("date")},
                           {"method", r.text("method")},
                           {"reason", r.text("waive_reason")}};
             });
  });

  n.standbys = doc.array("standbys", [&](const auto& sink) {
    each_row(db,
             "SELECT s.id, c.code, s.reason, s.requested, s.first_day, s.last_day, s.ended_early, s.decision "
             "FROM standby s JOIN customer c ON c.id = s.customer_id ORDER BY s.id",
             sink, [](const Row& r) {
               return Json{{"id", r.int64("id")},
                           {"customer", r.text("code")},
                           {"reason", r.text("reason")},
                           {"requested", r.text("requested")},
                           {"first_day", r.text("first_day")},
                           {"last_day", r.text("last_day")},
                           {"ended_early", text_or_null(r.column("ended_early"))},
                           {"decision", r.text("decision")}};
             });
  });

  // C1-C2: each subscription cancelled by a letter, and its effective date.
  n.cancellations = doc.array("cancellations", [&](const auto& sink) {
    each_row(db,
             "SELECT s.id, c.code, s.letter_date, s.letter_ref, s.end_date FROM subscription s "
             "JOIN customer c ON c.id = s.customer_id WHERE s.letter_date IS NOT NULL ORDER BY s.id",
             sink, [](const Row& r) {
               return Json{{"subscription", r.int64("id")},
                           {"customer", r.text("code")},
                           {"letter_date", r.text("letter_date")},
                           {"letter_ref", text_or_null(r.column("letter_ref"))},
                           {"effective_date", text_or_null(r.column("end_date"))}};
             });
  });

  n.stage_transitions = doc.array("stage_transitions", [&](const auto& sink) {
    each_row(db,
             "SELECT c.code, t.from_stage, t.to_stage, t.date FROM stage_transition t "
             "JOIN customer c ON c.id = t.customer_id ORDER BY t.id",
             sink, [](const Row& r) {
               return Json{{"customer", r.text("code")},
                           {"from", r.text("from_stage")},
                           {"to", r.text("to_stage")},
                           {"date", r.text("date")}};
             });
  });

  n.penalty_billings = doc.array("penalty_billings", [&](const auto& sink) {
    each_row(db,
             "SELECT i.number AS invoice, p.number AS penalty_invoice, b.through, b.interest, b.indemnity "
             "FROM penalty_billing b JOIN invoice i ON i.id = b.invoice_id "
             "JOIN invoice p ON p.id = b.penalty_invoice_id ORDER BY b.id",
             sink, [](const Row& r) {
               return Json{{"invoice", r.text("invoice")},
                           {"penalty_invoice", r.text("penalty_invoice")},
                           {"through", r.text("through")},
                           {"interest", amount(r.column("interest"))},
                           {"indemnity", amount(r.column("indemnity"))}};
             });
  });

  // B2: the bank lines matched to no invoice, with what became of each.
  n.suspense = doc.array("suspense", [&](const auto& sink) {
    Children actions(db,
                     "SELECT a.suspense_id, a.action, a.date, a.amount, a.payment_id, i.number, a.reason "
                     "FROM suspense_action a LEFT JOIN payment p ON p.id = a.payment_id "
                     "LEFT JOIN invoice i ON i.id = p.invoice_id ORDER BY a.suspense_id, a.id",
                     "suspense_id",
                     [](const Row& r) {
                       return Json{{"action", r.text("action")},
                                   {"date", r.text("date")},
                                   {"amount", amount(r.column("amount"))},
                                   {"payment", id_or_null(r.column("payment_id"))},
                                   {"invoice", text_or_null(r.column("number"))},
                                   {"reason", nonempty_or_null(r.column("reason"))}};
                     });
    each_row(db,
             "SELECT id, date, amount, reference, label, method, reason, payer, payer_iban, payment_id "
             "FROM suspense ORDER BY id",
             sink, [&](const Row& r) {
               return Json{{"id", r.int64("id")},
                           {"date", r.text("date")},
                           {"amount", amount(r.column("amount"))},
                           {"reference", r.text("reference")},
                           {"label", r.text("label")},
                           {"method", r.text("method")},
                           {"reason", r.text("reason")},
                           {"payer", r.text("payer")},
                           {"payer_iban", r.text("payer_iban")},
                           {"payment", id_or_null(r.column("payment_id"))},
                           {"actions", actions.of(r.int64("id"))}};
             });
  });

  n.period_locks = doc.array("period_locks", [&](const auto& sink) {
    each_row(db, "SELECT month, locked_at FROM period_lock ORDER BY month", sink, [](const Row& r) {
      return Json{{"month", r.text("month")}, {"locked_at", r.text("locked_at")}};
    });
  });

  const auto versions = [&](const char* sql) {
    return [&db, sql](const auto& sink) {
      each_row(db, sql, sink, [](const Row& r) {
        return Json{{"key", r.text("key")}, {"value", r.text("value")}, {"effective", r.text("effective")}};
      });
    };
  };
  n.policy_versions = doc.array("policy_versions", versions("SELECT key, value, effective FROM policy ORDER BY effective, key, id"));
  n.seller_versions = doc.array("seller_versions", versions("SELECT key, value, effective FROM seller ORDER BY effective, key, id"));

  // The journal itself stays in the ledger (tally verify); its anchor says
  // which state of it this export is.
  {
    SQLite::Statement q(db, "SELECT id, hash, (SELECT COUNT(*) FROM journal) AS events FROM journal ORDER BY id DESC LIMIT 1");
    const Row r(q);
    if (q.executeStep()) {
      n.anchor = std::to_string(r.int64("id")) + ":" + r.text("hash");
      n.journal_events = r.int64("events");
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
