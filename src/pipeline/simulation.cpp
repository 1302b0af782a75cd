#include "clipper/pipeline/simulation.hpp"

#include <cmath>
#include <random>
#include <string>
#include <thread>

namespace clipper::pipeline {
namespace {

constexpr int kMinAnalysisMs = 10;
constexpr int kMaxAnalysisMs = 20;
constexpr int kMaxHighlights = 10;
constexpr int kEncodeMsPerHighlight = 10;

}  // namespace

size_t events_for_duration(double duration_s, int analyzers) {
  return static_cast<size_t>(std::ceil(duration_s * analyzers * 1000.0 / kMinAnalysisMs)) + 1000;
}

SimulatedEvents draw_events(size_t count, uint64_t seed) {
  std::mt19937_64 random(seed);
  std::uniform_int_distribution<int> analysis(kMinAnalysisMs, kMaxAnalysisMs);
  std::uniform_int_distribution<int> highlights(1, kMaxHighlights);
  SimulatedEvents events;
  for (size_t i = 0; i < count; ++i) {
    events.jobs.push_back({.id = i, .source = "event-" + std::to_string(i)});
    events.analysis_ms.push_back(analysis(random));
    events.highlights.push_back(highlights(random));
  }
  return events;
}

Work simulated_work(const SimulatedEvents& events, double deadline_s) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::duration<double>(deadline_s);
  return {.analyze =
              [&events](const VideoJob& event, const EmitClip& emit) {
                std::this_thread::sleep_for(std::chrono::milliseconds(events.analysis_ms[event.id]));
                emit({.score = static_cast<double>(events.highlights[event.id])}, nullptr);
                return AnalysisOutcome{};
              },
          .encode =
              [deadline](const ClipJob& job, int) {
                if (std::chrono::steady_clock::now() >= deadline) return ClipOutcome{.status = ClipStatus::skipped};
                const auto highlights = static_cast<int>(job.window.score);
                std::this_thread::sleep_for(std::chrono::milliseconds(highlights * kEncodeMsPerHighlight));
                return ClipOutcome{};
              },
          .output_name = [](const VideoJob&, int, const plan::ClipWindow&) { return std::filesystem::path(); }};
}

}  // namespace clipper::pipeline
