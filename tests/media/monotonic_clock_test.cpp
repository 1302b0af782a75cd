#include "clipper/media/monotonic_clock.hpp"

#include <gtest/gtest.h>

namespace clipper::media {
namespace {

TEST(MonotonicClockTest, TimesThatGoForwardAreKept) {
  MonotonicClock clock(0.1);
  EXPECT_DOUBLE_EQ(clock.place(1.4), 1.4);
  EXPECT_DOUBLE_EQ(clock.place(1.5), 1.5);
  EXPECT_DOUBLE_EQ(clock.place(9.0), 9.0) << "a gap is not a jump back";
  EXPECT_EQ(clock.jumps(), 0);
}

TEST(MonotonicClockTest, AJumpBackContinuesOnePeriodAfterTheLatestTime) {
  MonotonicClock clock(0.1);
  clock.place(1.4);
  clock.place(4.3);
  EXPECT_NEAR(clock.place(1.4), 4.4, 1e-9);
  EXPECT_NEAR(clock.place(1.5), 4.5, 1e-9);
  EXPECT_NEAR(clock.place(0.2), 4.6, 1e-9) << "a second jump continues from the first one's times";
  EXPECT_EQ(clock.jumps(), 2);
}

TEST(MonotonicClockTest, SmallStepsBackAreReorderingNotJumps) {
  MonotonicClock clock(0.04);
  clock.place(2.0);
  EXPECT_DOUBLE_EQ(clock.place(1.88), 1.88);
  EXPECT_DOUBLE_EQ(clock.place(2.04), 2.04);
  EXPECT_EQ(clock.jumps(), 0);
}

}  // namespace
}  // namespace clipper::media
