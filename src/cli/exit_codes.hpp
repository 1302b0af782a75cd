#pragma once
// clipper's exit codes, the same for every command (README, `clipper --help`).
namespace clipper::cli {

constexpr int kExitDone = 0;
constexpr int kExitUsage = 1;       // a usage error, or every input failed
constexpr int kExitSomeFailed = 2;  // some video or clip failed; the others are done
constexpr int kExitInterrupted = 130;

}  // namespace clipper::cli
