#include "clipper/util/cancellation.hpp"

#include <csignal>

#include "clipper/util/error.hpp"

namespace clipper::util {
namespace {

std::atomic<bool> g_stop_requested{false};
static_assert(std::atomic<bool>::is_always_lock_free);

std::atomic<int> g_stop_signal{0};
static_assert(std::atomic<int>::is_always_lock_free);

extern "C" void on_stop_signal(int signal) {
  g_stop_signal.store(signal);
  g_stop_requested.store(true);
}

}  // namespace

void install_stop_signal_handlers() {
  struct sigaction action {};
  action.sa_handler = on_stop_signal;
  sigemptyset(&action.sa_mask);
  sigaction(SIGINT, &action, nullptr);
  sigaction(SIGTERM, &action, nullptr);
}

void request_stop() noexcept { g_stop_requested.store(true); }

void clear_stop_request() noexcept {
  g_stop_requested.store(false);
  g_stop_signal.store(0);
}

int stop_signal() noexcept { return g_stop_signal.load(); }

bool stop_requested() noexcept { return g_stop_requested.load(std::memory_order_relaxed); }

void throw_if_stop_requested() {
  if (stop_requested()) throw Interrupted();
}

}  // namespace clipper::util
