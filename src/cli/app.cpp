#include "clipper/cli/app.hpp"

#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include <cstdio>

#include "analyze_command.hpp"
#include "bench_command.hpp"
#include "clipper/util/cancellation.hpp"
#include "clipper/util/error.hpp"
#include "clipper/version.hpp"
#include "cut_command.hpp"
#include "exit_codes.hpp"
#include "logging.hpp"
#include "queue_commands.hpp"
#include "run_command.hpp"

namespace clipper::cli {
namespace {

void print_error(const std::string& message) { std::fprintf(stderr, "clipper: error: %s\n", message.c_str()); }

}  // namespace

int run(int argc, char** argv) {
  CLI::App app("clipper: find the scene changes in videos and cut 720p highlight clips", "clipper");
  app.footer(
      "Commands:\n"
      "  clipper INPUT... [options]   find the scene changes of videos and folders, encode a clip around each\n"
      "  clipper analyze INPUT...     only find the scene changes and plan the clips\n"
      "  clipper cut INPUT --start S --end E -o OUT.mp4   cut one clip\n"
      "  clipper render PLAN.json [options]              encode the clips of a plan (analyze --json), perhaps edited\n"
      "  clipper bench [--simulate [seed]] [INPUT...]     measure the topologies\n"
      "  clipper submit INPUT... --queue Q                queue one job per video for workers\n"
      "  clipper worker --queue Q -o DIR                  take jobs from the queue and encode their clips\n"
      "  clipper status --queue Q [--report FILE.json]    what the queue's workers did and are doing\n"
      "Exit codes: 0 done, 1 usage error, 2 some video or clip failed, 130 stopped by Ctrl-C, 143 by SIGTERM.");
  app.set_version_flag("--version", std::string("clipper ") + kVersion);
  app.require_subcommand(0, 1);
  app.fallthrough();
  RunOptions run_options;
  add_run_options(app, run_options);
  bool verbose = false;
  bool quiet = false;
  app.add_flag("-v,--verbose", verbose, "Show details, including libav's own messages")->configurable();
  app.add_flag("-q,--quiet", quiet, "Show only errors");
  CutOptions cut_options;
  CLI::App* cut = add_cut_command(app, cut_options);
  AnalyzeOptions analyze_options;
  CLI::App* analyze = add_analyze_command(app, analyze_options);
  BenchOptions bench_options;
  CLI::App* bench = add_bench_command(app, bench_options);
  RenderOptions render_options;
  CLI::App* render = add_render_command(app, render_options);
  SubmitOptions submit_options;
  CLI::App* submit = add_submit_command(app, submit_options);
  WorkerOptions worker_options;
  CLI::App* worker = add_worker_command(app, worker_options);
  StatusOptions status_options;
  CLI::App* status = add_status_command(app, status_options);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& error) {
    return app.exit(error) == 0 ? 0 : kExitUsage;
  }

  set_up_logging(verbose, quiet);
  util::install_stop_signal_handlers();
  try {
    if (cut->parsed()) return run_cut(cut_options);
    if (analyze->parsed()) return run_analyze(analyze_options);
    if (bench->parsed()) return run_bench(bench_options);
    if (render->parsed()) return run_render(render_options, run_options, quiet);
    if (submit->parsed()) return run_submit(submit_options, run_options);
    if (worker->parsed()) return run_worker(worker_options, run_options);
    if (status->parsed()) return run_status(status_options);
    if (run_options.inputs.empty()) {
      std::fputs(app.help().c_str(), stderr);
      return kExitUsage;
    }
    return run_main(run_options, quiet);
  } catch (const util::UsageError& error) {
    print_error(error.what());
    return kExitUsage;
  } catch (const util::Interrupted&) {
    print_error("interrupted");
    return exit_interrupted();
  } catch (const std::exception& error) {
    print_error(error.what());
    return kExitUsage;
  }
  return kExitUsage;
}

}  // namespace clipper::cli
