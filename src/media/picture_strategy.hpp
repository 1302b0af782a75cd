#pragma once
// The two ways a PictureSource decodes: every picture, or reference pictures first.
#include <stdexcept>

#include "clipper/media/picture_source.hpp"

struct AVStream;

namespace clipper::media {

// Decoders to run at once: options.threads, or one per core.
int decoders_for(const PictureDecodeOptions& options);
// The size pictures are analysed at: the display aspect, longer_side at most.
Size analysis_picture_size(const AVStream& stream, int longer_side);

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

// in_segments: on one decoder per core, segment by segment (not with full_pictures); else in order
// on one decoder.
std::unique_ptr<PictureSource::Strategy> make_every_picture(const std::filesystem::path& path,
                                                            const PictureSourceOptions& options, bool in_segments);
std::unique_ptr<PictureSource::Strategy> make_reference_first(const std::filesystem::path& path,
                                                              const PictureDecodeOptions& options,
                                                              const ChangeTest& changes);

}  // namespace clipper::media
