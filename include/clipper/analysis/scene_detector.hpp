#pragma once
// Finds scene changes in pictures given in presentation order. Decisions lag a few pictures behind
// the input (the detectors look ahead); finish() settles the rest. One thread.
#include <deque>
#include <optional>
#include <utility>
#include <string>
#include <string_view>
#include <vector>

#include <opencv2/core.hpp>

#include "clipper/analysis/frame_features.hpp"
#include "clipper/analysis/stretch_rule.hpp"

namespace clipper::analysis {

// Why a picture was or was not a moment: one row per picture, in order.
struct PictureStats {
  long frame = 0;
  double time_s = 0.0;
  bool decoded = true;                   // false: a repeat of the picture before (reference-first analysis)
  ContentParts content;                  // against the picture before
  double histogram = 0.0;                // 1 - correlation of luma histograms against the picture before
  std::optional<double> adaptive_ratio;  // the detector's score over its neighbours' mean
  bool candidate = false;                // passed the detector's threshold
  bool flash = false;                    // a candidate that undoes itself: not a moment
  bool moment = false;
};

struct Moment {
  long frame = 0;       // 0-based index in presentation order
  double time_s = 0.0;  // from the first picture's timestamp origin
  double score = 0.0;   // the detector's own measure
  bool fade = false;
  friend bool operator==(const Moment&, const Moment&) = default;
};

class SceneDetector {
 public:
  explicit SceneDetector(DetectorSettings settings);

  // Takes the next picture; returns the moments now certain, in order.
  std::vector<Moment> push(const cv::Mat& bgr, long frame, double time_s);
  // ... whose features are known already (see ChangeMeter).
  std::vector<Moment> push(FrameFeatures features, long frame, double time_s);
  // Takes a picture known to show what the one before it shows.
  std::vector<Moment> repeat(long frame, double time_s);
  std::vector<Moment> finish();
  // No moment found later can be earlier than this time (pictures still undecided, a black stretch).
  double settled_time_s() const;
  // The rows of the pictures decided since the last call (settings.stats).
  std::vector<PictureStats> take_stats();

 private:
  struct Entry {
    long frame = 0;
    double time_s = 0.0;
    FrameFeatures features;
    double score = 0.0;  // against the previous picture
    bool has_previous = false;
    bool lone_outlier = false;  // unlike the pictures on both sides, which resemble each other
    bool repeated = false;
    ContentParts content;    // with settings.stats
    double histogram = 0.0;  // with settings.stats
  };

  std::vector<Moment> append(Entry entry);
  void decide(size_t position, std::vector<Moment>& out);
  bool is_candidate(size_t position) const;
  std::optional<double> adaptive_ratio(size_t position) const;
  void record(size_t position, bool candidate, bool flash, bool moment);
  bool stands_out(size_t position) const;
  struct Motion {
    double sum = 0.0;
    int count = 0;
    bool stream_edge = false;  // the stream starts or ends within reach
    double mean() const { return count > 0 ? sum / count : 0.0; }
  };
  std::pair<Motion, Motion> motion_around(size_t position) const;
  Motion motion_beside(size_t position, int direction, size_t reach, bool counts_partner = false) const;
  bool tells_motion(size_t position) const;
  bool are_steps_of_one_change(size_t first) const;
  double change_at(size_t position) const;
  double still_score() const;
  double large_change() const;
  void mark_lone_outlier(size_t position);
  bool begins_flicker(size_t position) const;
  bool is_flash(size_t position) const;
  double difference(const Entry& a, const Entry& b) const;
  void track_fade(const Entry& entry, std::vector<Moment>& out);
  void accept(Moment moment, std::vector<Moment>& out);

  DetectorSettings m_settings;
  double m_threshold;
  std::deque<Entry> m_window;   // history and lookahead around the picture being decided
  size_t m_next_to_decide = 0;  // position in m_window
  std::optional<double> m_last_detection_s;
  double m_last_decided_s = 0.0;
  double m_first_time_s = 0.0;
  bool m_seen_first = false;
  std::optional<Entry> m_black_start;
  bool m_seen_light = false;
  std::vector<PictureStats> m_stats;
};

// Measures how far apart the pictures are that a decoder sampled (reference pictures), to tell
// where the pictures between them must be decoded for the detector. A scene change between two
// pictures leaves them about as different as the change itself, and (for the adaptive detector)
// more different than their neighbours are per picture.
class ChangeMeter {
 public:
  explicit ChangeMeter(const DetectorSettings& settings);

  // The score of this picture against the one measured before (0 for the first); infinite when
  // --fades is on and one of the two is black and the other not.
  double measure(const cv::Mat& bgr, double time_s);
  // The features measure() computed for the picture at time_s, once; forgets those of earlier
  // pictures. Pictures come to the detector in the order they were measured.
  std::optional<FrameFeatures> take_features(double time_s);
  // Two sampled pictures closer than the rule's floor hold no moment between them, nor (adaptive
  // detector) when closer than `relative` times the mean score per picture on either side.
  StretchRule stretch_rule() const;

 private:
  static constexpr double kFloorShare = 0.5;
  static constexpr double kRelativeShare = 2.5 / 3.0;  // of the adaptive ratio threshold

  DetectorSettings m_settings;
  std::optional<FrameFeatures> m_previous;
  std::deque<std::pair<double, FrameFeatures>> m_measured;  // by time, not yet taken
};

// Detects every moment of a complete sequence of pictures (tests, small inputs).
std::vector<Moment> detect_all(SceneDetector& detector, const std::vector<cv::Mat>& pictures, double fps);

}  // namespace clipper::analysis
