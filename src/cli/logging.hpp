#pragma once
// stderr logging in clipper's format ("clipper: warning: ..."), libav's log included when verbose.

namespace clipper::cli {

void set_up_logging(bool verbose, bool quiet);
// While a progress line is shown, messages are written over it (it is drawn again after them).
void log_over_progress_line(bool progress_shown);

}  // namespace clipper::cli
