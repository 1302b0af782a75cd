#include "run_command.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <cstdio>
#include <map>
#include <optional>
#include <thread>

#include "clipper/media/timestamp_scan.hpp"
#include "clipper/pipeline/inputs.hpp"
#include "clipper/pipeline/real_work.hpp"
#include "clipper/report/html_report.hpp"
#include "clipper/report/json_report.hpp"
#include "clipper/report/summary.hpp"
#include "clipper/util/atomic_file.hpp"
#include "clipper/util/cores.hpp"
#include "clipper/util/error.hpp"
#include "clipper/version.hpp"
#include "exit_codes.hpp"
#include "logging.hpp"
#include "cut_command.hpp"
#include "plan_file.hpp"
#include "progress_line.hpp"

namespace clipper::cli {
namespace {

std::optional<bool> decode_once_choice(int flag) {
  if (flag == 0) return std::nullopt;
  return flag > 0;
}

pipeline::PipelineConfig pipeline_config(const RunOptions& options, size_t videos) {
  const auto topology = pipeline::parse_topology(options.topology);
  if (!topology) throw util::UsageError(fmt::format("unknown --topology '{}'", options.topology));
  return pipeline::resolve_config({.topology = *topology,
                                   .analyzers = options.analyzers,
                                   .encoders = options.encoders,
                                   .threads_per_encoder = options.threads_per_encoder,
                                   .max_in_flight = options.max_in_flight,
                                   .decode_once = decode_once_choice(options.decode_once),
                                   .videos = videos},
                                  util::cores());
}

nlohmann::json config_json(const RunOptions& options, const pipeline::PipelineConfig& graph) {
  const auto& detector = options.analysis.settings.detector;
  const auto& plan = options.analysis.settings.plan;
  nlohmann::json config = report::pipeline_config_json(graph);
  config.update({
      {"clipper_version", kVersion},
      {"name", options.name_template},
      {"encoder",
       {{"codec", "libx264"},
        {"preset", options.encode.preset},
        {"crf", options.encode.crf},
        {"height", options.encode.height},
        {"upscale", options.encode.upscale},
        {"deinterlace", options.encode.deinterlace}}},
      {"analysis",
       {{"detector", options.analysis.detector},
        {"threshold", detector.threshold ? nlohmann::json(*detector.threshold) : nullptr},
        {"min_scene", detector.min_scene_s},
        {"fades", detector.fades},
        {"pre", plan.pre_s},
        {"post", plan.post_s},
        {"min_clip", plan.min_clip_s},
        {"max_clips", plan.max_clips ? nlohmann::json(*plan.max_clips) : nullptr}}}});
  report::put_path(config, "output_dir", options.output_dir);
  return config;
}

// Clips cut short by Ctrl-C are `interrupted`, not failed: that is said once, at the end.
void print_failures(const pipeline::RunResult& result) {
  for (const pipeline::ClipRecord& clip : result.clips) {
    if (clip.status == pipeline::ClipStatus::failed && clip.error) {
      std::fprintf(stderr, "clipper: error: %s\n", clip.error->c_str());
    }
  }
}

// A report that cannot be written at the end is one more failure of the run, not a usage error.
bool write_report(const std::filesystem::path& path, const nlohmann::json& config, const pipeline::RunResult& result,
                  const report::Summary& summary) {
  try {
    report::write_json(path, report::report_json(config, result, summary));
    return true;
  } catch (const util::Error& error) {
    std::fprintf(stderr, "clipper: error: %s\n", error.what());
    return false;
  }
}

plan::NameTemplate name_template(const std::string& text, bool several_videos) {
  try {
    return plan::NameTemplate::parse(text, several_videos);
  } catch (const util::UsageError& error) {
    throw util::UsageError(fmt::format("--name '{}': {}", text, error.what()));
  }
}

bool any_failure(const report::Summary& summary) { return summary.clips_failed > 0 || summary.videos_failed > 0; }

}  // namespace

void add_run_options(CLI::App& app, RunOptions& options) {
  app.add_option("inputs", options.inputs, "Video files and folders (searched recursively)");
  app.add_option("-o,--output-dir", options.output_dir, "Where clips go")->capture_default_str();
  app.add_option("--name", options.name_template,
                 "Clip paths inside DIR, '.mp4' added. Fields: {video} (the input's name), {n} (clip number, "
                 "{n:3} for 3 digits), {start}, {end}, {moment} (as 00h01m02.500s), {score}, {topology}")
      ->capture_default_str();
  app.add_option("--topology", options.topology,
                 "stages: encoders are a node capped at E; pool: clips take one of E tokens to encode "
                 "(default, highest throughput in clipper bench)")
      ->capture_default_str()
      ->check(CLI::IsMember({"stages", "pool"}));
  app.add_option("--analyzers", options.analyzers,
                 "Videos analysed at once (A); default: one per encoder where each picture is decoded once (each "
                 "analysis then goes at the pace of its clip's encoder, and takes the next video once its last clip "
                 "is encoded), else 1")
      ->check(CLI::PositiveNumber);
  app.add_option("--encoders", options.encoders, "Clips encoded at once (E); default: one per core")
      ->check(CLI::PositiveNumber);
  app.add_option("--threads-per-encoder", options.threads_per_encoder,
                 "Threads of each encoder (T); default: the cores no analyser or encoder holds when it starts, and "
                 "every core for the last clips of a run")
      ->check(CLI::PositiveNumber);
  app.add_option("--max-in-flight", options.max_in_flight,
                 "Videos admitted and not yet finished (K); default: analysers + 1")
      ->check(CLI::PositiveNumber);
  add_analysis_options(app, options.analysis);
  app.add_flag("--decode-once,!--no-decode-once", options.decode_once,
               "Encode each clip from the pictures its video's analysis decodes, instead of decoding them again: "
               "every picture is then decoded, and analysed as with reference pictures first: all but every other B "
               "picture, the others where those around them differ (not with --max-clips, --fades, names with {end} or "
               "{score}, or a video whose timestamps jump back). Default: when there are at least as many videos "
               "as encoders, so that each encoder has an analysis of its own; a lone video is analysed on every "
               "core, reference pictures first")
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeLast);
  add_encode_options(app, options.encode);
  app.add_option("--report", options.report, "Write every clip's timings and the summary as JSON (docs/REPORT.md)");
  app.add_option("--html", options.html,
                 "Write the run as one HTML page: the summary, thumbnails of the moments, each clip with its "
                 "times and a link, the timeline");
}

namespace {

// What every run checks before any work: the options, and that the template can be parsed.
void check_run_options(RunOptions& options) {
  resolve_analysis_options(options.analysis);
  options.analysis.settings.thumbnails = options.html.has_value();
  media::validate(options.encode);
  name_template(options.name_template, false);  // a bad template is refused before the search
}

// The graph for a run of `videos` (0: not known), and whether its analyses decode once.
pipeline::PipelineConfig configure_run(RunOptions& options, size_t videos) {
  const pipeline::PipelineConfig config = pipeline_config(options, videos);
  options.analysis.settings.decode_once = config.decode_once;
  return config;
}

}  // namespace

pipeline::PipelineConfig prepare_run(RunOptions& options, size_t videos) {
  check_run_options(options);
  return configure_run(options, videos);
}

namespace {

void require_output_folders(const RunOptions& options) {
  util::require_writable_folder(options.output_dir);
  if (options.report) util::require_writable_folder(options.report->parent_path());
  if (options.html) util::require_writable_folder(options.html->parent_path());
}

// Like the JSON report, a page that cannot be written is a failure of the run.
bool write_html(const std::filesystem::path& path, const pipeline::RunResult& result, const report::Summary& summary,
                const pipeline::PipelineConfig& config) {
  try {
    const std::filesystem::path folder = std::filesystem::absolute(path).parent_path();
    util::write_file_atomically(path, report::html_report(result, summary, config, folder));
    return true;
  } catch (const util::Error& error) {
    std::fprintf(stderr, "clipper: error: %s\n", error.what());
    return false;
  }
}

// Runs the jobs through the graph, with the progress line, the summary and the report.
int run_jobs(const RunOptions& options, const pipeline::PipelineConfig& config, const nlohmann::json& config_record,
             const std::vector<pipeline::VideoJob>& jobs, const pipeline::Work& work, bool quiet) {
  pipeline::Progress progress;
  const bool verbose = spdlog::get_level() < spdlog::level::info;
  const bool show_progress = !quiet && !verbose && ::isatty(STDERR_FILENO);
  // On a terminal, warnings and errors show above the progress line; other messages would bury it.
  if (quiet) spdlog::set_level(spdlog::level::err);
  if (show_progress) spdlog::set_level(spdlog::level::warn);
  pipeline::RunResult result;
  {
    std::optional<ProgressLine> line;
    if (show_progress) line.emplace(progress, static_cast<int>(jobs.size()));
    log_over_progress_line(show_progress);
    result = pipeline::run_pipeline(jobs, config, work, &progress);
    log_over_progress_line(false);
  }

  const report::Summary summary = report::summarize(result);
  const bool report_written = (!options.report || write_report(*options.report, config_record, result, summary)) &&
                              (!options.html || write_html(*options.html, result, summary, config));
  print_failures(result);
  if (!quiet) std::fputs(report::format_summary(summary, config).c_str(), stderr);
  if (result.interrupted) {
    std::fputs("clipper: error: interrupted\n", stderr);
    return exit_interrupted();
  }
  return any_failure(summary) || !report_written ? kExitSomeFailed : kExitDone;
}

// Two clips of a plan that the template would write to one file.
std::vector<std::string> name_clashes(const std::vector<PlannedVideo>& videos, const std::vector<pipeline::VideoJob>& jobs,
                                      const pipeline::Work& work, const std::filesystem::path& plan) {
  std::map<std::filesystem::path, std::string> first_entry;
  std::vector<std::string> clashes;
  for (size_t v = 0; v < videos.size(); ++v) {
    for (size_t c = 0; c < videos[v].clips.size(); ++c) {
      const plan::ClipWindow& clip = videos[v].clips[c];
      const auto output = work.output_name(jobs[v], *clip.number - 1, clip);
      const auto [place, added] = first_entry.try_emplace(output, videos[v].entries[c]);
      if (!added) {
        clashes.push_back(fmt::format("{}: {}: the same file as {}: '{}'", plan.string(), videos[v].entries[c],
                                      place->second, output.string()));
      }
    }
  }
  return clashes;
}

}  // namespace

int run_main(RunOptions& options, bool quiet) {
  check_run_options(options);
  const auto videos = pipeline::collect_videos(options.inputs, options.output_dir);
  if (videos.empty()) throw util::UsageError("no video found in the inputs");
  const pipeline::PipelineConfig config = configure_run(options, videos.size());
  const pipeline::OutputNaming naming{.names = name_template(options.name_template, videos.size() > 1),
                                      .topology = options.topology};
  require_output_folders(options);
  const auto jobs = pipeline::make_video_jobs(videos, options.output_dir);
  const pipeline::Work work = pipeline::make_real_work(options.analysis.settings, options.encode, naming);
  return run_jobs(options, config, config_json(options, config), jobs, work, quiet);
}

CLI::App* add_render_command(CLI::App& app, RenderOptions& options) {
  CLI::App* render = app.add_subcommand("render", "Encode the clips of a plan (clipper analyze --json), perhaps edited");
  render->add_option("plan", options.plan, "The plan: {\"videos\": [{\"path\", \"clips\": [{\"start\", \"end\"}]}]}")
      ->required();
  render->add_flag("--keep-going", options.keep_going,
                   "Encode the valid clips of a plan that has wrong entries (exit 2); by default nothing is encoded");
  render->footer(
      "Takes the main command's options (-o, --name, --topology, --encoders, --preset, --crf, --height,\n"
      "--report ...). Paths in the plan are taken as the main command takes its inputs. A clip's\n"
      "{n} is its \"n\" in the plan (analyze --json writes one per clip), so removing a clip renames\n"
      "no other; clips without one are numbered after the highest of their video, in plan order.");
  return render;
}

int run_render(const RenderOptions& render, RunOptions& options, bool quiet) {
  options.decode_once = -1;  // a plan's clips are decoded by their encoders: there is no analysis
  const pipeline::PipelineConfig config = prepare_run(options, 0);
  const PlanFile plan = read_plan(render.plan);
  std::vector<std::filesystem::path> paths;
  for (const PlannedVideo& video : plan.videos) paths.push_back(video.path);
  const pipeline::OutputNaming naming{.names = name_template(options.name_template, paths.size() > 1),
                                      .topology = options.topology};
  const auto jobs = pipeline::make_video_jobs(paths, options.output_dir);
  pipeline::Work work = pipeline::make_real_work({}, options.encode, naming);
  std::vector<std::string> errors = plan.errors;
  const std::vector<std::string> clashes = name_clashes(plan.videos, jobs, work, render.plan);
  errors.insert(errors.end(), clashes.begin(), clashes.end());
  for (const std::string& error : errors) std::fprintf(stderr, "clipper: error: %s\n", error.c_str());
  if (!clashes.empty() || (!errors.empty() && !render.keep_going)) return kExitUsage;
  if (jobs.empty()) throw util::UsageError(fmt::format("{}: no clip to render", render.plan.string()));
  require_output_folders(options);

  work.analyze = [&plan](const pipeline::VideoJob& video, const pipeline::EmitClip& emit) {
    const bool cut_from_start = media::timestamps_jump_back(video.source);
    for (plan::ClipWindow window : plan.videos[video.id].clips) {
      window.cut_from_start = cut_from_start;
      emit(window, nullptr);
    }
    return pipeline::AnalysisOutcome{};
  };
  nlohmann::json config_record = config_json(options, config);
  config_record.erase("analysis");
  report::put_path(config_record, "plan", render.plan);
  const int code = run_jobs(options, config, config_record, jobs, work, quiet);
  return code == kExitDone && !errors.empty() ? kExitSomeFailed : code;
}

}  // namespace clipper::cli
