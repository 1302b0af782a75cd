#include "clipper/media/clip_feed.hpp"

#include <algorithm>
#include <chrono>

#include "clipper/util/cancellation.hpp"
#include "clipper/util/error.hpp"

namespace clipper::media {

ClipFeed::ClipFeed(size_t capacity) : m_capacity(std::max<size_t>(1, capacity)) {}

// Waits until ready(), looking at the stop request now and then: a stopped run has no one left to
// wake the other side.
template <typename Ready>
void ClipFeed::wait(std::unique_lock<std::mutex>& lock, Ready ready) {
  while (!ready()) {
    util::throw_if_stop_requested();
    m_changed.wait_for(lock, std::chrono::milliseconds(100));
  }
}

bool ClipFeed::push(FedPicture picture) {
  std::unique_lock lock(m_mutex);
  wait(lock, [this] { return m_abandoned || m_pictures.size() < m_capacity; });
  if (m_abandoned) return false;
  m_pictures.push_back(std::move(picture));
  m_changed.notify_all();
  return true;
}

void ClipFeed::close(double end_s) {
  std::lock_guard lock(m_mutex);
  m_end_s = end_s;
  m_closed = true;
  m_changed.notify_all();
}

void ClipFeed::fail(std::string cause) {
  std::lock_guard lock(m_mutex);
  m_failure = std::move(cause);
  m_closed = true;
  m_changed.notify_all();
}

std::optional<FedPicture> ClipFeed::pop() {
  util::throw_if_stop_requested();  // a stop also ends the analysis: not a failure of the clip
  std::unique_lock lock(m_mutex);
  wait(lock, [this] { return m_failure || m_closed || !m_pictures.empty(); });
  if (m_failure) throw util::Error(*m_failure);
  if (m_pictures.empty()) return std::nullopt;
  FedPicture picture = std::move(m_pictures.front());
  m_pictures.pop_front();
  m_changed.notify_all();
  return picture;
}

double ClipFeed::end_s() const {
  std::lock_guard lock(m_mutex);
  return m_end_s;
}

void ClipFeed::abandon() {
  std::lock_guard lock(m_mutex);
  m_abandoned = true;
  m_pictures.clear();
  m_changed.notify_all();
}

}  // namespace clipper::media
