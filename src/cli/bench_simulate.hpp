#pragma once
// `clipper bench --simulate`: the experiment clipper grew from, on clipper's own flow graph.
#include <nlohmann/json.hpp>

#include "bench_command.hpp"
#include "clipper/pipeline/run.hpp"
#include "clipper/report/event_summary.hpp"

namespace clipper::cli {

struct SimulatedRun {
  pipeline::PipelineConfig config;
  double duration_s = 0.0;
  report::EventSummary summary;
  pipeline::RunResult result;
};

// Admits events for duration_s, or exactly `events` of them when events > 0.
SimulatedRun simulate(const pipeline::PipelineConfig& config, double duration_s, long events, unsigned long long seed);
int run_simulation_bench(const BenchOptions& options);

}  // namespace clipper::cli
