#include "clipper/plan/clip_plan.hpp"

#include <gtest/gtest.h>

namespace clipper::plan {
namespace {

std::vector<std::pair<double, double>> spans(const std::vector<ClipWindow>& windows) {
  std::vector<std::pair<double, double>> result;
  for (const ClipWindow& window : windows) result.emplace_back(window.start_s, window.end_s);
  return result;
}

using Spans = std::vector<std::pair<double, double>>;

TEST(ClipPlanTest, WindowAroundEachMoment) {
  EXPECT_EQ(spans(plan_clips({{10.0, 1}, {30.0, 1}}, 60.0, {})), (Spans{{9.0, 14.0}, {29.0, 34.0}}));
}

TEST(ClipPlanTest, ClampedToTheVideo) {
  EXPECT_EQ(spans(plan_clips({{0.5, 1}, {58.0, 1}}, 60.0, {})), (Spans{{0.0, 4.5}, {57.0, 60.0}}));
}

TEST(ClipPlanTest, OverlappingAndTouchingWindowsMerge) {
  const auto windows = plan_clips({{10.0, 1}, {13.0, 5}, {19.0, 2}, {40.0, 1}}, 60.0, {});
  // 10 -> [9,14]; 13 -> [12,17] overlaps; 19 -> [18,23] does not touch 17; 40 alone.
  EXPECT_EQ(spans(windows), (Spans{{9.0, 17.0}, {18.0, 23.0}, {39.0, 44.0}}));
  EXPECT_DOUBLE_EQ(windows[0].moment_s, 10.0);
  EXPECT_DOUBLE_EQ(windows[0].score, 5.0);
  EXPECT_EQ(spans(plan_clips({{10.0, 1}, {15.0, 1}}, 60.0, {})), (Spans{{9.0, 19.0}})) << "14 touches 14";
}

TEST(ClipPlanTest, ShortWindowsAreDropped) {
  const PlanSettings settings{.pre_s = 1.0, .post_s = 4.0, .min_clip_s = 2.0};
  EXPECT_EQ(spans(plan_clips({{10.0, 1}, {59.5, 1}}, 60.0, settings)), (Spans{{9.0, 14.0}}));
}

TEST(ClipPlanTest, MaxClipsKeepsTheHighestScoringMoments) {
  const PlanSettings settings{.max_clips = 2};
  const auto windows = plan_clips({{10.0, 3}, {20.0, 9}, {30.0, 1}, {40.0, 7}}, 60.0, settings);
  EXPECT_EQ(spans(windows), (Spans{{19.0, 24.0}, {39.0, 44.0}}));
}

TEST(ClipPlanTest, UnsortedMomentsArePlannedInTimeOrder) {
  EXPECT_EQ(spans(plan_clips({{30.0, 1}, {10.0, 1}}, 60.0, {})), (Spans{{9.0, 14.0}, {29.0, 34.0}}));
}

TEST(ClipPlannerTest, ReleasesAWindowOnceNoLaterMomentCanReachIt) {
  ClipPlanner planner({});
  EXPECT_TRUE(planner.add({10.0, 1}).empty());
  EXPECT_TRUE(planner.advance(14.5).empty()) << "a moment at 14.6 would still touch [9,14]";
  EXPECT_EQ(spans(planner.advance(15.5)), (Spans{{9.0, 14.0}}));
  EXPECT_TRUE(planner.finish(60.0).empty());
}

TEST(ClipPlannerTest, StreamingGivesTheSamePlanAsBatch) {
  const std::vector<Moment> moments = {{3.0, 1}, {5.0, 2}, {12.0, 1}, {30.0, 4}, {58.5, 1}};
  ClipPlanner planner({});
  std::vector<ClipWindow> streamed;
  for (const Moment& moment : moments) {
    for (const auto& window : planner.advance(moment.time_s)) streamed.push_back(window);
    for (const auto& window : planner.add(moment)) streamed.push_back(window);
  }
  for (const auto& window : planner.finish(60.0)) streamed.push_back(window);
  EXPECT_EQ(spans(streamed), spans(plan_clips(moments, 60.0, {})));
}

TEST(ClipPlannerTest, WithMaxClipsEverythingWaitsForTheEnd) {
  ClipPlanner planner({.max_clips = 1});
  EXPECT_TRUE(planner.add({10.0, 1}).empty());
  EXPECT_TRUE(planner.advance(50.0).empty());
  EXPECT_TRUE(planner.add({52.0, 3}).empty());
  EXPECT_EQ(spans(planner.finish(60.0)), (Spans{{51.0, 56.0}}));
}

}  // namespace
}  // namespace clipper::plan
