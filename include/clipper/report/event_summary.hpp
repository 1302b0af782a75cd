#pragma once
// The numbers of a benchmark run where each video is one event: latency from admission to the end
// of its last encode, throughput inside the admission window, Little's law over the whole run.
#include "clipper/pipeline/records.hpp"
#include "clipper/report/summary.hpp"

namespace clipper::report {

struct EventSummary {
  long events = 0;                  // finished within the window
  double throughput_per_min = 0.0;  // events finished within the window, per minute
  Distribution latency_ms;          // admitted -> last clip written
  double in_flight_mean = 0.0;      // L, sampled
  double lambda_per_s = 0.0;        // over the whole run
  double littles_law_error = 0.0;   // |L - lambda x W| / L
};

EventSummary summarize_events(const pipeline::RunResult& result, double window_s);

}  // namespace clipper::report
