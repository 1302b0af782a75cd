#pragma once
// SVG pictures of runs: a timeline of every analysis and encode per worker lane with the clips
// waiting for an encoder beneath it, and throughput against p95 latency for a sweep.
#include <filesystem>
#include <string>
#include <vector>

#include "clipper/pipeline/records.hpp"

namespace clipper::report {

struct TimelineRun {
  std::string label;
  const pipeline::RunResult* result = nullptr;
};

// One panel per run, showing its first window_s seconds (0: all of it).
std::string timeline_svg(const std::vector<TimelineRun>& runs, double window_s);
void write_timeline_svg(const std::filesystem::path& path, const std::vector<TimelineRun>& runs, double window_s);

struct SweepPoint {
  std::string label;
  double throughput_per_min = 0.0;
  double p95_latency_s = 0.0;
};

std::string sweep_svg(const std::vector<SweepPoint>& points);

}  // namespace clipper::report
