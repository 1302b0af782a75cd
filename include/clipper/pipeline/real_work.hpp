#pragma once
// The work the graph runs for real: decoding + OpenCV analysis, and libav clip encoding.
#include "clipper/media/clip.hpp"
#include "clipper/pipeline/run.hpp"
#include "clipper/pipeline/video_analysis.hpp"

namespace clipper::pipeline {

// Clips whose output already exists are skipped (outputs only appear complete); temporary files
// left by a killed run are removed before a clip is encoded again.
Work make_real_work(const AnalyzeSettings& analysis, const media::EncodeSettings& encoding);

// One job per video, each writing into output_dir/<folder name>.
std::vector<VideoJob> make_video_jobs(const std::vector<std::filesystem::path>& videos,
                                      const std::filesystem::path& output_dir);

}  // namespace clipper::pipeline
