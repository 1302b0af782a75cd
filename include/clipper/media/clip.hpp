#pragma once
// Cutting one clip out of a video: decode, rotate, scale, re-encode to H.264/AAC MP4.
#include <filesystem>
#include <string>

#include "clipper/media/clip_feed.hpp"
#include "clipper/media/geometry.hpp"
#include "clipper/media/picture_options.hpp"

namespace clipper::media {

struct EncodeSettings {
  int height = 720;  // target for the shorter side
  bool upscale = false;
  bool deinterlace = true;  // interlaced pictures keep their first field (VideoFilter)
  std::string preset = "veryfast";
  int crf = 23;
  int threads = 0;  // per clip, for decoding, filtering and encoding; 0: automatic
};

inline ClipPictureShape clip_picture_shape(const EncodeSettings& settings) {
  return {.short_side = settings.height, .upscale = settings.upscale, .deinterlace = settings.deinterlace};
}

struct ClipRequest {
  std::filesystem::path input;
  std::filesystem::path output;
  double start_s = 0.0;  // from the input's first frame, as ffmpeg -ss counts
  double end_s = 0.0;
  EncodeSettings encode;
  // The input's timestamps jump back (two recordings joined): its times are on the clock analysis
  // uses (MonotonicClock), which only a decode from the first picture can follow, and what the
  // file says it lasts is not to be trusted.
  bool from_start = false;
};

struct ClipResult {
  Size size;
  long video_frames = 0;
  double duration_s = 0.0;
  bool has_audio = false;
  int corrupt_packets = 0;
};

// Throws util::UsageError for settings that can never work (before opening anything).
void validate(const EncodeSettings& settings);
void validate_times(double start_s, double end_s);

// Writes the clip under a temporary name beside request.output and renames it when complete.
// Throws util::Error ("cannot <what> 'PATH': <cause>") and leaves no file behind on failure,
// util::Interrupted when a stop is requested.
ClipResult transcode_clip(const ClipRequest& request);

// The same clip, its pictures taken from feed (decoded by the analysis) instead of decoded again;
// request.end_s is where the clip ends as far as known when it starts, the feed says the rest.
// Only the sound is read from request.input.
ClipResult transcode_fed_clip(const ClipRequest& request, ClipFeed& feed);

}  // namespace clipper::media
