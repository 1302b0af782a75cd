#pragma once
// The video half of a clip: decodes the input stream, picks the picture shown at each tick of the
// constant-rate output grid, filters it once and encodes it.
#include <optional>
#include <string>
#include <vector>

#include "clip_timing.hpp"
#include "clipper/media/clip.hpp"
#include "clipper/media/decoder.hpp"
#include "clipper/media/encoder.hpp"
#include "clipper/media/monotonic_clock.hpp"
#include "clipper/media/muxer.hpp"
#include "picture_shaper.hpp"

namespace clipper::media {

class VideoTrack {
 public:
  VideoTrack(const AVStream& stream, const std::string& source, const ClipTiming& timing,
             const EncodeSettings& settings, Muxer& muxer);

  Size output_size() const { return m_shaper.shape().size; }
  // Decodes until the first picture and returns its clip time, then forgets it (seek probing).
  std::optional<double> first_picture_time(const AVPacket* packet);
  void reset_decoder();
  // For a track fed its pictures (feed_picture) once seek probing is over.
  void close_decoder() { m_decoder.close(); }

  void feed(const AVPacket* packet);
  // A picture decoded elsewhere (ClipFeed) and shaped for this clip (PictureShaper), at clip_time_s
  // from the clip's first frame.
  void feed_picture(const AVFrame& shaped, double clip_time_s);
  // The clip ends at end_s (from the input's first frame), as far as that is known yet.
  void extend_to(double end_s) { m_timing.end_s = end_s; }
  void finish();
  bool done() const { return m_next_slot >= m_timing.frame_count(); }

  long frames_written() const { return m_next_slot; }
  bool saw_picture() const { return m_has_current; }
  double last_picture_end_s() const { return m_current_time_s + m_input_period_s; }
  const Decoder& decoder() const { return m_decoder; }

 private:
  std::optional<double> packet_time_s(const AVPacket& packet);
  void hold(const AVPacket* packet, double time_s);
  void release_held();
  void decode(const AVPacket* packet, std::optional<double> time_s);
  void take_decoded_frames();
  // The picture to show from picture_time_s on: m_decoded, shaped or not yet.
  void select(double picture_time_s, bool shaped);
  void emit_current();
  double picture_time_s(const AVFrame& frame);

  const AVStream& m_stream;
  ClipTiming m_timing;
  Muxer& m_muxer;
  PictureShaper m_shaper;
  double m_input_period_s;
  MonotonicClock m_picture_clock;
  MonotonicClock m_packet_clock;  // decode order, for the pre-roll

  // The packets from the latest keyframe while the clip start is still far ahead, with their clip
  // times, and where the packet clock was at that keyframe.
  struct HeldPacket {
    PacketPtr packet;
    double time_s;
  };
  std::vector<HeldPacket> m_held;
  double m_held_offset_s = 0.0;
  Decoder m_decoder;
  Encoder m_encoder;
  int m_stream_index;

  FramePtr m_decoded = make_frame();
  FramePtr m_current = make_frame();
  FramePtr m_filtered = make_frame();  // m_current shaped
  PacketPtr m_packet = make_packet();
  bool m_has_current = false;
  bool m_current_filtered = false;
  double m_current_time_s = 0.0;
  long m_next_slot = 0;
};

// The input's frame rate to keep in the clip, sane for variable frame rate inputs.
AVRational clip_frame_rate(AVFormatContext* context, AVStream* stream);

}  // namespace clipper::media
