#pragma once
// From moments to clip windows: pure values, no I/O.
#include <optional>
#include <vector>

namespace clipper::plan {

struct Moment {
  double time_s = 0.0;
  double score = 0.0;
};

struct PlanSettings {
  double pre_s = 1.0;
  double post_s = 4.0;
  double min_clip_s = 1.0;
  std::optional<int> max_clips{};  // keep the N highest-scoring moments
};

struct ClipWindow {
  double start_s = 0.0;
  double end_s = 0.0;
  double moment_s = 0.0;  // the first moment in the window
  double score = 0.0;     // the highest score of its moments
  // The video's timestamps had jumped back when the window was planned: its times are on a clock
  // that only a decode from the video's first picture follows (media::MonotonicClock).
  bool cut_from_start = false;
  // Its number among its video's clips, from 1, as a plan file gives it (`clipper render`); empty:
  // numbered in the order planned.
  std::optional<int> number{};
  double duration_s() const { return end_s - start_s; }
};

// Windows [moment - pre, moment + post] clamped to [0, duration]; overlapping or touching windows
// merge; windows shorter than min_clip are dropped. duration_s <= 0 means unknown (no end clamp).
std::vector<ClipWindow> plan_clips(std::vector<Moment> moments, double duration_s, const PlanSettings& settings);

// The same plan, built while moments arrive in time order: a window is released as soon as no
// later moment can extend it. With max_clips every window waits for finish().
class ClipPlanner {
 public:
  explicit ClipPlanner(PlanSettings settings);

  std::vector<ClipWindow> add(const Moment& moment);
  // Analysis has passed analysed_s: windows no later moment can reach are released.
  std::vector<ClipWindow> advance(double analysed_s);
  std::vector<ClipWindow> finish(double duration_s);
  // The window moments are still extending, not yet released (none with max_clips).
  const std::optional<ClipWindow>& open_window() const { return m_open; }

 private:
  std::optional<ClipWindow> release_if_long_enough(const ClipWindow& window) const;

  PlanSettings m_settings;
  std::optional<ClipWindow> m_open;
  std::vector<Moment> m_ranked;  // with max_clips: every moment, planned at finish()
};

}  // namespace clipper::plan
