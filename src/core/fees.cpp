// P1, P2, P4: the means of payment, the processing-fee rule and references.
#include "tally/errors.hpp"
#include "tally/payments.hpp"

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

namespace {

// The length of the well-formed UTF-8 sequence at text[i] (RFC 3629: no
// overlong forms, no surrogates, at most U+10FFFF), 0 if there is none.
std::size_t utf8_sequence(std::string_view text, std::size_t i) {
  const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[i + k]); };
  const unsigned char c = byte(0);
  if (c < 0x80) return 1;
  std::size_t len = 0;
  unsigned char lo = 0x80, hi = 0xBF;  // the range of the second byte
  if (c >= 0xC2 && c <= 0xDF) {
    len = 2;
  } else if (c >= 0xE0 && c <= 0xEF) {
    len = 3;
    if (c == 0xE0) lo = 0xA0;  // overlong
    if (c == 0xED) hi = 0x9F;  // surrogates
  } else if (c >= 0xF0 && c <= 0xF4) {
    len = 4;
    if (c == 0xF0) lo = 0x90;  // overlong
    if (c == 0xF4) hi = 0x8F;  // above U+10FFFF
  }
  if (len == 0 || i + len > text.size() || byte(1) < lo || byte(1) > hi) return 0;
  for (std::size_t k = 2; k < len; ++k)
    if ((byte(k) & 0xC0) != 0x80) return 0;
  return len;
}

// Checks free text recorded in the ledger: UTF-8, no control characters, at
// most max_chars characters. Throws Error(usage) quoting it (invalid bytes as
// \xNN, a long text cut) with what it is and what is accepted.
void check_text(std::string_view text, std::string_view what, std::size_t max_chars, std::string_view accepted) {
  std::string shown;
  std::size_t chars = 0;
  bool valid = true;
  for (std::size_t i = 0; i < text.size();) {
    std::size_t len = utf8_sequence(text, i);
    const auto c = static_cast<unsigned char>(text[i]);
    const bool bad = len == 0 || (len == 1 && (c < 0x20 || c == 0x7f));
    if (bad) {
      valid = false;
      len = 1;
    }
    if (++chars <= 40) shown += bad ? fmt::format("\\x{:02x}", c) : std::string(text.substr(i, len));
    i += len;
  }
  if (valid && chars <= max_chars) return;
  const std::string quoted =
      chars > 40 ? fmt::format("'{}...' ({} bytes)", shown, text.size()) : fmt::format("'{}'", shown);
  throw usage_error("invalid {} {}: expected {}", what, quoted, accepted);
}

}  // namespace

void check_ref(std::string_view ref) {
  check_text(ref, "reference", kMaxRefLength,
             fmt::format("printable UTF-8 text of 1 to {} characters (a bank or card transaction id)", kMaxRefLength));
  if (ref.empty())
    throw usage_error("invalid reference '': expected printable UTF-8 text of 1 to {} characters", kMaxRefLength);
}

void check_note(std::string_view text, std::string_view what) {
  check_text(text, what, kMaxNoteLength,
             fmt::format("printable UTF-8 text of at most {} characters", kMaxNoteLength));
}

}  // namespace tally
