#include "clipper/report/edit_lists.hpp"

#include <fmt/format.h>

#include <cmath>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "clipper/report/json_report.hpp"
#include "url_path.hpp"

namespace clipper::report {
namespace {

constexpr double kRateTolerance = 0.01;

bool is_drop_frame(double fps) {
  return std::abs(fps - 30000.0 / 1001.0) < kRateTolerance || std::abs(fps - 60000.0 / 1001.0) < kRateTolerance;
}

// Frames per second as timecode counts them: 24 for 23.976, 30 for 29.97.
long timecode_base(double fps) { return std::max(1L, std::lround(fps)); }

long frame_at(double seconds, double fps) { return std::lround(seconds * fps); }

// Drop-frame timecode skips the first labels (2 at 29.97, 4 at 59.94) of every minute but each
// tenth, so that its labels keep up with the clock.
long drop_frame_label(long frames, long base) {
  const long dropped = base / 15;
  const long per_ten_minutes = 10 * 60 * base - 9 * dropped;
  const long per_minute = 60 * base - dropped;
  const long tens = frames / per_ten_minutes;
  const long rest = frames % per_ten_minutes;
  const long skipped = rest < dropped ? 0 : dropped * ((rest - dropped) / per_minute);
  return frames + 9 * dropped * tens + skipped;
}

std::vector<const pipeline::VideoAnalysis*> analysed(const std::vector<pipeline::VideoAnalysis>& videos) {
  std::vector<const pipeline::VideoAnalysis*> kept;
  for (const auto& video : videos) {
    if (!video.error && video.fps > 0.0) kept.push_back(&video);
  }
  return kept;
}

std::string clip_name(const pipeline::VideoAnalysis& video, size_t index) {
  return fmt::format("{}-{:02d}", video.path.stem().string(), index + 1);
}

std::string file_url(const std::filesystem::path& path) {
  return "file://" + url_path(std::filesystem::absolute(path).lexically_normal());
}

nlohmann::json rational_time(double value, double rate) {
  return {{"OTIO_SCHEMA", "RationalTime.1"}, {"rate", rate}, {"value", value}};
}

nlohmann::json time_range(long start, long duration, double rate) {
  return {{"OTIO_SCHEMA", "TimeRange.1"},
          {"start_time", rational_time(static_cast<double>(start), rate)},
          {"duration", rational_time(static_cast<double>(duration), rate)}};
}

nlohmann::json otio_clip(const pipeline::VideoAnalysis& video, size_t index) {
  const plan::ClipWindow& window = video.clips[index];
  const long start = frame_at(window.start_s, video.fps);
  const long end = frame_at(window.end_s, video.fps);
  nlohmann::json reference = {{"OTIO_SCHEMA", "ExternalReference.1"},
                              {"name", video.path.filename().string()},
                              {"target_url", file_url(video.path)},
                              {"available_range", time_range(0, frame_at(video.duration_s, video.fps), video.fps)},
                              {"metadata", nlohmann::json::object()}};
  return {{"OTIO_SCHEMA", "Clip.1"},
          {"name", clip_name(video, index)},
          {"source_range", time_range(start, end - start, video.fps)},
          {"media_reference", reference},
          {"effects", nlohmann::json::array()},
          {"markers", nlohmann::json::array()},
          {"metadata", {{"clipper", {{"moment", window.moment_s}, {"score", window.score}}}}}};
}

}  // namespace

std::string csv_field(const std::string& text) {
  std::string quoted = "\"";
  for (const char c : text) quoted += c == '"' ? std::string("\"\"") : std::string(1, c);
  return quoted + "\"";
}

std::string clips_csv(const std::vector<pipeline::VideoAnalysis>& videos) {
  std::string csv = "video,clip,start,end,moment,score\n";
  for (const pipeline::VideoAnalysis* video : analysed(videos)) {
    for (size_t i = 0; i < video->clips.size(); ++i) {
      const plan::ClipWindow& clip = video->clips[i];
      csv += fmt::format("{},{},{:.3f},{:.3f},{:.3f},{:.4f}\n", csv_field(video->path.string()), i + 1, clip.start_s,
                         clip.end_s, clip.moment_s, clip.score);
    }
  }
  return csv;
}

std::string timecode(long frames, double fps) {
  const long base = timecode_base(fps);
  const bool drop = is_drop_frame(fps);
  const long label = drop ? drop_frame_label(frames, base) : frames;
  return fmt::format("{:02d}:{:02d}:{:02d}{}{:02d}", label / (3600 * base), label / (60 * base) % 60,
                     label / base % 60, drop ? ';' : ':', label % base);
}

std::string clips_edl(const std::vector<pipeline::VideoAnalysis>& videos, const std::string& title) {
  const auto kept = analysed(videos);
  const double record_fps = kept.empty() ? 25.0 : kept.front()->fps;
  std::string edl = fmt::format("TITLE: {}\n", title);
  std::optional<bool> drop_mode;
  long record = 0;
  int event = 0;
  for (const pipeline::VideoAnalysis* video : kept) {
    for (size_t i = 0; i < video->clips.size(); ++i) {
      const plan::ClipWindow& clip = video->clips[i];
      const long start = frame_at(clip.start_s, video->fps);
      const long end = frame_at(clip.end_s, video->fps);
      const long length = std::lround(static_cast<double>(end - start) * record_fps / video->fps);
      if (drop_mode != is_drop_frame(video->fps)) {
        drop_mode = is_drop_frame(video->fps);
        edl += *drop_mode ? "FCM: DROP FRAME\n" : "FCM: NON-DROP FRAME\n";
      }
      edl += fmt::format("\n{:03d}  AX       V     C        {} {} {} {}\n", ++event, timecode(start, video->fps),
                         timecode(end, video->fps), timecode(record, record_fps), timecode(record + length, record_fps));
      edl += fmt::format("* FROM CLIP NAME: {}\n", clip_name(*video, i));
      edl += fmt::format("* SOURCE FILE: {}\n", std::filesystem::absolute(video->path).lexically_normal().string());
      record += length;
    }
  }
  return edl;
}

std::string clips_otio(const std::vector<pipeline::VideoAnalysis>& videos, const std::string& name) {
  nlohmann::json clips = nlohmann::json::array();
  for (const pipeline::VideoAnalysis* video : analysed(videos)) {
    for (size_t i = 0; i < video->clips.size(); ++i) clips.push_back(otio_clip(*video, i));
  }
  const nlohmann::json track = {{"OTIO_SCHEMA", "Track.1"},  {"name", "Video"},
                                {"kind", "Video"},           {"children", clips},
                                {"source_range", nullptr},   {"effects", nlohmann::json::array()},
                                {"markers", nlohmann::json::array()}, {"metadata", nlohmann::json::object()}};
  const nlohmann::json stack = {{"OTIO_SCHEMA", "Stack.1"},
                                {"name", "tracks"},
                                {"children", nlohmann::json::array({track})},
                                {"source_range", nullptr},
                                {"effects", nlohmann::json::array()},
                                {"markers", nlohmann::json::array()},
                                {"metadata", nlohmann::json::object()}};
  const nlohmann::json timeline = {{"OTIO_SCHEMA", "Timeline.1"},
                                   {"name", name},
                                   {"global_start_time", nullptr},
                                   {"tracks", stack},
                                   {"metadata", nlohmann::json::object()}};
  return json_text(timeline, 4) + "\n";
}

}  // namespace clipper::report
