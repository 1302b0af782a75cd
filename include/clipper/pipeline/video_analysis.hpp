#pragma once
// One video's analysis: decode small pictures, detect moments, plan clip windows as they become known.
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "clipper/analysis/scene_detector.hpp"
#include "clipper/media/picture_source.hpp"
#include "clipper/pipeline/analyze_settings.hpp"
#include "clipper/pipeline/run.hpp"
#include "clipper/plan/clip_plan.hpp"

namespace clipper::pipeline {

struct VideoAnalysis {
  std::filesystem::path path;
  long frames = 0;
  double fps = 0.0;
  double duration_s = 0.0;
  std::optional<std::string> error;
  std::optional<std::string> warning;  // e.g. the pictures end long before the file says
  std::vector<analysis::Moment> moments;
  std::vector<plan::ClipWindow> clips;
  std::vector<analysis::PictureStats> stats;  // with detector.stats: one row per picture
  std::vector<Thumbnail> thumbnails;          // with thumbnails: one per moment that has one
};

// Called with each clip window as soon as it is certain, while the rest of the video is analysed;
// with decode_once, as soon as it starts, with the feed of its pictures.
using ClipCallback = EmitClip;

// Never throws for a bad input: the error is recorded in the result. util::Interrupted propagates.
VideoAnalysis analyze_video(const std::filesystem::path& path, const AnalyzeSettings& settings,
                            const ClipCallback& on_clip = {});

}  // namespace clipper::pipeline
