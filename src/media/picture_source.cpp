#include "clipper/media/picture_source.hpp"

#include <spdlog/spdlog.h>

#include <exception>
#include <thread>

#include "clipper/util/bounded_queue.hpp"
#include "picture_strategy.hpp"

namespace clipper::media {
namespace {

// Decodes on a thread of its own a few pictures ahead, so that the decoder's frame threads never
// wait for the analysis of the previous picture.
class EveryPicture final : public PictureSource::Strategy {
 public:
  EveryPicture(const std::filesystem::path& path, const PictureReaderOptions& options)
      : m_reader(path, options), m_thread([this] { decode(); }) {}

  ~EveryPicture() override {
    m_decoded.close();
    m_thread.join();
  }

  bool next(SourcePicture& out) override {
    auto decoded = m_decoded.pop();
    if (!decoded) {
      if (m_failure) std::rethrow_exception(m_failure);
      return false;
    }
    out = {.picture = m_reader.shrink(*decoded)};
    return true;
  }

  double frame_rate() const override { return m_reader.frame_rate(); }
  double declared_duration_s() const override { return m_reader.declared_duration_s(); }

 private:
  static constexpr size_t kDecodeAhead = 4;

  void decode() {
    try {
      DecodedPicture picture;
      while (m_reader.next_decoded(picture) && m_decoded.push(std::move(picture))) {
      }
    } catch (...) {
      m_failure = std::current_exception();
    }
    m_decoded.close();
  }

  PictureReader m_reader;
  util::BoundedQueue<DecodedPicture> m_decoded{kDecodeAhead};
  std::exception_ptr m_failure;
  std::thread m_thread;  // last: it starts once the members it uses exist
};

}  // namespace

std::unique_ptr<PictureSource::Strategy> make_every_picture(const std::filesystem::path& path,
                                                            const PictureReaderOptions& options) {
  return std::make_unique<EveryPicture>(path, options);
}

PictureSource::PictureSource(const std::filesystem::path& path, const PictureSourceOptions& options, ChangeTest changes)
    : m_path(path), m_options(options), m_changes(std::move(changes)) {
  if (!m_options.every_picture) {
    try {
      m_strategy = make_reference_first(path, options.reader, m_changes);
    } catch (const NotReferenceFirst&) {
    }
  }
  if (!m_strategy) m_strategy = make_every_picture(path, options.reader);
  m_frame_rate = m_strategy->frame_rate();
}

PictureSource::~PictureSource() = default;

double PictureSource::declared_duration_s() const { return m_strategy->declared_duration_s(); }

PictureCounts PictureSource::counts() const {
  PictureCounts counts = m_counts;
  counts.segments = m_strategy->segments();
  counts.replays = m_strategy->replays();
  counts.replayed_packets = m_strategy->replayed_packets();
  return counts;
}

bool PictureSource::next(SourcePicture& out) {
  for (;;) {
    try {
      if (!m_strategy->next(out)) return false;
      ++m_counts.pictures;
      if (!out.repeated) ++m_counts.decoded;
      return true;
    } catch (const NotReferenceFirst& reason) {
      spdlog::debug("'{}': {}; decoding every picture", m_path.string(), reason.what());
      fall_back_to_every_picture();
    }
  }
}

// Starts again from the first picture and passes over those already given out.
void PictureSource::fall_back_to_every_picture() {
  m_strategy.reset();
  m_strategy = make_every_picture(m_path, m_options.reader);
  SourcePicture skipped;
  for (long given = 0; given < m_counts.pictures && m_strategy->next(skipped); ++given) {
  }
}

}  // namespace clipper::media
