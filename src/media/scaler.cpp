#include "clipper/media/scaler.hpp"

#include "clipper/util/error.hpp"

extern "C" {
#include <libavutil/pixdesc.h>
}

namespace clipper::media {
namespace {

bool is_planar_8bit_yuv(AVPixelFormat format) {
  switch (format) {
    case AV_PIX_FMT_YUV420P:
    case AV_PIX_FMT_YUVJ420P:
    case AV_PIX_FMT_YUV422P:
    case AV_PIX_FMT_YUVJ422P:
    case AV_PIX_FMT_YUV444P:
    case AV_PIX_FMT_YUVJ444P:
      return true;
    default:
      return false;
  }
}

// Positions of the 2 samples, at 1/4 and 3/4 of each output pixel's span, along one axis.
std::vector<int> sample_positions(int source_length, int target_length) {
  std::vector<int> positions(2 * static_cast<size_t>(target_length));
  for (int i = 0; i < target_length; ++i) {
    positions[2 * i] = static_cast<int>((static_cast<int64_t>(4 * i + 1) * source_length) / (4 * target_length));
    positions[2 * i + 1] = static_cast<int>((static_cast<int64_t>(4 * i + 3) * source_length) / (4 * target_length));
  }
  return positions;
}

// Each output pixel is the mean of 2x2 samples spread over the input area it covers: a small
// fraction of the reads of a full area filter, and enough to keep noise from aliasing. The two
// rows are added first, over the span the columns reach, where the adds run many at a time.
void shrink_plane(const uint8_t* source, int source_stride, const std::vector<int>& columns,
                  const std::vector<int>& rows, uint8_t* target, std::vector<uint16_t>& row_sums) {
  const size_t width = columns.size() / 2;
  const size_t span = width == 0 ? 0 : static_cast<size_t>(columns.back()) + 1;
  row_sums.resize(span);
  for (size_t y = 0; y < rows.size() / 2; ++y) {
    const uint8_t* row0 = source + static_cast<ptrdiff_t>(rows[2 * y]) * source_stride;
    const uint8_t* row1 = source + static_cast<ptrdiff_t>(rows[2 * y + 1]) * source_stride;
    for (size_t x = 0; x < span; ++x) row_sums[x] = static_cast<uint16_t>(row0[x] + row1[x]);
    uint8_t* out = target + y * width;
    for (size_t x = 0; x < width; ++x) {
      out[x] = static_cast<uint8_t>((row_sums[columns[2 * x]] + row_sums[columns[2 * x + 1]] + 2) / 4);
    }
  }
}

}  // namespace

void Scaler::prepare(const AVFrame& frame, Size output) {
  if (m_context && frame.width == m_input_width && frame.height == m_input_height && frame.format == m_input_format &&
      output == m_output) {
    return;
  }
  const auto format = static_cast<AVPixelFormat>(frame.format);
  m_shrink_first = is_planar_8bit_yuv(format) && output.width <= frame.width && output.height <= frame.height;
  const bool full_range =
      format == AV_PIX_FMT_YUVJ420P || format == AV_PIX_FMT_YUVJ422P || format == AV_PIX_FMT_YUVJ444P;
  const AVPixelFormat source_format = m_shrink_first ? (full_range ? AV_PIX_FMT_YUVJ444P : AV_PIX_FMT_YUV444P) : format;
  const Size source = m_shrink_first ? output : Size{frame.width, frame.height};
  m_context.reset(sws_getContext(source.width, source.height, source_format, output.width, output.height,
                                 AV_PIX_FMT_BGR24, SWS_AREA, nullptr, nullptr, nullptr));
  if (!m_context) throw util::Error("cannot scale pictures: unsupported picture format");
  m_input_width = frame.width;
  m_input_height = frame.height;
  m_input_format = frame.format;
  m_output = output;
  m_small_yuv.resize(3 * static_cast<size_t>(output.width) * static_cast<size_t>(output.height));
  if (m_shrink_first) {
    const AVPixFmtDescriptor* descriptor = av_pix_fmt_desc_get(format);
    const int chroma_width = AV_CEIL_RSHIFT(frame.width, descriptor->log2_chroma_w);
    const int chroma_height = AV_CEIL_RSHIFT(frame.height, descriptor->log2_chroma_h);
    m_luma_columns = sample_positions(frame.width, output.width);
    m_luma_rows = sample_positions(frame.height, output.height);
    m_chroma_columns = sample_positions(chroma_width, output.width);
    m_chroma_rows = sample_positions(chroma_height, output.height);
  }
}

void Scaler::shrink_planes(const AVFrame& frame) {
  const size_t plane_size = static_cast<size_t>(m_output.width) * static_cast<size_t>(m_output.height);
  shrink_plane(frame.data[0], frame.linesize[0], m_luma_columns, m_luma_rows, m_small_yuv.data(), m_row_sums);
  for (int plane = 1; plane < 3; ++plane) {
    shrink_plane(frame.data[plane], frame.linesize[plane], m_chroma_columns, m_chroma_rows,
                 m_small_yuv.data() + plane * plane_size, m_row_sums);
  }
}

void Scaler::to_bgr(const AVFrame& frame, Size output, uint8_t* destination, int stride) {
  prepare(frame, output);
  uint8_t* targets[4] = {destination, nullptr, nullptr, nullptr};
  int target_strides[4] = {stride, 0, 0, 0};
  if (!m_shrink_first) {
    sws_scale(m_context.get(), frame.data, frame.linesize, 0, frame.height, targets, target_strides);
    return;
  }
  shrink_planes(frame);
  const size_t plane_size = static_cast<size_t>(m_output.width) * static_cast<size_t>(m_output.height);
  const uint8_t* sources[4] = {m_small_yuv.data(), m_small_yuv.data() + plane_size, m_small_yuv.data() + 2 * plane_size,
                               nullptr};
  const int source_strides[4] = {m_output.width, m_output.width, m_output.width, 0};
  sws_scale(m_context.get(), sources, source_strides, 0, m_output.height, targets, target_strides);
}

}  // namespace clipper::media
