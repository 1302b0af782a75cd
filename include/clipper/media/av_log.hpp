#pragma once
// Sends libav's own log lines to spdlog: dropped by default, shown at debug level with verbose.

namespace clipper::media {

void route_av_log_to_spdlog(bool verbose);

}  // namespace clipper::media
