#pragma once
// clipper's main job as one oneTBB flow graph: videos are admitted (at most K unfinished), analysed
// by A analysers that emit clip jobs as they are found, and encoded by E encoders, limited either by
// a concurrency-capped node (stages) or by a pool of E tokens (pool). Per-clip timestamps are kept.
#include <atomic>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "clipper/media/clip_feed.hpp"
#include "clipper/pipeline/records.hpp"
#include "clipper/plan/clip_plan.hpp"

namespace clipper::pipeline {

struct VideoJob {
  size_t id = 0;
  std::filesystem::path source;
  std::filesystem::path output_dir;  // where this video's clips go
  std::string name;                  // for clip names: unique in the run
  std::string tag;                   // the feed's own name for it (a queue's job id)
};

// A clip encoded from its video's analysis' own pictures (decode once): planned as soon as its window
// opens, while the analysis goes on and tells it the rest through the feed.
struct FedClip {
  media::ClipFeed pictures;
  plan::ClipWindow window;  // final once the feed is closed
};

struct ClipJob {
  size_t video_id = 0;
  std::filesystem::path source;
  int index = 0;  // 0-based, in the order analysis found them
  plan::ClipWindow window;
  std::filesystem::path output;
  ClipTimes times;
  std::string tag;               // its video's
  std::shared_ptr<FedClip> fed;  // its pictures come from the analysis; window is where it starts
};

struct ClipOutcome {
  ClipStatus status = ClipStatus::ok;
  std::optional<std::string> error;
  std::optional<plan::ClipWindow> window;  // a fed clip's, known at its end
};

// How one video's analysis ended.
struct AnalysisOutcome {
  std::optional<std::string> error;    // what stopped it
  std::optional<std::string> warning;  // what the user should know (a truncated file)
  std::vector<Thumbnail> thumbnails;
};

// Plans a clip: its window, and with a feed the pictures it is to be encoded from.
using EmitClip = std::function<void(const plan::ClipWindow&, std::shared_ptr<FedClip> fed)>;
// Analyses one video, calling emit for each clip window as soon as it is known (a fed clip's as soon
// as it starts). Runs on an analyser; blocking is expected.
using AnalyzeFn = std::function<AnalysisOutcome(const VideoJob&, const EmitClip& emit)>;
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
  // false: the run forgets a video's records once the feed has heard of its end, so that a feed
  // without end (a worker's queue) runs in bounded memory; the result then holds only counts.
  virtual bool keeps_records() const { return true; }
};

// Runs the graph to completion. Stops admitting videos when util::stop_requested().
RunResult run_pipeline(const std::vector<VideoJob>& videos, const PipelineConfig& config, const Work& work,
                       Progress* progress = nullptr);
RunResult run_pipeline(VideoFeed& feed, const PipelineConfig& config, const Work& work, Progress* progress = nullptr);

}  // namespace clipper::pipeline
