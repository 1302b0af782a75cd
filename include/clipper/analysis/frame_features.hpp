#pragma once
// What the detectors compare between pictures, computed once per picture from a small BGR image.
#include <opencv2/core.hpp>

#include <array>

#include "clipper/analysis/detector_settings.hpp"

namespace clipper::analysis {

struct FeatureNeeds {
  bool hsv = true;
  bool edges = false;
  bool luma_histogram = false;
};

struct FrameFeatures {
  std::array<cv::Mat, 3> hsv;  // hue, saturation and value planes, CV_8UC1; empty unless needed
  cv::Mat edges;               // CV_8UC1, 0 or 255, empty unless needed
  cv::Mat luma_histogram;      // CV_32F, 64 bins x 4 quarters of the picture, empty unless needed
  double mean_luma = 0.0;      // 0-255
  double mean_value = 0.0;     // HSV value (brightest channel), 0-255; 0 without hsv
};

FrameFeatures compute_features(const cv::Mat& bgr, const FeatureNeeds& needs);

// The content score and what it is made of: mean absolute differences, 0-255 (hue as an angle and
// weighted by saturation; hue and saturation 0 where either picture is dark).
struct ContentParts {
  double hue = 0.0;
  double saturation = 0.0;
  double value = 0.0;
  double edges = 0.0;
  double score = 0.0;  // their weighted mean
};
ContentParts content_parts(const FrameFeatures& a, const FrameFeatures& b, const ContentWeights& weights);
double content_score(const FrameFeatures& a, const FrameFeatures& b, const ContentWeights& weights);

// 1 - correlation of the luma histograms, averaged over the 4 quarters of the picture: 0 for the
// same distributions, up to 2.
double histogram_score(const FrameFeatures& a, const FrameFeatures& b);

}  // namespace clipper::analysis
