#include "picture_shaper.hpp"

#include "clipper/media/demuxer.hpp"
#include "clipper/util/error.hpp"

extern "C" {
#include <libavutil/display.h>
}

namespace clipper::media {
namespace {

int stream_rotation(const AVStream& stream) {
  const auto* matrix =
      reinterpret_cast<const int32_t*>(av_stream_get_side_data(&stream, AV_PKT_DATA_DISPLAYMATRIX, nullptr));
  return matrix ? normalized_rotation(av_display_rotation_get(matrix)) : 0;
}

}  // namespace

ClipShape clip_shape(const AVStream& stream, const ClipPictureShape& pictures) {
  const int rotation_degrees = stream_rotation(stream);
  const AVRational sample_aspect = sample_aspect_ratio(stream);
  return {.rotation_degrees = rotation_degrees,
          .size = output_size({stream.codecpar->width, stream.codecpar->height}, av_q2d(sample_aspect),
                              rotation_degrees, pictures.short_side, pictures.upscale),
          .sample_aspect_ratio = sample_aspect,
          .time_base = stream.time_base,
          .deinterlace = pictures.deinterlace};
}

void PictureShaper::shape(AVFrame* decoded, AVFrame* shaped) {
  const bool interlaced = m_shape.deinterlace && decoded->interlaced_frame != 0;
  const VideoFilterInput input{.size = {decoded->width, decoded->height},
                               .pixel_format = static_cast<AVPixelFormat>(decoded->format),
                               .sample_aspect_ratio = m_shape.sample_aspect_ratio,
                               .time_base = m_shape.time_base,
                               .interlaced = interlaced,
                               .top_field_first = interlaced && decoded->top_field_first != 0};
  if (!m_filter || input.size != m_input.size || input.pixel_format != m_input.pixel_format ||
      input.interlaced != m_input.interlaced || input.top_field_first != m_input.top_field_first) {
    m_filter.emplace(input, m_shape.rotation_degrees, m_shape.size, m_threads);
    m_input = input;
  }
  av_frame_unref(shaped);
  m_filter->push(decoded);
  if (!m_filter->pull(shaped)) throw util::Error("cannot filter video: no picture came out");
}

}  // namespace clipper::media
