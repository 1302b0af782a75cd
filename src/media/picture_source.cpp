#include "clipper/media/picture_source.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <cmath>
#include <deque>
#include <iterator>
#include <optional>

#include "clipper/media/decoder.hpp"
#include "clipper/media/demuxer.hpp"
#include "clipper/media/monotonic_clock.hpp"
#include "clipper/util/cores.hpp"
#include "decode_ahead.hpp"
#include "picture_strategy.hpp"
#include "video_track.hpp"

namespace clipper::media {
namespace {

// Every picture, decoded ahead (DecodeAhead), numbered and timed here: by segments on one decoder
// per core, or all in order by one decoder (with threads of its own). Segments are handed over as
// one decoder gives them, and timed by their timestamps; where those do not rise from picture to
// picture (a stream joined from two, a damaged muxer), the pictures are not known to be in order
// and NotReferenceFirst says to decode in order instead.
class EveryPicture final : public PictureSource::Strategy {
 public:
  EveryPicture(const std::filesystem::path& path, const PictureDecodeOptions& options, bool in_segments)
      : m_in_segments(in_segments && decoders_for(options) > 1),  // else in order, threaded
        m_demuxer(path),
        m_stream_index(require_video_stream(m_demuxer)),
        m_stream(*m_demuxer.stream(m_stream_index)),
        m_frame_rate(av_q2d(clip_frame_rate(m_demuxer.context(), m_demuxer.stream(m_stream_index)))),
        m_size(analysis_picture_size(m_stream, options.longer_side)),
        m_times(m_stream, m_demuxer.origin_s(), m_frame_rate),
        m_decoders(open_decoder(options)) {}

  bool next(SourcePicture& out) override {
    while (m_ready.empty()) {
      std::optional<Arrival> arrival = m_decoders.next();
      if (!arrival) {
        if (m_count == 0) throw nothing_decoded(m_demuxer.path().string(), m_decoders.last_error());
        return false;
      }
      std::move(arrival->pictures.begin(), arrival->pictures.end(), std::back_inserter(m_ready));
    }
    ShrunkPicture& picture = m_ready.front();
    if (m_in_segments) check_rising(picture.pts);
    const double time_s = m_times.time_s(picture.best_effort_timestamp);
    m_current = std::move(picture.bgr);
    out = {.picture = {.index = m_count++,
                       .time_s = time_s,
                       .timestamp_jumps = m_times.jumps(),
                       .size = m_size,
                       .stride = m_size.width * 3,
                       .bgr = m_current.data()}};
    m_ready.pop_front();
    return true;
  }

  double frame_rate() const override { return m_frame_rate; }
  long segments() const override { return m_decoders.segments(); }
  double declared_duration_s() const override { return m_demuxer.stream_duration_s(m_stream_index); }

 private:
  DecodeAhead open_decoder(const PictureDecodeOptions& options) {
    m_demuxer.keep_only(m_stream_index, -1);
    return DecodeAhead(m_demuxer, m_stream_index,
                       {.decoders = m_in_segments ? decoders_for(options) : 1,
                        .min_segment_packets = options.min_segment_packets,
                        .decoder = {.threads = m_in_segments ? 1 : options.threads,
                                    .skip_loop_filter = options.fast_decode},
                        .size = m_size});
  }

  // With rising timestamps, each picture's best-effort timestamp is its own, as one decoder gives it.
  void check_rising(int64_t pts) {
    if (pts == AV_NOPTS_VALUE || (m_last_pts && pts <= *m_last_pts)) {
      throw NotReferenceFirst("timestamps do not rise from picture to picture");
    }
    m_last_pts = pts;
  }

  bool m_in_segments;
  Demuxer m_demuxer;
  int m_stream_index;
  const AVStream& m_stream;
  double m_frame_rate;
  Size m_size;
  InOrderTimes m_times;
  std::optional<int64_t> m_last_pts;
  std::deque<ShrunkPicture> m_ready;  // handed over, not yet given out
  std::vector<uint8_t> m_current;     // the picture given out last
  long m_count = 0;
  DecodeAhead m_decoders;  // last: its threads start once the members they use exist
};

}  // namespace

int decoders_for(const PictureDecodeOptions& options) { return options.threads > 0 ? options.threads : util::cores(); }

namespace {

Size fitted(double width, double height, int longer_side) {
  const double scale = std::min(1.0, longer_side / std::max(width, height));
  return {std::max(8, static_cast<int>(std::lround(width * scale))),
          std::max(8, static_cast<int>(std::lround(height * scale)))};
}

}  // namespace

Size analysis_picture_size(const AVStream& stream, int longer_side) {
  const double sar = av_q2d(sample_aspect_ratio(stream));
  return fitted(stream.codecpar->width * sar, stream.codecpar->height, longer_side);
}

Size analysis_picture_size(Size display, int longer_side) { return fitted(display.width, display.height, longer_side); }

InOrderTimes::InOrderTimes(const AVStream& stream, double origin_s, double frame_rate)
    : m_time_base_s(av_q2d(stream.time_base)),
      m_origin_s(origin_s),
      m_period_s(1.0 / frame_rate),
      m_clock(m_period_s) {}

double InOrderTimes::time_s(int64_t best_effort_timestamp) {
  if (best_effort_timestamp == AV_NOPTS_VALUE) {
    m_last_time_s = m_timed_any ? m_last_time_s + m_period_s : 0.0;
  } else {
    m_last_time_s = m_clock.place(static_cast<double>(best_effort_timestamp) * m_time_base_s) - m_origin_s;
  }
  m_timed_any = true;
  return m_last_time_s;
}

std::unique_ptr<PictureSource::Strategy> make_every_picture(const std::filesystem::path& path,
                                                            const PictureDecodeOptions& options, bool in_segments) {
  return std::make_unique<EveryPicture>(path, options, in_segments);
}

PictureSource::PictureSource(const std::filesystem::path& path, const PictureSourceOptions& options, ChangeTest changes)
    : m_path(path), m_options(options), m_changes(std::move(changes)) {
  if (m_options.full_pictures) {
    m_strategy = make_full_pictures(path, options, m_changes);
    m_in_order = true;
  } else if (!m_options.every_picture) {
    try {
      m_strategy = make_reference_first(path, options.decode, m_changes);
    } catch (const NotReferenceFirst&) {
    }
  }
  if (!m_strategy) m_strategy = make_every_picture(path, options.decode, true);
  m_frame_rate = m_strategy->frame_rate();
}

PictureSource::~PictureSource() = default;

double PictureSource::declared_duration_s() const { return m_strategy->declared_duration_s(); }

PictureCounts PictureSource::counts() const {
  PictureCounts counts = m_counts;
  counts.segments = m_strategy->segments();
  counts.replays = m_strategy->replays();
  counts.replayed_packets = m_strategy->replayed_packets();
  return counts;
}

bool PictureSource::next(SourcePicture& out) {
  for (;;) {
    try {
      if (!m_strategy->next(out)) return false;
      ++m_counts.pictures;
      if (!out.repeated) ++m_counts.decoded;
      return true;
    } catch (const NotReferenceFirst& reason) {
      if (m_in_order) throw;  // nothing simpler to fall back to
      spdlog::debug("'{}': {}; decoding every picture in order", m_path.string(), reason.what());
      fall_back_to_every_picture();
    }
  }
}

// Starts again from the first picture and passes over those already given out.
void PictureSource::fall_back_to_every_picture() {
  m_strategy.reset();
  m_strategy = make_every_picture(m_path, m_options.decode, false);
  m_in_order = true;
  SourcePicture skipped;
  for (long given = 0; given < m_counts.pictures && m_strategy->next(skipped); ++given) {
  }
}

}  // namespace clipper::media
