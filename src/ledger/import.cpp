// tally import payments: a bank statement recorded line by line with the rules
// of pay (P1-P6), unmatched lines kept in the suspense list, all in one write.
#include "tally/import.hpp"

#include <sqlite3.h>

#include <algorithm>
#include <exception>
#include <utility>

#include <nlohmann/json.hpp>

#include "ledger/impl.hpp"
#include "tally/errors.hpp"
#include "tally/matching.hpp"
#include "tally/reports.hpp"
#include "tally/period_lock.hpp"

namespace tally {
namespace {

// Thrown inside the write when every line was already known: nothing to commit.
struct NothingNew {};

// The connection's settings for a bulk import, restored after it when it runs
// outside any transaction:
// - temp_store = MEMORY: SQLite's statement journals (the undo pages of a
//   statement that could fail halfway inside the import's transaction) stay in
//   memory instead of a temporary file written page by page;
// - a page cache of kImportCacheKiB instead of SQLite's 2 MiB: each line
//   touches a handful of random index pages, and with the small cache SQLite
//   writes dirty pages to the WAL before the commit and reads them back
//   (docs/performance.md). It stays within the 64 MiB a command may use.
constexpr int kImportCacheKiB = 16 * 1024;

class ImportSettings {
 public:
  explicit ImportSettings(SQLite::Database& db)
      : db_(db), active_(sqlite3_get_autocommit(db.getHandle()) != 0),
        temp_store_(active_ ? db.execAndGet("PRAGMA temp_store").getInt() : 0),
        cache_size_(active_ ? db.execAndGet("PRAGMA cache_size").getInt() : 0) {
    if (!active_) return;
    db_.exec("PRAGMA temp_store = MEMORY");
    db_.exec(fmt::format("PRAGMA cache_size = -{}", kImportCacheKiB));
  }
  ImportSettings(const ImportSettings&) = delete;
  ImportSettings& operator=(const ImportSettings&) = delete;
  ~ImportSettings() {  // never throws: a failure only leaves the faster settings
    if (!active_) return;
    const std::string sql = fmt::format("PRAGMA temp_store = {}; PRAGMA cache_size = {}", temp_store_, cache_size_);
    sqlite3_exec(db_.getHandle(), sql.c_str(), nullptr, nullptr, nullptr);
  }

 private:
  SQLite::Database& db_;
  bool active_;
  int temp_store_;
  int cache_size_;
};

// "line 3: why; line 7: why" for at most the first 10, then "and N more".
std::string list_lines(const std::vector<LineError>& lines) {
  constexpr std::size_t kShown = 10;
  std::string out;
  for (std::size_t i = 0; i < lines.size() && i < kShown; ++i)
    out += fmt::format("{}line {}: {}", i ? "; " : "", lines[i].line, lines[i].reason);
  if (lines.size() > kShown) out += fmt::format("; and {} more", lines.size() - kShown);
  return out;
}

// What differs between a known record (payment or suspense line) and a
// statement line with the same reference; "" when they are the same (P4).
std::string differences(const BankLine& l, Date date, Cents amount) {
  std::string diff;
  if (date != l.date) diff += fmt::format("date {} (file {})", format_date(date), format_date(l.date));
  if (amount != l.amount)
    diff += fmt::format("{}amount {} (file {})", diff.empty() ? "" : ", ", format_amount(amount), format_amount(l.amount));
  return diff;
}

// P4: whether the line's reference is already a payment or a suspense line.
// Same details: fills `out` as a duplicate and returns true; other details: adds
// the line to `conflicts` and returns true; unknown: false.
bool known(Ledger::Impl& impl, const BankLine& l, ImportedLine& out, std::vector<LineError>& conflicts) {
  auto& p = impl.stmt(
      "SELECT p.id AS id, COALESCE(i.number, '') AS invoice, p.method AS method, p.amount AS amount, p.date AS date "
      "FROM payment p LEFT JOIN invoice i ON i.id = p.invoice_id WHERE p.ref = ?");
  p.bind(1, l.reference);
  if (p.executeStep()) {
    const std::int64_t id = p.getColumn("id").getInt64();
    const std::string invoice = p.getColumn("invoice").getString();
    const std::string method = p.getColumn("method").getString();
    std::string diff = differences(l, parse_date(p.getColumn("date").getString()), p.getColumn("amount").getInt64());
    if (method != to_string(l.method))
      diff += fmt::format("{}method {} (file {})", diff.empty() ? "" : ", ", method, to_string(l.method));
    if (l.invoices.size() == 1 && l.invoices.front() != invoice)
      diff += fmt::format("{}invoice {} (file {})", diff.empty() ? "" : ", ", invoice, l.invoices.front());
    if (!diff.empty()) {
      conflicts.push_back({l.line, fmt::format("reference '{}' is already payment {} with other details: {}",
                                               l.reference, id, diff)});
    } else {
      out.status = ImportStatus::duplicate;
      out.payment_id = id;
      out.invoice = invoice;
    }
    return true;
  }
  auto& s = impl.stmt("SELECT id, date, amount FROM suspense WHERE reference = ?");
  s.bind(1, l.reference);
  if (!s.executeStep()) return false;
  if (const std::string diff =
          differences(l, parse_date(s.getColumn("date").getString()), s.getColumn("amount").getInt64());
      !diff.empty()) {
    conflicts.push_back({l.line, fmt::format("reference '{}' is already suspense line {} with other details: {}",
                                             l.reference, s.getColumn("id").getInt64(), diff)});
  } else {
    out.status = ImportStatus::duplicate;
  }
  return true;
}

void to_suspense(Ledger::Impl& impl, ImportedLine& out, std::string reason) {
  const BankLine& l = out.source;
  auto& ins = impl.stmt(
      "INSERT INTO suspense(date, amount, reference, label, method, reason, payer, payer_iban) "
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
  ins.bind(1, db_date(l.date));
  ins.bind(2, l.amount);
  ins.bind(3, l.reference);
  ins.bind(4, l.label);
  ins.bind(5, std::string(to_string(l.method)));
  ins.bind(6, reason);
  ins.bind(7, l.payer_name);
  ins.bind(8, iban_key(l.payer_iban));
  ins.exec();
  out.status = ImportStatus::suspense;
  out.reason = std::move(reason);
}

// B2's snapshot of the invoice a line names and of its customer, read inside
// the import's write (the earlier lines' payments counted).
MatchInvoice match_invoice(Ledger::Impl& impl, const PaymentPlan& plan) {
  MatchInvoice m;
  m.number = plan.inv.number;
  m.balance = plan.inv.ttc - plan.inv.paid - plan.inv.credited;
  m.fee_ttc = plan.charged ? invoice_totals({plan.fee_line}).ttc : 0;
  m.customer.code = plan.inv.customer;
  auto& c = impl.stmt("SELECT name, legal_name, iban, owed FROM customer WHERE id = ?");
  c.bind(1, plan.inv.customer_id);
  if (c.executeStep()) {
    for (const char* column : {"name", "legal_name"})
      if (std::string n = c.getColumn(column).getString(); !n.empty()) m.customer.names.push_back(std::move(n));
    if (std::string iban = c.getColumn("iban").getString(); !iban.empty()) m.customer.ibans.push_back(std::move(iban));
    m.customer.owed = c.getColumn("owed").getInt64();
  }
  c.reset();
  auto& ibans = impl.stmt("SELECT iban FROM customer_iban WHERE customer_id = ? ORDER BY id");
  ibans.bind(1, plan.inv.customer_id);
  while (ibans.executeStep()) m.customer.ibans.push_back(ibans.getColumn("iban").getString());
  ibans.reset();
  return m;
}

// The customers known by a payer IBAN (their document IBAN or a known one).
std::vector<std::string> iban_owners(Ledger::Impl& impl, const std::string& iban) {
  std::vector<std::string> out;
  if (iban.empty()) return out;
  auto& q = impl.stmt(
      "SELECT code FROM customer WHERE iban = ?1 UNION "
      "SELECT c.code AS code FROM customer_iban k JOIN customer c ON c.id = k.customer_id WHERE k.iban = ?1 "
      "ORDER BY 1");
  q.bind(1, iban);
  while (q.executeStep()) out.push_back(q.getColumn("code").getString());
  q.reset();
  return out;
}

// Pays the one invoice the line names when B2 accepts it, with the rules of
// pay(). Every refusal (an unknown invoice, P6, a locked month) comes before
// the payment writes anything (plan_payment), so the line goes to suspense
// with nothing to undo. The reference is new: known() looked for it first.
void record(Ledger& ledger, ImportedLine& out, Date today) {
  const BankLine& l = out.source;
  Ledger::Impl& impl = impl_of(ledger);
  MatchSnapshot snap;
  snap.entry = MatchEntry{l.amount, l.payer_name, l.payer_iban, l.currency, l.reversal};
  snap.invoices = l.invoices;
  snap.iban_owners = iban_owners(impl, iban_key(l.payer_iban));
  PaymentRequest r;
  std::optional<PaymentPlan> plan;
  if (l.invoices.size() == 1 && !l.reversal && (l.currency.empty() || l.currency == "EUR")) {
    r.invoice = l.invoices.front();
    r.method = l.method;
    r.amount = l.amount;
    r.date = l.date;
    r.today = today;
    r.ref = l.reference;
    r.detail = l.label.empty() ? l.reference : l.label;
    r.read_state = false;  // the import reports the payment, not the invoice after it
    check_payment_request(r);
    try {
      plan = plan_payment(ledger, r);
    } catch (const Error& e) {
      if (e.code() == ExitCode::not_found) {
        // B2: a reference to nothing (the snapshot has no invoice).
      } else if (e.code() == ExitCode::refused) {
        return to_suspense(impl, out, e.what());
      } else {
        throw;
      }
    }
    if (plan) snap.invoice = match_invoice(impl, *plan);
  }
  const MatchDecision d = decide_match(snap);
  if (!d.pay) return to_suspense(impl, out, d.reason);
  PaymentResult paid;
  ledger.write("pay", [&] { return write_payment(ledger, r, std::move(*plan), paid); });
  out.status = ImportStatus::recorded;
  out.payment_id = paid.payment.id;
  out.invoice = paid.payment.invoice;
  out.fee_invoice = paid.payment.fee_invoice;
  out.to_credit = paid.to_credit;
}

// The journal payload of an import, written piece by piece as the lines are
// recorded: a statement of 100k lines would otherwise hold a JSON tree of
// every line, or every line, in memory.
class ImportEvent {
 public:
  void add(const ImportedLine& l) {
    ++lines_;
    if (l.status == ImportStatus::duplicate) ++duplicates_;
    if (l.status == ImportStatus::recorded) {
      if (!payments_.empty()) payments_ += ',';
      payments_ += std::to_string(l.payment_id);
    }
    if (l.status == ImportStatus::suspense) {
      if (!suspense_.empty()) suspense_ += ',';
      suspense_ += nlohmann::json{{"line", l.source.line},
                                  {"date", format_date(l.source.date)},
                                  {"amount", format_amount(l.source.amount)},
                                  {"reference", l.source.reference},
                                  {"label", l.source.label},
                                  {"method", to_string(l.source.method)},
                                  {"reason", l.reason}}
                       .dump();
    }
  }
  std::size_t lines() const { return lines_; }
  std::size_t duplicates() const { return duplicates_; }
  // The payload; consumes the lists: the suspense list, the bulk of it (200
  // bytes a line), becomes the payload in place, its head inserted before it.
  std::string json(std::string_view source) {
    std::string head = fmt::format(R"({{"duplicates":{},"lines":{},"payments":[)", duplicates_, lines_);
    head += payments_;
    std::string().swap(payments_);
    head += R"(],"source":)";
    head += nlohmann::json(std::string(source)).dump();
    head += R"(,"suspense":[)";
    std::string out = std::move(suspense_);
    if (out.capacity() < out.size() + head.size() + 2) out.reserve(out.size() + head.size() + 2);
    out.insert(0, head);
    out += "]}";
    return out;
  }

 private:
  std::size_t lines_ = 0;
  std::size_t duplicates_ = 0;
  std::string payments_;
  std::string suspense_;
};

// Thrown out of the write when lines are malformed: nothing is written.
struct Rejected {};

}  // namespace

std::size_t ImportResult::count(ImportStatus s) const {
  std::size_t n = 0;
  for (const auto& l : lines) n += l.status == s ? 1 : 0;
  return n;
}

ImportResult import_payments(Ledger& ledger, std::string_view csv, std::string_view source, Date today,
                             const ImportProgress& progress) {
  return import_payments(ledger, parse_statement(csv, today), source, today, progress);
}

ImportResult import_payments(Ledger& ledger, BankStatement st, std::string_view source, Date today,
                             const ImportProgress& progress) {
  ImportResult result;
  if (!st.errors.empty()) {
    result.rejected = std::move(st.errors);
    return result;
  }
  result.lines.reserve(st.lines.size());  // exactly: no doubling of 100k lines
  const std::size_t total = st.lines.size();
  const StatementFeed feed = [&](const BankLineSink& line, const CsvErrorSink&) {
    for (auto& l : st.lines) line(std::move(l));
    std::vector<BankLine>().swap(st.lines);
  };
  import_stream(ledger, feed, source, today, [&](ImportedLine&& l) {
    result.lines.push_back(std::move(l));
    if (progress) progress(result.lines.size(), total);
  });
  return result;
}

ImportTotals import_stream(Ledger& ledger, const StatementFeed& feed, std::string_view source, Date today,
                           const ImportedSink& done) {
  ImportTotals totals;
  const ImportSettings settings(impl_of(ledger).db);
  try {
    ledger.write("import.payments", [&] {
      totals = ImportTotals{};
      Ledger::Impl& impl = impl_of(ledger);
      const auto locked = locked_through(ledger);
      std::vector<LineError> conflicts, in_locked;
      ImportEvent event;
      // The first error recording a line: thrown once the whole statement has
      // been read, after its malformed lines (what a file is refused for
      // first does not depend on where the reading stopped).
      std::exception_ptr failure;
      const auto on_line = [&](BankLine&& l) {
        if (!totals.rejected.empty() || failure) return;  // nothing more is recorded: the rest is only read
        ImportedLine out{std::move(l), ImportStatus::suspense, 0, "", "", 0, ""};
        try {
          if (!known(impl, out.source, out, conflicts)) {
            if (locked && format_month(out.source.date) <= *locked)
              in_locked.push_back({out.source.line, fmt::format("dated {}", format_date(out.source.date))});
            else
              record(ledger, out, today);
          }
        } catch (...) {
          failure = std::current_exception();
          return;
        }
        std::vector<std::string>().swap(out.source.invoices);  // done with: `invoice` names the one paid
        event.add(out);
        ++totals.lines;
        switch (out.status) {
          case ImportStatus::recorded:
            ++totals.recorded;
            totals.recorded_total += out.source.amount;
            break;
          case ImportStatus::duplicate: ++totals.duplicates; break;
          case ImportStatus::suspense: ++totals.suspense; break;
        }
        if (done) done(std::move(out));
      };
      feed(on_line, [&](LineError&& e) { totals.rejected.push_back(std::move(e)); });
      if (!totals.rejected.empty()) throw Rejected{};
      if (failure) std::rethrow_exception(failure);
      if (!conflicts.empty())
        throw conflict("{}: {} line(s) reuse a known reference with other details (P4), nothing recorded: {}", source,
                       conflicts.size(), list_lines(conflicts));
      if (!in_locked.empty()) check_import_open(source, in_locked.size(), *locked, list_lines(in_locked));
      if (event.duplicates() == event.lines()) throw NothingNew{};
      return event.json(source);
    });
  } catch (const NothingNew&) {
    // Every line was already recorded: nothing written (idempotent).
  } catch (const Rejected&) {
    std::stable_sort(totals.rejected.begin(), totals.rejected.end(),
                     [](const LineError& a, const LineError& b) { return a.line < b.line; });
  }
  return totals;
}

}  // namespace tally
