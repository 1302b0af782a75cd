#include "clipper/media/av_log.hpp"

#include <spdlog/spdlog.h>

#include <cstdarg>
#include <string_view>

extern "C" {
#include <libavutil/log.h>
}

namespace clipper::media {
namespace {

spdlog::level::level_enum spdlog_level(int av_level) {
  if (av_level <= AV_LOG_ERROR) return spdlog::level::debug;
  if (av_level <= AV_LOG_INFO) return spdlog::level::debug;
  return spdlog::level::trace;
}

extern "C" void forward_av_log(void* context, int level, const char* format, va_list args) {
  if (level > av_log_get_level()) return;
  char line[1024];
  int print_prefix = 1;
  av_log_format_line2(context, level, format, args, line, sizeof line, &print_prefix);
  std::string_view text(line);
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.remove_suffix(1);
  if (!text.empty()) spdlog::log(spdlog_level(level), "libav: {}", text);
}

}  // namespace

void route_av_log_to_spdlog(bool verbose) {
  av_log_set_level(verbose ? AV_LOG_INFO : AV_LOG_QUIET);
  av_log_set_callback(forward_av_log);
}

}  // namespace clipper::media
