#include "clipper/pipeline/real_work.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "clipper/plan/output_names.hpp"
#include "clipper/util/atomic_file.hpp"
#include "clipper/util/error.hpp"

namespace clipper::pipeline {
namespace {

// A fed clip's analysis waits for its encoder to take its pictures: whatever ends the encode early
// lets the analysis go on.
class AbandonUnlessDone {
 public:
  explicit AbandonUnlessDone(FedClip* fed) : m_fed(fed) {}
  ~AbandonUnlessDone() {
    if (m_fed) m_fed->pictures.abandon();
  }
  AbandonUnlessDone(const AbandonUnlessDone&) = delete;
  AbandonUnlessDone& operator=(const AbandonUnlessDone&) = delete;

 private:
  FedClip* m_fed;
};

// Where a fed clip ends is known once its analysis has passed it: its pictures are let go until then.
std::optional<plan::ClipWindow> final_window(FedClip* fed) {
  if (!fed) return std::nullopt;
  while (fed->pictures.pop()) {
  }
  return fed->window;
}

ClipOutcome encode_clip(const ClipJob& job, media::EncodeSettings encoding, int threads) {
  if (std::filesystem::exists(job.output)) {
    spdlog::info("'{}' is already there, skipped", job.output.string());
    return {.status = ClipStatus::skipped, .window = final_window(job.fed.get())};
  }
  util::require_writable_folder(job.output.parent_path());
  util::remove_abandoned_temporaries(job.output);
  encoding.threads = threads;
  const media::ClipRequest request{.input = job.source,
                                   .output = job.output,
                                   .start_s = job.window.start_s,
                                   .end_s = job.window.end_s,
                                   .encode = encoding,
                                   .from_start = job.window.cut_from_start};
  ClipOutcome outcome;
  if (job.fed) {
    media::transcode_fed_clip(request, job.fed->pictures);
    outcome.window = job.fed->window;
  } else {
    media::transcode_clip(request);
  }
  spdlog::info("wrote '{}'{}", job.output.string(), job.fed ? " from its analysis' pictures" : "");
  return outcome;
}

// A fed clip that failed is reported with its window as its analysis ends it, not as it was known
// when the clip started; unless the analysis failed too, and the window never ended.
ClipOutcome encode_clip_reporting_its_window(const ClipJob& job, const media::EncodeSettings& encoding, int threads) {
  const AbandonUnlessDone abandon_unless_done(job.fed.get());
  if (!job.fed) return encode_clip(job, encoding, threads);
  try {
    return encode_clip(job, encoding, threads);
  } catch (const util::Interrupted&) {
    throw;
  } catch (const std::exception& failure) {
    ClipOutcome outcome{.status = ClipStatus::failed, .error = failure.what()};
    try {
      outcome.window = final_window(job.fed.get());
    } catch (const util::Error&) {
    }
    return outcome;
  }
}

}  // namespace

Work make_real_work(AnalyzeSettings analysis, const media::EncodeSettings& encoding, const OutputNaming& naming) {
  // A fed clip is named when it starts.
  if (naming.names.uses("end") || naming.names.uses("score")) analysis.decode_once = false;
  analysis.clip_pictures = clip_picture_shape(encoding);
  return {.analyze =
              [analysis](const VideoJob& video, const EmitClip& emit) {
                VideoAnalysis result = analyze_video(video.source, analysis, emit);
                return AnalysisOutcome{.error = std::move(result.error),
                                       .warning = std::move(result.warning),
                                       .thumbnails = std::move(result.thumbnails)};
              },
          .encode = [encoding](const ClipJob& job,
                              int threads) { return encode_clip_reporting_its_window(job, encoding, threads); },
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
