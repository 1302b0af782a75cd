#pragma once
// Decoded pictures as a clip's encoder takes them (VideoFilter: deinterlaced, turned upright, at the
// clip's size, square pixels, yuv420p). The same picture comes out wherever it is shaped: in the
// clip's own encoder, or in the analysis that feeds the clip its pictures (decode once).
#include <optional>

#include "clipper/media/av_ptr.hpp"
#include "clipper/media/geometry.hpp"
#include "clipper/media/picture_options.hpp"
#include "clipper/media/video_filter.hpp"

namespace clipper::media {

struct ClipShape {
  int rotation_degrees = 0;  // from the stream's display matrix
  Size size;                 // of the clip's pictures
  AVRational sample_aspect_ratio{0, 1};
  AVRational time_base{1, 1};
  bool deinterlace = true;  // pictures marked interlaced keep their first field
};

// The shape of the clips of `stream`, whose shorter display side becomes pictures.short_side.
ClipShape clip_shape(const AVStream& stream, const ClipPictureShape& pictures);

class PictureShaper {
 public:
  PictureShaper(const ClipShape& shape, int threads) : m_shape(shape), m_threads(threads) {}

  const ClipShape& shape() const { return m_shape; }
  // Shapes `decoded` (whose data it takes over) into `shaped`. The filter is made again where the
  // pictures change size or format: the shaped pictures stay those of a filter made for each.
  void shape(AVFrame* decoded, AVFrame* shaped);

 private:
  ClipShape m_shape;
  int m_threads;
  std::optional<VideoFilter> m_filter;
  VideoFilterInput m_input;  // of m_filter
};

}  // namespace clipper::media
