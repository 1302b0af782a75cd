#include "clipper/media/geometry.hpp"

#include <gtest/gtest.h>

namespace clipper::media {
namespace {

TEST(GeometryTest, ShorterSideBecomesTarget) {
  EXPECT_EQ(output_size({1920, 1080}, 1.0, 0, 720, false), (Size{1280, 720}));
  EXPECT_EQ(output_size({1080, 1920}, 1.0, 0, 720, false), (Size{720, 1280}));
  EXPECT_EQ(output_size({3840, 1600}, 1.0, 0, 720, false), (Size{1728, 720}));
}

TEST(GeometryTest, OddResultsRoundToEven) {
  EXPECT_EQ(output_size({1440, 1080}, 1.0, 0, 721, false), (Size{962, 722}));
  EXPECT_EQ(output_size({321, 241}, 1.0, 0, 720, false), (Size{322, 242}));
}

TEST(GeometryTest, SampleAspectRatioWidensThePicture) {
  EXPECT_EQ(output_size({720, 576}, 64.0 / 45.0, 0, 720, false), (Size{1024, 576}));
  EXPECT_EQ(output_size({1440, 1080}, 4.0 / 3.0, 0, 720, false), (Size{1280, 720}));
}

TEST(GeometryTest, QuarterTurnsSwapTheSides) {
  EXPECT_EQ(output_size({1920, 1080}, 1.0, 90, 720, false), (Size{720, 1280}));
  EXPECT_EQ(output_size({1920, 1080}, 1.0, 180, 720, false), (Size{1280, 720}));
  EXPECT_EQ(output_size({1920, 1080}, 1.0, 270, 720, false), (Size{720, 1280}));
}

TEST(GeometryTest, SmallInputsKeepTheirSizeUnlessUpscaled) {
  EXPECT_EQ(output_size({640, 360}, 1.0, 0, 720, false), (Size{640, 360}));
  EXPECT_EQ(output_size({640, 360}, 1.0, 0, 720, true), (Size{1280, 720}));
}

TEST(GeometryTest, DisplayMatrixAnglesBecomeClockwiseTurns) {
  EXPECT_EQ(normalized_rotation(-90.0), 90);
  EXPECT_EQ(normalized_rotation(90.0), 270);
  EXPECT_EQ(normalized_rotation(180.0), 180);
  EXPECT_EQ(normalized_rotation(-180.0), 180);
  EXPECT_EQ(normalized_rotation(0.3), 0);
}

}  // namespace
}  // namespace clipper::media
