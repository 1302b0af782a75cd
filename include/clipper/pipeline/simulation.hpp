#pragma once
// Simulated work for `clipper bench --simulate`, after the experiment clipper grew from: each event
// is analysed for 10-20 ms (uniform) and yields 1-10 highlights (uniform); encoding sleeps 10 ms per
// highlight. Sleeps, no CPU: what is measured is the topology alone.
#include <chrono>
#include <cstdint>
#include <vector>

#include "clipper/pipeline/run.hpp"

namespace clipper::pipeline {

struct SimulatedEvents {
  std::vector<VideoJob> jobs;
  std::vector<int> analysis_ms;
  std::vector<int> highlights;
};

// Enough events for duration_s with every analyser busy all the time.
size_t events_for_duration(double duration_s, int analyzers);
// The draws depend only on seed (and count).
SimulatedEvents draw_events(size_t count, uint64_t seed);

// Work that sleeps as drawn. After deadline_s (seconds from the call) encodes return at once as
// skipped, so that a run with an unbounded queue ends without serving it.
Work simulated_work(const SimulatedEvents& events, double deadline_s);

}  // namespace clipper::pipeline
