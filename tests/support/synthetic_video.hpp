#pragma once
// Small test videos made at run time with ffmpeg's lavfi sources, with known content.
#include <filesystem>
#include <string>
#include <vector>

namespace clipper::testing {

// Runs `ffmpeg -v error -y <arguments>`; throws when it fails.
void run_ffmpeg(const std::string& arguments);

struct IndexedVideoSpec {
  int width = 320;
  int height = 240;
  int fps = 10;
  double seconds = 6.0;
  bool audio = true;
  int first_index = 0;  // the index the first frame carries
  // Output options after the inputs: codecs, container flags, metadata.
  std::string codec_options = "-c:v libx264 -preset ultrafast -crf 1 -g 25 -c:a aac";
};

// Frame n is a flat grey whose luma encodes n (see frame_index_from_luma); the audio is a sine.
void make_indexed_video(const std::filesystem::path& path, const IndexedVideoSpec& spec = {});
// The frame index carried by a picture of make_indexed_video, from its mean luma.
int frame_index_from_luma(double mean_luma);

// Segments from different lavfi sources, of the given size (320x180) at 10 fps with a tone; returns the index of the
// first frame of each segment after the first (the scene changes).
std::vector<long> make_scene_video(const std::filesystem::path& path, const std::vector<double>& segment_seconds,
                                   const std::string& codec_options, const std::string& size = "320x180");

// Black pictures with a white flash on every whole second and a beep at the same moments.
void make_flash_beep_video(const std::filesystem::path& path, double seconds, int fps);

// Zeroes the start code of the chosen VP8 keyframes (0-based among keyframes; all when empty): the
// container stays intact, the decoder rejects those packets as invalid data. Returns how many.
int break_vp8_keyframes(const std::filesystem::path& path, const std::vector<int>& chosen = {});

}  // namespace clipper::testing
