#pragma once
// The work the graph runs for real: decoding + OpenCV analysis, and libav clip encoding.
#include "clipper/media/clip.hpp"
#include "clipper/plan/name_template.hpp"
#include "clipper/pipeline/run.hpp"
#include "clipper/pipeline/video_analysis.hpp"

namespace clipper::pipeline {

struct OutputNaming {
  plan::NameTemplate names = plan::NameTemplate::parse(plan::NameTemplate::kDefault, true);
  std::string topology;  // for {topology}
};

// Clips go to each video's output_dir / names.render(...). Clips whose output already exists are
// skipped (outputs only appear complete); temporary files left by a killed run are removed before
// a clip is encoded again.
// With analysis.decode_once, clips are fed from the analysis unless their names need their end.
Work make_real_work(AnalyzeSettings analysis, const media::EncodeSettings& encoding, const OutputNaming& naming = {});

// One job per video, each writing into output_dir, named by its folder name ({video}).
std::vector<VideoJob> make_video_jobs(const std::vector<std::filesystem::path>& videos,
                                      const std::filesystem::path& output_dir);

}  // namespace clipper::pipeline
