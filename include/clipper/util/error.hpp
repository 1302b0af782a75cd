#pragma once
// clipper's exception types: every message already reads "<what>: <cause>".
#include <stdexcept>
#include <string>

namespace clipper::util {

class Error : public std::runtime_error {
 public:
  explicit Error(const std::string& message) : std::runtime_error(message) {}
};

// Thrown when the user asked clipper to stop (Ctrl-C, SIGTERM). Not an Error: code that handles
// failures (catch util::Error) never takes a stop for one of them.
class Interrupted : public std::exception {
 public:
  const char* what() const noexcept override { return "interrupted"; }
};

// A user mistake found before any work started: exit code 1 with usage help.
class UsageError : public Error {
 public:
  using Error::Error;
};

}  // namespace clipper::util
