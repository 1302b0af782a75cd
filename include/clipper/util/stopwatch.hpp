#pragma once
// Elapsed time on the steady clock.
#include <chrono>

namespace clipper::util {

class Stopwatch {
 public:
  Stopwatch() : m_start(std::chrono::steady_clock::now()) {}
  double elapsed_s() const { return std::chrono::duration<double>(std::chrono::steady_clock::now() - m_start).count(); }

 private:
  std::chrono::steady_clock::time_point m_start;
};

}  // namespace clipper::util
