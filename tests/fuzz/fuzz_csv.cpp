// libFuzzer target: the CSV readers, as `tally import payments` and the
// services grid use them. parse_csv and parse_statement never throw, and what
// they accept is valid; parse_services_grid accepts valid unique items or
// throws tally::Error(usage) naming the grid.
#include <cstdint>
#include <cstdlib>
#include <set>
#include <string>

#include "tally/errors.hpp"
#include "tally/import.hpp"
#include "tally/services.hpp"

namespace {

void require(bool ok) {
  if (!ok) std::abort();  // an invariant broke: libFuzzer (or the replay) reports the input
}

void csv(const std::string& text) {
  const tally::CsvDocument doc = tally::parse_csv(text);
  int last = 0;
  for (const auto& r : doc.records) {
    require(r.line > last);  // records in order, one per line at most
    require(!r.fields.empty());
    last = r.line;
  }
  for (const auto& e : doc.errors) require(e.line >= 1 && !e.reason.empty());
}

void statement(const std::string& text) {
  const tally::Date today = tally::parse_date("2026-03-31");
  const tally::BankStatement s = tally::parse_statement(text, today);
  for (const auto& l : s.lines) {
    require(l.line >= 2);  // line 1 is the header
    require(l.amount > 0 && l.amount <= tally::kMaxAmount);
    require(l.date <= today);
    require(!l.reference.empty());
  }
  for (const auto& e : s.errors) require(e.line >= 1 && !e.reason.empty());
}

void grid(const std::string& text) {
  try {
    const tally::ServicesGrid g = tally::parse_services_grid(text, "fuzz");
    require(!g.items.empty());
    std::set<std::string> codes;
    for (const auto& item : g.items) {
      require(!item.code.empty() && !item.label.empty());
      require(item.price_ht >= 0 && item.price_ht <= tally::kMaxAmount);
      require(codes.insert(item.code).second);  // codes are unique
      require(g.find(item.code) != nullptr);
    }
  } catch (const tally::Error& e) {
    require(e.code() == tally::ExitCode::usage);
    require(std::string(e.what()).rfind("grid fuzz", 0) == 0);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  csv(text);
  statement(text);
  grid(text);
  return 0;
}
