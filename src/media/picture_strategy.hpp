#pragma once
// The ways a PictureSource decodes: every picture, reference pictures first, or every picture in
// order shaped for clips and sampled as reference pictures would be (decode once).
#include <cstdint>
#include <stdexcept>

#include "clipper/media/monotonic_clock.hpp"
#include "clipper/media/picture_source.hpp"

struct AVStream;

namespace clipper::media {

// Decoders to run at once: options.threads, or one per core.
int decoders_for(const PictureDecodeOptions& options);
// The size pictures are analysed at: the display aspect, longer_side at most.
Size analysis_picture_size(const AVStream& stream, int longer_side);
// ... for pictures of `display` size with square pixels.
Size analysis_picture_size(Size display, int longer_side);

// Times the pictures one decoder gives, in presentation order: their best-effort timestamps on a
// MonotonicClock, from the video's first picture; a picture without one comes a period after the
// picture before.
class InOrderTimes {
 public:
  InOrderTimes(const AVStream& stream, double origin_s, double frame_rate);
  double time_s(int64_t best_effort_timestamp);
  int jumps() const { return m_clock.jumps(); }

 private:
  double m_time_base_s;
  double m_origin_s;
  double m_period_s;
  MonotonicClock m_clock;
  bool m_timed_any = false;
  double m_last_time_s = 0.0;
};

class PictureSource::Strategy {
 public:
  virtual ~Strategy() = default;
  virtual bool next(SourcePicture& out) = 0;
  virtual double frame_rate() const = 0;
  virtual long segments() const { return 1; }
  virtual long replays() const { return 0; }
  virtual long replayed_packets() const { return 0; }
  virtual double declared_duration_s() const = 0;
};

// Raised by the reference-first strategy for a codec it does not serve or a stream it cannot
// follow (timestamps missing or repeated), and by every picture in segments for such a stream;
// the source then decodes every picture in order instead.
class NotReferenceFirst : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// in_segments: on one decoder per core, segment by segment; else in order on one decoder.
std::unique_ptr<PictureSource::Strategy> make_every_picture(const std::filesystem::path& path,
                                                            const PictureDecodeOptions& options, bool in_segments);
// With options.full_pictures: every picture in order, each also shaped for a clip.
std::unique_ptr<PictureSource::Strategy> make_full_pictures(const std::filesystem::path& path,
                                                            const PictureSourceOptions& options,
                                                            const ChangeTest& changes);
std::unique_ptr<PictureSource::Strategy> make_reference_first(const std::filesystem::path& path,
                                                              const PictureDecodeOptions& options,
                                                              const ChangeTest& changes);

}  // namespace clipper::media
