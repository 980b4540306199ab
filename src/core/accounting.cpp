// A1, A2: balanced entries from documents and payments, the FEC and hledger
// writers, opening balances and the VAT share of a receipt. No I/O.
#include "tally/accounting.hpp"

#include <algorithm>
#include <map>

#include <fmt/format.h>

#include "tally/errors.hpp"

namespace tally {
namespace {

Posting debit(Account a, Cents amount) {
  Posting p;
  p.account = a;
  p.debit = amount;
  return p;
}

Posting credit(Account a, Cents amount) {
  Posting p;
  p.account = a;
  p.credit = amount;
  return p;
}

// Appends p unless it is 0.00 (both sides).
void push(Entry& e, Posting p) {
  if (p.debit == 0 && p.credit == 0) return;
  e.postings.push_back(std::move(p));
}

Posting customer_posting(Posting p, const std::string& code, const std::string& name) {
  p.customer = code;
  p.customer_name = name;
  return p;
}

// Swaps debit and credit (a credit note, a reversal).
void reverse(std::vector<Posting>& postings) {
  for (auto& p : postings) std::swap(p.debit, p.credit);
}

std::string_view method_label(Method m) {
  switch (m) {
    case Method::transfer: return "virement";
    case Method::card: return "carte";
    case Method::sepa: return "prélèvement SEPA";
    case Method::other: return "autre moyen";
    case Method::credit: return "avoir client";
  }
  return "";
}

// "20", "5.5", "2.1": a rate as a short account segment.
std::string rate_segment(Rate r) {
  std::string s = format_rate(r);  // "20.00"
  while (s.back() == '0') s.pop_back();
  if (s.back() == '.') s.pop_back();
  return s;
}

// "20,00 %"
std::string rate_fr(Rate r) {
  std::string s = format_rate(r);
  std::replace(s.begin(), s.end(), '.', ',');
  return s + " %";
}

}  // namespace

std::string_view journal_code(Journal j) {
  switch (j) {
    case Journal::sales: return "VE";
    case Journal::bank: return "BQ";
    case Journal::misc: return "OD";
    case Journal::opening: return "AN";
  }
  return "";
}

std::string_view journal_label(Journal j) {
  switch (j) {
    case Journal::sales: return "Ventes";
    case Journal::bank: return "Banque";
    case Journal::misc: return "Opérations diverses";
    case Journal::opening: return "À-nouveaux";
  }
  return "";
}

Cents Entry::debit() const {
  Cents s = 0;
  for (const auto& p : postings) s += p.debit;
  return s;
}

Cents Entry::credit() const {
  Cents s = 0;
  for (const auto& p : postings) s += p.credit;
  return s;
}

Entry document_entry(const DocumentFacts& d) {
  Entry e;
  e.journal = Journal::sales;
  e.date = d.issue_date;
  e.piece = d.number;
  e.piece_date = d.issue_date;
  e.label = d.credit_note ? fmt::format("Avoir {} sur {} {}", d.number, d.cites, d.customer)
                          : fmt::format("Facture {} {} {}", d.number, to_string(d.kind), d.customer);
  // HT by account (and kind), VAT per rate on the HT of the rate (M2, M3).
  std::map<Account, Cents> ht;
  std::map<std::int64_t, Cents> ht_by_rate;
  for (const auto& l : d.lines) {
    Account a = Account::revenue;
    if (d.kind == InvoiceKind::penalty) a = l.rule == "L5" ? Account::indemnity : Account::interest;
    ht[a] += l.amount_ht;
    ht_by_rate[l.vat_rate.bp] += l.amount_ht;
  }
  Cents total = 0;
  for (const auto& [a, amount] : ht) {
    Posting p = credit(a, amount);
    p.kind = d.kind;
    push(e, p);
    total += amount;
  }
  // K3: a credit note completing its invoice carries the VAT left, which may
  // differ from M3's by a cent: the stored total says which (stored_totals).
  // Anything more is a document whose lines do not add up (refused below).
  std::vector<VatBucket> buckets;
  Cents m3_ttc = 0, m3_vat = 0;
  for (const auto& [bp, amount] : ht_by_rate) {
    buckets.push_back(VatBucket{Rate{bp}, amount, apply_rate(amount, Rate{bp})});
    m3_vat += buckets.back().vat;
    m3_ttc += amount + buckets.back().vat;
  }
  const Cents rounding = d.total_ttc - m3_ttc;
  const auto rates = static_cast<Cents>(buckets.size());
  if (d.credit_note && rounding != 0 && rounding <= rates && -rounding <= rates)
    apply_stored_vat(buckets, m3_vat + rounding);
  for (const auto& b : buckets) {
    Posting p = credit(Account::vat, b.vat);
    p.vat_rate = b.rate;
    push(e, p);
    total += p.credit;
  }
  if (total != d.total_ttc)
    throw Error(ExitCode::internal, fmt::format("document {}: its lines add up to {} incl. VAT, not its total {}",
                                                d.number, format_amount(total), format_amount(d.total_ttc)));
  if (!d.credit_note) {
    e.postings.insert(e.postings.begin(),
                      customer_posting(debit(Account::receivable, d.total_ttc), d.customer, d.customer_name));
    return e;
  }
  if (d.applied < 0 || d.applied > d.total_ttc)
    throw Error(ExitCode::internal, fmt::format("credit note {}: applied {} is not within its total {}", d.number,
                                                format_amount(d.applied), format_amount(d.total_ttc)));
  reverse(e.postings);
  push(e, customer_posting(credit(Account::receivable, d.applied), d.customer, d.customer_name));
  push(e, customer_posting(credit(Account::customer_credit, d.total_ttc - d.applied), d.customer, d.customer_name));
  return e;
}

Entry payment_entry(const PaymentFacts& p) {
  if (p.allocated < 0 || p.allocated > p.amount)
    throw Error(ExitCode::internal, fmt::format("payment {}: it settled {}, more than its amount {}", p.id,
                                                format_amount(p.allocated), format_amount(p.amount)));
  Entry e;
  e.date = p.date;
  e.piece = fmt::format("P{}", p.id);
  e.piece_date = p.date;
  const std::string ref = p.ref.empty() ? "" : " réf. " + p.ref;
  if (p.method == Method::credit) {
    e.journal = Journal::misc;
    e.label = fmt::format("Imputation avoir client {} sur {}", p.customer, p.invoice);
    push(e, customer_posting(debit(Account::customer_credit, p.amount), p.customer, p.customer_name));
    push(e, customer_posting(credit(Account::receivable, p.allocated), p.customer, p.customer_name));
    // Credit only settles what is owed (P3): allocated is the amount; anything
    // else goes back to the customer's credit.
    push(e, customer_posting(credit(Account::customer_credit, p.amount - p.allocated), p.customer, p.customer_name));
    return e;
  }
  e.journal = Journal::bank;
  e.label = fmt::format("Règlement {} {} {}{}", p.invoice, p.customer, method_label(p.method), ref);
  push(e, debit(Account::bank, p.amount));
  push(e, customer_posting(credit(Account::receivable, p.allocated), p.customer, p.customer_name));
  push(e, customer_posting(credit(Account::customer_credit, p.amount - p.allocated), p.customer, p.customer_name));
  return e;
}

Entry reversal_entry(const PaymentFacts& p) {
  Entry e = payment_entry(p);
  e.date = *p.reversed_on;
  e.label = "Rejet " + e.label;
  reverse(e.postings);
  return e;
}

std::string account_number(const Posting& p, const Policy& policy) {
  switch (p.account) {
    case Account::receivable: return policy.account_customer;
    case Account::customer_credit: return policy.account_customer_credit;
    case Account::revenue: return policy.account_revenue;
    case Account::vat: return fmt::format("{}{:04}", policy.account_vat, p.vat_rate.bp);
    case Account::bank: return policy.account_bank;
    case Account::interest: return policy.account_interest;
    case Account::indemnity: return policy.account_indemnity;
    case Account::retained: return policy.account_retained;
  }
  return "";
}

std::string account_label(const Posting& p) {
  switch (p.account) {
    case Account::receivable: return "Clients";
    case Account::customer_credit: return "Clients - avances et avoirs";
    case Account::revenue: return "Prestations de services";
    case Account::vat: return "TVA collectée " + rate_fr(p.vat_rate);
    case Account::bank: return "Banque";
    case Account::interest: return "Intérêts de retard";
    case Account::indemnity: return "Indemnités forfaitaires de recouvrement";
    case Account::retained: return "Report à nouveau";
  }
  return "";
}

std::string fec_date(Date d) {
  const date::year_month_day ymd{d};
  return fmt::format("{:04}{:02}{:02}", static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()),
                     static_cast<unsigned>(ymd.day()));
}

std::string fec_amount(Cents c) {
  std::string s = format_amount(c);
  std::replace(s.begin(), s.end(), '.', ',');
  return s;
}

std::string fec_text(std::string_view s, std::string_view empty) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    if (c == '|') out += '/';
    else if (c == '\t' || c == '\r' || c == '\n') out += ' ';
    else out += c;
  }
  const auto first = out.find_first_not_of(' ');
  if (first == std::string::npos) return std::string(empty);
  out.erase(0, first);
  out.erase(out.find_last_not_of(' ') + 1);
  return out;
}

std::string to_latin9(std::string_view in) {
  std::string out;
  out.reserve(in.size());
  std::size_t i = 0;
  while (i < in.size()) {
    const auto b = static_cast<unsigned char>(in[i]);
    std::uint32_t cp = 0;
    std::size_t len = 0;
    if (b < 0x80) cp = b, len = 1;
    else if ((b & 0xE0) == 0xC0) cp = b & 0x1F, len = 2;
    else if ((b & 0xF0) == 0xE0) cp = b & 0x0F, len = 3;
    else if ((b & 0xF8) == 0xF0) cp = b & 0x07, len = 4;
    bool valid = len > 0 && i + len <= in.size();
    for (std::size_t k = 1; valid && k < len; ++k) {
      const auto c = static_cast<unsigned char>(in[i + k]);
      if ((c & 0xC0) != 0x80) valid = false;
      cp = (cp << 6) | (c & 0x3F);
    }
    if (!valid) {
      out += '?';
      ++i;
      continue;
    }
    i += len;
    char c = '?';
    switch (cp) {  // where ISO 8859-15 differs from ISO 8859-1
      case 0x20AC: c = '\xA4'; break;
      case 0x0160: c = '\xA6'; break;
      case 0x0161: c = '\xA8'; break;
      case 0x017D: c = '\xB4'; break;
      case 0x017E: c = '\xB8'; break;
      case 0x0152: c = '\xBC'; break;
      case 0x0153: c = '\xBD'; break;
      case 0x0178: c = '\xBE'; break;
      case 0xA4: case 0xA6: case 0xA8: case 0xB4: case 0xB8: case 0xBC: case 0xBD: case 0xBE: break;
      default:
        if (cp < 0x100) c = static_cast<char>(cp);
    }
    out += c;
  }
  return out;
}

std::string fec_lines(const Entry& e, std::int64_t number, const Policy& policy) {
  std::string out;
  const std::string date = fec_date(e.date);
  const std::string head = fmt::format("{}|{}|{}|{}|", journal_code(e.journal), journal_label(e.journal), number, date);
  const std::string piece = fmt::format("{}|{}|{}|", fec_text(e.piece, "-"), fec_date(e.piece_date),
                                        fec_text(e.label, "/"));
  for (const auto& p : e.postings) {
    out += head;
    out += fmt::format("{}|{}|{}|{}|", account_number(p, policy), account_label(p), fec_text(p.customer),
                       fec_text(p.customer_name));
    out += piece;
    out += fmt::format("{}|{}|||{}||\r\n", fec_amount(p.debit), fec_amount(p.credit), date);
  }
  return out;
}

std::string ledger_account(const Posting& p) {
  switch (p.account) {
    case Account::receivable: return "assets:receivables:" + p.customer;
    case Account::customer_credit: return "liabilities:customer-credit:" + p.customer;
    case Account::revenue: return fmt::format("revenue:{}", to_string(p.kind));
    case Account::vat: return "liabilities:vat:" + rate_segment(p.vat_rate);
    case Account::bank: return "assets:bank";
    case Account::interest: return "revenue:penalties:interest";
    case Account::indemnity: return "revenue:penalties:indemnity";
    case Account::retained: return "equity:retained-earnings";
  }
  return "";
}

std::string ledger_transaction(const Entry& e) {
  // hledger reads ';' as a comment and "  " as the end of an account name:
  // the label is one line of text, its piece in parentheses.
  std::string label = fec_text(e.label, "/");
  std::replace(label.begin(), label.end(), ';', ',');
  std::string out = fmt::format("{} * ({}) {}\n", format_date(e.date), fec_text(e.piece, "-"), label);
  for (const auto& p : e.postings)
    out += fmt::format("    {:<50}  {:>14} EUR\n", ledger_account(p), format_amount(p.debit - p.credit));
  return out + "\n";
}

void OpeningBalances::add(const Entry& e) {
  for (const auto& p : e.postings) {
    Key k{p.account, 0, 0, p.customer};
    switch (p.account) {
      case Account::revenue:
      case Account::interest:
      case Account::indemnity:
        k = Key{Account::retained, 0, 0, ""};  // the result of the earlier periods
        break;
      case Account::vat: k.rate_bp = p.vat_rate.bp; break;
      default: break;
    }
    Balance& b = balances_[k];
    b.amount += p.debit - p.credit;
    if (!p.customer_name.empty()) b.customer_name = p.customer_name;
  }
}

std::optional<Entry> OpeningBalances::entry(Date date) const {
  Entry e;
  e.journal = Journal::opening;
  e.date = date;
  e.piece = "OUVERTURE";
  e.piece_date = date;
  e.label = fmt::format("Soldes au {}", format_date(date - date::days{1}));
  for (const auto& [k, b] : balances_) {
    if (b.amount == 0) continue;
    Posting p = b.amount > 0 ? debit(k.account, b.amount) : credit(k.account, -b.amount);
    p.vat_rate = Rate{k.rate_bp};
    p.customer = k.customer;
    p.customer_name = b.customer_name;
    e.postings.push_back(std::move(p));
  }
  if (e.postings.empty()) return std::nullopt;
  return e;
}

namespace {

// The shares of an amount x paid in all on a document (see vat_share).
std::vector<VatAmounts> shares_of(Cents x, const std::vector<const VatBucket*>& rates, Cents ttc) {
  std::vector<VatAmounts> out;
  Cents left = x;
  for (std::size_t i = 0; i < rates.size(); ++i) {
    const VatBucket& b = *rates[i];
    const Cents part = i + 1 == rates.size() ? left : mul_div_round(x, b.ht + b.vat, ttc);
    left -= part;
    const Cents vat = mul_div_round(x, b.vat, ttc);
    out.push_back(VatAmounts{b.rate, part - vat, vat});
  }
  return out;
}

}  // namespace

std::vector<VatAmounts> vat_share(Cents received, const std::vector<VatBucket>& by_rate, Cents ttc, Cents prior) {
  std::vector<const VatBucket*> rates;
  for (const auto& b : by_rate)
    if (b.ht != 0) rates.push_back(&b);
  // A reversal undoes its payment's share: the same difference, negated.
  const bool back = received < 0;
  const Cents amount = back ? -received : received;
  std::vector<VatAmounts> out = shares_of(prior + amount, rates, ttc);
  const std::vector<VatAmounts> before = shares_of(prior, rates, ttc);
  for (std::size_t i = 0; i < out.size(); ++i) {
    out[i].base = (out[i].base - before[i].base) * (back ? -1 : 1);
    out[i].vat = (out[i].vat - before[i].vat) * (back ? -1 : 1);
  }
  return out;
}

void add_vat(std::vector<VatAmounts>& into, const VatAmounts& a) {
  auto it = std::lower_bound(into.begin(), into.end(), a.rate,
                             [](const VatAmounts& x, Rate r) { return x.rate < r; });
  if (it == into.end() || it->rate != a.rate) it = into.insert(it, VatAmounts{a.rate, 0, 0});
  it->base += a.base;
  it->vat += a.vat;
}

std::string_view ca3_line(Rate rate) {
  if (rate == percent(20)) return "08";
  if (rate == percent(10)) return "9B";
  if (rate == Rate{550}) return "09";
  return "";
}

}  // namespace tally
