#pragma once
// A decoder for one stream, counting packets it had to skip as corrupt. Move-only; one thread.
#include <string>

#include "clipper/media/av_ptr.hpp"
#include "clipper/util/error.hpp"

namespace clipper::media {

struct DecoderOptions {
  int threads = 0;                // 0: libav chooses
  bool skip_loop_filter = false;  // faster H.264/HEVC decoding where exact pixels do not matter
  bool skip_nonref = false;       // decode reference pictures only
};

// "cannot decode 'SOURCE': <the decoder's last error>", or `otherwise` when it had none: what to
// say when no picture came out.
util::Error nothing_decoded(const std::string& source, const std::string& last_error,
                            const std::string& otherwise = "no picture could be decoded");

class Decoder {
 public:
  // Throws "cannot decode 'SOURCE': <cause>" when the codec is missing or cannot be opened.
  Decoder(const AVStream& stream, const std::string& source, DecoderOptions options = {});

  AVCodecContext* context() const { return m_context.get(); }

  // Sends a packet; nullptr starts draining, empty packets are passed over. Corrupt packets are
  // counted and skipped.
  void send(const AVPacket* packet);
  // Takes the next decoded frame; false when the decoder needs input or is drained.
  bool receive(AVFrame* frame);
  // Forgets buffered state, after a seek.
  void reset();
  // Lets go of the codec and of the pictures it holds; the counts stay. Packets sent after are
  // passed over and nothing comes out.
  void close() { m_context.reset(); }

  int corrupt_packets() const { return m_corrupt_packets; }
  const std::string& last_error() const { return m_last_error; }

 private:
  bool is_corrupt_data(int code);

  std::string m_source;
  CodecContextPtr m_context;
  int m_corrupt_packets = 0;
  std::string m_last_error;
};

}  // namespace clipper::media
