#pragma once
// Decodes a whole video into small BGR pictures for analysis, counting pictures in presentation
// order and timing them on the clock `clipper cut --start` uses. Move-only; one thread.
#include <cstdint>
#include <filesystem>
#include <vector>

#include "clipper/media/decoder.hpp"
#include "clipper/media/demuxer.hpp"
#include "clipper/media/geometry.hpp"
#include "clipper/media/monotonic_clock.hpp"
#include "clipper/media/picture_options.hpp"
#include "clipper/media/scaler.hpp"

namespace clipper::media {

// A decoded picture at full size, numbered and timed (MonotonicClock).
struct DecodedPicture {
  FramePtr frame;
  long index = 0;
  double time_s = 0.0;
  int timestamp_jumps = 0;  // times the stream's timestamps jumped back, up to this picture
};

struct Picture {
  long index = 0;
  double time_s = 0.0;
  int timestamp_jumps = 0;
  Size size;
  int stride = 0;
  const uint8_t* bgr = nullptr;  // valid until the next call to shrink()
};

// The size pictures are analysed at: the display aspect, longer_side at most.
Size analysis_picture_size(const AVStream& stream, int longer_side);

class PictureReader {
 public:
  // Throws "cannot open input 'PATH': <cause>", also when there is no video stream.
  PictureReader(const std::filesystem::path& path, const PictureReaderOptions& options = {});

  // The next picture, decoded; false at the end. Throws "cannot decode 'PATH': ..." when nothing
  // decodes. Decoding and shrinking may run on two threads (one each).
  bool next_decoded(DecodedPicture& decoded);
  // ... and shrinking for analysis; the result is valid until the next call.
  Picture shrink(const DecodedPicture& decoded);

  double frame_rate() const { return m_frame_rate; }
  double declared_duration_s() const { return m_demuxer.stream_duration_s(m_stream_index); }

 private:
  bool receive_picture();
  double picture_time_s();

  Demuxer m_demuxer;
  int m_stream_index;
  Decoder m_decoder;
  double m_frame_rate;
  MonotonicClock m_clock{1.0 / m_frame_rate};
  Size m_size;
  Scaler m_scaler;
  FramePtr m_frame = make_frame();
  PacketPtr m_packet = make_packet();
  std::vector<uint8_t> m_bgr;
  long m_count = 0;
  double m_last_time_s = 0.0;
  bool m_draining = false;
};

}  // namespace clipper::media
