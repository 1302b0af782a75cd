#pragma once
// Names for outputs, safe for any input name (see NameTemplate for the clips' paths).
#include <filesystem>
#include <string>
#include <vector>

namespace clipper::plan {

// A file name part made of the input's stem: path separators, control characters and a leading
// dot or dash replaced by '_'; never empty. Other characters (spaces, unicode) are kept.
std::string safe_stem(const std::string& stem);

// "00h01m02.500s"
std::string time_label(double seconds);

// One folder name per input, in input order: the safe stem, with a short hash of the input's path
// added when two inputs share a stem. The same inputs always get the same names.
std::vector<std::string> folder_names(const std::vector<std::filesystem::path>& inputs);

}  // namespace clipper::plan
