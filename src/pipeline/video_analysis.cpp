#include "clipper/pipeline/video_analysis.hpp"

#include <opencv2/core.hpp>

#include <exception>
#include <thread>

#include "clipper/util/bounded_queue.hpp"
#include "clipper/util/error.hpp"

namespace clipper::pipeline {
namespace {

class Analysis {
 public:
  Analysis(const std::filesystem::path& path, const AnalyzeSettings& settings, const ClipCallback& on_clip)
      : m_reader(path, settings.reader), m_detector(settings.detector), m_planner(settings.plan), m_on_clip(on_clip) {
    m_result.path = path;
    m_result.fps = m_reader.frame_rate();
  }

  // Decoding runs on a thread of its own a few pictures ahead, so that the decoder's frame threads
  // never wait for the detector to ask for the next picture.
  VideoAnalysis run() {
    util::BoundedQueue<media::DecodedPicture> decoded(kDecodeAhead);
    std::exception_ptr decode_failure;
    std::thread decoder([&] {
      try {
        media::DecodedPicture picture;
        while (m_reader.next_decoded(picture) && decoded.push(std::move(picture))) {
        }
      } catch (...) {
        decode_failure = std::current_exception();
      }
      decoded.close();
    });
    double last_time_s = 0.0;
    try {
      while (auto picture = decoded.pop()) {
        detect(m_reader.shrink(*picture));
        last_time_s = picture->time_s;
      }
    } catch (...) {
      decoded.close();
      decoder.join();
      throw;
    }
    decoder.join();
    if (decode_failure) std::rethrow_exception(decode_failure);
    take(m_detector.finish());
    m_result.frames = m_reader.pictures_read();
    m_result.duration_s = last_time_s + 1.0 / m_result.fps;
    release(m_planner.finish(m_result.duration_s));
    return std::move(m_result);
  }

 private:
  static constexpr size_t kDecodeAhead = 4;

  void detect(const media::Picture& picture) {
    const cv::Mat bgr(picture.size.height, picture.size.width, CV_8UC3, const_cast<uint8_t*>(picture.bgr),
                      static_cast<size_t>(picture.stride));
    take(m_detector.push(bgr, picture.index, picture.time_s));
    release(m_planner.advance(m_detector.settled_time_s()));
  }

  void take(const std::vector<analysis::Moment>& moments) {
    for (const analysis::Moment& moment : moments) {
      m_result.moments.push_back(moment);
      release(m_planner.add({.time_s = moment.time_s, .score = moment.score}));
    }
  }

  void release(const std::vector<plan::ClipWindow>& windows) {
    for (const plan::ClipWindow& window : windows) {
      m_result.clips.push_back(window);
      if (m_on_clip) m_on_clip(window);
    }
  }

  media::PictureReader m_reader;
  analysis::SceneDetector m_detector;
  plan::ClipPlanner m_planner;
  const ClipCallback& m_on_clip;
  VideoAnalysis m_result;
};

}  // namespace

VideoAnalysis analyze_video(const std::filesystem::path& path, const AnalyzeSettings& settings,
                            const ClipCallback& on_clip) {
  try {
    return Analysis(path, settings, on_clip).run();
  } catch (const util::Interrupted&) {
    throw;
  } catch (const std::exception& error) {
    VideoAnalysis failed;
    failed.path = path;
    failed.error = error.what();
    return failed;
  }
}

}  // namespace clipper::pipeline
