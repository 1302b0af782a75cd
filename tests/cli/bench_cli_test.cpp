#include <gtest/gtest.h>
#include <sys/wait.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <thread>
#include <tuple>

#include "synthetic_video.hpp"
#include "temp_dir.hpp"

namespace clipper::cli {
namespace {

namespace fs = std::filesystem;

std::string read_text(const fs::path& path) {
  std::ifstream file(path);
  std::stringstream text;
  text << file.rdbuf();
  return text.str();
}

class BenchCliTest : public ::testing::Test {
 protected:
  int clipper(const std::string& arguments) {
    const std::string command = std::string(CLIPPER_BINARY) + " " + arguments + " >'" + (m_dir / "out.txt").string() +
                                "' 2>'" + (m_dir / "err.txt").string() + "'";
    const int status = std::system(command.c_str());
    m_out = read_text(m_dir / "out.txt");
    m_err = read_text(m_dir / "err.txt");
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  }

  testing::TempDir m_dir;
  std::string m_out;
  std::string m_err;
};

TEST_F(BenchCliTest, SimulationReportsBothTopologiesAsJsonAndSvg) {
  const auto json_path = m_dir / "runs.json";
  const auto svg_path = m_dir / "runs.svg";
  ASSERT_EQ(clipper("bench --simulate --analyzers 6 --encoders 2 --duration 1 --json '" + json_path.string() +
                    "' --svg '" + svg_path.string() + "'"),
            0)
      << m_err;
  const auto json = nlohmann::json::parse(read_text(json_path));
  ASSERT_EQ(json["runs"].size(), 2u);
  const auto& stages = json["runs"][0];
  const auto& pool = json["runs"][1];
  EXPECT_EQ(stages["topology"], "stages");
  EXPECT_EQ(stages["max_in_flight"], 6 + 2 * 6);
  EXPECT_EQ(pool["max_in_flight"], 6);
  EXPECT_GT(stages["events"].get<long>(), 0);
  EXPECT_GT(stages["latency_ms"]["mean"].get<double>(), pool["latency_ms"]["mean"].get<double>());
  for (const char* key : {"mean", "min", "p50", "p95", "p99", "max"}) EXPECT_TRUE(pool["latency_ms"].contains(key));
  const std::string svg = read_text(svg_path);
  EXPECT_EQ(svg.rfind("<svg", 0), 0u);
  EXPECT_NE(svg.find("encoder 2"), std::string::npos);
  EXPECT_NE(svg.find("</svg>"), std::string::npos);
  EXPECT_NE(m_out.find("| stages A=6 E=2 K=18 |"), std::string::npos) << m_out;
}

TEST_F(BenchCliTest, SimulationRunsAGivenNumberOfEventsAndChecksItsDuration) {
  const auto json_path = m_dir / "runs.json";
  ASSERT_EQ(clipper("bench --simulate --topology pool --analyzers 6 --encoders 2 --events 120 --json '" +
                    json_path.string() + "'"),
            0)
      << m_err;
  const auto json = nlohmann::json::parse(read_text(json_path));
  ASSERT_EQ(json["runs"].size(), 1u);
  EXPECT_EQ(json["runs"][0]["events"], 120);
  EXPECT_EQ(clipper("bench --simulate --duration soon"), 1);
  EXPECT_EQ(m_err, "clipper: error: --duration 'soon' is not a length of time like 30s\n");
}

TEST_F(BenchCliTest, RealSweepCoversTheGridAndComparesWithFfmpeg) {
  const auto video = m_dir / "in" / "v.mp4";
  fs::create_directories(video.parent_path());
  testing::make_scene_video(video, {1.5, 1.5}, "-c:v libx264 -preset ultrafast -c:a aac");
  const auto csv_path = m_dir / "sweep.csv";
  const auto svg_path = m_dir / "sweep.svg";
  ASSERT_EQ(clipper("bench '" + video.parent_path().string() + "' --preset ultrafast --csv '" + csv_path.string() +
                    "' --svg '" + svg_path.string() + "'"),
            0)
      << m_err;
  const int cores = std::max(1, static_cast<int>(std::thread::hardware_concurrency()));
  std::istringstream csv(read_text(csv_path));
  std::string line;
  std::getline(csv, line);
  EXPECT_EQ(line.rfind("topology,analyzers,encoders,threads_per_encoder", 0), 0u);
  std::set<std::tuple<std::string, int, int>> configurations;  // topology, E, T (0: the core budget's)
  while (std::getline(csv, line)) {
    EXPECT_NE(line.find(",1,0,"), std::string::npos) << "one clip ok, none failed: " << line;
    std::istringstream fields(line);
    std::string topology, analyzers, encoders, threads;
    std::getline(fields, topology, ',');
    std::getline(fields, analyzers, ',');
    std::getline(fields, encoders, ',');
    std::getline(fields, threads, ',');
    configurations.emplace(topology, std::stoi(encoders), std::stoi(threads));
  }
  EXPECT_LE(configurations.size(), 12u);
  for (const std::string topology : {"stages", "pool"}) {
    for (int encoders : {1, cores}) {
      EXPECT_TRUE(configurations.contains({topology, encoders, 0})) << topology << " E=" << encoders;
      EXPECT_TRUE(configurations.contains({topology, encoders, cores / encoders})) << topology << " E=" << encoders;
    }
  }
  for (const auto& [topology, encoders, threads] : configurations) {
    EXPECT_TRUE(threads == 0 || threads == std::max(1, cores / encoders)) << topology << " E=" << encoders;
  }
  EXPECT_TRUE(fs::exists(svg_path));
  EXPECT_TRUE(fs::exists(m_dir / "sweep-timeline.svg"));
  EXPECT_NE(m_out.find("ffmpeg script"), std::string::npos);
}

TEST_F(BenchCliTest, RoundsInterleaveTheFfmpegScriptAndGiveOneMedianRowPerConfiguration) {
  const auto video = m_dir / "in" / "v.mp4";
  fs::create_directories(video.parent_path());
  testing::make_scene_video(video, {1.5, 1.5}, "-c:v libx264 -preset ultrafast -c:a aac");
  const auto csv_path = m_dir / "rounds.csv";
  ASSERT_EQ(clipper("bench '" + video.parent_path().string() +
                    "' --preset ultrafast --topology pool --encoders 1 --runs 2 --csv '" + csv_path.string() + "'"),
            0)
      << m_err;
  EXPECT_NE(m_out.find("round 1 of 2"), std::string::npos);
  EXPECT_NE(m_out.find("round 2 of 2"), std::string::npos);
  EXPECT_NE(m_out.find("median of 2 rounds"), std::string::npos);
  size_t scripts = 0;
  for (size_t at = m_out.find("ffmpeg script (a scene pass per video"); at != std::string::npos;
       at = m_out.find("ffmpeg script (a scene pass per video", at + 1)) {
    ++scripts;
  }
  EXPECT_EQ(scripts, 2u);
  std::istringstream csv(read_text(csv_path));
  std::string line;
  int rows = 0;
  for (std::getline(csv, line); std::getline(csv, line);) ++rows;
  EXPECT_EQ(rows, 2);  // E = 1, with T from the core budget and T = cores
}

}  // namespace
}  // namespace clipper::cli
