#include "clipper/pipeline/video_analysis.hpp"

#include <opencv2/core.hpp>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <deque>

#include "clipper/media/thumbnail.hpp"
#include "clipper/media/timestamp_scan.hpp"
#include "clipper/util/error.hpp"

namespace clipper::pipeline {
namespace {

analysis::Stretch as_analysed(const media::Stretch& stretch) {
  return {.difference = stretch.difference, .span = stretch.span};
}

std::optional<analysis::Stretch> as_analysed(const std::optional<media::Stretch>& stretch) {
  return stretch ? std::optional(as_analysed(*stretch)) : std::nullopt;
}

media::StretchRule may_change(const analysis::StretchRule& rule) {
  return [rule](const media::Stretch& stretch, const std::optional<media::Stretch>& before,
                const std::optional<media::Stretch>& after) {
    return rule.may_change(as_analysed(stretch), as_analysed(before), as_analysed(after));
  };
}

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
                  .may_change = may_change(m_meter.stretch_rule())}),
        m_planner(settings.plan),
        m_on_clip(on_clip),
        m_thumbnails(settings.thumbnails) {
    m_result.path = path;
    m_result.fps = m_source.frame_rate();
  }

  VideoAnalysis run() {
    double last_time_s = 0.0;
    media::SourcePicture next;
    while (m_source.next(next)) {
      note_timestamp_jumps(next.picture);
      keep_for_thumbnails(next.picture);
      detect(next);
      last_time_s = next.picture.time_s;
    }
    take(m_detector.finish());
    const media::PictureCounts counts = m_source.counts();
    spdlog::debug("'{}': {} pictures, {} decoded for analysis, in {} segments; {} replays of {} packets",
                  m_result.path.string(), counts.pictures, counts.decoded, counts.segments, counts.replays,
                  counts.replayed_packets);
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
    spdlog::info("'{}': timestamps jump back at {:.3f} s; later pictures are timed from there on",
                 m_result.path.string(), picture.time_s);
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
      add_thumbnail(moment);
      m_result.moments.push_back(moment);
      release(m_planner.add({.time_s = moment.time_s, .score = moment.score}));
    }
  }

  // The last pictures, for the moments the detector decides a few pictures later.
  void keep_for_thumbnails(const media::Picture& picture) {
    if (!m_thumbnails) return;
    const size_t bytes = static_cast<size_t>(picture.stride) * static_cast<size_t>(picture.size.height);
    std::vector<uint8_t> copy;
    if (m_recent.size() == kRecentPictures) {
      copy = std::move(m_recent.front().bgr);  // its buffer is reused
      m_recent.pop_front();
    }
    copy.assign(picture.bgr, picture.bgr + bytes);
    m_recent.push_back(
        {.frame = picture.index, .size = picture.size, .stride = picture.stride, .bgr = std::move(copy)});
  }

  void add_thumbnail(const analysis::Moment& moment) {
    if (!m_thumbnails) return;
    for (const RecentPicture& recent : m_recent) {
      if (recent.frame != moment.frame) continue;
      m_result.thumbnails.push_back(
          {.time_s = moment.time_s, .jpeg = media::jpeg_thumbnail(recent.bgr.data(), recent.size, recent.stride)});
      return;
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

  struct RecentPicture {
    long frame = 0;
    media::Size size;
    int stride = 0;
    std::vector<uint8_t> bgr;
  };
  static constexpr size_t kRecentPictures = 16;  // more than the detector's lookahead
  bool m_thumbnails;
  std::deque<RecentPicture> m_recent;
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
