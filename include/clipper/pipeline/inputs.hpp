#pragma once
// Turns the INPUT arguments into the list of videos to process.
#include <filesystem>
#include <vector>

namespace clipper::pipeline {

// True for the file name endings clipper looks for in folders (.mp4, .mkv, .mov, ...).
bool has_video_extension(const std::filesystem::path& path);

// Files are taken as given (a missing or bad one fails later, as its own video); folders are walked
// recursively for video files, hidden ones and anything under exclude skipped, without following
// symbolic links to folders (so loops cannot hang the walk). Sorted per folder, duplicates removed.
std::vector<std::filesystem::path> collect_videos(const std::vector<std::filesystem::path>& inputs,
                                                  const std::filesystem::path& exclude);

}  // namespace clipper::pipeline
