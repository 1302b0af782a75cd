#include "progress_line.hpp"

#include <fmt/format.h>

#include <chrono>
#include <cstdio>

namespace clipper::cli {

ProgressLine::ProgressLine(const pipeline::Progress& progress, int videos_total)
    : m_progress(progress), m_videos_total(videos_total), m_ticker(std::chrono::milliseconds(500), [this] {
        draw(std::chrono::duration<double>(std::chrono::steady_clock::now() - m_start).count());
      }) {}

ProgressLine::~ProgressLine() {
  m_ticker.stop();
  std::fputs("\r\033[K", stderr);
}

void ProgressLine::draw(double elapsed_s) const {
  const int videos = m_progress.videos_done.load();
  const int planned = m_progress.clips_planned.load();
  const int done = m_progress.clips_done.load();
  const double per_min = elapsed_s > 0 ? 60.0 * done / elapsed_s : 0.0;
  // Clips still to come are guessed from the videos analysed so far.
  const double expected = videos > 0 ? static_cast<double>(planned) * m_videos_total / videos : planned;
  std::string eta = "--:--";
  if (done > 0 && expected > done) {
    const long seconds = std::lround((expected - done) / (per_min / 60.0));
    eta = fmt::format("{}:{:02}", seconds / 60, seconds % 60);
  }
  const std::string line = fmt::format("videos {}/{} done, clips {}/{} encoded, {:.1f} clips/min, ETA {}", videos,
                                       m_videos_total, done, planned, per_min, eta);
  std::fprintf(stderr, "\r\033[K%s", line.c_str());
  std::fflush(stderr);
}

}  // namespace clipper::cli
