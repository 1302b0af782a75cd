#include "clipper/util/atomic_file.hpp"

#include <fmt/format.h>
#include <fmt/std.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <system_error>

#include "clipper/util/error.hpp"

namespace clipper::util {
namespace {

std::filesystem::path temp_path_beside(const std::filesystem::path& final_path) {
  static std::atomic<unsigned> counter{0};
  auto name = fmt::format(".{}.{}-{}.part", final_path.filename().string(), ::getpid(), counter++);
  return final_path.parent_path() / name;
}

}  // namespace

AtomicFile::AtomicFile(std::filesystem::path final_path)
    : m_final_path(std::move(final_path)), m_temp_path(temp_path_beside(m_final_path)) {}

AtomicFile::~AtomicFile() { discard(); }

AtomicFile::AtomicFile(AtomicFile&& other) noexcept
    : m_final_path(std::move(other.m_final_path)),
      m_temp_path(std::move(other.m_temp_path)),
      m_committed(other.m_committed) {
  other.m_committed = true;
}

AtomicFile& AtomicFile::operator=(AtomicFile&& other) noexcept {
  if (this != &other) {
    discard();
    m_final_path = std::move(other.m_final_path);
    m_temp_path = std::move(other.m_temp_path);
    m_committed = other.m_committed;
    other.m_committed = true;
  }
  return *this;
}

void AtomicFile::commit() {
  if (std::rename(m_temp_path.c_str(), m_final_path.c_str()) != 0) {
    throw Error(fmt::format("cannot write output '{}': {}", m_final_path.string(), std::strerror(errno)));
  }
  m_committed = true;
}

void AtomicFile::discard() noexcept {
  if (m_committed) return;
  std::error_code ignored;
  std::filesystem::remove(m_temp_path, ignored);
}

void write_file_atomically(const std::filesystem::path& path, const std::string& text) {
  std::error_code ignored;
  if (path.has_parent_path()) std::filesystem::create_directories(path.parent_path(), ignored);
  AtomicFile file(path);
  {
    std::ofstream out(file.temp_path());
    out << text;
    if (!out) throw Error(fmt::format("cannot write '{}': {}", path.string(), std::strerror(errno)));
  }
  file.commit();
}

}  // namespace clipper::util
