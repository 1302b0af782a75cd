#pragma once
// A plan in the `clipper analyze --json` format, perhaps edited by a person, read for `clipper
// render`: each video's path and clip windows, each wrong entry named.
#include <filesystem>
#include <string>
#include <vector>

#include "clipper/plan/clip_plan.hpp"

namespace clipper::cli {

struct PlannedVideo {
  std::filesystem::path path;
  std::vector<plan::ClipWindow> clips;  // each with its number: the plan's "n", or the next free one
  std::vector<std::string> entries;  // where each clip is in the file: "videos[0].clips[2]"
};

struct PlanFile {
  std::vector<PlannedVideo> videos;  // the valid entries (a video without valid clips is left out)
  std::vector<std::string> errors;   // "plan.json: videos[1].clips[3]: end 12.000 before start 14.000"
};

// Opens each video to check the windows against its length. Throws util::UsageError when the file
// cannot be read or is not a plan at all.
PlanFile read_plan(const std::filesystem::path& file);

}  // namespace clipper::cli
