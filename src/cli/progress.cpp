// The progress bar on stderr (see progress.hpp).
#include "cli/progress.hpp"

#include <unistd.h>

#include <iostream>

#include <fmt/format.h>

namespace tally::cli {

Progress::Progress(const Context& ctx, std::string label)
    : enabled_(!ctx.g.quiet && isatty(STDERR_FILENO) != 0),
      label_(std::move(label)),
      start_(Clock::now()),
      last_(start_) {}

Progress::~Progress() {
  if (drawn_) std::cerr << "\r\033[K" << std::flush;  // erase the line
}

void Progress::update(std::size_t done, std::size_t total) {
  if (!enabled_ || total == 0) return;
  const auto now = Clock::now();
  if (now - start_ < std::chrono::milliseconds(300)) return;
  if (drawn_ && done < total && now - last_ < std::chrono::milliseconds(100)) return;
  constexpr std::size_t kWidth = 30;
  const std::size_t filled = done * kWidth / total;
  std::cerr << fmt::format("\r{} [{}{}] {:3}% {}/{}", label_, std::string(filled, '#'),
                           std::string(kWidth - filled, '.'), done * 100 / total, done, total)
            << std::flush;
  drawn_ = true;
  last_ = now;
}

}  // namespace tally::cli
