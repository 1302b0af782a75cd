#pragma once
// The number of cores clipper plans for: the machine's online processors, at least 1.
#include <algorithm>
#include <thread>

namespace clipper::util {

inline int cores() { return std::max(1, static_cast<int>(std::thread::hardware_concurrency())); }

}  // namespace clipper::util
