#include "clipper/media/av_ptr.hpp"

#include <gtest/gtest.h>

#include "clipper/media/av_error.hpp"

namespace clipper::media {
namespace {

TEST(AvPtrTest, EmptyOwnersAreSafeToDestroy) {
  FramePtr frame;
  PacketPtr packet;
  CodecContextPtr codec;
  InputFormatPtr input;
  EXPECT_FALSE(frame || packet || codec || input);
}

TEST(AvPtrTest, MoveTransfersOwnership) {
  FramePtr frame = make_frame();
  AVFrame* raw = frame.get();
  FramePtr moved = std::move(frame);
  EXPECT_EQ(moved.get(), raw);
  EXPECT_EQ(frame.get(), nullptr);
}

TEST(AvPtrTest, MoveAssignFreesThePrevious) {
  PacketPtr first = make_packet();
  PacketPtr second = make_packet();
  AVPacket* raw = second.get();
  first = std::move(second);
  EXPECT_EQ(first.get(), raw);
}

TEST(AvPtrTest, FrameBuffersAreReleasedWithTheOwner) {
  FramePtr frame = make_frame();
  frame->format = AV_PIX_FMT_YUV420P;
  frame->width = 64;
  frame->height = 48;
  ASSERT_GE(av_frame_get_buffer(frame.get(), 0), 0);
  EXPECT_NE(frame->buf[0], nullptr);
}

TEST(AvErrorTest, CheckThrowsWithLibavText) {
  try {
    check(AVERROR(ENOENT), "cannot open input 'x.mp4'");
    FAIL();
  } catch (const AvError& error) {
    EXPECT_STREQ(error.what(), "cannot open input 'x.mp4': No such file or directory");
    EXPECT_EQ(error.code(), AVERROR(ENOENT));
  }
  EXPECT_EQ(check(5, "unused"), 5);
}

// A decoder's bare -1 is AVERROR(EPERM): "Operation not permitted" would mislead.
TEST(AvErrorTest, ABareMinusOneIsInvalidDataNotAPermissionProblem) {
  EXPECT_EQ(av_error_text(-1), "Invalid data found when processing input (libav error -1)");
  EXPECT_EQ(av_error_text(AVERROR_INVALIDDATA), "Invalid data found when processing input");
}

}  // namespace
}  // namespace clipper::media
