// `clipper worker`: the main command's graph, fed from a queue instead of a list.
#include <fmt/format.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <map>
#include <mutex>
#include <sstream>
#include <thread>

#include "clipper/pipeline/real_work.hpp"
#include "clipper/queue/job_queue.hpp"
#include "clipper/report/json_report.hpp"
#include "clipper/util/cancellation.hpp"
#include "clipper/util/atomic_file.hpp"
#include "clipper/util/error.hpp"
#include "clipper/util/host.hpp"
#include "clipper/util/stopwatch.hpp"
#include "clipper/util/ticker.hpp"
#include "exit_codes.hpp"
#include "queue_commands.hpp"
#include "queue_job.hpp"

namespace clipper::cli {
namespace {

using namespace std::chrono_literals;

// A worker waits this long for a Redis server that went away before it gives up.
constexpr auto kRedisPatience = std::chrono::minutes(10);

std::string default_worker_id() { return fmt::format("{}-{}", util::host_name(), ::getpid()); }

std::chrono::milliseconds milliseconds_of(double seconds) {
  return std::chrono::milliseconds(static_cast<long long>(seconds * 1000.0));
}

void sleep_unless_stopped(std::chrono::milliseconds time) {
  const auto until = std::chrono::steady_clock::now() + time;
  while (std::chrono::steady_clock::now() < until) {
    util::throw_if_stop_requested();
    std::this_thread::sleep_for(std::min<std::chrono::steady_clock::duration>(10ms, until - std::chrono::steady_clock::now()));
  }
}

// A job taken over from a worker that stopped, perhaps on another host: what it left half written
// is nobody's.
pipeline::EncodeFn clearing_temporaries(pipeline::EncodeFn encode) {
  return [encode = std::move(encode)](const pipeline::ClipJob& clip, int threads) {
    util::remove_temporaries(clip.output);
    return encode(clip, threads);
  };
}

struct Simulation {
  std::chrono::milliseconds analysis{0};
  std::chrono::milliseconds encode{0};
};

std::optional<Simulation> read_simulation(const std::string& text) {
  if (text.empty()) return std::nullopt;
  int analysis = -1;
  int encode = -1;
  char comma = 0;
  std::istringstream in(text);
  if (!(in >> analysis >> comma >> encode) || comma != ',' || analysis < 0 || encode < 0 || !in.eof()) {
    throw util::UsageError(fmt::format("--simulate '{}': expected ANALYSIS_MS,ENCODE_MS", text));
  }
  return Simulation{std::chrono::milliseconds(analysis), std::chrono::milliseconds(encode)};
}

// Each video is analysed for `analysis` and gives one clip, encoded for `encode`: sleeps, so that
// the number of workers is measured, not the cores of the machine they share. Names as `real`.
pipeline::Work simulated_work(const Simulation& simulation, const pipeline::Work& real) {
  return {.analyze =
              [simulation](const pipeline::VideoJob&, const pipeline::EmitClip& emit) {
                sleep_unless_stopped(simulation.analysis);
                emit({.start_s = 0.0, .end_s = 1.0, .moment_s = 0.5, .score = 1.0}, nullptr);
                return pipeline::AnalysisOutcome{};
              },
          .encode =
              [simulation](const pipeline::ClipJob&, int) {
                sleep_unless_stopped(simulation.encode);
                return pipeline::ClipOutcome{};
              },
          .output_name = real.output_name};
}

class QueueFeed final : public pipeline::VideoFeed {
 public:
  QueueFeed(const queue::Address& address, const WorkerOptions& options, const RunOptions& run)
      : m_options(options),
        m_output_dir(run.output_dir),
        m_topology(run.topology),
        m_reader(address, options.id, kRedisPatience),
        m_writer(address, options.id, kRedisPatience),
        m_heartbeat(std::clamp(milliseconds_of(options.claim_after_s / 4), 100ms, 30000ms), [this] { beat(); }) {}

  ~QueueFeed() override { m_heartbeat.stop(); }

  std::optional<pipeline::VideoJob> next() override {
    while (!util::stop_requested()) {
      std::optional<queue::Delivery> delivery = m_reader.take_abandoned(milliseconds_of(m_options.claim_after_s));
      if (!delivery) delivery = m_reader.read_new(500ms);
      if (delivery) {
        if (auto job = take(*delivery)) return job;
      } else if (m_options.drain && nothing_left()) {
        return std::nullopt;
      }
    }
    return std::nullopt;
  }

  void clip_finished(const pipeline::ClipRecord& clip) override {
    nlohmann::json record = report::clip_json(clip);
    publish("clip", clip.tag, record);
    std::lock_guard lock(m_mutex);
    const auto running = m_running.find(clip.tag);
    if (running == m_running.end()) return;
    running->second.failed |= clip.status == pipeline::ClipStatus::failed;
    running->second.interrupted |= clip.status == pipeline::ClipStatus::interrupted;
  }

  void video_finished(const pipeline::VideoJob& video, const pipeline::VideoRecord& record) override {
    publish("video", video.tag, report::video_json(record));
    Running running;
    {
      std::lock_guard lock(m_mutex);
      const auto found = m_running.find(video.tag);
      if (found == m_running.end()) return;
      running = std::move(found->second);
      m_running.erase(found);
    }
    if (record.interrupted || running.interrupted) {
      spdlog::info("worker {}: job {} stopped; it stays in the queue for another worker", m_options.id, video.tag);
      return;
    }
    const bool failed = record.error || running.failed;
    if (!m_writer.finish(video.tag, failed ? "failed" : "ok")) {
      spdlog::warn("worker {}: job {} was taken over by another worker (no heartbeat for --claim-after); its end is "
                   "theirs",
                   m_options.id, video.tag);
      return;
    }
    m_any_failed = m_any_failed || failed;
  }

  // The work of each job, with that job's own analysis, encode and name options.
  pipeline::Work work() {
    return {.analyze = [this](const pipeline::VideoJob& video,
                              const pipeline::EmitClip& emit) {
              return work_of(video.tag).analyze(video, emit);
            },
            .encode = [this](const pipeline::ClipJob& clip, int threads) { return work_of(clip.tag).encode(clip, threads); },
            .output_name = [this](const pipeline::VideoJob& video, int index, const plan::ClipWindow& window) {
              return work_of(video.tag).output_name(video, index, window);
            }};
  }

  bool any_failed() const { return m_any_failed; }
  // Each record goes to the queue as it is made; a worker runs for as long as jobs come.
  bool keeps_records() const override { return false; }

 private:
  struct Running {
    pipeline::Work work;
    bool failed = false;
    bool interrupted = false;
  };

  std::optional<pipeline::VideoJob> take(const queue::Delivery& delivery) {
    if (delivery.deliveries > m_options.max_deliveries) {
      bury(delivery, fmt::format("delivered {} times: every worker that took it stopped before it was done, the "
                                 "last one '{}'",
                                 delivery.deliveries - 1, delivery.previous_worker));
      return std::nullopt;
    }
    QueueJob job;
    try {
      job = read_job(delivery.job);
      if (m_confinement) (void)m_confinement->resolve(job.video);
    } catch (const util::Error& error) {
      bury(delivery, error.what());
      return std::nullopt;
    }
    spdlog::info("worker {}: job {}: '{}'", m_options.id, delivery.id, job.video.string());
    publish("start", delivery.id, {{"at", util::epoch_s()}});
    const pipeline::OutputNaming naming{.names = plan::NameTemplate::parse(job.options.name_template, true),
                                        .topology = m_topology};
    pipeline::Work work = pipeline::make_real_work(job.options.analysis.settings, job.options.encode, naming);
    if (m_simulation) work = simulated_work(*m_simulation, work);
    if (!delivery.previous_worker.empty()) work.encode = clearing_temporaries(std::move(work.encode));
    {
      std::lock_guard lock(m_mutex);
      m_running[delivery.id] = {.work = std::move(work)};
    }
    return pipeline::VideoJob{.source = job.video, .output_dir = m_output_dir, .name = job.name, .tag = delivery.id};
  }

  void bury(const queue::Delivery& delivery, const std::string& error) {
    spdlog::error("job {}: {}; moved to the dead jobs", delivery.id, error);
    m_writer.bury(delivery, error);
  }

  // No job waits, and none is held by another worker that might stop and leave it.
  bool nothing_left() {
    const queue::QueueCounts counts = m_reader.unfinished();
    if (counts.waiting > 0) return false;
    return std::all_of(counts.in_progress.begin(), counts.in_progress.end(),
                       [this](const queue::PendingJob& job) { return job.worker == m_options.id; });
  }

  const pipeline::Work& work_of(const std::string& tag) {
    std::lock_guard lock(m_mutex);
    return m_running.at(tag).work;
  }

  void publish(const char* type, const std::string& tag, nlohmann::json record) {
    record["type"] = type;
    record["worker"] = m_options.id;
    record["job"] = tag;
    record["epoch"] = m_epoch;
    m_writer.publish(report::json_text(record, -1));
  }

  void beat() {
    std::vector<std::string> ids;
    {
      std::lock_guard lock(m_mutex);
      for (const auto& [id, running] : m_running) ids.push_back(id);
    }
    try {
      m_writer.keep(ids);
    } catch (const std::exception& error) {
      spdlog::warn("worker {}: {}", m_options.id, error.what());
    }
  }

  const WorkerOptions& m_options;
  std::unique_ptr<util::InputConfinement> m_confinement = confine_inputs(m_options.inputs_under);
  std::optional<Simulation> m_simulation = read_simulation(m_options.simulate);
  std::filesystem::path m_output_dir;
  std::string m_topology;
  double m_epoch = util::epoch_s();  // the run's clock starts now: record times count from it
  queue::JobQueue m_reader;        // blocks waiting for jobs
  queue::JobQueue m_writer;        // records, acknowledgements, heartbeats
  std::mutex m_mutex;
  std::map<std::string, Running> m_running;  // by job id
  std::atomic<bool> m_any_failed{false};
  util::Ticker m_heartbeat;  // last: it ticks into the members above
};

}  // namespace

CLI::App* add_worker_command(CLI::App& app, WorkerOptions& options) {
  CLI::App* worker = app.add_subcommand("worker", "Take jobs from a queue and encode their clips into DIR");
  add_queue_option(*worker, options.queue);
  worker->add_option("--id", options.id, "This worker's name in the queue (default: HOST-PID)");
  worker
      ->add_option("--claim-after", options.claim_after_s,
                   "Seconds without a heartbeat after which a job's worker is taken to have stopped and another "
                   "takes the job (a live worker beats every quarter of it)")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  worker->add_option("--max-deliveries", options.max_deliveries, "Deliveries after which a job goes to the dead jobs")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  worker->add_option("--inputs-under", options.inputs_under,
                     "Take only videos under DIR (links followed; may be given again); a job naming another "
                     "goes to the dead jobs. Default: any file this worker can read")
      ->type_name("DIR");
  worker->add_flag("--drain", options.drain, "Exit once no job is waiting or held by another worker");
  worker->add_option("--simulate", options.simulate,
                     "ANALYSIS_MS,ENCODE_MS: sleep instead of analysing and encoding, one clip per video, nothing "
                     "written (scripts/bench_workers.sh)");
  worker->footer(
      "Takes the main command's -o, --topology, --analyzers, --encoders, --threads-per-encoder and\n"
      "--max-in-flight; each job brings its own analysis, encode and name options (clipper submit).\n"
      "Ctrl-C or SIGTERM: no new job is taken, clips being encoded stop and their temporary files are\n"
      "removed, and the unfinished jobs stay in the queue for another worker. Exit codes: 0; 2 when\n"
      "some clip failed; 130 or 143 when stopped by SIGINT or SIGTERM.");
  return worker;
}

int run_worker(const WorkerOptions& worker_options, RunOptions& options) {
  const pipeline::PipelineConfig config = prepare_run(options, 0);
  util::require_writable_folder(options.output_dir);
  WorkerOptions worker = worker_options;
  if (worker.id.empty()) worker.id = default_worker_id();
  const queue::Address address = queue::parse_address(worker.queue);
  QueueFeed feed(address, worker, options);
  spdlog::info("worker {}: reading {}", worker.id, address.text());
  const pipeline::Work work = feed.work();
  const pipeline::RunResult result = pipeline::run_pipeline(feed, config, work);
  const pipeline::ClipCounts& clips = result.clip_counts;
  spdlog::info("worker {}: {} videos, {} clips done, {} failed", worker.id, result.videos_seen,
               clips.ok + clips.skipped, clips.failed);
  if (result.interrupted) return exit_interrupted();
  return feed.any_failed() ? kExitSomeFailed : kExitDone;
}

}  // namespace clipper::cli
