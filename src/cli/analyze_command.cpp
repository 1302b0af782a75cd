#include "analyze_command.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <cstdio>
#include <nlohmann/json.hpp>

#include "clipper/pipeline/inputs.hpp"
#include "clipper/pipeline/video_analysis.hpp"
#include "clipper/report/edit_lists.hpp"
#include "clipper/report/json_report.hpp"
#include "clipper/util/atomic_file.hpp"
#include "clipper/util/error.hpp"
#include "exit_codes.hpp"

namespace clipper::cli {
namespace {

nlohmann::json to_json(const pipeline::VideoAnalysis& video) {
  nlohmann::json moments = nlohmann::json::array();
  for (const analysis::Moment& moment : video.moments) {
    moments.push_back(
        {{"frame", moment.frame}, {"time", moment.time_s}, {"score", moment.score}, {"fade", moment.fade}});
  }
  nlohmann::json clips = nlohmann::json::array();
  for (size_t i = 0; i < video.clips.size(); ++i) {
    const plan::ClipWindow& clip = video.clips[i];
    clips.push_back({{"n", i + 1},
                     {"start", clip.start_s},
                     {"end", clip.end_s},
                     {"moment", clip.moment_s},
                     {"score", clip.score}});
  }
  nlohmann::json record = {{"frames", video.frames},
                           {"fps", video.fps},
                           {"duration", video.duration_s},
                           {"error", video.error ? nlohmann::json(*video.error) : nlohmann::json()},
                           {"warning", video.warning ? nlohmann::json(*video.warning) : nlohmann::json()},
                           {"moments", moments},
                           {"clips", clips}};
  report::put_path(record, "path", video.path);
  return record;
}

std::string optional_number(const std::optional<double>& value) {
  return value ? fmt::format("{:.4f}", *value) : std::string();
}

void append_stats_csv(const pipeline::VideoAnalysis& video, std::string& csv) {
  const std::string path = report::csv_field(video.path.string());
  for (const analysis::PictureStats& row : video.stats) {
    csv += fmt::format("{},{},{:.6f},{},{:.4f},{:.4f},{:.4f},{:.4f},{:.4f},{},{:.6f},{},{},{}\n", path, row.frame,
                       row.time_s, row.decoded ? 1 : 0, row.content.hue, row.content.saturation, row.content.value,
                       row.content.edges, row.content.score, optional_number(row.adaptive_ratio), row.histogram,
                       row.candidate ? 1 : 0, row.flash ? 1 : 0, row.moment ? 1 : 0);
  }
}

void print_table(const pipeline::VideoAnalysis& video) {
  if (video.error) return;
  fmt::print("{}: {} frames, {:.3f} fps, {:.3f} s\n", video.path.string(), video.frames, video.fps, video.duration_s);
  fmt::print("  {:>8} {:>10} {:>8}\n", "frame", "time (s)", "score");
  for (const analysis::Moment& moment : video.moments) {
    fmt::print("  {:>8} {:>10.3f} {:>8.2f}{}\n", moment.frame, moment.time_s, moment.score,
               moment.fade ? "  fade" : "");
  }
  if (video.moments.empty()) fmt::print("  (no scene change)\n");
  fmt::print("  clips:\n");
  for (const plan::ClipWindow& clip : video.clips) fmt::print("  {:>10.3f} -> {:.3f} s\n", clip.start_s, clip.end_s);
  if (video.clips.empty()) fmt::print("  (none)\n");
}

}  // namespace

void add_analysis_options(CLI::App& command, AnalyzeOptions& options) {
  auto& detector = options.settings.detector;
  auto& plan = options.settings.plan;
  command.add_option("--detector", options.detector, "adaptive, content or histogram")
      ->capture_default_str()
      ->check(CLI::IsMember({"adaptive", "content", "histogram"}));
  command.add_option(
      "--threshold", detector.threshold,
      "Detection threshold: adaptive ratio (3.0), content score 0-255 (27), histogram 1-correlation (0.4)");
  command.add_option("--min-scene", detector.min_scene_s, "Seconds within which detections are one moment")
      ->capture_default_str()
      ->check(CLI::NonNegativeNumber);
  command.add_flag("--fades", detector.fades, "Fades to and from black are moments too");
  command.add_flag("--edges", options.edges, "Content score includes edge changes");
  command.add_flag("--every-picture", options.settings.source.every_picture,
                   "Decode every picture for analysis. By default, H.264/HEVC pictures between two "
                   "reference pictures that barely differ are not decoded: faster, and the same moments "
                   "but for a rare borderline one in fast motion");
  command.add_option("--pre", plan.pre_s, "Seconds of clip before each moment")
      ->capture_default_str()
      ->check(CLI::NonNegativeNumber);
  command.add_option("--post", plan.post_s, "Seconds of clip after each moment")
      ->capture_default_str()
      ->check(CLI::NonNegativeNumber);
  command.add_option("--min-clip", plan.min_clip_s, "Clips shorter than this are dropped")
      ->capture_default_str()
      ->check(CLI::NonNegativeNumber);
  command.add_option("--max-clips", plan.max_clips, "Keep the N highest-scoring moments per video")
      ->check(CLI::PositiveNumber);
}

void resolve_analysis_options(AnalyzeOptions& options) {
  const auto kind = analysis::parse_detector(options.detector);
  if (!kind) throw util::UsageError(fmt::format("unknown --detector '{}'", options.detector));
  options.settings.detector.kind = *kind;
  if (options.edges) options.settings.detector.weights.edges = 1.0;
}

CLI::App* add_analyze_command(CLI::App& app, AnalyzeOptions& options) {
  CLI::App* analyze = app.add_subcommand("analyze", "Find the scene changes of videos and plan a clip around each");
  analyze->add_option("inputs", options.inputs, "Video files and folders (searched recursively)")->required();
  add_analysis_options(*analyze, options);
  analyze
      ->add_option("--threads", options.settings.source.decode.threads,
                   "H.264/HEVC: decoders working on segments at once, one thread each; other codecs: the "
                   "decoder's threads (0: automatic, one decoder per core)")
      ->capture_default_str();
  analyze->add_flag("--json", options.json, "Print one JSON document instead of a table");
  analyze->add_option("--stats", options.stats,
                      "Write one CSV row per picture: its scores against the picture before, the adaptive ratio, "
                      "and whether it was a candidate, a flash or a moment (README)");
  analyze->add_option("--csv", options.csv, "Write the planned clips as CSV: video,clip,start,end,moment,score");
  analyze->add_option("--edl", options.edl, "Write the planned clips as a CMX 3600 edit decision list");
  analyze->add_option("--otio", options.otio, "Write the planned clips as an OpenTimelineIO timeline (JSON)");
  analyze->footer(
      "Frames are counted from 0 in presentation order; times are seconds from the first frame, the\n"
      "clock of `clipper cut --start`. Exit code: 0 when every video was analysed, 2 when some failed,\n"
      "1 when all failed.");
  return analyze;
}

int run_analyze(AnalyzeOptions& options) {
  resolve_analysis_options(options);
  options.settings.detector.stats = options.stats.has_value();
  for (const auto& file : {options.stats, options.csv, options.edl, options.otio}) {
    if (file) util::require_writable_folder(file->parent_path());
  }
  std::vector<pipeline::VideoAnalysis> planned;
  nlohmann::json videos = nlohmann::json::array();
  std::string csv =
      "video,frame,time,decoded,hue,saturation,value,edges,content,adaptive_ratio,histogram,candidate,flash,moment\n";
  const std::vector<std::filesystem::path> inputs = pipeline::collect_videos(options.inputs, {});
  if (inputs.empty()) throw util::UsageError("no video found in the inputs");
  int failures = 0;
  for (const auto& input : inputs) {
    const pipeline::VideoAnalysis video = pipeline::analyze_video(input, options.settings);
    if (video.error) {
      ++failures;
      std::fprintf(stderr, "clipper: error: %s\n", video.error->c_str());
    }
    append_stats_csv(video, csv);
    planned.push_back({.path = video.path,
                       .frames = video.frames,
                       .fps = video.fps,
                       .duration_s = video.duration_s,
                       .error = video.error,
                       .clips = video.clips});
    if (options.json) {
      videos.push_back(to_json(video));
    } else {
      print_table(video);
    }
  }
  if (options.json) fmt::print("{}\n", report::json_text(nlohmann::json{{"videos", videos}}));
  if (options.stats) util::write_file_atomically(*options.stats, csv);
  if (options.csv) util::write_file_atomically(*options.csv, report::clips_csv(planned));
  if (options.edl) util::write_file_atomically(*options.edl, report::clips_edl(planned, "clipper"));
  if (options.otio) util::write_file_atomically(*options.otio, report::clips_otio(planned, "clipper"));
  if (failures == 0) return kExitDone;
  return failures == static_cast<int>(inputs.size()) ? kExitUsage : kExitSomeFailed;
}

}  // namespace clipper::cli
