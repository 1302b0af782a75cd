#include "clipper/pipeline/run.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <limits>
#include <map>
#include <mutex>
#include <stdexcept>
#include <thread>

#include "clipper/util/error.hpp"

namespace clipper::pipeline {
namespace {

using namespace std::chrono_literals;

// Analysis emits clips_per_video windows, 5 ms apart; video "bad" fails before planning anything.
// Encoding sleeps and counts how many run at once; the clip named "throw" throws.
class FakeWork {
 public:
  explicit FakeWork(int clips_per_video, std::chrono::milliseconds encode_time = 20ms,
                    std::chrono::milliseconds analysis_step = 5ms)
      : m_clips_per_video(clips_per_video), m_encode_time(encode_time), m_analysis_step(analysis_step) {}

  Work work() {
    return {.analyze = [this](const VideoJob& video, const auto& emit) { return analyze(video, emit); },
            .encode = [this](const ClipJob& job, int) { return encode(job); },
            .output_name =
                [](const VideoJob& video, int index, const plan::ClipWindow&) {
                  return video.output_dir / (video.source.stem().string() + "-" + std::to_string(index));
                }};
  }

  int peak_encoders() const { return m_peak; }
  std::map<std::string, int> produced() const {
    std::lock_guard lock(m_mutex);
    return m_produced;
  }

 private:
  AnalysisOutcome analyze(const VideoJob& video, const EmitClip& emit) {
    if (video.source.stem() == "bad")
      return {.error = "cannot open input 'bad.mp4': Invalid data found when processing input"};
    if (video.source.stem() == "stopped") throw util::Interrupted();
    for (int i = 0; i < m_clips_per_video; ++i) {
      std::this_thread::sleep_for(m_analysis_step);
      emit({.start_s = i * 10.0, .end_s = i * 10.0 + 5.0, .moment_s = i * 10.0 + 1.0, .score = 1.0}, nullptr);
    }
    return {};
  }

  ClipOutcome encode(const ClipJob& job) {
    const int running = ++m_running;
    int peak = m_peak.load();
    while (running > peak && !m_peak.compare_exchange_weak(peak, running)) {
    }
    std::this_thread::sleep_for(m_encode_time);
    --m_running;
    {
      std::lock_guard lock(m_mutex);
      ++m_produced[job.output.string()];
    }
    if (job.output.filename() == "throw-1") throw std::runtime_error("cannot encode: test failure");
    return {};
  }

  int m_clips_per_video;
  std::chrono::milliseconds m_encode_time;
  std::chrono::milliseconds m_analysis_step;
  std::atomic<int> m_running{0};
  std::atomic<int> m_peak{0};
  mutable std::mutex m_mutex;
  std::map<std::string, int> m_produced;
};

std::vector<VideoJob> videos(const std::vector<std::string>& names) {
  std::vector<VideoJob> jobs;
  for (const std::string& name : names)
    jobs.push_back({.id = jobs.size(), .source = name + ".mp4", .output_dir = "out"});
  return jobs;
}

// Most videos admitted and not yet finished at any moment, from the records' own timestamps.
int max_videos_in_flight(const RunResult& result) {
  std::vector<std::pair<double, int>> events;
  for (const VideoRecord& video : result.videos) {
    events.emplace_back(video.admitted, +1);
    events.emplace_back(video.finished, -1);
  }
  std::sort(events.begin(), events.end());  // a finish at the same instant counts before an admission
  int current = 0;
  int most = 0;
  for (const auto& [time, change] : events) most = std::max(most, current += change);
  return most;
}

class RunTest : public ::testing::TestWithParam<Topology> {};

TEST_P(RunTest, EncodersNeverExceedTheCapAndEveryClipIsProducedOnce) {
  FakeWork fake(4);
  const auto jobs = videos({"a", "b", "c", "d", "e", "f"});
  const RunResult result =
      run_pipeline(jobs, {.topology = GetParam(), .analyzers = 2, .encoders = 3, .max_in_flight = 3}, fake.work());
  EXPECT_LE(fake.peak_encoders(), 3);
  EXPECT_EQ(fake.peak_encoders(), 3) << "blocking analysers must not keep encoders from running";
  EXPECT_EQ(result.peak_encoders, fake.peak_encoders());
  const auto produced = fake.produced();
  EXPECT_EQ(produced.size(), 24u);
  for (const auto& [name, count] : produced) EXPECT_EQ(count, 1) << name;
  EXPECT_EQ(result.clips.size(), 24u);
  for (const ClipRecord& clip : result.clips) {
    EXPECT_EQ(clip.status, ClipStatus::ok);
    EXPECT_GE(clip.encoder_slot, 0);
    EXPECT_LT(clip.encoder_slot, 3);
    EXPECT_LE(clip.times.admitted, clip.times.analysis_start);
    EXPECT_LE(clip.times.analysis_start, clip.times.detected);
    EXPECT_LE(clip.times.detected, clip.times.encode_start);
    EXPECT_LT(clip.times.encode_start, clip.times.encode_end);
  }
}

TEST_P(RunTest, VideosInFlightNeverExceedTheBound) {
  for (int bound : {1, 2}) {
    FakeWork fake(3, 10ms);
    const RunResult result =
        run_pipeline(videos({"a", "b", "c", "d", "e"}),
                     {.topology = GetParam(), .analyzers = 2, .encoders = 2, .max_in_flight = bound}, fake.work());
    EXPECT_EQ(max_videos_in_flight(result), bound);
    EXPECT_EQ(result.peak_videos_in_flight, bound);
    EXPECT_EQ(result.clips.size(), 15u);
  }
}

TEST_P(RunTest, AFailingClipOrVideoFailsOnlyItself) {
  FakeWork fake(3);
  const RunResult result =
      run_pipeline(videos({"a", "throw", "bad", "c"}),
                   {.topology = GetParam(), .analyzers = 2, .encoders = 2, .max_in_flight = 2}, fake.work());
  int ok = 0;
  int failed = 0;
  for (const ClipRecord& clip : result.clips) {
    if (clip.status == ClipStatus::ok) ++ok;
    if (clip.status == ClipStatus::failed) {
      ++failed;
      ASSERT_TRUE(clip.error);
      if (clip.source == "bad.mp4") {
        EXPECT_FALSE(clip.index) << "a video that failed before planning has no clip index";
      } else {
        EXPECT_EQ(clip.source, "throw.mp4");
        EXPECT_EQ(clip.index, 1);
        EXPECT_EQ(*clip.error, "cannot encode: test failure");
      }
    }
  }
  EXPECT_EQ(ok, 8);
  EXPECT_EQ(failed, 2);
  ASSERT_EQ(result.videos.size(), 4u);
  EXPECT_TRUE(result.videos[2].error);
  EXPECT_FALSE(result.videos[0].error);
}

TEST_P(RunTest, ClipsAreEncodedWhileTheirVideoIsStillBeingAnalysed) {
  FakeWork fake(6, 5ms, 50ms);
  const RunResult result = run_pipeline(
      videos({"long"}), {.topology = GetParam(), .analyzers = 1, .encoders = 2, .max_in_flight = 1}, fake.work());
  ASSERT_EQ(result.clips.size(), 6u);
  const double analysis_end = result.videos[0].analysis_end;
  EXPECT_LT(result.clips.front().times.encode_end, analysis_end);
}

// Decoding once, an analysis keeps its clip's first pictures at once: the next video's analysis
// waits for the last clip of the one before to be encoded, including one that fails, and a video
// that fails before any clip does not hold its analyser.
TEST_P(RunTest, DecodingOnceTheNextAnalysisStartsWhenTheVideoBeforeIsEncoded) {
  FakeWork fake(2, 40ms, 1ms);
  const RunResult result = run_pipeline(
      videos({"a", "throw", "bad", "c"}),
      {.topology = GetParam(), .analyzers = 1, .encoders = 2, .max_in_flight = 2, .decode_once = true}, fake.work());
  ASSERT_EQ(result.videos.size(), 4u);
  EXPECT_EQ(result.clips.size(), 7u);
  std::map<std::filesystem::path, double> last_encode_end;
  for (const ClipRecord& clip : result.clips) {
    if (clip.index) last_encode_end[clip.source] = std::max(last_encode_end[clip.source], clip.times.encode_end);
  }
  // Videos are admitted side by side and may reach the analyser in any order.
  std::vector<VideoRecord> analysed = result.videos;
  std::sort(analysed.begin(), analysed.end(),
            [](const VideoRecord& a, const VideoRecord& b) { return a.analysis_start < b.analysis_start; });
  for (size_t i = 0; i + 1 < analysed.size(); ++i) {
    const VideoRecord& before = analysed[i];
    const double next_start_s = analysed[i + 1].analysis_start;
    if (before.source == "bad.mp4") {
      EXPECT_LT(next_start_s - before.analysis_end, 0.5) << "'bad' planned no clip";
    } else {
      EXPECT_GE(next_start_s, last_encode_end.at(before.source)) << "after " << before.source << ", failed clip or not";
    }
  }

  FakeWork decoupled(2, 100ms, 1ms);
  const RunResult apart = run_pipeline(
      videos({"a", "b"}), {.topology = GetParam(), .analyzers = 1, .encoders = 2, .max_in_flight = 2},
      decoupled.work());
  double first_encode_end_s = std::numeric_limits<double>::infinity();
  for (const ClipRecord& clip : apart.clips) first_encode_end_s = std::min(first_encode_end_s, clip.times.encode_end);
  EXPECT_LT(std::max(apart.videos[0].analysis_start, apart.videos[1].analysis_start), first_encode_end_s)
      << "decoding twice, the analyser goes on to the next video";
}

// Four single-clip videos on 4 cores, 1 analyser, 2 encoders: the clips that start while work
// waits behind them share the cores left by the analyser, even between two videos' analyses; the
// last one to start is given every core; an explicit T is kept. Analysis is quick and encodes are
// slow, so that the third clip starts while the fourth waits.
TEST_P(RunTest, EncodersShareTheCoresAndTheLastClipGetsThemAll) {
  const auto jobs = videos({"a", "b", "c", "d"});
  const PipelineConfig config{.topology = GetParam(), .analyzers = 1, .encoders = 2, .max_in_flight = 4, .cores = 4};
  FakeWork adaptive(1, 60ms, 1ms);
  RunResult result = run_pipeline(jobs, config, adaptive.work());
  ASSERT_EQ(result.clips.size(), 4u);
  std::sort(result.clips.begin(), result.clips.end(),
            [](const ClipRecord& a, const ClipRecord& b) { return a.times.encode_start < b.times.encode_start; });
  EXPECT_EQ(result.clips.back().threads, 4);
  for (size_t i = 0; i + 1 < result.clips.size(); ++i) {
    EXPECT_GE(result.clips[i].threads, 1);
    EXPECT_LE(result.clips[i].threads, 3) << "clip " << i << " started while an analyser held a core";
  }

  FakeWork fixed(1, 30ms);
  PipelineConfig fixed_config = config;
  fixed_config.threads_per_encoder = 1;
  for (const ClipRecord& clip : run_pipeline(jobs, fixed_config, fixed.work()).clips) EXPECT_EQ(clip.threads, 1);
}

// A stop during a video's analysis: that video is interrupted, not failed, and the others go on.
TEST_P(RunTest, AnAnalysisCutShortByAStopIsInterruptedNotFailed) {
  FakeWork fake(2);
  const RunResult result =
      run_pipeline(videos({"a", "stopped", "c"}),
                   {.topology = GetParam(), .analyzers = 1, .encoders = 1, .max_in_flight = 2}, fake.work());
  ASSERT_EQ(result.videos.size(), 3u);
  EXPECT_TRUE(result.videos[1].interrupted);
  EXPECT_FALSE(result.videos[1].error);
  EXPECT_FALSE(result.videos[0].interrupted);
  for (const ClipRecord& clip : result.clips) EXPECT_EQ(clip.status, ClipStatus::ok) << clip.source;
  EXPECT_EQ(result.clips.size(), 4u);
}

// A feed that counts how many of its videos are open (given out and not finished) when the graph
// asks it for one more, as a queue must be read: only when there is room.
class CountingFeed final : public VideoFeed {
 public:
  explicit CountingFeed(std::vector<VideoJob> videos) : m_videos(std::move(videos)) {}

  std::optional<VideoJob> next() override {
    std::lock_guard lock(m_mutex);
    m_most_open_when_asked = std::max(m_most_open_when_asked, m_open);
    if (m_next >= m_videos.size()) return std::nullopt;
    ++m_open;
    VideoJob job = m_videos[m_next++];
    job.id = 1000;  // the graph numbers the videos itself
    return job;
  }
  void clip_finished(const ClipRecord& clip) override {
    std::lock_guard lock(m_mutex);
    ++m_clips[clip.source.string()];
  }
  void video_finished(const VideoJob& video, const VideoRecord& record) override {
    std::lock_guard lock(m_mutex);
    --m_open;
    EXPECT_EQ(video.source, record.source);
    EXPECT_EQ(m_clips[video.source.string()], record.clips_planned) << "finished before all its clips";
    EXPECT_GT(record.finished, 0.0);
    m_finished.push_back(video.source.string());
  }

  int most_open_when_asked() const { return m_most_open_when_asked; }
  std::vector<std::string> finished() const { return m_finished; }

 private:
  std::mutex m_mutex;
  std::vector<VideoJob> m_videos;
  size_t m_next = 0;
  int m_open = 0;
  int m_most_open_when_asked = 0;
  std::map<std::string, int> m_clips;
  std::vector<std::string> m_finished;
};

TEST_P(RunTest, AFeedIsAskedOnlyWhenThereIsRoomAndHearsOfEachVideoOnceAllItsClipsAreDone) {
  FakeWork fake(3);
  CountingFeed feed(videos({"a", "bad", "c", "d", "e"}));
  const RunResult result =
      run_pipeline(feed, {.topology = GetParam(), .analyzers = 1, .encoders = 2, .max_in_flight = 2}, fake.work());
  EXPECT_LE(feed.most_open_when_asked(), 1) << "asked for a video while K = 2 were open";
  std::vector<std::string> finished = feed.finished();
  std::sort(finished.begin(), finished.end());
  EXPECT_EQ(finished, (std::vector<std::string>{"a.mp4", "bad.mp4", "c.mp4", "d.mp4", "e.mp4"}));
  ASSERT_EQ(result.videos.size(), 5u);
  for (size_t id = 0; id < result.videos.size(); ++id) EXPECT_TRUE(result.videos[id].admitted_at_all);
  EXPECT_EQ(fake.produced().size(), 12u);
  for (const ClipRecord& clip : result.clips) EXPECT_LT(clip.video_id, 5u);
}

// A feed without end, as a worker's queue: it hears of every record, and the run keeps none.
class ForgettingFeed final : public VideoFeed {
 public:
  explicit ForgettingFeed(std::vector<VideoJob> videos) : m_videos(std::move(videos)) {}

  std::optional<VideoJob> next() override {
    std::lock_guard lock(m_mutex);
    if (m_next >= m_videos.size()) return std::nullopt;
    return m_videos[m_next++];
  }
  void clip_finished(const ClipRecord& clip) override {
    std::lock_guard lock(m_mutex);
    ++m_clips_heard[clip.status];
  }
  void video_finished(const VideoJob& video, const VideoRecord& record) override {
    std::lock_guard lock(m_mutex);
    EXPECT_EQ(video.source, record.source);
    EXPECT_GT(record.finished, 0.0);
    m_videos_heard.push_back(video.source.string());
  }
  bool keeps_records() const override { return false; }

  std::map<ClipStatus, long> clips_heard() const { return m_clips_heard; }
  size_t videos_heard() const { return m_videos_heard.size(); }

 private:
  mutable std::mutex m_mutex;
  std::vector<VideoJob> m_videos;
  size_t m_next = 0;
  std::map<ClipStatus, long> m_clips_heard;
  std::vector<std::string> m_videos_heard;
};

TEST_P(RunTest, AFeedThatKeepsNoRecordsHearsOfEveryOneAndTheRunHoldsOnlyCounts) {
  FakeWork fake(2, 2ms, 1ms);
  std::vector<std::string> names{"bad", "throw"};
  for (int n = 0; n < 40; ++n) names.push_back("video-" + std::to_string(n));
  ForgettingFeed feed(videos(names));
  const RunResult result =
      run_pipeline(feed, {.topology = GetParam(), .analyzers = 2, .encoders = 2, .max_in_flight = 3}, fake.work());
  EXPECT_EQ(feed.videos_heard(), names.size());
  const std::map<ClipStatus, long> heard = feed.clips_heard();
  EXPECT_EQ(heard.at(ClipStatus::ok), 2 * 40 + 1);
  EXPECT_EQ(heard.at(ClipStatus::failed), 1) << "the clip named 'throw-1'; 'bad' fails in its analysis";
  EXPECT_TRUE(result.clips.empty());
  EXPECT_TRUE(result.videos.empty()) << "the records of finished videos are still held";
  EXPECT_EQ(result.videos_seen, static_cast<long>(names.size()));
  EXPECT_EQ(result.clip_counts.ok, 2 * 40 + 1);
  EXPECT_EQ(result.clip_counts.failed, 2) << "the clip 'throw-1' and the video 'bad'";
}

INSTANTIATE_TEST_SUITE_P(BothTopologies, RunTest, ::testing::Values(Topology::stages, Topology::pool),
                         [](const auto& param_info) { return std::string(topology_name(param_info.param)); });

}  // namespace
}  // namespace clipper::pipeline
