// `clipper submit` and `clipper status`: the queue's two ends that do no video work.
#include <fmt/format.h>

#include <algorithm>
#include <cstdio>
#include <limits>
#include <map>

#include "clipper/pipeline/inputs.hpp"
#include "clipper/plan/output_names.hpp"
#include "clipper/queue/job_queue.hpp"
#include "clipper/report/json_report.hpp"
#include "clipper/report/summary.hpp"
#include "clipper/report/timeline_svg.hpp"
#include "clipper/util/error.hpp"
#include "clipper/util/stopwatch.hpp"
#include "clipper/version.hpp"
#include "exit_codes.hpp"
#include "queue_commands.hpp"
#include "queue_job.hpp"

namespace clipper::cli {
namespace {

using Json = nlohmann::json;

int status_rank(pipeline::ClipStatus status) {
  switch (status) {
    case pipeline::ClipStatus::ok:
      return 3;
    case pipeline::ClipStatus::skipped:
      return 2;
    case pipeline::ClipStatus::failed:
      return 1;
    case pipeline::ClipStatus::interrupted:
      return 0;
  }
  return 0;
}

void shift(pipeline::ClipTimes& t, double by) {
  for (double* time : {&t.admitted, &t.analysis_start, &t.detected, &t.encode_start, &t.encode_end}) *time += by;
}

void shift(pipeline::VideoRecord& v, double by) {
  for (double* time : {&v.admitted, &v.analysis_start, &v.analysis_end, &v.finished}) *time += by;
}

// The most that were open at once, of intervals [from, to).
int most_at_once(const std::vector<std::pair<double, double>>& intervals) {
  std::vector<std::pair<double, int>> events;
  for (const auto& [from, to] : intervals) {
    events.emplace_back(from, +1);
    events.emplace_back(to, -1);
  }
  std::sort(events.begin(), events.end());
  int open = 0;
  int most = 0;
  for (const auto& [time, change] : events) most = std::max(most, open += change);
  return most;
}

double mean_open(const std::vector<std::pair<double, double>>& intervals, double wall_s) {
  double sum = 0.0;
  for (const auto& [from, to] : intervals) sum += std::max(0.0, to - from);
  return wall_s > 0 ? sum / wall_s : 0.0;
}

struct Fleet {
  pipeline::RunResult result;
  std::vector<std::string> clip_workers;  // of result.clips, in order
  std::map<std::string, double> started;  // job -> epoch seconds its latest delivery started
  std::vector<std::string> workers;
};

// Every worker's records as one run: one record per clip (the best one: a clip written by one
// worker and skipped by the next is written), one per video, times from the earliest admission.
Fleet merge_records(const std::vector<std::string>& texts) {
  struct Timed {
    Json record;
    double epoch = 0.0;
  };
  std::map<std::pair<std::string, int>, Timed> clips;
  std::map<std::string, Timed> videos;
  Fleet fleet;
  double base = std::numeric_limits<double>::infinity();
  for (const std::string& text : texts) {
    Json record = Json::parse(text, nullptr, false);
    if (!record.is_object()) continue;
    const std::string type = record.value("type", "");
    const std::string job = record.value("job", "");
    const double epoch = record.value("epoch", 0.0);
    if (type == "start") {
      fleet.started[job] = record.value("at", epoch);
      continue;
    }
    base = std::min(base, epoch + record.value("t", Json::object()).value("admitted", 0.0));
    if (std::find(fleet.workers.begin(), fleet.workers.end(), record.value("worker", "")) == fleet.workers.end()) {
      fleet.workers.push_back(record.value("worker", ""));
    }
    if (type == "video") {
      videos[job] = {record, epoch};
    } else if (type == "clip" && record.contains("index") && record["index"].is_number_integer()) {
      const auto key = std::make_pair(job, record["index"].get<int>());
      const auto seen = clips.find(key);
      const auto rank = [](const Json& r) { return status_rank(report::clip_from_json(r).status); };
      if (seen == clips.end() || rank(record) >= rank(seen->second.record)) clips[key] = {record, epoch};
    }
  }
  std::vector<std::pair<double, double>> encoding;
  std::vector<std::pair<double, double>> clips_open;
  std::vector<std::pair<double, double>> videos_open;
  int slots_per_worker = 1;
  for (const auto& [key, timed] : clips) slots_per_worker = std::max(slots_per_worker, timed.record.value("encoder_slot", 0) + 1);
  for (const auto& [key, timed] : clips) {
    pipeline::ClipRecord clip = report::clip_from_json(timed.record);
    shift(clip.times, timed.epoch - base);
    // One timeline lane per encoder of each worker.
    const auto worker = std::find(fleet.workers.begin(), fleet.workers.end(), timed.record.value("worker", ""));
    clip.encoder_slot += static_cast<int>(worker - fleet.workers.begin()) * slots_per_worker;
    encoding.emplace_back(clip.times.encode_start, clip.times.encode_end);
    clips_open.emplace_back(clip.times.detected, clip.times.encode_end);
    fleet.result.wall_s = std::max(fleet.result.wall_s, clip.times.encode_end);
    fleet.result.clips.push_back(std::move(clip));
    fleet.clip_workers.push_back(timed.record.value("worker", ""));
  }
  for (const auto& [job, timed] : videos) {
    pipeline::VideoRecord video = report::video_from_json(timed.record);
    shift(video, timed.epoch - base);
    videos_open.emplace_back(video.admitted, video.finished);
    fleet.result.wall_s = std::max(fleet.result.wall_s, video.finished);
    if (video.error && video.clips_planned == 0) {
      fleet.result.clips.push_back({.source = video.source, .status = pipeline::ClipStatus::failed, .error = video.error});
      fleet.clip_workers.push_back(timed.record.value("worker", ""));
    }
    fleet.result.videos.push_back(std::move(video));
  }
  fleet.result.peak_encoders = most_at_once(encoding);
  fleet.result.peak_videos_in_flight = most_at_once(videos_open);
  fleet.result.sampled_clips_in_flight = mean_open(clips_open, fleet.result.wall_s);
  fleet.result.sampled_videos_in_flight = mean_open(videos_open, fleet.result.wall_s);
  return fleet;
}

void print_counts(const queue::Address& address, const queue::QueueCounts& counts, const Fleet& fleet) {
  const auto outcome = [&](const char* name) {
    const auto found = counts.outcomes.find(name);
    return found == counts.outcomes.end() ? 0L : found->second;
  };
  fmt::print("queue {}\n", address.text());
  fmt::print("  videos   {} submitted, {} waiting, {} in progress, {} done, {} failed, {} dead\n", counts.submitted,
             counts.waiting, counts.in_progress.size(), outcome("ok"), outcome("failed"), outcome("dead"));
  for (const queue::PendingJob& job : counts.in_progress) {
    const auto started = fleet.started.find(job.id);
    const std::string since =
        started == fleet.started.end() ? "" : fmt::format(" for {:.1f} s", util::epoch_s() - started->second);
    fmt::print("    job {} on {}{} (delivery {}, last heartbeat {:.1f} s ago)\n", job.id, job.worker, since,
               job.deliveries, job.idle_s);
  }
}

void print_clips(const report::Summary& s) {
  fmt::print("  clips    {} ok, {} skipped (already there), {} failed, {} interrupted\n", s.clips_ok, s.clips_skipped,
             s.clips_failed, s.clips_interrupted);
  if (s.latency_s.count == 0) return;
  fmt::print("  {:.1f} clips/min over {:.1f} s; latency p50 {:.2f} s, p95 {:.2f} s, p99 {:.2f} s\n",
             s.throughput_per_min, s.wall_s, s.latency_s.p50, s.latency_s.p95, s.latency_s.p99);
}

}  // namespace

void add_queue_option(CLI::App& command, std::string& queue) {
  command.add_option("--queue", queue, "redis://[:PASSWORD@]HOST:PORT/NAME or unix:///PATH/redis.sock?name=NAME")
      ->required();
}

CLI::App* add_submit_command(CLI::App& app, SubmitOptions& options) {
  CLI::App* submit = app.add_subcommand("submit", "Add one job per video to a queue, for clipper worker");
  submit->add_option("inputs", options.inputs, "Video files and folders (searched recursively)")->required();
  add_queue_option(*submit, options.queue);
  submit->add_flag("--again", options.again, "Queue videos that were submitted to this queue before too");
  submit->footer(
      "Each job carries the main command's analysis, encode and --name options. The paths are made\n"
      "absolute: every worker must see them at the same place.");
  return submit;
}

int run_submit(const SubmitOptions& submit, const RunOptions& options) {
  const auto videos = pipeline::collect_videos(submit.inputs, {});
  if (videos.empty()) throw util::UsageError("no video found in the inputs");
  const std::vector<std::string> names = plan::folder_names(videos);
  // A job the workers would refuse is refused here, before anything is queued.
  for (size_t i = 0; i < videos.size(); ++i) {
    try {
      (void)read_job(job_json(videos[i], names[i], options).dump());
    } catch (const util::Error& error) {
      throw util::UsageError(error.what());
    }
  }
  const queue::Address address = queue::parse_address(submit.queue);
  queue::JobQueue jobs(address, "");
  int queued = 0;
  for (size_t i = 0; i < videos.size(); ++i) {
    const std::string video = std::filesystem::absolute(videos[i]).lexically_normal().string();
    const std::string name = jobs.claim_name(names[i], video);
    if (jobs.submit(video, job_json(videos[i], name, options).dump(), submit.again)) ++queued;
  }
  std::printf("queued %d of %zu videos to %s", queued, videos.size(), address.text().c_str());
  if (queued < static_cast<int>(videos.size())) std::printf(" (the others were submitted before: --again)");
  std::printf("\n");
  return kExitDone;
}

CLI::App* add_status_command(CLI::App& app, StatusOptions& options) {
  CLI::App* status = app.add_subcommand("status", "What a queue's workers have done and are doing");
  add_queue_option(*status, options.queue);
  status->add_option("--report", options.report,
                     "Write the merged report of every worker's clips, in the schema of --report, with 'worker' "
                     "per clip");
  status->add_option("--svg", options.svg, "Draw the merged timeline: every encode of every worker, one lane each");
  return status;
}

int run_status(const StatusOptions& options) {
  const queue::Address address = queue::parse_address(options.queue);
  queue::JobQueue jobs(address, "");
  const queue::QueueCounts counts = jobs.counts();
  const Fleet fleet = merge_records(jobs.records());
  const report::Summary summary = report::summarize(fleet.result);
  print_counts(address, counts, fleet);
  print_clips(summary);
  for (const queue::DeadJob& dead : jobs.dead()) fmt::print("  dead job {}: {}\n", dead.id, dead.error);
  if (options.report) {
    Json config = {{"clipper_version", kVersion}, {"queue", address.text()}, {"workers", fleet.workers}};
    Json document = report::report_json(config, fleet.result, summary);
    for (size_t i = 0; i < fleet.clip_workers.size(); ++i) document["clips"][i]["worker"] = fleet.clip_workers[i];
    report::write_json(*options.report, document);
  }
  if (options.svg) report::write_timeline_svg(*options.svg, {{.label = address.text(), .result = &fleet.result}}, 0.0);
  return kExitDone;
}

}  // namespace clipper::cli
