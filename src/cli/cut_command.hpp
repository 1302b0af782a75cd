#pragma once
// `clipper cut`: one clip, exactly.
#include <CLI/CLI.hpp>

#include "clipper/media/clip.hpp"

namespace clipper::cli {

struct CutOptions {
  media::ClipRequest request;
};

// --height --upscale --no-deinterlace --preset --crf: the same for every command that encodes.
void add_encode_options(CLI::App& command, media::EncodeSettings& settings);
CLI::App* add_cut_command(CLI::App& app, CutOptions& options);
int run_cut(const CutOptions& options);

}  // namespace clipper::cli
