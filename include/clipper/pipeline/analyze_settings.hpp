#pragma once
// What analysing a video is asked to do: detect, plan, decode. Plain values: the command line
// includes this, not the analysis (OpenCV) or the decoders (libav).
#include "clipper/analysis/detector_settings.hpp"
#include "clipper/media/picture_options.hpp"
#include "clipper/plan/clip_plan.hpp"

namespace clipper::pipeline {

struct AnalyzeSettings {
  analysis::DetectorSettings detector;
  plan::PlanSettings plan;
  media::PictureSourceOptions source;
  bool thumbnails = false;  // a JPEG of the picture at each moment
  // Clips are encoded from the analysis' own pictures, each decoded once (every picture is then
  // decoded for analysis), where the plan allows it: not with max_clips or detector.fades, nor for
  // a video whose timestamps jump back.
  bool decode_once = false;
  media::ClipPictureShape clip_pictures;  // with decode_once: kept pictures are shaped as the clips'
};

}  // namespace clipper::pipeline
