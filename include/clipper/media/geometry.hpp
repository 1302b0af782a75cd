#pragma once
// Output picture size: pure arithmetic on the input's coded size, pixel aspect and rotation.

namespace clipper::media {

struct Size {
  int width = 0;
  int height = 0;
  friend bool operator==(const Size&, const Size&) = default;
};

// Rotation to apply to the pixels, in degrees clockwise: 0, 90, 180 or 270.
int normalized_rotation(double display_matrix_degrees);

// The size of the clip: the shorter display side becomes target_short_side (only shrinking unless
// upscale), the other keeps the display aspect ratio; both rounded to even numbers.
Size output_size(Size coded, double sample_aspect_ratio, int rotation_degrees, int target_short_side, bool upscale);

}  // namespace clipper::media
