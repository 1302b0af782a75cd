// Every picture in order, on one decoder, deblocked and shaped as a clip's encoder takes it (decode
// once), and sampled for analysis as reference-first analysis samples reference pictures: the
// samples (all but every other B picture, shrunk on the decoding thread) are measured by the
// ChangeTest as they come; the pictures between two samples are shrunk, from their shaped
// picture, where the stretch rule says the two may differ, and else repeat the picture before
// them. Every picture comes out, with its shaped picture, a few pictures later than it is decoded:
// once the stretch after its own is measured.
#include <deque>
#include <limits>

#include "clipper/media/demuxer.hpp"
#include "clipper/media/picture_slots.hpp"
#include "clipper/media/scaler.hpp"
#include "decode_ahead.hpp"
#include "picture_shaper.hpp"
#include "picture_strategy.hpp"
#include "video_track.hpp"

namespace clipper::media {
namespace {

class FullPictures final : public PictureSource::Strategy {
 public:
  FullPictures(const std::filesystem::path& path, const PictureSourceOptions& options, const ChangeTest& changes)
      : m_demuxer(path),
        m_stream_index(require_video_stream(m_demuxer)),
        m_stream(*m_demuxer.stream(m_stream_index)),
        m_changes(changes),
        m_frame_rate(av_q2d(clip_frame_rate(m_demuxer.context(), m_demuxer.stream(m_stream_index)))),
        m_shape(clip_shape(m_stream, *options.full_pictures)),
        m_size(analysis_picture_size(m_shape.size, options.decode.longer_side)),
        m_times(m_stream, m_demuxer.origin_s(), m_frame_rate),
        m_slots(changes.may_change),
        m_decoders(open_decoder(options.every_picture)) {}

  bool next(SourcePicture& out) override {
    for (;;) {
      if (emit(out)) return true;
      if (m_ended) return finish();
      take(m_decoders.next());
    }
  }

  double frame_rate() const override { return m_frame_rate; }
  double declared_duration_s() const override { return m_demuxer.stream_duration_s(m_stream_index); }

 private:
  // A picture decoded and not yet given out.
  struct Held {
    double time_s = 0.0;
    int timestamp_jumps = 0;
    SharedFrame frame;
  };

  DecodeAhead open_decoder(bool every_picture) {
    m_demuxer.keep_only(m_stream_index, -1);
    // The analyses side by side (one per encoder) keep the cores busy; a decoder's frame threads
    // would only hold more pictures.
    return DecodeAhead(m_demuxer, m_stream_index,
                       {.decoder = {.threads = 1},
                        .size = m_size,
                        .clip_shape = m_shape,
                        .sample_every_picture = every_picture});
  }

  void take(std::optional<Arrival> arrival) {
    if (!arrival) {
      m_ended = true;
      return;
    }
    for (ShrunkPicture& picture : arrival->pictures) hold(picture);
  }

  // Places are numbered in presentation order. A sample is measured as it comes; one that is not
  // timed after every picture before it is not a sample: the analysis finds each sample's
  // measures again by its time.
  void hold(ShrunkPicture& picture) {
    const long place = m_placed++;
    const double time_s = m_times.time_s(picture.best_effort_timestamp);
    const bool sample = !picture.bgr.empty() && time_s > m_latest_s;
    m_latest_s = std::max(m_latest_s, time_s);
    m_slots.place(place, 0, 0);
    m_held.push_back({.time_s = time_s, .timestamp_jumps = m_times.jumps(), .frame = std::move(picture.frame)});
    if (!sample) return;
    m_slots.settle_reference(place, std::move(picture.bgr), [&](const std::vector<uint8_t>& bgr) {
      return m_changes.difference({.time_s = time_s, .size = m_size, .stride = stride(), .bgr = bgr.data()});
    });
  }

  bool emit(SourcePicture& out) {
    m_slots.settle_gaps(m_ended);
    if (m_slots.empty()) return false;
    Slot& slot = m_slots.head();
    if (slot.state == SlotState::skipped || (slot.reference && !slot.change)) return false;
    Held& held = m_held.front();
    out.repeated = slot.state == SlotState::repeat && m_slots.given_any();
    if (!out.repeated) {
      if (slot.state != SlotState::decoded) shrink(*held.frame, slot.bgr);
      m_current.swap(slot.bgr);
    }
    out.picture = {.index = m_emitted++,
                   .time_s = held.time_s,
                   .timestamp_jumps = held.timestamp_jumps,
                   .size = m_size,
                   .stride = stride(),
                   .bgr = m_current.data()};
    out.frame = std::move(held.frame);
    m_held.pop_front();
    m_slots.pop_head(true);
    return true;
  }

  void shrink(const AVFrame& shaped, std::vector<uint8_t>& bgr) {
    bgr.resize(static_cast<size_t>(stride()) * static_cast<size_t>(m_size.height));
    m_scaler.to_bgr(shaped, m_size, bgr.data(), stride());
  }

  bool finish() {
    if (m_emitted == 0) throw nothing_decoded(m_demuxer.path().string(), m_decoders.last_error());
    return false;
  }

  int stride() const { return m_size.width * 3; }

  Demuxer m_demuxer;
  int m_stream_index;
  const AVStream& m_stream;
  const ChangeTest& m_changes;
  double m_frame_rate;
  ClipShape m_shape;
  Size m_size;
  InOrderTimes m_times;
  Scaler m_scaler;  // for the pictures between samples, on the analysing thread
  PictureSlots m_slots;
  std::deque<Held> m_held;  // one per place, in the same order
  std::vector<uint8_t> m_current;  // the picture given out last
  long m_placed = 0;
  long m_emitted = 0;
  double m_latest_s = -std::numeric_limits<double>::infinity();
  bool m_ended = false;
  DecodeAhead m_decoders;  // last: its threads start once the members they use exist
};

}  // namespace

std::unique_ptr<PictureSource::Strategy> make_full_pictures(const std::filesystem::path& path,
                                                            const PictureSourceOptions& options,
                                                            const ChangeTest& changes) {
  return std::make_unique<FullPictures>(path, options, changes);
}

}  // namespace clipper::media
