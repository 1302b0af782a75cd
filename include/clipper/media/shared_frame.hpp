#pragma once
// A decoded picture several owners hold at once (the analysis, a clip's encoder). No libav.
#include <memory>

struct AVFrame;

namespace clipper::media {

using SharedFrame = std::shared_ptr<const AVFrame>;

}  // namespace clipper::media
