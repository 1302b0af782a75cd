#include "clipper/analysis/scene_detector.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <utility>

namespace clipper::analysis {
namespace {

constexpr size_t kHistory = 5;    // pictures kept before the one being decided
constexpr size_t kLookahead = 5;  // pictures needed after it
constexpr size_t kFlashSpan = 2;  // a change undone within this many pictures is a flash
constexpr double kAdaptiveRatioCap = 255.0;
// Scores below these are repeated pictures (low frame-rate animation, duplicated frames): they say
// nothing of how much the scene moves. The histogram score is 1 - correlation, in [0, 2].
constexpr double kStillContent = 1.0;
constexpr double kStillHistogram = 0.015;
// A content or histogram change is a cut only if it is this many times the motion on either side
// of it: a whip pan, fast motion, a fade or a dissolve changes as much from picture to picture.
constexpr double kStandOut = 2.0;
// The larger of the two steps of one change is at most this many times the smaller: a picture
// between two scenes shows a good part of each (luma histograms can lie nearer one side).
constexpr double kStepRatio = 5.0;

FeatureNeeds needs_for(const DetectorSettings& settings) {
  const bool histogram = settings.kind == DetectorKind::histogram;
  const bool content = !histogram || settings.stats;
  return {
      .hsv = content, .edges = content && settings.weights.edges > 0.0, .luma_histogram = histogram || settings.stats};
}

double score(const DetectorSettings& settings, const FrameFeatures& a, const FrameFeatures& b) {
  if (settings.kind == DetectorKind::histogram) return histogram_score(a, b);
  return content_score(a, b, settings.weights);
}

}  // namespace

std::optional<DetectorKind> parse_detector(std::string_view name) {
  if (name == "adaptive") return DetectorKind::adaptive;
  if (name == "content") return DetectorKind::content;
  if (name == "histogram") return DetectorKind::histogram;
  return std::nullopt;
}

std::string_view detector_name(DetectorKind kind) {
  switch (kind) {
    case DetectorKind::adaptive:
      return "adaptive";
    case DetectorKind::content:
      return "content";
    case DetectorKind::histogram:
      return "histogram";
  }
  return "adaptive";
}

double default_threshold(DetectorKind kind) {
  switch (kind) {
    case DetectorKind::adaptive:
      return 3.0;
    case DetectorKind::content:
      return 27.0;
    case DetectorKind::histogram:
      return 0.4;
  }
  return 3.0;
}

SceneDetector::SceneDetector(DetectorSettings settings)
    : m_settings(settings), m_threshold(settings.threshold.value_or(default_threshold(settings.kind))) {}

std::vector<Moment> SceneDetector::push(const cv::Mat& bgr, long frame, double time_s) {
  return append({.frame = frame, .time_s = time_s, .features = compute_features(bgr, needs_for(m_settings))});
}

std::vector<Moment> SceneDetector::push(FrameFeatures features, long frame, double time_s) {
  return append({.frame = frame, .time_s = time_s, .features = std::move(features)});
}

std::vector<Moment> SceneDetector::repeat(long frame, double time_s) {
  if (m_window.empty()) return {};
  return append({.frame = frame, .time_s = time_s, .features = m_window.back().features, .repeated = true});
}

std::vector<Moment> SceneDetector::append(Entry entry) {
  if (!m_seen_first) {
    m_seen_first = true;
    m_first_time_s = entry.time_s;
  } else if (!m_window.empty()) {
    entry.score = difference(m_window.back(), entry);
    entry.has_previous = true;
    if (m_settings.stats) {
      entry.content = content_parts(m_window.back().features, entry.features, m_settings.weights);
      entry.histogram = histogram_score(m_window.back().features, entry.features);
    }
  }
  m_window.push_back(std::move(entry));
  if (m_window.size() >= 3) mark_lone_outlier(m_window.size() - 2);

  std::vector<Moment> out;
  while (m_next_to_decide + kLookahead < m_window.size()) decide(m_next_to_decide++, out);
  while (m_next_to_decide > kHistory) {
    m_window.pop_front();
    --m_next_to_decide;
  }
  return out;
}

std::vector<Moment> SceneDetector::finish() {
  std::vector<Moment> out;
  while (m_next_to_decide < m_window.size()) decide(m_next_to_decide++, out);
  return out;
}

double SceneDetector::difference(const Entry& a, const Entry& b) const {
  return score(m_settings, a.features, b.features);
}

double SceneDetector::settled_time_s() const {
  return m_black_start ? std::min(m_black_start->time_s, m_last_decided_s) : m_last_decided_s;
}

void SceneDetector::decide(size_t position, std::vector<Moment>& out) {
  const Entry& entry = m_window[position];
  m_last_decided_s = entry.time_s;
  if (m_settings.fades) track_fade(entry, out);
  const bool candidate = is_candidate(position);
  const bool flash = candidate && (is_flash(position) || begins_flicker(position));
  const size_t before = out.size();
  if (candidate && !flash) accept({.frame = entry.frame, .time_s = entry.time_s, .score = change_at(position)}, out);
  if (m_settings.stats) record(position, candidate, flash, out.size() > before);
}

void SceneDetector::record(size_t position, bool candidate, bool flash, bool moment) {
  const Entry& entry = m_window[position];
  m_stats.push_back({.frame = entry.frame,
                     .time_s = entry.time_s,
                     .decoded = !entry.repeated,
                     .content = entry.content,
                     .histogram = entry.histogram,
                     .adaptive_ratio = adaptive_ratio(position),
                     .candidate = candidate,
                     .flash = flash,
                     .moment = moment});
}

std::vector<PictureStats> SceneDetector::take_stats() { return std::exchange(m_stats, {}); }

bool SceneDetector::is_candidate(size_t position) const {
  if (!m_window[position].has_previous || (position >= 1 && are_steps_of_one_change(position - 1))) return false;
  const double score = change_at(position);
  switch (m_settings.kind) {
    case DetectorKind::content:
    case DetectorKind::histogram:
      return score >= m_threshold && stands_out(position);
    case DetectorKind::adaptive:
      break;
  }
  return score >= m_settings.adaptive_min_content && *adaptive_ratio(position) >= m_threshold;
}

// The score over the mean score of the neighbours (the nearest 2 on each side) that tell how much
// the scene moves.
std::optional<double> SceneDetector::adaptive_ratio(size_t position) const {
  if (!m_window[position].has_previous) return std::nullopt;
  const auto [before, after] = motion_around(position);
  const int count = before.count + after.count;
  const double neighbours = count > 0 ? (before.sum + after.sum) / count : 0.0;
  return neighbours > 1e-6 ? std::min(change_at(position) / neighbours, kAdaptiveRatioCap) : kAdaptiveRatioCap;
}

bool SceneDetector::stands_out(size_t position) const {
  const auto [before, after] = motion_around(position);
  return change_at(position) >= kStandOut * std::max(before.mean(), after.mean());
}

// The motion before and after position: the nearest 2 scores that tell it within 2 pictures on
// each side. Where there is none on either side, those further away, within the history and
// lookahead kept, if there are some on both sides (or on one, where the stream ends or starts
// within reach on the other): motion in steps (animation on threes, a fine pattern moving a pixel
// now and then) has still pictures between its steps. A change alone between still pictures
// stays a cut.
std::pair<SceneDetector::Motion, SceneDetector::Motion> SceneDetector::motion_around(size_t position) const {
  const Motion before = motion_beside(position, -1, 2);
  const Motion after = motion_beside(position, +1, 2);
  if (before.count == 0 && after.count == 0) {
    const Motion far_before = motion_beside(position, -1, kHistory);
    const Motion far_after = motion_beside(position, +1, kLookahead);
    const bool steps_before = far_before.count > 0 || far_before.stream_edge;
    const bool steps_after = far_after.count > 0 || far_after.stream_edge;
    if (far_before.count + far_after.count > 0 && steps_before && steps_after) return {far_before, far_after};
  }
  return {before, after};
}

// The scores of the nearest 2 pictures within reach before (direction -1) or after (+1) position
// that tell motion; unless counts_partner, not the other step of a change in two steps with it.
SceneDetector::Motion SceneDetector::motion_beside(size_t position, int direction, size_t reach,
                                                   bool counts_partner) const {
  Motion motion;
  for (size_t step = 1; step <= reach && motion.count < 2; ++step) {
    const size_t i = direction < 0 ? position - step : position + step;
    if ((direction < 0 && step > position) || i >= m_window.size()) {
      motion.stream_edge = true;  // only the stream's ends cut the history or the lookahead short
      break;
    }
    if (!tells_motion(i)) continue;
    if (!counts_partner && step == 1 && are_steps_of_one_change(direction < 0 ? i : position)) continue;
    motion.sum += m_window[i].score;
    ++motion.count;
  }
  return motion;
}

// Whether the score at position says how much the scene moves around a picture being decided: not
// a repeated picture, nor a change into or out of a lone outlier (a damaged, flash or flickering
// picture).
bool SceneDetector::tells_motion(size_t position) const {
  const Entry& entry = m_window[position];
  if (!entry.has_previous || entry.score < still_score()) return false;
  return !entry.lone_outlier && !(position >= 1 && m_window[position - 1].lone_outlier);
}

// Whether the changes into the pictures at first and first + 1 are one change in two steps: the
// picture between shows some of each side (an interlaced cut between its fields, a blended picture
// of a frame-rate conversion). The two are of a size (not motion beside a cut), stand out from the
// changes before and after them (a dissolve or a pan goes on), neither comes from or leads into a
// lone outlier (flicker), and they add up, where the two of a flash undo each other. Neither then
// tells how much the scene moves around the other, and the change is decided at the first, as
// large as from the picture before it to the one after. Content scores add up to at least the
// larger step; histogram scores (1 - correlation) do not: a blended picture's luma histogram is
// narrower than either side's, so it lies further from each than they lie from each other, and
// the change across need only be as large as the smaller step.
bool SceneDetector::are_steps_of_one_change(size_t first) const {
  if (first < 1 || first + 2 >= m_window.size() || !tells_motion(first) || !tells_motion(first + 1)) return false;
  const double larger = std::max(m_window[first].score, m_window[first + 1].score);
  const double smaller = std::min(m_window[first].score, m_window[first + 1].score);
  const double around = std::max(motion_beside(first, -1, 3, /*counts_partner=*/true).mean(),
                                 motion_beside(first + 1, +1, 3, /*counts_partner=*/true).mean());
  const double least_across = m_settings.kind == DetectorKind::histogram ? smaller : larger;
  return smaller * kStepRatio >= larger && smaller >= kStandOut * around &&
         difference(m_window[first - 1], m_window[first + 1]) >= least_across;
}

double SceneDetector::change_at(size_t position) const {
  if (!are_steps_of_one_change(position)) return m_window[position].score;
  return difference(m_window[position - 1], m_window[position + 1]);
}

double SceneDetector::still_score() const {
  return m_settings.kind == DetectorKind::histogram ? kStillHistogram : kStillContent;
}

// The least score a moment can have, on the scale of the detector's scores.
double SceneDetector::large_change() const {
  return m_settings.kind == DetectorKind::histogram ? m_threshold : m_settings.adaptive_min_content;
}

// A change after which each picture is unlike both its neighbours: light that starts to flicker,
// not a new scene, which would settle.
bool SceneDetector::begins_flicker(size_t position) const {
  return position + 2 < m_window.size() && m_window[position + 1].lone_outlier && m_window[position + 2].lone_outlier;
}

// A picture unlike both its neighbours, which resemble each other. Checked only where both of its
// changes are large, the only case where it could hide a cut.
void SceneDetector::mark_lone_outlier(size_t position) {
  Entry& entry = m_window[position];
  const double smaller = std::min(entry.score, m_window[position + 1].score);
  if (!entry.has_previous || smaller < large_change() / 2.0) return;
  entry.lone_outlier = difference(m_window[position - 1], m_window[position + 1]) < smaller / 2.0;
}

// A change that undoes itself within two pictures is a flash (or a glitch), not a new scene: the
// picture before it resembles one after it.
bool SceneDetector::is_flash(size_t position) const {
  const Entry& entry = m_window[position];
  const double resemblance = entry.score / 2.0;
  if (position >= 1) {
    for (size_t ahead = 1; ahead <= kFlashSpan && position + ahead < m_window.size(); ++ahead) {
      if (difference(m_window[position - 1], m_window[position + ahead]) < resemblance) return true;
    }
  }
  for (size_t back = 2; back <= kFlashSpan + 1 && back <= position; ++back) {
    if (difference(m_window[position - back], entry) < resemblance) return true;
  }
  return false;
}

void SceneDetector::track_fade(const Entry& entry, std::vector<Moment>& out) {
  const bool black = entry.features.mean_luma <= m_settings.fade_luma;
  if (black) {
    if (m_seen_light && !m_black_start) m_black_start = entry;
    return;
  }
  m_seen_light = true;
  if (!m_black_start) return;
  const Entry& start = *m_black_start;
  const long middle = (start.frame + entry.frame) / 2;
  const double fraction =
      static_cast<double>(middle - start.frame) / static_cast<double>(std::max(1L, entry.frame - start.frame));
  const double time_s = start.time_s + fraction * (entry.time_s - start.time_s);
  m_black_start.reset();
  accept({.frame = middle, .time_s = time_s, .score = entry.features.mean_luma, .fade = true}, out);
}

// Detections each closer than the minimum scene length to the one before (or to the start) are one
// burst, kept as its first moment: strobing yields one moment, not one every min_scene seconds.
void SceneDetector::accept(Moment moment, std::vector<Moment>& out) {
  const double previous_s = m_last_detection_s.value_or(m_first_time_s);
  m_last_detection_s = moment.time_s;
  if (moment.time_s - previous_s < m_settings.min_scene_s) return;
  out.push_back(moment);
}

std::vector<Moment> detect_all(SceneDetector& detector, const std::vector<cv::Mat>& pictures, double fps) {
  std::vector<Moment> moments;
  for (size_t i = 0; i < pictures.size(); ++i) {
    auto found = detector.push(pictures[i], static_cast<long>(i), static_cast<double>(i) / fps);
    moments.insert(moments.end(), found.begin(), found.end());
  }
  auto rest = detector.finish();
  moments.insert(moments.end(), rest.begin(), rest.end());
  return moments;
}

}  // namespace clipper::analysis

namespace clipper::analysis {

ChangeMeter::ChangeMeter(const DetectorSettings& settings) : m_settings(settings) {}

double ChangeMeter::measure(const cv::Mat& bgr, double time_s) {
  FrameFeatures features = compute_features(bgr, needs_for(m_settings));
  m_measured.emplace_back(time_s, features);
  double change = 0.0;
  if (m_previous) {
    const bool was_black = m_previous->mean_luma <= m_settings.fade_luma;
    const bool is_black = features.mean_luma <= m_settings.fade_luma;
    change = m_settings.fades && was_black != is_black ? std::numeric_limits<double>::infinity()
                                                       : score(m_settings, *m_previous, features);
  }
  m_previous = std::move(features);
  return change;
}

std::optional<FrameFeatures> ChangeMeter::take_features(double time_s) {
  while (!m_measured.empty() && m_measured.front().first < time_s) m_measured.pop_front();
  if (m_measured.empty() || m_measured.front().first != time_s) return std::nullopt;
  FrameFeatures features = std::move(m_measured.front().second);
  m_measured.pop_front();
  return features;
}

StretchRule ChangeMeter::stretch_rule() const {
  const bool adaptive = m_settings.kind == DetectorKind::adaptive;
  const double least_moment =
      adaptive ? m_settings.adaptive_min_content : m_settings.threshold.value_or(default_threshold(m_settings.kind));
  const double ratio = m_settings.threshold.value_or(default_threshold(DetectorKind::adaptive));
  return {.floor = kFloorShare * least_moment, .relative = adaptive ? kRelativeShare * ratio : 0.0};
}

}  // namespace clipper::analysis
