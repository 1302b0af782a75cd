#include "clipper/plan/clip_plan.hpp"

#include <algorithm>

namespace clipper::plan {
namespace {

ClipWindow window_around(const Moment& moment, const PlanSettings& settings) {
  return {.start_s = std::max(0.0, moment.time_s - settings.pre_s),
          .end_s = moment.time_s + settings.post_s,
          .moment_s = moment.time_s,
          .score = moment.score};
}

ClipWindow clamped(ClipWindow window, double duration_s) {
  if (duration_s > 0.0) window.end_s = std::min(window.end_s, duration_s);
  return window;
}

std::vector<Moment> highest_scoring(std::vector<Moment> moments, int count) {
  std::stable_sort(moments.begin(), moments.end(), [](const Moment& a, const Moment& b) { return a.score > b.score; });
  if (static_cast<int>(moments.size()) > count) moments.resize(static_cast<size_t>(std::max(count, 0)));
  return moments;
}

}  // namespace

std::vector<ClipWindow> plan_clips(std::vector<Moment> moments, double duration_s, const PlanSettings& settings) {
  if (settings.max_clips) moments = highest_scoring(std::move(moments), *settings.max_clips);
  std::stable_sort(moments.begin(), moments.end(),
                   [](const Moment& a, const Moment& b) { return a.time_s < b.time_s; });
  PlanSettings streaming = settings;
  streaming.max_clips.reset();
  ClipPlanner planner(streaming);
  std::vector<ClipWindow> windows;
  for (const Moment& moment : moments) {
    for (const ClipWindow& window : planner.add(moment)) windows.push_back(window);
  }
  for (const ClipWindow& window : planner.finish(duration_s)) windows.push_back(window);
  return windows;
}

ClipPlanner::ClipPlanner(PlanSettings settings) : m_settings(settings) {}

std::vector<ClipWindow> ClipPlanner::add(const Moment& moment) {
  if (m_settings.max_clips) {
    m_ranked.push_back(moment);
    return {};
  }
  const ClipWindow next = window_around(moment, m_settings);
  if (m_open && next.start_s <= m_open->end_s) {
    m_open->end_s = std::max(m_open->end_s, next.end_s);
    m_open->score = std::max(m_open->score, next.score);
    return {};
  }
  std::vector<ClipWindow> released;
  if (m_open) {
    if (auto window = release_if_long_enough(*m_open)) released.push_back(*window);
  }
  m_open = next;
  return released;
}

std::vector<ClipWindow> ClipPlanner::advance(double analysed_s) {
  std::vector<ClipWindow> released;
  if (m_open && analysed_s - m_settings.pre_s > m_open->end_s) {
    if (auto window = release_if_long_enough(*m_open)) released.push_back(*window);
    m_open.reset();
  }
  return released;
}

std::vector<ClipWindow> ClipPlanner::finish(double duration_s) {
  if (m_settings.max_clips) return plan_clips(std::move(m_ranked), duration_s, m_settings);
  std::vector<ClipWindow> released;
  if (m_open) {
    if (auto window = release_if_long_enough(clamped(*m_open, duration_s))) released.push_back(*window);
    m_open.reset();
  }
  return released;
}

std::optional<ClipWindow> ClipPlanner::release_if_long_enough(const ClipWindow& window) const {
  if (window.duration_s() < m_settings.min_clip_s) return std::nullopt;
  return window;
}

}  // namespace clipper::plan
