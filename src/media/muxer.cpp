#include "clipper/media/muxer.hpp"

#include <fmt/format.h>

#include <new>

#include "clipper/media/av_error.hpp"

namespace clipper::media {
namespace {

OutputFormatPtr allocate_mp4(const std::filesystem::path& write_path, const std::string& what) {
  AVFormatContext* raw = nullptr;
  check(avformat_alloc_output_context2(&raw, nullptr, "mp4", write_path.c_str()), what);
  return OutputFormatPtr(raw);
}

}  // namespace

Muxer::Muxer(const std::filesystem::path& write_path, const std::filesystem::path& display_path)
    : m_what(fmt::format("cannot write output '{}'", display_path.string())),
      m_write_path(write_path),
      m_context(allocate_mp4(write_path, m_what)) {}

bool Muxer::needs_global_header() const { return m_context->oformat->flags & AVFMT_GLOBALHEADER; }

int Muxer::add_stream(const AVCodecContext& encoder) {
  AVStream* stream = avformat_new_stream(m_context.get(), nullptr);
  if (!stream) throw std::bad_alloc();
  check(avcodec_parameters_from_context(stream->codecpar, &encoder), m_what);
  stream->time_base = encoder.time_base;
  if (encoder.codec_type == AVMEDIA_TYPE_VIDEO) stream->avg_frame_rate = encoder.framerate;
  return stream->index;
}

void Muxer::start() {
  check(avio_open(&m_context->pb, m_write_path.c_str(), AVIO_FLAG_WRITE), m_what);
  AVDictionary* options = nullptr;
  av_dict_set(&options, "movflags", "+faststart", 0);
  const int result = avformat_write_header(m_context.get(), &options);
  av_dict_free(&options);
  check(result, m_what);
}

void Muxer::write(AVPacket* packet, int stream_index, AVRational encoder_time_base) {
  AVStream* stream = m_context->streams[stream_index];
  packet->stream_index = stream_index;
  av_packet_rescale_ts(packet, encoder_time_base, stream->time_base);
  // av_interleaved_write_frame takes the packet's contents and leaves it blank.
  check(av_interleaved_write_frame(m_context.get(), packet), m_what);
}

void Muxer::finish() {
  check(av_interleaved_write_frame(m_context.get(), nullptr), m_what);
  check(av_write_trailer(m_context.get()), m_what);
  check(avio_closep(&m_context->pb), m_what);
}

}  // namespace clipper::media
