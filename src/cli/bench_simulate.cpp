#include "bench_simulate.hpp"

#include <fmt/format.h>

#include <cmath>
#include <cstdio>

#include "clipper/pipeline/simulation.hpp"
#include "clipper/report/json_report.hpp"
#include "clipper/report/timeline_svg.hpp"
#include "clipper/util/error.hpp"

namespace clipper::cli {
namespace {

constexpr int kSimulatedAnalyzers = 24;
constexpr int kSimulatedEncoders = 6;

// The experiment's own measurements over one minute.
struct ReferenceRow {
  const char* design;
  double events_per_min;
  double mean_ms;
  double min_ms;
  double max_ms;
};
constexpr ReferenceRow kStagesReference{"two stages", 6450, 1544, 930, 2549};
constexpr ReferenceRow kPoolReference{"pool", 6337, 225, 118, 342};

std::string run_label(const SimulatedRun& run) {
  return fmt::format("{} A={} E={} K={}{}", pipeline::topology_name(run.config.topology), run.config.analyzers,
                     run.config.encoders, run.config.max_in_flight, run.config.bound_encoding ? "" : " unbounded");
}

void print_header() {
  std::puts("| run | duration | events/min | mean latency | min | p50 | p95 | p99 | max | L | lambda x W | Little |");
  std::puts("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
}

void print_row(const SimulatedRun& run) {
  const auto& s = run.summary;
  const auto& l = s.latency_ms;
  std::printf(
      "| %s | %.0f s | %.0f | %.0f ms | %.0f ms | %.0f ms | %.0f ms | %.0f ms | %.0f ms | %.1f | %.1f | %.1f %% |\n",
      run_label(run).c_str(), run.duration_s, s.throughput_per_min, l.mean, l.min, l.p50, l.p95, l.p99, l.max,
      s.in_flight_mean, s.lambda_per_s * l.mean / 1000.0, 100.0 * s.littles_law_error);
  std::fflush(stdout);
}

void print_comparison(const SimulatedRun& run, const ReferenceRow& reference) {
  const double throughput_off = run.summary.throughput_per_min / reference.events_per_min - 1.0;
  const double latency_off = run.summary.latency_ms.mean / reference.mean_ms - 1.0;
  std::printf("| %s | %.0f | %.0f ms | %.0f ms | %.0f ms | %+.1f %% | %+.1f %% |\n", reference.design,
              reference.events_per_min, reference.mean_ms, reference.min_ms, reference.max_ms, 100.0 * throughput_off,
              100.0 * latency_off);
}

pipeline::PipelineConfig config_for(const BenchOptions& options, pipeline::Topology topology) {
  const int analyzers = options.analyzers > 0 ? options.analyzers : kSimulatedAnalyzers;
  const int encoders = options.encoders > 0 ? options.encoders : kSimulatedEncoders;
  // Stages: each encoder asks each analyser for one event, so A + E x A can be in flight; pool: A.
  const int natural = topology == pipeline::Topology::stages ? analyzers + encoders * analyzers : analyzers;
  return {
      .topology = topology,
      .analyzers = analyzers,
      .encoders = encoders,
      .max_in_flight = options.unbounded ? analyzers : (options.max_in_flight > 0 ? options.max_in_flight : natural),
      .bound_encoding = !options.unbounded};
}

std::vector<pipeline::Topology> topologies(const std::string& name) {
  if (name == "both") return {pipeline::Topology::stages, pipeline::Topology::pool};
  const auto topology = pipeline::parse_topology(name);
  if (!topology) throw util::UsageError(fmt::format("unknown --topology '{}'", name));
  return {*topology};
}

// The timeline shows the bounded runs: an unbounded one is a wall of analyses.
void write_outputs(const BenchOptions& options, const std::vector<SimulatedRun>& runs) {
  if (options.json) {
    nlohmann::json list = nlohmann::json::array();
    for (const SimulatedRun& run : runs) list.push_back(report::simulated_run_json(run.config, run.duration_s, run.summary));
    report::write_json(*options.json, {{"runs", list}});
  }
  if (options.svg) {
    std::vector<report::TimelineRun> timelines;
    for (const SimulatedRun& run : runs) {
      if (run.config.bound_encoding || runs.size() == 1) timelines.push_back({run_label(run), &run.result});
    }
    report::write_timeline_svg(*options.svg, timelines, 2.0);
  }
}

int reproduce(const BenchOptions& options) {
  const double duration_s = parse_duration_s(options.duration);
  std::vector<SimulatedRun> runs;
  std::puts("Reproduction: 24 analysers, 6 encoders, analysis 10-20 ms, 1-10 highlights of 10 ms each.\n");
  print_header();
  runs.push_back(simulate(config_for(options, pipeline::Topology::stages), duration_s, options.events, options.seed));
  print_row(runs.back());
  runs.push_back(simulate(config_for(options, pipeline::Topology::pool), duration_s, options.events, options.seed));
  print_row(runs.back());
  std::puts("\nThe experiment's measurements, and how far clipper's runs above are from them:\n");
  std::puts("| design | events/min | mean latency | min | max | clipper throughput | clipper mean latency |");
  std::puts("|---|---:|---:|---:|---:|---:|---:|");
  print_comparison(runs[0], kStagesReference);
  print_comparison(runs[1], kPoolReference);
  std::puts("\nWithout an in-flight bound on encoding (stages, clip jobs queue in front of the 6 encoders):\n");
  print_header();
  BenchOptions unbounded = options;
  unbounded.unbounded = true;
  for (double unbounded_s : {10.0, 30.0}) {
    runs.push_back(simulate(config_for(unbounded, pipeline::Topology::stages), unbounded_s, 0, options.seed));
    print_row(runs.back());
  }
  write_outputs(options, runs);
  return 0;
}

}  // namespace

SimulatedRun simulate(const pipeline::PipelineConfig& config, double duration_s, long events, unsigned long long seed) {
  const bool counted = events > 0;
  const size_t count =
      counted ? static_cast<size_t>(events) : pipeline::events_for_duration(duration_s, config.analyzers);
  const pipeline::SimulatedEvents drawn = pipeline::draw_events(count, seed);
  pipeline::PipelineConfig timed = config;
  timed.admit_for_s = counted ? 0.0 : duration_s;
  // Bounded runs are served to the end; an unbounded queue would take minutes to serve.
  const double deadline_s = config.bound_encoding || counted ? 1e9 : duration_s;
  SimulatedRun run{.config = timed};
  run.result = pipeline::run_pipeline(drawn.jobs, timed, pipeline::simulated_work(drawn, deadline_s));
  run.duration_s = counted ? run.result.wall_s : duration_s;
  run.summary = report::summarize_events(run.result, run.duration_s);
  return run;
}


int run_simulation_bench(const BenchOptions& options) {
  if (options.simulate == "seed") return reproduce(options);
  if (!options.simulate->empty())
    throw util::UsageError(fmt::format("unknown --simulate '{}' (expected: seed)", *options.simulate));
  const double duration_s = parse_duration_s(options.duration);
  std::vector<SimulatedRun> runs;
  print_header();
  for (pipeline::Topology topology : topologies(options.topology)) {
    runs.push_back(simulate(config_for(options, topology), duration_s, options.events, options.seed));
    print_row(runs.back());
  }
  write_outputs(options, runs);
  return 0;
}

}  // namespace clipper::cli
