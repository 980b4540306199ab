// Builds a benchmark ledger through libtally itself, so that everything in it
// (cached balances, numbering, the hash-chained journal) is what tally would
// have written and `tally verify` passes on it.
//
//   gen_ledger PATH --customers C --invoices N [--seed S] [--end YYYY-MM]
//
// C customers (90 % good payers, 10 % poor ones), each with one subscription
// (80 % monthly, 15 % quarterly, 5 % annual), billed month after month up to
// --end (default 2026-10) from a start chosen so that about N invoices exist.
// Each month is one write: standbys that start that month (2 % of customers
// get one of 1 to 3 months), the billing run, the payments dated in the month
// (SEPA, transfer or card, with bank references; some late, some partial, some
// never), then the month-end application of late-payment penalties. Prints
// one JSON line: customers, invoices, payments, first and last billed months,
// and the business date (`as_of`) the benchmark should use.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <random>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "tally/billing.hpp"
#include "tally/calendar.hpp"
#include "tally/errors.hpp"
#include "tally/ledger.hpp"
#include "tally/overdue.hpp"
#include "tally/payments.hpp"
#include "tally/standby.hpp"

namespace {

using namespace tally;

struct Options {
  std::string path;
  int customers = 1000;
  long invoices = 10000;
  unsigned seed = 42;
  Date end = parse_month("2026-10");
};

[[noreturn]] void usage(const std::string& why) {
  std::fprintf(stderr, "gen_ledger: %s\nusage: gen_ledger PATH --customers C --invoices N [--seed S] [--end YYYY-MM]\n",
               why.c_str());
  std::exit(2);
}

Options parse(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) usage("missing value after " + a);
      return argv[++i];
    };
    if (a == "--customers") o.customers = std::stoi(value());
    else if (a == "--invoices") o.invoices = std::stol(value());
    else if (a == "--seed") o.seed = static_cast<unsigned>(std::stoul(value()));
    else if (a == "--end") o.end = parse_month(value());
    else if (!a.empty() && a[0] == '-') usage("unknown option " + a);
    else o.path = a;
  }
  if (o.path.empty()) usage("missing PATH");
  if (o.customers < 1 || o.invoices < 1) usage("--customers and --invoices must be above 0");
  return o;
}

struct Planned {
  std::string invoice;
  Method method;
  std::optional<Cents> amount;  // none: the balance and its fee
};

}  // namespace

int main(int argc, char** argv) try {
  const Options o = parse(argc, argv);
  std::mt19937_64 rng(o.seed);
  auto chance = [&](int percent_times_10) { return static_cast<int>(rng() % 1000) < percent_times_10; };
  auto uniform = [&](int lo, int hi) { return lo + static_cast<int>(rng() % static_cast<std::uint64_t>(hi - lo + 1)); };

  // Invoices per customer-month: 0.8 monthly + 0.15/3 quarterly + 0.05/12 annual
  // subscription invoices, plus fee invoices (transfers and cards: about 30 %).
  // Late customers' monthly penalty invoices come on top, more so the longer
  // the history: --invoices 1000000 gives 1.28M invoices of all kinds.
  const double per_customer_month = 0.854 * 1.3;
  const int months = std::max(1, static_cast<int>(o.invoices / (o.customers * per_customer_month) + 0.5));
  const Date first = add_months(o.end, -(months - 1));
  const Date as_of = add_months(o.end, 1) + date::days(19);  // the 20th of the month after --end

  Ledger ledger = Ledger::create(o.path);
  ledger.set_command("gen_ledger");
  std::vector<bool> poor(static_cast<std::size_t>(o.customers));
  std::map<Date, std::vector<Planned>> schedule;
  std::map<Date, std::vector<std::string>> standby_starts;  // month -> customers
  const Date opened = first - date::days(40);
  ledger.write("bench.customers", [&] {
    for (int k = 0; k < o.customers; ++k) {
      Customer c;
      c.code = fmt::format("c{:05}", k);
      c.name = fmt::format("Customer {:05} SAS", k);
      c.email = fmt::format("billing@c{:05}.example", k);
      c.vat_rate = Rate{2000};
      c.terms_days = chance(800) ? 30 : (chance(500) ? 45 : 15);
      add_customer(ledger, c, opened);
      poor[static_cast<std::size_t>(k)] = chance(100);
      Subscription s;
      s.customer = c.code;
      s.amount_ht = uniform(50, 5000) * 100 + (chance(300) ? uniform(1, 99) : 0);
      const int cycle = uniform(1, 100);
      s.cycle = cycle <= 80 ? Cycle::monthly : cycle <= 95 ? Cycle::quarterly : Cycle::annual;
      s.start = add_months(first, -uniform(0, 11));
      add_subscription(ledger, s);
      if (chance(20) && months > 4)
        standby_starts[add_months(first, uniform(1, months - 3))].push_back(c.code);
    }
    return fmt::format("{{\"customers\":{}}}", o.customers);
  });

  long invoices = 0, payments = 0;
  for (Date month = first; month <= o.end; month = add_months(month, 1)) {
    const Date month_end = month_last(month);
    ledger.write("bench.month", [&] {
      for (const auto& code : standby_starts[month]) {
        StandbyRequest r{code, "inactivity", month, add_months(month, uniform(1, 3)) - date::days(1),
                         month - date::days(uniform(3, 20)), month};
        try {
          start_standby(ledger, r);
        } catch (const Error&) {
          // refused (a customer past a late-payment stage...): no standby
        }
      }
      for (const Invoice& inv : run_billing(ledger, month, month)) {
        ++invoices;
        const bool bad = poor[static_cast<std::size_t>(std::stoi(inv.customer.substr(1)))];
        const int fate = uniform(1, 1000);
        const int on_time = bad ? 700 : 970, late = bad ? 900 : 995, partial = bad ? 950 : 997;
        const int method = uniform(1, 100);
        const Method m = method <= 65 ? Method::sepa : method <= 90 ? Method::transfer : Method::card;
        const int terms = days_between(inv.issue_date, inv.due_date);
        if (fate <= on_time) {
          schedule[inv.issue_date + date::days(uniform(0, std::max(0, terms - 1)))].push_back({inv.number, m, {}});
        } else if (fate <= late) {
          schedule[inv.due_date + date::days(uniform(5, 80))].push_back({inv.number, m, {}});
        } else if (fate <= partial) {
          schedule[inv.issue_date + date::days(uniform(0, std::max(0, terms - 1)))].push_back(
              {inv.number, Method::sepa, inv.total_ttc / 2});
        }  // else: never paid
      }
      for (auto it = schedule.begin(); it != schedule.end() && it->first <= month_end && it->first < as_of;) {
        for (const Planned& p : it->second) {
          PaymentRequest r;
          r.invoice = p.invoice;
          r.method = p.method;
          r.amount = p.amount;
          r.date = it->first;
          r.today = it->first;
          r.ref = fmt::format("BNK-{:08}", ++payments);
          invoices += static_cast<long>(pay(ledger, r).fees.size());
        }
        it = schedule.erase(it);
      }
      if (month_end < as_of) {
        const ApplyResult applied = apply_overdue(ledger, month_end);
        invoices += static_cast<long>(applied.issued.size());
      }
      return fmt::format("{{\"month\":\"{}\"}}", format_month(month));
    });
    std::fprintf(stderr, "\rgen_ledger: %s, %ld invoices", format_month(month).c_str(), invoices);
  }
  std::fprintf(stderr, "\n");
  std::printf("{\"customers\":%d,\"invoices\":%ld,\"payments\":%ld,\"first\":\"%s\",\"last\":\"%s\",\"as_of\":\"%s\"}\n",
              o.customers, invoices, payments, format_month(first).c_str(), format_month(o.end).c_str(),
              format_date(as_of).c_str());
  return 0;
} catch (const tally::Error& e) {
  std::fprintf(stderr, "gen_ledger: %s\n", e.what());
  return 1;
}
