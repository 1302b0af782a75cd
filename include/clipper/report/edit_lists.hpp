#pragma once
// The planned clips of analysed videos as edit lists for editors: CSV, CMX 3600 EDL, OpenTimelineIO.
// Videos whose analysis failed are left out.
#include <string>
#include <vector>

#include "clipper/pipeline/video_analysis.hpp"

namespace clipper::report {

// A CSV field: quoted, its quotes doubled.
std::string csv_field(const std::string& text);

// "video,clip,start,end,moment,score": one row per clip, clip numbered from 1 as file names are.
std::string clips_csv(const std::vector<pipeline::VideoAnalysis>& videos);

// One cut event per clip, the record side consecutive from 00:00:00:00 at the first video's rate,
// the source side at each video's own rate; drop-frame timecode for 29.97 and 59.94.
std::string clips_edl(const std::vector<pipeline::VideoAnalysis>& videos, const std::string& title);

// OpenTimelineIO JSON: one timeline, one video track of clips, each with an external reference
// to its source file.
std::string clips_otio(const std::vector<pipeline::VideoAnalysis>& videos, const std::string& name);

// "HH:MM:SS:FF" for a frame count at a rate ("HH:MM:SS;FF" drop-frame at 29.97 and 59.94).
std::string timecode(long frames, double fps);

}  // namespace clipper::report
