#include "logging.hpp"

#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include "clipper/media/av_log.hpp"

namespace clipper::cli {

namespace {

constexpr const char* kPattern = "clipper: %l: %v";
// Carriage return and erase-line first, so that a message replaces the progress line, which is
// drawn again below it at its next tick.
constexpr const char* kPatternOverProgress = "\r\033[Kclipper: %l: %v";

}  // namespace

void set_up_logging(bool verbose, bool quiet) {
  auto logger = spdlog::stderr_logger_mt("clipper");
  logger->set_pattern(kPattern);
  logger->set_level(verbose ? spdlog::level::debug : quiet ? spdlog::level::err : spdlog::level::info);
  spdlog::set_default_logger(logger);
  media::route_av_log_to_spdlog(verbose);
}

void log_over_progress_line(bool progress_shown) {
  spdlog::set_pattern(progress_shown ? kPatternOverProgress : kPattern);
}

}  // namespace clipper::cli
