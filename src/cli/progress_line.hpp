#pragma once
// A one-line progress display on a terminal's stderr, redrawn twice a second on its own thread.
#include <chrono>

#include "clipper/pipeline/run.hpp"
#include "clipper/util/ticker.hpp"

namespace clipper::cli {

class ProgressLine {
 public:
  ProgressLine(const pipeline::Progress& progress, int videos_total);
  ~ProgressLine();
  ProgressLine(const ProgressLine&) = delete;
  ProgressLine& operator=(const ProgressLine&) = delete;

 private:
  void draw(double elapsed_s) const;

  const pipeline::Progress& m_progress;
  int m_videos_total;
  std::chrono::steady_clock::time_point m_start = std::chrono::steady_clock::now();
  util::Ticker m_ticker;  // last: it starts drawing with the members above
};

}  // namespace clipper::cli
