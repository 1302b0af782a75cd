#pragma once
// A strict reader of the CMX 3600 subset clipper writes, for tests: TITLE first, FCM lines, event
// lines of fixed fields and '*' comments; any other line fails the test.
#include <string>
#include <vector>

namespace clipper::testing {

struct EdlEvent {
  int number = 0;
  std::string reel, channel, transition;
  std::string source_in, source_out, record_in, record_out;
  std::vector<std::string> comments;
};

std::vector<EdlEvent> parse_edl(const std::string& text, std::string& title, std::vector<std::string>& modes);

// Frames from "HH:MM:SS:FF" (or "HH:MM:SS;FF", drop-frame) at a timecode base (25, 30, 60 ...).
long frames_of(const std::string& timecode, long base);

}  // namespace clipper::testing
