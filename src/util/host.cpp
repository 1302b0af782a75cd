#include "clipper/util/host.hpp"

#include <unistd.h>

#include <algorithm>

namespace clipper::util {

const std::string& host_name() {
  static const std::string host = [] {
    char name[256] = {};
    if (::gethostname(name, sizeof name - 1) != 0 || name[0] == '\0') return std::string("localhost");
    std::string text(name);
    std::replace(text.begin(), text.end(), '/', '_');
    return text;
  }();
  return host;
}

}  // namespace clipper::util
