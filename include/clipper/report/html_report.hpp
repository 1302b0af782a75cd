#pragma once
// The run as one self-contained HTML page: the summary, per video a strip of thumbnails of its
// moments, per clip a row (thumbnail, window, status, error, where its time went, a link to the
// clip) and the timeline picture. Nothing is fetched from elsewhere but the clips it links.
#include <filesystem>
#include <string>

#include "clipper/pipeline/records.hpp"
#include "clipper/report/summary.hpp"

namespace clipper::report {

// Links to clips are relative to html_folder, where the page is written.
std::string html_report(const pipeline::RunResult& result, const Summary& summary,
                        const pipeline::PipelineConfig& config, const std::filesystem::path& html_folder);

std::string base64(const std::string& bytes);

}  // namespace clipper::report
