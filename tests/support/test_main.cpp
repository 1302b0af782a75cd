#include <gtest/gtest.h>
#include <spdlog/spdlog.h>

#include "clipper/media/av_log.hpp"

// libav and clipper's own logging stay quiet unless CLIPPER_TEST_VERBOSE is set.
int main(int argc, char** argv) {
  ::testing::InitGoogleTest(&argc, argv);
  const bool verbose = std::getenv("CLIPPER_TEST_VERBOSE") != nullptr;
  clipper::media::route_av_log_to_spdlog(verbose);
  spdlog::set_level(verbose ? spdlog::level::debug : spdlog::level::err);
  return RUN_ALL_TESTS();
}
