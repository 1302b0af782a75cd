#include "clipper/pipeline/real_work.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "clipper/plan/output_names.hpp"

namespace clipper::pipeline {
namespace {

// Temporary files of this clip left by an earlier run that was killed (see util::AtomicFile).
void remove_stale_temporaries(const std::filesystem::path& output) {
  const std::string prefix = fmt::format(".{}.", output.filename().string());
  std::error_code error;
  for (const auto& entry : std::filesystem::directory_iterator(output.parent_path(), error)) {
    const std::string name = entry.path().filename().string();
    if (name.starts_with(prefix) && name.ends_with(".part")) std::filesystem::remove(entry.path(), error);
  }
}

ClipOutcome encode_clip(const ClipJob& job, const media::EncodeSettings& encoding) {
  if (std::filesystem::exists(job.output)) {
    spdlog::info("'{}' is already there, skipped", job.output.string());
    return {.status = ClipStatus::skipped};
  }
  std::filesystem::create_directories(job.output.parent_path());
  remove_stale_temporaries(job.output);
  media::transcode_clip({.input = job.source,
                         .output = job.output,
                         .start_s = job.window.start_s,
                         .end_s = job.window.end_s,
                         .encode = encoding});
  spdlog::info("wrote '{}'", job.output.string());
  return {};
}

}  // namespace

Work make_real_work(const AnalyzeSettings& analysis, const media::EncodeSettings& encoding) {
  return {.analyze =
              [analysis](const VideoJob& video, const std::function<void(const plan::ClipWindow&)>& emit) {
                return analyze_video(video.source, analysis, emit).error;
              },
          .encode = [encoding](const ClipJob& job) { return encode_clip(job, encoding); },
          .output_name =
              [](const VideoJob& video, int index, const plan::ClipWindow& window) {
                return video.output_dir /
                       plan::clip_file_name(video.output_dir.filename().string(), index, window.start_s);
              }};
}

std::vector<VideoJob> make_video_jobs(const std::vector<std::filesystem::path>& videos,
                                      const std::filesystem::path& output_dir) {
  const std::vector<std::string> folders = plan::folder_names(videos);
  std::vector<VideoJob> jobs;
  for (size_t i = 0; i < videos.size(); ++i) {
    jobs.push_back({.id = i, .source = videos[i], .output_dir = output_dir / folders[i]});
  }
  return jobs;
}

}  // namespace clipper::pipeline
