#pragma once
// Whether a video's timestamps jump back somewhere (MonotonicClock), known before it is decoded:
// clips of such a video cannot be found by seeking to a time, which may be there twice.
#include <filesystem>

namespace clipper::media {

// Free for a container that indexes every picture (MP4); a read of every packet, without decoding,
// for one that may hold recordings one after another (MPEG-TS, MPEG-PS); false for the others,
// whose jumps only a decode finds. Throws "cannot open input 'PATH': <cause>".
bool timestamps_jump_back(const std::filesystem::path& path);

}  // namespace clipper::media
