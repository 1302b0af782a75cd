#pragma once
// Seconds on a clock that never goes back. Where a stream's timestamps jump backwards by more than
// a second (two recordings joined, a camera that restarted its clock), the pictures after the jump
// continue one period after the last one placed, so that times, frame numbers and windows keep
// their order. Small steps back (reordering, rounding in containers) are kept as they are.
// Analysis and cutting place their timestamps on the same clock, from the start of the stream.
namespace clipper::media {

class MonotonicClock {
 public:
  static constexpr double kJumpBack_s = 1.0;

  // offset_s: where a clock that has already placed the times before is (a decode that starts
  // after a jump).
  explicit MonotonicClock(double period_s, double offset_s = 0.0) : m_period_s(period_s), m_offset_s(offset_s) {}

  double place(double raw_s) {
    if (m_placed_any && raw_s + m_offset_s < m_last_s - kJumpBack_s) {
      m_offset_s = m_last_s + m_period_s - raw_s;
      ++m_jumps;
    }
    const double placed_s = raw_s + m_offset_s;
    if (!m_placed_any || placed_s > m_last_s) m_last_s = placed_s;
    m_placed_any = true;
    return placed_s;
  }

  int jumps() const { return m_jumps; }
  double offset_s() const { return m_offset_s; }

 private:
  double m_period_s;
  double m_offset_s = 0.0;
  bool m_placed_any = false;
  double m_last_s = 0.0;  // the latest time placed
  int m_jumps = 0;
};

}  // namespace clipper::media
