#include "decode_ahead.hpp"

#include <algorithm>
#include <condition_variable>
#include <deque>
#include <exception>
#include <iterator>
#include <mutex>
#include <new>
#include <thread>

#include "clipper/media/demuxer.hpp"
#include "clipper/media/scaler.hpp"
#include "clipper/util/cancellation.hpp"
#include "picture_strategy.hpp"

namespace clipper::media {
namespace {

// Packets read and not yet handed over, per decoder: enough for each decoder to work on a segment
// of its own while the first is handed over.
constexpr size_t kPacketsAheadPerDecoder = 256;
// ... and where each picture is also kept for a clip, a few.
constexpr size_t kPacketsAheadKeepingFrames = 2;
// How far a decoder goes into the next segment for its keyframe to come out.
constexpr size_t kMostPacketsInto = 64;

SharedFrame share(FramePtr frame) {
  return {frame.release(), [](const AVFrame* owned) {
            AVFrame* freed = const_cast<AVFrame*>(owned);
            av_frame_free(&freed);
          }};
}

// Thrown on a decoding thread when the decoders are destroyed before the end.
struct Stopped {};

// The packets from one keyframe to the next, and what its decoder made of them. The reader
// appends packets, one decoder reads them, the hand-over takes them: each under the lock, except
// that packets and pictures, once published, are only read.
struct Segment {
  long id = 0;
  std::optional<int64_t> keyframe_pts;  // none for the first: everything decoded is its own
  std::deque<PacketPtr> packets;
  bool complete = false;  // every packet read
  bool taken = false;     // a decoder works on it

  std::deque<std::vector<ShrunkPicture>> own;  // the pictures out after each of its packets
  std::vector<int64_t> passed_over;            // shown before its keyframe: the segment before decodes them
  std::vector<ShrunkPicture> late;             // shown before the next keyframe, out after its packets
  size_t late_after = 0;                       // the next segment's packet they came out after
  std::optional<int64_t> stopped_at;           // the next segment's first picture, where decoding stopped
  std::vector<ShrunkPicture> drained;          // the last segment's: out at the end of the stream
  bool decoded = false;
};

}  // namespace

class DecodeAhead::Impl {
 public:
  Impl(Demuxer& demuxer, int stream_index, const DecodeAheadOptions& options)
      : m_demuxer(demuxer), m_stream_index(stream_index), m_options(options) {
    m_reader = std::thread([this] { read(); });
    for (int i = 0; i < std::max(1, m_options.decoders); ++i) m_workers.emplace_back([this] { work(); });
  }

  ~Impl() {
    {
      std::lock_guard lock(m_mutex);
      m_stopping = true;
    }
    m_changed.notify_all();
    m_reader.join();
    for (std::thread& worker : m_workers) worker.join();
  }

  std::optional<Arrival> next() {
    std::unique_lock lock(m_mutex);
    for (;;) {
      if (m_failure) std::rethrow_exception(m_failure);
      if (std::optional<Arrival> arrival = take_arrival()) {
        m_changed.notify_all();
        return arrival;
      }
      if (m_finished) return std::nullopt;
      m_changed.wait(lock);
    }
  }

  std::string last_error() const {
    std::lock_guard lock(m_mutex);
    return m_last_error;
  }

  long segments() const {
    std::lock_guard lock(m_mutex);
    return m_next_segment;
  }

 private:
  // --- the reader ---

  void read() {
    try {
      PacketPtr packet = make_packet();
      while (m_demuxer.read(packet.get())) {
        if (packet->stream_index != m_stream_index) {
          av_packet_unref(packet.get());
          continue;
        }
        PacketPtr kept = make_packet();
        av_packet_move_ref(kept.get(), packet.get());
        if (!append(std::move(kept))) return;
      }
      std::lock_guard lock(m_mutex);
      if (!m_segments.empty()) m_segments.back().complete = true;
      m_read_all = true;
    } catch (...) {
      fail(std::current_exception());
    }
    m_changed.notify_all();
  }

  // False when stopping.
  bool append(PacketPtr packet) {
    std::unique_lock lock(m_mutex);
    m_changed.wait(lock, [this] { return m_stopping || m_packets_held < packets_ahead(); });
    if (m_stopping) return false;
    util::throw_if_stop_requested();
    if (starts_segment(*packet)) {
      if (!m_segments.empty()) m_segments.back().complete = true;
      m_segments.push_back({.id = m_next_segment++});
      if (m_segments.back().id > 0) m_segments.back().keyframe_pts = packet->pts;
    }
    m_segments.back().packets.push_back(std::move(packet));
    ++m_packets_held;
    m_changed.notify_all();
    return true;
  }

  bool starts_segment(const AVPacket& packet) const {
    if (m_segments.empty()) return true;
    const bool keyframe = (packet.flags & AV_PKT_FLAG_KEY) != 0;
    return m_options.decoders > 1 && keyframe && packet.pts != AV_NOPTS_VALUE &&
           m_segments.back().packets.size() >= m_options.min_segment_packets;
  }

  size_t packets_ahead() const {
    const size_t per_decoder = m_options.clip_shape ? kPacketsAheadKeepingFrames : kPacketsAheadPerDecoder;
    return per_decoder * static_cast<size_t>(std::max(1, m_options.decoders));
  }

  // --- the decoders ---

  void work() {
    try {
      while (Segment* segment = take_segment()) decode(*segment);
    } catch (const Stopped&) {
    } catch (...) {
      fail(std::current_exception());
    }
  }

  Segment* take_segment() {
    std::unique_lock lock(m_mutex);
    for (;;) {
      if (m_stopping || m_failure) return nullptr;
      for (Segment& segment : m_segments) {
        if (!segment.taken) {
          segment.taken = true;
          return &segment;
        }
      }
      if (m_read_all) return nullptr;
      m_changed.wait(lock);
    }
  }

  class SegmentDecoder {
   public:
    SegmentDecoder(const Impl& owner)
        : m_decoder(*owner.m_demuxer.stream(owner.m_stream_index), owner.m_demuxer.path().string(),
                    owner.m_options.decoder),
          m_size(owner.m_options.size),
          m_sample_every_picture(owner.m_options.sample_every_picture) {
      if (owner.m_options.clip_shape) m_shaper.emplace(*owner.m_options.clip_shape, 1);
    }

    // The pictures that came out after sending packet (nullptr: the end).
    std::vector<ShrunkPicture> decode(const AVPacket* packet) {
      util::throw_if_stop_requested();
      m_decoder.send(packet);
      std::vector<ShrunkPicture> pictures;
      while (m_decoder.receive(m_frame.get())) {
        ShrunkPicture picture{.pts = timestamp_of(*m_frame), .best_effort_timestamp = m_frame->best_effort_timestamp};
        if (m_shaper) {
          const bool sampled = is_sample(*m_frame);
          picture.frame = shaped(m_frame.get());
          if (sampled) shrink(*picture.frame, picture.bgr);
        } else {
          shrink(*m_frame, picture.bgr);
        }
        av_frame_unref(m_frame.get());
        pictures.push_back(std::move(picture));
      }
      return pictures;
    }

    const std::string& last_error() const { return m_decoder.last_error(); }

   private:
    // Every picture but one B picture in two: the encoder chose the other types where pictures
    // change fast (flicker, flashes), and B pictures sampled in turn leave stretches no longer than
    // those between the reference pictures of B pictures in a pyramid, which the stretch rule is
    // made for.
    bool is_sample(const AVFrame& frame) {
      const bool sampled = m_sample_every_picture || frame.pict_type != AV_PICTURE_TYPE_B || m_unsampled > 0;
      m_unsampled = sampled ? 0 : m_unsampled + 1;
      return sampled;
    }

    void shrink(const AVFrame& frame, std::vector<uint8_t>& bgr) {
      bgr.resize(static_cast<size_t>(m_size.width) * 3 * static_cast<size_t>(m_size.height));
      m_scaler.to_bgr(frame, m_size, bgr.data(), m_size.width * 3);
    }

    SharedFrame shaped(AVFrame* decoded) {
      FramePtr frame = make_frame();
      m_shaper->shape(decoded, frame.get());
      return share(std::move(frame));
    }

    Decoder m_decoder;
    Size m_size;
    bool m_sample_every_picture;
    int m_unsampled = 0;  // pictures since the last sample
    std::optional<PictureShaper> m_shaper;  // on this decoder's thread
    Scaler m_scaler;
    FramePtr m_frame = make_frame();
  };

  void decode(Segment& segment) {
    SegmentDecoder decoder(*this);
    for (size_t index = 0; const AVPacket* packet = packet_of(segment, index); ++index) {
      std::vector<ShrunkPicture> pictures = decoder.decode(packet);
      std::lock_guard lock(m_mutex);
      for (auto picture = pictures.begin(); picture != pictures.end();) {
        if (segment.keyframe_pts && picture->pts < *segment.keyframe_pts) {
          segment.passed_over.push_back(picture->pts);
          picture = pictures.erase(picture);
        } else {
          ++picture;
        }
      }
      segment.own.push_back(std::move(pictures));
      m_changed.notify_all();
    }
    Segment* following = next_segment(segment);
    if (following) {
      decode_into(*following, segment, decoder);
    } else {
      std::vector<ShrunkPicture> drained = decoder.decode(nullptr);
      std::lock_guard lock(m_mutex);
      segment.drained = std::move(drained);
    }
    std::lock_guard lock(m_mutex);
    if (!decoder.last_error().empty()) m_last_error = decoder.last_error();
    segment.decoded = true;
    m_changed.notify_all();
  }

  // Goes on into the following segment until its keyframe (or a later picture) comes out.
  void decode_into(const Segment& following, Segment& segment, SegmentDecoder& decoder) {
    std::vector<ShrunkPicture> late;
    size_t index = 0;
    for (const AVPacket* packet = packet_of(following, 0); packet; packet = packet_of(following, ++index)) {
      if (index >= kMostPacketsInto) throw NotReferenceFirst("a keyframe did not come out of its decoder");
      if (take_late(decoder.decode(packet), *following.keyframe_pts, late, segment)) {
        publish_late(segment, std::move(late), index);
        return;
      }
    }
    take_late(decoder.decode(nullptr), *following.keyframe_pts, late, segment);
    publish_late(segment, std::move(late), index == 0 ? 0 : index - 1);
  }

  // True once a picture of the following segment came out: it and those after it are not kept.
  static bool take_late(std::vector<ShrunkPicture> pictures, int64_t boundary, std::vector<ShrunkPicture>& late,
                        Segment& segment) {
    for (ShrunkPicture& picture : pictures) {
      if (picture.pts >= boundary) {
        segment.stopped_at = picture.pts;
        return true;
      }
      late.push_back(std::move(picture));
    }
    return false;
  }

  void publish_late(Segment& segment, std::vector<ShrunkPicture> late, size_t after) {
    std::lock_guard lock(m_mutex);
    segment.late = std::move(late);
    segment.late_after = after;
  }

  // The segment's packet at index, waiting for it to be read; nullptr past its end.
  const AVPacket* packet_of(const Segment& segment, size_t index) {
    std::unique_lock lock(m_mutex);
    m_changed.wait(lock, [&] { return m_stopping || segment.packets.size() > index || segment.complete; });
    if (m_stopping) throw Stopped();
    return index < segment.packets.size() ? segment.packets[index].get() : nullptr;
  }

  // The segment after this one, waiting until it starts or the stream ends.
  Segment* next_segment(const Segment& segment) {
    std::unique_lock lock(m_mutex);
    for (;;) {
      if (m_stopping) throw Stopped();
      for (Segment& candidate : m_segments) {
        if (candidate.id == segment.id + 1) return &candidate;
      }
      if (m_read_all) return nullptr;
      m_changed.wait(lock);
    }
  }

  // --- the hand-over, in decoding order (with m_mutex held) ---

  std::optional<Arrival> take_arrival() {
    if (m_segments.empty()) {
      if (!m_read_all || m_finished) return std::nullopt;
      m_finished = true;
      return Arrival{.pictures = std::move(m_drained)};
    }
    Segment& front = m_segments.front();
    if (m_handed < front.own.size()) return hand_over(front);
    if (!front.complete || m_handed < front.packets.size() || !front.decoded) return std::nullopt;
    finish_segment(front);
    return take_arrival();
  }

  // The packet m_handed of the front segment with its pictures. Those of the segment before that
  // came out later than some of this one's packets come first, after the packet they came out
  // after; this segment's own pictures until then wait with them.
  Arrival hand_over(Segment& front) {
    const size_t index = m_handed++;
    Arrival arrival{.packet = std::move(front.packets[index])};
    --m_packets_held;
    std::vector<ShrunkPicture>& own = front.own[index];
    check_first_own(own);
    if (index < m_before.late_after) {
      std::move(own.begin(), own.end(), std::back_inserter(m_waiting));
    } else {
      arrival.pictures = std::move(m_waiting);
      m_waiting.clear();
      std::move(own.begin(), own.end(), std::back_inserter(arrival.pictures));
    }
    own.clear();
    return arrival;
  }

  void check_first_own(const std::vector<ShrunkPicture>& own) {
    if (own.empty() || m_seen_own) return;
    m_seen_own = true;
    if (m_before.stopped_at && own.front().pts != *m_before.stopped_at) {
      throw NotReferenceFirst("segments decoded apart do not join up");
    }
  }

  // The next segment's hand-over starts with the late pictures of this one.
  void finish_segment(Segment& front) {
    for (int64_t pts : front.passed_over) {
      if (std::find(m_before.late_pts.begin(), m_before.late_pts.end(), pts) == m_before.late_pts.end()) {
        throw NotReferenceFirst("a picture before a keyframe was decoded in neither segment");
      }
    }
    if (!m_waiting.empty()) throw NotReferenceFirst("pictures of a segment were left undelivered");
    m_before = {.late_after = front.late_after, .stopped_at = front.stopped_at};
    for (const ShrunkPicture& picture : front.late) m_before.late_pts.push_back(picture.pts);
    m_waiting = std::move(front.late);
    m_drained = std::move(front.drained);
    m_segments.pop_front();
    m_handed = 0;
    m_seen_own = false;
  }

  void fail(std::exception_ptr failure) {
    std::lock_guard lock(m_mutex);
    if (!m_failure) m_failure = failure;
    m_changed.notify_all();
  }

  struct Before {
    std::vector<int64_t> late_pts;
    size_t late_after = 0;
    std::optional<int64_t> stopped_at;
  };

  Demuxer& m_demuxer;
  int m_stream_index;
  DecodeAheadOptions m_options;

  mutable std::mutex m_mutex;
  std::condition_variable m_changed;
  std::deque<Segment> m_segments;
  long m_next_segment = 0;
  size_t m_packets_held = 0;
  bool m_read_all = false;
  bool m_stopping = false;
  std::exception_ptr m_failure;
  std::string m_last_error;

  size_t m_handed = 0;  // of the front segment's packets
  bool m_seen_own = false;
  Before m_before;                       // what the segment handed over last left for the next
  std::vector<ShrunkPicture> m_waiting;  // to go with the packet m_before.late_after
  std::vector<ShrunkPicture> m_drained;
  bool m_finished = false;

  std::thread m_reader;
  std::vector<std::thread> m_workers;
};

DecodeAhead::DecodeAhead(Demuxer& demuxer, int stream_index, const DecodeAheadOptions& options)
    : m_impl(std::make_unique<Impl>(demuxer, stream_index, options)) {}

DecodeAhead::~DecodeAhead() = default;

std::optional<Arrival> DecodeAhead::next() { return m_impl->next(); }

std::string DecodeAhead::last_error() const { return m_impl->last_error(); }

long DecodeAhead::segments() const { return m_impl->segments(); }

}  // namespace clipper::media
