#include "synthetic_video.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <stdexcept>

namespace clipper::testing {
namespace {

constexpr int kLumaBase = 20;
constexpr int kLumaStep = 4;
constexpr int kIndexPeriod = 50;  // indices repeat after this many frames

}  // namespace

void run_ffmpeg(const std::string& arguments) {
  const std::string command = "ffmpeg -nostdin -hide_banner -v error -y " + arguments;
  if (std::system(command.c_str()) != 0) throw std::runtime_error("ffmpeg failed: " + command);
}

void make_indexed_video(const std::filesystem::path& path, const IndexedVideoSpec& spec) {
  std::string inputs =
      fmt::format("-f lavfi -i \"color=c=black:s={}x{}:r={}:d={},geq=lum='{}+mod(N+{}\\,{})*{}':cb=128:cr=128\"",
                  spec.width, spec.height, spec.fps, spec.seconds, kLumaBase, spec.first_index, kIndexPeriod,
                  kLumaStep);
  if (spec.audio) inputs += fmt::format(" -f lavfi -i \"sine=f=440:sample_rate=48000:d={}\"", spec.seconds);
  run_ffmpeg(fmt::format("{} -pix_fmt yuv420p {} '{}'", inputs, spec.codec_options, path.string()));
}

int frame_index_from_luma(double mean_luma) {
  return static_cast<int>(std::lround((mean_luma - kLumaBase) / kLumaStep));
}

std::vector<long> make_scene_video(const std::filesystem::path& path, const std::vector<double>& segment_seconds,
                                   const std::string& codec_options, const std::string& size) {
  static const char* const kSources[] = {"testsrc2", "smptehdbars", "mandelbrot", "rgbtestsrc"};
  std::string inputs;
  std::string filters;
  std::string concat;
  std::vector<long> cuts;
  long frames = 0;
  for (size_t i = 0; i < segment_seconds.size(); ++i) {
    if (i > 0) cuts.push_back(frames);
    frames += std::lround(segment_seconds[i] * 10);
    inputs +=
        fmt::format(" -t {} -f lavfi -i {}=s={}:r=10", segment_seconds[i], kSources[i % std::size(kSources)], size);
    filters += fmt::format("[{}:v]setsar=1,format=yuv420p[v{}];", i, i);
    concat += fmt::format("[v{}]", i);
  }
  const double total_s = static_cast<double>(frames) / 10;
  inputs += fmt::format(" -f lavfi -i sine=f=330:sample_rate=48000:d={}", total_s);
  filters += fmt::format("{}concat=n={}:v=1:a=0[v]", concat, segment_seconds.size());
  run_ffmpeg(fmt::format("{} -filter_complex \"{}\" -map [v] -map {}:a {} '{}'", inputs, filters,
                         segment_seconds.size(), codec_options, path.string()));
  return cuts;
}

void make_flash_beep_video(const std::filesystem::path& path, double seconds, int fps) {
  const std::string video = fmt::format(
      "color=c=black:s=320x240:r={0}:d={1},drawbox=c=white:t=fill:enable='lt(mod(n\\,{0})\\,1)'", fps, seconds);
  const std::string audio =
      fmt::format("aevalsrc='if(lt(mod(t\\,1)\\,0.05)\\,0.8*sin(2*PI*1000*t)\\,0)':s=48000:d={}", seconds);
  run_ffmpeg(
      fmt::format("-f lavfi -i \"{}\" -f lavfi -i \"{}\" -pix_fmt yuv420p -c:v libx264 -preset ultrafast "
                  "-crf 10 -c:a aac -b:a 192k '{}'",
                  video, audio, path.string()));
}

int break_vp8_keyframes(const std::filesystem::path& path, const std::vector<int>& chosen) {
  std::fstream file(path, std::ios::in | std::ios::out | std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
  const std::string start_code = "\x9d\x01\x2a";
  int keyframe = 0;
  int broken = 0;
  for (auto at = bytes.find(start_code); at != std::string::npos; at = bytes.find(start_code, at + 1), ++keyframe) {
    if (!chosen.empty() && std::find(chosen.begin(), chosen.end(), keyframe) == chosen.end()) continue;
    file.seekp(static_cast<std::streamoff>(at));
    file.write("\0\0\0", 3);
    ++broken;
  }
  return broken;
}

}  // namespace clipper::testing
