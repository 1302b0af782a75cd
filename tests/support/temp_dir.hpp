#pragma once
// A fresh directory for one test, removed with everything in it afterwards.
#include <filesystem>
#include <vector>

namespace clipper::testing {

class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::filesystem::path& path() const { return m_path; }
  std::filesystem::path operator/(const std::string& name) const { return m_path / name; }
  // Names of the files in the directory, sorted.
  std::vector<std::string> file_names() const;

 private:
  std::filesystem::path m_path;
};

}  // namespace clipper::testing
