#pragma once
// A video's pictures for analysis, small, in presentation order, decoded ahead on threads of their
// own (one decoder per core for reference pictures, one for every picture). For H.264 and HEVC it decodes reference
// pictures first: the pictures between two reference pictures are decoded only when the ChangeTest says those two
// differ; otherwise each of them is reported as a repeat of the picture before it. Frame numbers and times are those of
// every picture all the same. Other codecs, or `every_picture`, decode each picture. Read from one thread.
#include <filesystem>
#include <functional>
#include <memory>

#include "clipper/media/picture.hpp"
#include "clipper/media/picture_options.hpp"
#include "clipper/media/picture_slots.hpp"
#include "clipper/media/shared_frame.hpp"

namespace clipper::media {

// Tells where the pictures between two reference pictures must be decoded. `difference` is called
// once for each reference picture, in presentation order, and gives how far it is from the one
// before; `may_change` tells from those differences whether the pictures of a stretch must be
// decoded (the analysis' StretchRule).
struct ChangeTest {
  std::function<double(const Picture& reference)> difference;
  StretchRule may_change;
};

struct SourcePicture {
  Picture picture;        // its bgr stays valid until the next call to next()
  bool repeated = false;  // not decoded: it stands for a picture that shows no change
  SharedFrame frame;      // with full_pictures: the picture as a clip's encoder takes it (upright, at the clips' size)
};

struct PictureCounts {
  long pictures = 0;          // in presentation order, decoded or repeated
  long decoded = 0;           // converted for analysis
  long segments = 1;          // stretches between keyframes decoded apart, on decoders of their own
  long replays = 0;           // decoders started again from a keyframe, for pictures skipped at first
  long replayed_packets = 0;  // ... and the packets they decoded
};

class PictureSource {
 public:
  // Throws "cannot open input 'PATH': <cause>", also when there is no video stream.
  PictureSource(const std::filesystem::path& path, const PictureSourceOptions& options, ChangeTest changes);
  ~PictureSource();
  PictureSource(const PictureSource&) = delete;
  PictureSource& operator=(const PictureSource&) = delete;

  // The next picture; false at the end. Throws "cannot decode 'PATH': ..." when nothing decodes.
  bool next(SourcePicture& out);

  double frame_rate() const { return m_frame_rate; }
  // What the file says the video lasts, 0 when it does not say.
  double declared_duration_s() const;
  PictureCounts counts() const;

  class Strategy;

 private:
  void fall_back_to_every_picture();

  std::filesystem::path m_path;
  PictureSourceOptions m_options;
  ChangeTest m_changes;
  std::unique_ptr<Strategy> m_strategy;
  bool m_in_order = false;  // every picture by one decoder in order: what the others fall back to
  double m_frame_rate = 0.0;
  PictureCounts m_counts;
};

}  // namespace clipper::media
