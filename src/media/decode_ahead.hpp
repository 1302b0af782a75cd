#pragma once
// The pictures of one video stream decoded ahead of their reader, on threads of their own, and
// handed over as one decoder reading the whole stream gives them, with every packet read: every
// picture, or the reference pictures only (H.264/HEVC, skip_nonref), on one decoder or on one
// decoder per core. With several, a reader cuts the packets at keyframes into segments; each
// segment is decoded by a decoder of its own, which goes on into the next segment until that
// segment's keyframe comes out, for the pictures shown before it (open GOPs). The pictures are
// shrunk on the decoding threads.
// Memory: the packets in flight (a few hundred per decoder) and their pictures, not the video.
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "clipper/media/av_ptr.hpp"
#include "clipper/media/decoder.hpp"
#include "clipper/media/geometry.hpp"
#include "clipper/media/shared_frame.hpp"
#include "picture_shaper.hpp"

namespace clipper::media {

class Demuxer;

// A decoded picture's timestamp: its own, or else libav's best guess.
inline int64_t timestamp_of(const AVFrame& frame) {
  return frame.pts != AV_NOPTS_VALUE ? frame.pts : frame.best_effort_timestamp;
}

struct ShrunkPicture {
  int64_t pts = 0;  // timestamp_of its frame
  int64_t best_effort_timestamp = 0;
  std::vector<uint8_t> bgr;  // shrunk to the analysis size, rows of 3 x width bytes; with clip_shape, samples only
  SharedFrame frame;         // with clip_shape: the picture as a clip's encoder takes it
};

// A packet read, and the pictures that came out of decoding after it. The last arrival has no
// packet: the pictures left in the decoder at the end of the stream.
struct Arrival {
  PacketPtr packet;
  std::vector<ShrunkPicture> pictures;
};

struct DecodeAheadOptions {
  int decoders = 1;                 // 1: one decoder, the whole stream one segment
  size_t min_segment_packets = 48;  // a segment ends at the first keyframe after this many
  DecoderOptions decoder;           // of each decoder: with skip_nonref, reference pictures only
  Size size;                        // of the shrunk pictures
  // Each picture also shaped for a clip (PictureShaper): few packets are read ahead then, and the
  // pictures are shrunk from their shaped picture, only the analysis' samples: all but every other
  // B picture.
  std::optional<ClipShape> clip_shape;
  bool sample_every_picture = false;  // with clip_shape: shrink every picture
};

class DecodeAhead {
 public:
  // Reads `stream_index` of demuxer (which it uses until destroyed) and starts decoding.
  DecodeAhead(Demuxer& demuxer, int stream_index, const DecodeAheadOptions& options);
  ~DecodeAhead();
  DecodeAhead(const DecodeAhead&) = delete;
  DecodeAhead& operator=(const DecodeAhead&) = delete;

  // The next arrival in decoding order; nullopt after the last. Rethrows what stopped a thread;
  // throws NotReferenceFirst where segments do not join up as one decoder's output would.
  std::optional<Arrival> next();
  // The cause of the last picture that did not decode, if any.
  std::string last_error() const;
  // Segments started so far.
  long segments() const;

 private:
  class Impl;
  std::unique_ptr<Impl> m_impl;
};

}  // namespace clipper::media
