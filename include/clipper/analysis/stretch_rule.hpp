#pragma once
// Where the pictures between two sampled pictures must be decoded for the detector: a scene
// change between two sampled pictures leaves them about as different as the change itself, and
// (adaptive detector) more different than their neighbours are per picture. No OpenCV.
#include <optional>

namespace clipper::analysis {

// The pictures after one sampled picture up to and including the next.
struct Stretch {
  double difference = 0.0;  // between its two sampled pictures, as ChangeMeter::measure scores it
  long span = 1;            // pictures
};

// A stretch may hold a change when its difference reaches `floor`, and `relative` times the mean
// difference per picture of the stretches on either side (none when `relative` is 0).
struct StretchRule {
  double floor = 0.0;
  double relative = 0.0;
  bool may_change(const Stretch& stretch, const std::optional<Stretch>& before,
                  const std::optional<Stretch>& after) const;
};

}  // namespace clipper::analysis
