// A progress bar on stderr for long work (import, billing runs): drawn only
// when stderr is a terminal and --quiet is off, and only once the work has
// lasted a moment, so short runs and scripts see nothing.
#pragma once

#include <chrono>
#include <cstddef>
#include <string>

#include "cli/cli.hpp"

namespace tally::cli {

class Progress {
 public:
  // `label` names what is counted ("import payments").
  Progress(const Context& ctx, std::string label);
  Progress(const Progress&) = delete;
  Progress& operator=(const Progress&) = delete;
  // Erases the bar, if drawn.
  ~Progress();

  // `done` of `total` units: redraws at most every 100 ms, the first time
  // after 300 ms of work.
  void update(std::size_t done, std::size_t total);

 private:
  using Clock = std::chrono::steady_clock;
  bool enabled_;
  std::string label_;
  Clock::time_point start_, last_;
  bool drawn_ = false;
};

}  // namespace tally::cli
