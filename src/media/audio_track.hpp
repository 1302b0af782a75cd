#pragma once
// The audio half of a clip: decodes, converts to float (mono stays mono, more channels are mixed to stereo), trims or pads on the clip's clock so
// that sound stays in sync with the pictures, and encodes AAC frames.
#include <string>

#include "clip_timing.hpp"
#include "clipper/media/decoder.hpp"
#include "clipper/media/encoder.hpp"
#include "clipper/media/monotonic_clock.hpp"
#include "clipper/media/muxer.hpp"

namespace clipper::media {

class AudioTrack {
 public:
  AudioTrack(const AVStream& stream, const std::string& source, const ClipTiming& timing, Muxer& muxer);

  void feed(const AVPacket* packet);
  // Pads with silence to the clip's length and drains the encoder.
  void finish();
  bool done() const { return m_samples_queued >= m_total_samples; }
  // The clip ends at end_s (from the input's first frame), as far as that is known yet.
  void extend_to(double end_s);
  const Decoder& decoder() const { return m_decoder; }

 private:
  void take_decoded_frames();
  void place(const AVFrame& converted, long long first_sample);
  void queue_samples(const AVFrame& frame, int offset, int count);
  void queue_silence(long long count);
  void encode_queued(bool final);

  const AVStream& m_stream;
  ClipTiming m_timing;
  AVChannelLayout m_layout;  // a native mono or stereo layout: nothing to free
  MonotonicClock m_clock{0.02};
  Decoder m_decoder;
  Encoder m_encoder;
  int m_stream_index;
  int m_sample_rate;
  long long m_total_samples;
  SwrPtr m_resampler;
  AudioFifoPtr m_fifo;
  Muxer& m_muxer;

  FramePtr m_decoded = make_frame();
  FramePtr m_converted = make_frame();
  FramePtr m_encoder_input = make_frame();
  PacketPtr m_packet = make_packet();
  long long m_samples_queued = 0;
  long long m_samples_encoded = 0;
};

}  // namespace clipper::media
