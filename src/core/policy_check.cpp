// The policy against French law (`tally policy check`): L441-10 floor of the
// late interest rate, L112-12 surcharges, the seller keys documents need.
#include "tally/policy_check.hpp"

#include "tally/errors.hpp"

namespace tally {
namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\r')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

}  // namespace

std::vector<LegalRate> parse_legal_rates(std::string_view csv) {
  std::vector<LegalRate> out;
  bool header = false;
  std::size_t n = 0;
  while (!csv.empty()) {
    const auto eol = csv.find('\n');
    const std::string_view line = trim(csv.substr(0, eol));
    csv = eol == std::string_view::npos ? std::string_view{} : csv.substr(eol + 1);
    ++n;
    if (line.empty() || line.front() == '#') continue;
    if (!header) {
      if (line != "semester_start,rate_percent")
        throw usage_error("legal interest rates, line {}: expected the header 'semester_start,rate_percent'", n);
      header = true;
      continue;
    }
    const auto comma = line.find(',');
    if (comma == std::string_view::npos)
      throw usage_error("legal interest rates, line {}: expected 'YYYY-01-01,RATE' or 'YYYY-07-01,RATE'", n);
    LegalRate r;
    try {
      r.from = parse_date(trim(line.substr(0, comma)));
      r.rate = parse_rate(trim(line.substr(comma + 1)));
    } catch (const Error& e) {
      throw usage_error("legal interest rates, line {}: {}", n, e.what());
    }
    const date::year_month_day ymd{r.from};
    if (ymd.day() != date::day{1} || (ymd.month() != date::January && ymd.month() != date::July))
      throw usage_error("legal interest rates, line {}: a semester starts on 1 January or 1 July, not {}", n,
                        format_date(r.from));
    if (!out.empty() && r.from <= out.back().from)
      throw usage_error("legal interest rates, line {}: {} is not after {}", n, format_date(r.from),
                        format_date(out.back().from));
    out.push_back(r);
  }
  if (!header) throw usage_error("legal interest rates: no header 'semester_start,rate_percent'");
  return out;
}

std::optional<LegalRate> legal_rate_on(const std::vector<LegalRate>& rates, Date d) {
  const date::year_month_day ymd{d};
  const date::month first = ymd.month() < date::July ? date::January : date::July;
  const Date start = date::sys_days{ymd.year() / first / 1};
  for (const auto& r : rates)
    if (r.from == start) return r;
  return std::nullopt;
}

Rate late_interest_floor(Rate legal) { return Rate{legal.bp * 3}; }

std::vector<PolicyWarning> policy_warnings(const Policy& p, const SellerIdentity& seller,
                                           const std::vector<LegalRate>& rates, Date d) {
  std::vector<PolicyWarning> out;
  const std::string l441 = "Code de commerce L441-10";
  const std::string l112 = "Code monétaire et financier L112-12";
  if (p.interest_mode == InterestMode::flat)
    out.push_back({"L4", l441,
                   fmt::format("interest_mode is flat: late-payment penalties run by day at an annual rate of at "
                               "least three times the legal interest rate; a one-off {} % cannot be compared",
                               format_rate(p.interest_rate))});
  else if (const auto legal = legal_rate_on(rates, d); !legal)
    out.push_back({"L4", l441,
                   fmt::format("no legal interest rate is listed for the semester of {} "
                               "(data/legal-interest-rates.csv): the floor of three times it is not checked",
                               format_date(d))});
  else if (p.interest_rate < late_interest_floor(legal->rate))
    out.push_back({"L4", l441,
                   fmt::format("interest_rate {} % is below three times the legal interest rate of the semester "
                               "from {} ({} % x 3 = {} %)",
                               format_rate(p.interest_rate), format_date(legal->from), format_rate(legal->rate),
                               format_rate(late_interest_floor(legal->rate)))});
  if (p.card_fee_rate.bp > 0)
    out.push_back({"P2", l112,
                   fmt::format("card_fee_rate is {} %: surcharging payment by consumer cards (Regulation (EU) "
                               "2015/751) is barred; set it to 0 unless every card paying is a commercial card",
                               format_rate(p.card_fee_rate))});
  if (p.transfer_fee > 0)
    out.push_back({"P2", l112,
                   fmt::format("transfer_fee is {}: surcharging a SEPA credit transfer is barred; set it to 0",
                               format_amount(p.transfer_fee))});
  if (p.sepa_fee > 0)
    out.push_back({"P2", l112,
                   fmt::format("sepa_fee is {}: surcharging a SEPA direct debit is barred; set it to 0",
                               format_amount(p.sepa_fee))});
  const auto missing = missing_seller_keys(seller);
  if (!missing.empty()) {
    std::string list;
    for (const auto& k : missing) list += (list.empty() ? "" : ", ") + k;
    out.push_back({"E2", "CGI art. 242 nonies A, Code de commerce L441-9 and R123-237",
                   fmt::format("the seller's identity on {} lacks {}: invoice documents cannot be produced",
                               format_date(d), list)});
  }
  return out;
}

}  // namespace tally
