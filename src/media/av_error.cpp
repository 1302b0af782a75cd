#include "clipper/media/av_error.hpp"

#include <fmt/format.h>

extern "C" {
#include <libavutil/error.h>
}

namespace clipper::media {

std::string av_error_text(int code) {
  // Several decoders return a bare -1 for data they cannot parse, which is AVERROR(EPERM).
  if (code == -1) return "Invalid data found when processing input (libav error -1)";
  char buffer[AV_ERROR_MAX_STRING_SIZE] = {};
  av_strerror(code, buffer, sizeof buffer);
  return buffer;
}

int check(int code, std::string_view what) {
  if (code < 0) throw AvError(code, fmt::format("{}: {}", what, av_error_text(code)));
  return code;
}

}  // namespace clipper::media
