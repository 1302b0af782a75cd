#include "temp_dir.hpp"

#include <algorithm>
#include <cstdlib>
#include <stdexcept>
#include <string>

namespace clipper::testing {

TempDir::TempDir() {
  std::string pattern = (std::filesystem::temp_directory_path() / "clipper-test-XXXXXX").string();
  if (!mkdtemp(pattern.data())) throw std::runtime_error("cannot create a temporary directory");
  m_path = pattern;
}

TempDir::~TempDir() {
  std::error_code ignored;
  std::filesystem::remove_all(m_path, ignored);
}

std::vector<std::string> TempDir::file_names() const {
  std::vector<std::string> names;
  for (const auto& entry : std::filesystem::directory_iterator(m_path))
    names.push_back(entry.path().filename().string());
  std::sort(names.begin(), names.end());
  return names;
}

}  // namespace clipper::testing
