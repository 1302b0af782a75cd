#pragma once
// Converts decoded pictures to packed BGR of a given size with libswscale. One thread.
#include <cstdint>

#include "clipper/media/av_ptr.hpp"
#include "clipper/media/geometry.hpp"

namespace clipper::media {

class Scaler {
public:
  // Writes frame, scaled to output, as BGR24 rows of stride bytes into destination.
  void to_bgr(const AVFrame& frame, Size output, uint8_t* destination, int stride);

private:
  SwsPtr m_context;
  int m_input_width = 0;
  int m_input_height = 0;
  int m_input_format = -1;
  Size m_output;
};

}  // namespace clipper::media
