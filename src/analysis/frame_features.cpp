#include "clipper/analysis/frame_features.hpp"

#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdlib>

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

// Per-pixel differences of two HSV pictures in one pass. Hue is an angle (0 and 255 are
// neighbours; half a turn counts 255, as the widest S or V change) and means nothing where there
// is little colour: each pixel's hue difference counts in proportion to the lesser saturation of
// the two, and so does its share of the score.
struct HsvDifference {
  double hue_weighted = 0.0;  // mean over all pixels of hue difference x saturation share
  double hue_share = 0.0;     // mean saturation share, 0 (grey) to 1
  double saturation = 0.0;    // mean absolute difference
  double value = 0.0;
};

HsvDifference hsv_difference(const std::array<cv::Mat, 3>& a, const std::array<cv::Mat, 3>& b) {
  for (size_t plane = 0; plane < a.size(); ++plane) {
    CV_Assert(a[plane].type() == CV_8UC1 && b[plane].type() == CV_8UC1 && a[plane].size() == b[plane].size());
  }
  uint64_t hue = 0, share = 0, saturation = 0, value = 0;
  for (int row = 0; row < a[0].rows; ++row) {
    const uint8_t* __restrict hue_a = a[0].ptr<uint8_t>(row);
    const uint8_t* __restrict hue_b = b[0].ptr<uint8_t>(row);
    const uint8_t* __restrict saturation_a = a[1].ptr<uint8_t>(row);
    const uint8_t* __restrict saturation_b = b[1].ptr<uint8_t>(row);
    const uint8_t* __restrict value_a = a[2].ptr<uint8_t>(row);
    const uint8_t* __restrict value_b = b[2].ptr<uint8_t>(row);
    // Sums of one row fit 32 bits for rows of up to 2^16 pixels; on planes, the compiler adds
    // many pixels at a time.
    uint32_t row_hue = 0, row_share = 0, row_saturation = 0, row_value = 0;
    for (int column = 0; column < a[0].cols; ++column) {
      const int turn = std::abs(hue_a[column] - hue_b[column]);
      const int weight = std::min(saturation_a[column], saturation_b[column]);
      row_hue += static_cast<uint32_t>(std::min(turn, 256 - turn) * weight);
      row_share += static_cast<uint32_t>(weight);
      row_saturation += static_cast<uint32_t>(std::abs(saturation_a[column] - saturation_b[column]));
      row_value += static_cast<uint32_t>(std::abs(value_a[column] - value_b[column]));
    }
    hue += row_hue;
    share += row_share;
    saturation += row_saturation;
    value += row_value;
  }
  const double pixels = std::max(1.0, static_cast<double>(a[0].total()));
  return {.hue_weighted = 2.0 * static_cast<double>(hue) / 255.0 / pixels,
          .hue_share = static_cast<double>(share) / 255.0 / pixels,
          .saturation = static_cast<double>(saturation) / pixels,
          .value = static_cast<double>(value) / pixels};
}

}  // namespace

FrameFeatures compute_features(const cv::Mat& bgr, const FeatureNeeds& needs) {
  FrameFeatures features;
  cv::Mat gray;
  cv::cvtColor(bgr, gray, cv::COLOR_BGR2GRAY);
  features.mean_luma = cv::mean(gray)[0];
  if (needs.hsv || needs.edges) {
    cv::Mat hsv;
    cv::cvtColor(bgr, hsv, cv::COLOR_BGR2HSV_FULL);
    cv::split(hsv, features.hsv.data());
    features.mean_value = cv::mean(features.hsv[2])[0];
  }
  if (needs.edges) features.edges = edge_map(features.hsv[2]);
  if (needs.luma_histogram) features.luma_histogram = luma_histograms(gray);
  return features;
}

ContentParts content_parts(const FrameFeatures& a, const FrameFeatures& b, const ContentWeights& weights) {
  const HsvDifference hsv = hsv_difference(a.hsv, b.hsv);
  const bool dark = std::min(a.mean_value, b.mean_value) < kDarkValue;
  const double hue_weight = dark ? 0.0 : weights.hue;
  const double saturation_weight = dark ? 0.0 : weights.saturation;
  ContentParts parts{.hue = dark || hsv.hue_share <= 0.0 ? 0.0 : hsv.hue_weighted / hsv.hue_share,
                     .saturation = dark ? 0.0 : hsv.saturation,
                     .value = hsv.value};
  double sum = hue_weight * hsv.hue_weighted + saturation_weight * parts.saturation + weights.value * parts.value;
  double total_weight = hue_weight * hsv.hue_share + saturation_weight + weights.value;
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
