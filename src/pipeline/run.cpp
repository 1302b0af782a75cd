#include "clipper/pipeline/run.hpp"

#include <oneapi/tbb/flow_graph.h>
#include <oneapi/tbb/global_control.h>
#include <oneapi/tbb/task_arena.h>

#include <algorithm>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <set>

#include "clipper/pipeline/core_budget.hpp"

#include "clipper/util/cancellation.hpp"
#include "clipper/util/cores.hpp"
#include "clipper/util/error.hpp"
#include "clipper/util/ticker.hpp"
#include "run_state.hpp"

namespace clipper::pipeline {
namespace {

namespace flow = oneapi::tbb::flow;
using ClipPorts = std::tuple<ClipJob>;

// Averages the clips planned and not yet produced, and the videos admitted and not finished,
// sampled every 5 ms: measured independently of the latencies, so Little's law is a real check.
class InFlightSampler {
 public:
  explicit InFlightSampler(const RunState& state)
      : m_ticker(std::chrono::milliseconds(5), [this, &state] {
          m_clips += state.clips_in_flight();
          m_videos += state.videos_in_flight();
          ++m_samples;
        }) {}

  void stop_into(RunResult& result) {
    m_ticker.stop();
    const double samples = std::max(1.0, static_cast<double>(m_samples));
    result.sampled_clips_in_flight = m_clips / samples;
    result.sampled_videos_in_flight = m_videos / samples;
  }

 private:
  double m_clips = 0.0;
  double m_videos = 0.0;
  long m_samples = 0;
  util::Ticker m_ticker;  // last: it starts ticking into the members above
};

// Encodes one clip in an encoder slot (the slot for the report's lanes).
using EncodeInSlot = std::function<ClipRecord(const ClipJob&, int slot)>;

// The encoders of a topology, as nodes of the graph: clip jobs in, clip records out.
class Encoders {
 public:
  virtual ~Encoders() = default;
  virtual flow::receiver<ClipJob>& jobs() = 0;
  virtual flow::sender<ClipRecord>& records() = 0;
};

// stages: one function node, its concurrency capped at E. Jobs queue in front of it.
class CappedEncoders final : public Encoders {
 public:
  CappedEncoders(flow::graph& graph, int encoders, EncodeInSlot encode)
      : m_slots(encoders),
        m_encoders(graph, static_cast<size_t>(encoders), [this, encode = std::move(encode)](const ClipJob& job) {
          const int slot = m_slots.acquire();
          ClipRecord record = encode(job, slot);
          m_slots.release(slot);
          return record;
        }) {}

  flow::receiver<ClipJob>& jobs() override { return m_encoders; }
  flow::sender<ClipRecord>& records() override { return m_encoders; }

 private:
  SlotPool m_slots;
  flow::function_node<ClipJob, ClipRecord> m_encoders;
};

// pool: a job waits until it is joined with one of E tokens; the encoder hands the token back to
// the token buffer through its second port, a cycle the graph itself shows.
class PooledEncoders final : public Encoders {
 public:
  using Token = int;
  using Ports = std::tuple<ClipRecord, Token>;

  PooledEncoders(flow::graph& graph, int encoders, EncodeInSlot encode)
      : m_waiting(graph),
        m_tokens(graph),
        m_join(graph),
        m_encoders(graph, flow::unlimited,
                   [encode = std::move(encode)](const std::tuple<ClipJob, Token>& job_and_token, auto& ports) {
                     const auto& [job, token] = job_and_token;
                     const ClipRecord record = encode(job, token);
                     std::get<1>(ports).try_put(token);
                     std::get<0>(ports).try_put(record);
                   }) {
    flow::make_edge(m_waiting, flow::input_port<0>(m_join));
    flow::make_edge(m_tokens, flow::input_port<1>(m_join));
    flow::make_edge(m_join, m_encoders);
    flow::make_edge(flow::output_port<1>(m_encoders), m_tokens);
    for (Token token = 0; token < encoders; ++token) m_tokens.try_put(token);
  }

  flow::receiver<ClipJob>& jobs() override { return m_waiting; }
  flow::sender<ClipRecord>& records() override { return flow::output_port<0>(m_encoders); }

 private:
  flow::queue_node<ClipJob> m_waiting;
  flow::buffer_node<Token> m_tokens;
  flow::join_node<std::tuple<ClipJob, Token>, flow::reserving> m_join;
  flow::multifunction_node<std::tuple<ClipJob, Token>, Ports> m_encoders;
};

std::unique_ptr<Encoders> make_encoders(Topology topology, flow::graph& graph, int encoders, EncodeInSlot encode) {
  if (topology == Topology::stages) return std::make_unique<CappedEncoders>(graph, encoders, std::move(encode));
  return std::make_unique<PooledEncoders>(graph, encoders, std::move(encode));
}

// source -> limiter (K) -> admit -> analyse (A) -> encoders (E, by topology) -> complete
class Graph {
 public:
  Graph(VideoFeed& feed, const PipelineConfig& config, const Work& work, RunState& state)
      : m_feed(feed),
        m_config(config),
        m_work(work),
        m_state(state),
        m_budget(config.cores > 0 ? config.cores : util::cores(), config.analyzers, config.threads_per_encoder),
        m_source(m_graph, [this](oneapi::tbb::flow_control& control) { return next_video(control); }),
        m_limiter(m_graph, static_cast<size_t>(config.max_in_flight)),
        m_admit(m_graph, flow::unlimited, [this](const VideoJob& video) { return admit(video); }),
        m_analyse(m_graph, static_cast<size_t>(config.analyzers),
                  [this](const VideoJob& video, auto& ports) { analyse(video, std::get<0>(ports)); }),
        m_encoders(make_encoders(config.topology, m_graph, config.encoders,
                                 [this](const ClipJob& job, int slot) { return encode(job, slot); })),
        m_complete(m_graph, flow::serial, [this](const ClipRecord& record) { complete(record); }) {
    flow::make_edge(m_source, m_limiter);
    flow::make_edge(m_limiter, m_admit);
    flow::make_edge(m_admit, m_analyse);
    flow::make_edge(flow::output_port<0>(m_analyse), m_encoders->jobs());
    flow::make_edge(m_encoders->records(), m_complete);
  }

  void run() {
    m_source.activate();
    m_graph.wait_for_all();
  }

 private:
  // Asks the feed for a video only once there is room for it, so that a queue's jobs wait in the
  // queue (for any worker to take), not in this graph.
  VideoJob next_video(oneapi::tbb::flow_control& control) {
    std::optional<VideoJob> job;
    if (wait_for_room()) job = m_feed.next();
    if (!job) {
      m_state.never_started(m_feed.left().size());
      control.stop();
      return {};
    }
    job->id = m_state.add(*job);
    std::lock_guard lock(m_room_mutex);
    ++m_open_videos;
    return *job;
  }

  // False when the run is to stop admitting videos.
  bool wait_for_room() {
    std::unique_lock lock(m_room_mutex);
    for (;;) {
      const bool out_of_time = m_config.admit_for_s > 0 && m_state.clock().now_s() >= m_config.admit_for_s;
      if (out_of_time || util::stop_requested()) return false;
      if (m_open_videos < m_config.max_in_flight) return true;
      m_room.wait_for(lock, std::chrono::milliseconds(50));
    }
  }

  VideoJob admit(const VideoJob& video) {
    m_state.admit(video.id);
    return video;
  }

  template <typename Port>
  void analyse(const VideoJob& job, Port& out) {
    const size_t video = job.id;
    m_state.start_analysis(video);
    AnalysisOutcome outcome;
    try {
      outcome = m_work.analyze(job, [&](const plan::ClipWindow& window, std::shared_ptr<FedClip> fed) {
        ClipJob clip = m_state.plan_clip(job, window);
        clip.output = m_work.output_name(job, clip.index, window);
        clip.fed = std::move(fed);
        out.try_put(clip);
      });
    } catch (const util::Interrupted&) {
      m_state.interrupt(video);
    } catch (const std::exception& failure) {
      outcome.error = failure.what();
    }
    const bool finished = m_state.finish_analysis(video, outcome);
    if (finished) tell_feed_finished(video);
    if (finished || !m_config.bound_encoding) release_admission();
    if (!finished && analyser_waits_for_encodes()) wait_until_encoded(video);
  }

  // Decoding once, an analyser and its video's encoder work as one: the next analysis, which keeps
  // pictures for its first clip at once, starts when the last clip is encoded, not while it is.
  bool analyser_waits_for_encodes() const { return m_config.decode_once && m_config.bound_encoding; }

  void wait_until_encoded(size_t video) {
    std::unique_lock lock(m_encoded_mutex);
    m_encoded.wait(lock, [&] { return m_encoded_videos.contains(video); });
    m_encoded_videos.erase(video);
  }

  void note_encoded(size_t video) {
    {
      std::lock_guard lock(m_encoded_mutex);
      m_encoded_videos.insert(video);
    }
    m_encoded.notify_all();
  }

  ClipRecord encode(const ClipJob& job, int slot) {
    ClipRecord record{.video_id = job.video_id,
                      .source = job.source,
                      .index = job.index,
                      .window = job.window,
                      .output = job.output,
                      .encoder_slot = slot,
                      .times = job.times,
                      .tag = job.tag};
    const CoreBudget::Lease cores = start_encoding();
    record.threads = cores.cores();
    record.times.encode_start = m_state.clock().now_s();
    try {
      const ClipOutcome outcome = m_work.encode(job, cores.cores());
      record.status = outcome.status;
      record.error = outcome.error;
      if (outcome.window) record.window = *outcome.window;
    } catch (const util::Interrupted&) {
      record.status = ClipStatus::interrupted;  // stopped, not failed: nothing is wrong with the clip
    } catch (const std::exception& failure) {
      record.status = ClipStatus::failed;
      record.error = failure.what();
    }
    record.times.encode_end = m_state.clock().now_s();
    m_state.encoder_stopped();
    return record;
  }

  // Two clips whose encoders free up together start together: one at a time here, so that the first
  // leaves a core for the second instead of taking every core as if it were the last.
  CoreBudget::Lease start_encoding() {
    std::lock_guard lock(m_start_mutex);
    m_state.encoder_started();
    const int free_encoders = std::max(0, m_config.encoders - m_state.encoders_busy());
    return m_budget.grant_for_encoding(m_state.work_waiting(), m_state.videos_to_analyse(),
                                       std::min(m_state.clips_waiting(), free_encoders));
  }

  void complete(const ClipRecord& record) {
    m_feed.clip_finished(record);
    if (!m_state.finish_clip(record)) return;
    if (analyser_waits_for_encodes()) note_encoded(record.video_id);
    tell_feed_finished(record.video_id);
    if (m_config.bound_encoding) release_admission();
  }

  void tell_feed_finished(size_t video) {
    m_feed.video_finished(m_state.job(video), m_state.video(video));
    m_state.forget(video);
  }

  void release_admission() {
    {
      std::lock_guard lock(m_room_mutex);
      --m_open_videos;
    }
    m_room.notify_all();
    m_limiter.decrementer().try_put(flow::continue_msg());
  }

  VideoFeed& m_feed;
  PipelineConfig m_config;
  const Work& m_work;
  RunState& m_state;
  CoreBudget m_budget;
  std::mutex m_start_mutex;
  std::mutex m_encoded_mutex;
  std::condition_variable m_encoded;
  std::set<size_t> m_encoded_videos;  // every clip encoded, until their analysers see it
  std::mutex m_room_mutex;
  std::condition_variable m_room;
  int m_open_videos = 0;  // given to the limiter and not released

  flow::graph m_graph;
  flow::input_node<VideoJob> m_source;
  flow::limiter_node<VideoJob> m_limiter;
  flow::function_node<VideoJob, VideoJob> m_admit;
  flow::multifunction_node<VideoJob, ClipPorts> m_analyse;
  std::unique_ptr<Encoders> m_encoders;
  flow::function_node<ClipRecord> m_complete;
};

}  // namespace


namespace {

class ListFeed final : public VideoFeed {
 public:
  explicit ListFeed(const std::vector<VideoJob>& videos) : m_videos(videos) {}
  std::optional<VideoJob> next() override {
    if (m_next >= m_videos.size()) return std::nullopt;
    return m_videos[m_next++];
  }
  std::vector<VideoJob> left() const override {
    return {m_videos.begin() + static_cast<std::ptrdiff_t>(m_next), m_videos.end()};
  }

 private:
  const std::vector<VideoJob>& m_videos;
  size_t m_next = 0;
};

RunResult run_graph(VideoFeed& feed, size_t expected, const PipelineConfig& config, const Work& work,
                    Progress* progress) {
  RunState state(expected, progress, feed.keeps_records());
  // Analysers and encoders block for seconds at a time: give every one of them a thread of its own
  // (plus the source waiting for room, and the one waiting for the graph), even beyond the cores.
  const int threads = config.analyzers + config.encoders + 2;
  oneapi::tbb::global_control parallelism(oneapi::tbb::global_control::max_allowed_parallelism,
                                          static_cast<size_t>(threads));
  oneapi::tbb::task_arena arena(threads);
  InFlightSampler sampler(state);
  arena.execute([&] {
    Graph graph(feed, config, work, state);
    graph.run();
  });
  state.add_never_admitted(feed.left());
  RunResult result = state.take_result(state.clock().now_s());
  sampler.stop_into(result);
  result.interrupted = util::stop_requested();
  return result;
}

}  // namespace

RunResult run_pipeline(const std::vector<VideoJob>& videos, const PipelineConfig& config, const Work& work,
                       Progress* progress) {
  ListFeed feed(videos);
  return run_graph(feed, videos.size(), config, work, progress);
}

RunResult run_pipeline(VideoFeed& feed, const PipelineConfig& config, const Work& work, Progress* progress) {
  return run_graph(feed, 0, config, work, progress);
}

}  // namespace clipper::pipeline
