#include "clipper/pipeline/real_work.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "clipper/plan/output_names.hpp"
#include "clipper/util/atomic_file.hpp"

namespace clipper::pipeline {
namespace {

ClipOutcome encode_clip(const ClipJob& job, media::EncodeSettings encoding, int threads) {
  if (std::filesystem::exists(job.output)) {
    spdlog::info("'{}' is already there, skipped", job.output.string());
    return {.status = ClipStatus::skipped};
  }
  util::require_writable_folder(job.output.parent_path());
  util::remove_abandoned_temporaries(job.output);
  encoding.threads = threads;
  media::transcode_clip({.input = job.source,
                         .output = job.output,
                         .start_s = job.window.start_s,
                         .end_s = job.window.end_s,
                         .encode = encoding,
                         .from_start = job.window.cut_from_start});
  spdlog::info("wrote '{}'", job.output.string());
  return {};
}

}  // namespace

Work make_real_work(const AnalyzeSettings& analysis, const media::EncodeSettings& encoding,
                    const OutputNaming& naming) {
  return {.analyze =
              [analysis](const VideoJob& video, const std::function<void(const plan::ClipWindow&)>& emit) {
                VideoAnalysis result = analyze_video(video.source, analysis, emit);
                return AnalysisOutcome{.error = std::move(result.error),
                                       .warning = std::move(result.warning),
                                       .thumbnails = std::move(result.thumbnails)};
              },
          .encode = [encoding](const ClipJob& job, int threads) { return encode_clip(job, encoding, threads); },
          .output_name =
              [naming](const VideoJob& video, int index, const plan::ClipWindow& window) {
                return video.output_dir / naming.names.render({.video = video.name,
                                                               .index = index,
                                                               .start_s = window.start_s,
                                                               .end_s = window.end_s,
                                                               .moment_s = window.moment_s,
                                                               .score = window.score,
                                                               .topology = naming.topology});
              }};
}

std::vector<VideoJob> make_video_jobs(const std::vector<std::filesystem::path>& videos,
                                      const std::filesystem::path& output_dir) {
  const std::vector<std::string> folders = plan::folder_names(videos);
  std::vector<VideoJob> jobs;
  for (size_t i = 0; i < videos.size(); ++i) {
    jobs.push_back({.id = i, .source = videos[i], .output_dir = output_dir, .name = folders[i]});
  }
  return jobs;
}

}  // namespace clipper::pipeline
