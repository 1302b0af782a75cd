#include "clipper/pipeline/inputs.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <set>
#include <string>

namespace clipper::pipeline {
namespace {

constexpr std::array<std::string_view, 16> kVideoExtensions = {".mp4", ".m4v", ".mov",  ".mkv", ".webm", ".avi",
                                                               ".ts",  ".mts", ".m2ts", ".mpg", ".mpeg", ".flv",
                                                               ".wmv", ".3gp", ".ogv",  ".vob"};

std::filesystem::path identity(const std::filesystem::path& path) {
  std::error_code error;
  const auto canonical = std::filesystem::weakly_canonical(path, error);
  return error ? std::filesystem::absolute(path).lexically_normal() : canonical;
}

bool is_under(const std::filesystem::path& path, const std::filesystem::path& folder) {
  if (folder.empty()) return false;
  const auto relative = path.lexically_relative(folder);
  return !relative.empty() && *relative.begin() != "..";
}

bool is_hidden(const std::filesystem::path& path) {
  const std::string name = path.filename().string();
  return !name.empty() && name.front() == '.';
}

std::vector<std::filesystem::path> walk(const std::filesystem::path& folder, const std::filesystem::path& exclude) {
  std::vector<std::filesystem::path> found;
  std::error_code error;
  auto options = std::filesystem::directory_options::skip_permission_denied;
  for (auto it = std::filesystem::recursive_directory_iterator(folder, options, error);
       !error && it != std::filesystem::recursive_directory_iterator(); it.increment(error)) {
    const auto& path = it->path();
    if (is_hidden(path) || is_under(identity(path), exclude)) {
      if (it->is_directory(error)) it.disable_recursion_pending();
      continue;
    }
    if (it->is_regular_file(error) && has_video_extension(path)) found.push_back(path);
  }
  std::sort(found.begin(), found.end());
  return found;
}

}  // namespace

bool has_video_extension(const std::filesystem::path& path) {
  std::string extension = path.extension().string();
  std::transform(extension.begin(), extension.end(), extension.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return std::find(kVideoExtensions.begin(), kVideoExtensions.end(), extension) != kVideoExtensions.end();
}

std::vector<std::filesystem::path> collect_videos(const std::vector<std::filesystem::path>& inputs,
                                                  const std::filesystem::path& exclude) {
  const std::filesystem::path excluded = exclude.empty() ? exclude : identity(exclude);
  std::vector<std::filesystem::path> videos;
  std::set<std::filesystem::path> seen;
  auto add = [&](const std::filesystem::path& path) {
    if (seen.insert(identity(path)).second) videos.push_back(path);
  };
  for (const auto& input : inputs) {
    std::error_code error;
    if (std::filesystem::is_directory(input, error)) {
      for (const auto& path : walk(input, excluded)) add(path);
    } else {
      add(input);
    }
  }
  return videos;
}

}  // namespace clipper::pipeline
