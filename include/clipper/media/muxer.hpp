#pragma once
// Writes encoded streams to an MP4 file with its index first. finish() writes the trailer; the
// owner of the path (util::AtomicFile) removes an unfinished file. Move-only; one thread.
#include <filesystem>
#include <string>

#include "clipper/media/av_ptr.hpp"

namespace clipper::media {

class Muxer {
 public:
  // write_path is the file written; display_path is the name used in error messages.
  Muxer(const std::filesystem::path& write_path, const std::filesystem::path& display_path);

  bool needs_global_header() const;
  // Adds a stream for the encoder's output; returns its index.
  int add_stream(const AVCodecContext& encoder);
  // Opens the file and writes the header.
  void start();
  // Writes one packet in the encoder's time base; the muxer takes its contents.
  void write(AVPacket* packet, int stream_index, AVRational encoder_time_base);
  // Writes the trailer and moves the index to the front.
  void finish();

 private:
  std::string m_what;
  std::filesystem::path m_write_path;
  OutputFormatPtr m_context;
};

}  // namespace clipper::media
