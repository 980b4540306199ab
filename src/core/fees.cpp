// P1, P2, P4: the means of payment, the processing-fee rule and references.
#include "tally/errors.hpp"
#include "tally/payments.hpp"
#include "tally/text.hpp"

namespace tally {

std::string_view to_string(Method m) {
  switch (m) {
    case Method::transfer: return "transfer";
    case Method::card: return "card";
    case Method::sepa: return "sepa";
    case Method::other: return "other";
    case Method::credit: return "credit";
  }
  return "?";
}

Method parse_method(std::string_view text, bool allow_credit) {
  for (auto m : {Method::transfer, Method::card, Method::sepa, Method::other})
    if (to_string(m) == text) return m;
  if (allow_credit && text == "credit") return Method::credit;
  throw usage_error("invalid method '{}': expected transfer, card, sepa or other{}", text,
                    allow_credit ? " (or credit)" : "");
}

Decision processing_fee(Method method, InvoiceKind kind, std::optional<Cycle> cycle, Cents settled_ttc,
                        const Policy& policy) {
  if (kind == InvoiceKind::fee || kind == InvoiceKind::penalty)
    return {0, "P2", fmt::format("no fee on paying a {} invoice", to_string(kind))};
  switch (method) {
    case Method::card:
      return {apply_rate(settled_ttc, policy.card_fee_rate), "P2",
              fmt::format("card: {} % of {} settled", format_rate(policy.card_fee_rate), format_amount(settled_ttc))};
    case Method::transfer:
      if (kind != InvoiceKind::subscription)
        return {0, "P2", fmt::format("no fee on a transfer for a {} invoice", to_string(kind))};
      if (cycle == Cycle::annual) return {0, "P2", "no fee on a transfer for an annual subscription"};
      return {policy.transfer_fee, "P2",
              fmt::format("transfer on a {} subscription invoice", cycle ? to_string(*cycle) : "non-annual")};
    case Method::sepa: return {policy.sepa_fee, "P2", "SEPA direct debit"};
    case Method::other: return {policy.other_fee, "P2", "payment by other means"};
    case Method::credit: return {0, "P2", "no fee on a settlement from customer credit"};
  }
  return {0, "P2", "no fee"};
}

void check_ref(std::string_view ref) { check_text(ref, "reference", TextRule{kMaxRefLength, false}); }

void check_note(std::string_view text, std::string_view what) {
  check_text(text, what, TextRule{kMaxNoteLength, true});
}

}  // namespace tally
