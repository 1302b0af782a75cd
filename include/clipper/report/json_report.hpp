#pragma once
// The --report document: config, every clip record and the summary (docs/REPORT.md).
#include <filesystem>
#include <nlohmann/json.hpp>

#include "clipper/pipeline/run.hpp"
#include "clipper/report/summary.hpp"

namespace clipper::report {

nlohmann::json summary_json(const Summary& summary);
nlohmann::json clip_json(const pipeline::ClipRecord& clip);
nlohmann::json report_json(const nlohmann::json& config, const pipeline::RunResult& result, const Summary& summary);

// Writes the document atomically; throws util::Error naming the file.
void write_json(const std::filesystem::path& path, const nlohmann::json& document);

}  // namespace clipper::report
