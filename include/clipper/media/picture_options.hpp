#pragma once
// How pictures are decoded for analysis. Plain values, no libav.
#include <cstddef>
#include <optional>

namespace clipper::media {

struct PictureDecodeOptions {
  int longer_side = 256;            // pictures are scaled down to this, never up
  int threads = 0;                  // decoder threads (reference-first: decoders of one thread); 0: automatic
  size_t min_segment_packets = 48;  // reference-first: segments decoded apart are no shorter
  bool fast_decode = true;          // skip H.264/HEVC deblocking: it does not move scene changes
};

// The pictures of a video's clips (EncodeSettings::height, upscale, deinterlace).
struct ClipPictureShape {
  int short_side = 720;
  bool upscale = false;
  bool deinterlace = true;
};

struct PictureSourceOptions {
  PictureDecodeOptions decode;
  bool every_picture = false;  // decode every picture even where reference pictures would do
  // Every picture, in order on one decoder, deblocked, each also given as a clip's encoder takes it
  // (SourcePicture::frame, at this size): for clips encoded from the analysis' pictures.
  std::optional<ClipPictureShape> full_pictures;
};

}  // namespace clipper::media
