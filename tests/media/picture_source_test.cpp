#include "clipper/media/picture_source.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <limits>
#include <memory>
#include <set>

#include "clipper/util/error.hpp"

extern "C" {
#include <libavutil/frame.h>
}

#include "synthetic_video.hpp"
#include "temp_dir.hpp"

namespace clipper::media {
namespace {

struct Taken {
  long index = 0;
  double time_s = 0.0;
  bool repeated = false;
  std::vector<uint8_t> bgr;
};

struct Decoding {
  std::vector<Taken> pictures;
  PictureCounts counts;
};

std::vector<uint8_t> bytes_of(const Picture& picture) {
  std::vector<uint8_t> bytes;
  for (int row = 0; row < picture.size.height; ++row) {
    const uint8_t* start = picture.bgr + static_cast<ptrdiff_t>(row) * picture.stride;
    bytes.insert(bytes.end(), start, start + picture.size.width * 3);
  }
  return bytes;
}

// Mean absolute difference of the bytes of each reference picture from the one before.
ChangeTest byte_change_test(double floor) {
  auto previous = std::make_shared<std::vector<uint8_t>>();
  return {
      .difference =
          [previous](const Picture& reference) {
            std::vector<uint8_t> bytes = bytes_of(reference);
            double sum = 0.0;
            if (previous->size() == bytes.size()) {
              for (size_t i = 0; i < bytes.size(); ++i) sum += std::abs(bytes[i] - (*previous)[i]);
            }
            *previous = std::move(bytes);
            return sum / static_cast<double>(previous->size());
          },
      .may_change = [floor](const Stretch& stretch, const auto&, const auto&) { return stretch.difference >= floor; }};
}

Decoding take_all(const std::filesystem::path& path, bool every_picture, double floor = 30.0,
                  const PictureDecodeOptions& decode = {}) {
  PictureSource source(path, {.decode = decode, .every_picture = every_picture}, byte_change_test(floor));
  Decoding run;
  SourcePicture next;
  while (source.next(next)) {
    run.pictures.push_back({.index = next.picture.index,
                            .time_s = next.picture.time_s,
                            .repeated = next.repeated,
                            .bgr = bytes_of(next.picture)});
  }
  run.counts = source.counts();
  return run;
}

std::set<long> decoded_indices(const Decoding& run) {
  std::set<long> indices;
  for (const Taken& picture : run.pictures) {
    if (!picture.repeated) indices.insert(picture.index);
  }
  return indices;
}

void expect_same_numbers_and_times(const Decoding& run, const Decoding& every) {
  ASSERT_EQ(run.pictures.size(), every.pictures.size());
  for (size_t i = 0; i < run.pictures.size(); ++i) {
    EXPECT_EQ(run.pictures[i].index, static_cast<long>(i));
    EXPECT_DOUBLE_EQ(run.pictures[i].time_s, every.pictures[i].time_s) << "picture " << i;
  }
}

// A decoded picture is the very picture decoding every one gives; a repeat copies the one before.
void expect_decoded_or_repeated(const Decoding& run, const Decoding& every) {
  ASSERT_EQ(run.pictures.size(), every.pictures.size());
  for (size_t i = 0; i < run.pictures.size(); ++i) {
    const std::vector<uint8_t>& expected = run.pictures[i].repeated ? run.pictures[i - 1].bgr : every.pictures[i].bgr;
    EXPECT_EQ(run.pictures[i].bgr, expected) << "picture " << i;
  }
}

struct BFrameFormat {
  const char* name;
  const char* codec_options;
};

class ReferenceFirstTest : public ::testing::TestWithParam<BFrameFormat> {
 protected:
  testing::TempDir m_dir;
};

// Without scene-cut detection in the encoder, cuts fall on B pictures, some of them not references.
INSTANTIATE_TEST_SUITE_P(
    BFrames, ReferenceFirstTest,
    ::testing::Values(
        BFrameFormat{"h264-pyramid.mp4",
                     "-c:v libx264 -preset veryfast -x264-params scenecut=0:keyint=30:bframes=3:b-pyramid=normal"},
        BFrameFormat{"h264-flat.mkv",
                     "-c:v libx264 -preset veryfast -x264-params scenecut=0:keyint=30:bframes=3:b-pyramid=none"},
        BFrameFormat{"hevc-open-gop.mp4",
                     "-c:v libx265 -preset veryfast -x265-params scenecut=0:keyint=30:bframes=3:log-level=error"}),
    [](const auto& param_info) {
      std::string name = param_info.param.name;
      std::replace_if(
          name.begin(), name.end(), [](char c) { return !std::isalnum(static_cast<unsigned char>(c)); }, '_');
      return name;
    });

TEST_P(ReferenceFirstTest, DecodesFewerPicturesAndEveryCutExactly) {
  const auto path = m_dir / GetParam().name;
  const std::vector<long> cuts =
      testing::make_scene_video(path, {1.5, 1.2, 1.8, 1.0}, std::string(GetParam().codec_options) + " -c:a aac");
  const Decoding every = take_all(path, true);
  const Decoding run = take_all(path, false);
  const Decoding references_only = take_all(path, false, std::numeric_limits<double>::infinity());

  ASSERT_EQ(every.pictures.size(), 55u);
  EXPECT_EQ(every.counts.decoded, 55);
  expect_same_numbers_and_times(run, every);
  EXPECT_EQ(run.counts.pictures, 55);
  EXPECT_LT(run.counts.decoded, 55);

  // The cuts must be decoded, some of them by a replay: they are not all reference pictures.
  const std::set<long> references = decoded_indices(references_only);
  EXPECT_TRUE(std::any_of(cuts.begin(), cuts.end(), [&](long cut) { return !references.contains(cut); }));
  const std::set<long> decoded = decoded_indices(run);
  for (long cut : cuts) EXPECT_TRUE(decoded.contains(cut)) << "cut at " << cut << " was repeated";

  expect_decoded_or_repeated(run, every);
}

void expect_same_pictures(const Decoding& apart, const Decoding& one) {
  ASSERT_EQ(apart.pictures.size(), one.pictures.size());
  for (size_t i = 0; i < one.pictures.size(); ++i) {
    EXPECT_EQ(apart.pictures[i].index, one.pictures[i].index);
    EXPECT_EQ(apart.pictures[i].time_s, one.pictures[i].time_s) << "picture " << i;
    EXPECT_EQ(apart.pictures[i].repeated, one.pictures[i].repeated) << "picture " << i;
    EXPECT_EQ(apart.pictures[i].bgr, one.pictures[i].bgr) << "picture " << i;
  }
}

// Every keyframe starts a segment of its own, decoded on one of three decoders: the pictures, their
// numbers and times, and which of them are repeats are those of one decoder reading it all, for
// reference pictures first and for every picture, open GOPs included (the pictures shown before a
// keyframe come from the segment before).
TEST_P(ReferenceFirstTest, SegmentsDecodedApartGiveWhatOneDecoderGives) {
  const auto path = m_dir / GetParam().name;
  testing::make_scene_video(path, {1.5, 1.2, 1.8, 1.0, 2.5}, std::string(GetParam().codec_options) + " -c:a aac");
  for (const bool every_picture : {false, true}) {
    SCOPED_TRACE(every_picture ? "every picture" : "reference pictures first");
    const Decoding one = take_all(path, every_picture, 30.0, {.threads = 1});
    const Decoding apart = take_all(path, every_picture, 30.0, {.threads = 3, .min_segment_packets = 1});
    EXPECT_EQ(one.counts.segments, 1);
    EXPECT_GE(apart.counts.segments, 3);
    EXPECT_EQ(apart.counts.pictures, 80);
    EXPECT_EQ(apart.counts.decoded, every_picture ? 80 : one.counts.decoded);
    expect_same_pictures(apart, one);
  }
}

// The encoder put a keyframe on each cut. The pictures after a cut are replayed from that keyframe,
// not by one decoder going on from the cut before it: that would decode every reference picture
// between the two cuts a second time.
TEST(ReferenceFirstReplayTest, EachCutIsReplayedFromItsOwnKeyframe) {
  testing::TempDir dir;
  const auto path = dir / "keyframes-on-cuts.mp4";
  const std::vector<long> cuts = testing::make_scene_video(
      path, {3.0, 3.0, 3.0, 3.0},
      "-c:v libx264 -preset veryfast -x264-params keyint=100:min-keyint=5:bframes=3:b-pyramid=normal -c:a aac");
  const Decoding every = take_all(path, true);
  const Decoding run = take_all(path, false, 30.0, {.threads = 1});
  expect_same_numbers_and_times(run, every);
  expect_decoded_or_repeated(run, every);
  const std::set<long> decoded = decoded_indices(run);
  for (long cut : cuts) EXPECT_TRUE(decoded.contains(cut)) << "cut at " << cut << " was repeated";
  EXPECT_GE(run.counts.replays, 1);
  // A replay reaches a few pictures past its keyframe; going on from the cut before, each would
  // also decode the 30 pictures between.
  EXPECT_LE(run.counts.replayed_packets, 10 * static_cast<long>(cuts.size()));
}

// HEVC's open GOPs show B pictures before the keyframe they are decoded after, and they refer to
// pictures before that keyframe. A cut on one of them needs a replay from the keyframe before.
TEST(ReferenceFirstOpenGopTest, APictureShownBeforeItsKeyframeIsReplayedFromTheKeyframeBefore) {
  testing::TempDir dir;
  const auto path = dir / "open-gop.mp4";
  const std::vector<long> cuts = testing::make_scene_video(
      path, {2.8, 2.7},
      "-c:v libx265 -preset veryfast -x265-params scenecut=0:keyint=30:bframes=3:log-level=error -c:a aac");
  ASSERT_EQ(cuts, std::vector<long>{28});
  const Decoding every = take_all(path, true);
  const Decoding run = take_all(path, false);
  const Decoding references_only = take_all(path, false, std::numeric_limits<double>::infinity());
  ASSERT_FALSE(decoded_indices(references_only).contains(28));
  expect_same_numbers_and_times(run, every);
  ASSERT_TRUE(decoded_indices(run).contains(28));
  EXPECT_EQ(run.pictures[28].bgr, every.pictures[28].bgr);
}

// Two MPEG-TS files joined: timestamps start over in the middle. Reference-first decoding gives up
// there, decodes every picture from the start and passes over those it already gave out.
TEST(ReferenceFirstFallbackTest, TimestampsGoingBackSwitchToEveryPictureWithoutLosingAny) {
  testing::TempDir dir;
  const auto part = dir / "part.ts";
  testing::make_scene_video(part, {2.0, 2.0},
                            "-c:v libx264 -preset veryfast -x264-params scenecut=0:keyint=30:bframes=3 -c:a aac");
  const auto joined = dir / "joined.ts";
  {
    std::ifstream in(part, std::ios::binary);
    const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    std::ofstream(joined, std::ios::binary) << bytes << bytes;
  }
  const Decoding every = take_all(joined, true);
  const Decoding run = take_all(joined, false);
  ASSERT_EQ(every.pictures.size(), 80u);
  for (size_t i = 0; i < run.pictures.size(); ++i) EXPECT_EQ(run.pictures[i].index, static_cast<long>(i));
  expect_decoded_or_repeated(run, every);
  EXPECT_FALSE(run.pictures.back().repeated);  // the second half is decoded picture by picture
}

// One picture's timestamp jumps ahead (a damaged muxer, an edit): the decoder gives out the
// reference pictures in an order their timestamps contradict. Reference-first decoding must notice,
// not walk its places forever, and give every picture as decoding each one does.
TEST(ReferenceFirstFallbackTest, AReferencePictureWhoseTimestampJumpsAheadFallsBackInsteadOfHanging) {
  testing::TempDir dir;
  for (const char* container : {"mp4", "mkv"}) {
    SCOPED_TRACE(container);
    const auto plain = dir / (std::string("plain.") + container);
    testing::make_scene_video(plain, {2.0, 2.0}, "-c:v libx264 -preset ultrafast -c:a aac");
    const auto jump = dir / (std::string("jump.") + container);
    testing::run_ffmpeg("-i '" + plain.string() +
                        "' -c copy -bsf:v \"setts=pts=if(eq(N\\,5)\\,PTS+20*DURATION\\,PTS)\" '" + jump.string() + "'");
    const Decoding every = take_all(jump, true);
    const Decoding run = take_all(jump, false);
    ASSERT_EQ(every.pictures.size(), 40u);
    expect_same_numbers_and_times(run, every);
    expect_decoded_or_repeated(run, every);
  }
}

// Decode once: every picture in order, shaped for clips 90 pictures high, with the times the
// ChangeTest measured samples at.
struct FullDecoding {
  Decoding run;
  std::vector<double> measured_s;
  std::vector<std::pair<int, int>> frame_sizes;
};

FullDecoding take_full(const std::filesystem::path& path, bool every_picture) {
  FullDecoding full;
  ChangeTest bytes = byte_change_test(30.0);
  auto measured = std::make_shared<std::vector<double>>();
  ChangeTest recorded{.difference =
                          [measured, difference = bytes.difference](const Picture& sample) {
                            measured->push_back(sample.time_s);
                            return difference(sample);
                          },
                      .may_change = bytes.may_change};
  PictureSource source(path, {.every_picture = every_picture, .full_pictures = ClipPictureShape{.short_side = 90}},
                       recorded);
  SourcePicture next;
  while (source.next(next)) {
    full.run.pictures.push_back({.index = next.picture.index,
                                 .time_s = next.picture.time_s,
                                 .repeated = next.repeated,
                                 .bgr = bytes_of(next.picture)});
    full.frame_sizes.emplace_back(next.frame ? next.frame->width : 0, next.frame ? next.frame->height : 0);
  }
  full.run.counts = source.counts();
  full.measured_s = *measured;
  return full;
}

// Decoding once, every picture comes out with its clip's picture, numbered and timed as decoding
// every picture does. All but every other B picture are samples, measured as they come; the others
// are analysed only where the two samples around them differ, else they repeat the picture before,
// as with reference pictures first.
TEST_P(ReferenceFirstTest, PicturesDecodedOnceAreAnalysedOnlyWhereTheirSamplesDiffer) {
  const auto path = m_dir / GetParam().name;
  const std::vector<long> cuts =
      testing::make_scene_video(path, {1.5, 1.2, 1.8, 1.0}, std::string(GetParam().codec_options) + " -c:a aac");
  const Decoding every = take_all(path, true);
  const FullDecoding all = take_full(path, true);
  const FullDecoding sampled = take_full(path, false);

  expect_same_numbers_and_times(all.run, every);
  expect_same_numbers_and_times(sampled.run, every);
  EXPECT_EQ(all.run.counts.decoded, 55);
  EXPECT_EQ(all.measured_s.size(), 55u);
  for (const auto& size : sampled.frame_sizes) EXPECT_EQ(size, std::make_pair(160, 90));

  ASSERT_GE(sampled.measured_s.size(), 28u);
  EXPECT_LE(sampled.measured_s.size(), 45u);
  EXPECT_DOUBLE_EQ(sampled.measured_s.front(), 0.0);
  const double period_s = every.pictures[1].time_s;
  for (size_t i = 1; i < sampled.measured_s.size(); ++i) {
    EXPECT_LE(sampled.measured_s[i] - sampled.measured_s[i - 1], 2 * period_s + 1e-9) << "sample " << i;
  }
  EXPECT_LT(sampled.run.counts.decoded, 45);
  const std::set<long> analysed = decoded_indices(sampled.run);
  for (long cut : cuts) EXPECT_TRUE(analysed.contains(cut)) << "cut at " << cut << " was repeated";
  expect_decoded_or_repeated(sampled.run, all.run);
}

class PictureByPictureTest : public ::testing::Test {
 protected:
  testing::TempDir m_dir;
};

TEST_F(PictureByPictureTest, StreamsWithoutTimestampsAndOtherCodecsDecodeEveryPicture) {
  const std::vector<std::pair<std::string, std::string>> formats = {
      {"raw.h264", "-c:v libx264 -preset veryfast -x264-params bframes=3 -an -f h264"},
      {"vp9.webm", "-c:v libvpx-vp9 -deadline realtime -cpu-used 8 -c:a libopus"},
  };
  for (const auto& [name, codec] : formats) {
    SCOPED_TRACE(name);
    const auto path = m_dir / name;
    testing::make_scene_video(path, {1.5, 1.5}, codec);
    const Decoding every = take_all(path, true);
    const Decoding run = take_all(path, false);
    EXPECT_EQ(every.pictures.size(), 30u);
    expect_same_numbers_and_times(run, every);
    EXPECT_EQ(run.counts.decoded, run.counts.pictures);
    for (size_t i = 0; i < run.pictures.size() && i < every.pictures.size(); ++i) {
      EXPECT_EQ(run.pictures[i].bgr, every.pictures[i].bgr) << "picture " << i;
    }
  }
}

TEST_F(PictureByPictureTest, OtherCodecsDecodeInSegmentsAsInOrder) {
  const auto path = m_dir / "vp9.webm";
  testing::make_scene_video(path, {1.5, 1.5, 1.5}, "-c:v libvpx-vp9 -deadline realtime -cpu-used 8 -g 10 -c:a libopus");
  const Decoding one = take_all(path, false, 30.0, {.threads = 1});
  const Decoding apart = take_all(path, false, 30.0, {.threads = 3, .min_segment_packets = 1});
  EXPECT_GE(apart.counts.segments, 3);
  ASSERT_EQ(one.pictures.size(), 45u);
  expect_same_pictures(apart, one);
}

// Joined recordings: timestamps start over in the middle. Decoded in segments, the pictures after
// the joint are not known to be in order, so decoding starts over in order without losing any.
TEST_F(PictureByPictureTest, TimestampsGoingBackDecodeInOrderWithoutLosingAny) {
  const auto part = m_dir / "part.ts";
  testing::make_scene_video(part, {2.0, 2.0}, "-c:v libx264 -preset veryfast -x264-params keyint=10 -c:a aac");
  const auto joined = m_dir / "joined.ts";
  {
    std::ifstream in(part, std::ios::binary);
    const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    std::ofstream(joined, std::ios::binary) << bytes << bytes;
  }
  const Decoding one = take_all(joined, true, 30.0, {.threads = 1});
  const Decoding apart = take_all(joined, true, 30.0, {.threads = 3, .min_segment_packets = 1});
  ASSERT_EQ(one.pictures.size(), 80u);
  expect_same_pictures(apart, one);
  EXPECT_GT(one.pictures.back().time_s, 7.5) << "times go on across the joint";
}

// Without B pictures every picture is a sample when decoding once, as every one is a reference.
TEST_F(PictureByPictureTest, StreamsWithoutBPicturesDecodedOnceAnalyseEveryPicture) {
  const auto path = m_dir / "vp9.webm";
  testing::make_scene_video(path, {1.5, 1.5}, "-c:v libvpx-vp9 -deadline realtime -cpu-used 8 -c:a libopus");
  const FullDecoding full = take_full(path, false);
  ASSERT_EQ(full.run.pictures.size(), 30u);
  EXPECT_EQ(full.measured_s.size(), 30u);
  EXPECT_EQ(full.run.counts.decoded, 30);
}

TEST_F(PictureByPictureTest, NoVideoStreamIsAnError) {
  const auto path = m_dir / "tone.m4a";
  testing::run_ffmpeg("-f lavfi -i sine=d=1 -c:a aac '" + path.string() + "'");
  try {
    PictureSource source(path, {}, byte_change_test(30.0));
    ADD_FAILURE() << "a file without video must be refused";
  } catch (const util::Error& error) {
    EXPECT_EQ(std::string(error.what()), "cannot open input '" + path.string() + "': it has no video stream");
  }
}

}  // namespace
}  // namespace clipper::media
