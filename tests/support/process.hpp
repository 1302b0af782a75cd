#pragma once
// A child process the test starts, signals and waits for; killed at destruction if still running.
#include <filesystem>
#include <string>
#include <vector>

namespace clipper::testing {

class Process {
 public:
  // Runs argv[0] (a path) with its output and errors appended to `log`.
  Process(const std::vector<std::string>& argv, const std::filesystem::path& log);
  ~Process();
  Process(const Process&) = delete;
  Process& operator=(const Process&) = delete;

  int pid() const { return m_pid; }
  void signal(int number) const;
  // Its exit code, or 128 + the signal that killed it; -1 after `timeout_s` (it is then killed).
  int wait(double timeout_s = 120.0);
  bool running();

 private:
  int m_pid = -1;
  bool m_reaped = false;
  int m_code = -1;
};

std::string read_text(const std::filesystem::path& path);

}  // namespace clipper::testing
