// I2, I3: chronological numbering and the bounds of a credit note.
#include "tally/invoicing.hpp"

#include <algorithm>

#include "tally/errors.hpp"

namespace tally {

void check_chronology(bool credit_note, Date issue, std::optional<Date> last_issued, Date business_date) {
  const char* what = credit_note ? "credit note" : "invoice";
  if (issue > business_date)
    throw refused("I2", "{} dated {} refused: after the business date {} (documents are issued on or before it)",
                  what, format_date(issue), format_date(business_date));
  if (last_issued && issue < *last_issued)
    throw refused("I2", "{} dated {} refused: the last {} of {} was issued on {} (numbers follow the dates: {} or "
                  "later)",
                  what, format_date(issue), what, year_of(issue), format_date(*last_issued),
                  format_date(*last_issued));
}

Date chronological_date(Date wanted, std::optional<Date> last_issued) {
  return last_issued && *last_issued > wanted ? *last_issued : wanted;
}

namespace {

// The invoice's balance on `from` and on each later day a move changes it, in
// date order: the balance before the later moves is `balance` minus them.
std::vector<Settlement> balance_steps(Cents balance, std::vector<BalanceMove> later, Date from) {
  std::sort(later.begin(), later.end(), [](const BalanceMove& a, const BalanceMove& b) { return a.date < b.date; });
  Cents b = balance;
  for (const auto& m : later) b -= m.delta;
  std::vector<Settlement> steps{{from, b}};
  for (const auto& m : later) {
    b += m.delta;
    if (steps.back().date == m.date) steps.back().amount = b;
    else steps.push_back({m.date, b});
  }
  return steps;
}

}  // namespace

std::vector<Settlement> settlement_schedule(Cents balance, const std::vector<BalanceMove>& later, Date from,
                                            Cents amount) {
  std::vector<Settlement> steps = balance_steps(balance, later, from);
  // The lowest balance from each step on: what may be settled by then.
  Cents low = steps.back().amount;
  for (auto it = steps.rbegin(); it != steps.rend(); ++it) low = it->amount = std::min(low, it->amount);
  std::vector<Settlement> out;
  Cents settled = 0;
  for (const auto& s : steps) {
    const Cents now = std::min(std::max<Cents>(s.amount, 0), amount);
    if (now > settled) out.push_back({s.date, now - settled});
    settled = std::max(settled, now);
  }
  return out;
}

Cents lowest_balance_ahead(Cents balance, const std::vector<BalanceMove>& later, Date from) {
  Cents low = balance;
  for (const auto& s : balance_steps(balance, later, from)) low = std::min(low, s.amount);
  return std::max<Cents>(low, 0);
}

namespace {

// K3: when the note's lines credit all the HT left at every rate, its TTC is
// all the TTC left: the VAT differs from M3's by what the rounding of earlier
// notes left over, at most a cent per rate. 0 otherwise (and for a remainder
// that is not such a rounding cent, which the TTC bound then judges).
Cents completing_vat_adjust(const CreditSnapshot& inv, const Totals& t) {
  for (const auto& [bp, left] : inv.uncredited_ht) {
    if (left <= 0) continue;
    const auto b =
        std::find_if(t.by_rate.begin(), t.by_rate.end(), [bp = bp](const VatBucket& v) { return v.rate.bp == bp; });
    if (b == t.by_rate.end() || b->ht != left) return 0;
  }
  const Cents adjust = inv.uncredited_ttc() - t.ttc;
  const auto rates = static_cast<Cents>(t.by_rate.size());
  if (adjust == 0 || adjust > rates || adjust < -rates || t.by_rate.back().vat + adjust < 0) return 0;
  return adjust;
}

}  // namespace

CreditDecision decide_credit(const CreditSnapshot& inv, const std::vector<InvoiceLine>& lines, Date date) {
  if (inv.credit_note) throw refused("I3", "'{}' is a credit note: only invoices can be credited", inv.number);
  if (date < inv.issue_date)
    throw refused("I3", "credit note dated {} refused: before the invoice's issue date {}", format_date(date),
                  format_date(inv.issue_date));
  Totals t = invoice_totals(lines);
  if (t.ttc <= 0) throw usage_error("a credit note must credit an amount above 0.00 (it credits {})",
                                    format_amount(t.ttc));
  for (const auto& b : t.by_rate) {
    const auto it = inv.uncredited_ht.find(b.rate.bp);
    const Cents left = it == inv.uncredited_ht.end() ? 0 : it->second;
    if (b.ht > left)
      throw refused("I3", "credit of {} HT at {} % VAT on {} refused: only {} HT at that rate is not yet credited",
                    format_amount(b.ht), format_rate(b.rate), inv.number, format_amount(std::max<Cents>(left, 0)));
  }
  CreditDecision d;
  d.vat_adjust = completing_vat_adjust(inv, t);
  t.ttc += d.vat_adjust;
  if (t.ttc > inv.uncredited_ttc())
    throw refused("I3", "credit of {} on {} refused: only {} of it is not yet credited", format_amount(t.ttc),
                  inv.number, format_amount(inv.uncredited_ttc()));
  d.ttc = t.ttc;
  d.applied = std::clamp<Cents>(inv.balance, 0, t.ttc);
  d.to_customer_credit = t.ttc - d.applied;
  d.why = d.to_customer_credit > 0
              ? fmt::format("{} credited on {}: {} lowers its balance, {} already paid becomes customer credit",
                            format_amount(t.ttc), inv.number, format_amount(d.applied),
                            format_amount(d.to_customer_credit))
              : fmt::format("{} credited on {}: lowers its balance", format_amount(t.ttc), inv.number);
  return d;
}

std::vector<InvoiceLine> void_lines(const CreditSnapshot& inv, const std::vector<InvoiceLine>& issued_lines) {
  if (inv.credit_note) throw refused("I3", "'{}' is a credit note: it cannot be voided", inv.number);
  std::vector<InvoiceLine> lines;
  if (inv.credited_ttc == 0) {
    lines = issued_lines;
    for (auto& l : lines) l.rule = "I3";
  } else {
    for (const auto& [bp, ht] : inv.uncredited_ht)
      if (ht > 0)
        lines.push_back(InvoiceLine{"Remaining amount of " + inv.number, 100, ht, ht, Rate{bp}, "I3", ""});
  }
  if (lines.empty() || invoice_totals(lines).ttc <= 0 || inv.uncredited_ttc() <= 0)
    throw conflict("invoice '{}' is already fully credited (void)", inv.number);
  return lines;
}

InvoiceLine partial_credit_line(const CreditSnapshot& inv, Cents amount_ht, const std::string& description) {
  if (inv.credit_note) throw refused("I3", "'{}' is a credit note: only invoices can be credited", inv.number);
  if (amount_ht <= 0)
    throw usage_error("invalid credit amount '{}': must be above 0.00", format_amount(amount_ht));
  std::vector<std::pair<std::int64_t, Cents>> open;
  for (const auto& [bp, ht] : inv.uncredited_ht)
    if (ht > 0) open.emplace_back(bp, ht);
  if (open.empty() || inv.uncredited_ttc() <= 0)
    throw refused("I3", "credit of {} HT on {} refused: it is already fully credited (void)",
                  format_amount(amount_ht), inv.number);
  if (open.size() > 1)
    throw refused("I3", "credit of {} HT on {} refused: it has lines at {} VAT rates not yet credited; a partial "
                  "credit note is at one rate (void it instead)",
                  format_amount(amount_ht), inv.number, open.size());
  const auto [bp, left] = open.front();
  if (amount_ht > left)
    throw refused("I3", "credit of {} HT on {} refused: only {} HT of it is not yet credited",
                  format_amount(amount_ht), inv.number, format_amount(left));
  return InvoiceLine{description, 100, amount_ht, amount_ht, Rate{bp}, "I3", ""};
}

void check_billing_month(Date month, Date today) {
  if (today < month_first(month))
    throw refused("I5", "billing {} refused on {}: a month is billed from its first day on", format_month(month),
                  format_date(today));
}

std::string next_number(bool credit_note, int year, std::int64_t last_seq) {
  const std::int64_t seq = last_seq + 1;
  if (seq > 999'999)
    throw refused("I2", "{} numbers of {} are exhausted (999999 issued)", credit_note ? "credit note" : "invoice",
                  year);
  return fmt::format("{}{}-{:06}", credit_note ? "AV" : "F", year, seq);
}

}  // namespace tally
