#pragma once
// H.264 and AAC encoders for clips. Move-only; one thread drives each.
#include <string>
#include <string_view>

#include "clipper/media/av_ptr.hpp"
#include "clipper/media/geometry.hpp"

namespace clipper::media {

class Muxer;

struct VideoEncoderSettings {
  Size size;
  AVRational frame_rate{25, 1};
  std::string preset = "veryfast";
  int crf = 23;
  int threads = 0;  // 0: libx264 chooses
};

struct AudioEncoderSettings {
  int sample_rate = 48000;
  int channels = 2;
  int bit_rate = 128000;
};

// Presets libx264 accepts, fastest first.
bool is_x264_preset(std::string_view preset);
std::string_view x264_presets_text();

// AAC's own sample rate when the input's is one it supports, 48 kHz otherwise.
int aac_sample_rate_for(int input_sample_rate);

class Encoder {
 public:
  // Both expect the muxer's needs to be known: with global_header the headers go in extradata (MP4).
  static Encoder h264(const VideoEncoderSettings& settings, bool global_header);
  static Encoder aac(const AudioEncoderSettings& settings, bool global_header);

  AVCodecContext* context() const { return m_context.get(); }
  // Samples per frame the encoder wants (audio).
  int frame_size() const { return m_context->frame_size; }

  // Sends a frame in the encoder's time base; nullptr starts draining.
  void send(const AVFrame* frame);
  // Takes the next packet; false when the encoder needs input or is drained.
  bool receive(AVPacket* packet);
  // Writes every packet ready to the muxer's stream, through `packet`. Throws util::Interrupted.
  void write_ready_packets(Muxer& muxer, int stream_index, AVPacket* packet);

 private:
  explicit Encoder(CodecContextPtr context) : m_context(std::move(context)) {}
  CodecContextPtr m_context;
};

}  // namespace clipper::media
