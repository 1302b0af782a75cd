#include "synthetic_video.hpp"

#include <fmt/format.h>

#include <cmath>
#include <cstdlib>
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
  std::string inputs = fmt::format(
      "-f lavfi -i \"color=c=black:s={}x{}:r={}:d={},geq=lum='{}+mod(N\\,{})*{}':cb=128:cr=128\"", spec.width,
      spec.height, spec.fps, spec.seconds, kLumaBase, kIndexPeriod, kLumaStep);
  if (spec.audio) inputs += fmt::format(" -f lavfi -i \"sine=f=440:sample_rate=48000:d={}\"", spec.seconds);
  run_ffmpeg(fmt::format("{} -pix_fmt yuv420p {} '{}'", inputs, spec.codec_options, path.string()));
}

int frame_index_from_luma(double mean_luma) {
  return static_cast<int>(std::lround((mean_luma - kLumaBase) / kLumaStep));
}

void make_flash_beep_video(const std::filesystem::path& path, double seconds, int fps) {
  const std::string video = fmt::format(
      "color=c=black:s=320x240:r={0}:d={1},drawbox=c=white:t=fill:enable='lt(mod(n\\,{0})\\,1)'", fps, seconds);
  const std::string audio = fmt::format("aevalsrc='if(lt(mod(t\\,1)\\,0.05)\\,0.8*sin(2*PI*1000*t)\\,0)':s=48000:d={}",
                                        seconds);
  run_ffmpeg(fmt::format("-f lavfi -i \"{}\" -f lavfi -i \"{}\" -pix_fmt yuv420p -c:v libx264 -preset ultrafast "
                         "-crf 10 -c:a aac -b:a 192k '{}'",
                         video, audio, path.string()));
}

}  // namespace clipper::testing
