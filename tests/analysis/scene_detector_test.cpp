#include "clipper/analysis/scene_detector.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <opencv2/imgproc.hpp>
#include <random>

namespace clipper::analysis {
namespace {

constexpr double kFps = 10.0;
const cv::Size kSize(160, 90);

cv::Mat solid(const cv::Scalar& bgr) { return cv::Mat(kSize, CV_8UC3, bgr); }

// A smooth pattern with structure in both directions; offset and zoom move it like a camera.
cv::Mat pattern(double offset_x, double zoom = 1.0, int seed = 0) {
  cv::Mat picture(kSize, CV_8UC3);
  for (int y = 0; y < kSize.height; ++y) {
    for (int x = 0; x < kSize.width; ++x) {
      const double u = (x - kSize.width / 2.0) / zoom + kSize.width / 2.0 + offset_x;
      const double v = (y - kSize.height / 2.0) / zoom + kSize.height / 2.0;
      picture.at<cv::Vec3b>(y, x) = cv::Vec3b(static_cast<uchar>(128 + 100 * std::sin(u / 9.0 + seed)),
                                              static_cast<uchar>(128 + 100 * std::cos(v / 7.0 + seed)),
                                              static_cast<uchar>(128 + 90 * std::sin((u + v) / 13.0 + 2 * seed)));
    }
  }
  return picture;
}

std::vector<cv::Mat> segments(const std::vector<std::pair<cv::Scalar, int>>& colours_and_lengths) {
  std::vector<cv::Mat> pictures;
  for (const auto& [colour, length] : colours_and_lengths) {
    for (int i = 0; i < length; ++i) pictures.push_back(solid(colour));
  }
  return pictures;
}

std::vector<long> frames_of(const std::vector<Moment>& moments) {
  std::vector<long> frames;
  for (const Moment& moment : moments) frames.push_back(moment.frame);
  return frames;
}

std::vector<long> detect(DetectorSettings settings, const std::vector<cv::Mat>& pictures) {
  SceneDetector detector(settings);
  return frames_of(detect_all(detector, pictures, kFps));
}

const std::vector<DetectorKind> kAllDetectors = {DetectorKind::adaptive, DetectorKind::content,
                                                 DetectorKind::histogram};

class SceneDetectorTest : public ::testing::TestWithParam<DetectorKind> {
 protected:
  DetectorSettings settings() const { return {.kind = GetParam()}; }
};

TEST_P(SceneDetectorTest, FindsEveryCutAtItsExactFrame) {
  const auto pictures = segments({{{40, 40, 200}, 17}, {{200, 60, 30}, 12}, {{30, 180, 60}, 25}, {{230, 230, 230}, 9}});
  EXPECT_EQ(detect(settings(), pictures), (std::vector<long>{17, 29, 54}));
}

TEST_P(SceneDetectorTest, FindsCutsBetweenMovingPictures) {
  std::vector<cv::Mat> pictures;
  for (int i = 0; i < 20; ++i) pictures.push_back(pattern(i * 2.0, 1.0, 0));
  for (int i = 0; i < 20; ++i) pictures.push_back(pattern(i * 2.0, 1.0, 3) * 0.5);
  for (int i = 0; i < 20; ++i) pictures.push_back(solid({20, 90, 160}));
  EXPECT_EQ(detect(settings(), pictures), (std::vector<long>{20, 40}));
}

TEST_P(SceneDetectorTest, PanningIsNotACut) {
  std::vector<cv::Mat> pictures;
  for (int i = 0; i < 40; ++i) pictures.push_back(pattern(i * 3.0));
  EXPECT_TRUE(detect(settings(), pictures).empty());
}

TEST_P(SceneDetectorTest, ZoomingIsNotACut) {
  std::vector<cv::Mat> pictures;
  for (int i = 0; i < 40; ++i) pictures.push_back(pattern(0.0, 1.0 + 0.03 * i));
  EXPECT_TRUE(detect(settings(), pictures).empty());
}

TEST_P(SceneDetectorTest, ShortWhiteFlashIsNotACut) {
  for (int flash_length : {1, 2}) {
    SCOPED_TRACE(flash_length);
    std::vector<cv::Mat> pictures;
    for (int i = 0; i < 40; ++i) {
      const bool flash = i >= 20 && i < 20 + flash_length;
      pictures.push_back(flash ? solid({255, 255, 255}) : pattern(i * 1.0));
    }
    EXPECT_TRUE(detect(settings(), pictures).empty());
  }
}

TEST_P(SceneDetectorTest, FirstPictureIsNeverAMoment) {
  const auto pictures = segments({{{0, 0, 255}, 1}, {{200, 200, 200}, 20}});
  const auto frames = detect({.kind = GetParam(), .min_scene_s = 0.0}, pictures);
  EXPECT_EQ(frames, (std::vector<long>{1}));
}

INSTANTIATE_TEST_SUITE_P(AllDetectors, SceneDetectorTest, ::testing::ValuesIn(kAllDetectors),
                         [](const auto& param_info) { return std::string(detector_name(param_info.param)); });

double content_between(const cv::Mat& a, const cv::Mat& b) {
  return content_score(compute_features(a, {}), compute_features(b, {}), {});
}

TEST(AdaptiveDetectorTest, NoiseFlickerIsNotACut) {
  std::mt19937 random(5);
  std::vector<cv::Mat> pictures;
  for (int i = 0; i < 40; ++i) {
    cv::Mat picture = pattern(0.0);
    cv::Mat noise(kSize, CV_8UC3);
    cv::randn(noise, cv::Scalar::all(0), cv::Scalar::all(40));
    cv::add(picture, noise, picture);
    pictures.push_back(picture);
  }
  EXPECT_TRUE(detect({.kind = DetectorKind::adaptive}, pictures).empty());
  EXPECT_TRUE(detect({.kind = DetectorKind::content, .threshold = 10.0, .min_scene_s = 0.0}, pictures).empty())
      << "no change stands out from the others";
  double largest = 0.0;
  for (size_t i = 0; i + 1 < pictures.size(); ++i) largest = std::max(largest, content_between(pictures[i], pictures[i + 1]));
  EXPECT_GT(largest, 15.0) << "the noise must be strong enough to pass a plain content threshold";
}

// Grey pictures whose faint tint swings with sensor or encoder noise: their hue jumps around the
// circle, but at a saturation of a few units it means nothing.
TEST(ContentScoreTest, TintNoiseInGreyPicturesIsNoChange) {
  std::mt19937 random(3);
  std::uniform_int_distribution<int> tint(-3, 3);
  std::vector<cv::Mat> pictures;
  for (int i = 0; i < 40; ++i) {
    cv::Mat picture = solid(cv::Scalar(120 + tint(random), 120 + tint(random), 120 + tint(random)));
    cv::Mat noise(kSize, CV_8UC3);
    cv::randn(noise, cv::Scalar::all(0), cv::Scalar::all(2));
    cv::add(picture, noise, picture);
    pictures.push_back(picture);
  }
  for (size_t i = 1; i < pictures.size(); ++i) EXPECT_LT(content_between(pictures[i - 1], pictures[i]), 10.0) << i;
  for (DetectorKind kind : kAllDetectors) {
    EXPECT_TRUE(detect({.kind = kind}, pictures).empty()) << detector_name(kind);
  }
}

TEST(ContentScoreTest, CutsBetweenGreyScenesAndBetweenHuesStillScoreHigh) {
  EXPECT_GT(content_between(solid({120, 120, 120}), solid({40, 40, 40})), 27.0);
  EXPECT_GT(content_between(solid({200, 40, 40}), solid({40, 40, 200})), 27.0);  // blue to red
  cv::Mat grey_layout = solid({160, 160, 160});  // as bright on average as the grey before it
  cv::rectangle(grey_layout, {0, 0}, {kSize.width / 2, kSize.height}, cv::Scalar::all(20), cv::FILLED);
  EXPECT_GT(content_between(solid({90, 90, 90}), grey_layout), 27.0);
}

// Hue is an angle: the reds on either side of 0 are neighbours.
TEST(ContentScoreTest, HueWrapsAround) {
  cv::Mat a, b;
  cv::cvtColor(cv::Mat(kSize, CV_8UC3, cv::Scalar(2, 200, 200)), a, cv::COLOR_HSV2BGR_FULL);
  cv::cvtColor(cv::Mat(kSize, CV_8UC3, cv::Scalar(253, 200, 200)), b, cv::COLOR_HSV2BGR_FULL);
  EXPECT_LT(content_between(a, b), 5.0);
}

// Two scenes of moving pictures, the cut at `cut`; the second is paler, so that luma histograms
// tell it from the first, also when that one is darkened.
std::vector<cv::Mat> moving_scenes(int length, int cut) {
  std::vector<cv::Mat> pictures;
  for (int i = 0; i < length; ++i) pictures.push_back(i < cut ? pattern(3.0 * i, 1.0, 0) : pattern(3.0 * i, 1.0, 3) * 0.5 + cv::Scalar::all(110));
  return pictures;
}

// A black band over one picture 3 before the cut, green bars over one 2 after it: both raise the
// neighbourhood the cut is compared with. The cut is found, the damaged pictures are not moments.
TEST_P(SceneDetectorTest, ACutBesideDamagedPicturesIsFound) {
  std::vector<cv::Mat> pictures = moving_scenes(40, 20);
  cv::rectangle(pictures[17], {0, kSize.height / 3}, {kSize.width, 2 * kSize.height / 3}, cv::Scalar::all(0),
                cv::FILLED);
  for (int x = 0; x < kSize.width; x += 16) {
    cv::rectangle(pictures[22], {x, 0}, {x + 8, kSize.height}, cv::Scalar(0, 255, 0), cv::FILLED);
  }
  EXPECT_EQ(detect(settings(), pictures), std::vector<long>{20});
}

// 12 pictures a second shown at 25: each picture twice, now and then three times; the motion comes
// in steps between still pairs. Not a moment.
TEST_P(SceneDetectorTest, LowFrameRateAnimationRepeatedToAHigherRateIsNotACut) {
  std::vector<cv::Mat> pictures;
  for (int shown = 0; shown < 75; ++shown) pictures.push_back(pattern(6.0 * (shown * 12 / 25)));
  EXPECT_TRUE(detect(settings(), pictures).empty());
}

// Light flickering bright and dark picture by picture, then a hard cut: the cut is found, the
// flicker is not a moment, nor is the moment it starts.
TEST_P(SceneDetectorTest, ACutRightAfterFlickeringLightIsFound) {
  std::vector<cv::Mat> pictures = moving_scenes(40, 20);
  for (int i = 8; i < 20; ++i) {
    if (i % 2 == 0) pictures[i] = pictures[i] * 0.4;
  }
  EXPECT_EQ(detect(settings(), pictures), std::vector<long>{20});
}

// A picture with a field of each scene (an interlaced cut between its two fields) or a blend of
// both (frame-rate conversion) between two scenes: the change comes in two steps that add up, each
// large beside the other. One moment, at the mixed picture, the first to show the new scene.
TEST_P(SceneDetectorTest, ACutThroughOneMixedPictureIsFound) {
  for (const bool fields : {true, false}) {
    SCOPED_TRACE(fields ? "a field of each scene" : "a blend of both scenes");
    std::vector<cv::Mat> pictures = moving_scenes(40, 21);
    const cv::Mat& before = pictures[19];
    const cv::Mat& after = pictures[21];
    cv::Mat mixed = before.clone();
    if (fields) {
      for (int y = 1; y < kSize.height; y += 2) after.row(y).copyTo(mixed.row(y));
    } else {
      cv::addWeighted(before, 0.5, after, 0.5, 0.0, mixed);
    }
    pictures[20] = mixed;
    EXPECT_EQ(detect(settings(), pictures), std::vector<long>{20});
  }
}

// A pan so fast that each picture differs from the one before as much as at a cut: the changes do
// not stand out from each other.
TEST_P(SceneDetectorTest, AWhipPanIsNotACut) {
  std::vector<cv::Mat> pictures;
  for (int i = 0; i < 40; ++i) pictures.push_back(pattern(i < 15 ? 0.0 : 40.0 * (i - 15), 1.0, 0));
  ASSERT_GT(content_between(pictures[20], pictures[21]), DetectorSettings{}.adaptive_min_content * 2);
  EXPECT_TRUE(detect(settings(), pictures).empty());
}

// One scene dissolves into another over 15 pictures.
TEST_P(SceneDetectorTest, ADissolveIsNotACut) {
  std::vector<cv::Mat> pictures;
  for (int i = 0; i < 45; ++i) {
    const double mix = std::clamp((i - 15) / 15.0, 0.0, 1.0);
    cv::Mat picture;
    cv::addWeighted(pattern(i, 1.0, 0), 1.0 - mix, pattern(i, 1.0, 3), mix, 0.0, picture);
    pictures.push_back(picture);
  }
  EXPECT_TRUE(detect(settings(), pictures).empty());
}

// Two shots of one palette, one the other's mirror: their luma histograms are the same, those of
// their quarters are not.
TEST(HistogramScoreTest, TheSamePaletteInAnotherLayoutIsAChange) {
  cv::Mat shot = solid({40, 40, 40});
  cv::rectangle(shot, {kSize.width / 2, 0}, {kSize.width, kSize.height}, cv::Scalar::all(200), cv::FILLED);
  cv::Mat mirrored;
  cv::flip(shot, mirrored, 1);
  const FeatureNeeds needs{.hsv = false, .luma_histogram = true};
  EXPECT_GT(histogram_score(compute_features(shot, needs), compute_features(mirrored, needs)), 0.4);
  EXPECT_LT(histogram_score(compute_features(shot, needs), compute_features(shot, needs)), 1e-6);
  std::vector<cv::Mat> pictures(20, shot);
  pictures.insert(pictures.end(), 20, mirrored);
  EXPECT_EQ(detect({.kind = DetectorKind::histogram}, pictures), std::vector<long>{20});
}

// Cuts 0.6 s apart, each between still pictures, with a minimum scene of 1 s: one moment.
TEST(MinSceneTest, BurstOfDetectionsIsOneMoment) {
  const auto pictures = segments({{{0, 0, 255}, 10}, {{255, 0, 0}, 6}, {{0, 255, 0}, 6}, {{40, 40, 40}, 20}});
  EXPECT_EQ(detect({.kind = DetectorKind::content, .min_scene_s = 1.0}, pictures), (std::vector<long>{10}));
  EXPECT_EQ(detect({.kind = DetectorKind::content, .min_scene_s = 0.0}, pictures), (std::vector<long>{10, 16, 22}));
}

// Motion in steps with still pictures between them (animation on threes and fours, a fine pattern
// that moves a pixel now and then): each step is a large change between still pictures, like a
// cut, but there are steps on both sides of it. Not a moment.
TEST_P(SceneDetectorTest, MotionInStepsIsNotACut) {
  std::vector<cv::Mat> pictures;
  int step = 0;
  for (int shown = 0; shown < 60; ++shown) {
    if (shown % 7 == 0 || shown % 7 == 3) ++step;  // steps 3 and 4 pictures apart
    pictures.push_back(pattern(12.0 * step));
  }
  EXPECT_TRUE(detect(settings(), pictures).empty());
}

TEST(MinSceneTest, CutTooCloseToTheStartIsDropped) {
  const auto pictures = segments({{{0, 0, 255}, 4}, {{255, 0, 0}, 20}});
  EXPECT_TRUE(detect({.kind = DetectorKind::content, .min_scene_s = 0.6}, pictures).empty());
}

// A moving picture fades to black over 20 pictures, stays black, and a new one fades in.
std::vector<cv::Mat> fade_through_black() {
  std::vector<cv::Mat> pictures;
  for (int i = 0; i < 15; ++i) pictures.push_back(pattern(i, 1.0, 0));
  for (int i = 1; i <= 20; ++i) pictures.push_back(pattern(15 + i, 1.0, 0) * (1.0 - i / 20.0));  // 15-34
  for (int i = 0; i < 6; ++i) pictures.push_back(solid({0, 0, 0}));                              // 35-40
  for (int i = 1; i <= 20; ++i) pictures.push_back(pattern(i, 1.0, 3) * (i / 20.0));             // 41-60
  for (int i = 0; i < 15; ++i) pictures.push_back(pattern(20 + i, 1.0, 3));
  return pictures;
}

double mean_luma(const cv::Mat& bgr) {
  cv::Mat gray;
  cv::cvtColor(bgr, gray, cv::COLOR_BGR2GRAY);
  return cv::mean(gray)[0];
}

TEST(FadeTest, FadesAreMomentsOnlyWhenAskedFor) {
  const auto pictures = fade_through_black();
  // The black stretch runs from the first picture at or below the fade luma to the last.
  long first_dark = -1;
  long first_light_after = -1;
  for (size_t i = 0; i < pictures.size(); ++i) {
    const bool dark = mean_luma(pictures[i]) <= DetectorSettings{}.fade_luma;
    if (dark && first_dark < 0) first_dark = static_cast<long>(i);
    if (!dark && first_dark >= 0 && first_light_after < 0) first_light_after = static_cast<long>(i);
  }
  ASSERT_GT(first_dark, 30);
  ASSERT_GT(first_light_after, 41);
  for (DetectorKind kind : kAllDetectors) {
    SCOPED_TRACE(std::string(detector_name(kind)));
    EXPECT_TRUE(detect({.kind = kind}, pictures).empty());
    SceneDetector detector({.kind = kind, .fades = true});
    const auto moments = detect_all(detector, pictures, kFps);
    ASSERT_EQ(moments.size(), 1u);
    EXPECT_TRUE(moments[0].fade);
    EXPECT_EQ(moments[0].frame, (first_dark + first_light_after) / 2);
    EXPECT_NEAR(moments[0].time_s, static_cast<double>(moments[0].frame) / kFps, 1e-9);
  }
}

TEST(DetectorTest, SettledTimeNeverPassesAnUndecidedPicture) {
  SceneDetector detector({.kind = DetectorKind::content});
  const auto pictures = segments({{{0, 0, 255}, 10}, {{255, 0, 0}, 10}});
  for (size_t i = 0; i < pictures.size(); ++i) {
    const auto found = detector.push(pictures[i], static_cast<long>(i), static_cast<double>(i) / kFps);
    for (const Moment& moment : found) EXPECT_LE(moment.time_s, detector.settled_time_s());
    EXPECT_LE(detector.settled_time_s(), static_cast<double>(i) / kFps);
  }
}

TEST(DetectorTest, NamesAndDefaults) {
  EXPECT_EQ(parse_detector("histogram"), DetectorKind::histogram);
  EXPECT_FALSE(parse_detector("magic"));
  EXPECT_DOUBLE_EQ(default_threshold(DetectorKind::content), 27.0);
  EXPECT_DOUBLE_EQ(default_threshold(DetectorKind::adaptive), 3.0);
}

TEST(DetectorTest, RepeatedPicturesAreNumberedAndNeverMoments) {
  SceneDetector detector({});
  std::vector<Moment> moments;
  const cv::Mat red = solid({40, 40, 200});
  const cv::Mat green = solid({30, 180, 60});
  for (long frame = 0; frame < 30; ++frame) {
    const double time_s = static_cast<double>(frame) / kFps;
    // Only every third picture is given; the others repeat it, as between reference pictures.
    auto found =
        frame % 3 != 0 ? detector.repeat(frame, time_s) : detector.push(frame < 15 ? red : green, frame, time_s);
    moments.insert(moments.end(), found.begin(), found.end());
  }
  auto rest = detector.finish();
  moments.insert(moments.end(), rest.begin(), rest.end());
  EXPECT_EQ(frames_of(moments), std::vector<long>{15});
}

TEST(ChangeMeterTest, StretchesNeedHalfTheLeastScoreOfAMoment) {
  EXPECT_DOUBLE_EQ(ChangeMeter({.kind = DetectorKind::adaptive}).stretch_rule().floor, 7.5);
  EXPECT_DOUBLE_EQ(ChangeMeter({.kind = DetectorKind::adaptive}).stretch_rule().relative, 2.5);
  EXPECT_DOUBLE_EQ(ChangeMeter({.kind = DetectorKind::adaptive, .threshold = 2.4}).stretch_rule().relative, 2.0);
  EXPECT_DOUBLE_EQ(ChangeMeter({.kind = DetectorKind::content}).stretch_rule().floor, 13.5);
  EXPECT_DOUBLE_EQ(ChangeMeter({.kind = DetectorKind::content, .threshold = 40.0}).stretch_rule().floor, 20.0);
  EXPECT_DOUBLE_EQ(ChangeMeter({.kind = DetectorKind::content}).stretch_rule().relative, 0.0);
  EXPECT_DOUBLE_EQ(ChangeMeter({.kind = DetectorKind::histogram}).stretch_rule().floor, 0.2);
}

TEST(ChangeMeterTest, MeasuresAgainstThePreviousPictureAndFadesAreAlwaysChanges) {
  const cv::Mat black = solid({0, 0, 0});
  const cv::Mat dim = solid({40, 40, 40});
  ChangeMeter plain({});
  EXPECT_EQ(plain.measure(dim, 0.0), 0.0);
  const double dim_to_black = plain.measure(black, 0.1);
  EXPECT_GT(dim_to_black, 0.0);
  EXPECT_TRUE(std::isfinite(dim_to_black));
  EXPECT_EQ(plain.measure(black, 0.2), 0.0);

  ChangeMeter fades({.fades = true});
  fades.measure(dim, 0.0);
  EXPECT_TRUE(std::isinf(fades.measure(black, 0.1)));
  EXPECT_EQ(fades.measure(black, 0.2), 0.0);
}

TEST(ChangeMeterTest, FeaturesAreHandedOverOnceInOrder) {
  ChangeMeter meter({});
  meter.measure(solid({40, 40, 200}), 0.0);
  meter.measure(solid({30, 180, 60}), 0.2);
  meter.measure(solid({200, 60, 30}), 0.4);
  EXPECT_FALSE(meter.take_features(0.1));  // a picture that was not measured
  const auto second = meter.take_features(0.2);
  ASSERT_TRUE(second);
  const FrameFeatures expected = compute_features(solid({30, 180, 60}), {});
  for (size_t plane = 0; plane < expected.hsv.size(); ++plane) {
    ASSERT_FALSE(second->hsv[plane].empty()) << "plane " << plane;  // two empty planes would compare equal
    EXPECT_EQ(cv::norm(second->hsv[plane], expected.hsv[plane]), 0.0) << "plane " << plane;
  }
  EXPECT_FALSE(meter.take_features(0.2));  // once
  EXPECT_TRUE(meter.take_features(0.4));
}

}  // namespace
}  // namespace clipper::analysis
