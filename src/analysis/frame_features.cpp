#include "clipper/analysis/frame_features.hpp"

#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <cmath>

namespace clipper::analysis {
namespace {

constexpr int kHistogramBins = 64;
constexpr int kQuarters = 4;
// Below this mean value (brightest channel), hue and saturation are mostly quantisation noise: a fade out of black
// jumps from "no colour" to full saturation in one step.
constexpr double kDarkValue = 32.0;

cv::Mat edge_map(const cv::Mat& value) {
  cv::Mat edges;
  cv::Canny(value, edges, 80, 160);
  cv::dilate(edges, edges, cv::getStructuringElement(cv::MORPH_RECT, {3, 3}));
  return edges;
}

cv::Mat histogram_of(const cv::Mat& gray) {
  cv::Mat histogram;
  const int channels[] = {0};
  const int bins[] = {kHistogramBins};
  const float range[] = {0.0f, 256.0f};
  const float* ranges[] = {range};
  cv::calcHist(&gray, 1, channels, cv::Mat(), histogram, 1, bins, ranges);
  return histogram;
}

// One histogram per quarter of the picture, side by side: two shots of one palette in another
// layout (a mirrored shot, light from the other side) have alike histograms but not alike quarters.
cv::Mat luma_histograms(const cv::Mat& gray) {
  const int half_width = gray.cols / 2;
  const int half_height = gray.rows / 2;
  cv::Mat histograms(kHistogramBins, kQuarters, CV_32F);
  for (int quarter = 0; quarter < kQuarters; ++quarter) {
    const cv::Rect area((quarter % 2) * half_width, (quarter / 2) * half_height, half_width, half_height);
    histogram_of(gray(area)).copyTo(histograms.col(quarter));
  }
  return histograms;
}

double mean_abs_difference(const cv::Mat& a, const cv::Mat& b) {
  cv::Mat difference;
  cv::absdiff(a, b, difference);
  return cv::mean(difference)[0];
}

// Hue is an angle (0 and 255 are neighbours; half a turn counts 255, as the widest S or V change)
// and means nothing where there is little colour: each pixel's hue difference counts in
// proportion to the lesser saturation of the two, and so does its share of the score.
struct HueDifference {
  double weighted = 0.0;  // mean over all pixels of difference x saturation share
  double share = 0.0;     // mean saturation share, 0 (grey) to 1
};

HueDifference hue_difference(const cv::Mat& hsv_a, const cv::Mat& hsv_b) {
  cv::Mat hue_a, hue_b, saturation_a, saturation_b;
  cv::extractChannel(hsv_a, hue_a, 0);
  cv::extractChannel(hsv_b, hue_b, 0);
  cv::extractChannel(hsv_a, saturation_a, 1);
  cv::extractChannel(hsv_b, saturation_b, 1);
  cv::Mat difference, around;
  cv::absdiff(hue_a, hue_b, difference);
  cv::subtract(cv::Scalar(256), difference, around, cv::noArray(), CV_16U);
  around.convertTo(around, CV_8U);  // 256 saturates to 255 where the hues are equal; the min ignores it
  cv::min(difference, around, difference);
  cv::Mat weight, weighted;
  cv::min(saturation_a, saturation_b, weight);
  cv::multiply(difference, weight, weighted, 2.0 / 255.0, CV_32F);
  return {.weighted = cv::mean(weighted)[0], .share = cv::mean(weight)[0] / 255.0};
}

}  // namespace

FrameFeatures compute_features(const cv::Mat& bgr, const FeatureNeeds& needs) {
  FrameFeatures features;
  cv::Mat gray;
  cv::cvtColor(bgr, gray, cv::COLOR_BGR2GRAY);
  features.mean_luma = cv::mean(gray)[0];
  if (needs.hsv || needs.edges) {
    cv::cvtColor(bgr, features.hsv, cv::COLOR_BGR2HSV_FULL);
    features.mean_value = cv::mean(features.hsv)[2];
  }
  if (needs.edges) {
    cv::Mat value;
    cv::extractChannel(features.hsv, value, 2);
    features.edges = edge_map(value);
  }
  if (needs.luma_histogram) features.luma_histogram = luma_histograms(gray);
  return features;
}

ContentParts content_parts(const FrameFeatures& a, const FrameFeatures& b, const ContentWeights& weights) {
  cv::Mat difference;
  cv::absdiff(a.hsv, b.hsv, difference);
  const cv::Scalar per_channel = cv::mean(difference);
  const bool dark = std::min(a.mean_value, b.mean_value) < kDarkValue;
  const double hue_weight = dark ? 0.0 : weights.hue;
  const double saturation_weight = dark ? 0.0 : weights.saturation;
  const HueDifference hue = hue_weight > 0.0 ? hue_difference(a.hsv, b.hsv) : HueDifference{};
  ContentParts parts{.hue = hue.share > 0.0 ? hue.weighted / hue.share : 0.0,
                     .saturation = dark ? 0.0 : per_channel[1],
                     .value = per_channel[2]};
  double sum = hue_weight * hue.weighted + saturation_weight * parts.saturation + weights.value * parts.value;
  double total_weight = hue_weight * hue.share + saturation_weight + weights.value;
  if (weights.edges > 0.0 && !a.edges.empty() && !b.edges.empty()) {
    parts.edges = mean_abs_difference(a.edges, b.edges);
    sum += weights.edges * parts.edges;
    total_weight += weights.edges;
  }
  parts.score = total_weight > 0.0 ? sum / total_weight : 0.0;
  return parts;
}

double content_score(const FrameFeatures& a, const FrameFeatures& b, const ContentWeights& weights) {
  return content_parts(a, b, weights).score;
}

// Near black the histogram is a spike that jumps bins at every step of a fade: the change of
// brightness, on the same 0-2 scale, says more there.
double histogram_score(const FrameFeatures& a, const FrameFeatures& b) {
  if (std::min(a.mean_luma, b.mean_luma) < kDarkValue) return std::fabs(a.mean_luma - b.mean_luma) / 128.0;
  double correlation = 0.0;
  for (int quarter = 0; quarter < kQuarters; ++quarter) {
    correlation += cv::compareHist(a.luma_histogram.col(quarter).clone(), b.luma_histogram.col(quarter).clone(),
                                   cv::HISTCMP_CORREL);
  }
  return 1.0 - correlation / kQuarters;
}

}  // namespace clipper::analysis
