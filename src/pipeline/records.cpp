#include "clipper/pipeline/records.hpp"

#include <algorithm>

namespace clipper::pipeline {

PipelineConfig resolve_config(const RequestedConfig& requested, int cores) {
  const int encoders = requested.encoders > 0 ? requested.encoders : cores;
  // A lone analysis decoding every picture on one thread would leave the other cores idle between
  // clips, where the reference-first analysis runs on all of them.
  const bool decode_once = requested.decode_once.value_or(requested.videos == 0 ||
                                                          requested.videos >= static_cast<size_t>(encoders));
  const int analyzers = requested.analyzers > 0 ? requested.analyzers : (decode_once ? encoders : 1);
  return {.topology = requested.topology,
          .analyzers = analyzers,
          .encoders = encoders,
          .max_in_flight = requested.max_in_flight > 0 ? requested.max_in_flight : analyzers + 1,
          .cores = cores,
          .threads_per_encoder = std::max(0, requested.threads_per_encoder),
          .decode_once = decode_once};
}

std::optional<Topology> parse_topology(std::string_view name) {
  if (name == "stages") return Topology::stages;
  if (name == "pool") return Topology::pool;
  return std::nullopt;
}

std::string_view topology_name(Topology topology) { return topology == Topology::stages ? "stages" : "pool"; }

std::string_view status_name(ClipStatus status) {
  switch (status) {
    case ClipStatus::ok:
      return "ok";
    case ClipStatus::failed:
      return "failed";
    case ClipStatus::skipped:
      return "skipped";
    case ClipStatus::interrupted:
      return "interrupted";
  }
  return "failed";
}

}  // namespace clipper::pipeline
