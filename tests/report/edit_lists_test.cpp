#include "clipper/report/edit_lists.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <nlohmann/json.hpp>
#include <regex>
#include <sstream>

#include "edl_reader.hpp"

namespace clipper::report {
namespace {

using testing::EdlEvent;
using testing::frames_of;
using testing::parse_edl;

pipeline::VideoAnalysis video(const std::string& path, double fps, double duration_s,
                              std::vector<std::pair<double, double>> windows) {
  pipeline::VideoAnalysis analysed{.path = path, .fps = fps, .duration_s = duration_s};
  for (const auto& [start, end] : windows) {
    analysed.clips.push_back({.start_s = start, .end_s = end, .moment_s = start + 1.0, .score = 40.0});
  }
  return analysed;
}

TEST(TimecodeTest, NonDropAndDropFrame) {
  EXPECT_EQ(timecode(0, 25.0), "00:00:00:00");
  EXPECT_EQ(timecode(25 * 3661 + 7, 25.0), "01:01:01:07");
  EXPECT_EQ(timecode(24, 24000.0 / 1001.0), "00:00:01:00") << "23.976 counts 24 labels a second";
  EXPECT_EQ(timecode(1799, 30000.0 / 1001.0), "00:00:59;29");
  EXPECT_EQ(timecode(1800, 30000.0 / 1001.0), "00:01:00;02") << "labels ;00 and ;01 are skipped";
  EXPECT_EQ(timecode(17982, 30000.0 / 1001.0), "00:10:00;00") << "but not on each tenth minute";
  EXPECT_EQ(timecode(3600, 60000.0 / 1001.0), "00:01:00;04");
  for (long frames : {0L, 1799L, 1800L, 17981L, 17982L, 107892L, 123456L}) {
    EXPECT_EQ(frames_of(timecode(frames, 30000.0 / 1001.0), 30), frames);
  }
}

TEST(EdlTest, OneCutEventPerClipWithConsecutiveRecordTimes) {
  const std::vector<pipeline::VideoAnalysis> videos = {
      video("/in/a.mp4", 25.0, 30.0, {{5.0, 15.0}, {17.0, 22.04}}),
      video("/in/ntsc.mp4", 30000.0 / 1001.0, 120.0, {{59.5, 64.5}}),
      {.path = "/in/broken.mp4", .error = "cannot open input"},
  };
  std::string title;
  std::vector<std::string> modes;
  const auto events = parse_edl(clips_edl(videos, "clipper"), title, modes);
  EXPECT_EQ(title, "clipper");
  EXPECT_EQ(modes, (std::vector<std::string>{"NON-DROP FRAME", "DROP FRAME"}));
  ASSERT_EQ(events.size(), 3u);
  long record = 0;
  for (size_t i = 0; i < events.size(); ++i) {
    EXPECT_EQ(events[i].number, static_cast<int>(i) + 1);
    EXPECT_EQ(events[i].transition, "C");
    EXPECT_EQ(frames_of(events[i].record_in, 25), record) << "record times follow each other";
    record = frames_of(events[i].record_out, 25);
  }
  EXPECT_EQ(events[0].source_in, "00:00:05:00");
  EXPECT_EQ(events[1].source_out, "00:00:22:01");
  EXPECT_EQ(events[2].source_in, timecode(std::lround(59.5 * 30000.0 / 1001.0), 30000.0 / 1001.0));
  EXPECT_EQ(events[2].source_in.substr(8, 1), ";") << "29.97 sources are in drop-frame timecode";
  EXPECT_EQ(record, 10 * 25 + 126 + 125);
  EXPECT_EQ(events[2].comments, (std::vector<std::string>{"FROM CLIP NAME: ntsc-01", "SOURCE FILE: /in/ntsc.mp4"}));
}

TEST(CsvTest, OneRowPerClipWithQuotedPaths) {
  const std::vector<pipeline::VideoAnalysis> videos = {video("/in/say \"hi\".mp4", 25.0, 30.0, {{5.0, 15.0}, {17.0, 22.0}})};
  EXPECT_EQ(clips_csv(videos),
            "video,clip,start,end,moment,score\n"
            "\"/in/say \"\"hi\"\".mp4\",1,5.000,15.000,6.000,40.0000\n"
            "\"/in/say \"\"hi\"\".mp4\",2,17.000,22.000,18.000,40.0000\n");
}

TEST(OtioTest, ATimelineOfOneVideoTrackOfClipsWithExternalReferences) {
  const std::vector<pipeline::VideoAnalysis> videos = {video("/in/my film.mp4", 25.0, 30.0, {{5.0, 15.0}}),
                                                       video("/in/b.mkv", 50.0, 8.0, {{1.0, 3.5}})};
  const auto timeline = nlohmann::json::parse(clips_otio(videos, "clipper"));
  EXPECT_EQ(timeline["OTIO_SCHEMA"], "Timeline.1");
  EXPECT_EQ(timeline["tracks"]["OTIO_SCHEMA"], "Stack.1");
  ASSERT_EQ(timeline["tracks"]["children"].size(), 1u);
  const auto& track = timeline["tracks"]["children"][0];
  EXPECT_EQ(track["OTIO_SCHEMA"], "Track.1");
  EXPECT_EQ(track["kind"], "Video");
  ASSERT_EQ(track["children"].size(), 2u);
  const auto& clip = track["children"][1];
  EXPECT_EQ(clip["OTIO_SCHEMA"], "Clip.1");
  EXPECT_EQ(clip["name"], "b-01");
  EXPECT_EQ(clip["source_range"]["OTIO_SCHEMA"], "TimeRange.1");
  EXPECT_EQ(clip["source_range"]["start_time"]["OTIO_SCHEMA"], "RationalTime.1");
  EXPECT_EQ(clip["source_range"]["start_time"]["rate"], 50.0);
  EXPECT_EQ(clip["source_range"]["start_time"]["value"], 50.0);
  EXPECT_EQ(clip["source_range"]["duration"]["value"], 125.0);
  const auto& reference = clip["media_reference"];
  EXPECT_EQ(reference["OTIO_SCHEMA"], "ExternalReference.1");
  EXPECT_EQ(reference["target_url"], "file:///in/b.mkv");
  EXPECT_EQ(reference["available_range"]["duration"]["value"], 400.0);
  EXPECT_EQ(track["children"][0]["media_reference"]["target_url"], "file:///in/my%20film.mp4");
}

}  // namespace
}  // namespace clipper::report
