#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <csignal>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>
#include <thread>

#include <fmt/format.h>

#include "media_probe.hpp"
#include "process.hpp"
#include "synthetic_video.hpp"
#include "temp_dir.hpp"

namespace clipper::cli {
namespace {

namespace fs = std::filesystem;

// One scene change at 2 s: with --pre 1 --post 4 the clip is [1, 4] s of a 4 s video.
void make_video(const fs::path& path) {
  fs::create_directories(path.parent_path());
  testing::make_scene_video(path, {2.0, 2.0}, "-c:v libx264 -preset ultrafast -c:a aac", "1280x720");
}

class PipelineCliTest : public ::testing::Test {
 protected:
  int clipper(const std::string& arguments, const std::string& prefix = "", const std::string& preset = "ultrafast") {
    const std::string command = prefix + std::string(CLIPPER_BINARY) + " " + arguments + " --preset " + preset +
                                " -q --report '" + report_path().string() + "' 2>'" + (m_dir / "stderr.txt").string() +
                                "'";
    const int status = std::system(command.c_str());
    std::ifstream err(m_dir / "stderr.txt");
    std::stringstream text;
    text << err.rdbuf();
    m_stderr = text.str();
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  }

  fs::path report_path() const { return m_dir / "report.json"; }
  nlohmann::json report() const {
    std::ifstream file(report_path());
    return nlohmann::json::parse(file);
  }

  static std::map<fs::path, fs::file_time_type> files_under(const fs::path& folder) {
    std::map<fs::path, fs::file_time_type> files;
    for (const auto& entry : fs::recursive_directory_iterator(folder)) {
      if (entry.is_regular_file()) files[entry.path()] = entry.last_write_time();
    }
    return files;
  }

  testing::TempDir m_dir;
  std::string m_stderr;
};

TEST_F(PipelineCliTest, FolderWithACorruptFileGivesEveryOtherClipAndExitTwo) {
  const fs::path in = m_dir / "in";
  make_video(in / "a.mp4");
  make_video(in / "nested" / "b.mkv");
  std::ofstream(in / "broken.mp4") << "not a video";
  fs::create_directory_symlink(in, in / "nested" / "loop");
  const fs::path out = m_dir / "out";

  ASSERT_EQ(clipper("'" + in.string() + "' -o '" + out.string() + "'"), 2) << m_stderr;
  EXPECT_NE(m_stderr.find("clipper: error: cannot open input '" + (in / "broken.mp4").string() + "'"),
            std::string::npos)
      << m_stderr;

  const auto json = report();
  int ok = 0;
  for (const auto& clip : json["clips"]) {
    if (clip["index"].is_null()) {
      EXPECT_EQ(clip["source"], (in / "broken.mp4").string());
      EXPECT_EQ(clip["status"], "failed");
      continue;
    }
    ASSERT_EQ(clip["status"], "ok") << clip.dump();
    ++ok;
    const fs::path output = clip["output"].get<std::string>();
    ASSERT_TRUE(fs::exists(output)) << output;
    EXPECT_EQ(output.parent_path().parent_path(), out);
    const auto probed = testing::probe_file(output);
    EXPECT_EQ(probed.video.width, 1280);
    EXPECT_EQ(probed.video.height, 720);
    const double length = clip["end"].get<double>() - clip["start"].get<double>();
    EXPECT_NEAR(static_cast<double>(probed.video.frame_times_s.size()) / 10.0, length, 0.101);
    EXPECT_NEAR(clip["start"].get<double>(), 1.0, 1e-6);
    EXPECT_NEAR(clip["end"].get<double>(), 4.0, 1e-6);
  }
  EXPECT_EQ(ok, 2);
  EXPECT_EQ(json["summary"]["clips_ok"], 2);
  EXPECT_EQ(json["summary"]["videos_failed"], 1);
  EXPECT_EQ(json["config"]["topology"], "pool");
  EXPECT_EQ(json["config"]["output_dir"], out.string());
  EXPECT_EQ(files_under(out).size(), 2u) << "nothing but finished clips under the output folder";
}

TEST_F(PipelineCliTest, RerunWritesNothingNewAndSaysSo) {
  const fs::path in = m_dir / "in";
  make_video(in / "a.mp4");
  const fs::path out = m_dir / "out";
  ASSERT_EQ(clipper("'" + in.string() + "' -o '" + out.string() + "' --topology stages"), 0) << m_stderr;
  const auto before = files_under(out);
  ASSERT_EQ(before.size(), 1u);

  ASSERT_EQ(clipper("'" + in.string() + "' -o '" + out.string() + "' --topology stages"), 0) << m_stderr;
  EXPECT_EQ(files_under(out), before);
  const auto json = report();
  ASSERT_EQ(json["clips"].size(), 1u);
  EXPECT_EQ(json["clips"][0]["status"], "skipped");
  EXPECT_EQ(json["summary"]["clips_skipped"], 1);
}

TEST_F(PipelineCliTest, ClipsAreNamedByTheTemplateAndARerunSkipsThem) {
  const fs::path in = m_dir / "in";
  make_video(in / "a.mp4");
  make_video(in / "b.mp4");
  const fs::path out = m_dir / "out";
  const std::string run = "'" + in.string() + "' -o '" + out.string() + "' --name '{topology}/{video}_{start}-{end}_{score}'";
  ASSERT_EQ(clipper(run), 0) << m_stderr;
  const auto before = files_under(out);
  ASSERT_EQ(before.size(), 2u);
  const auto json = report();
  for (const auto& clip : json["clips"]) {
    const std::string video = fs::path(clip["source"].get<std::string>()).stem().string();
    const fs::path expected = out / "pool" /
                              (video + "_00h00m01.000s-00h00m04.000s_" +
                               fmt::format("{:.2f}", clip["score"].get<double>()) + ".mp4");
    EXPECT_EQ(clip["output"], expected.string());
    EXPECT_TRUE(before.count(expected)) << expected;
  }
  EXPECT_EQ(report()["config"]["name"], "{topology}/{video}_{start}-{end}_{score}");

  ASSERT_EQ(clipper(run), 0) << m_stderr;
  EXPECT_EQ(files_under(out), before);
  EXPECT_EQ(report()["summary"]["clips_skipped"], 2);
}

std::string file_bytes(const fs::path& path) {
  std::ifstream file(path, std::ios::binary);
  std::stringstream bytes;
  bytes << file.rdbuf();
  return bytes.str();
}

// Clips encoded from the analysis' pictures are byte for byte the clips `clipper cut` makes of the
// same windows (the windows themselves are those of an analysis of every picture): H.264 with B-frames and sound (clips
// that merge, one beside the video's end); the same turned by its display matrix, with a second of pictures missing
// (variable rate), in MPEG-TS (timestamps that do not start at 0), and interlaced (deinterlaced); VP9 without sound.
TEST_F(PipelineCliTest, ClipsDecodedOnceAreTheClipsThatCutMakesOfTheirWindows) {
  const fs::path in = m_dir / "in";
  fs::create_directories(in);
  const fs::path b_frames = in / "b-frames.mp4";
  testing::make_scene_video(b_frames, {2.0, 1.5, 3.0, 2.5, 1.2}, "-c:v libx264 -preset veryfast -bf 3 -g 30 -c:a aac",
                            "320x180");
  const std::string source = "-i '" + b_frames.string() + "' ";
  testing::run_ffmpeg(source + "-c copy -metadata:s:v:0 rotate=90 '" + (in / "turned.mp4").string() + "'");
  testing::run_ffmpeg(source + "-vf \"select='not(between(n\\,25\\,34))'\" -vsync vfr -c:v libx264 -preset veryfast " +
                      "-bf 2 -c:a copy '" + (in / "gap.mkv").string() + "'");
  testing::run_ffmpeg(source + "-c copy '" + (in / "stream.ts").string() + "'");
  testing::run_ffmpeg(source + "-vf setfield=tff -c:v libx264 -preset veryfast -flags +ildct+ilme -c:a copy '" +
                      (in / "interlaced.mp4").string() + "'");
  testing::make_scene_video(in / "vp9.webm", {1.5, 2.5, 2.0}, "-c:v libvpx-vp9 -deadline realtime -cpu-used 8 -an");
  const std::string options = " --threads-per-encoder 1 --pre 0.5 --post 1.5";
  ASSERT_EQ(clipper("'" + in.string() + "' -o '" + (m_dir / "once").string() + "'" + options + " --decode-once"), 0)
      << m_stderr;
  const nlohmann::json clips = report()["clips"];
  EXPECT_GE(clips.size(), 17u);
  for (const auto& clip : clips) {
    const fs::path output = clip["output"].get<std::string>();
    SCOPED_TRACE(output.string());
    EXPECT_EQ(clip["status"], "ok");
    const fs::path again = m_dir / "again.mp4";
    const std::string cut = fmt::format("{} cut '{}' --start {} --end {} -o '{}' --threads 1 --preset ultrafast -q",
                                        CLIPPER_BINARY, clip["source"].get<std::string>(), clip["start"].dump(),
                                        clip["end"].dump(), again.string());
    ASSERT_EQ(std::system(cut.c_str()), 0);
    const std::string once = file_bytes(output);
    EXPECT_GT(once.size(), 1000u);
    EXPECT_TRUE(once == file_bytes(again)) << "differs from its clip cut alone";
  }
}

// --no-deinterlace reaches both ways of making a clip: the one fed from the analysis' pictures, and
// `clipper cut`'s own decode.
TEST_F(PipelineCliTest, FieldsAreKeptWhenAskedInClipsDecodedOnceAndCutAlone) {
  const fs::path in = m_dir / "in";
  fs::create_directories(in);
  const fs::path woven = m_dir / "woven.mp4";
  testing::make_scene_video(woven, {2.0, 2.0}, "-c:v libx264 -preset ultrafast -an", "320x180");
  testing::run_ffmpeg("-i '" + woven.string() +
                      "' -vf setfield=tff -c:v libx264 -preset ultrafast -flags +ildct+ilme '" +
                      (in / "interlaced.mp4").string() + "'");
  ASSERT_EQ(clipper("'" + in.string() + "' -o '" + (m_dir / "once").string() +
                    "' --threads-per-encoder 1 --pre 0.5 --post 1 --decode-once --no-deinterlace"),
            0)
      << m_stderr;
  const nlohmann::json run = report();
  EXPECT_EQ(run["config"]["encoder"]["deinterlace"], false);
  const nlohmann::json clips = run["clips"];
  ASSERT_EQ(clips.size(), 1u);
  const auto cut_alone = [&](const std::string& options) {
    const fs::path again = m_dir / "again.mp4";
    const std::string cut = fmt::format("{} cut '{}' --start {} --end {} -o '{}' --threads 1 --preset ultrafast -q {}",
                                        CLIPPER_BINARY, clips[0]["source"].get<std::string>(), clips[0]["start"].dump(),
                                        clips[0]["end"].dump(), again.string(), options);
    EXPECT_EQ(std::system(cut.c_str()), 0);
    return file_bytes(again);
  };
  const std::string once = file_bytes(clips[0]["output"].get<std::string>());
  EXPECT_TRUE(once == cut_alone("--no-deinterlace")) << "differs from its clip cut alone with both fields";
  EXPECT_FALSE(once == cut_alone("")) << "is the clip with one field";
}

// A clip that is there already is skipped, with the window it has; its analysis goes on to the
// clips after it.
TEST_F(PipelineCliTest, ClipsDecodedOnceAreSkippedWhereTheyAreThere) {
  const fs::path in = m_dir / "in";
  fs::create_directories(in);
  // Moments at 2, 3 and 5 s: the first two make one clip, 1.5 to 4 s, the third one 4.5 to 6 s.
  testing::make_scene_video(in / "a.mp4", {2.0, 1.0, 2.0, 2.0}, "-c:v libx264 -preset ultrafast -c:a aac");
  const fs::path out = m_dir / "out";
  const std::string run = "'" + in.string() + "' -o '" + out.string() + "' --pre 0.5 --post 1 --decode-once";
  ASSERT_EQ(clipper(run), 0) << m_stderr;
  const nlohmann::json first = report();
  std::map<std::string, std::pair<double, double>> windows;
  for (const auto& clip : first["clips"]) windows[clip["output"]] = {clip["start"], clip["end"]};
  ASSERT_EQ(windows.size(), 2u);
  const auto before = files_under(out);
  ASSERT_EQ(before.size(), 2u);
  fs::remove(std::prev(before.end())->first);

  ASSERT_EQ(clipper(run), 0) << m_stderr;
  EXPECT_EQ(files_under(out).size(), 2u);
  const nlohmann::json again = report();
  EXPECT_EQ(again["summary"]["clips_skipped"], 1);
  EXPECT_EQ(again["summary"]["clips_ok"], 1);
  ASSERT_EQ(again["clips"].size(), 2u);
  for (const auto& clip : again["clips"]) {
    const std::pair<double, double> window{clip["start"], clip["end"]};
    EXPECT_EQ(window, windows[clip["output"]]) << clip.dump();
  }
}

// By default each picture is decoded once where every encoder has a video to analyse; a lone video
// is analysed reference pictures first, on every core. The report and the summary say which.
TEST_F(PipelineCliTest, EachPictureIsDecodedOnceByDefaultWhereEveryEncoderHasAVideo) {
  const fs::path in = m_dir / "in";
  make_video(in / "a.mp4");
  make_video(in / "b.mp4");
  const std::string out = " -o '" + (m_dir / "out").string() + "' --encoders 2";
  const auto run = [&](const std::string& inputs, const std::string& options) {
    EXPECT_EQ(clipper(inputs + out + options), 0) << m_stderr;
    fs::remove_all(m_dir / "out");
    return report()["config"];
  };
  const nlohmann::json both = run("'" + in.string() + "'", "");
  EXPECT_EQ(both["decode_once"], true);
  EXPECT_EQ(both["analyzers"], 2);
  const nlohmann::json lone = run("'" + (in / "a.mp4").string() + "'", "");
  EXPECT_EQ(lone["decode_once"], false);
  EXPECT_EQ(lone["analyzers"], 1);
  EXPECT_EQ(run("'" + in.string() + "'", " --no-decode-once")["decode_once"], false);
  EXPECT_EQ(run("'" + (in / "a.mp4").string() + "'", " --decode-once")["decode_once"], true);

  const auto printed_by = [&](const std::string& inputs) {
    const fs::path printed = m_dir / "printed.txt";
    const std::string command =
        std::string(CLIPPER_BINARY) + " " + inputs + out + " --preset ultrafast 2>'" + printed.string() + "'";
    EXPECT_EQ(std::system(command.c_str()), 0);
    fs::remove_all(m_dir / "out");
    return file_bytes(printed);
  };
  const auto count = [](const std::string& text, const std::string& part) {
    size_t n = 0;
    for (size_t at = text.find(part); at != std::string::npos; at = text.find(part, at + 1)) ++n;
    return n;
  };
  const std::string fed = "mp4' from its analysis' pictures\n";
  const std::string both_printed = printed_by("'" + in.string() + "'");
  EXPECT_NE(both_printed.find("2 analysers, 2 encoders, at most 3 videos in flight, each picture decoded once\n"),
            std::string::npos)
      << both_printed;
  EXPECT_EQ(count(both_printed, fed), 2u) << "both clips fed: " << both_printed;
  const std::string lone_printed = printed_by("'" + (in / "a.mp4").string() + "'");
  EXPECT_EQ(count(lone_printed, "wrote '"), 1u) << lone_printed;
  EXPECT_EQ(count(lone_printed, fed), 0u) << "decoded by its encoder: " << lone_printed;
}

TEST_F(PipelineCliTest, ATemplateThatCouldGoWrongIsRefusedBeforeAnyWork) {
  const fs::path in = m_dir / "in";
  make_video(in / "a.mp4");
  make_video(in / "b.mp4");
  const fs::path out = m_dir / "out";
  const std::map<std::string, std::string> refusals = {
      {"{video}/{nn}", "--name '{video}/{nn}': no field {nn} (fields: {video}, {n}, {start}, {end}, {moment}, {score}, "
                       "{topology})"},
      {"../{video}-{n}", "--name '../{video}-{n}': '..' would leave the output folder"},
      {"clip-{n}", "--name 'clip-{n}': clips of two videos could share a name: use {video}"},
  };
  for (const auto& [name, message] : refusals) {
    EXPECT_EQ(clipper("'" + in.string() + "' -o '" + out.string() + "' --name '" + name + "'"), 1);
    EXPECT_EQ(m_stderr.substr(0, m_stderr.find('\n') + 1), "clipper: error: " + message + "\n");
    EXPECT_FALSE(fs::exists(out)) << "refused before anything is written";
  }
  EXPECT_EQ(clipper("'" + (in / "a.mp4").string() + "' -o '" + out.string() + "' --name 'clip-{n}'"), 0)
      << "one video needs no {video}: " << m_stderr;
  EXPECT_TRUE(fs::exists(out / "clip-01.mp4"));
}

// The clips of a run as {relative path: (pictures, duration)}.
std::map<std::string, std::pair<size_t, double>> clips_under(const fs::path& folder) {
  std::map<std::string, std::pair<size_t, double>> clips;
  for (const auto& entry : fs::recursive_directory_iterator(folder)) {
    if (!entry.is_regular_file()) continue;
    const auto probed = testing::probe_file(entry.path());
    const double duration = probed.video.frame_times_s.empty() ? 0.0 : probed.video.frame_times_s.back();
    clips[fs::relative(entry.path(), folder).string()] = {probed.video.frame_times_s.size(), duration};
  }
  return clips;
}

TEST_F(PipelineCliTest, RenderOfAnUneditedPlanMakesTheClipsOfTheMainCommand) {
  const fs::path in = m_dir / "in";
  make_video(in / "a.mp4");
  testing::make_scene_video(in / "b.mkv", {1.5, 2.0, 2.5}, "-c:v libx264 -preset ultrafast -c:a aac", "640x360");
  const fs::path plan = m_dir / "plan.json";
  ASSERT_EQ(std::system((std::string(CLIPPER_BINARY) + " analyze --json '" + in.string() + "' > '" + plan.string() + "'").c_str()), 0);

  ASSERT_EQ(clipper("'" + in.string() + "' -o '" + (m_dir / "main").string() + "'"), 0) << m_stderr;
  const auto main_windows = report()["clips"];
  ASSERT_EQ(clipper("render '" + plan.string() + "' -o '" + (m_dir / "rendered").string() + "'"), 0) << m_stderr;
  const auto rendered = report();
  EXPECT_EQ(rendered["config"]["plan"], plan.string());
  EXPECT_EQ(rendered["config"]["decode_once"], false) << "a plan is not analysed";

  const auto made = clips_under(m_dir / "main");
  EXPECT_EQ(made.size(), 2u);
  EXPECT_EQ(clips_under(m_dir / "rendered"), made) << "same names, picture counts and durations";
  std::map<std::string, std::pair<double, double>> windows;
  for (const auto& clip : main_windows) windows[fs::path(clip["output"].get<std::string>()).filename()] = {clip["start"], clip["end"]};
  ASSERT_EQ(rendered["clips"].size(), made.size());
  for (const auto& clip : rendered["clips"]) {
    const auto name = fs::path(clip["output"].get<std::string>()).filename().string();
    ASSERT_TRUE(windows.count(name)) << name;
    EXPECT_DOUBLE_EQ(clip["start"].get<double>(), windows[name].first);
    EXPECT_DOUBLE_EQ(clip["end"].get<double>(), windows[name].second);
  }
}

// Removing a clip from a plan renames no other: rendered into the main command's folder, the clips
// kept are already there and skipped, and a clip added without a number takes the next one.
TEST_F(PipelineCliTest, RenderOfAnEditedPlanKeepsEachClipsNumber) {
  const fs::path in = m_dir / "in";
  fs::create_directories(in);
  testing::make_scene_video(in / "a.mp4", {1.5, 2.5, 2.5, 2.0}, "-c:v libx264 -preset ultrafast -c:a aac");
  const std::string windows = " --pre 0.5 --post 1";
  const fs::path plan = m_dir / "plan.json";
  ASSERT_EQ(std::system((std::string(CLIPPER_BINARY) + " analyze --json" + windows + " '" + in.string() + "' > '" +
                         plan.string() + "'").c_str()), 0);
  const fs::path out = m_dir / "out";
  ASSERT_EQ(clipper("'" + in.string() + "' -o '" + out.string() + "'" + windows), 0) << m_stderr;
  const auto made = clips_under(out);
  ASSERT_EQ(made.size(), 3u);

  nlohmann::json edited = nlohmann::json::parse(std::ifstream(plan));
  nlohmann::json& clips = edited["videos"][0]["clips"];
  ASSERT_EQ(clips.size(), 3u);
  EXPECT_EQ(clips[0]["n"], 1);
  EXPECT_EQ(clips[2]["n"], 3);
  clips.erase(clips.begin());
  clips.push_back({{"start", 0.0}, {"end", 0.5}});
  std::ofstream(plan) << edited.dump();
  ASSERT_EQ(clipper("render '" + plan.string() + "' -o '" + out.string() + "'"), 0) << m_stderr;

  std::map<std::string, std::string> statuses;
  const auto rendered = report();
  for (const auto& clip : rendered["clips"]) {
    statuses[fs::relative(clip["output"].get<std::string>(), out).string()] = clip["status"];
  }
  auto kept = made.begin();
  const std::string second = (++kept)->first, third = (++kept)->first;
  EXPECT_EQ(statuses, (std::map<std::string, std::string>{
                          {second, "skipped"}, {third, "skipped"}, {"a/a-04-00h00m00.000s.mp4", "ok"}}));
  EXPECT_EQ(clips_under(out).size(), 4u);

  std::ofstream(plan) << "{\"videos\": [{\"path\": \"" << (in / "a.mp4").string() << "\", \"clips\": ["
                      << "{\"n\": 0, \"start\": 0, \"end\": 1}, {\"n\": 2.5, \"start\": 0, \"end\": 1}, "
                      << "{\"n\": \"2\", \"start\": 0, \"end\": 1}]}]}";
  EXPECT_EQ(clipper("render '" + plan.string() + "' -o '" + out.string() + "'"), 1);
  const std::string wrong = "clipper: error: " + plan.string() + ": videos[0].clips[";
  const std::string why = "].n: not a clip number (a whole number from 1 to 999999)\n";
  EXPECT_EQ(m_stderr, wrong + "0" + why + wrong + "1" + why + wrong + "2" + why);
}

// A plan a person edited wrongly: each wrong entry is one line naming it, and nothing is encoded;
// with --keep-going the valid clips are, and the run exits 2.
TEST_F(PipelineCliTest, RenderNamesEachWrongEntryOfAPlanAndEncodesNothing) {
  const fs::path in = m_dir / "in";
  make_video(in / "a.mp4");
  const fs::path plan = m_dir / "plan.json";
  const std::string a = (in / "a.mp4").string();
  std::ofstream(plan) << "{\"videos\": [{\"path\": \"" << a << "\", \"clips\": ["
                      << "{\"start\": 0.5, \"end\": 2.0}, {\"start\": 3.0, \"end\": 2.5}, {\"start\": 1.0, \"end\": 9.0},"
                      << "{\"start\": \"soon\", \"end\": 3.0}, {\"end\": 3.0}]},"
                      << "{\"path\": \"" << (in / "gone.mp4").string() << "\", \"clips\": [{\"start\": 0, \"end\": 1}]}]}";
  const fs::path out = m_dir / "out";
  EXPECT_EQ(clipper("render '" + plan.string() + "' -o '" + out.string() + "'"), 1);
  const std::string p = plan.string();
  EXPECT_EQ(m_stderr, "clipper: error: " + p + ": videos[0].clips[1]: end 2.500 before start 3.000\n"
                      "clipper: error: " + p + ": videos[0].clips[2]: end 9.000 past the video's end 4.000\n"
                      "clipper: error: " + p + ": videos[0].clips[3].start: not a number\n"
                      "clipper: error: " + p + ": videos[0].clips[4]: no start\n"
                      "clipper: error: " + p + ": videos[1]: cannot open input '" + (in / "gone.mp4").string() +
                      "': No such file or directory\n");
  EXPECT_FALSE(fs::exists(out));

  EXPECT_EQ(clipper("render '" + plan.string() + "' -o '" + out.string() + "' --keep-going"), 2);
  const auto clips = clips_under(out);
  ASSERT_EQ(clips.size(), 1u);
  EXPECT_EQ(clips.begin()->first, "a/a-01-00h00m00.500s.mp4");
  EXPECT_EQ(clips.begin()->second.first, 15u);

  std::ofstream(plan) << "{\"videos\": [{\"path\": \"" << a << "\", \"clips\": ["
                      << "{\"start\": 0.5, \"end\": 2.0}, {\"start\": 0.5, \"end\": 3.0}]}]}";
  EXPECT_EQ(clipper("render '" + plan.string() + "' -o '" + out.string() + "' --name '{video}-{start}'"), 1);
  EXPECT_EQ(m_stderr, "clipper: error: " + p + ": videos[0].clips[1]: the same file as videos[0].clips[0]: '" +
                          (out / "a-00h00m00.500s.mp4").string() + "'\n");
}

// The page: a thumbnail per moment, each clip linked relative to the page, the timeline inline.
TEST_F(PipelineCliTest, TheHtmlReportShowsEachMomentAndLinksEachClip) {
  const fs::path in = m_dir / "in";
  make_video(in / "a b.mp4");
  testing::make_scene_video(in / "c.mp4", {1.5, 3.0, 2.5}, "-c:v libx264 -preset ultrafast -c:a aac", "640x360");
  const fs::path page = m_dir / "pages" / "run.html";
  ASSERT_EQ(clipper("'" + in.string() + "' -o '" + (m_dir / "out").string() + "' --html '" + page.string() + "'"), 0)
      << m_stderr;
  std::ifstream file(page);
  std::stringstream text;
  text << file.rdbuf();
  const std::string html = text.str();
  const auto count = [&](const std::string& what) {
    size_t n = 0;
    for (size_t at = html.find(what); at != std::string::npos; at = html.find(what, at + 1)) ++n;
    return n;
  };
  // c.mp4's two moments are 3 s apart: their windows merge into one clip.
  EXPECT_EQ(count("<img "), 3u + 2u) << "3 moments in the strips, and each of the 2 clips with its first moment";
  EXPECT_EQ(count("src=\"data:image/jpeg;base64,/9j/"), 5u) << "JPEGs inside the page";
  EXPECT_NE(html.find("<a href=\"../out/a%20b/a%20b-01-00h00m01.000s.mp4\">"), std::string::npos) << html;
  EXPECT_NE(html.find("<svg"), std::string::npos);
  EXPECT_EQ(html.find("src=\"http"), std::string::npos) << "nothing from the network";
  EXPECT_EQ(html.find("href=\"http"), std::string::npos) << "nothing from the network";
}

TEST_F(PipelineCliTest, KilledRunIsCompletedByARerun) {
  const fs::path in = m_dir / "in";
  make_video(in / "a.mp4");
  const fs::path out = m_dir / "out" / "a";
  fs::create_directories(out);
  // What a run killed with SIGKILL while encoding leaves: a temporary file, no final clip, and
  // its writer gone (a process that has exited, so that its pid is not that of a live one).
  const pid_t killed = ::fork();
  if (killed == 0) ::_exit(0);
  ::waitpid(killed, nullptr, 0);
  std::ofstream(out / (".a-01-00h00m01.000s.mp4." + std::to_string(killed) + "-0.part")) << "half a clip";
  ASSERT_EQ(clipper("'" + in.string() + "' -o '" + (m_dir / "out").string() + "'"), 0) << m_stderr;
  const auto files = files_under(m_dir / "out");
  ASSERT_EQ(files.size(), 1u);
  EXPECT_EQ(files.begin()->first.filename(), "a-01-00h00m01.000s.mp4");
  EXPECT_EQ(testing::probe_file(files.begin()->first).video.width, 1280);
}

// Two runs into one folder, the second started while the first is encoding: neither removes the
// other's temporary files, both succeed, and each clip is there once, whole.
TEST_F(PipelineCliTest, TwoRunsIntoOneFolderBothSucceed) {
  const fs::path in = m_dir / "in";
  for (const char* name : {"a.mp4", "b.mp4", "c.mp4"}) make_video(in / name);
  const fs::path out = m_dir / "out";
  const std::string run = std::string(CLIPPER_BINARY) + " -q '" + in.string() + "' -o '" + out.string() +
                          "' --encoders 1 --preset slow 2>>'" + (m_dir / "stderr.txt").string() + "'";
  const std::string both = "(" + run + "; echo $? >'" + (m_dir / "first").string() + "') & sleep 0.2; " + run +
                           "; echo $? >'" + (m_dir / "second").string() + "'; wait";
  ASSERT_EQ(std::system(both.c_str()), 0);
  for (const char* exit_file : {"first", "second"}) {
    std::ifstream code(m_dir / exit_file);
    int value = -1;
    code >> value;
    EXPECT_EQ(value, 0) << exit_file << " run; stderr: " << std::ifstream(m_dir / "stderr.txt").rdbuf();
  }
  const auto files = files_under(out);
  ASSERT_EQ(files.size(), 3u);
  for (const auto& [path, time] : files) {
    EXPECT_EQ(path.extension(), ".mp4") << path;
    EXPECT_EQ(testing::probe_file(path).video.frame_times_s.size(), 30u) << path;
  }
}

// Opening a FIFO blocks until something writes to it: it is refused at once, and the batch goes on.
TEST_F(PipelineCliTest, AFifoIsRefusedAndTheBatchGoesOn) {
  const fs::path in = m_dir / "in";
  make_video(in / "a.mp4");
  const fs::path fifo = m_dir / "pipe.mp4";
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  const fs::path out = m_dir / "out";
  const int code = clipper("'" + fifo.string() + "' '" + in.string() + "' -o '" + out.string() + "'", "timeout 60 ");
  EXPECT_EQ(code, 2) << m_stderr;
  EXPECT_NE(m_stderr.find("clipper: error: cannot open input '" + fifo.string() + "': it is a FIFO"), std::string::npos)
      << m_stderr;
  EXPECT_EQ(files_under(out).size(), 1u);
}

// A file name that is not UTF-8 (Latin-1 "caf\xe9"): the report is written all the same, the
// name as text with U+FFFD and, losslessly, as its bytes in hex.
TEST_F(PipelineCliTest, ANameThatIsNotUtf8IsReportedLosslessly) {
  const fs::path in = m_dir / "in";
  make_video(in / "good.mp4");
  fs::rename(in / "good.mp4", in / "caf\xe9.mp4");
  make_video(in / "good.mp4");
  const fs::path out = m_dir / "out";
  ASSERT_EQ(clipper("'" + in.string() + "' -o '" + out.string() + "'"), 0) << m_stderr;
  const auto json = report();
  ASSERT_EQ(json["clips"].size(), 2u);
  int escaped = 0;
  for (const auto& clip : json["clips"]) {
    EXPECT_EQ(clip["status"], "ok");
    if (!clip.contains("source_bytes")) continue;
    ++escaped;
    std::string bytes;
    const std::string hex = clip["source_bytes"];
    for (size_t i = 0; i + 1 < hex.size(); i += 2) bytes += static_cast<char>(std::stoi(hex.substr(i, 2), nullptr, 16));
    EXPECT_EQ(bytes, (in / "caf\xe9.mp4").string());
    EXPECT_EQ(clip["source"], (in / "caf\xef\xbf\xbd.mp4").string());
    EXPECT_TRUE(clip.contains("output_bytes"));
  }
  EXPECT_EQ(escaped, 1);
  EXPECT_EQ(json["summary"]["clips_ok"], 2);
}

// The output folder is checked before any work: one line, exit 1.
TEST_F(PipelineCliTest, AnUnwritableOutputFolderIsRefusedBeforeAnyWork) {
  const fs::path in = m_dir / "in";
  make_video(in / "a.mp4");
  std::ofstream(m_dir / "file") << "a file, not a folder";
  const fs::path out = m_dir / "file" / "clips";
  EXPECT_EQ(clipper("'" + in.string() + "' -o '" + out.string() + "'"), 1);
  EXPECT_EQ(m_stderr, "clipper: error: cannot write to '" + out.string() + "': Not a directory\n");
}

// A report that cannot be written at the end does not hide the summary: exit 2, clips kept.
TEST_F(PipelineCliTest, AReportThatCannotBeWrittenIsAFailureOfTheRunNotOfItsUsage) {
  const fs::path in = m_dir / "in";
  make_video(in / "a.mp4");
  const fs::path out = m_dir / "out";
  const fs::path report_dir = m_dir / "reports";
  fs::create_directories(report_dir / "report.json");  // a folder where the report should go
  const std::string command = std::string(CLIPPER_BINARY) + " '" + in.string() + "' -o '" + out.string() +
                              "' --preset ultrafast --report '" + (report_dir / "report.json").string() + "' 2>'" +
                              (m_dir / "err").string() + "'";
  const int status = std::system(command.c_str());
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 2);
  std::stringstream err;
  err << std::ifstream(m_dir / "err").rdbuf();
  EXPECT_NE(err.str().find("clipper: error: cannot write output '" + (report_dir / "report.json").string() + "'"),
            std::string::npos)
      << err.str();
  EXPECT_NE(err.str().find("clips      1 ok"), std::string::npos) << err.str();
  EXPECT_EQ(files_under(out).size(), 1u);
}

// A truncated file: what could be analysed is, and the report says the file ends early.
TEST_F(PipelineCliTest, TheReportSaysWhereATruncatedFileEnds) {
  const fs::path in = m_dir / "in";
  fs::create_directories(in);
  testing::make_scene_video(in / "cut.mp4", {2.0, 4.0}, "-c:v libx264 -preset ultrafast -c:a aac -movflags +faststart",
                            "1280x720");
  fs::resize_file(in / "cut.mp4", fs::file_size(in / "cut.mp4") / 2);
  const fs::path out = m_dir / "out";
  clipper("'" + in.string() + "' -o '" + out.string() + "'");
  const auto json = report();
  ASSERT_EQ(json["videos"].size(), 1u);
  const auto& warning = json["videos"][0]["warning"];
  ASSERT_TRUE(warning.is_string()) << json["videos"][0].dump();
  EXPECT_NE(warning.get<std::string>().find(" of 6.0 s (truncated?)"), std::string::npos) << warning;
  EXPECT_TRUE(json["videos"][0]["error"].is_null());
}

TEST_F(PipelineCliTest, AwkwardInputNamesGiveSafeDistinctOutputs) {
  const fs::path in = m_dir / "in";
  make_video(in / "-dash.mp4");
  make_video(in / "spaced ü name.mp4");
  make_video(in / "x" / "same.mp4");
  make_video(in / "y" / "same.mp4");
  const fs::path out = m_dir / "out";
  ASSERT_EQ(clipper("'" + in.string() + "' -o '" + out.string() + "'"), 0) << m_stderr;
  std::set<std::string> folders;
  for (const auto& [path, time] : files_under(out)) {
    EXPECT_EQ(path.parent_path().parent_path(), out) << path;
    folders.insert(path.parent_path().filename().string());
    EXPECT_NE(path.filename().string().front(), '-');
  }
  EXPECT_EQ(folders.size(), 4u);
  EXPECT_TRUE(folders.count("_dash"));
  EXPECT_TRUE(folders.count("spaced ü name"));
}

// Cuts at 2, 4 and 6 s make one clip, [1, 10] s: a fed clip starts when its window is [1, 6] s. Its
// folder is a file here, so its encoder fails at once: the report still gives the window its
// analysis ended, as `clipper analyze` plans it.
TEST_F(PipelineCliTest, AFedClipThatFailsIsReportedWithItsWholeWindow) {
  const fs::path video = m_dir / "in" / "v.mp4";
  fs::create_directories(video.parent_path());
  testing::make_scene_video(video, {2.0, 2.0, 2.0, 4.0}, "-c:v libx264 -preset ultrafast -c:a aac", "640x360");
  const fs::path plan = m_dir / "plan.json";
  ASSERT_EQ(std::system((std::string(CLIPPER_BINARY) + " analyze --json '" + video.string() + "' > '" +
                         plan.string() + "'")
                            .c_str()),
            0);
  const auto planned = nlohmann::json::parse(std::ifstream(plan))["videos"][0]["clips"];
  ASSERT_EQ(planned.size(), 1u) << planned.dump();
  EXPECT_GT(planned[0]["end"].get<double>(), 9.0) << "the cuts are one clip: " << planned.dump();

  const fs::path out = m_dir / "out";
  fs::create_directories(out);
  std::ofstream(out / "v") << "a file where the clip's folder would be";
  EXPECT_EQ(clipper("'" + video.string() + "' -o '" + out.string() + "' --decode-once"), 2) << m_stderr;
  const auto json = report();
  ASSERT_EQ(json["clips"].size(), 1u) << json.dump();
  const auto& clip = json["clips"][0];
  EXPECT_EQ(clip["status"], "failed");
  EXPECT_NE(clip["error"].get<std::string>().find("cannot write to '" + (out / "v").string() + "'"),
            std::string::npos)
      << clip.dump();
  EXPECT_DOUBLE_EQ(clip["start"].get<double>(), planned[0]["start"].get<double>()) << clip.dump();
  EXPECT_DOUBLE_EQ(clip["end"].get<double>(), planned[0]["end"].get<double>()) << clip.dump();
}

// Whether a clip is being written under `folder`: its temporary file is there (a folder's probe
// writes one too, but not named after a clip).
bool a_clip_is_being_written(const fs::path& folder) {
  if (!fs::exists(folder)) return false;
  for (const auto& entry : fs::recursive_directory_iterator(folder)) {
    const std::string name = entry.path().filename().string();
    if (name.ends_with(".part") && name.find(".mp4.") != std::string::npos) return true;
  }
  return false;
}

// Ctrl-C once a clip is being encoded. Also with clips fed from the analysis, whose analysis waits
// for their encoder.
TEST_F(PipelineCliTest, CtrlCStopsCleansUpAndStillWritesTheReport) {
  const fs::path in = m_dir / "in";
  for (const char* name : {"a.mp4", "b.mp4", "c.mp4"}) make_video(in / name);
  for (const std::string mode : {"--no-decode-once", "--decode-once"}) {
    SCOPED_TRACE(mode);
    const fs::path out = m_dir / ("out " + mode);
    const fs::path log = m_dir / ("log " + mode);
    testing::Process run({CLIPPER_BINARY, in.string(), "-o", out.string(), "--encoders", "1", "--threads-per-encoder",
                          "1", mode, "--preset", "placebo", "-q", "--report", report_path().string()},
                         log);
    const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    while (!a_clip_is_being_written(out) && run.running() && std::chrono::steady_clock::now() < give_up) {
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    ASSERT_TRUE(a_clip_is_being_written(out)) << testing::read_text(log);
    run.signal(SIGINT);
    EXPECT_EQ(run.wait(), 130) << testing::read_text(log);
    for (const auto& [path, time] : files_under(m_dir.path())) {
      EXPECT_EQ(path.extension() == ".part", false) << path;
    }
    const auto json = report();
    EXPECT_TRUE(json["interrupted"].get<bool>());
    int interrupted = 0;
    for (const auto& clip : json["clips"]) {
      if (clip["index"].is_null()) continue;
      EXPECT_NE(clip["status"], "failed") << clip.dump();
      if (clip["status"] == "interrupted") ++interrupted;
    }
    EXPECT_GE(interrupted, 1);
    EXPECT_EQ(json["summary"]["clips_interrupted"], interrupted);
    for (const auto& video : json["videos"]) EXPECT_NE(video["error"], "interrupted") << video.dump();
    EXPECT_EQ(json["summary"]["clips_failed"], 0);
  }
}

// On a terminal the progress line is drawn; a warning (here: a damaged packet inside the clip)
// erases it and shows on a line of its own instead of being hidden.
TEST_F(PipelineCliTest, WarningsShowAboveTheProgressLineOnATerminal) {
  const auto input = m_dir / "in" / "damaged.webm";
  fs::create_directories(input.parent_path());
  testing::run_ffmpeg(
      "-f lavfi -i color=c=red:s=320x240:r=10:d=2 -f lavfi -i color=c=blue:s=320x240:r=10:d=2 "
      "-filter_complex '[0:v][1:v]concat=n=2:v=1:a=0,format=yuv420p[v]' -map '[v]' "
      "-c:v libvpx -deadline realtime -cpu-used 8 -b:v 1M -g 5 -f webm '" +
      input.string() + "'");
  ASSERT_EQ(testing::break_vp8_keyframes(input, {5}), 1);  // 2.5 s, inside the clip [1, 4]
  const auto terminal_text = m_dir / "terminal.txt";
  // script(1) runs clipper on a pseudo-terminal and copies what it shows.
  const std::string command = "script -qec \"" + std::string(CLIPPER_BINARY) + " '" + input.parent_path().string() +
                              "' -o '" + (m_dir / "out").string() + "' --preset ultrafast\" /dev/null > '" +
                              terminal_text.string() + "' 2>&1";
  ASSERT_EQ(std::system(command.c_str()), 0);
  std::ifstream file(terminal_text);
  std::stringstream text;
  text << file.rdbuf();
  const std::string shown = text.str();
  EXPECT_NE(shown.find("\r\033[Kclipper: warning: '" + input.string() + "': skipped 1 corrupt packet"),
            std::string::npos)
      << shown;
  EXPECT_NE(shown.find("clips      1 ok"), std::string::npos) << shown;
}

}  // namespace
}  // namespace clipper::cli
