#include "cut_command.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <cstdlib>

#include "clipper/media/encoder.hpp"
#include "clipper/media/timestamp_scan.hpp"
#include "clipper/util/error.hpp"
#include "clipper/util/stopwatch.hpp"
#include "exit_codes.hpp"

namespace clipper::cli {

void add_encode_options(CLI::App& command, media::EncodeSettings& settings) {
  const CLI::Validator preset(
      [](const std::string& name) {
        return media::is_x264_preset(name) ? std::string()
                                           : fmt::format("unknown preset '{}' (one of: {})", name, media::x264_presets_text());
      },
      "PRESET");
  command.add_option("--height", settings.height, "Shorter side of the output in pixels")
      ->capture_default_str()
      ->check(CLI::Range(16, 8640));
  command.add_flag("--upscale", settings.upscale, "Enlarge inputs smaller than --height too");
  command.add_flag_callback(
      "--no-deinterlace", [&settings] { settings.deinterlace = false; },
      "Keep both fields of pictures marked interlaced (progressive video marked so by mistake); by default they "
      "keep their first field");
  command.add_option("--preset", settings.preset, "libx264 preset (ultrafast ... veryslow)")
      ->capture_default_str()
      ->check(preset);
  command.add_option("--crf", settings.crf, "libx264 constant rate factor, 0-51, lower is better")
      ->capture_default_str()
      ->check(CLI::Range(0, 51));
}

CLI::App* add_cut_command(CLI::App& app, CutOptions& options) {
  CLI::App* cut = app.add_subcommand("cut", "Cut one clip from a video and re-encode it to H.264/AAC MP4");
  media::ClipRequest& request = options.request;
  cut->add_option("input", request.input, "Video file to cut from")->required();
  cut->add_option("--start", request.start_s, "Clip start in seconds from the first frame")
      ->required()
      ->check(CLI::Validator(
          [](const std::string& text) {
            return std::strtod(text.c_str(), nullptr) < 0 ? "is negative: times count from 0" : "";
          },
          "SECONDS"));
  cut->add_option("--end", request.end_s, "Clip end in seconds from the first frame")->required();
  cut->add_option("-o,--output", request.output, "Output MP4 file")->required();
  add_encode_options(*cut, request.encode);
  cut->add_option("--threads", request.encode.threads, "Threads per clip for decoding and encoding (0: automatic)")
      ->capture_default_str();
  cut->footer(
      "Times count from the input's first frame, as ffmpeg -ss does, and as `clipper analyze` prints\n"
      "them: where the timestamps jump back (recordings joined one after the other), they go on from\n"
      "the last picture before the jump. The output is written under a temporary name beside it and\n"
      "renamed only when complete.");
  return cut;
}

int run_cut(const CutOptions& options) {
  util::Stopwatch stopwatch;
  media::ClipRequest request = options.request;
  if (!(request.end_s > request.start_s)) {
    throw util::UsageError(fmt::format("--end {} must be after --start {}", request.end_s, request.start_s));
  }
  request.from_start = media::timestamps_jump_back(request.input);
  const media::ClipResult result = media::transcode_clip(request);
  spdlog::info("wrote '{}': {}x{}, {} frames, {:.3f} s{}, in {:.2f} s", options.request.output.string(),
               result.size.width, result.size.height, result.video_frames, result.duration_s,
               result.has_audio ? " with audio" : ", no audio", stopwatch.elapsed_s());
  return kExitDone;
}

}  // namespace clipper::cli
