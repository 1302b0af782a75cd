#pragma once
// `clipper bench`: the topologies measured on simulated work (--simulate) or on real videos.
#include <CLI/CLI.hpp>

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "clipper/media/clip.hpp"

namespace clipper::cli {

struct BenchOptions {
  std::vector<std::filesystem::path> inputs;
  std::optional<std::string> simulate;  // "" or "seed"
  std::string topology = "both";
  int analyzers = 0;      // 0: 24 simulated, 1 real
  int encoders = 0;       // 0: 6 simulated; real: the sweep
  int max_in_flight = 0;  // 0: stages A + E x A, pool A (simulated); A + 1 (real)
  bool unbounded = false;
  std::string duration = "30s";  // of admission per simulated run
  long events = 0;               // > 0: simulate exactly this many events instead
  unsigned long long seed = 1;
  media::EncodeSettings encode;
  std::optional<std::filesystem::path> json;
  int runs = 1;  // real: rounds of the whole sweep and the ffmpeg script, interleaved; medians
  std::optional<std::filesystem::path> csv;
  std::optional<std::filesystem::path> svg;
};

CLI::App* add_bench_command(CLI::App& app, BenchOptions& options);
int run_bench(BenchOptions& options);
// "30s", "30" or "1.5m" in seconds; throws util::UsageError.
double parse_duration_s(const std::string& text);

}  // namespace clipper::cli
