#include "clipper/report/summary.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <numeric>

namespace clipper::report {
namespace {

double nearest_rank(const std::vector<double>& sorted, double percentile) {
  const auto rank = static_cast<size_t>(std::ceil(percentile / 100.0 * static_cast<double>(sorted.size())));
  return sorted[std::clamp<size_t>(rank, 1, sorted.size()) - 1];
}

double mean_of(const std::vector<double>& values) {
  return values.empty() ? 0.0 : std::accumulate(values.begin(), values.end(), 0.0) / static_cast<double>(values.size());
}

bool was_encoded(const pipeline::ClipRecord& clip) {
  return clip.index && (clip.status == pipeline::ClipStatus::ok || clip.status == pipeline::ClipStatus::failed);
}

void count_clips(const pipeline::RunResult& result, Summary& summary) {
  for (const pipeline::ClipRecord& clip : result.clips) {
    if (!clip.index) continue;
    if (clip.status == pipeline::ClipStatus::ok) ++summary.clips_ok;
    if (clip.status == pipeline::ClipStatus::failed) ++summary.clips_failed;
    if (clip.status == pipeline::ClipStatus::skipped) ++summary.clips_skipped;
    if (clip.status == pipeline::ClipStatus::interrupted) ++summary.clips_interrupted;
  }
  for (const pipeline::VideoRecord& video : result.videos) {
    if (!video.admitted_at_all || video.interrupted) continue;
    if (video.error) {
      ++summary.videos_failed;
    } else {
      ++summary.videos_ok;
    }
  }
}

}  // namespace

Distribution distribution_of(std::vector<double> values) {
  if (values.empty()) return {};
  std::sort(values.begin(), values.end());
  return {.mean = mean_of(values),
          .min = values.front(),
          .p50 = nearest_rank(values, 50),
          .p95 = nearest_rank(values, 95),
          .p99 = nearest_rank(values, 99),
          .max = values.back(),
          .count = static_cast<long>(values.size())};
}

Summary summarize(const pipeline::RunResult& result) {
  Summary summary;
  count_clips(result, summary);
  std::vector<double> latency, from_admission, admission_wait, analysis_work, encode_wait, encode_work;
  for (const pipeline::ClipRecord& clip : result.clips) {
    if (!was_encoded(clip)) continue;
    const pipeline::ClipTimes& t = clip.times;
    latency.push_back(t.encode_end - t.detected);
    from_admission.push_back(t.encode_end - t.admitted);
    admission_wait.push_back(t.analysis_start - t.admitted);
    analysis_work.push_back(t.detected - t.analysis_start);
    encode_wait.push_back(t.encode_start - t.detected);
    encode_work.push_back(t.encode_end - t.encode_start);
  }
  summary.wall_s = result.wall_s;
  summary.latency_s = distribution_of(latency);
  summary.latency_from_admission_s = distribution_of(from_admission);
  summary.admission_wait_s = mean_of(admission_wait);
  summary.analysis_work_s = mean_of(analysis_work);
  summary.encode_wait_s = mean_of(encode_wait);
  summary.encode_work_s = mean_of(encode_work);
  summary.peak_encoders = result.peak_encoders;
  summary.peak_videos_in_flight = result.peak_videos_in_flight;
  summary.lambda_per_s = result.wall_s > 0 ? static_cast<double>(latency.size()) / result.wall_s : 0.0;
  summary.throughput_per_min = 60.0 * summary.lambda_per_s;
  summary.latency_w_s = summary.latency_s.mean;
  summary.in_flight_l = result.sampled_clips_in_flight;
  const double predicted = summary.lambda_per_s * summary.latency_w_s;
  summary.littles_law_error =
      summary.in_flight_l > 0 ? std::fabs(summary.in_flight_l - predicted) / summary.in_flight_l : 0.0;
  return summary;
}

std::string format_summary(const Summary& s, const pipeline::PipelineConfig& config) {
  std::string text;
  auto line = [&text](const std::string& content) { text += content + "\n"; };
  line(fmt::format("clipper: {} topology, {} analyser{}, {} encoder{}, at most {} video{} in flight{}",
                   pipeline::topology_name(config.topology), config.analyzers, config.analyzers == 1 ? "" : "s",
                   config.encoders, config.encoders == 1 ? "" : "s", config.max_in_flight,
                   config.max_in_flight == 1 ? "" : "s", config.decode_once ? ", each picture decoded once" : ""));
  const std::string interrupted =
      s.clips_interrupted > 0 ? fmt::format(", {} interrupted", s.clips_interrupted) : std::string();
  line(fmt::format("  clips      {} ok, {} failed{}, {} skipped (already there)", s.clips_ok, s.clips_failed,
                   interrupted, s.clips_skipped));
  line(fmt::format("  videos     {} ok, {} failed", s.videos_ok, s.videos_failed));
  line(fmt::format("  wall       {:.2f} s, throughput {:.1f} clips/min", s.wall_s, s.throughput_per_min));
  const Distribution& l = s.latency_s;
  line(
      fmt::format("  latency    detected -> written: mean {:.2f} s, min {:.2f}, p50 {:.2f}, p95 {:.2f}, p99 {:.2f}, "
                  "max {:.2f}",
                  l.mean, l.min, l.p50, l.p95, l.p99, l.max));
  const Distribution& a = s.latency_from_admission_s;
  line(fmt::format("             admitted -> written: mean {:.2f} s, p50 {:.2f}, p95 {:.2f}, max {:.2f}", a.mean, a.p50,
                   a.p95, a.max));
  line(
      fmt::format("  per clip   waiting for analysis {:.2f} s, analysing {:.2f} s, waiting for an encoder {:.2f} s, "
                  "encoding {:.2f} s (means)",
                  s.admission_wait_s, s.analysis_work_s, s.encode_wait_s, s.encode_work_s));
  line(fmt::format("  peaks      {} encoder{} at once, {} video{} in flight", s.peak_encoders,
                   s.peak_encoders == 1 ? "" : "s", s.peak_videos_in_flight, s.peak_videos_in_flight == 1 ? "" : "s"));
  line(fmt::format(
      "  Little     L = {:.2f} clips in flight (sampled), lambda = {:.3f} clips/s, W = {:.2f} s, "
      "lambda x W = {:.2f} ({:.1f} % off)",
      s.in_flight_l, s.lambda_per_s, s.latency_w_s, s.lambda_per_s * s.latency_w_s, 100.0 * s.littles_law_error));
  return text;
}

}  // namespace clipper::report
