#pragma once
// A file written under a temporary name beside its final path and renamed into place by commit().
// Until commit() succeeds the final path is untouched; the destructor removes the temporary file.
#include <filesystem>
#include <string>

namespace clipper::util {

class AtomicFile {
 public:
  explicit AtomicFile(std::filesystem::path final_path);
  ~AtomicFile();
  AtomicFile(AtomicFile&& other) noexcept;
  AtomicFile& operator=(AtomicFile&& other) noexcept;
  AtomicFile(const AtomicFile&) = delete;
  AtomicFile& operator=(const AtomicFile&) = delete;

  const std::filesystem::path& temp_path() const { return m_temp_path; }
  const std::filesystem::path& final_path() const { return m_final_path; }

  // Renames the temporary file to the final path; throws util::Error naming the file on failure.
  void commit();

 private:
  void discard() noexcept;

  std::filesystem::path m_final_path;
  std::filesystem::path m_temp_path;
  bool m_committed = false;
};

// Removes the temporary files of final_path left by processes of this host that are gone (a killed
// run); those of a live process, or of another host (shared storage), stay.
void remove_abandoned_temporaries(const std::filesystem::path& final_path);
// Removes every temporary file of final_path, whoever wrote it: for a job taken over from a worker
// that stopped (on any host), whose writes nobody will finish.
void remove_temporaries(const std::filesystem::path& final_path);

// Creates folder if needed and checks that a file can be written in it (empty: the current
// folder, where a file named without one goes); throws util::Error "cannot write to 'FOLDER': <cause>".
void require_writable_folder(const std::filesystem::path& folder);

// Writes text to path through an AtomicFile, creating missing folders; throws util::Error naming path.
void write_file_atomically(const std::filesystem::path& path, const std::string& text);

}  // namespace clipper::util
