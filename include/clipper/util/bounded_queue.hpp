#pragma once
// A blocking queue of at most `capacity` items between one producer and one consumer thread.
// close() wakes both sides: push() then drops its item and returns false, pop() drains what is
// left and then returns nullopt.
#include <condition_variable>
#include <deque>
#include <mutex>
#include <optional>

namespace clipper::util {

template <typename T>
class BoundedQueue {
 public:
  explicit BoundedQueue(size_t capacity) : m_capacity(capacity) {}

  bool push(T item) {
    std::unique_lock lock(m_mutex);
    m_not_full.wait(lock, [this] { return m_closed || m_items.size() < m_capacity; });
    if (m_closed) return false;
    m_items.push_back(std::move(item));
    m_not_empty.notify_one();
    return true;
  }

  std::optional<T> pop() {
    std::unique_lock lock(m_mutex);
    m_not_empty.wait(lock, [this] { return m_closed || !m_items.empty(); });
    if (m_items.empty()) return std::nullopt;
    T item = std::move(m_items.front());
    m_items.pop_front();
    m_not_full.notify_one();
    return item;
  }

  void close() {
    std::lock_guard lock(m_mutex);
    m_closed = true;
    m_not_full.notify_all();
    m_not_empty.notify_all();
  }

 private:
  size_t m_capacity;
  std::mutex m_mutex;
  std::condition_variable m_not_full;
  std::condition_variable m_not_empty;
  std::deque<T> m_items;
  bool m_closed = false;
};

}  // namespace clipper::util
