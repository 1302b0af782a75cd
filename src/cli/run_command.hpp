#pragma once
// clipper's main job: `clipper INPUT... [-o DIR] [--topology stages|pool] ...`.
#include <CLI/CLI.hpp>

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "analyze_command.hpp"
#include "clipper/media/clip.hpp"
#include "clipper/plan/name_template.hpp"

namespace clipper::cli {

struct RunOptions {
  std::vector<std::filesystem::path> inputs;
  std::filesystem::path output_dir = "clips";
  std::string name_template{plan::NameTemplate::kDefault};
  std::string topology = "pool";
  int analyzers = 1;
  int encoders = 0;             // 0: from the number of cores
  int threads_per_encoder = 0;  // 0: from the number of cores
  int max_in_flight = 0;        // 0: analysers + 1
  AnalyzeOptions analysis;
  media::EncodeSettings encode;
  std::optional<std::filesystem::path> report;
};

void add_run_options(CLI::App& app, RunOptions& options);
// Exit codes: 0 all done, 2 some video or clip failed, 130 interrupted.
int run_main(RunOptions& options, bool quiet);

}  // namespace clipper::cli
