#pragma once
// Several machines on one queue of jobs in Redis: `clipper submit`, `clipper worker`,
// `clipper status`. Inputs and DIR are on storage every machine sees; the queue carries paths and
// options, never video bytes.
#include <CLI/CLI.hpp>

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "run_command.hpp"

namespace clipper::cli {

// --queue, required by each of the three commands.
void add_queue_option(CLI::App& command, std::string& queue);

struct SubmitOptions {
  std::vector<std::filesystem::path> inputs;
  std::string queue;
  bool again = false;
};
CLI::App* add_submit_command(CLI::App& app, SubmitOptions& options);
// The analysis, encode and name options come from the main command's (they go into each job).
int run_submit(const SubmitOptions& submit, const RunOptions& options);

struct WorkerOptions {
  std::string queue;
  std::string id;  // default: HOST-PID
  double claim_after_s = 300.0;
  int max_deliveries = 3;
  bool drain = false;
  std::string simulate;  // "A,E": analysis and encode sleep A and E ms (scripts/bench_workers.sh)
  std::vector<std::string> inputs_under;  // the folders jobs may take videos from; empty: any
};
CLI::App* add_worker_command(CLI::App& app, WorkerOptions& options);
// -o, --topology, --analyzers, --encoders ... come from the main command's options. Exit codes:
// 0, 2 when some clip failed, 128 + the signal (130 SIGINT, 143 SIGTERM) when stopped.
int run_worker(const WorkerOptions& worker, RunOptions& options);

struct StatusOptions {
  std::string queue;
  std::optional<std::filesystem::path> report;
  std::optional<std::filesystem::path> svg;
};
CLI::App* add_status_command(CLI::App& app, StatusOptions& options);
int run_status(const StatusOptions& options);

}  // namespace clipper::cli
