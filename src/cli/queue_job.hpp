#pragma once
// One video's job in a queue, as `clipper submit` writes it and `clipper worker` reads it:
//   {"video": "/shared/in/a.mp4", "name": "a", "options": {"pre": 1.0, "crf": 23, ...}}
// A worker trusts nothing in it: every field is checked for its type and range, the options
// must be known ones, and neither the name nor the name template may lead outside DIR.
#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "clipper/util/input_confinement.hpp"
#include "run_command.hpp"

namespace clipper::cli {

struct QueueJob {
  std::filesystem::path video;
  std::string name;       // {video} in its clips' names, unique in the queue
  RunOptions options;     // its analysis, encode and name template
};

// The job of one video, with the run's options.
nlohmann::json job_json(const std::filesystem::path& video, const std::string& name, const RunOptions& options);

// Reads and checks a job; throws util::Error saying what is wrong, as "option 'pre' is -1: it
// must be 0 or more". The video must be an existing file.
QueueJob read_job(const std::string& text);

// Confines this process' inputs to the folders a worker takes videos from (--inputs-under), links
// followed; none when there are none. util::UsageError for one that is not a folder.
std::unique_ptr<util::InputConfinement> confine_inputs(const std::vector<std::string>& given);

}  // namespace clipper::cli
