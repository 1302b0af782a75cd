#pragma once
// The numbers of a run: counts, throughput, latency distribution, time per stage, Little's law.
#include <string>

#include "clipper/pipeline/records.hpp"

namespace clipper::report {

struct Distribution {
  double mean = 0.0;
  double min = 0.0;
  double p50 = 0.0;
  double p95 = 0.0;
  double p99 = 0.0;
  double max = 0.0;
  long count = 0;
};

// Percentiles by nearest rank on the sorted values.
Distribution distribution_of(std::vector<double> values);

struct Summary {
  int clips_ok = 0;
  int clips_failed = 0;
  int clips_skipped = 0;
  int clips_interrupted = 0;  // stopped by Ctrl-C while being encoded
  int videos_ok = 0;
  int videos_failed = 0;
  double wall_s = 0.0;
  double throughput_per_min = 0.0;  // clips produced (ok or failed encodes) per minute
  Distribution latency_s;           // clip detected -> written
  Distribution latency_from_admission_s;
  double admission_wait_s = 0.0;  // video admitted -> analysis starts (means)
  double analysis_work_s = 0.0;   // analysis start -> clip detected
  double encode_wait_s = 0.0;     // clip detected -> encode starts
  double encode_work_s = 0.0;     // encode start -> end
  int peak_encoders = 0;
  int peak_videos_in_flight = 0;
  double in_flight_l = 0.0;        // sampled mean of clips planned and not yet produced
  double lambda_per_s = 0.0;       // clips per second
  double latency_w_s = 0.0;        // mean latency from detection
  double littles_law_error = 0.0;  // |L - lambda W| / L
};

Summary summarize(const pipeline::RunResult& result);

// The summary for people, several lines ending in a newline.
std::string format_summary(const Summary& summary, const pipeline::PipelineConfig& config);

}  // namespace clipper::report
