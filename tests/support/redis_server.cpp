#include "redis_server.hpp"

#include <signal.h>

#include <chrono>
#include <stdexcept>
#include <thread>

#include "clipper/queue/redis.hpp"

namespace clipper::testing {

RedisServer::RedisServer(const std::filesystem::path& folder, bool persist, std::string password)
    : m_folder(folder), m_persist(persist), m_password(std::move(password)) {
  std::filesystem::create_directories(m_folder);
  start();
}

RedisServer::~RedisServer() { stop(); }

std::string RedisServer::queue(const std::string& name) const {
  return "unix://" + socket().string() + "?name=" + name;
}

void RedisServer::start() {
  std::vector<std::string> argv = {"/usr/bin/redis-server", "--port", "0", "--unixsocket", socket().string(), "--dir",
                                   m_folder.string(), "--save", "", "--appendonly", m_persist ? "yes" : "no"};
  if (!m_password.empty()) argv.insert(argv.end(), {"--requirepass", m_password});
  m_process = std::make_unique<Process>(argv, m_folder / "redis.log");
  // Ready once it answers on its socket.
  queue::Address address{.socket = socket().string(), .password = m_password, .name = "ready"};
  queue::Redis probe(address, std::chrono::seconds(20));
  if (probe.command({"PING"}).view().text() != "PONG") throw std::runtime_error("redis-server does not answer");
}

void RedisServer::stop() {
  if (!m_process) return;
  m_process->signal(SIGTERM);
  m_process->wait(20.0);
  m_process.reset();
}

}  // namespace clipper::testing
