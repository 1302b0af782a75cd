#include "clipper/report/event_summary.hpp"

#include <algorithm>
#include <cmath>

namespace clipper::report {

EventSummary summarize_events(const pipeline::RunResult& result, double window_s) {
  // An event ends with its last clip; skipped clips (after the deadline) do not count.
  std::vector<double> end_of(result.videos.size(), -1.0);
  for (const pipeline::ClipRecord& clip : result.clips) {
    if (clip.status != pipeline::ClipStatus::ok) continue;
    end_of[clip.video_id] = std::max(end_of[clip.video_id], clip.times.encode_end);
  }
  std::vector<double> latency_ms;
  long in_window = 0;
  for (size_t id = 0; id < result.videos.size(); ++id) {
    if (end_of[id] < 0) continue;
    latency_ms.push_back(1000.0 * (end_of[id] - result.videos[id].admitted));
    if (end_of[id] <= window_s) ++in_window;
  }
  EventSummary summary;
  summary.events = in_window;
  summary.throughput_per_min = window_s > 0 ? 60.0 * static_cast<double>(in_window) / window_s : 0.0;
  summary.latency_ms = distribution_of(latency_ms);
  summary.in_flight_mean = result.sampled_videos_in_flight;
  summary.lambda_per_s = result.wall_s > 0 ? static_cast<double>(latency_ms.size()) / result.wall_s : 0.0;
  const double predicted = summary.lambda_per_s * summary.latency_ms.mean / 1000.0;
  summary.littles_law_error =
      summary.in_flight_mean > 0 ? std::fabs(summary.in_flight_mean - predicted) / summary.in_flight_mean : 0.0;
  return summary;
}

}  // namespace clipper::report
