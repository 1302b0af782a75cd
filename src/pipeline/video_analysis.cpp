#include "clipper/pipeline/video_analysis.hpp"

#include <opencv2/core.hpp>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>

#include "clipper/media/timestamp_scan.hpp"
#include "clipper/util/error.hpp"

namespace clipper::pipeline {
namespace {

class Analysis {
 public:
  Analysis(const std::filesystem::path& path, const AnalyzeSettings& settings, const ClipCallback& on_clip)
      : m_timestamps_jump_back(media::timestamps_jump_back(path)),
        m_detector(settings.detector),
        m_detector_stats(settings.detector.stats),
        m_meter(settings.detector),
        m_source(path, settings.source,
                 {.difference =
                      [this](const media::Picture& reference) {
                        return m_meter.measure(as_mat(reference), reference.time_s);
                      },
                  .floor = m_meter.floor(),
                  .relative = m_meter.relative()}),
        m_planner(settings.plan),
        m_on_clip(on_clip) {
    m_result.path = path;
    m_result.fps = m_source.frame_rate();
  }

  VideoAnalysis run() {
    double last_time_s = 0.0;
    media::SourcePicture next;
    while (m_source.next(next)) {
      note_timestamp_jumps(next.picture);
      detect(next);
      last_time_s = next.picture.time_s;
    }
    take(m_detector.finish());
    const media::PictureCounts counts = m_source.counts();
    spdlog::debug("'{}': {} pictures, {} decoded for analysis, in {} segments", m_result.path.string(), counts.pictures,
                  counts.decoded, counts.segments);
    m_result.frames = counts.pictures;
    m_result.duration_s = last_time_s + 1.0 / m_result.fps;
    warn_if_cut_short(m_source.declared_duration_s());
    release(m_planner.finish(m_result.duration_s));
    return std::move(m_result);
  }

 private:
  static cv::Mat as_mat(const media::Picture& picture) {
    return {picture.size.height, picture.size.width, CV_8UC3, const_cast<uint8_t*>(picture.bgr),
            static_cast<size_t>(picture.stride)};
  }

  // A truncated file decodes without error up to where it breaks: its later moments would be lost
  // unseen.
  void warn_if_cut_short(double declared_s) {
    if (declared_s <= 0.0 || declared_s - m_result.duration_s <= std::max(1.0, 0.02 * declared_s)) return;
    m_result.warning = fmt::format("'{}': stream ends at {:.1f} s of {:.1f} s (truncated?)", m_result.path.string(),
                                   m_result.duration_s, declared_s);
    spdlog::warn("{}", *m_result.warning);
  }

  void note_timestamp_jumps(const media::Picture& picture) {
    if (picture.timestamp_jumps == m_timestamp_jumps) return;
    m_timestamp_jumps = picture.timestamp_jumps;
    spdlog::info("'{}': timestamps jump back at {:.3f} s; later pictures are timed from there on", m_result.path.string(),
                 picture.time_s);
  }

  void detect(const media::SourcePicture& next) {
    const media::Picture& picture = next.picture;
    if (next.repeated) {
      take(m_detector.repeat(picture.index, picture.time_s));
    } else if (auto measured = m_meter.take_features(picture.time_s)) {
      take(m_detector.push(std::move(*measured), picture.index, picture.time_s));
    } else {
      take(m_detector.push(as_mat(picture), picture.index, picture.time_s));
    }
    release(m_planner.advance(m_detector.settled_time_s()));
  }

  void take(const std::vector<analysis::Moment>& moments) {
    if (m_detector_stats) {
      std::vector<analysis::PictureStats> rows = m_detector.take_stats();
      m_result.stats.insert(m_result.stats.end(), rows.begin(), rows.end());
    }
    for (const analysis::Moment& moment : moments) {
      m_result.moments.push_back(moment);
      release(m_planner.add({.time_s = moment.time_s, .score = moment.score}));
    }
  }

  void release(const std::vector<plan::ClipWindow>& windows) {
    for (plan::ClipWindow window : windows) {
      window.cut_from_start = m_timestamps_jump_back || m_timestamp_jumps > 0;
      m_result.clips.push_back(window);
      if (m_on_clip) m_on_clip(window);
    }
  }

  bool m_timestamps_jump_back;  // known before decoding
  analysis::SceneDetector m_detector;
  bool m_detector_stats;
  analysis::ChangeMeter m_meter;
  media::PictureSource m_source;
  plan::ClipPlanner m_planner;
  const ClipCallback& m_on_clip;
  VideoAnalysis m_result;
  int m_timestamp_jumps = 0;
};

}  // namespace

VideoAnalysis analyze_video(const std::filesystem::path& path, const AnalyzeSettings& settings,
                            const ClipCallback& on_clip) {
  try {
    return Analysis(path, settings, on_clip).run();
  } catch (const util::Interrupted&) {
    throw;
  } catch (const std::exception& error) {
    VideoAnalysis failed;
    failed.path = path;
    failed.error = error.what();
    return failed;
  }
}

}  // namespace clipper::pipeline
