#pragma once
// An opened input file: its streams, packet reading and seeking. Move-only; not thread-safe.
#include <cstdint>
#include <filesystem>
#include <string>

#include "clipper/media/av_ptr.hpp"

namespace clipper::media {

// The stream's pixel aspect ratio: the container's, else the codec's, else square (1:1).
AVRational sample_aspect_ratio(const AVStream& stream);

class Demuxer;
// The index of the video stream; throws "cannot open input 'PATH': it has no video stream".
int require_video_stream(const Demuxer& demuxer);

class Demuxer {
 public:
  // Opens and probes the file; throws AvError "cannot open input 'PATH': <cause>".
  explicit Demuxer(const std::filesystem::path& path);

  const std::filesystem::path& path() const { return m_path; }
  AVFormatContext* context() const { return m_context.get(); }
  AVStream* stream(int index) const { return m_context->streams[index]; }

  // Index of the main video / audio stream, or -1 when there is none (cover art is not video).
  int video_stream_index() const { return m_video_index; }
  int audio_stream_index() const { return m_audio_index; }

  // Tells the demuxer to skip every stream but these (-1 means none).
  void keep_only(int video_index, int audio_index);

  // Time in seconds of the first video frame's timestamp (of the file's first timestamp without
  // video): 0 for most files, not for MPEG-TS and others. Clip times count from here.
  double origin_s() const;
  // Container duration in seconds, 0 when unknown.
  double duration_s() const;
  // What the file says the stream lasts: its own duration, else the container's; 0 when unknown.
  double stream_duration_s(int index) const;

  // Reads the next packet; false at end of file. Throws "cannot read 'PATH': <cause>".
  bool read(AVPacket* packet);

  // Seeks to the keyframe at or before stream_pts (in the stream's time base); false if unsupported.
  bool seek(int stream_index, int64_t stream_pts);
  // Goes back to the first packet, by timestamp or else by byte position.
  void seek_to_beginning();

 private:
  std::filesystem::path m_path;
  InputFormatPtr m_context;
  int m_video_index = -1;
  int m_audio_index = -1;
};

}  // namespace clipper::media
