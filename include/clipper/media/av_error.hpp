#pragma once
// libav error codes turned into util::Error exceptions with libav's own text.
#include <string>
#include <string_view>

#include "clipper/util/error.hpp"

namespace clipper::media {

class AvError : public util::Error {
 public:
  AvError(int code, const std::string& message) : util::Error(message), m_code(code) {}
  int code() const { return m_code; }

 private:
  int m_code;
};

// libav's description of an error code ("No such file or directory").
std::string av_error_text(int code);

// Throws AvError "<what>: <libav text>" when code is negative; returns code otherwise.
int check(int code, std::string_view what);

}  // namespace clipper::media
