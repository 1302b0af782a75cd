#pragma once
// `clipper bench [INPUT...]`: the topologies on real decoding, analysis and encoding, swept over
// encoders x threads per encoder, next to the same clips cut by a script of ffmpeg commands.
#include "bench_command.hpp"

namespace clipper::cli {

int run_real_bench(const BenchOptions& options);

}  // namespace clipper::cli
