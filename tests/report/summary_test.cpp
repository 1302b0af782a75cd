#include "clipper/report/summary.hpp"
#include "clipper/pipeline/run.hpp"

#include <gtest/gtest.h>

#include <thread>

#include "clipper/report/json_report.hpp"

namespace clipper::report {
namespace {

using namespace std::chrono_literals;

TEST(DistributionTest, NearestRankPercentiles) {
  std::vector<double> values;
  for (int i = 100; i >= 1; --i) values.push_back(i);
  const Distribution d = distribution_of(values);
  EXPECT_DOUBLE_EQ(d.min, 1);
  EXPECT_DOUBLE_EQ(d.p50, 50);
  EXPECT_DOUBLE_EQ(d.p95, 95);
  EXPECT_DOUBLE_EQ(d.p99, 99);
  EXPECT_DOUBLE_EQ(d.max, 100);
  EXPECT_DOUBLE_EQ(d.mean, 50.5);
  EXPECT_EQ(distribution_of({}).count, 0);
}

pipeline::ClipRecord clip(int index, pipeline::ClipStatus status, pipeline::ClipTimes times) {
  return {.source = "a.mp4", .index = index, .status = status, .times = times};
}

TEST(SummaryTest, StagesAreMeasuredFromTheTimestamps) {
  pipeline::RunResult result;
  result.wall_s = 10.0;
  result.clips = {clip(0, pipeline::ClipStatus::ok, {0.0, 1.0, 2.0, 4.0, 8.0}),
                  clip(1, pipeline::ClipStatus::ok, {0.0, 1.0, 3.0, 5.0, 7.0}),
                  clip(2, pipeline::ClipStatus::skipped, {0.0, 1.0, 3.0, 9.0, 9.0})};
  result.videos = {{.source = "a.mp4", .admitted_at_all = true},
                   {.source = "b.mp4", .admitted_at_all = true, .error = "cannot open input 'b.mp4': bad"},
                   {.source = "c.mp4"}};
  const Summary s = summarize(result);
  EXPECT_EQ(s.clips_ok, 2);
  EXPECT_EQ(s.clips_skipped, 1);
  EXPECT_EQ(s.videos_failed, 1);
  EXPECT_EQ(s.videos_ok, 1) << "a video a stop kept out is neither";
  EXPECT_DOUBLE_EQ(s.latency_s.mean, 5.0);  // (8-2 + 7-3) / 2, skipped clips excluded
  EXPECT_DOUBLE_EQ(s.latency_from_admission_s.mean, 7.5);
  EXPECT_DOUBLE_EQ(s.admission_wait_s, 1.0);
  EXPECT_DOUBLE_EQ(s.analysis_work_s, 1.5);
  EXPECT_DOUBLE_EQ(s.encode_wait_s, 2.0);
  EXPECT_DOUBLE_EQ(s.encode_work_s, 3.0);
  EXPECT_DOUBLE_EQ(s.throughput_per_min, 12.0);
}

// A real run of the graph with sleeping work: the sampled L must match lambda x W.
TEST(SummaryTest, LittlesLawHoldsOnARun) {
  const pipeline::Work work{
      .analyze =
          [](const pipeline::VideoJob&, const pipeline::EmitClip& emit) {
            for (int i = 0; i < 8; ++i) {
              std::this_thread::sleep_for(10ms);
              emit({.start_s = 0, .end_s = 1}, nullptr);
            }
            return pipeline::AnalysisOutcome{};
          },
      .encode =
          [](const pipeline::ClipJob&, int) {
            std::this_thread::sleep_for(30ms);
            return pipeline::ClipOutcome{};
          },
      .output_name = [](const pipeline::VideoJob& video, int index,
                        const plan::ClipWindow&) { return video.source.string() + std::to_string(index); }};
  std::vector<pipeline::VideoJob> videos;
  for (size_t i = 0; i < 6; ++i) videos.push_back({.id = i, .source = "v" + std::to_string(i)});
  for (auto topology : {pipeline::Topology::stages, pipeline::Topology::pool}) {
    const auto result =
        pipeline::run_pipeline(videos, {.topology = topology, .analyzers = 2, .encoders = 2, .max_in_flight = 3}, work);
    const Summary s = summarize(result);
    EXPECT_EQ(s.clips_ok, 48);
    EXPECT_GT(s.in_flight_l, 1.0);
    EXPECT_LT(s.littles_law_error, 0.10) << "L " << s.in_flight_l << " lambda " << s.lambda_per_s << " W "
                                         << s.latency_w_s;
    const auto json = report_json({{"topology", std::string(pipeline::topology_name(topology))}}, result, s);
    EXPECT_EQ(json["clips"].size(), 48u);
    EXPECT_EQ(json["clips"][0]["t"].size(), 5u);
    EXPECT_DOUBLE_EQ(json["summary"]["littles_law_error"].get<double>(), s.littles_law_error);
  }
}

}  // namespace
}  // namespace clipper::report
