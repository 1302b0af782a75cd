#pragma once
// Process-wide stop request, set from a signal handler and polled by long-running loops.
#include <atomic>

namespace clipper::util {

// Installs SIGINT/SIGTERM handlers that request a stop instead of killing the process.
void install_stop_signal_handlers();

void request_stop() noexcept;
// Forgets a stop request, so that work can start again (tests, interactive use).
void clear_stop_request() noexcept;
bool stop_requested() noexcept;
// The signal that asked for the stop (SIGINT, SIGTERM); 0 when none did.
int stop_signal() noexcept;

// Throws Interrupted when a stop was requested.
void throw_if_stop_requested();

}  // namespace clipper::util
