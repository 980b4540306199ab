// E2: the seller's identity, versioned by effective date like the policy; the
// customers' identity on documents. Each change is one journaled write.
#include <algorithm>

#include <nlohmann/json.hpp>

#include "ledger/impl.hpp"
#include "tally/errors.hpp"
#include "tally/identifiers.hpp"

namespace tally {

// ---- Seller ----

std::vector<SellerVersion> seller_versions(Ledger& ledger) {
  Ledger::Impl& impl = impl_of(ledger);
  std::vector<SellerVersion> out;
  auto& q = impl.stmt("SELECT key, value, effective FROM seller ORDER BY effective, id");
  const int key = q.getColumnIndex("key"), value = q.getColumnIndex("value"), effective = q.getColumnIndex("effective");
  while (q.executeStep())
    out.push_back({q.getColumn(key).getString(), q.getColumn(value).getString(),
                   parse_date(q.getColumn(effective).getString())});
  q.reset();
  return out;
}

SellerIdentity seller_at(Ledger& ledger, Date d) {
  SellerIdentity s = seed_seller();
  for (const auto& v : seller_versions(ledger)) {
    if (v.effective > d) break;  // ordered by effective date
    seller_param(v.key).set(s, v.value);
  }
  return s;
}

void set_seller(Ledger& ledger, std::string_view key, std::string_view value, Date effective) {
  Ledger::Impl& impl = impl_of(ledger);
  const SellerParam& param = seller_param(key);
  SellerIdentity probe;
  param.set(probe, value);  // E4 checks; throws Error(usage)
  const std::string canonical = param.get(probe);
  {
    // The same value again for that date: nothing to do (exit 0, no event).
    auto& same = impl.stmt("SELECT 1 FROM seller WHERE key = ? AND effective = ? AND value = ?");
    same.bind(1, std::string(key));
    same.bind(2, db_date(effective));
    same.bind(3, canonical);
    const bool exists = same.executeStep();
    same.reset();
    if (exists) return;
  }
  ledger.write("seller.set", [&] {
    impl.check_open_period(effective, "seller identity change");
    auto& dup = impl.stmt("SELECT value FROM seller WHERE key = ? AND effective = ?");
    dup.bind(1, std::string(key));
    dup.bind(2, db_date(effective));
    if (dup.executeStep()) {
      const std::string other = dup.getColumn("value").getString();
      dup.reset();
      throw conflict("seller key '{}' already has a version effective {} (value '{}')", key, format_date(effective),
                     other);
    }
    dup.reset();
    auto& ins = impl.stmt("INSERT INTO seller(key, value, effective) VALUES (?, ?, ?)");
    ins.bind(1, std::string(key));
    ins.bind(2, canonical);
    ins.bind(3, db_date(effective));
    ins.exec();
    return nlohmann::json{{"key", key}, {"value", canonical}, {"effective", format_date(effective)}}.dump();
  });
}

// ---- Customer identity ----

namespace {

// The column of each key of customer_params() (billing_email is the customer's e-mail).
const char* customer_column(std::string_view key) {
  static const std::pair<std::string_view, const char*> columns[] = {
      {"legal_name", "legal_name"}, {"street", "street"},         {"postcode", "postcode"},
      {"city", "city"},             {"country", "country"},       {"siren", "siren"},
      {"vat_number", "vat_number"}, {"billing_email", "email"},   {"iban", "iban"},
  };
  for (const auto& [k, column] : columns)
    if (k == key) return column;
  throw Error(ExitCode::internal, fmt::format("customer key '{}' has no column", key));
}

}  // namespace

BuyerIdentity customer_identity(Ledger& ledger, std::string_view code) {
  Ledger::Impl& impl = impl_of(ledger);
  auto& q = impl.stmt(
      "SELECT name, legal_name, street, postcode, city, country, siren, vat_number, email, iban "
      "FROM customer WHERE code = ?");
  q.bind(1, std::string(code));
  if (!q.executeStep()) {
    q.reset();
    throw not_found("unknown customer '{}'", code).with(Hint::customer_list);
  }
  BuyerIdentity b;
  b.legal_name = q.getColumn("legal_name").getString();
  if (b.legal_name.empty()) b.legal_name = q.getColumn("name").getString();
  b.address.street = q.getColumn("street").getString();
  b.address.postcode = q.getColumn("postcode").getString();
  b.address.city = q.getColumn("city").getString();
  b.address.country = q.getColumn("country").getString();
  b.siren = q.getColumn("siren").getString();
  b.vat_number = q.getColumn("vat_number").getString();
  b.email = q.getColumn("email").getString();
  b.iban = q.getColumn("iban").getString();
  q.reset();
  return b;
}

BuyerIdentity set_customer(Ledger& ledger, std::string_view code, std::string_view key, std::string_view value) {
  Ledger::Impl& impl = impl_of(ledger);
  const CustomerParam& param = customer_param(key);
  BuyerIdentity probe;
  param.set(probe, value);  // E4 checks; throws Error(usage)
  const std::string canonical = param.get(probe);
  const char* column = customer_column(key);
  BuyerIdentity after;
  ledger.write("customer.set", [&] {
    const BuyerIdentity before = customer_identity(ledger, code);
    auto& up = impl.stmt(fmt::format("UPDATE customer SET {} = ? WHERE code = ?", column));
    up.bind(1, canonical);
    up.bind(2, std::string(code));
    up.exec();
    after = customer_identity(ledger, code);
    return nlohmann::json{{"customer", code}, {"key", key}, {"value", canonical}, {"before", param.get(before)}}
        .dump();
  });
  return after;  // also under --dry-run: what it would be
}

std::vector<std::string> customer_ibans(Ledger& ledger, std::string_view code) {
  Ledger::Impl& impl = impl_of(ledger);
  const BuyerIdentity b = customer_identity(ledger, code);
  std::vector<std::string> out;
  if (!b.iban.empty()) out.push_back(b.iban);
  auto& q = impl.stmt(
      "SELECT k.iban AS iban FROM customer_iban k JOIN customer c ON c.id = k.customer_id WHERE c.code = ? "
      "ORDER BY k.id");
  q.bind(1, std::string(code));
  while (q.executeStep())
    if (std::string iban = q.getColumn("iban").getString(); std::find(out.begin(), out.end(), iban) == out.end())
      out.push_back(std::move(iban));
  q.reset();
  return out;
}

bool set_customer_iban(Ledger& ledger, std::string_view code, std::string_view iban, bool remove, Date today) {
  Ledger::Impl& impl = impl_of(ledger);
  const std::string canonical = check_iban(iban);  // E4; throws Error(usage)
  bool changed = false;
  const std::int64_t customer = impl.customer_id(code);  // throws not_found
  auto& q = impl.stmt("SELECT id FROM customer_iban WHERE customer_id = ? AND iban = ?");
  q.bind(1, customer);
  q.bind(2, canonical);
  const bool known = q.executeStep();
  q.reset();
  if (known != remove) return false;  // nothing to add or remove: no event
  ledger.write(remove ? "customer.iban.remove" : "customer.iban.add", [&] {
    auto& w = impl.stmt(remove ? "DELETE FROM customer_iban WHERE customer_id = ? AND iban = ?"
                                 : "INSERT OR IGNORE INTO customer_iban(customer_id, iban, added) VALUES (?, ?, ?)");
    w.bind(1, customer);
    w.bind(2, canonical);
    if (!remove) w.bind(3, db_date(today));
    changed = w.exec() > 0;
    return nlohmann::json{{"customer", code}, {"iban", canonical}, {"action", remove ? "remove" : "add"}}.dump();
  });
  return changed;
}

}  // namespace tally
