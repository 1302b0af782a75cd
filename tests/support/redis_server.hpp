#pragma once
// A Redis server of the test's own, on a unix socket in a temporary folder: nothing needs to be
// running before the suite. Stopped (SIGTERM, so that an append-only file is complete) at the end.
#include <filesystem>
#include <memory>
#include <string>

#include "process.hpp"

namespace clipper::testing {

class RedisServer {
 public:
  // `persist`: keep the data in an append-only file, so that a restart loses nothing.
  // `password`: clients must AUTH with it.
  RedisServer(const std::filesystem::path& folder, bool persist, std::string password = {});
  ~RedisServer();

  // The --queue address of a queue on this server.
  std::string queue(const std::string& name) const;
  std::filesystem::path socket() const { return m_folder / "redis.sock"; }
  void stop();
  void start();

 private:
  std::filesystem::path m_folder;
  bool m_persist;
  std::string m_password;
  std::unique_ptr<Process> m_process;
};

}  // namespace clipper::testing
