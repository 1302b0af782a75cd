#pragma once
// clipper's command line: parses arguments, runs the command, maps failures to exit codes.

namespace clipper::cli {

// Exit codes: 0 success, 1 usage error or failed command, 130 interrupted.
int run(int argc, char** argv);

}  // namespace clipper::cli
