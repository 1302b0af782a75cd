#pragma once
// Small JPEG pictures of analysed pictures, for the HTML report.
#include <cstdint>
#include <string>

#include "clipper/media/geometry.hpp"

namespace clipper::media {

// The BGR picture (size, stride in bytes) scaled to `width` pixels wide, as JPEG bytes. Throws
// util::Error when libav has no MJPEG encoder.
std::string jpeg_thumbnail(const uint8_t* bgr, Size size, int stride, int width = 160);

}  // namespace clipper::media
