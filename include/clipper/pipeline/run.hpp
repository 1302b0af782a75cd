#pragma once
// clipper's main job as one oneTBB flow graph: videos are admitted (at most K unfinished), analysed
// by A analysers that emit clip jobs as they are found, and encoded by E encoders, limited either by
// a concurrency-capped node (stages) or by a pool of E tokens (pool). Per-clip timestamps are kept.
#include <atomic>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "clipper/plan/clip_plan.hpp"

namespace clipper::pipeline {

enum class Topology { stages, pool };
std::optional<Topology> parse_topology(std::string_view name);
std::string_view topology_name(Topology topology);

struct PipelineConfig {
  Topology topology = Topology::pool;
  int analyzers = 1;            // A
  int encoders = 2;             // E
  int max_in_flight = 2;        // K: videos admitted and not finished
  int cores = 0;                // shared by analysers and encoders (CoreBudget); 0: the machine's
  int threads_per_encoder = 0;  // T; 0: granted by the core budget at each encode's start
  // false: K counts only videos not yet analysed, and clip jobs queue without bound (benchmarks).
  bool bound_encoding = true;
  double admit_for_s = 0.0;  // > 0: stop admitting videos after this many seconds (benchmarks)
};

struct VideoJob {
  size_t id = 0;
  std::filesystem::path source;
  std::filesystem::path output_dir;  // where this video's clips go
  std::string name;                  // for clip names: unique in the run
  std::string tag;                   // the feed's own name for it (a queue's job id)
};

// Seconds from the start of the run, on the steady clock.
struct ClipTimes {
  double admitted = 0.0;
  double analysis_start = 0.0;
  double detected = 0.0;
  double encode_start = 0.0;
  double encode_end = 0.0;
};

struct ClipJob {
  size_t video_id = 0;
  std::filesystem::path source;
  int index = 0;  // 0-based, in the order analysis found them
  plan::ClipWindow window;
  std::filesystem::path output;
  ClipTimes times;
  std::string tag;  // its video's
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

struct ClipOutcome {
  ClipStatus status = ClipStatus::ok;
  std::optional<std::string> error;
};

// How one video's analysis ended.
struct AnalysisOutcome {
  std::optional<std::string> error;    // what stopped it
  std::optional<std::string> warning;  // what the user should know (a truncated file)
  std::vector<Thumbnail> thumbnails;
};

// Analyses one video, calling emit for each clip window as soon as it is known. Runs on an
// analyser; blocking is expected.
using AnalyzeFn =
    std::function<AnalysisOutcome(const VideoJob&, const std::function<void(const plan::ClipWindow&)>& emit)>;
// Produces one clip with that many encoder threads. Exceptions fail only that clip.
using EncodeFn = std::function<ClipOutcome(const ClipJob&, int threads)>;
// Names the output of a clip.
using OutputNameFn = std::function<std::filesystem::path(const VideoJob&, int index, const plan::ClipWindow&)>;

struct Work {
  AnalyzeFn analyze;
  EncodeFn encode;
  OutputNameFn output_name;
};

// Live counters for a progress display; read from any thread.
struct Progress {
  std::atomic<int> videos_done{0};
  std::atomic<int> clips_planned{0};
  std::atomic<int> clips_done{0};
};

struct RunResult {
  std::vector<ClipRecord> clips;  // in completion order
  std::vector<VideoRecord> videos;
  double wall_s = 0.0;
  int peak_encoders = 0;
  int peak_videos_in_flight = 0;
  double sampled_clips_in_flight = 0.0;   // time averages, sampled every few milliseconds
  double sampled_videos_in_flight = 0.0;  // admitted and not finished
  bool interrupted = false;
};

// Where the videos of a run come from, and who hears of each one finished: a list, or a queue
// that other machines fill. Called from the graph's threads, one call at a time for next().
class VideoFeed {
 public:
  virtual ~VideoFeed() = default;
  // The next video, blocking until there is one; nullopt when there are no more. Called only when
  // the run has room for one more (fewer than K admitted and unfinished). The graph numbers the
  // videos itself: `id` is overwritten.
  virtual std::optional<VideoJob> next() = 0;
  // Videos the feed still had when the run stopped early (a stop, --admit-for).
  virtual std::vector<VideoJob> left() const { return {}; }
  virtual void clip_finished(const ClipRecord& clip) { (void)clip; }
  // Its analysis and every one of its clips are over.
  virtual void video_finished(const VideoJob& video, const VideoRecord& record) {
    (void)video;
    (void)record;
  }
};

// Runs the graph to completion. Stops admitting videos when util::stop_requested().
RunResult run_pipeline(const std::vector<VideoJob>& videos, const PipelineConfig& config, const Work& work,
                       Progress* progress = nullptr);
RunResult run_pipeline(VideoFeed& feed, const PipelineConfig& config, const Work& work, Progress* progress = nullptr);

}  // namespace clipper::pipeline
