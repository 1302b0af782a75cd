#pragma once
// A picture for analysis: small BGR, numbered in presentation order and timed on the clock
// `clipper cut --start` uses (MonotonicClock). No libav.
#include <cstdint>

#include "clipper/media/geometry.hpp"

namespace clipper::media {

struct Picture {
  long index = 0;
  double time_s = 0.0;
  int timestamp_jumps = 0;  // times the stream's timestamps jumped back, up to this picture
  Size size;
  int stride = 0;
  const uint8_t* bgr = nullptr;
};

}  // namespace clipper::media
