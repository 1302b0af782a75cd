// Reference pictures first. Decoders that skip non-reference pictures run ahead on threads of
// their own (DecodeAhead) and hand over, in order, every packet read and every picture
// decoded. Each packet
// holds a place in presentation order (its timestamp). A place between two decoded reference
// pictures is settled by the ChangeTest on those two: no change, and it repeats the picture before
// it; a change, and a second decoder replays the packets from the keyframe before it, skipping the
// non-reference pictures nobody asked for, to decode it exactly.
#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <deque>
#include <limits>
#include <optional>
#include <thread>

#include "clipper/media/decoder.hpp"
#include "clipper/media/demuxer.hpp"
#include "clipper/media/picture_slots.hpp"
#include "clipper/media/scaler.hpp"
#include "clipper/util/cancellation.hpp"
#include "clipper/util/error.hpp"
#include "decode_ahead.hpp"
#include "picture_strategy.hpp"
#include "video_track.hpp"

namespace clipper::media {
namespace {

// The packets from a keyframe up to the next, in decoding order.
struct Segment {
  long id = 0;
  int64_t keyframe_pts = 0;
  std::vector<PacketPtr> packets;
  bool complete = false;
};

struct Replay {
  long first_segment = 0;
  long segment = 0;  // where it is
  size_t next_packet = 0;
  bool drained = false;
  Decoder decoder;
};

bool serves(AVCodecID codec) { return codec == AV_CODEC_ID_H264 || codec == AV_CODEC_ID_HEVC; }

class ReferenceFirst final : public PictureSource::Strategy {
 public:
  ReferenceFirst(const std::filesystem::path& path, const PictureDecodeOptions& options, const ChangeTest& changes)
      : m_demuxer(path),
        m_stream_index(require_video_stream(m_demuxer)),
        m_stream(*m_demuxer.stream(m_stream_index)),
        m_options(options),
        m_changes(changes),
        m_frame_rate(av_q2d(clip_frame_rate(m_demuxer.context(), m_demuxer.stream(m_stream_index)))),
        m_size(analysis_picture_size(m_stream, options.longer_side)),
        m_slots(changes.may_change),
        m_decoders(open_references()) {}

  double frame_rate() const override { return m_frame_rate; }
  long segments() const override { return m_decoders.segments(); }
  long replays() const override { return m_replays; }
  long replayed_packets() const override { return m_replayed_packets; }
  double declared_duration_s() const override { return m_demuxer.stream_duration_s(m_stream_index); }

  bool next(SourcePicture& out) override {
    for (;;) {
      if (emit(out)) return true;
      if (m_ended) return finish();
      take(m_decoders.next());
    }
  }

 private:
  static constexpr size_t kSpareBuffers = 8;

  DecodeAhead open_references() {
    if (!serves(m_stream.codecpar->codec_id)) {
      throw NotReferenceFirst(
          fmt::format("{} has no reference-first decoding", avcodec_get_name(m_stream.codecpar->codec_id)));
    }
    m_demuxer.keep_only(m_stream_index, -1);
    return DecodeAhead(m_demuxer, m_stream_index,
                       {.decoders = decoders_for(m_options),
                        .min_segment_packets = m_options.min_segment_packets,
                        .decoder = {.threads = 1, .skip_loop_filter = m_options.fast_decode, .skip_nonref = true},
                        .size = m_size});
  }

  // --- the analysing thread ---

  void take(std::optional<Arrival> arrival) {
    if (!arrival) {
      m_ended = true;
      if (!m_segments.empty()) m_segments.back().complete = true;
    } else {
      if (arrival->packet) place(std::move(arrival->packet));
      for (ShrunkPicture& reference : arrival->pictures) settle_reference(reference);
    }
  }

  // Pictures before the first keyframe do not decode: they get no place.
  void place(PacketPtr packet) {
    const bool keyframe = (packet->flags & AV_PKT_FLAG_KEY) != 0;
    if ((m_segments.empty() && !keyframe) || packet->size == 0) return;
    if (packet->pts == AV_NOPTS_VALUE) throw NotReferenceFirst("a picture has no timestamp");
    if (keyframe) {
      if (!m_segments.empty()) m_segments.back().complete = true;
      m_segments.push_back({.id = m_next_segment++, .keyframe_pts = packet->pts});
    }
    Segment& segment = m_segments.back();
    m_slots.place(packet->pts, segment.id, segment.packets.size());
    segment.packets.push_back(std::move(packet));
  }

  void settle_reference(ShrunkPicture& picture) {
    const int64_t pts = picture.pts;
    const bool placed = m_slots.settle_reference(pts, std::move(picture.bgr), [&](const std::vector<uint8_t>& bgr) {
      return m_changes.difference(view(bgr, pts));
    });
    if (!placed && !m_segments.empty()) throw NotReferenceFirst("a decoded picture matches no packet");
  }

  void store(const AVFrame& frame, Slot& slot) {
    if (!m_spare.empty()) {
      slot.bgr.swap(m_spare.back());
      m_spare.pop_back();
    }
    slot.bgr.resize(static_cast<size_t>(stride()) * static_cast<size_t>(m_size.height));
    m_scaler.to_bgr(frame, m_size, slot.bgr.data(), stride());
    slot.state = SlotState::decoded;
  }

  bool emit(SourcePicture& out) {
    m_slots.settle_gaps(m_ended);
    while (!m_slots.empty()) {
      const int64_t pts = m_slots.head_pts();
      Slot& slot = m_slots.head();
      if (slot.state == SlotState::skipped) return false;
      if (slot.state == SlotState::wanted && !replay(pts, slot)) return false;
      if (slot.reference && !slot.change) return false;  // the stretch after it is settled by it
      if (slot.state == SlotState::repeat && !m_slots.given_any()) {
        m_slots.pop_head(false);  // nothing decoded yet for it to repeat: as if it did not decode
        continue;
      }
      out.repeated = slot.state == SlotState::repeat;
      if (!out.repeated) m_current.swap(slot.bgr);
      out.picture = {
          .index = m_emitted++, .time_s = time_s(pts), .size = m_size, .stride = stride(), .bgr = m_current.data()};
      // Replayed pictures reuse these; reference pictures come with buffers of their own.
      if (!slot.bgr.empty() && m_spare.size() < kSpareBuffers) m_spare.push_back(std::move(slot.bgr));
      m_slots.pop_head(true);
      drop_finished_segments();
      return true;
    }
    return false;
  }

  bool finish() {
    if (!m_slots.empty()) throw NotReferenceFirst("pictures were left undecided");
    if (m_emitted == 0) throw nothing_decoded(m_demuxer.path().string(), m_decoders.last_error());
    return false;
  }

  // Decodes the wanted picture with a second decoder, from the keyframe of its segment, or of the
  // segment before for a picture shown before its own keyframe (it may refer to pictures there).
  // False when that needs packets not read yet.
  bool replay(int64_t pts, Slot& wanted) {
    const long start = replay_start(pts, wanted);
    const bool passed = m_replay && (m_replay->segment > wanted.segment ||
                                     (m_replay->segment == wanted.segment && m_replay->next_packet > wanted.packet));
    // A decoder behind the wanted picture's keyframe would decode every reference picture up to
    // it again: one from that keyframe decodes fewer. A drained one takes no more packets.
    const bool behind = m_replay && m_replay->segment < start;
    const bool spent = m_replay && m_replay->drained && m_replay->segment < wanted.segment;
    if (!m_replay || behind || spent || m_replay->first_segment > start || (passed && !wanted.requested)) {
      ++m_replays;
      m_replay.emplace(Replay{.first_segment = start,
                              .segment = start,
                              .decoder = Decoder(m_stream, m_demuxer.path().string(),
                                                 {.threads = 1, .skip_loop_filter = m_options.fast_decode})});
    }
    Replay& replay = *m_replay;
    while (wanted.state == SlotState::wanted) {
      util::throw_if_stop_requested();
      const Segment& segment = segment_with(replay.segment);
      if (replay.decoder.receive(m_replayed.get())) {
        take_replayed(*m_replayed);
      } else if (replay.next_packet < segment.packets.size()) {
        if (!send_to_replay(*segment.packets[replay.next_packet])) return false;
        ++replay.next_packet;
      } else if (!segment.complete) {
        return false;
      } else if (replay.segment < wanted.segment) {
        ++replay.segment;
        replay.next_packet = 0;
      } else if (!replay.drained) {
        replay.decoder.send(nullptr);
        replay.drained = true;
      } else {
        give_up(segment);
      }
    }
    return true;
  }

  long replay_start(int64_t pts, const Slot& wanted) const {
    const bool leading = pts < segment_with(wanted.segment).keyframe_pts;
    const bool kept = m_segments.front().id < wanted.segment;
    return leading && kept ? wanted.segment - 1 : wanted.segment;
  }

  // Sends the next packet, once it is known whether its picture is wanted: one sent past unwanted
  // cannot be asked for later without starting over from the keyframe.
  bool send_to_replay(const AVPacket& packet) {
    Slot* slot = m_slots.find(packet.pts);
    if (slot && slot->state == SlotState::skipped) return false;
    const bool wanted = slot && slot->state == SlotState::wanted;
    if (wanted) slot->requested = true;
    m_replay->decoder.context()->skip_frame = wanted ? AVDISCARD_DEFAULT : AVDISCARD_NONREF;
    m_replay->decoder.send(&packet);
    ++m_replayed_packets;
    return true;
  }

  void take_replayed(const AVFrame& frame) {
    Slot* slot = m_slots.find(timestamp_of(frame));
    if (slot && slot->state == SlotState::wanted) store(frame, *slot);
    av_frame_unref(m_replayed.get());
  }

  // The replay decoded all it could and these did not come out (a picture that needs the segment
  // before, or a corrupt one): they repeat the picture before them.
  void give_up(const Segment& segment) {
    m_slots.give_up(segment.id, [this](int64_t pts) {
      spdlog::debug("'{}': the picture at {:.3f} s did not decode; the one before stands for it",
                    m_demuxer.path().string(), time_s(pts));
    });
  }

  const Segment& segment_with(long id) const {
    for (const Segment& segment : m_segments) {
      if (segment.id == id) return segment;
    }
    throw NotReferenceFirst("a picture's segment is gone");
  }

  void drop_finished_segments() {
    const long oldest_needed = m_slots.oldest_segment(m_segments.back().id);
    // The segment before the oldest one needed stays: replays of leading pictures start there.
    while (m_segments.front().id < oldest_needed - 1) {
      if (m_replay && m_replay->segment <= m_segments.front().id) m_replay.reset();
      m_segments.pop_front();
    }
  }

  Picture view(const std::vector<uint8_t>& bgr, int64_t pts) const {
    return {.time_s = time_s(pts), .size = m_size, .stride = stride(), .bgr = bgr.data()};
  }

  int stride() const { return m_size.width * 3; }

  double time_s(int64_t pts) const {
    return static_cast<double>(pts) * av_q2d(m_stream.time_base) - m_demuxer.origin_s();
  }

  Demuxer m_demuxer;
  int m_stream_index;
  const AVStream& m_stream;
  PictureDecodeOptions m_options;
  const ChangeTest& m_changes;
  double m_frame_rate;
  Size m_size;
  Scaler m_scaler;

  PictureSlots m_slots;
  std::deque<Segment> m_segments;
  long m_next_segment = 0;
  std::optional<Replay> m_replay;
  FramePtr m_replayed = make_frame();
  std::vector<uint8_t> m_current;             // the picture given out last
  std::vector<std::vector<uint8_t>> m_spare;  // picture buffers to use again
  long m_emitted = 0;
  long m_replays = 0;
  long m_replayed_packets = 0;
  bool m_ended = false;

  DecodeAhead m_decoders;  // last: its threads start once the members they use exist
};

}  // namespace

std::unique_ptr<PictureSource::Strategy> make_reference_first(const std::filesystem::path& path,
                                                              const PictureDecodeOptions& options,
                                                              const ChangeTest& changes) {
  return std::make_unique<ReferenceFirst>(path, options, changes);
}

}  // namespace clipper::media
