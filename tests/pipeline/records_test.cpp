#include "clipper/pipeline/records.hpp"

#include <gtest/gtest.h>

namespace clipper::pipeline {
namespace {

TEST(ResolveConfigTest, EachPictureIsDecodedOnceWhereEveryEncoderHasAVideoOfItsOwn) {
  const PipelineConfig lone = resolve_config({.videos = 1}, 2);
  EXPECT_FALSE(lone.decode_once) << "a lone video is analysed on every core, reference pictures first";
  EXPECT_EQ(lone.analyzers, 1);
  EXPECT_EQ(lone.encoders, 2);

  const PipelineConfig two = resolve_config({.videos = 2}, 2);
  EXPECT_TRUE(two.decode_once);
  EXPECT_EQ(two.analyzers, 2) << "one analysis per encoder";
  EXPECT_EQ(two.max_in_flight, 3);

  EXPECT_FALSE(resolve_config({.videos = 3}, 4).decode_once) << "4 encoders, 3 videos";
  EXPECT_TRUE(resolve_config({.encoders = 2, .videos = 3}, 4).decode_once);
  EXPECT_TRUE(resolve_config({.videos = 0}, 2).decode_once) << "a queue's videos are many";
}

TEST(ResolveConfigTest, WhatTheUserAskedForStands) {
  const PipelineConfig never = resolve_config({.decode_once = false, .videos = 10}, 2);
  EXPECT_FALSE(never.decode_once);
  EXPECT_EQ(never.analyzers, 1);
  const PipelineConfig always = resolve_config({.decode_once = true, .videos = 1}, 2);
  EXPECT_TRUE(always.decode_once);
  EXPECT_EQ(always.analyzers, 2);
  EXPECT_EQ(resolve_config({.analyzers = 1, .videos = 5}, 2).analyzers, 1);
  EXPECT_TRUE(resolve_config({.analyzers = 1, .videos = 5}, 2).decode_once);
}

}  // namespace
}  // namespace clipper::pipeline
