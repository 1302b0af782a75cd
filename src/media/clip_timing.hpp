#pragma once
// Where a clip lies on the input's clock, and its constant output frame grid.
#include <cmath>

extern "C" {
#include <libavutil/rational.h>
}

namespace clipper::media {

struct ClipTiming {
  double origin_s = 0.0;  // the input's first timestamp
  double start_s = 0.0;   // from origin
  double end_s = 0.0;
  AVRational frame_rate{25, 1};

  double frame_period_s() const { return av_q2d(av_inv_q(frame_rate)); }
  double half_frame_s() const { return frame_period_s() / 2.0; }
  long frame_count() const { return std::lround((end_s - start_s) / frame_period_s()); }
  double duration_s() const { return static_cast<double>(frame_count()) * frame_period_s(); }
  // Seconds from the clip's first frame, of a time on the stream's clock.
  double clip_time_s(double stream_s) const { return stream_s - origin_s - start_s; }
};

}  // namespace clipper::media
