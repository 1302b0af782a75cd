#include "clipper/analysis/stretch_rule.hpp"

#include <gtest/gtest.h>

#include <limits>

namespace clipper::analysis {
namespace {

TEST(StretchRuleTest, AStretchMustReachTheFloorAndStandOutOfTheMotionOnEitherSide) {
  const StretchRule rule{.floor = 10.0, .relative = 2.0};
  const Stretch moving{.difference = 100.0, .span = 4};  // 25 a picture
  EXPECT_FALSE(rule.may_change({.difference = 45.0, .span = 4}, moving, moving)) << "under 2 x 25";
  EXPECT_TRUE(rule.may_change({.difference = 60.0, .span = 4}, moving, moving));
  EXPECT_FALSE(rule.may_change({.difference = 9.0, .span = 4}, std::nullopt, std::nullopt)) << "under the floor";
  EXPECT_TRUE(rule.may_change({.difference = 11.0, .span = 4}, std::nullopt, std::nullopt)) << "no side to compare";
  EXPECT_TRUE(StretchRule{.floor = 10.0}.may_change({.difference = 45.0, .span = 4}, moving, moving))
      << "relative 0: the floor alone";
}

TEST(StretchRuleTest, SidesWithoutAPictureOrWithAFadeDoNotCount) {
  const StretchRule rule{.floor = 10.0, .relative = 2.0};
  const Stretch empty{.difference = 0.0, .span = 0};
  const Stretch fade{.difference = std::numeric_limits<double>::infinity(), .span = 4};
  const Stretch still{.difference = 4.0, .span = 4};  // 1 a picture
  EXPECT_TRUE(rule.may_change({.difference = 11.0, .span = 4}, empty, fade)) << "no side counts";
  EXPECT_TRUE(rule.may_change({.difference = 11.0, .span = 4}, fade, still)) << "2 x 1 from the still side";
}

}  // namespace
}  // namespace clipper::analysis
