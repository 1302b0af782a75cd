#pragma once
// What a run of the graph leaves behind, for the report: its configuration, one record per clip
// and per video, and the run's totals. Plain values; the graph's API is in run.hpp.
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "clipper/plan/clip_plan.hpp"

namespace clipper::pipeline {

enum class Topology { stages, pool };
std::optional<Topology> parse_topology(std::string_view name);
std::string_view topology_name(Topology topology);

// What a user asked for; 0 where clipper is to decide.
struct RequestedConfig {
  Topology topology = Topology::pool;
  int analyzers = 0;
  int encoders = 0;
  int threads_per_encoder = 0;
  int max_in_flight = 0;
  // Clips encoded from their analysis' pictures (an analysis then waits for the encoder of its open
  // clip); nullopt: where there are videos for every encoder to have an analysis of its own.
  std::optional<bool> decode_once;
  size_t videos = 0;  // in the run; 0: not known (a queue's), taken as many
};

struct PipelineConfig;
// The defaults on a machine of `cores`, measured on 2 (docs/BENCHMARKS.md): one encoder per core,
// decode once with at least as many videos as encoders, A = 1 (with decode once, one per encoder),
// T granted by the core budget at each encode's start, K = A + 1.
PipelineConfig resolve_config(const RequestedConfig& requested, int cores);

struct PipelineConfig {
  Topology topology = Topology::pool;
  int analyzers = 1;            // A
  int encoders = 2;             // E
  int max_in_flight = 2;        // K: videos admitted and not finished
  int cores = 0;                // shared by analysers and encoders (CoreBudget); 0: the machine's
  int threads_per_encoder = 0;  // T; 0: granted by the core budget at each encode's start
  bool decode_once = false;     // each clip encoded from its analysis' pictures (AnalyzeSettings)
  // false: K counts only videos not yet analysed, and clip jobs queue without bound (benchmarks).
  bool bound_encoding = true;
  double admit_for_s = 0.0;  // > 0: stop admitting videos after this many seconds (benchmarks)
};

// Seconds from the start of the run, on the steady clock.
struct ClipTimes {
  double admitted = 0.0;
  double analysis_start = 0.0;
  double detected = 0.0;
  double encode_start = 0.0;
  double encode_end = 0.0;
};

enum class ClipStatus { ok, failed, skipped, interrupted };
std::string_view status_name(ClipStatus status);

struct ClipRecord {
  size_t video_id = 0;
  std::filesystem::path source;
  std::optional<int> index;  // empty for a video that failed before any clip was planned
  plan::ClipWindow window;
  std::filesystem::path output;
  ClipStatus status = ClipStatus::ok;
  std::optional<std::string> error;
  int encoder_slot = -1;
  int threads = 0;  // the encoder's
  ClipTimes times;
  std::string tag;  // its video's
};

// A small JPEG of the picture at a moment (for the HTML report).
struct Thumbnail {
  double time_s = 0.0;
  std::string jpeg;
};

struct VideoRecord {
  std::filesystem::path source;
  bool admitted_at_all = false;  // false for videos a stop (Ctrl-C) kept out
  bool interrupted = false;      // a stop (Ctrl-C) cut its analysis short
  std::optional<std::string> error;
  std::optional<std::string> warning;
  int clips_planned = 0;
  double admitted = 0.0;
  double analysis_start = 0.0;
  double analysis_end = 0.0;
  double finished = 0.0;
  std::vector<Thumbnail> thumbnails;  // one per moment, when asked for
};

// Every clip's status, counted whether or not its record is kept.
struct ClipCounts {
  long ok = 0;
  long failed = 0;
  long skipped = 0;
  long interrupted = 0;
};

struct RunResult {
  // Where the feed does not keep records (VideoFeed::keeps_records), no clips and only the videos
  // never finished: the counts below count them all.
  std::vector<ClipRecord> clips;  // in completion order
  std::vector<VideoRecord> videos;  // by id
  ClipCounts clip_counts;
  long videos_seen = 0;  // given by the feed, or kept out by a stop
  double wall_s = 0.0;
  int peak_encoders = 0;
  int peak_videos_in_flight = 0;
  double sampled_clips_in_flight = 0.0;   // time averages, sampled every few milliseconds
  double sampled_videos_in_flight = 0.0;  // admitted and not finished
  bool interrupted = false;
};

}  // namespace clipper::pipeline
