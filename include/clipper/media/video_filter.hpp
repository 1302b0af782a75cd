#pragma once
// Turns decoded pictures into encoder input: interlaced pictures deinterlaced, rotation applied to
// the pixels, scaled to the output size with square pixels, yuv420p. Owns its libavfilter graph;
// one thread.
#include <string>

#include "clipper/media/av_ptr.hpp"
#include "clipper/media/geometry.hpp"

namespace clipper::media {

struct VideoFilterInput {
  Size size;
  AVPixelFormat pixel_format = AV_PIX_FMT_NONE;
  AVRational sample_aspect_ratio{0, 1};
  AVRational time_base{1, 1};
  // The pictures' fields are of two moments (AVFrame::interlaced_frame): they are deinterlaced.
  bool interlaced = false;
  bool top_field_first = false;
};

class VideoFilter {
 public:
  VideoFilter(const VideoFilterInput& input, int rotation_degrees, Size output, int threads);

  // Filters one frame; the result is taken with pull(). The frame's data is taken over.
  void push(AVFrame* frame);
  bool pull(AVFrame* frame);

 private:
  FilterGraphPtr m_graph;
  AVFilterContext* m_source = nullptr;  // owned by m_graph
  AVFilterContext* m_sink = nullptr;    // owned by m_graph
};

}  // namespace clipper::media
