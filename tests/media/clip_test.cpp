#include "clipper/media/clip.hpp"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <map>

#include "clipper/util/error.hpp"
#include "media_probe.hpp"
#include "synthetic_video.hpp"
#include "temp_dir.hpp"

namespace clipper::media {
namespace {

using testing::IndexedVideoSpec;
using testing::make_indexed_video;
using testing::probe_file;
using testing::ProbedFile;

class ClipTest : public ::testing::Test {
 protected:
  ProbedFile cut(const std::filesystem::path& input, double start_s, double end_s, EncodeSettings encode = {}) {
    encode.preset = "ultrafast";
    const std::filesystem::path output = m_dir / "clip.mp4";
    transcode_clip({.input = input, .output = output, .start_s = start_s, .end_s = end_s, .encode = encode});
    return probe_file(output);
  }

  std::filesystem::path indexed(const std::string& name, IndexedVideoSpec spec = {}) {
    const std::filesystem::path path = m_dir / name;
    make_indexed_video(path, spec);
    return path;
  }

  std::vector<int> frame_indices(const ProbedFile& clip) {
    std::vector<int> indices;
    for (double luma : clip.video.frame_lumas) indices.push_back(testing::frame_index_from_luma(luma));
    return indices;
  }

  testing::TempDir m_dir;
};

std::vector<int> consecutive(int first, int count) {
  std::vector<int> values;
  for (int i = 0; i < count; ++i) values.push_back((first + i) % 50);
  return values;
}

TEST_F(ClipTest, LandscapeShorterSideBecomes720) {
  const auto input = indexed("wide.mp4", {.width = 1600, .height = 900, .seconds = 1.0, .audio = false});
  const ProbedFile clip = cut(input, 0.0, 0.5);
  EXPECT_EQ(clip.video.width, 1280);
  EXPECT_EQ(clip.video.height, 720);
  EXPECT_DOUBLE_EQ(clip.video.sample_aspect_ratio, 1.0);
}

TEST_F(ClipTest, PortraitShorterSideBecomes720) {
  const auto input = indexed("tall.mp4", {.width = 900, .height = 1600, .seconds = 1.0, .audio = false});
  const ProbedFile clip = cut(input, 0.0, 0.5);
  EXPECT_EQ(clip.video.width, 720);
  EXPECT_EQ(clip.video.height, 1280);
}

TEST_F(ClipTest, RotationIsAppliedToThePixels) {
  const auto plain = indexed("plain.mp4", {.seconds = 1.0, .audio = false});
  const auto rotated = m_dir / "rotated.mp4";
  testing::run_ffmpeg("-i '" + plain.string() + "' -c copy -metadata:s:v:0 rotate=90 '" + rotated.string() + "'");
  ASSERT_TRUE(probe_file(rotated).video.has_rotation);
  const ProbedFile clip = cut(rotated, 0.0, 0.5);
  EXPECT_EQ(clip.video.width, 240);
  EXPECT_EQ(clip.video.height, 320);
  EXPECT_FALSE(clip.video.has_rotation);
}

TEST_F(ClipTest, RotationTurnsThePictureTheWayPlayersShowIt) {
  // A white bar along the top-left of a landscape picture. The muxer's "rotate=90" tag becomes a display
  // matrix of +90 degrees (counter-clockwise), which players and ffmpeg's autorotate apply: the bar
  // ends up along the bottom-left of the portrait clip.
  const auto plain = m_dir / "bar.mp4";
  testing::run_ffmpeg(
      "-f lavfi -i \"color=c=black:s=320x240:r=10:d=1,drawbox=x=0:y=0:w=160:h=60:c=white:t=fill\" "
      "-pix_fmt yuv420p -c:v libx264 -preset ultrafast -crf 10 '" +
      plain.string() + "'");
  const auto rotated = m_dir / "bar-rotated.mp4";
  testing::run_ffmpeg("-i '" + plain.string() + "' -c copy -metadata:s:v:0 rotate=90 '" + rotated.string() + "'");
  const ProbedFile clip = cut(rotated, 0.0, 0.5);
  ASSERT_EQ(clip.video.width, 240);
  ASSERT_EQ(clip.video.height, 320);
  EXPECT_GT(clip.video.first_luma_mean(10, 170, 50, 310), 200.0) << "the bar, bottom left";
  EXPECT_LT(clip.video.first_luma_mean(10, 10, 50, 150), 40.0) << "top left stays dark";
  EXPECT_LT(clip.video.first_luma_mean(190, 170, 230, 310), 40.0) << "bottom right stays dark";
}

TEST_F(ClipTest, AnamorphicInputGetsSquarePixelsAndItsDisplayShape) {
  auto spec = IndexedVideoSpec{.seconds = 1.0, .audio = false};
  spec.codec_options += " -aspect 16:9";
  const ProbedFile clip = cut(indexed("anamorphic.mp4", spec), 0.0, 0.5);
  EXPECT_EQ(clip.video.width, 426);
  EXPECT_EQ(clip.video.height, 240);
  EXPECT_DOUBLE_EQ(clip.video.sample_aspect_ratio, 1.0);
}

TEST_F(ClipTest, SmallInputKeepsItsSizeUnlessUpscaled) {
  const auto input = indexed("small.mp4", {.width = 322, .height = 242, .seconds = 1.0, .audio = false});
  const ProbedFile kept = cut(input, 0.0, 0.5);
  EXPECT_EQ(kept.video.width, 322);
  EXPECT_EQ(kept.video.height, 242);
  const ProbedFile upscaled = cut(input, 0.0, 0.5, {.upscale = true});
  EXPECT_EQ(upscaled.video.width, 958);
  EXPECT_EQ(upscaled.video.height, 720);
}

TEST_F(ClipTest, FirstPictureIsTheOneShownAtStartAndEveryFrameFollows) {
  const auto input = indexed("indexed.mp4");
  const ProbedFile clip = cut(input, 2.0, 3.5);
  EXPECT_EQ(frame_indices(clip), consecutive(20, 15));
}

TEST_F(ClipTest, StartBetweenFramesPicksTheNearestWithinHalfAFrame) {
  const auto input = indexed("indexed.mp4");
  EXPECT_EQ(frame_indices(cut(input, 2.04, 3.04)).front(), 20);
  EXPECT_EQ(frame_indices(cut(input, 2.06, 3.06)).front(), 21);
}

TEST_F(ClipTest, CutsAreExactInOtherContainersAndCodecs) {
  const std::vector<std::pair<std::string, std::string>> formats = {
      {"mpeg4.avi", "-c:v mpeg4 -q:v 1 -g 12 -c:a ac3"},
      {"hevc.mov", "-c:v libx265 -preset ultrafast -x265-params log-level=error:lossless=1 -g 12 -c:a mp3"},
      {"vp9.mkv", "-c:v libvpx-vp9 -deadline realtime -cpu-used 8 -crf 4 -b:v 0 -g 12 -c:a libopus"},
      {"h264.ts", "-c:v libx264 -preset ultrafast -crf 1 -g 12 -c:a aac"},
      {"h264-bframes.mp4", "-c:v libx264 -preset veryfast -crf 1 -g 50 -bf 3 -b-pyramid none -c:a aac"},
      {"h264-bframes.ts", "-c:v libx264 -preset veryfast -crf 1 -g 50 -bf 3 -c:a aac"},
      {"vp8.webm", "-c:v libvpx -deadline realtime -cpu-used 8 -crf 4 -b:v 1M -g 12 -c:a libvorbis"},
  };
  for (const auto& [name, codec_options] : formats) {
    SCOPED_TRACE(name);
    const auto input = indexed(name, {.seconds = 5.0, .codec_options = codec_options});
    const ProbedFile clip = cut(input, 3.1, 4.1);
    EXPECT_EQ(frame_indices(clip), consecutive(31, 10));
    ASSERT_TRUE(clip.audio);
    EXPECT_NEAR(clip.audio->duration_s(), 1.0, 1024.0 / 48000);
    // Within the first group of pictures, where the file has no keyframe before the start.
    EXPECT_EQ(frame_indices(cut(input, 0.3, 1.3)), consecutive(3, 10));
  }
}

TEST_F(ClipTest, TimestampsStartAtZeroAndLengthsAgree) {
  const auto input = indexed("indexed.mp4");
  const ProbedFile clip = cut(input, 1.25, 4.25);
  ASSERT_FALSE(clip.video.frame_times_s.empty());
  EXPECT_DOUBLE_EQ(clip.video.frame_times_s.front(), 0.0);
  EXPECT_EQ(clip.video.frame_times_s.size(), 30u);
  for (size_t i = 1; i < clip.video.frame_times_s.size(); ++i) {
    EXPECT_NEAR(clip.video.frame_times_s[i] - clip.video.frame_times_s[i - 1], 0.1, 1e-6) << "constant frame rate";
  }
  ASSERT_TRUE(clip.audio);
  EXPECT_DOUBLE_EQ(clip.audio->first_time_s, 0.0);
  EXPECT_NEAR(clip.audio->duration_s(), 3.0, 1024.0 / clip.audio->sample_rate);
  EXPECT_TRUE(clip.video.index_first) << "the MP4 index must come first (faststart)";
}

// Mono sound stays mono (as ffmpeg keeps it, at half the bits and work); stereo stays stereo, and
// more channels are mixed down to stereo.
TEST_F(ClipTest, SoundKeepsOneOrTwoChannelsAndMixesMoreToTwo) {
  for (const auto& [channels, expected] : {std::pair{1, 1}, {2, 2}, {6, 2}}) {
    SCOPED_TRACE(channels);
    const std::string codec_options = fmt::format("-c:v libx264 -preset ultrafast -g 25 -c:a aac -ac {}", channels);
    const ProbedFile source = probe_file(indexed("channels.mp4", {.seconds = 2.0, .codec_options = codec_options}));
    ASSERT_TRUE(source.audio);
    ASSERT_EQ(source.audio->channels, channels);
    const ProbedFile clip = cut(m_dir / "channels.mp4", 0.5, 1.5);
    ASSERT_TRUE(clip.audio);
    EXPECT_EQ(clip.audio->channels, expected);
    EXPECT_NEAR(clip.audio->duration_s(), 1.0, 1024.0 / clip.audio->sample_rate);
    const auto loudest = std::max_element(clip.audio->samples.begin(), clip.audio->samples.end());
    ASSERT_NE(loudest, clip.audio->samples.end());
    EXPECT_GT(*loudest, 0.05F) << "the sine is heard, not silence";
  }
}

TEST_F(ClipTest, InputWithoutAudioGivesClipWithoutAudio) {
  const ProbedFile clip = cut(indexed("silent.mp4", {.seconds = 2.0, .audio = false}), 0.5, 1.5);
  EXPECT_FALSE(clip.audio);
  EXPECT_EQ(clip.video.frame_times_s.size(), 10u);
}

TEST_F(ClipTest, SoundStaysInSyncWithPicture) {
  const auto input = m_dir / "flash.mp4";
  testing::make_flash_beep_video(input, 5.0, 25);
  const ProbedFile clip = cut(input, 0.7, 3.7);
  const double flash_s = testing::first_bright_picture_s(clip.video);
  ASSERT_TRUE(clip.audio);
  const double beep_s = testing::first_loud_sample_s(*clip.audio);
  EXPECT_NEAR(flash_s, 0.3, 0.5 / 25);
  EXPECT_NEAR(beep_s, flash_s, 1.0 / 25);
}

TEST_F(ClipTest, NonZeroStartTimeCountsFromTheFirstFrame) {
  auto spec = IndexedVideoSpec{.seconds = 4.0};
  spec.codec_options = "-c:v libx264 -preset ultrafast -crf 1 -c:a aac -output_ts_offset 7.5 -f mpegts";
  const ProbedFile clip = cut(indexed("offset.ts", spec), 1.0, 2.0);
  EXPECT_EQ(frame_indices(clip), consecutive(10, 10));
}

// How ffmpeg's idet filter sees each picture of `path` alone: "progressive", "tff" or "bff".
std::map<std::string, int> field_kinds(const std::filesystem::path& path, const std::filesystem::path& log) {
  testing::run_ffmpeg(
      fmt::format("-i '{}' -vf \"idet,metadata=print:key=lavfi.idet.single.current_frame:file='{}'\" -f null -",
                  path.string(), log.string()));
  std::map<std::string, int> kinds;
  std::ifstream lines(log);
  const std::string key = "current_frame=";
  for (std::string line; std::getline(lines, line);) {
    if (const size_t at = line.find(key); at != std::string::npos) ++kinds[line.substr(at + key.size())];
  }
  return kinds;
}

// 50 pictures a second woven into 25 interlaced ones, each with a field of two moments.
std::filesystem::path woven_video(const std::filesystem::path& path) {
  testing::run_ffmpeg(
      "-f lavfi -i testsrc2=s=640x360:r=50:d=2 -vf tinterlace=mode=interleave_top -c:v libx264 "
      "-preset ultrafast -flags +ildct+ilme '" +
      path.string() + "'");
  return path;
}

// The clip's pictures are whole again, not combed (nor blurred into ghosts by scaling), one for each.
TEST_F(ClipTest, InterlacedInputIsDeinterlaced) {
  const std::filesystem::path input = woven_video(m_dir / "interlaced.mp4");
  ASSERT_GE(field_kinds(input, m_dir / "source.txt")["tff"], 45);
  const ProbedFile clip = cut(input, 0.2, 1.8);
  EXPECT_EQ(clip.video.frame_times_s.size(), 40u);
  EXPECT_GE(field_kinds(m_dir / "clip.mp4", m_dir / "clip.txt")["progressive"], 36);
}

TEST_F(ClipTest, InterlacedInputKeepsBothFieldsWhenAsked) {
  const std::filesystem::path input = woven_video(m_dir / "interlaced.mp4");
  const ProbedFile clip = cut(input, 0.2, 1.8, {.deinterlace = false});
  EXPECT_EQ(clip.video.height, 360);
  EXPECT_GE(field_kinds(m_dir / "clip.mp4", m_dir / "clip.txt")["tff"], 36);
}

TEST_F(ClipTest, VariableFrameRateInputBecomesConstant) {
  auto spec = IndexedVideoSpec{.seconds = 4.0, .audio = false};
  spec.codec_options = "-vf \"select='not(between(n\\,10\\,19))'\" -vsync vfr -c:v libx264 -preset ultrafast -crf 1";
  const ProbedFile clip = cut(indexed("vfr.mkv", spec), 0.5, 2.5);
  ASSERT_EQ(clip.video.frame_times_s.size(), 20u);
  const std::vector<int> indices = frame_indices(clip);
  // Frames 10-19 are missing: the picture of frame 9 stands in until frame 20 shows.
  EXPECT_EQ(indices[0], 5);
  EXPECT_EQ(indices[4], 9);
  EXPECT_EQ(indices[14], 9);
  EXPECT_EQ(indices[15], 20);
}

TEST_F(ClipTest, LateSeekInAFileWithoutIndexIsCorrected) {
  // MPEG-TS has no index: its seek lands on a packet near the time, here after the keyframe at 0 s,
  // and the pictures before the next keyframe at 4 s cannot be decoded from there.
  auto spec = IndexedVideoSpec{.fps = 25, .seconds = 8.0, .audio = false};
  spec.codec_options = "-c:v libx264 -preset ultrafast -crf 1 -g 100 -f mpegts";
  const ProbedFile clip = cut(indexed("long-gop.ts", spec), 3.0, 3.4);
  EXPECT_EQ(frame_indices(clip), consecutive(75, 10));
}

TEST_F(ClipTest, RawStreamWithoutTimestampsIsReadFromTheStart) {
  auto spec = IndexedVideoSpec{.fps = 25, .seconds = 6.0, .audio = false};
  spec.codec_options = "-c:v libx264 -preset ultrafast -crf 1 -g 50 -f h264";
  const ProbedFile clip = cut(indexed("raw.h264", spec), 4.0, 4.4);
  EXPECT_EQ(frame_indices(clip), consecutive(100, 10));
}

// Two recordings joined as `cat a.ts b.ts` does: the second one's timestamps start again where the
// first one's did. Clip times count on the clock analysis uses, which continues across the jump.
TEST_F(ClipTest, AClipOfJoinedRecordingsIsCutOnTheClockThatContinuesAcrossTheJump) {
  auto first = IndexedVideoSpec{.seconds = 3.0};
  first.codec_options = "-c:v libx264 -preset ultrafast -crf 1 -g 10 -c:a aac -f mpegts";
  auto second = first;
  second.seconds = 2.0;
  second.first_index = 30;
  const auto joined = m_dir / "joined.ts";
  {
    std::ofstream out(joined, std::ios::binary);
    for (const auto& part : {indexed("a.ts", first), indexed("b.ts", second)}) {
      std::ifstream in(part, std::ios::binary);
      out << in.rdbuf();
    }
  }
  const std::filesystem::path output = m_dir / "clip.mp4";
  transcode_clip({.input = joined,
                  .output = output,
                  .start_s = 2.5,
                  .end_s = 4.0,
                  .encode = {.preset = "ultrafast"},
                  .from_start = true});
  const ProbedFile clip = probe_file(output);
  EXPECT_EQ(frame_indices(clip), consecutive(25, 15));
  ASSERT_TRUE(clip.audio);
  EXPECT_NEAR(clip.audio->duration_s(), 1.5, 0.05);
}

}  // namespace
}  // namespace clipper::media
