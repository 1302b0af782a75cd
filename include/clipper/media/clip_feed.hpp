#pragma once
// Pictures decoded once, by a video's analysis, handed to the encoder of one of its clips while the
// analysis goes on: so that the clip's pictures are not decoded a second time. One thread pushes,
// one pops; at most `capacity` pictures wait between them.
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <mutex>
#include <optional>
#include <string>

#include "clipper/media/shared_frame.hpp"

namespace clipper::media {

struct FedPicture {
  SharedFrame frame;
  double time_s = 0.0;  // on the analysis' clock: from the video's first picture (MonotonicClock)
  double end_s = 0.0;   // where the clip ends, as far as the analysis knows it so far
};

class ClipFeed {
 public:
  explicit ClipFeed(size_t capacity = 1);

  // Waits while the feed is full. False once the encoder gave up on the clip (it is skipped or
  // failed): nothing more is wanted. Throws util::Interrupted when a stop is requested.
  bool push(FedPicture picture);
  // No more pictures: the clip ends at end_s.
  void close(double end_s);
  // The analysis stopped before the clip's end: its encoder fails with this cause.
  void fail(std::string cause);

  // The next picture, waiting for it; nullopt once closed and empty. Throws util::Error with the
  // cause given to fail(), util::Interrupted when a stop is requested.
  std::optional<FedPicture> pop();
  // Once pop() gave nullopt: where the clip ends.
  double end_s() const;
  // The encoder wants no more pictures; the pusher is let go.
  void abandon();

 private:
  template <typename Ready>
  void wait(std::unique_lock<std::mutex>& lock, Ready ready);

  size_t m_capacity;
  mutable std::mutex m_mutex;
  std::condition_variable m_changed;
  std::deque<FedPicture> m_pictures;
  bool m_closed = false;
  bool m_abandoned = false;
  std::optional<std::string> m_failure;
  double m_end_s = 0.0;
};

}  // namespace clipper::media
