#pragma once
// `clipper analyze`: scene changes and planned clips of each video, as a table or JSON.
#include <CLI/CLI.hpp>

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "clipper/pipeline/analyze_settings.hpp"

namespace clipper::cli {

struct AnalyzeOptions {
  std::vector<std::filesystem::path> inputs;
  pipeline::AnalyzeSettings settings;
  std::string detector = "adaptive";
  bool edges = false;
  bool json = false;
  std::optional<std::filesystem::path> stats;  // --stats FILE.csv
  std::optional<std::filesystem::path> csv;    // --csv FILE: the planned clips
  std::optional<std::filesystem::path> edl;
  std::optional<std::filesystem::path> otio;
};

// Options shared with the pipeline command: detector and plan settings.
void add_analysis_options(CLI::App& command, AnalyzeOptions& options);
// Applies the parsed names (detector, edges) to the settings; throws util::UsageError.
void resolve_analysis_options(AnalyzeOptions& options);

CLI::App* add_analyze_command(CLI::App& app, AnalyzeOptions& options);
int run_analyze(AnalyzeOptions& options);

}  // namespace clipper::cli
