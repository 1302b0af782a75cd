#include "clipper/pipeline/video_analysis.hpp"

#include <gtest/gtest.h>

#include <fstream>

#include "clipper/media/timestamp_scan.hpp"
#include "synthetic_video.hpp"
#include "temp_dir.hpp"

namespace clipper::pipeline {
namespace {

std::vector<long> frames_of(const VideoAnalysis& video) {
  std::vector<long> frames;
  for (const auto& moment : video.moments) frames.push_back(moment.frame);
  return frames;
}

class VideoAnalysisTest : public ::testing::Test {
 protected:
  testing::TempDir m_dir;
};

TEST_F(VideoAnalysisTest, EveryDetectorFindsEveryCutAtItsFrameInSeveralFormats) {
  const std::vector<std::pair<std::string, std::string>> formats = {
      {"h264.mp4", "-c:v libx264 -preset ultrafast -crf 18 -c:a aac"},
      {"vp9.webm", "-c:v libvpx-vp9 -deadline realtime -cpu-used 8 -crf 20 -b:v 0 -c:a libopus"},
      {"mpeg4.avi", "-c:v mpeg4 -q:v 3 -c:a ac3"},
      // Cuts on B pictures that are not references: found by decoding reference pictures first.
      {"h264-bframes.mp4", "-c:v libx264 -preset veryfast -x264-params scenecut=0:keyint=30:bframes=3 -c:a aac"},
      {"hevc-bframes.mkv",
       "-c:v libx265 -preset veryfast -x265-params scenecut=0:keyint=30:bframes=3:log-level=error -c:a aac"},
  };
  for (const auto& [name, codec] : formats) {
    const auto path = m_dir / name;
    const std::vector<long> cuts = testing::make_scene_video(path, {1.5, 1.2, 1.8, 1.0}, codec);
    for (auto kind :
         {analysis::DetectorKind::adaptive, analysis::DetectorKind::content, analysis::DetectorKind::histogram}) {
      SCOPED_TRACE(name + " " + std::string(analysis::detector_name(kind)));
      const VideoAnalysis video = analyze_video(path, {.detector = {.kind = kind}});
      ASSERT_FALSE(video.error) << *video.error;
      EXPECT_EQ(frames_of(video), cuts);
      EXPECT_EQ(video.frames, 55);
      const VideoAnalysis every = analyze_video(path, {.detector = {.kind = kind}, .source = {.every_picture = true}});
      EXPECT_EQ(every.moments, video.moments);
      EXPECT_DOUBLE_EQ(video.fps, 10.0);
      for (const auto& moment : video.moments)
        EXPECT_NEAR(moment.time_s, static_cast<double>(moment.frame) / 10.0, 1e-3);
    }
  }
}

// 30 pictures a second made 25 by blending: the picture at the cut is 60 % of one scene, 40 % of
// the other. Its luma histogram, narrower than either scene's, lies further from both than they lie
// from each other.
TEST_F(VideoAnalysisTest, ACutThroughABlendedPictureIsFoundByEveryDetector) {
  const auto path = m_dir / "blended.mp4";
  testing::run_ffmpeg(
      "-f lavfi -t 2.1 -i testsrc2=s=320x180:r=30 -f lavfi -t 2 -i mandelbrot=s=320x180:r=30 -filter_complex "
      "\"[0:v][1:v]concat=n=2:v=1,framerate=fps=25:scene=100[v]\" -map \"[v]\" -c:v libx264 -preset veryfast -bf 3 '" +
      path.string() + "'");
  for (auto kind :
       {analysis::DetectorKind::adaptive, analysis::DetectorKind::content, analysis::DetectorKind::histogram}) {
    SCOPED_TRACE(analysis::detector_name(kind));
    for (const bool every_picture : {false, true}) {
      const VideoAnalysis video =
          analyze_video(path, {.detector = {.kind = kind}, .source = {.every_picture = every_picture}});
      ASSERT_FALSE(video.error) << *video.error;
      EXPECT_EQ(frames_of(video), std::vector<long>{52}) << (every_picture ? "every picture" : "reference first");
    }
  }
}

TEST_F(VideoAnalysisTest, TimesCountFromTheFirstFrameWhenTimestampsDoNotStartAtZero) {
  const auto path = m_dir / "offset.ts";
  const auto cuts =
      testing::make_scene_video(path, {1.5, 2.0}, "-c:v libx264 -preset ultrafast -c:a aac -output_ts_offset 10");
  const VideoAnalysis video = analyze_video(path, {});
  ASSERT_FALSE(video.error) << *video.error;
  ASSERT_EQ(frames_of(video), cuts);
  EXPECT_NEAR(video.moments[0].time_s, 1.5, 1e-3);
  EXPECT_NEAR(video.duration_s, 3.5, 1e-3);
}

// `cat a.ts b.ts`: b's timestamps start again at a's first one. Times continue across the jump, so
// b's cut comes after a's, and every clip is to be cut on that clock, from the start of the file.
TEST_F(VideoAnalysisTest, RecordingsJoinedOneAfterTheOtherAreTimedOnOneClock) {
  const auto first = m_dir / "a.ts";
  const auto second = m_dir / "b.ts";
  const auto joined = m_dir / "joined.ts";
  for (const auto& part : {first, second}) testing::make_scene_video(part, {3.0, 3.0}, "-c:v libx264 -preset ultrafast -g 20 -c:a aac");
  {
    std::ofstream out(joined, std::ios::binary);
    for (const auto& part : {first, second}) out << std::ifstream(part, std::ios::binary).rdbuf();
  }
  EXPECT_FALSE(media::timestamps_jump_back(first));
  EXPECT_TRUE(media::timestamps_jump_back(joined));
  for (const bool every_picture : {false, true}) {
    SCOPED_TRACE(every_picture ? "every picture" : "reference pictures first");
    const VideoAnalysis video =
        analyze_video(joined, {.plan = {.pre_s = 0.5, .post_s = 1.0}, .source = {.every_picture = every_picture}});
    ASSERT_FALSE(video.error) << *video.error;
    EXPECT_EQ(frames_of(video), (std::vector<long>{30, 60, 90}));
    ASSERT_EQ(video.moments.size(), 3u);
    EXPECT_NEAR(video.moments[1].time_s, 6.0, 1e-3);
    EXPECT_NEAR(video.moments[2].time_s, 9.0, 1e-3);
    EXPECT_NEAR(video.duration_s, 12.0, 1e-3);
    ASSERT_EQ(video.clips.size(), 3u);
    for (const auto& clip : video.clips) EXPECT_TRUE(clip.cut_from_start);
  }
  const VideoAnalysis plain = analyze_video(first, {});
  ASSERT_EQ(plain.clips.size(), 1u);
  EXPECT_FALSE(plain.clips[0].cut_from_start);
}

TEST_F(VideoAnalysisTest, ClipsArePlannedAroundMomentsAndReportedAsTheyAreKnown) {
  const auto path = m_dir / "scenes.mp4";
  testing::make_scene_video(path, {2.0, 3.0, 6.0}, "-c:v libx264 -preset ultrafast -c:a aac");
  std::vector<plan::ClipWindow> reported;
  const VideoAnalysis video = analyze_video(path, {.plan = {.pre_s = 0.5, .post_s = 1.0}},
                                            [&](const plan::ClipWindow& clip, const auto&) { reported.push_back(clip); });
  ASSERT_EQ(video.clips.size(), 2u);
  EXPECT_NEAR(video.clips[0].start_s, 1.5, 1e-3);
  EXPECT_NEAR(video.clips[0].end_s, 3.0, 1e-3);
  EXPECT_NEAR(video.clips[1].start_s, 4.5, 1e-3);
  EXPECT_NEAR(video.clips[1].end_s, 6.0, 1e-3);
  EXPECT_EQ(reported.size(), video.clips.size());
}

// A file cut off in the middle decodes without error to where it breaks: that is said, not lost.
TEST_F(VideoAnalysisTest, ATruncatedFileIsAnalysedToWhereItBreaksWithAWarning) {
  for (const char* name : {"index-first.mp4", "cut.mkv", "cut.webm"}) {
    SCOPED_TRACE(name);
    const auto whole = m_dir / (std::string("whole-") + name);
    const std::string codec = std::string(name).ends_with(".webm")
                                  ? "-c:v libvpx-vp9 -deadline realtime -cpu-used 8 -c:a libopus"
                                  : "-c:v libx264 -preset ultrafast -c:a aac -movflags +faststart";
    testing::make_scene_video(whole, {3.0, 3.0, 4.0}, codec);
    const VideoAnalysis full = analyze_video(whole, {});
    ASSERT_FALSE(full.error);
    EXPECT_FALSE(full.warning) << *full.warning;

    const auto cut = m_dir / name;
    const auto size = std::filesystem::file_size(whole);
    std::filesystem::copy_file(whole, cut);
    std::filesystem::resize_file(cut, size / 2);
    const VideoAnalysis truncated = analyze_video(cut, {});
    ASSERT_FALSE(truncated.error) << *truncated.error;
    ASSERT_TRUE(truncated.warning);
    EXPECT_NE(truncated.warning->find("'" + cut.string() + "': stream ends at "), std::string::npos)
        << *truncated.warning;
    EXPECT_NE(truncated.warning->find(" of 10.0 s (truncated?)"), std::string::npos) << *truncated.warning;
    EXPECT_LT(truncated.duration_s, 8.0);
  }
}

// High-speed cameras record up to 1000 pictures a second: times and rate are the file's own.
TEST_F(VideoAnalysisTest, AThousandPicturesASecondAreTimedAsSuch) {
  const auto path = m_dir / "fast.mp4";
  testing::make_indexed_video(path, {.width = 160, .height = 120, .fps = 1000, .seconds = 0.5, .audio = false});
  const VideoAnalysis video = analyze_video(path, {});
  ASSERT_FALSE(video.error) << *video.error;
  EXPECT_EQ(video.frames, 500);
  EXPECT_DOUBLE_EQ(video.fps, 1000.0);
  EXPECT_NEAR(video.duration_s, 0.5, 1e-9);
}

TEST_F(VideoAnalysisTest, BadInputIsRecordedNotThrown) {
  const auto missing = m_dir / "missing.mp4";
  const VideoAnalysis video = analyze_video(missing, {});
  ASSERT_TRUE(video.error);
  EXPECT_EQ(*video.error, "cannot open input '" + missing.string() + "': No such file or directory");
  EXPECT_TRUE(video.moments.empty());
  EXPECT_TRUE(video.clips.empty());
}

}  // namespace
}  // namespace clipper::pipeline
