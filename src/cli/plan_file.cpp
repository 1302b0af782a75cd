#include "plan_file.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <nlohmann/json.hpp>
#include <optional>
#include <sstream>

#include "clipper/media/demuxer.hpp"
#include "clipper/report/json_report.hpp"
#include "clipper/util/error.hpp"

namespace clipper::cli {
namespace {

// Where a plan may end past what the file says the video lasts: its last picture's duration.
constexpr double kEndTolerance_s = 0.05;
constexpr int kMaxClipNumber = 999999;

nlohmann::json parse(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw util::UsageError(fmt::format("cannot read plan '{}': {}", file.string(), std::strerror(errno)));
  std::stringstream text;
  text << in.rdbuf();
  try {
    return nlohmann::json::parse(text.str());
  } catch (const nlohmann::json::parse_error& error) {
    throw util::UsageError(fmt::format("{}: not JSON: {}", file.string(), error.what()));
  }
}

// A field that must be a finite number; nullopt, and an error, when it is not.
std::optional<double> number(const nlohmann::json& clip, const char* key, const std::string& where,
                             std::vector<std::string>& errors, std::optional<double> absent = std::nullopt) {
  const auto field = clip.find(key);
  if (field == clip.end() || field->is_null()) {
    if (!absent) errors.push_back(fmt::format("{}: no {}", where, key));
    return absent;
  }
  if (!field->is_number() || !std::isfinite(field->get<double>())) {
    errors.push_back(fmt::format("{}.{}: not a number", where, key));
    return std::nullopt;
  }
  return field->get<double>();
}

std::optional<plan::ClipWindow> read_window(const nlohmann::json& clip, const std::string& where, double length_s,
                                            std::vector<std::string>& errors) {
  if (!clip.is_object()) {
    errors.push_back(fmt::format("{}: not an object with a start and an end", where));
    return std::nullopt;
  }
  const size_t before = errors.size();
  const auto start = number(clip, "start", where, errors);
  const auto end = number(clip, "end", where, errors);
  const auto moment = number(clip, "moment", where, errors, start.value_or(0.0));
  const auto score = number(clip, "score", where, errors, 0.0);
  if (errors.size() > before) return std::nullopt;
  if (*start < 0) errors.push_back(fmt::format("{}: start {:.3f} before the video's start", where, *start));
  if (*end <= *start) errors.push_back(fmt::format("{}: end {:.3f} before start {:.3f}", where, *end, *start));
  if (length_s > 0 && *end > length_s + kEndTolerance_s) {
    errors.push_back(fmt::format("{}: end {:.3f} past the video's end {:.3f}", where, *end, length_s));
  }
  if (errors.size() > before) return std::nullopt;
  return plan::ClipWindow{.start_s = *start, .end_s = *end, .moment_s = *moment, .score = *score};
}

// A clip's "n": a whole number from 1, or nullopt when absent; an error when it is anything else.
std::optional<int> clip_number(const nlohmann::json& clip, const std::string& where, std::vector<std::string>& errors) {
  const auto field = clip.find("n");
  if (field == clip.end() || field->is_null()) return std::nullopt;
  const double value = field->is_number() ? field->get<double>() : 0.0;
  if (!(value >= 1 && value <= kMaxClipNumber) || value != std::floor(value)) {
    errors.push_back(fmt::format("{}.n: not a clip number (a whole number from 1 to {})", where, kMaxClipNumber));
    return std::nullopt;
  }
  return static_cast<int>(value);
}

// Clips the plan gives no number take the numbers after the highest one given, in plan order.
void number_the_rest(std::vector<plan::ClipWindow>& clips) {
  int highest = 0;
  for (const plan::ClipWindow& clip : clips) highest = std::max(highest, clip.number.value_or(0));
  for (plan::ClipWindow& clip : clips) {
    if (!clip.number) clip.number = ++highest;
  }
}

// What the file says its video lasts, 0 when it does not say; an error when it cannot be opened.
std::optional<double> video_length_s(const std::filesystem::path& path, const std::string& where,
                                     std::vector<std::string>& errors) {
  try {
    const media::Demuxer demuxer(path);
    return demuxer.stream_duration_s(media::require_video_stream(demuxer));
  } catch (const util::Error& error) {
    errors.push_back(fmt::format("{}: {}", where, error.what()));
    return std::nullopt;
  }
}

std::optional<PlannedVideo> read_video(const nlohmann::json& video, const std::string& where,
                                       std::vector<std::string>& errors) {
  const std::optional<std::filesystem::path> path = video.is_object() ? report::read_path(video, "path") : std::nullopt;
  if (!path) {
    errors.push_back(fmt::format("{}: no path", where));
    return std::nullopt;
  }
  const auto clips = video.find("clips");
  if (clips == video.end() || !clips->is_array()) {
    errors.push_back(fmt::format("{}: no clips (a list)", where));
    return std::nullopt;
  }
  if (clips->empty()) return std::nullopt;
  const std::optional<double> length_s = video_length_s(*path, where, errors);
  if (!length_s) return std::nullopt;
  PlannedVideo planned{.path = *path, .clips = {}, .entries = {}};
  for (size_t i = 0; i < clips->size(); ++i) {
    const std::string entry = fmt::format("{}.clips[{}]", where, i);
    const size_t before = errors.size();
    auto window = read_window((*clips)[i], entry, *length_s, errors);
    const std::optional<int> number = clip_number((*clips)[i], entry, errors);
    if (errors.size() > before) continue;
    window->number = number;
    planned.clips.push_back(*window);
    planned.entries.push_back(entry);
  }
  if (planned.clips.empty()) return std::nullopt;
  number_the_rest(planned.clips);
  return planned;
}

}  // namespace

PlanFile read_plan(const std::filesystem::path& file) {
  const nlohmann::json document = parse(file);
  const auto videos = document.is_object() ? document.find("videos") : document.end();
  if (!document.is_object() || videos == document.end() || !videos->is_array()) {
    throw util::UsageError(fmt::format("{}: not a plan: no \"videos\" list (see clipper analyze --json)", file.string()));
  }
  PlanFile plan;
  std::vector<std::string> errors;
  for (size_t i = 0; i < videos->size(); ++i) {
    if (auto video = read_video((*videos)[i], fmt::format("videos[{}]", i), errors)) {
      plan.videos.push_back(std::move(*video));
    }
  }
  for (const std::string& error : errors) plan.errors.push_back(fmt::format("{}: {}", file.string(), error));
  return plan;
}

}  // namespace clipper::cli
