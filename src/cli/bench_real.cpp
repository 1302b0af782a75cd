#include "bench_real.hpp"

#include <fmt/format.h>
#include <malloc.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <mutex>
#include <numeric>
#include <thread>

#include "clipper/pipeline/inputs.hpp"
#include "clipper/pipeline/real_work.hpp"
#include "clipper/report/summary.hpp"
#include "clipper/report/timeline_svg.hpp"
#include "clipper/util/atomic_file.hpp"
#include "clipper/util/cores.hpp"
#include "clipper/util/error.hpp"

namespace clipper::cli {
namespace {

struct SweepRow {
  pipeline::PipelineConfig config;
  int threads_per_encoder = 1;
  double wall_s = 0.0;
  double cpu_utilisation = 0.0;
  long peak_rss_mb = 0;
  report::Summary summary;
  pipeline::RunResult result;
};

double cpu_seconds() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
         static_cast<double>(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}

// Linux resets the peak resident size (VmHWM) when 5 is written to clear_refs.
void reset_peak_rss() { std::ofstream("/proc/self/clear_refs") << "5"; }

long peak_rss_mb() {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("VmHWM:", 0) == 0) return std::atol(line.c_str() + 6) / 1024;
  }
  return 0;
}

// At most 3 encoder counts (1, the middle power of two, every core; or --encoders), each with
// threads granted by the core budget (0) and with cores / E threads fixed: at most 6 per topology.
std::vector<std::pair<int, int>> encoder_grid(const BenchOptions& options) {
  std::vector<int> counts;
  for (int encoders = 1; encoders < util::cores(); encoders *= 2) counts.push_back(encoders);
  counts.push_back(util::cores());
  std::vector<int> chosen = {counts.front(), counts[counts.size() / 2], counts.back()};
  if (options.encoders > 0) chosen = {options.encoders};
  chosen.erase(std::unique(chosen.begin(), chosen.end()), chosen.end());
  std::vector<std::pair<int, int>> grid;
  for (int encoders : chosen) {
    grid.emplace_back(encoders, 0);
    grid.emplace_back(encoders, std::max(1, util::cores() / encoders));
  }
  return grid;
}

SweepRow run_config(const std::vector<pipeline::VideoJob>& jobs, const pipeline::PipelineConfig& config, int threads,
                    const BenchOptions& options) {
  const pipeline::Work work = pipeline::make_real_work({.decode_once = config.decode_once}, options.encode);
  ::malloc_trim(0);  // memory the previous run freed would otherwise count in this run's peak
  reset_peak_rss();
  const double cpu_before = cpu_seconds();
  SweepRow row{.config = config, .threads_per_encoder = threads};
  row.config.threads_per_encoder = threads;
  row.result = pipeline::run_pipeline(jobs, config, work);
  row.wall_s = row.result.wall_s;
  row.cpu_utilisation = (cpu_seconds() - cpu_before) / (row.wall_s * util::cores());
  row.peak_rss_mb = peak_rss_mb();
  row.summary = report::summarize(row.result);
  return row;
}

std::string ffmpeg_command(const pipeline::ClipRecord& clip, const std::filesystem::path& output,
                           const media::EncodeSettings& encode) {
  const int h = encode.height;
  return fmt::format(
      "ffmpeg -nostdin -v error -y -ss {:.3f} -i '{}' -t {:.3f} "
      "-vf \"scale=w='if(gte(iw,ih),-2,min({},iw))':h='if(gte(iw,ih),min({},ih),-2)'\" "
      "-c:v libx264 -preset {} -crf {} -c:a aac '{}'",
      clip.window.start_s, clip.source.string(), clip.window.end_s - clip.window.start_s, h, h, encode.preset,
      encode.crf, output.string());
}

std::string scene_pass_command(const std::filesystem::path& video) {
  return fmt::format(
      "ffmpeg -nostdin -v error -i '{}' -vf \"select='gt(scene,0.3)',showinfo\" -an -f null - 2>/dev/null",
      video.string());
}

// Runs the commands, at most `cores` at a time; how many failed.
int run_at_most_cores_at_a_time(const std::vector<std::string>& commands) {
  std::atomic<size_t> next{0};
  std::atomic<int> failures{0};
  std::vector<std::thread> workers;
  for (int i = 0; i < util::cores(); ++i) {
    workers.emplace_back([&] {
      for (size_t job = next++; job < commands.size(); job = next++) {
        if (std::system(commands[job].c_str()) != 0) ++failures;
      }
    });
  }
  for (auto& worker : workers) worker.join();
  return failures;
}

// The same job the way a user would script it: a scene pass over each video, then one ffmpeg per
// clip, each `cores` at a time.
double run_ffmpeg_script(const pipeline::RunResult& reference, const std::filesystem::path& folder,
                         const media::EncodeSettings& encode) {
  std::vector<std::string> scene_passes;
  for (const auto& video : reference.videos) scene_passes.push_back(scene_pass_command(video.source));
  std::vector<std::string> cuts;
  for (const auto& clip : reference.clips) {
    if (clip.index && clip.status == pipeline::ClipStatus::ok) {
      cuts.push_back(ffmpeg_command(clip, folder / fmt::format("clip-{}.mp4", cuts.size()), encode));
    }
  }
  const auto start = std::chrono::steady_clock::now();
  const int failures = run_at_most_cores_at_a_time(scene_passes) + run_at_most_cores_at_a_time(cuts);
  if (failures > 0) throw util::Error(fmt::format("cannot run the ffmpeg baseline: {} commands failed", failures));
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

std::string row_label(const SweepRow& row) {
  const std::string threads = row.threads_per_encoder > 0 ? std::to_string(row.threads_per_encoder) : "budget";
  return fmt::format("{} E={} T={}", pipeline::topology_name(row.config.topology), row.config.encoders, threads);
}

void print_row(const SweepRow& row, double ffmpeg_wall_s) {
  const auto& s = row.summary;
  std::printf("| %s | %.2f | %.1f | %.0f %% | %.2f | %.2f | %ld | %d | %.2f |\n", row_label(row).c_str(), row.wall_s,
              s.throughput_per_min, 100.0 * row.cpu_utilisation, s.latency_s.p50, s.latency_s.p95, row.peak_rss_mb,
              s.clips_ok, ffmpeg_wall_s > 0 ? row.wall_s / ffmpeg_wall_s : 0.0);
  std::fflush(stdout);
}

void write_csv(const std::filesystem::path& path, const std::vector<SweepRow>& rows, double ffmpeg_wall_s) {
  std::string text =
      "topology,analyzers,encoders,threads_per_encoder,max_in_flight,wall_s,clips_per_min,cpu_utilisation,"
      "latency_p50_s,latency_p95_s,peak_rss_mb,clips_ok,clips_failed,ffmpeg_script_wall_s,ratio_to_ffmpeg\n";
  for (const SweepRow& row : rows) {
    const auto& s = row.summary;
    text += fmt::format("{},{},{},{},{},{:.3f},{:.2f},{:.3f},{:.3f},{:.3f},{},{},{},{:.3f},{:.3f}\n",
                        pipeline::topology_name(row.config.topology), row.config.analyzers, row.config.encoders,
                        row.threads_per_encoder, row.config.max_in_flight, row.wall_s, s.throughput_per_min,
                        row.cpu_utilisation, s.latency_s.p50, s.latency_s.p95, row.peak_rss_mb, s.clips_ok,
                        s.clips_failed, ffmpeg_wall_s, row.wall_s / ffmpeg_wall_s);
  }
  util::write_file_atomically(path, text);
}

void write_svgs(const std::filesystem::path& path, const std::vector<SweepRow>& rows) {
  std::vector<report::SweepPoint> points;
  std::vector<report::TimelineRun> timelines;
  for (const SweepRow& row : rows) {
    points.push_back({row_label(row), row.summary.throughput_per_min, row.summary.latency_s.p95});
    timelines.push_back({row_label(row), &row.result});
  }
  util::write_file_atomically(path, report::sweep_svg(points));
  auto timeline_path = path;
  timeline_path.replace_filename(path.stem().string() + "-timeline.svg");
  report::write_timeline_svg(timeline_path, timelines, 0.0);
}

void print_header() {
  std::puts(
      "| configuration | wall (s) | clips/min | CPU | latency p50 (s) | p95 (s) | peak RSS (MiB) | clips | wall / "
      "ffmpeg script |");
  std::puts("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
}

// Every configuration once, printed as it finishes (its ratio to the script is not known yet).
std::vector<SweepRow> sweep(const std::vector<std::filesystem::path>& videos, const std::filesystem::path& scratch,
                            const BenchOptions& options) {
  const std::vector<pipeline::Topology> topologies =
      options.topology == "both" ? std::vector<pipeline::Topology>{pipeline::Topology::stages, pipeline::Topology::pool}
                                 : std::vector<pipeline::Topology>{*pipeline::parse_topology(options.topology)};
  std::vector<SweepRow> rows;
  for (pipeline::Topology topology : topologies) {
    for (const auto& [encoders, threads] : encoder_grid(options)) {
      const pipeline::PipelineConfig config = pipeline::resolve_config(
          {.topology = topology,
           .analyzers = options.analyzers,
           .encoders = encoders,
           .max_in_flight = options.max_in_flight,
           .videos = videos.size()},
          util::cores());
      const auto run_folder = scratch / fmt::format("run-{}", rows.size());
      rows.push_back(run_config(pipeline::make_video_jobs(videos, run_folder), config, threads, options));
      print_row(rows.back(), 0.0);
      std::filesystem::remove_all(run_folder);
    }
  }
  return rows;
}

size_t median_index(const std::vector<double>& values) {
  std::vector<size_t> order(values.size());
  std::iota(order.begin(), order.end(), size_t{0});
  std::sort(order.begin(), order.end(), [&](size_t a, size_t b) { return values[a] < values[b]; });
  return order[(order.size() - 1) / 2];
}

// For each configuration, its round with the median wall time.
std::vector<SweepRow> median_rows(std::vector<std::vector<SweepRow>>& rounds) {
  std::vector<SweepRow> rows;
  for (size_t config = 0; config < rounds.front().size(); ++config) {
    std::vector<double> walls;
    for (const auto& round : rounds) walls.push_back(round[config].wall_s);
    rows.push_back(std::move(rounds[median_index(walls)][config]));
  }
  return rows;
}

}  // namespace

int run_real_bench(const BenchOptions& options) {
  const std::vector<std::filesystem::path> inputs =
      options.inputs.empty() ? std::vector<std::filesystem::path>{"samples"} : options.inputs;
  const auto videos = pipeline::collect_videos(inputs, {});
  if (videos.empty()) throw util::UsageError("no video found (make the samples with scripts/make_samples.sh)");
  std::filesystem::path scratch = std::filesystem::temp_directory_path() / fmt::format("clipper-bench-{}", ::getpid());
  std::filesystem::create_directories(scratch);

  std::printf("%zu videos, %d cores, preset %s, crf %d\n", videos.size(), util::cores(), options.encode.preset.c_str(),
              options.encode.crf);
  std::vector<std::vector<SweepRow>> rounds;
  std::vector<double> ffmpeg_walls_s;
  for (int round = 1; round <= options.runs; ++round) {
    std::printf("\nround %d of %d\n\n", round, options.runs);
    print_header();
    rounds.push_back(sweep(videos, scratch, options));
    ffmpeg_walls_s.push_back(run_ffmpeg_script(rounds.back().front().result, scratch, options.encode));
    std::printf("\nffmpeg script (a scene pass per video, then one process per clip), %d at a time: %.2f s\n",
                util::cores(), ffmpeg_walls_s.back());
  }
  std::filesystem::remove_all(scratch);

  const double ffmpeg_wall_s = ffmpeg_walls_s[median_index(ffmpeg_walls_s)];
  const std::vector<SweepRow> rows = median_rows(rounds);
  std::printf("\nmedian of %d rounds: ffmpeg script %.2f s; clipper as a ratio of it:\n\n", options.runs,
              ffmpeg_wall_s);
  print_header();
  for (const SweepRow& row : rows) print_row(row, ffmpeg_wall_s);
  if (options.csv) write_csv(*options.csv, rows, ffmpeg_wall_s);
  if (options.svg) write_svgs(*options.svg, rows);
  return 0;
}

}  // namespace clipper::cli
