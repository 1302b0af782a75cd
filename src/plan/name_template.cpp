#include "clipper/plan/name_template.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <charconv>

#include "clipper/plan/output_names.hpp"
#include "clipper/util/error.hpp"

namespace clipper::plan {
namespace {

constexpr std::array<std::string_view, 7> kFields = {"video", "n", "start", "end", "moment", "score", "topology"};
constexpr std::array<std::string_view, 4> kClipFields = {"n", "start", "end", "moment"};
constexpr int kWidestNumber = 9;

std::string fields_text() {
  std::string text;
  for (std::string_view field : kFields) text += fmt::format("{}{{{}}}", text.empty() ? "" : ", ", field);
  return text;
}

// "n" or "n:3" into a field and a width of {n}.
void parse_field(std::string_view inside, std::string& field, int& width) {
  const size_t colon = inside.find(':');
  field = std::string(inside.substr(0, colon));
  if (std::find(kFields.begin(), kFields.end(), field) == kFields.end()) {
    throw util::UsageError(fmt::format("no field {{{}}} (fields: {})", inside, fields_text()));
  }
  if (colon == std::string_view::npos) return;
  const std::string_view digits = inside.substr(colon + 1);
  const auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), width);
  if (field != "n" || error != std::errc() || end != digits.data() + digits.size() || width < 1 ||
      width > kWidestNumber) {
    throw util::UsageError(fmt::format("{{{}}}: only {{n}} takes a width, from 1 to {}", inside, kWidestNumber));
  }
}

void check_stays_inside(const std::string& text) {
  const std::filesystem::path path(text);
  if (text.empty() || path.is_absolute() || text.front() == '/') {
    throw util::UsageError("a clip name must be a path inside the output folder");
  }
  if (text.back() == '/') throw util::UsageError("it ends with a '/': the clip's own name is missing");
  for (const auto& component : path) {
    if (component == "..") throw util::UsageError("'..' would leave the output folder");
    if (component == ".") throw util::UsageError("a folder name in it is empty");
  }
  if (text.find("//") != std::string::npos) throw util::UsageError("a folder name in it is empty");
}

std::string number(int index, int width) { return fmt::format("{:0{}d}", index + 1, width); }

}  // namespace

NameTemplate NameTemplate::parse(std::string_view text, bool several_videos) {
  NameTemplate parsed;
  parsed.m_text = std::string(text);
  check_stays_inside(parsed.m_text);
  for (size_t at = 0; at < text.size();) {
    const size_t open = text.find_first_of("{}", at);
    if (open == std::string_view::npos) {
      parsed.m_parts.push_back({.literal = std::string(text.substr(at))});
      break;
    }
    if (text[open] == '}') throw util::UsageError("a '}' without its '{'");
    if (open > at) parsed.m_parts.push_back({.literal = std::string(text.substr(at, open - at))});
    const size_t close = text.find('}', open);
    if (close == std::string_view::npos) throw util::UsageError("a '{' without its '}'");
    Part part;
    parse_field(text.substr(open + 1, close - open - 1), part.field, part.width);
    parsed.m_parts.push_back(part);
    at = close + 1;
  }
  const auto uses = [&parsed](std::string_view field) { return parsed.uses(field); };
  if (std::none_of(kClipFields.begin(), kClipFields.end(), uses)) {
    throw util::UsageError("two clips of one video would share a name: use {n}, {start}, {end} or {moment}");
  }
  if (several_videos && !uses("video")) {
    throw util::UsageError("clips of two videos could share a name: use {video}");
  }
  return parsed;
}

bool NameTemplate::uses(std::string_view field) const {
  return std::any_of(m_parts.begin(), m_parts.end(), [field](const Part& part) { return part.field == field; });
}

std::filesystem::path NameTemplate::render(const ClipNameFields& fields) const {
  std::string name;
  for (const Part& part : m_parts) {
    if (part.field.empty()) {
      name += part.literal;
    } else if (part.field == "video") {
      name += fields.video;
    } else if (part.field == "n") {
      name += number(fields.index, part.width);
    } else if (part.field == "start") {
      name += time_label(fields.start_s);
    } else if (part.field == "end") {
      name += time_label(fields.end_s);
    } else if (part.field == "moment") {
      name += time_label(fields.moment_s);
    } else if (part.field == "score") {
      name += fmt::format("{:.2f}", fields.score);
    } else {
      name += fields.topology;
    }
  }
  return std::filesystem::path(name + ".mp4");
}

}  // namespace clipper::plan
