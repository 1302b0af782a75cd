#include "clipper/media/decoder.hpp"

#include <gtest/gtest.h>

#include "clipper/media/demuxer.hpp"
#include "synthetic_video.hpp"
#include "temp_dir.hpp"

namespace clipper::media {
namespace {

// Some demuxers hand over packets without data. libav would take one as the end of the stream
// and decode nothing after it; the decoder passes over them, as the ffmpeg program does.
TEST(DecoderTest, AnEmptyPacketDoesNotEndTheStream) {
  testing::TempDir dir;
  const auto path = dir / "video.mp4";
  testing::make_indexed_video(path, {.seconds = 3.0, .audio = false});
  Demuxer demuxer(path);
  const int video = demuxer.video_stream_index();
  Decoder decoder(*demuxer.stream(video), path.string(), {.threads = 1});
  PacketPtr packet = make_packet();
  const PacketPtr empty = make_packet();
  FramePtr frame = make_frame();
  int frames = 0;
  while (demuxer.read(packet.get())) {
    if (packet->stream_index == video) {
      decoder.send(packet.get());
      decoder.send(empty.get());
      while (decoder.receive(frame.get())) ++frames;
    }
    av_packet_unref(packet.get());
  }
  decoder.send(nullptr);
  while (decoder.receive(frame.get())) ++frames;
  EXPECT_EQ(frames, 30);
}

}  // namespace
}  // namespace clipper::media
