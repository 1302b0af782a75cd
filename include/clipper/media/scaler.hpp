#pragma once
// Converts decoded pictures to small packed BGR images for analysis. One thread.
#include <cstdint>
#include <vector>

#include "clipper/media/av_ptr.hpp"
#include "clipper/media/geometry.hpp"

namespace clipper::media {

class Scaler {
 public:
  // Writes frame, shrunk to output, as BGR24 rows of stride bytes into destination.
  void to_bgr(const AVFrame& frame, Size output, uint8_t* destination, int stride);

 private:
  void prepare(const AVFrame& frame, Size output);
  void shrink_planes(const AVFrame& frame);

  SwsPtr m_context;
  bool m_shrink_first = false;  // 8-bit planar YUV: average samples per output pixel, then convert
  int m_input_width = 0;
  int m_input_height = 0;
  int m_input_format = -1;
  Size m_output;
  std::vector<uint8_t> m_small_yuv;  // three output-sized planes
  std::vector<int> m_luma_columns, m_luma_rows, m_chroma_columns, m_chroma_rows;
  std::vector<uint16_t> m_row_sums;  // of the two rows an output row samples
};

}  // namespace clipper::media
