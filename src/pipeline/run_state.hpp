#pragma once
// The bookkeeping shared by the graph's nodes: timestamps, records, counters. Thread-safe.
#include <atomic>
#include <chrono>
#include <map>
#include <mutex>
#include <vector>

#include "clipper/pipeline/run.hpp"

namespace clipper::pipeline {

class RunClock {
 public:
  double now_s() const { return std::chrono::duration<double>(std::chrono::steady_clock::now() - m_start).count(); }

 private:
  std::chrono::steady_clock::time_point m_start = std::chrono::steady_clock::now();
};

// The lowest free encoder slot number, for the report and the timeline.
class SlotPool {
 public:
  explicit SlotPool(int slots) : m_busy(static_cast<size_t>(slots), false) {}
  int acquire();
  void release(int slot);

 private:
  std::mutex m_mutex;
  std::vector<bool> m_busy;
};

class RunState {
 public:
  // `expected` videos are known to come (a list); a queue's are counted as they arrive. Without
  // `keep_records`, a finished video's records are dropped by forget().
  RunState(size_t expected, Progress* progress, bool keep_records = true);

  const RunClock& clock() const { return m_clock; }
  // Its number in the run: its place in the result's videos.
  size_t add(const VideoJob& video);
  // Videos that were never added: a stop kept them out.
  void add_never_admitted(const std::vector<VideoJob>& videos);
  VideoRecord video(size_t id);
  VideoJob job(size_t id);
  void admit(size_t video);
  void start_analysis(size_t video);
  // Numbers the clip; its output is named by the caller, outside the lock.
  ClipJob plan_clip(const VideoJob& video, const plan::ClipWindow& window);
  // Both return true when the video is finished (analysed and every clip done).
  bool finish_analysis(size_t video, const AnalysisOutcome& outcome);
  bool finish_clip(ClipRecord record);
  // A stop cut the video's analysis short: it is neither ok nor failed.
  void interrupt(size_t video);
  // The video is finished and its feed has heard of it: its records go unless they are kept.
  void forget(size_t video);

  // The source stopped early (a stop, --admit-for): these videos will never be analysed.
  void never_started(size_t videos);
  void encoder_started();
  void encoder_stopped();
  // Clips planned and not started, or videos no analyser has started on.
  bool work_waiting() const { return m_clips_waiting.load() > 0 || m_videos_not_started.load() > 0; }
  long videos_to_analyse() const { return m_videos_not_analysed.load(); }
  int clips_waiting() const { return m_clips_waiting.load(); }
  int encoders_busy() const { return m_encoders_busy.load(); }
  int clips_in_flight() const { return m_clips_in_flight.load(); }
  int videos_in_flight() const { return m_videos_in_flight.load(); }

  RunResult take_result(double wall_s);

 private:
  // With m_mutex held:
  bool finish_video_if_done(size_t video);
  void record_clip(ClipRecord record);

  struct Video {
    VideoJob job;
    VideoRecord record;  // its clips_planned, with clips_done, say when it is finished
    int clips_done = 0;
    bool analysed = false;
  };

  RunClock m_clock;
  Progress* m_progress;
  size_t m_expected;
  bool m_keep_records;
  std::mutex m_mutex;
  size_t m_videos_seen = 0;
  std::map<size_t, Video> m_videos;  // by id, from 0 up
  std::vector<ClipRecord> m_clips;
  ClipCounts m_clip_counts;
  std::atomic<int> m_encoders_busy{0};
  std::atomic<int> m_peak_encoders{0};
  std::atomic<int> m_videos_in_flight{0};
  std::atomic<int> m_peak_videos_in_flight{0};
  std::atomic<int> m_clips_in_flight{0};
  std::atomic<int> m_clips_waiting{0};
  std::atomic<long> m_videos_not_started{0};
  std::atomic<long> m_videos_not_analysed{0};
};

}  // namespace clipper::pipeline
