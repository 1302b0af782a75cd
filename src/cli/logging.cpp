#include "logging.hpp"

#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include "clipper/media/av_log.hpp"

namespace clipper::cli {

void set_up_logging(bool verbose, bool quiet) {
  auto logger = spdlog::stderr_logger_mt("clipper");
  logger->set_pattern("clipper: %l: %v");
  logger->set_level(verbose ? spdlog::level::debug : quiet ? spdlog::level::err : spdlog::level::info);
  spdlog::set_default_logger(logger);
  media::route_av_log_to_spdlog(verbose);
}

}  // namespace clipper::cli
