#include "clipper/pipeline/simulation.hpp"

#include <gtest/gtest.h>

#include "clipper/report/event_summary.hpp"

namespace clipper::pipeline {
namespace {

TEST(SimulationTest, DrawsDependOnlyOnTheSeed) {
  const auto a = draw_events(events_for_duration(1.0, 4), 7);
  const auto b = draw_events(events_for_duration(1.0, 4), 7);
  const auto c = draw_events(events_for_duration(1.0, 4), 8);
  EXPECT_EQ(a.analysis_ms, b.analysis_ms);
  EXPECT_EQ(a.highlights, b.highlights);
  EXPECT_NE(a.highlights, c.highlights);
  for (size_t i = 0; i < a.jobs.size(); ++i) {
    EXPECT_GE(a.analysis_ms[i], 10);
    EXPECT_LE(a.analysis_ms[i], 20);
    EXPECT_GE(a.highlights[i], 1);
    EXPECT_LE(a.highlights[i], 10);
  }
}

report::EventSummary simulate(Topology topology, int max_in_flight, double seconds) {
  const auto events = draw_events(events_for_duration(seconds, 8), 1);
  const PipelineConfig config{
      .topology = topology, .analyzers = 8, .encoders = 2, .max_in_flight = max_in_flight, .admit_for_s = seconds};
  return report::summarize_events(run_pipeline(events.jobs, config, simulated_work(events, 1e9)), seconds);
}

// Same encoders, same throughput; the work in flight sets the latency (Little's law).
TEST(SimulationTest, MoreWorkInFlightMeansProportionallyMoreLatency) {
  const auto stages = simulate(Topology::stages, 8 + 2 * 8, 1.5);
  const auto pool = simulate(Topology::pool, 8, 1.5);
  EXPECT_NEAR(stages.throughput_per_min, pool.throughput_per_min, 0.2 * pool.throughput_per_min);
  EXPECT_GT(stages.latency_ms.mean, 2.0 * pool.latency_ms.mean);
  EXPECT_GT(stages.in_flight_mean, 2.0 * pool.in_flight_mean);
  EXPECT_LE(stages.in_flight_mean, 24.0);
  EXPECT_LE(pool.in_flight_mean, 8.0);
  EXPECT_LT(stages.littles_law_error, 0.25);
  EXPECT_LT(pool.littles_law_error, 0.25);
}

}  // namespace
}  // namespace clipper::pipeline
