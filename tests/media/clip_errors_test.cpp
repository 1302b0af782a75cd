#include <gtest/gtest.h>

#include <fmt/format.h>

#include <algorithm>
#include <fstream>
#include <iterator>

#include "clipper/media/clip.hpp"
#include "clipper/util/cancellation.hpp"
#include "clipper/util/error.hpp"
#include "clipper/util/input_confinement.hpp"
#include "media_probe.hpp"
#include "synthetic_video.hpp"
#include "temp_dir.hpp"

namespace clipper::media {
namespace {

class ClipErrorsTest : public ::testing::Test {
 protected:
  // Runs the cut, expects it to throw E with exactly this message, and no file left behind.
  template <typename E>
  void expect_failure(const std::filesystem::path& input, double start_s, double end_s, const std::string& message,
                      const std::string& preset = "ultrafast") {
    const auto before = m_dir.file_names();
    try {
      transcode_clip({.input = input,
                      .output = m_dir / "clip.mp4",
                      .start_s = start_s,
                      .end_s = end_s,
                      .encode = {.preset = preset}});
      ADD_FAILURE() << "expected an error: " << message;
    } catch (const E& error) {
      EXPECT_EQ(std::string(error.what()), message);
    }
    EXPECT_EQ(m_dir.file_names(), before) << "nothing may be left behind";
  }

  std::filesystem::path indexed(const std::string& name, testing::IndexedVideoSpec spec = {}) {
    const auto path = m_dir / name;
    testing::make_indexed_video(path, spec);
    return path;
  }

  testing::TempDir m_dir;
};

TEST_F(ClipErrorsTest, MissingFileNamesThePathAndTheCause) {
  const auto missing = m_dir / "missing.mp4";
  expect_failure<util::Error>(missing, 0, 1, "cannot open input '" + missing.string() + "': No such file or directory");
}

TEST_F(ClipErrorsTest, TextFileIsNotAVideo) {
  const auto text = m_dir / "notes.mp4";
  std::ofstream(text) << "these are not the frames you are looking for\n";
  expect_failure<util::Error>(text, 0, 1,
                              "cannot open input '" + text.string() + "': Invalid data found when processing input");
}

TEST_F(ClipErrorsTest, EmptyFileIsSaidToBeEmpty) {
  const auto empty = m_dir / "unfinished-copy.mp4";
  std::ofstream{empty};
  expect_failure<util::Error>(empty, 0, 1, "cannot open input '" + empty.string() + "': the file is empty (0 bytes)");
}

TEST_F(ClipErrorsTest, AudioOnlyFileHasNoVideo) {
  const auto audio = m_dir / "song.m4a";
  testing::run_ffmpeg("-f lavfi -i sine=d=2 -c:a aac '" + audio.string() + "'");
  expect_failure<util::Error>(audio, 0, 1, "cannot open input '" + audio.string() + "': it has no video stream");
}

TEST_F(ClipErrorsTest, TruncatedFileFailsWhenTheClipRunsPastWhatIsLeft) {
  auto spec = testing::IndexedVideoSpec{.seconds = 6.0};
  spec.codec_options += " -movflags +faststart";
  const auto input = indexed("cut-short.mp4", spec);
  std::filesystem::resize_file(input, std::filesystem::file_size(input) / 2);
  const auto before = m_dir.file_names();
  try {
    transcode_clip({.input = input,
                    .output = m_dir / "clip.mp4",
                    .start_s = 2.0,
                    .end_s = 5.5,
                    .encode = {.preset = "ultrafast"}});
    ADD_FAILURE() << "a truncated input must fail";
  } catch (const util::Error& error) {
    const std::string message = error.what();
    EXPECT_EQ(message.rfind("cannot read '" + input.string() + "': it ends at ", 0), 0u) << message;
    EXPECT_NE(message.find("before the clip end 5.500 s (truncated?)"), std::string::npos) << message;
  }
  EXPECT_EQ(m_dir.file_names(), before);
}

const char* const kVp8 = "-c:v libvpx -deadline realtime -cpu-used 8 -b:v 1M -g 5 -f webm";

TEST_F(ClipErrorsTest, UndecodableVideoFails) {
  auto spec = testing::IndexedVideoSpec{.seconds = 3.0, .audio = false, .codec_options = kVp8};
  const auto input = indexed("undecodable.webm", spec);
  ASSERT_EQ(testing::break_vp8_keyframes(input), 6);
  expect_failure<util::Error>(input, 0.5, 2.5,
                              "cannot decode '" + input.string() + "': Invalid data found when processing input");
}

TEST_F(ClipErrorsTest, AFewCorruptPacketsAreSkippedNotFatal) {
  auto spec = testing::IndexedVideoSpec{.seconds = 4.0, .audio = false, .codec_options = kVp8};
  const auto input = indexed("damaged.webm", spec);
  ASSERT_EQ(testing::break_vp8_keyframes(input, {4}), 1);  // the keyframe at 2.0 s, inside the clip
  const auto output = m_dir / "clip.mp4";
  const ClipResult result = transcode_clip(
      {.input = input, .output = output, .start_s = 1.0, .end_s = 3.0, .encode = {.preset = "ultrafast"}});
  EXPECT_EQ(result.corrupt_packets, 1);
  EXPECT_EQ(result.video_frames, 20);
  EXPECT_EQ(testing::probe_file(output).video.frame_times_s.size(), 20u);
}

TEST_F(ClipErrorsTest, ArgumentsAreCheckedBeforeAnyWork) {
  const auto input = indexed("ok.mp4", {.seconds = 2.0, .audio = false});
  const std::string quoted = "'" + input.string() + "'";
  expect_failure<util::UsageError>(input, 5.0, 6.0, "cannot cut " + quoted + ": start 5 s is past its end, 2.000 s");
  expect_failure<util::UsageError>(input, 1.0, 1.0, "end 1 s is not after start 1 s");
  expect_failure<util::UsageError>(input, -1.0, 1.0, "start -1 s is negative");
  expect_failure<util::UsageError>(
      input, 0.0, 1.0,
      "preset 'warp' is not a libx264 preset (ultrafast, superfast, veryfast, faster, fast, medium, slow, slower, "
      "veryslow, placebo)",
      "warp");
}

TEST_F(ClipErrorsTest, InterruptionLeavesNothingBehind) {
  const auto input = indexed("ok.mp4", {.seconds = 2.0});
  util::request_stop();
  const auto before = m_dir.file_names();
  EXPECT_THROW(transcode_clip({.input = input,
                               .output = m_dir / "clip.mp4",
                               .start_s = 0.0,
                               .end_s = 1.0,
                               .encode = {.preset = "ultrafast"}}),
               util::Interrupted);
  util::clear_stop_request();
  EXPECT_EQ(m_dir.file_names(), before);
}

TEST_F(ClipErrorsTest, MissingOutputFolderIsNamed) {
  const auto input = indexed("ok.mp4", {.seconds = 2.0, .audio = false});
  const auto output = m_dir / "no-such-dir" / "clip.mp4";
  try {
    transcode_clip({.input = input, .output = output, .start_s = 0.0, .end_s = 1.0, .encode = {.preset = "ultrafast"}});
    ADD_FAILURE();
  } catch (const util::Error& error) {
    EXPECT_EQ(std::string(error.what()), "cannot write output '" + output.string() + "': No such file or directory");
  }
}

// With inputs confined (a worker's --inputs-under), a cut reads a video under the folders, and one
// outside is refused before libav reads a byte of it.
TEST_F(ClipErrorsTest, ConfinedInputsAreOpenedOnlyUnderTheirFolders) {
  const auto folder = m_dir / "in";
  std::filesystem::create_directories(folder);
  const auto inside = indexed("in/inside.mp4", {.fps = 10, .seconds = 2.0, .audio = false});
  const auto outside = indexed("outside.mp4", {.seconds = 2.0, .audio = false});
  const util::InputConfinement confinement({std::filesystem::canonical(folder)}, "the folders allowed");
  transcode_clip({.input = inside,
                  .output = folder / "clip.mp4",
                  .start_s = 0.5,
                  .end_s = 1.5,
                  .encode = {.preset = "ultrafast"}});
  EXPECT_EQ(testing::probe_file(folder / "clip.mp4").video.frame_times_s.size(), 10u);
  expect_failure<util::Error>(outside, 0, 1,
                              fmt::format("'{}' is not under the folders allowed ('{}')", outside.string(),
                                          std::filesystem::canonical(folder).string()));
}

}  // namespace
}  // namespace clipper::media
