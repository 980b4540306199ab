// B2: a suspense line is later assigned to an invoice or dismissed with a
// reason, never silently dropped. Each decision is one write (BEGIN
// IMMEDIATE) with its journal event.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "tally/calendar.hpp"
#include "tally/records.hpp"
#include "tally/money.hpp"
#include "tally/payments.hpp"
#include "tally/reports.hpp"

namespace tally {

struct SuspenseAssignment {
  SuspenseLine line;      // after the assignment, as of `today`
  PaymentResult payment;  // the payment recorded (with the fee it triggered, P2)
};

}  // namespace tally
