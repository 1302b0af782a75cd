#pragma once
// Elapsed time on the steady clock, and the time of day on the system clock.
#include <chrono>

namespace clipper::util {

class Stopwatch {
 public:
  Stopwatch() : m_start(std::chrono::steady_clock::now()) {}
  double elapsed_s() const { return std::chrono::duration<double>(std::chrono::steady_clock::now() - m_start).count(); }

 private:
  std::chrono::steady_clock::time_point m_start;
};

// Seconds since the Unix epoch on the system clock: times that machines can compare.
inline double epoch_s() {
  return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
}

}  // namespace clipper::util
