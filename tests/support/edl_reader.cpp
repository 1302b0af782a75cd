#include "edl_reader.hpp"

#include <gtest/gtest.h>

#include <regex>
#include <sstream>

namespace clipper::testing {

// Frames from "HH:MM:SS:FF" (or ";FF", drop-frame) at a timecode base.
long frames_of(const std::string& timecode, long base) {
  const bool drop = timecode[8] == ';';
  const long hours = std::stol(timecode.substr(0, 2));
  const long minutes = std::stol(timecode.substr(3, 2));
  const long seconds = std::stol(timecode.substr(6, 2));
  const long frames = std::stol(timecode.substr(9, 2));
  long count = ((hours * 60 + minutes) * 60 + seconds) * base + frames;
  if (drop) {
    const long total_minutes = hours * 60 + minutes;
    count -= (base / 15) * (total_minutes - total_minutes / 10);
  }
  return count;
}

// A strict reader of the CMX 3600 subset clipper writes: TITLE first, FCM lines, event lines of
// fixed fields, and '*' comments; anything else fails the test.
std::vector<EdlEvent> parse_edl(const std::string& text, std::string& title, std::vector<std::string>& modes) {
  static const std::regex kEvent(
      R"(^(\d{3})  (\S{1,8}) +(V|A|AA|B|AA/V) +(C) +(\d\d:\d\d:\d\d[:;]\d\d) (\d\d:\d\d:\d\d[:;]\d\d) )"
      R"((\d\d:\d\d:\d\d[:;]\d\d) (\d\d:\d\d:\d\d[:;]\d\d)$)");
  std::vector<EdlEvent> events;
  std::istringstream lines(text);
  std::string line;
  std::getline(lines, line);
  EXPECT_EQ(line.rfind("TITLE: ", 0), 0u) << line;
  title = line.substr(7);
  while (std::getline(lines, line)) {
    std::smatch match;
    if (line.empty()) continue;
    if (line == "FCM: DROP FRAME" || line == "FCM: NON-DROP FRAME") {
      modes.push_back(line.substr(5));
    } else if (std::regex_match(line, match, kEvent)) {
      events.push_back({std::stoi(match[1]), match[2], match[3], match[4], match[5], match[6], match[7], match[8], {}});
    } else if (line.rfind("* ", 0) == 0 && !events.empty()) {
      events.back().comments.push_back(line.substr(2));
    } else {
      ADD_FAILURE() << "not CMX 3600: '" << line << "'";
    }
  }
  return events;
}

}  // namespace clipper::testing
