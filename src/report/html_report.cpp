#include "clipper/report/html_report.hpp"

#include <fmt/format.h>

#include <cmath>

#include "clipper/report/timeline_svg.hpp"
#include "url_path.hpp"

namespace clipper::report {
namespace {

constexpr std::string_view kStyle = R"(
body { font: 14px/1.4 system-ui, sans-serif; margin: 24px; color: #222; }
pre.summary { background: #f4f4f4; padding: 12px; }
.strip img, td img { height: 72px; margin: 2px; border: 1px solid #ccc; }
table { border-collapse: collapse; margin: 8px 0 24px; }
th, td { border-bottom: 1px solid #ddd; padding: 4px 8px; text-align: left; vertical-align: middle; }
td.number { text-align: right; font-variant-numeric: tabular-nums; }
.failed, .error { color: #b00020; }
.warning { color: #8a5a00; }
img.broken { outline: 2px solid #b00020; }
)";

// Marks pictures that did not load and counts them on the body, for people and for checks.
constexpr std::string_view kImageCheck = R"(
window.addEventListener('load', () => {
  const images = Array.from(document.images);
  const broken = images.filter((image) => !image.complete || image.naturalWidth === 0);
  broken.forEach((image) => image.classList.add('broken'));
  document.body.dataset.images = images.length;
  document.body.dataset.brokenImages = broken.length;
});
)";

std::string escaped(const std::string& text) {
  std::string out;
  for (const char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string image(const pipeline::Thumbnail& thumbnail) {
  return fmt::format(R"(<img alt="{0:.3f} s" title="{0:.3f} s" src="data:image/jpeg;base64,{1}">)", thumbnail.time_s,
                     base64(thumbnail.jpeg));
}

const pipeline::Thumbnail* thumbnail_at(const pipeline::VideoRecord& video, double time_s) {
  for (const pipeline::Thumbnail& thumbnail : video.thumbnails) {
    if (std::abs(thumbnail.time_s - time_s) < 1e-6) return &thumbnail;
  }
  return nullptr;
}

std::string clip_row(const pipeline::ClipRecord& clip, const pipeline::VideoRecord& video,
                     const std::filesystem::path& html_folder) {
  const pipeline::Thumbnail* thumbnail = thumbnail_at(video, clip.window.moment_s);
  const std::string status(pipeline::status_name(clip.status));
  const pipeline::ClipTimes& t = clip.times;
  const bool encoded = clip.status != pipeline::ClipStatus::skipped;
  const std::string link = clip.output.empty() ? std::string()
                           : fmt::format(R"(<a href="{}">{}</a>)",
                                         escaped(url_path(std::filesystem::relative(clip.output, html_folder))),
                                         escaped(clip.output.filename().string()));
  return fmt::format(
      "<tr><td>{}</td><td>{}</td><td class=\"number\">{:.3f} &ndash; {:.3f} s</td><td class=\"{}\">{}</td>"
      "<td class=\"error\">{}</td><td class=\"number\">{:.2f}</td><td class=\"number\">{:.2f}</td>"
      "<td class=\"number\">{}</td><td class=\"number\">{}</td></tr>\n",
      thumbnail ? image(*thumbnail) : "", link, clip.window.start_s, clip.window.end_s, status, status,
      escaped(clip.error.value_or("")), t.analysis_start - t.admitted, t.detected - t.analysis_start,
      encoded ? fmt::format("{:.2f}", t.encode_start - t.detected) : "", encoded ? fmt::format("{:.2f}", t.encode_end - t.encode_start) : "");
}

std::string video_section(const pipeline::RunResult& result, size_t id, const std::filesystem::path& html_folder) {
  const pipeline::VideoRecord& video = result.videos[id];
  std::string html = fmt::format("<section>\n<h2>{}</h2>\n", escaped(video.source.string()));
  if (video.error) html += fmt::format("<p class=\"error\">{}</p>\n", escaped(*video.error));
  if (video.warning) html += fmt::format("<p class=\"warning\">{}</p>\n", escaped(*video.warning));
  if (!video.thumbnails.empty()) {
    html += "<div class=\"strip\">";
    for (const pipeline::Thumbnail& thumbnail : video.thumbnails) html += image(thumbnail);
    html += "</div>\n";
  }
  std::string rows;
  for (const pipeline::ClipRecord& clip : result.clips) {
    if (clip.video_id == id && clip.index) rows += clip_row(clip, video, html_folder);
  }
  if (!rows.empty()) {
    html += "<table>\n<tr><th>moment</th><th>clip</th><th>window</th><th>status</th><th>error</th>"
            "<th>waiting for analysis (s)</th><th>analysing (s)</th><th>waiting for an encoder (s)</th>"
            "<th>encoding (s)</th></tr>\n" + rows + "</table>\n";
  }
  return html + "</section>\n";
}

}  // namespace

std::string base64(const std::string& bytes) {
  static constexpr char kDigits[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  size_t i = 0;
  for (; i + 2 < bytes.size(); i += 3) {
    const unsigned n = (static_cast<unsigned char>(bytes[i]) << 16) | (static_cast<unsigned char>(bytes[i + 1]) << 8) |
                       static_cast<unsigned char>(bytes[i + 2]);
    out += {kDigits[n >> 18], kDigits[(n >> 12) & 63], kDigits[(n >> 6) & 63], kDigits[n & 63]};
  }
  if (i + 1 == bytes.size()) {
    const unsigned n = static_cast<unsigned char>(bytes[i]) << 16;
    out += {kDigits[n >> 18], kDigits[(n >> 12) & 63], '=', '='};
  } else if (i + 2 == bytes.size()) {
    const unsigned n = (static_cast<unsigned char>(bytes[i]) << 16) | (static_cast<unsigned char>(bytes[i + 1]) << 8);
    out += {kDigits[n >> 18], kDigits[(n >> 12) & 63], kDigits[(n >> 6) & 63], '='};
  }
  return out;
}

std::string html_report(const pipeline::RunResult& result, const Summary& summary,
                        const pipeline::PipelineConfig& config, const std::filesystem::path& html_folder) {
  std::string html = fmt::format(
      "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>clipper run</title>\n"
      "<style>{}</style>\n<script>{}</script>\n</head>\n<body>\n<h1>clipper run</h1>\n<pre class=\"summary\">{}</pre>\n",
      kStyle, kImageCheck, escaped(format_summary(summary, config)));
  for (size_t id = 0; id < result.videos.size(); ++id) html += video_section(result, id, html_folder);
  html += "<h2>Timeline</h2>\n" + timeline_svg({{.label = "run", .result = &result}}, 0.0);
  return html + "\n</body>\n</html>\n";
}

}  // namespace clipper::report
