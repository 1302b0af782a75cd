#pragma once
// clipper's main job: `clipper INPUT... [-o DIR] [--topology stages|pool] ...`.
#include <CLI/CLI.hpp>

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "analyze_command.hpp"
#include "clipper/media/clip.hpp"
#include "clipper/pipeline/run.hpp"
#include "clipper/plan/name_template.hpp"

namespace clipper::cli {

struct RunOptions {
  std::vector<std::filesystem::path> inputs;
  std::filesystem::path output_dir = "clips";
  std::string name_template{plan::NameTemplate::kDefault};
  std::string topology = "pool";
  int analyzers = 0;  // 0: automatic
  int encoders = 0;             // 0: from the number of cores
  int threads_per_encoder = 0;  // 0: from the number of cores
  int max_in_flight = 0;        // 0: analysers + 1
  int decode_once = 0;          // 1: --decode-once, -1: --no-decode-once, 0: automatic
  AnalyzeOptions analysis;
  media::EncodeSettings encode;
  std::optional<std::filesystem::path> report;
  std::optional<std::filesystem::path> html;
};

void add_run_options(CLI::App& app, RunOptions& options);
// Checks the options and applies the defaults of A, E, K and decode once for a run of `videos` (0:
// not known); throws util::UsageError.
pipeline::PipelineConfig prepare_run(RunOptions& options, size_t videos);
// Exit codes: 0 all done, 2 some video or clip failed, 130 interrupted.
int run_main(RunOptions& options, bool quiet);

// `clipper render PLAN.json`: the clips of a plan, encoded by the same graph with the options of
// the main command (they come before or after the plan).
struct RenderOptions {
  std::filesystem::path plan;
  bool keep_going = false;
};
CLI::App* add_render_command(CLI::App& app, RenderOptions& options);
// Exit codes as run_main's, and 1 for a plan with a wrong entry (2 with keep_going).
int run_render(const RenderOptions& render, RunOptions& options, bool quiet);

}  // namespace clipper::cli
