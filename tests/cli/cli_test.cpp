#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cmath>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "edl_reader.hpp"
#include "synthetic_video.hpp"
#include "temp_dir.hpp"

namespace clipper::cli {
namespace {

struct Outcome {
  int exit_code = -1;
  std::string out;
  std::string err;
};

class CliTest : public ::testing::Test {
 protected:
  Outcome clipper(const std::string& arguments, const std::string& prefix = "") {
    const auto out = m_dir / "stdout.txt";
    const auto err = m_dir / "stderr.txt";
    const std::string command =
        prefix + std::string(CLIPPER_BINARY) + " " + arguments + " >'" + out.string() + "' 2>'" + err.string() + "'";
    const int status = std::system(command.c_str());
    Outcome outcome{.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1, .out = read(out), .err = read(err)};
    std::filesystem::remove(out);
    std::filesystem::remove(err);
    return outcome;
  }

  static std::string read(const std::filesystem::path& path) {
    std::ifstream file(path, std::ios::binary);
    std::stringstream text;
    text << file.rdbuf();
    return text.str();
  }

  testing::TempDir m_dir;
};

TEST_F(CliTest, VersionAndHelp) {
  const Outcome version = clipper("--version");
  EXPECT_EQ(version.exit_code, 0);
  EXPECT_EQ(version.out.rfind("clipper 0.", 0), 0u) << version.out;
  const Outcome help = clipper("cut --help");
  EXPECT_EQ(help.exit_code, 0);
  EXPECT_NE(help.out.find("--start"), std::string::npos);
  EXPECT_NE(help.out.find("--preset"), std::string::npos);
}

TEST_F(CliTest, BadInputIsOneErrorLineAndExitCodeOne) {
  const auto missing = m_dir / "missing.mp4";
  const Outcome outcome =
      clipper("cut '" + missing.string() + "' --start 0 --end 1 -o '" + (m_dir / "c.mp4").string() + "'");
  EXPECT_EQ(outcome.exit_code, 1);
  EXPECT_EQ(outcome.err, "clipper: error: cannot open input '" + missing.string() + "': No such file or directory\n");
  EXPECT_TRUE(m_dir.file_names().empty());
}

// A Matroska track whose codec ID libav does not know (here a renamed "V_MPEG4/ISO/AVC").
TEST_F(CliTest, AVideoOfAnUnknownCodecSaysSo) {
  const auto known = m_dir / "known.mkv";
  testing::run_ffmpeg("-f lavfi -i testsrc2=s=160x120:d=1 -c:v libx264 -preset ultrafast '" + known.string() + "'");
  std::string bytes = read(known);
  const std::string codec_id = "V_MPEG4/ISO/AVC";
  const size_t at = bytes.find(codec_id);
  ASSERT_NE(at, std::string::npos);
  bytes.replace(at, codec_id.size(), "V_XXXXX/ISO/AVC");
  const auto unknown = m_dir / "unknown.mkv";
  std::ofstream(unknown, std::ios::binary) << bytes;

  const Outcome outcome = clipper("analyze '" + unknown.string() + "'");
  EXPECT_EQ(outcome.exit_code, 1);
  EXPECT_EQ(outcome.err, "clipper: error: cannot decode '" + unknown.string() + "': its codec is not known\n");
}

TEST_F(CliTest, UsageErrorsExitWithOne) {
  EXPECT_EQ(clipper("cut").exit_code, 1);
  EXPECT_EQ(clipper("cut a.mp4 --start x --end 2 -o b.mp4").exit_code, 1);
  const Outcome outcome = clipper("cut a.mp4 --start 3 --end 2 -o b.mp4");
  EXPECT_EQ(outcome.exit_code, 1);
  EXPECT_EQ(outcome.err, "clipper: error: --end 2 must be after --start 3\n");
}

// The flags are named by the command line; the media code under it says only what is wrong.
TEST_F(CliTest, BadEncodeOptionsAreNamedByTheirFlagInEveryCommand) {
  for (const char* command : {"cut a.mp4 --start 0 --end 2 -o b.mp4", "a.mp4", "bench --simulate"}) {
    SCOPED_TRACE(command);
    const Outcome crf = clipper(std::string(command) + " --crf 60");
    EXPECT_EQ(crf.exit_code, 1);
    EXPECT_NE(crf.err.find("--crf: Value 60 not in range 0 to 51"), std::string::npos) << crf.err;
    const Outcome preset = clipper(std::string(command) + " --preset warp");
    EXPECT_EQ(preset.exit_code, 1);
    EXPECT_NE(preset.err.find("--preset: unknown preset 'warp' (one of: ultrafast,"), std::string::npos) << preset.err;
  }
  const Outcome start = clipper("cut a.mp4 --start -1 --end 2 -o b.mp4");
  EXPECT_EQ(start.exit_code, 1);
  EXPECT_NE(start.err.find("--start: is negative"), std::string::npos) << start.err;
}

TEST_F(CliTest, CtrlCRemovesTheTemporaryFileAndExits130) {
  const auto input = m_dir / "in.mp4";
  testing::make_indexed_video(input, {.seconds = 6.0, .audio = false});
  const auto output = m_dir / "clip.mp4";
  const Outcome outcome = clipper("cut '" + input.string() +
                                      "' --start 0 --end 6 --preset placebo --threads 1 --height 1080 --upscale -o '" +
                                      output.string() + "'",
                                  "timeout --preserve-status -s INT 3 ");
  EXPECT_EQ(outcome.exit_code, 130) << outcome.err;
  EXPECT_EQ(outcome.err, "clipper: error: interrupted\n");
  EXPECT_EQ(m_dir.file_names(), std::vector<std::string>{"in.mp4"});
}

TEST_F(CliTest, AnalyzeGoesOnAfterABadInputAndReportsItInJson) {
  const auto good = m_dir / "good.mp4";
  const auto cuts = testing::make_scene_video(good, {1.5, 1.5}, "-c:v libx264 -preset ultrafast -c:a aac");
  const auto missing = m_dir / "missing.mp4";
  const Outcome outcome = clipper("analyze --json '" + missing.string() + "' '" + good.string() + "'");
  EXPECT_EQ(outcome.exit_code, 2);
  EXPECT_EQ(outcome.err, "clipper: error: cannot open input '" + missing.string() + "': No such file or directory\n");
  const auto json = nlohmann::json::parse(outcome.out);
  ASSERT_EQ(json["videos"].size(), 2u);
  EXPECT_EQ(json["videos"][0]["path"], missing.string());
  EXPECT_FALSE(json["videos"][0]["error"].is_null());
  EXPECT_TRUE(json["videos"][0]["moments"].empty());
  const auto& video = json["videos"][1];
  EXPECT_TRUE(video["error"].is_null());
  EXPECT_EQ(video["frames"], 30);
  EXPECT_DOUBLE_EQ(video["fps"].get<double>(), 10.0);
  EXPECT_NEAR(video["duration"].get<double>(), 3.0, 1e-3);
  ASSERT_EQ(video["moments"].size(), 1u);
  EXPECT_EQ(video["moments"][0]["frame"], cuts[0]);
  EXPECT_NEAR(video["moments"][0]["time"].get<double>(), 1.5, 1e-3);
  ASSERT_EQ(video["clips"].size(), 1u);
  EXPECT_NEAR(video["clips"][0]["start"].get<double>(), 0.5, 1e-3);
  EXPECT_NEAR(video["clips"][0]["end"].get<double>(), 3.0, 1e-3);
}

// --stats: one row per picture, and its adaptive ratios give back the reported moments: a
// candidate has content >= 15 and ratio >= 3, is not a flash, and is no closer than --min-scene
// (0.6 s) to the previous candidate or the start.
TEST_F(CliTest, AnalyzeStatsGiveOneRowPerPictureAndReproduceTheMoments) {
  const auto video = m_dir / "cuts.mp4";
  testing::make_scene_video(video, {1.5, 1.2, 0.4, 1.8, 1.0},
                            "-c:v libx264 -preset veryfast -x264-params scenecut=0:keyint=30:bframes=3 -c:a aac");
  for (const std::string mode : {"", " --every-picture"}) {
    SCOPED_TRACE(mode);
    const auto csv_path = m_dir / "stats.csv";
    const Outcome outcome =
        clipper("analyze --json --stats '" + csv_path.string() + "' '" + video.string() + "'" + mode);
    ASSERT_EQ(outcome.exit_code, 0) << outcome.err;
    const auto json = nlohmann::json::parse(outcome.out)["videos"][0];

    std::istringstream csv(read(csv_path));
    std::string line;
    std::getline(csv, line);
    EXPECT_EQ(line,
              "video,frame,time,decoded,hue,saturation,value,edges,content,adaptive_ratio,histogram,candidate,"
              "flash,moment");
    std::vector<long> recomputed;
    std::vector<long> marked;
    long rows = 0;
    double last_detection_s = 0.0;
    while (std::getline(csv, line)) {
      std::vector<std::string> fields;
      std::istringstream row(line.substr(line.rfind('"') + 2));
      for (std::string field; std::getline(row, field, ',');) fields.push_back(field);
      ASSERT_EQ(fields.size(), 13u) << line;
      EXPECT_EQ(std::stol(fields[0]), rows++);
      const double time_s = std::stod(fields[1]);
      const double content = std::stod(fields[7]);
      const bool candidate = !fields[8].empty() && content >= 15.0 && std::stod(fields[8]) >= 3.0;
      EXPECT_EQ(candidate, fields[10] == "1") << line;
      if (fields[12] == "1") marked.push_back(std::stol(fields[0]));
      if (!candidate || fields[11] == "1") continue;
      if (time_s - last_detection_s >= 0.6) recomputed.push_back(std::stol(fields[0]));
      last_detection_s = time_s;
    }
    EXPECT_EQ(rows, json["frames"].get<long>());
    std::vector<long> reported;
    for (const auto& moment : json["moments"]) reported.push_back(moment["frame"].get<long>());
    EXPECT_FALSE(reported.empty());
    EXPECT_EQ(recomputed, reported);
    EXPECT_EQ(marked, reported);
  }
}

// Folders as the main command takes them: searched recursively for videos, a broken one fails alone.
TEST_F(CliTest, AnalyzeTakesFoldersAndABrokenFileFailsAlone) {
  const auto folder = m_dir / "in";
  std::filesystem::create_directories(folder / "nested");
  testing::make_scene_video(folder / "a.mp4", {1.0, 1.0}, "-c:v libx264 -preset ultrafast -c:a aac");
  testing::make_scene_video(folder / "nested" / "b.mkv", {1.0, 1.0}, "-c:v libx264 -preset ultrafast -c:a aac");
  std::ofstream(folder / "broken.mp4") << "not a video";
  std::ofstream(folder / "notes.txt") << "not a video either, and not one by name";
  const Outcome outcome = clipper("analyze --json '" + folder.string() + "'");
  EXPECT_EQ(outcome.exit_code, 2) << outcome.err;
  EXPECT_EQ(outcome.err, "clipper: error: cannot open input '" + (folder / "broken.mp4").string() +
                             "': Invalid data found when processing input\n");
  const auto json = nlohmann::json::parse(outcome.out);
  ASSERT_EQ(json["videos"].size(), 3u);
  int analysed = 0;
  for (const auto& video : json["videos"]) {
    if (video["error"].is_null()) {
      ++analysed;
      EXPECT_EQ(video["moments"].size(), 1u) << video.dump();
    }
  }
  EXPECT_EQ(analysed, 2);
}

// The planned clips as edit lists: the same clips in the CSV, the EDL and the OTIO timeline.
TEST_F(CliTest, AnalyzeWritesTheClipsAsCsvEdlAndOtio) {
  const auto video = m_dir / "film.mp4";
  testing::make_scene_video(video, {2.0, 3.0, 3.0}, "-c:v libx264 -preset ultrafast -c:a aac");
  const auto lists = m_dir / "lists";
  const Outcome outcome = clipper("analyze --pre 0.5 --post 1 '" + video.string() + "' --csv '" + (lists / "c.csv").string() +
                                  "' --edl '" + (lists / "c.edl").string() + "' --otio '" + (lists / "c.otio").string() + "'");
  ASSERT_EQ(outcome.exit_code, 0) << outcome.err;
  std::istringstream csv(read(lists / "c.csv"));
  std::vector<std::string> rows;
  for (std::string row; std::getline(csv, row);) rows.push_back(row);
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[0], "video,clip,start,end,moment,score");
  EXPECT_EQ(rows[1].rfind("\"" + video.string() + "\",1,1.500,3.000,2.000,", 0), 0u) << rows[1];
  EXPECT_EQ(rows[2].rfind("\"" + video.string() + "\",2,4.500,6.000,5.000,", 0), 0u) << rows[2];
  const std::string edl = read(lists / "c.edl");
  EXPECT_NE(edl.find("001  AX       V     C        00:00:01:05 00:00:03:00 00:00:00:00 00:00:01:05\n"), std::string::npos)
      << edl;
  EXPECT_NE(edl.find("002  AX       V     C        00:00:04:05 00:00:06:00 00:00:01:05 00:00:03:00\n"), std::string::npos)
      << edl;
  const auto timeline = nlohmann::json::parse(read(lists / "c.otio"));
  const auto& clips = timeline["tracks"]["children"][0]["children"];
  ASSERT_EQ(clips.size(), 2u);
  EXPECT_EQ(clips[1]["source_range"]["start_time"]["value"], 45.0);
  EXPECT_EQ(clips[1]["source_range"]["start_time"]["rate"], 10.0);
  EXPECT_EQ(clips[1]["media_reference"]["target_url"], "file://" + video.string());
}

// The EDL and the OTIO timeline of a folder, one video at 25 fps and one at 29.97 (drop-frame
// timecode), read back: each event and each clip is the window `analyze --json` gives, to the frame.
TEST_F(CliTest, EditListsRoundTripToTheWindowsToTheFrame) {
  const auto folder = m_dir / "in";
  std::filesystem::create_directories(folder);
  for (const std::string rate : {"25", "30000/1001"}) {
    const auto name = folder / (rate == "25" ? "pal.mp4" : "ntsc.mp4");
    testing::run_ffmpeg("-f lavfi -t 2.3 -i testsrc2=s=320x180:r=" + rate + " -f lavfi -t 3.1 -i smptebars=s=320x180:r=" +
                        rate + " -f lavfi -t 2.7 -i mandelbrot=s=320x180:r=" + rate +
                        " -filter_complex '[0:v][1:v][2:v]concat=n=3:v=1[v]' -map '[v]' -c:v libx264 -preset ultrafast '" +
                        name.string() + "'");
  }
  const auto edl_path = m_dir / "clips.edl";
  const auto otio_path = m_dir / "clips.otio";
  const Outcome outcome = clipper("analyze --json --pre 0.4 --post 1.3 '" + folder.string() + "' --edl '" +
                                  edl_path.string() + "' --otio '" + otio_path.string() + "'");
  ASSERT_EQ(outcome.exit_code, 0) << outcome.err;
  const auto plan = nlohmann::json::parse(outcome.out);
  std::string title;
  std::vector<std::string> modes;
  const auto events = testing::parse_edl(read(edl_path), title, modes);
  const auto otio = nlohmann::json::parse(read(otio_path))["tracks"]["children"][0]["children"];
  size_t event = 0;
  for (const auto& video : plan["videos"]) {
    const double fps = video["fps"];
    const long base = std::lround(fps);
    for (const auto& clip : video["clips"]) {
      SCOPED_TRACE(video["path"].get<std::string>() + " " + clip.dump());
      ASSERT_LT(event, events.size());
      const long start = std::lround(clip["start"].get<double>() * fps);
      const long end = std::lround(clip["end"].get<double>() * fps);
      EXPECT_EQ(testing::frames_of(events[event].source_in, base), start);
      EXPECT_EQ(testing::frames_of(events[event].source_out, base), end);
      EXPECT_EQ(events[event].source_in[8], base == 30 ? ';' : ':');
      const auto& range = otio[event]["source_range"];
      EXPECT_DOUBLE_EQ(range["start_time"]["rate"].get<double>(), fps);
      EXPECT_EQ(range["start_time"]["value"].get<double>(), static_cast<double>(start));
      EXPECT_EQ(range["duration"]["value"].get<double>(), static_cast<double>(end - start));
      ++event;
    }
  }
  EXPECT_EQ(event, events.size());
  EXPECT_EQ(events.size(), 4u) << "two cuts in each video";
  EXPECT_EQ(otio.size(), events.size());
}

TEST_F(CliTest, AnalyzeTableNamesTheMoments) {
  const auto good = m_dir / "good.mp4";
  testing::make_scene_video(good, {1.5, 1.5}, "-c:v libx264 -preset ultrafast -c:a aac");
  const Outcome outcome = clipper("analyze --detector content '" + good.string() + "'");
  EXPECT_EQ(outcome.exit_code, 0) << outcome.err;
  EXPECT_NE(outcome.out.find("30 frames, 10.000 fps, 3.000 s"), std::string::npos) << outcome.out;
  EXPECT_NE(outcome.out.find("      15      1.500"), std::string::npos) << outcome.out;
}

}  // namespace
}  // namespace clipper::cli
