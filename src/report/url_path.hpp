#pragma once
// A path as the path part of a URL: bytes other than letters, digits and / - _ . ~ percent-encoded.
#include <fmt/format.h>

#include <cctype>
#include <filesystem>
#include <string>

namespace clipper::report {

inline std::string url_path(const std::filesystem::path& path) {
  std::string url;
  for (const unsigned char c : path.generic_string()) {
    const bool plain = std::isalnum(c) || c == '/' || c == '-' || c == '_' || c == '.' || c == '~';
    url += plain ? std::string(1, static_cast<char>(c)) : fmt::format("%{:02X}", c);
  }
  return url;
}

}  // namespace clipper::report
