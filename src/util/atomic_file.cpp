#include "clipper/util/atomic_file.hpp"

#include <fmt/format.h>
#include <fmt/std.h>
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <charconv>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <optional>
#include <system_error>

#include "clipper/util/error.hpp"
#include "clipper/util/host.hpp"

namespace clipper::util {
namespace {

// Temporary files are named .<final name>.<writer's pid>-<count>.<writer's host>.part: on storage
// several machines share, a pid says whether its writer runs only on the writer's own host.
std::string temp_prefix(const std::filesystem::path& final_path) {
  return fmt::format(".{}.", final_path.filename().string());
}

std::filesystem::path temp_path_beside(const std::filesystem::path& final_path) {
  static std::atomic<unsigned> counter{0};
  auto name = fmt::format("{}{}-{}.{}.part", temp_prefix(final_path), ::getpid(), counter++, host_name());
  return final_path.parent_path() / name;
}

struct Writer {
  pid_t pid = 0;
  std::string host;
};

std::optional<Writer> writer_of(const std::string& name, const std::string& prefix) {
  if (!name.starts_with(prefix) || !name.ends_with(".part")) return std::nullopt;
  pid_t pid = 0;
  const char* digits = name.data() + prefix.size();
  const char* last = name.data() + name.size() - std::string_view(".part").size();
  const auto [end, error] = std::from_chars(digits, last, pid);
  if (error != std::errc() || end == digits || *end != '-' || pid <= 0) return std::nullopt;
  const char* host = std::find(end, last, '.');
  return Writer{.pid = pid, .host = host == last ? std::string() : std::string(host + 1, last)};
}

bool is_running(pid_t pid) { return ::kill(pid, 0) == 0 || errno == EPERM; }

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

namespace {

template <typename Abandoned>
void remove_temporaries_if(const std::filesystem::path& final_path, Abandoned abandoned) {
  const std::string prefix = temp_prefix(final_path);
  std::error_code error;
  for (const auto& entry : std::filesystem::directory_iterator(final_path.parent_path(), error)) {
    const std::optional<Writer> writer = writer_of(entry.path().filename().string(), prefix);
    if (writer && abandoned(*writer)) std::filesystem::remove(entry.path(), error);
  }
}

}  // namespace

void remove_abandoned_temporaries(const std::filesystem::path& final_path) {
  remove_temporaries_if(final_path, [](const Writer& writer) {
    return (writer.host.empty() || writer.host == host_name()) && !is_running(writer.pid);
  });
}

void remove_temporaries(const std::filesystem::path& final_path) {
  remove_temporaries_if(final_path, [](const Writer&) { return true; });
}

void require_writable_folder(const std::filesystem::path& given) {
  const std::filesystem::path folder = given.empty() ? "." : given;
  const auto fail = [&](const std::string& cause) {
    throw Error(fmt::format("cannot write to '{}': {}", folder.string(), cause));
  };
  std::error_code error;
  std::filesystem::create_directories(folder, error);
  if (error) fail(error.message());
  const std::filesystem::path probe_path = folder / ".clipper-write-test";
  remove_abandoned_temporaries(probe_path);  // of a process killed while it probed
  const AtomicFile probe(probe_path);
  std::FILE* file = std::fopen(probe.temp_path().c_str(), "w");
  if (!file) fail(std::strerror(errno));
  if (std::fclose(file) != 0) fail(std::strerror(errno));
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
