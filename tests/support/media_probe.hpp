#pragma once
// Reads a written clip back with libav, independently of how it was written.
#include <filesystem>
#include <optional>
#include <vector>

namespace clipper::testing {

struct ProbedVideo {
  int width = 0;
  int height = 0;
  double sample_aspect_ratio = 1.0;
  bool has_rotation = false;
  std::vector<double> frame_times_s;  // presentation times of the decoded pictures
  std::vector<double> frame_lumas;    // mean luma of each picture
  std::vector<uint8_t> first_luma;    // the first picture's luma plane, width x height
  // Mean luma of the first picture over the rectangle [x0, x1) x [y0, y1).
  double first_luma_mean(int x0, int y0, int x1, int y1) const;
  std::string format_name;
  bool index_first = false;  // MP4 'moov' before 'mdat'
};

struct ProbedAudio {
  int sample_rate = 0;
  int channels = 0;
  double first_time_s = 0.0;
  std::vector<float> samples;  // first channel, decoded
  double duration_s() const { return static_cast<double>(samples.size()) / sample_rate; }
};

struct ProbedFile {
  ProbedVideo video;
  std::optional<ProbedAudio> audio;
};

ProbedFile probe_file(const std::filesystem::path& path);

// Clip time of the first picture brighter than threshold, or -1.
double first_bright_picture_s(const ProbedVideo& video, double threshold = 128.0);
// Clip time of the first sample louder than threshold, or -1.
double first_loud_sample_s(const ProbedAudio& audio, float threshold = 0.3f);

}  // namespace clipper::testing
