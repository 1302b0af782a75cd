#pragma once
// How scene changes are told apart: which detector, its threshold and its parts. Plain values, no
// OpenCV: the command line sets them without pulling in the analysis itself.
#include <optional>
#include <string_view>

namespace clipper::analysis {

struct ContentWeights {
  double hue = 1.0;
  double saturation = 1.0;
  double value = 1.0;
  double edges = 0.0;
};

enum class DetectorKind { adaptive, content, histogram };

std::optional<DetectorKind> parse_detector(std::string_view name);
std::string_view detector_name(DetectorKind kind);
// The threshold each detector uses when none is given: 3.0 (adaptive ratio), 27 (content), 0.4 (histogram).
double default_threshold(DetectorKind kind);

struct DetectorSettings {
  DetectorKind kind = DetectorKind::adaptive;
  std::optional<double> threshold{};  // default_threshold(kind) when empty
  double min_scene_s = 0.6;
  bool fades = false;
  double fade_luma = 16.0;  // mean luma at or below which a picture is black
  double adaptive_min_content = 15.0;
  ContentWeights weights{};
  bool stats = false;  // keep a PictureStats row for every picture (SceneDetector::take_stats)
};

}  // namespace clipper::analysis
