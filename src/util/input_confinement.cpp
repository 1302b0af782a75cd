#include "clipper/util/input_confinement.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <linux/openat2.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstring>
#include <system_error>

#include "clipper/util/error.hpp"

namespace clipper::util {
namespace {

std::atomic<const InputConfinement*> g_confinement{nullptr};

std::string cannot_open(const std::filesystem::path& shown, const std::string& cause) {
  return fmt::format("cannot open input '{}': {}", shown.string(), cause);
}

int open_beneath(int folder, const std::filesystem::path& relative, int flags) {
  open_how how{};
  how.flags = static_cast<uint64_t>(flags | O_CLOEXEC);
  how.resolve = RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS;
  return static_cast<int>(::syscall(SYS_openat2, folder, relative.c_str(), &how, sizeof how));
}

bool lies_under(const std::filesystem::path& resolved, const std::filesystem::path& folder) {
  const auto [folder_end, _] = std::mismatch(folder.begin(), folder.end(), resolved.begin(), resolved.end());
  return folder_end == folder.end();
}

}  // namespace

FileDescriptor::~FileDescriptor() {
  if (m_fd >= 0) ::close(m_fd);
}

InputConfinement::InputConfinement(std::vector<std::filesystem::path> folders, std::string named)
    : m_named(std::move(named)) {
  for (std::filesystem::path& folder : folders) {
    FileDescriptor descriptor(::open(folder.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC));
    if (descriptor.get() < 0) {
      throw Error(fmt::format("cannot open folder '{}': {}", folder.string(), std::strerror(errno)));
    }
    m_folders.push_back({.path = std::move(folder), .descriptor = std::move(descriptor)});
  }
  const InputConfinement* none = nullptr;
  if (!g_confinement.compare_exchange_strong(none, this)) throw Error("inputs are already confined");
}

InputConfinement::~InputConfinement() { g_confinement.store(nullptr); }

std::filesystem::path InputConfinement::resolve(const std::filesystem::path& path) const {
  std::error_code error;
  std::filesystem::path resolved = std::filesystem::canonical(path, error);
  if (error) throw Error(cannot_open(path, error.message()));
  if (!folder_of(resolved)) throw Error(refusal(path));
  return resolved;
}

FileDescriptor InputConfinement::open(const std::filesystem::path& path) const {
  return open_resolved(resolve(path), path);
}

FileDescriptor InputConfinement::open_resolved(const std::filesystem::path& resolved,
                                               const std::filesystem::path& shown) const {
  const Folder* folder = folder_of(resolved);
  if (!folder) throw Error(refusal(shown));
  // Non-blocking: a FIFO put in the file's place must not hold the open.
  FileDescriptor file(open_beneath(folder->descriptor.get(), resolved.lexically_relative(folder->path),
                                   O_RDONLY | O_NOCTTY | O_NONBLOCK));
  if (file.get() < 0) {
    if (errno == ELOOP || errno == EXDEV)
      throw Error(cannot_open(shown, "a link appeared in its path as it was opened"));
    if (errno == ENOSYS) throw Error(cannot_open(shown, "confined inputs need Linux 5.6 or later (openat2)"));
    throw Error(cannot_open(shown, std::strerror(errno)));
  }
  struct stat status {};
  if (::fstat(file.get(), &status) != 0) throw Error(cannot_open(shown, std::strerror(errno)));
  if (!S_ISREG(status.st_mode)) throw Error(cannot_open(shown, "it is not a regular file"));
  return file;
}

const InputConfinement::Folder* InputConfinement::folder_of(const std::filesystem::path& resolved) const {
  const auto found = std::find_if(m_folders.begin(), m_folders.end(),
                                  [&](const Folder& folder) { return lies_under(resolved, folder.path); });
  return found == m_folders.end() ? nullptr : &*found;
}

std::string InputConfinement::refusal(const std::filesystem::path& shown) const {
  std::string folders;
  for (const Folder& folder : m_folders) folders += (folders.empty() ? "'" : ", '") + folder.path.string() + "'";
  return fmt::format("'{}' is not under {} ({})", shown.string(), m_named, folders);
}

const InputConfinement* input_confinement() { return g_confinement.load(); }

}  // namespace clipper::util
