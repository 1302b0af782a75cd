#pragma once
// The --report document: config, every clip record and the summary (docs/REPORT.md).
#include <filesystem>
#include <nlohmann/json.hpp>
#include <optional>

#include "clipper/pipeline/records.hpp"
#include "clipper/report/event_summary.hpp"
#include "clipper/report/summary.hpp"

namespace clipper::report {

nlohmann::json distribution_json(const Distribution& distribution);
// The graph's shape: topology, cores, A, E, T (null: granted by the core budget) and K.
nlohmann::json pipeline_config_json(const pipeline::PipelineConfig& config);
nlohmann::json summary_json(const Summary& summary);
// A simulated run of `clipper bench --simulate`: its configuration, window and numbers.
nlohmann::json simulated_run_json(const pipeline::PipelineConfig& config, double duration_s,
                                  const EventSummary& summary);
nlohmann::json clip_json(const pipeline::ClipRecord& clip);
nlohmann::json video_json(const pipeline::VideoRecord& video);
// The records those wrote, read back (a fleet's merged report); missing fields keep their defaults.
pipeline::ClipRecord clip_from_json(const nlohmann::json& clip);
pipeline::VideoRecord video_from_json(const nlohmann::json& video);
nlohmann::json report_json(const nlohmann::json& config, const pipeline::RunResult& result, const Summary& summary);

// A path as JSON: object[key] holds it as text, with U+FFFD for bytes that are not UTF-8; for such
// a path object[key + "_bytes"] holds its bytes in hex as well, so that nothing is lost.
void put_path(nlohmann::json& object, const std::string& key, const std::filesystem::path& path);
// The path put_path wrote (from its bytes where they are there); nullopt when there is none.
std::optional<std::filesystem::path> read_path(const nlohmann::json& object, const std::string& key);
// The document as text. Text that is not UTF-8 (a message naming such a path) has U+FFFD for the
// bytes that are not: a file name never costs the results.
std::string json_text(const nlohmann::json& document, int indent = 2);

// Writes the document atomically; throws util::Error naming the file.
void write_json(const std::filesystem::path& path, const nlohmann::json& document);

}  // namespace clipper::report
