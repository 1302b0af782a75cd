#include "clipper/report/json_report.hpp"

#include <optional>

#include "clipper/util/atomic_file.hpp"

namespace clipper::report {
namespace {

nlohmann::json optional_text(const std::optional<std::string>& text) { return text ? nlohmann::json(*text) : nullptr; }

bool is_utf8(const std::string& text) {
  try {
    (void)nlohmann::json(text).dump();
    return true;
  } catch (const nlohmann::json::type_error&) {
    return false;
  }
}

std::string hex_of(const std::string& bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string hex;
  for (const unsigned char byte : bytes) {
    hex += kDigits[byte >> 4];
    hex += kDigits[byte & 0xf];
  }
  return hex;
}

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::optional<std::string> bytes_of_hex(const std::string& hex) {
  if (hex.size() % 2 != 0) return std::nullopt;
  std::string bytes;
  for (size_t i = 0; i < hex.size(); i += 2) {
    const int high = hex_digit(hex[i]);
    const int low = hex_digit(hex[i + 1]);
    if (high < 0 || low < 0) return std::nullopt;
    bytes += static_cast<char>(high * 16 + low);
  }
  return bytes;
}

}  // namespace

std::optional<std::filesystem::path> read_path(const nlohmann::json& object, const std::string& key) {
  const auto bytes = object.find(key + "_bytes");
  if (bytes != object.end() && bytes->is_string()) {
    if (auto decoded = bytes_of_hex(bytes->get<std::string>())) return std::filesystem::path(*decoded);
  }
  const auto text = object.find(key);
  if (text == object.end() || !text->is_string()) return std::nullopt;
  return std::filesystem::path(text->get<std::string>());
}

void put_path(nlohmann::json& object, const std::string& key, const std::filesystem::path& path) {
  const std::string& bytes = path.native();
  object[key] = bytes;
  if (!is_utf8(bytes)) object[key + "_bytes"] = hex_of(bytes);
}

std::string json_text(const nlohmann::json& document, int indent) {
  return document.dump(indent, ' ', false, nlohmann::json::error_handler_t::replace);
}

nlohmann::json distribution_json(const Distribution& d) {
  return {{"mean", d.mean}, {"min", d.min}, {"p50", d.p50}, {"p95", d.p95}, {"p99", d.p99}, {"max", d.max}};
}

nlohmann::json pipeline_config_json(const pipeline::PipelineConfig& config) {
  return {{"topology", pipeline::topology_name(config.topology)},
          {"cores", config.cores},
          {"analyzers", config.analyzers},
          {"encoders", config.encoders},
          {"threads_per_encoder", config.threads_per_encoder > 0 ? nlohmann::json(config.threads_per_encoder) : nullptr},
          {"max_in_flight", config.max_in_flight},
          {"decode_once", config.decode_once}};
}

nlohmann::json simulated_run_json(const pipeline::PipelineConfig& config, double duration_s,
                                  const EventSummary& summary) {
  nlohmann::json run = pipeline_config_json(config);
  run.update({{"bounded", config.bound_encoding},
              {"duration_s", duration_s},
              {"events", summary.events},
              {"throughput_per_min", summary.throughput_per_min},
              {"latency_ms", distribution_json(summary.latency_ms)},
              {"in_flight_mean", summary.in_flight_mean},
              {"littles_law_error", summary.littles_law_error}});
  return run;
}

nlohmann::json summary_json(const Summary& s) {
  return {{"clips_ok", s.clips_ok},
          {"clips_failed", s.clips_failed},
          {"clips_skipped", s.clips_skipped},
          {"clips_interrupted", s.clips_interrupted},
          {"videos_ok", s.videos_ok},
          {"videos_failed", s.videos_failed},
          {"wall_s", s.wall_s},
          {"throughput_per_min", s.throughput_per_min},
          {"latency_s", distribution_json(s.latency_s)},
          {"latency_from_admission_s", distribution_json(s.latency_from_admission_s)},
          {"mean_stage_s",
           {{"admission_wait", s.admission_wait_s},
            {"analysis_work", s.analysis_work_s},
            {"encode_wait", s.encode_wait_s},
            {"encode_work", s.encode_work_s}}},
          {"peak_encoders", s.peak_encoders},
          {"peak_videos_in_flight", s.peak_videos_in_flight},
          {"in_flight_mean", s.in_flight_l},
          {"lambda_per_s", s.lambda_per_s},
          {"latency_mean_s", s.latency_w_s},
          {"littles_law_error", s.littles_law_error}};
}

nlohmann::json clip_json(const pipeline::ClipRecord& clip) {
  const pipeline::ClipTimes& t = clip.times;
  nlohmann::json record = {{"index", clip.index ? nlohmann::json(*clip.index) : nullptr},
                           {"status", pipeline::status_name(clip.status)},
                           {"error", optional_text(clip.error)}};
  put_path(record, "source", clip.source);
  if (clip.index) {
    record["moment"] = clip.window.moment_s;
    record["score"] = clip.window.score;
    record["start"] = clip.window.start_s;
    record["end"] = clip.window.end_s;
    put_path(record, "output", clip.output);
    record["encoder_slot"] = clip.encoder_slot;
    record["threads"] = clip.threads;
    record["t"] = {{"admitted", t.admitted},
                   {"analysis_start", t.analysis_start},
                   {"detected", t.detected},
                   {"encode_start", t.encode_start},
                   {"encode_end", t.encode_end}};
  } else {
    record["t"] = {{"admitted", t.admitted}, {"analysis_start", t.analysis_start}};
  }
  return record;
}

nlohmann::json video_json(const pipeline::VideoRecord& video) {
  nlohmann::json record = {{"error", optional_text(video.error)},
                           {"warning", optional_text(video.warning)},
                           {"interrupted", video.interrupted},
                           {"clips_planned", video.clips_planned},
                           {"t",
                            {{"admitted", video.admitted},
                             {"analysis_start", video.analysis_start},
                             {"analysis_end", video.analysis_end},
                             {"finished", video.finished}}}};
  put_path(record, "source", video.source);
  return record;
}

namespace {

std::optional<std::string> text_or_null(const nlohmann::json& object, const char* key) {
  const auto value = object.find(key);
  if (value == object.end() || !value->is_string()) return std::nullopt;
  return value->get<std::string>();
}

double time_of(const nlohmann::json& object, const char* key) {
  const nlohmann::json t = object.value("t", nlohmann::json::object());
  return t.is_object() ? t.value(key, 0.0) : 0.0;
}

pipeline::ClipStatus status_of(const std::string& name) {
  for (auto status : {pipeline::ClipStatus::ok, pipeline::ClipStatus::skipped, pipeline::ClipStatus::interrupted}) {
    if (pipeline::status_name(status) == name) return status;
  }
  return pipeline::ClipStatus::failed;
}

}  // namespace

pipeline::ClipRecord clip_from_json(const nlohmann::json& clip) {
  pipeline::ClipRecord record{.source = read_path(clip, "source").value_or(""),
                              .output = read_path(clip, "output").value_or(""),
                              .status = status_of(clip.value("status", "failed")),
                              .error = text_or_null(clip, "error"),
                              .encoder_slot = clip.value("encoder_slot", -1),
                              .threads = clip.value("threads", 0),
                              .times = {.admitted = time_of(clip, "admitted"),
                                        .analysis_start = time_of(clip, "analysis_start"),
                                        .detected = time_of(clip, "detected"),
                                        .encode_start = time_of(clip, "encode_start"),
                                        .encode_end = time_of(clip, "encode_end")}};
  if (clip.contains("index") && clip["index"].is_number_integer()) record.index = clip["index"].get<int>();
  record.window = {.start_s = clip.value("start", 0.0),
                   .end_s = clip.value("end", 0.0),
                   .moment_s = clip.value("moment", 0.0),
                   .score = clip.value("score", 0.0)};
  return record;
}

pipeline::VideoRecord video_from_json(const nlohmann::json& video) {
  return {.source = read_path(video, "source").value_or(""),
          .admitted_at_all = true,
          .interrupted = video.value("interrupted", false),
          .error = text_or_null(video, "error"),
          .warning = text_or_null(video, "warning"),
          .clips_planned = video.value("clips_planned", 0),
          .admitted = time_of(video, "admitted"),
          .analysis_start = time_of(video, "analysis_start"),
          .analysis_end = time_of(video, "analysis_end"),
          .finished = time_of(video, "finished")};
}

nlohmann::json report_json(const nlohmann::json& config, const pipeline::RunResult& result, const Summary& summary) {
  nlohmann::json clips = nlohmann::json::array();
  for (const pipeline::ClipRecord& clip : result.clips) clips.push_back(clip_json(clip));
  nlohmann::json videos = nlohmann::json::array();
  for (const pipeline::VideoRecord& video : result.videos) videos.push_back(video_json(video));
  return {{"config", config},
          {"interrupted", result.interrupted},
          {"clips", clips},
          {"videos", videos},
          {"summary", summary_json(summary)}};
}

void write_json(const std::filesystem::path& path, const nlohmann::json& document) {
  util::write_file_atomically(path, json_text(document) + "\n");
}

}  // namespace clipper::report
