#pragma once
// Clip paths inside the output folder from a template such as '{video}/{video}-{n}-{start}' (the
// default) or '{video}_{start}-{end}_{score}'. Fields: {video} (the video's folder name: its safe
// stem, with a hash when two inputs share one), {n} (clip number from 1, 2 digits; {n:3} for 3),
// {start}, {end}, {moment} (times as 00h01m02.500s), {score} (2 decimals), {topology}. ".mp4" is
// added.
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace clipper::plan {

struct ClipNameFields {
  std::string video;
  int index = 0;  // 0-based
  double start_s = 0.0;
  double end_s = 0.0;
  double moment_s = 0.0;
  double score = 0.0;
  std::string topology;
};

class NameTemplate {
 public:
  static constexpr std::string_view kDefault = "{video}/{video}-{n}-{start}";

  // Throws util::UsageError for a template that names a field that does not exist, could leave
  // the output folder (absolute, '..'), or could give two clips of one run the same name: one
  // without {n}, {start}, {end} or {moment}, or, for several videos, without {video}.
  static NameTemplate parse(std::string_view text, bool several_videos);

  std::filesystem::path render(const ClipNameFields& fields) const;
  const std::string& text() const { return m_text; }
  bool uses(std::string_view field) const;

 private:
  struct Part {
    std::string literal;  // or a field when `field` is not empty
    std::string field;
    int width = 2;  // of {n}
  };

  std::string m_text;
  std::vector<Part> m_parts;
};

}  // namespace clipper::plan
