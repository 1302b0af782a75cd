#pragma once
// stderr logging in clipper's format ("clipper: warning: ..."), libav's log included when verbose.

namespace clipper::cli {

void set_up_logging(bool verbose, bool quiet);

}  // namespace clipper::cli
