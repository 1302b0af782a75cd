#pragma once
// Inputs confined to folders (a worker's --inputs-under). While an InputConfinement lives, the media
// layer opens every input through open(): the path is resolved, links followed, and the file it
// leads to is opened beneath its folder only while that path still has no link in it. The check
// and the open are then one step: a link swapped into the path after the check cannot lead out.
// Linux only (openat2, Linux 5.6).
#include <filesystem>
#include <string>
#include <vector>

namespace clipper::util {

// An open file descriptor, closed when destroyed. Move-only.
class FileDescriptor {
 public:
  explicit FileDescriptor(int fd) : m_fd(fd) {}
  FileDescriptor(FileDescriptor&& other) noexcept : m_fd(other.m_fd) { other.m_fd = -1; }
  FileDescriptor& operator=(FileDescriptor&&) = delete;
  ~FileDescriptor();
  int get() const { return m_fd; }

 private:
  int m_fd;
};

class InputConfinement {
 public:
  // folders: canonical paths of existing folders. `named` says whose folders they are in refusals
  // ("'V' is not under <named> ('A', 'B')"). Confines the whole process until destroyed; one at a
  // time. Throws util::Error when a folder cannot be opened.
  InputConfinement(std::vector<std::filesystem::path> folders, std::string named);
  ~InputConfinement();
  InputConfinement(const InputConfinement&) = delete;
  InputConfinement& operator=(const InputConfinement&) = delete;

  // The path with its links resolved; throws util::Error when it cannot be resolved or does not
  // lie under a folder.
  std::filesystem::path resolve(const std::filesystem::path& path) const;
  // Opens path for reading, confined as above. Throws util::Error "cannot open input 'PATH': <cause>"
  // or the refusal of resolve().
  FileDescriptor open(const std::filesystem::path& path) const;
  // Opens a path resolve() gave: refuses one that, by now, goes through a link or out of its folder,
  // or is not a regular file. `shown` names the input in messages.
  FileDescriptor open_resolved(const std::filesystem::path& resolved, const std::filesystem::path& shown) const;

 private:
  struct Folder {
    std::filesystem::path path;
    FileDescriptor descriptor;  // O_PATH
  };
  const Folder* folder_of(const std::filesystem::path& resolved) const;
  std::string refusal(const std::filesystem::path& shown) const;

  std::vector<Folder> m_folders;
  std::string m_named;
};

// The confinement in force, or nullptr.
const InputConfinement* input_confinement();

}  // namespace clipper::util
