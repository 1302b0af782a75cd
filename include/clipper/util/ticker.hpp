#pragma once
// Calls a function every period on a thread of its own until stop() or destruction.
#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>

namespace clipper::util {

class Ticker {
 public:
  Ticker(std::chrono::milliseconds period, std::function<void()> tick)
      : m_period(period), m_tick(std::move(tick)), m_thread([this] { loop(); }) {}
  ~Ticker() { stop(); }
  Ticker(const Ticker&) = delete;
  Ticker& operator=(const Ticker&) = delete;

  // Returns once the last tick has finished; later calls do nothing.
  void stop() {
    {
      std::lock_guard lock(m_mutex);
      m_done = true;
    }
    m_wake.notify_one();
    if (m_thread.joinable()) m_thread.join();
  }

 private:
  void loop() {
    std::unique_lock lock(m_mutex);
    while (!m_wake.wait_for(lock, m_period, [this] { return m_done; })) m_tick();
  }

  std::chrono::milliseconds m_period;
  std::function<void()> m_tick;
  std::mutex m_mutex;
  std::condition_variable m_wake;
  bool m_done = false;
  std::thread m_thread;
};

}  // namespace clipper::util
