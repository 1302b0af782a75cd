#include "bench_command.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "clipper/util/error.hpp"

#include "bench_real.hpp"
#include "bench_simulate.hpp"
#include "cut_command.hpp"

namespace clipper::cli {

CLI::App* add_bench_command(CLI::App& app, BenchOptions& options) {
  CLI::App* bench = app.add_subcommand("bench", "Measure the topologies: on simulated work, or on real videos");
  bench->add_option("inputs", options.inputs, "Videos and folders for the real-work sweep (default: samples/)");
  bench
      ->add_option("--simulate", options.simulate,
                   "Simulated work (sleeps) instead of videos; 'seed' reproduces the experiment clipper grew from")
      ->expected(0, 1);
  bench->add_option("--topology", options.topology, "stages, pool or both")
      ->capture_default_str()
      ->check(CLI::IsMember({"stages", "pool", "both"}));
  bench->add_option("--analyzers", options.analyzers, "Analysers (simulated: 24; real: 1)")->check(CLI::PositiveNumber);
  bench
      ->add_option("--encoders", options.encoders,
                   "Encoders (simulated: 6; real: 1, a middle power of two and one per core)")
      ->check(CLI::PositiveNumber);
  bench
      ->add_option("--max-in-flight", options.max_in_flight,
                   "K (simulated: A + E x A for stages, A for pool; real: A + 1)")
      ->check(CLI::PositiveNumber);
  bench->add_flag("--unbounded", options.unbounded,
                  "Simulated: no in-flight bound on encoding (K counts analysis only)");
  bench->add_option("--duration", options.duration, "Simulated: admission time per run, as 30s, 30 or 1.5m")
      ->capture_default_str();
  bench->add_option("--events", options.events, "Simulated: run exactly this many events instead of --duration")
      ->check(CLI::PositiveNumber);
  bench->add_option("--seed", options.seed, "Simulated: seed of the random draws")->capture_default_str();
  add_encode_options(*bench, options.encode);
  bench->add_option("--json", options.json, "Simulated: write the runs as JSON");
  bench
      ->add_option("--runs", options.runs,
                   "Real: rounds of the sweep, each followed by the ffmpeg script; the tables give the "
                   "median round of each configuration")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  bench->add_option("--csv", options.csv, "Real: write every row of the sweep as CSV");
  bench->add_option("--svg", options.svg,
                    "Simulated: timeline of the runs' first 2 s; real: throughput against p95 latency, and the "
                    "timelines in FILE-timeline.svg");
  return bench;
}

double parse_duration_s(const std::string& text) {
  double scale = 1.0;
  std::string number = text;
  if (!number.empty() && (number.back() == 's' || number.back() == 'm')) {
    scale = number.back() == 'm' ? 60.0 : 1.0;
    number.pop_back();
  }
  size_t used = 0;
  double value = 0.0;
  try {
    value = std::stod(number, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  if (used == 0 || used != number.size() || !(value > 0.0)) {
    throw util::UsageError(fmt::format("--duration '{}' is not a length of time like 30s", text));
  }
  return value * scale;
}

int run_bench(BenchOptions& options) {
  if (spdlog::get_level() > spdlog::level::debug) spdlog::set_level(spdlog::level::warn);  // no line per clip
  if (options.simulate) return run_simulation_bench(options);
  media::validate(options.encode);
  return run_real_bench(options);
}

}  // namespace clipper::cli
