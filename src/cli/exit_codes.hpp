#pragma once
// clipper's exit codes, the same for every command (README, `clipper --help`).
#include <csignal>

#include "clipper/util/cancellation.hpp"

namespace clipper::cli {

constexpr int kExitDone = 0;
constexpr int kExitUsage = 1;       // a usage error, or every input failed
constexpr int kExitSomeFailed = 2;  // some video or clip failed; the others are done

// Stopped: 128 + the signal, as a shell reports it (130 for Ctrl-C, 143 for SIGTERM).
inline int exit_interrupted() { return 128 + (util::stop_signal() != 0 ? util::stop_signal() : SIGINT); }

}  // namespace clipper::cli
