#include "clipper/pipeline/records.hpp"

namespace clipper::pipeline {

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
