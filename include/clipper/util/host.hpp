#pragma once
// This machine's name, as it can stand in a file name ('/' made '_'; "localhost" when unknown).
#include <string>

namespace clipper::util {

const std::string& host_name();

}  // namespace clipper::util
