#include "video_track.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <new>

#include "clipper/media/demuxer.hpp"
#include "clipper/util/cancellation.hpp"
#include "clipper/util/error.hpp"

namespace clipper::media {
namespace {

// High-speed cameras record up to 1000 pictures a second; beyond that a rate is a time base.
bool is_sane_rate(AVRational rate) { return rate.num > 0 && rate.den > 0 && av_q2d(rate) <= 1000.0; }

}  // namespace

AVRational clip_frame_rate(AVFormatContext* context, AVStream* stream) {
  const AVRational guessed = av_guess_frame_rate(context, stream, nullptr);
  if (is_sane_rate(guessed)) return guessed;
  if (is_sane_rate(stream->avg_frame_rate)) return stream->avg_frame_rate;
  return {25, 1};
}

VideoTrack::VideoTrack(const AVStream& stream, const std::string& source, const ClipTiming& timing,
                       const EncodeSettings& settings, Muxer& muxer)
    : m_stream(stream),
      m_timing(timing),
      m_muxer(muxer),
      m_shaper(clip_shape(stream, clip_picture_shape(settings)), settings.threads),
      m_input_period_s(timing.frame_period_s()),
      m_picture_clock(m_input_period_s),
      m_packet_clock(m_input_period_s),
      m_decoder(stream, source, {.threads = settings.threads}),
      m_encoder(Encoder::h264({.size = m_shaper.shape().size,
                               .frame_rate = timing.frame_rate,
                               .preset = settings.preset,
                               .crf = settings.crf,
                               .threads = settings.threads},
                              muxer.needs_global_header())),
      m_stream_index(muxer.add_stream(*m_encoder.context())) {}

std::optional<double> VideoTrack::first_picture_time(const AVPacket* packet) {
  m_decoder.send(packet);
  if (!m_decoder.receive(m_decoded.get())) return std::nullopt;
  const double time_s = picture_time_s(*m_decoded);
  av_frame_unref(m_decoded.get());
  return time_s;
}

void VideoTrack::reset_decoder() {
  m_decoder.reset();
  m_held.clear();
  m_picture_clock = MonotonicClock(m_input_period_s);
  m_packet_clock = MonotonicClock(m_input_period_s);
}

// Packets shown this long before the clip starts are held, not decoded, from the latest keyframe
// on: a clip read from the input's start (ClipRequest::from_start) decodes one group of pictures.
constexpr double kHoldAhead_s = 3.0;
// A stream that flags no keyframe is decoded as it comes after this many packets held.
constexpr size_t kMostHeld = 4096;

std::optional<double> VideoTrack::packet_time_s(const AVPacket& packet) {
  const int64_t timestamp = packet.pts != AV_NOPTS_VALUE ? packet.pts : packet.dts;
  if (timestamp == AV_NOPTS_VALUE) return std::nullopt;
  return m_timing.clip_time_s(m_packet_clock.place(static_cast<double>(timestamp) * av_q2d(m_stream.time_base)));
}

void VideoTrack::feed(const AVPacket* packet) {
  const std::optional<double> time_s = packet_time_s(*packet);
  if (time_s && *time_s < -kHoldAhead_s && m_held.size() < kMostHeld) {
    hold(packet, *time_s);
    return;
  }
  release_held();
  decode(packet, time_s);
}

void VideoTrack::hold(const AVPacket* packet, double time_s) {
  if (packet->flags & AV_PKT_FLAG_KEY) m_held.clear();
  if (m_held.empty()) m_held_offset_s = m_packet_clock.offset_s();
  PacketPtr copy(av_packet_clone(packet));
  if (!copy) throw std::bad_alloc();
  m_held.push_back({std::move(copy), time_s});
}

// Decoding starts at the held keyframe, on the clock as it was there.
void VideoTrack::release_held() {
  if (m_held.empty()) return;
  m_picture_clock = MonotonicClock(m_input_period_s, m_held_offset_s);
  for (const HeldPacket& held : m_held) decode(held.packet.get(), held.time_s);
  m_held.clear();
}

// Pictures that no other picture refers to and that are shown well before the clip starts need not
// be decoded at all: the pre-roll from the keyframe before the start costs only its reference pictures.
void VideoTrack::decode(const AVPacket* packet, std::optional<double> time_s) {
  const double pre_roll_margin_s = std::max(0.5, 2.0 * m_timing.frame_period_s());
  const bool long_before_start = time_s && *time_s < -pre_roll_margin_s;
  m_decoder.context()->skip_frame = long_before_start ? AVDISCARD_NONREF : AVDISCARD_DEFAULT;
  m_decoder.send(packet);
  take_decoded_frames();
}

void VideoTrack::feed_picture(const AVFrame& shaped, double clip_time_s) {
  if (done()) return;
  if (Size{shaped.width, shaped.height} != output_size()) {
    throw util::Error(fmt::format("cannot encode a {}x{} picture into a {}x{} clip", shaped.width, shaped.height,
                                  output_size().width, output_size().height));
  }
  if (av_frame_ref(m_decoded.get(), &shaped) < 0) throw std::bad_alloc();
  select(clip_time_s, true);
}

void VideoTrack::finish() {
  release_held();
  m_decoder.send(nullptr);
  take_decoded_frames();
  const double end_of_input_s = last_picture_end_s();
  while (m_has_current && !done() &&
         static_cast<double>(m_next_slot) * m_timing.frame_period_s() + m_timing.half_frame_s() <=
             end_of_input_s + 1e-6) {
    emit_current();
  }
  m_encoder.send(nullptr);
  m_encoder.write_ready_packets(m_muxer, m_stream_index, m_packet.get());
}

void VideoTrack::take_decoded_frames() {
  while (!done() && m_decoder.receive(m_decoded.get())) {
    select(picture_time_s(*m_decoded), false);
  }
  av_frame_unref(m_decoded.get());
}

double VideoTrack::picture_time_s(const AVFrame& frame) {
  if (frame.best_effort_timestamp != AV_NOPTS_VALUE) {
    return m_timing.clip_time_s(
        m_picture_clock.place(static_cast<double>(frame.best_effort_timestamp) * av_q2d(m_stream.time_base)));
  }
  return m_has_current ? m_current_time_s + m_input_period_s : -m_timing.start_s;
}

// The picture shown at output tick n is the last one whose time is at most n periods plus half.
void VideoTrack::select(double picture_time_s, bool shaped) {
  if (!m_has_current) {
    m_has_current = true;
  } else {
    while (!done() &&
           static_cast<double>(m_next_slot) * m_timing.frame_period_s() + m_timing.half_frame_s() < picture_time_s) {
      emit_current();
    }
  }
  AVFrame* current = shaped ? m_filtered.get() : m_current.get();
  av_frame_unref(current);
  av_frame_move_ref(current, m_decoded.get());
  m_current_time_s = picture_time_s;
  m_current_filtered = shaped;
}

void VideoTrack::emit_current() {
  if (!m_current_filtered) {
    m_shaper.shape(m_current.get(), m_filtered.get());
    m_current_filtered = true;
  }
  m_filtered->pts = m_next_slot++;
  m_filtered->pict_type = AV_PICTURE_TYPE_NONE;
  m_encoder.send(m_filtered.get());
  m_encoder.write_ready_packets(m_muxer, m_stream_index, m_packet.get());
}

}  // namespace clipper::media
