#include "clipper/media/geometry.hpp"

#include <algorithm>
#include <cmath>
#include <utility>

namespace clipper::media {
namespace {

int round_to_even(double value) { return std::max(2, 2 * static_cast<int>(std::lround(value / 2.0))); }

}  // namespace

int normalized_rotation(double display_matrix_degrees) {
  // av_display_rotation_get() is counter-clockwise; the pixels must turn the other way.
  const long quarter_turns = std::lround(-display_matrix_degrees / 90.0);
  return static_cast<int>(((quarter_turns % 4) + 4) % 4) * 90;
}

Size output_size(Size coded, double sample_aspect_ratio, int rotation_degrees, int target_short_side, bool upscale) {
  const double sar = sample_aspect_ratio > 0.0 ? sample_aspect_ratio : 1.0;
  double width = coded.width * sar;
  double height = coded.height;
  if (rotation_degrees == 90 || rotation_degrees == 270) std::swap(width, height);
  const double short_side = std::min(width, height);
  const double scale = (short_side > target_short_side || upscale) ? target_short_side / short_side : 1.0;
  return {round_to_even(width * scale), round_to_even(height * scale)};
}

}  // namespace clipper::media
