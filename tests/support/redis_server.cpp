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
  // Ready once it answers PONG on its socket: a server loading its append-only file answers
  // LOADING until it is done, which takes a while on a loaded machine.
  queue::Address address{.socket = socket().string(), .password = m_password, .name = "ready"};
  queue::Redis probe(address, std::chrono::seconds(20));
  const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  std::string answer = probe.command({"PING"}).view().text();
  while (answer != "PONG" && std::chrono::steady_clock::now() < give_up) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    answer = probe.command({"PING"}).view().text();
  }
  if (answer != "PONG") throw std::runtime_error("redis-server does not answer PONG but '" + answer + "'");
}

void RedisServer::stop() {
  if (!m_process) return;
  m_process->signal(SIGTERM);
  m_process->wait(20.0);
  m_process.reset();
}

}  // namespace clipper::testing
