#include "clipper/analysis/stretch_rule.hpp"

#include <cmath>

namespace clipper::analysis {

bool StretchRule::may_change(const Stretch& stretch, const std::optional<Stretch>& before,
                             const std::optional<Stretch>& after) const {
  if (stretch.difference < floor) return false;
  if (relative <= 0.0) return true;
  double per_picture = 0.0;
  int sides = 0;
  for (const std::optional<Stretch>& side : {before, after}) {
    if (!side || side->span <= 0 || !std::isfinite(side->difference)) continue;
    per_picture += side->difference / static_cast<double>(side->span);
    ++sides;
  }
  return sides == 0 || stretch.difference >= relative * per_picture / sides;
}

}  // namespace clipper::analysis
