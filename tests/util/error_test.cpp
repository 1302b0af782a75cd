#include "clipper/util/error.hpp"

#include <gtest/gtest.h>

#include <type_traits>

namespace clipper::util {
namespace {

// A stop is not a failure: code that handles failures must never catch one.
TEST(ErrorTest, AStopIsNoError) {
  static_assert(!std::is_base_of_v<Error, Interrupted>);
  static_assert(std::is_base_of_v<Error, UsageError>);
  bool caught_as_error = false;
  try {
    try {
      throw Interrupted();
    } catch (const Error&) {
      caught_as_error = true;
    }
  } catch (const Interrupted& stop) {
    EXPECT_STREQ(stop.what(), "interrupted");
  }
  EXPECT_FALSE(caught_as_error);
}

}  // namespace
}  // namespace clipper::util
