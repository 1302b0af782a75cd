#include "clipper/analysis/frame_features.hpp"

#include <opencv2/imgproc.hpp>

namespace clipper::analysis {
namespace {

constexpr int kHistogramBins = 64;

cv::Mat edge_map(const cv::Mat& value) {
  cv::Mat edges;
  cv::Canny(value, edges, 80, 160);
  cv::dilate(edges, edges, cv::getStructuringElement(cv::MORPH_RECT, {3, 3}));
  return edges;
}

cv::Mat luma_histogram(const cv::Mat& gray) {
  cv::Mat histogram;
  const int channels[] = {0};
  const int bins[] = {kHistogramBins};
  const float range[] = {0.0f, 256.0f};
  const float* ranges[] = {range};
  cv::calcHist(&gray, 1, channels, cv::Mat(), histogram, 1, bins, ranges);
  return histogram;
}

double mean_abs_difference(const cv::Mat& a, const cv::Mat& b) {
  cv::Mat difference;
  cv::absdiff(a, b, difference);
  return cv::mean(difference)[0];
}

}  // namespace

FrameFeatures compute_features(const cv::Mat& bgr, const FeatureNeeds& needs) {
  FrameFeatures features;
  cv::Mat gray;
  cv::cvtColor(bgr, gray, cv::COLOR_BGR2GRAY);
  features.mean_luma = cv::mean(gray)[0];
  if (needs.hsv || needs.edges) cv::cvtColor(bgr, features.hsv, cv::COLOR_BGR2HSV_FULL);
  if (needs.edges) {
    cv::Mat value;
    cv::extractChannel(features.hsv, value, 2);
    features.edges = edge_map(value);
  }
  if (needs.luma_histogram) features.luma_histogram = luma_histogram(gray);
  return features;
}

double content_score(const FrameFeatures& a, const FrameFeatures& b, const ContentWeights& weights) {
  cv::Mat difference;
  cv::absdiff(a.hsv, b.hsv, difference);
  const cv::Scalar per_channel = cv::mean(difference);
  double sum = weights.hue * per_channel[0] + weights.saturation * per_channel[1] + weights.value * per_channel[2];
  double total_weight = weights.hue + weights.saturation + weights.value;
  if (weights.edges > 0.0 && !a.edges.empty() && !b.edges.empty()) {
    sum += weights.edges * mean_abs_difference(a.edges, b.edges);
    total_weight += weights.edges;
  }
  return total_weight > 0.0 ? sum / total_weight : 0.0;
}

double histogram_score(const FrameFeatures& a, const FrameFeatures& b) {
  return 1.0 - cv::compareHist(a.luma_histogram, b.luma_histogram, cv::HISTCMP_CORREL);
}

}  // namespace clipper::analysis
