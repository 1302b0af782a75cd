#include "queue_job.hpp"

#include <fmt/format.h>

#include <cmath>
#include <cstring>
#include <functional>
#include <map>

#include "clipper/report/json_report.hpp"
#include "clipper/util/error.hpp"

namespace clipper::cli {
namespace {

using Json = nlohmann::json;

util::Error bad(const std::string& what) { return util::Error(what); }

double number(const Json& value, const std::string& key) {
  if (!value.is_number()) throw bad(fmt::format("option '{}' must be a number, not {}", key, value.dump()));
  const double x = value.get<double>();
  if (!std::isfinite(x)) throw bad(fmt::format("option '{}' must be a finite number", key));
  return x;
}

double non_negative(const Json& value, const std::string& key) {
  const double x = number(value, key);
  if (x < 0) throw bad(fmt::format("option '{}' is {}: it must be 0 or more", key, value.dump()));
  return x;
}

int integer(const Json& value, const std::string& key, int low, int high) {
  if (!value.is_number_integer()) throw bad(fmt::format("option '{}' must be a whole number, not {}", key, value.dump()));
  const long long x = value.get<long long>();
  if (x < low || x > high) throw bad(fmt::format("option '{}' is {}: it must be {} to {}", key, x, low, high));
  return static_cast<int>(x);
}

bool flag(const Json& value, const std::string& key) {
  if (!value.is_boolean()) throw bad(fmt::format("option '{}' must be true or false, not {}", key, value.dump()));
  return value.get<bool>();
}

std::string text(const Json& value, const std::string& key) {
  if (!value.is_string()) throw bad(fmt::format("'{}' must be text, not {}", key, value.dump()));
  return value.get<std::string>();
}

using Setter = std::function<void(const Json&, RunOptions&)>;

// Every option a job may carry, with how it is checked and where it goes.
const std::map<std::string, Setter>& option_setters() {
  static const std::map<std::string, Setter> setters = {
      {"detector", [](const Json& v, RunOptions& o) { o.analysis.detector = text(v, "detector"); }},
      {"threshold",
       [](const Json& v, RunOptions& o) {
         if (v.is_null()) return;
         const double x = number(v, "threshold");
         if (x <= 0) throw bad(fmt::format("option 'threshold' is {}: it must be above 0", v.dump()));
         o.analysis.settings.detector.threshold = x;
       }},
      {"min_scene",
       [](const Json& v, RunOptions& o) { o.analysis.settings.detector.min_scene_s = non_negative(v, "min_scene"); }},
      {"fades", [](const Json& v, RunOptions& o) { o.analysis.settings.detector.fades = flag(v, "fades"); }},
      {"edges", [](const Json& v, RunOptions& o) { o.analysis.edges = flag(v, "edges"); }},
      {"every_picture",
       [](const Json& v, RunOptions& o) { o.analysis.settings.source.every_picture = flag(v, "every_picture"); }},
      {"decode_once",
       [](const Json& v, RunOptions& o) {
         if (!v.is_null()) o.decode_once = flag(v, "decode_once") ? 1 : -1;
       }},
      {"pre", [](const Json& v, RunOptions& o) { o.analysis.settings.plan.pre_s = non_negative(v, "pre"); }},
      {"post", [](const Json& v, RunOptions& o) { o.analysis.settings.plan.post_s = non_negative(v, "post"); }},
      {"min_clip",
       [](const Json& v, RunOptions& o) { o.analysis.settings.plan.min_clip_s = non_negative(v, "min_clip"); }},
      {"max_clips",
       [](const Json& v, RunOptions& o) {
         if (!v.is_null()) o.analysis.settings.plan.max_clips = integer(v, "max_clips", 1, 1000000);
       }},
      {"preset", [](const Json& v, RunOptions& o) { o.encode.preset = text(v, "preset"); }},
      {"crf", [](const Json& v, RunOptions& o) { o.encode.crf = integer(v, "crf", 0, 51); }},
      {"height", [](const Json& v, RunOptions& o) { o.encode.height = integer(v, "height", 16, 8640); }},
      {"upscale", [](const Json& v, RunOptions& o) { o.encode.upscale = flag(v, "upscale"); }},
      {"deinterlace", [](const Json& v, RunOptions& o) { o.encode.deinterlace = flag(v, "deinterlace"); }},
      {"name", [](const Json& v, RunOptions& o) { o.name_template = text(v, "name"); }},
  };
  return setters;
}

// A name that is one plain path component: it cannot lead out of DIR.
std::string checked_name(const std::string& name) {
  const bool plain = !name.empty() && name.size() <= 255 && name != "." && name != ".." &&
                     name.find('/') == std::string::npos && name.find('\0') == std::string::npos;
  if (!plain) throw bad(fmt::format("'name' {} must be a plain file name", Json(name).dump()));
  return name;
}

std::filesystem::path checked_video(const std::string& text_path) {
  const std::filesystem::path video(text_path);
  if (!video.is_absolute()) throw bad(fmt::format("'video' '{}' must be an absolute path", text_path));
  std::error_code error;
  const auto status = std::filesystem::status(video, error);
  if (error || !std::filesystem::exists(status)) {
    throw bad(fmt::format("cannot open input '{}': {}", text_path, std::strerror(ENOENT)));
  }
  if (!std::filesystem::is_regular_file(status)) throw bad(fmt::format("cannot open input '{}': not a file", text_path));
  return video;
}

// The options the job set must make sense together, as the command line's would.
void check_options(RunOptions& options) {
  try {
    (void)plan::NameTemplate::parse(options.name_template, true);
  } catch (const util::UsageError& error) {
    throw bad(fmt::format("option 'name' '{}': {}", options.name_template, error.what()));
  }
  // The videos of a queue are many: each worker's encoder has an analysis of its own.
  options.analysis.settings.decode_once = options.decode_once >= 0;
  try {
    resolve_analysis_options(options.analysis);
    media::validate(options.encode);
  } catch (const util::UsageError& error) {
    throw bad(fmt::format("options: {}", error.what()));
  }
}

}  // namespace

Json job_json(const std::filesystem::path& video, const std::string& name, const RunOptions& options) {
  const auto& detector = options.analysis.settings.detector;
  const auto& plan = options.analysis.settings.plan;
  Json job = {{"name", name},
              {"options",
               {{"detector", options.analysis.detector},
                {"threshold", detector.threshold ? Json(*detector.threshold) : Json(nullptr)},
                {"min_scene", detector.min_scene_s},
                {"fades", detector.fades},
                {"edges", options.analysis.edges},
                {"every_picture", options.analysis.settings.source.every_picture},
                {"decode_once", options.decode_once == 0 ? Json(nullptr) : Json(options.decode_once > 0)},
                {"pre", plan.pre_s},
                {"post", plan.post_s},
                {"min_clip", plan.min_clip_s},
                {"max_clips", plan.max_clips ? Json(*plan.max_clips) : Json(nullptr)},
                {"preset", options.encode.preset},
                {"crf", options.encode.crf},
                {"height", options.encode.height},
                {"upscale", options.encode.upscale},
                {"name", options.name_template}}}};
  // Only where asked for: workers older than the option take the other jobs as before, and refuse
  // these ("unknown option") instead of making clips with one field.
  if (!options.encode.deinterlace) job["options"]["deinterlace"] = false;
  report::put_path(job, "video", std::filesystem::absolute(video).lexically_normal());
  return job;
}

QueueJob read_job(const std::string& text_job) {
  const Json job = Json::parse(text_job, nullptr, false);
  if (job.is_discarded() || !job.is_object()) throw bad("the job is not a JSON object");
  for (const auto& [key, value] : job.items()) {
    if (key != "video" && key != "video_bytes" && key != "name" && key != "options") {
      throw bad(fmt::format("unknown field '{}'", key));
    }
  }
  if (!job.contains("video") || !job.contains("name")) throw bad("the job needs 'video' and 'name'");
  QueueJob read;
  (void)text(job["video"], "video");
  read.video = checked_video(report::read_path(job, "video")->string());
  read.name = checked_name(text(job["name"], "name"));
  const Json options = job.value("options", Json::object());
  if (!options.is_object()) throw bad("'options' must be an object");
  for (const auto& [key, value] : options.items()) {
    const auto setter = option_setters().find(key);
    if (setter == option_setters().end()) throw bad(fmt::format("unknown option '{}'", key));
    setter->second(value, read.options);
  }
  check_options(read.options);
  return read;
}

std::unique_ptr<util::InputConfinement> confine_inputs(const std::vector<std::string>& given) {
  if (given.empty()) return nullptr;
  std::vector<std::filesystem::path> roots;
  for (const std::string& folder : given) {
    std::error_code error;
    const std::filesystem::path root = std::filesystem::canonical(folder, error);
    if (error) throw util::UsageError(fmt::format("--inputs-under '{}': {}", folder, error.message()));
    if (!std::filesystem::is_directory(root)) {
      throw util::UsageError(fmt::format("--inputs-under '{}': not a folder", folder));
    }
    roots.push_back(root);
  }
  return std::make_unique<util::InputConfinement>(std::move(roots), "this worker's --inputs-under");
}

}  // namespace clipper::cli
