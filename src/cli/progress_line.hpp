#pragma once
// A one-line progress display on a terminal's stderr, redrawn twice a second on its own thread.
#include <condition_variable>
#include <mutex>
#include <thread>

#include "clipper/pipeline/run.hpp"

namespace clipper::cli {

class ProgressLine {
 public:
  ProgressLine(const pipeline::Progress& progress, int videos_total);
  ~ProgressLine();
  ProgressLine(const ProgressLine&) = delete;
  ProgressLine& operator=(const ProgressLine&) = delete;

 private:
  void draw(double elapsed_s) const;
  void loop();

  const pipeline::Progress& m_progress;
  int m_videos_total;
  std::mutex m_mutex;
  std::condition_variable m_wake;
  bool m_done = false;
  std::thread m_thread;
};

}  // namespace clipper::cli
