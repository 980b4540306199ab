// tally customer add | list | show | set | iban
#include <algorithm>

#include <fmt/ranges.h>

#include "cli/options.hpp"
#include "cli/views.hpp"
#include "tally/errors.hpp"

namespace tally::cli {
namespace {

// The customer's identity on documents (E1), key by key.
Json identity_json(const BuyerIdentity& b) {
  Json j = Json::object();
  for (const auto& p : customer_params()) j[std::string(p.key)] = p.get(b);
  j["reverse_charge"] = reverse_charge_applies(b);
  return j;
}

struct AddOpts {
  std::string code, name, email;
  std::optional<std::string> vat_rate, terms;
  // The identity on documents (E1), keys of customer_params(): option value.
  std::vector<std::pair<std::string, std::optional<std::string>>> identity = {
      {"legal_name", {}}, {"street", {}}, {"postcode", {}},   {"city", {}},
      {"country", {}},    {"siren", {}},  {"vat_number", {}}, {"iban", {}}};
};

// The intra-EU reverse charge of E1 applies to a customer billed at 0 %.
bool reverse_charged(const BuyerIdentity& b, Rate vat_rate) { return vat_rate.bp == 0 && reverse_charge_applies(b); }

Output run_add(Context& ctx, const AddOpts& o) {
  Ledger& ledger = ctx.ledger();
  const Date today = ctx.as_of();
  const Policy policy = policy_at(ledger, today);
  Customer c;
  c.code = o.code;
  c.name = o.name;
  c.email = o.email;
  c.vat_rate = o.vat_rate ? parse_rate(*o.vat_rate) : policy.vat_rate;
  c.terms_days = o.terms ? static_cast<int>(parse_count(*o.terms, "--terms (days)", 100000)) : policy.payment_terms_days;
  // E4: every identifier is checked before the ledger is touched, so a wrong
  // one adds no customer.
  BuyerIdentity probe;
  for (const auto& [key, value] : o.identity)
    if (value) customer_param(key).set(probe, *value);
  BuyerIdentity identity;
  ledger.transaction([&] {
    c = add_customer(ledger, c, today);
    identity = customer_identity(ledger, c.code);
    for (const auto& [key, value] : o.identity)
      if (value) identity = set_customer(ledger, c.code, key, *value);
  });
  Output out;
  out.json = Json{{"customer", to_json(c)}, {"identity", identity_json(identity)}};
  out.lines.push_back(fmt::format("Customer {} added: VAT {} %, terms {} days", c.code, format_rate(c.vat_rate),
                                  c.terms_days));
  if (reverse_charged(identity, c.vat_rate))
    out.lines.push_back("Intra-EU customer with a VAT number at 0 %: its documents carry the reverse-charge mention "
                        "\"Autoliquidation\" (E1)");
  return out;
}

Table customer_table(const std::vector<Customer>& cs) {
  Table t{"", {"code", "name", "email", "vat_rate", "terms_days", "created"}, {}};
  for (const auto& c : cs)
    t.rows.push_back({c.code, c.name, c.email, format_rate(c.vat_rate), std::to_string(c.terms_days),
                      format_date(c.created)});
  return t;
}

struct ShowOpts {
  std::string code;
};

Output run_show(Context& ctx, const ShowOpts& o) {
  Ledger& ledger = ctx.reader();
  const Date d = ctx.as_of();
  const Customer c = find_customer(ledger, o.code);
  const auto subs = list_subscriptions(ledger, c.code);
  InvoiceFilter f;
  f.customer = c.code;
  const auto invoices = list_invoices(ledger, f, d);
  Cents balance = 0;
  for (const auto& i : invoices) balance += i.balance;
  const Cents credit = customer_credit(ledger, c.code, d);
  Output out;
  Json j = to_json(c);
  j["balance"] = amount(balance);
  j["credit"] = amount(credit);
  j["subscriptions"] = Json::array();
  for (const auto& s : subs) j["subscriptions"].push_back(to_json(s));
  j["invoices"] = Json::array();
  for (const auto& i : invoices) j["invoices"].push_back(to_json(i));
  j["identity"] = identity_json(customer_identity(ledger, c.code));
  j["payer_ibans"] = customer_ibans(ledger, c.code);
  out.json = Json{{"as_of", format_date(d)}, {"customer", j}};
  out.tables.push_back(customer_table({c}));
  Table st{"Subscriptions", {"id", "amount_ht", "cycle", "start", "commitment", "notice", "end_date"}, {}};
  for (const auto& s : subs)
    st.rows.push_back({std::to_string(s.id), format_amount(s.amount_ht), std::string(to_string(s.cycle)),
                       format_date(s.start), std::to_string(s.commitment_months), std::to_string(s.notice_months),
                       s.end_date ? format_date(*s.end_date) : ""});
  out.tables.push_back(st);
  out.tables.push_back(invoice_table(invoices, "Invoices"));
  out.lines.push_back(fmt::format("Balance due: {}   Credit: {}   (as of {})", format_amount(balance),
                                  format_amount(credit), format_date(d)));
  return out;
}

struct SetOpts {
  std::string code, key;
  std::optional<std::string> value;
  bool clear = false;
};

Output run_set(Context& ctx, const SetOpts& o) {
  // An empty VALUE is refused like every empty value (issue 17): clearing an
  // optional key is said with --clear.
  if (o.value.has_value() == o.clear)
    throw usage_error("customer set {} {}: give either a VALUE or --clear (to clear an optional key)", o.code, o.key);
  const BuyerIdentity b = set_customer(ctx.ledger(), o.code, o.key, o.value.value_or(""));
  const std::string value = customer_param(o.key).get(b);
  Output out;
  out.json = Json{{"customer", o.code}, {"key", o.key}, {"value", value}, {"identity", identity_json(b)}};
  out.lines.push_back(fmt::format("Customer {}: {} = {}", o.code, o.key, value));
  if (reverse_charged(b, find_customer(ctx.ledger(), o.code).vat_rate))
    out.lines.push_back("Intra-EU customer with a VAT number at 0 %: its documents carry the reverse-charge mention "
                        "\"Autoliquidation\" (E1)");
  return out;
}

struct IbanOpts {
  std::string code;
  std::vector<std::string> ibans;
  bool remove = false;
};

// B2: the IBANs a customer pays from, added or removed.
Output run_iban(Context& ctx, const IbanOpts& o) {
  Ledger& ledger = ctx.ledger();
  std::vector<std::string> changed;
  // One write: all the IBANs or none (a bad one refuses the command before any).
  ledger.transaction([&] {
    for (const auto& iban : o.ibans)
      if (set_customer_iban(ledger, o.code, iban, o.remove, ctx.as_of())) changed.push_back(iban);
  });
  const auto known = customer_ibans(ledger, o.code);
  Output out;
  out.json = Json{{"customer", o.code}, {o.remove ? "removed" : "added", changed}, {"ibans", known}};
  out.lines.push_back(fmt::format("Customer {}: {} IBAN(s) {}; known payer IBANs (B2): {}", o.code, changed.size(),
                                  o.remove ? "removed" : "added", known.empty() ? "none" : fmt::format("{}", fmt::join(known, ", "))));
  return out;
}

}  // namespace

void setup_customer(CLI::App& cmd, Context& ctx, Action& action) {
  cmd.require_subcommand(1);

  auto add_opts = std::make_shared<AddOpts>();
  auto* add = cmd.add_subcommand("add", "add a customer");
  add->add_option("CODE", add_opts->code, "customer code: lowercase letters, digits, '-'")->required();
  add->add_option("--name", add_opts->name, "legal name")->required();
  add->add_option("--email,--billing-email", add_opts->email, "billing e-mail");
  for (auto& [key, value] : add_opts->identity) {
    std::string flag = "--" + key;
    std::replace(flag.begin(), flag.end(), '_', '-');
    const CustomerParam& param = customer_param(key);
    add->add_option(flag, value, fmt::format("{} (E4: {})", param.description, param.accepted));
  }
  add->add_option("--vat-rate", add_opts->vat_rate, "VAT rate in % (default the policy's, M2; 0 for reverse charge)");
  add->add_option("--terms", add_opts->terms, "payment terms in days (default 30, at most 60: I4)");
  example(add, "tally customer add acme --name 'ACME SAS' --email billing@acme.test --terms 45 "
               "--siren 552120222 --vat-number FR27552120222 --street '1 rue de la Paix' --postcode 75002 --city Paris");
  on_parse(add, ctx, action, add_opts, run_add);

  auto* list = cmd.add_subcommand("list", "list customers");
  example(list, "tally customer list --format csv");
  on_parse(list, ctx, action, std::make_shared<int>(0), [](Context& ctx, const int&) {
    const auto cs = list_customers(ctx.reader());
    Output out;
    out.json = Json{{"customers", Json::array()}};
    for (const auto& c : cs) out.json["customers"].push_back(to_json(c));
    out.tables.push_back(customer_table(cs));
    return out;
  });

  auto show_opts = std::make_shared<ShowOpts>();
  auto* show = cmd.add_subcommand("show", "a customer with subscriptions, invoices, balance and credit");
  show->add_option("CODE", show_opts->code, "customer code")->required();
  example(show, "tally customer show acme");
  on_parse(show, ctx, action, show_opts, run_show);

  auto set_opts = std::make_shared<SetOpts>();
  auto* set = cmd.add_subcommand("set", "set one key of the customer's identity on documents");
  set->add_option("CODE", set_opts->code, "customer code")->required();
  std::vector<std::string> keys;
  for (const auto& p : customer_params()) keys.emplace_back(p.key);
  offer(set->add_option("KEY", set_opts->key, "the key (checked by customer set itself: E4)")->required(), keys);
  set->add_option("VALUE", set_opts->value, "new value (identifiers are checked: E4)");
  set->add_flag("--clear", set_opts->clear, "clear an optional key instead of giving a VALUE");
  example(set, "tally customer set acme vat_number FR27552120222");
  on_parse(set, ctx, action, set_opts, run_set);

  auto iban_opts = std::make_shared<IbanOpts>();
  auto* iban = cmd.add_subcommand("iban", "add (or --remove) IBANs the customer pays from, to recognise its transfers (B2)");
  iban->add_option("CODE", iban_opts->code, "customer code")->required();
  iban->add_option("IBAN", iban_opts->ibans, "one or more IBANs (E4: checked; spaces allowed)")->required();
  iban->add_flag("--remove", iban_opts->remove, "remove them instead (the document IBAN is 'customer set CODE iban')");
  example(iban, "tally customer iban acme 'FR76 3000 6000 0112 3456 7890 189'");
  on_parse(iban, ctx, action, iban_opts, run_iban);
}

}  // namespace tally::cli
