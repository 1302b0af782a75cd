#include "clipper/plan/output_names.hpp"

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <map>

namespace clipper::plan {
namespace {

// FNV-1a: stable across runs and machines, unlike std::hash.
uint32_t stable_hash(const std::string& text) {
  uint32_t hash = 2166136261u;
  for (unsigned char c : text) {
    hash ^= c;
    hash *= 16777619u;
  }
  return hash;
}

}  // namespace

std::string safe_stem(const std::string& stem) {
  std::string safe;
  for (char c : stem) {
    const auto byte = static_cast<unsigned char>(c);
    safe += (c == '/' || c == '\\' || byte < 0x20 || byte == 0x7f) ? '_' : c;
  }
  if (safe.empty() || safe == "." || safe == "..") return "video";
  if (safe.front() == '.' || safe.front() == '-') safe.front() = '_';
  return safe;
}

std::string time_label(double seconds) {
  const long millis = std::lround(std::max(0.0, seconds) * 1000.0);
  char text[32];
  std::snprintf(text, sizeof text, "%02ldh%02ldm%02ld.%03lds", millis / 3600000, millis / 60000 % 60,
                millis / 1000 % 60, millis % 1000);
  return text;
}

std::vector<std::string> folder_names(const std::vector<std::filesystem::path>& inputs) {
  std::map<std::string, int> uses;
  for (const auto& input : inputs) ++uses[safe_stem(input.stem().string())];
  std::vector<std::string> names;
  for (const auto& input : inputs) {
    std::string name = safe_stem(input.stem().string());
    if (uses[name] > 1) {
      char suffix[16];
      std::snprintf(suffix, sizeof suffix, "-%08x",
                    stable_hash(std::filesystem::absolute(input).lexically_normal().string()));
      name += suffix;
    }
    names.push_back(name);
  }
  return names;
}

}  // namespace clipper::plan
