#include "clipper/pipeline/video_analysis.hpp"

#include <opencv2/core.hpp>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <cmath>
#include <deque>
#include <limits>
#include <memory>

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

// Decode once: the analysis' pictures, shrunk to the clips' size, go to the encoder of the clip they are in. The
// pictures a clip not yet planned could start with are kept (from --pre before what the detector has
// settled); the window the planner holds open is planned and fed as soon as it is sure to be kept,
// and its feed closed when the planner releases it. A window whose first picture is no longer kept
// is planned the usual way, for its encoder to decode.
class PictureHandOver {
 public:
  PictureHandOver(const std::filesystem::path& path, const plan::PlanSettings& plan, double frame_period_s,
                  const ClipCallback& emit)
      : m_path(path), m_plan(plan), m_frame_period_s(frame_period_s), m_emit(emit) {}

  ~PictureHandOver() {
    if (m_fed) {
      m_fed->pictures.fail(fmt::format("cannot cut '{}': its analysis stopped before the clip's end", m_path.string()));
    }
  }

  PictureHandOver(const PictureHandOver&) = delete;
  PictureHandOver& operator=(const PictureHandOver&) = delete;

  void keep(const media::SharedFrame& frame, double time_s) { m_kept.push_back({frame, time_s}); }

  // After each picture's analysis.
  void update(const std::optional<plan::ClipWindow>& open, double settled_s, double analysed_s) {
    if (open && !m_fed && is_sure(*open, analysed_s) && starts_kept(*open)) start(*open);
    if (m_fed && open) feed_until(open->end_s);
    forget_old(open, settled_s);
  }

  // False for a window not fed: it is to be planned the usual way.
  bool release(const plan::ClipWindow& window) {
    if (!m_fed || window.start_s != m_fed->window.start_s) return false;
    feed_until(window.end_s);
    m_fed->window = window;
    m_fed->pictures.close(window.end_s);
    m_fed.reset();
    return true;
  }

 private:
  struct Kept {
    media::SharedFrame frame;
    double time_s = 0.0;
  };

  // Windows shorter than --min-clip are dropped, which only the video's end can still do to it.
  bool is_sure(const plan::ClipWindow& open, double analysed_s) const {
    return open.duration_s() >= m_plan.min_clip_s && analysed_s >= open.start_s + m_plan.min_clip_s;
  }

  bool starts_kept(const plan::ClipWindow& open) const {
    return !m_kept.empty() && m_kept.front().time_s <= open.start_s && m_kept.front().frame;
  }

  void start(const plan::ClipWindow& open) {
    m_fed = std::make_shared<FedClip>();
    m_fed->window = open;
    m_wanted = true;
    m_fed_until_s = -std::numeric_limits<double>::infinity();
    for (const Kept& kept : m_kept) {
      if (kept.time_s <= open.start_s) m_fed_until_s = std::nextafter(kept.time_s, -1e300);
    }
    m_emit(open, m_fed);
    feed_until(open.end_s);
  }

  // The pictures the clip's frames up to end_s can show: a picture past the last frame's middle
  // belongs to frames after it, which a later moment may yet add.
  void feed_until(double end_s) {
    const double frames = static_cast<double>(std::lround((end_s - m_fed->window.start_s) / m_frame_period_s));
    const double last_shown_s = m_fed->window.start_s + (frames - 0.5) * m_frame_period_s;
    for (const Kept& kept : m_kept) {
      if (!m_wanted || kept.time_s > last_shown_s) break;
      if (kept.time_s <= m_fed_until_s) continue;
      m_wanted = m_fed->pictures.push({.frame = kept.frame, .time_s = kept.time_s, .end_s = end_s});
      m_fed_until_s = kept.time_s;
    }
  }

  // A window yet to come starts at a moment after settled_s, --pre before it at the earliest.
  void forget_old(const std::optional<plan::ClipWindow>& open, double settled_s) {
    double keep_from_s = settled_s - m_plan.pre_s;
    if (open && !m_fed) keep_from_s = std::min(keep_from_s, open->start_s);
    while (m_kept.size() >= 2 && m_kept[1].time_s <= keep_from_s) m_kept.pop_front();
  }

  std::filesystem::path m_path;
  plan::PlanSettings m_plan;
  double m_frame_period_s;
  const ClipCallback& m_emit;
  std::deque<Kept> m_kept;
  std::shared_ptr<FedClip> m_fed;
  bool m_wanted = true;  // its encoder still takes pictures
  double m_fed_until_s = 0.0;
};

bool decodes_once(const AnalyzeSettings& settings, bool timestamps_jump_back, const ClipCallback& on_clip) {
  // With --fades the detector settles only after a fade or a black stretch, however long.
  return settings.decode_once && on_clip && !settings.plan.max_clips && !timestamps_jump_back &&
         !settings.detector.fades;
}

media::PictureSourceOptions source_options(const AnalyzeSettings& settings, bool decode_once) {
  media::PictureSourceOptions options = settings.source;
  if (decode_once) options.full_pictures = settings.clip_pictures;
  return options;
}

class Analysis {
 public:
  Analysis(const std::filesystem::path& path, const AnalyzeSettings& settings, const ClipCallback& on_clip)
      : m_timestamps_jump_back(media::timestamps_jump_back(path)),
        m_decode_once(decodes_once(settings, m_timestamps_jump_back, on_clip)),
        m_detector(settings.detector),
        m_detector_stats(settings.detector.stats),
        m_meter(settings.detector),
        m_source(path, source_options(settings, m_decode_once),
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
    if (m_decode_once) m_hand_over.emplace(path, settings.plan, 1.0 / m_result.fps, m_on_clip);
  }

  VideoAnalysis run() {
    double last_time_s = 0.0;
    media::SourcePicture next;
    while (m_source.next(next)) {
      note_timestamp_jumps(next.picture);
      keep_for_thumbnails(next.picture);
      if (m_hand_over) m_hand_over->keep(next.frame, next.picture.time_s);
      detect(next);
      if (m_hand_over) m_hand_over->update(m_planner.open_window(), m_detector.settled_time_s(), next.picture.time_s);
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
      if (m_hand_over && m_hand_over->release(window)) continue;
      if (m_on_clip) m_on_clip(window, nullptr);
    }
  }

  bool m_timestamps_jump_back;  // known before decoding
  bool m_decode_once;
  analysis::SceneDetector m_detector;
  bool m_detector_stats;
  analysis::ChangeMeter m_meter;
  media::PictureSource m_source;
  plan::ClipPlanner m_planner;
  const ClipCallback& m_on_clip;
  std::optional<PictureHandOver> m_hand_over;  // with decode once
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
