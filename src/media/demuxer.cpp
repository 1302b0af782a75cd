#include "clipper/media/demuxer.hpp"

#include <fmt/format.h>

#include <optional>
#include <string_view>

#include "clipper/media/av_error.hpp"
#include "clipper/util/input_confinement.hpp"

namespace clipper::media {
namespace {

// Why a path cannot be a video, seen before libav opens it, or nothing: it is not a file whose
// opening returns at once, or it is empty.
std::optional<std::string_view> why_not_a_video(const std::filesystem::path& path) {
  std::error_code error;
  switch (std::filesystem::status(path, error).type()) {
    case std::filesystem::file_type::regular:
      if (std::filesystem::file_size(path, error) == 0 && !error) return "the file is empty (0 bytes)";
      return std::nullopt;
    case std::filesystem::file_type::directory:
      return "Is a directory";
    case std::filesystem::file_type::fifo:
      return "it is a FIFO (named pipe), not a file";
    case std::filesystem::file_type::socket:
      return "it is a socket, not a file";
    case std::filesystem::file_type::character:
      return "it is a character device, not a file";
    default:
      return std::nullopt;
  }
}

InputFormatPtr open_input(const std::filesystem::path& path) {
  const std::string what = fmt::format("cannot open input '{}'", path.string());
  // A FIFO's open blocks until somebody writes to it: one such argument would stop a batch.
  if (const auto kind = why_not_a_video(path)) throw util::Error(fmt::format("{}: {}", what, *kind));
  AVFormatContext* raw = nullptr;
  if (const util::InputConfinement* confinement = util::input_confinement()) {
    // libav opens the file the confined descriptor holds, wherever its path leads by then.
    const util::FileDescriptor file = confinement->open(path);
    check(avformat_open_input(&raw, fmt::format("/proc/self/fd/{}", file.get()).c_str(), nullptr, nullptr), what);
  } else {
    check(avformat_open_input(&raw, path.c_str(), nullptr, nullptr), what);
  }
  InputFormatPtr context(raw);
  check(avformat_find_stream_info(context.get(), nullptr), what);
  return context;
}

int find_stream(const AVFormatContext& context, AVMediaType type) {
  int first = -1;
  for (unsigned i = 0; i < context.nb_streams; ++i) {
    const AVStream& stream = *context.streams[i];
    if (stream.codecpar->codec_type != type || (stream.disposition & AV_DISPOSITION_ATTACHED_PIC)) continue;
    if (stream.disposition & AV_DISPOSITION_DEFAULT) return static_cast<int>(i);
    if (first < 0) first = static_cast<int>(i);
  }
  return first;
}

}  // namespace

AVRational sample_aspect_ratio(const AVStream& stream) {
  if (stream.sample_aspect_ratio.num > 0 && stream.sample_aspect_ratio.den > 0) return stream.sample_aspect_ratio;
  const AVRational codec = stream.codecpar->sample_aspect_ratio;
  if (codec.num > 0 && codec.den > 0) return codec;
  return {1, 1};
}

int require_video_stream(const Demuxer& demuxer) {
  if (demuxer.video_stream_index() < 0) {
    throw util::Error(fmt::format("cannot open input '{}': it has no video stream", demuxer.path().string()));
  }
  return demuxer.video_stream_index();
}

Demuxer::Demuxer(const std::filesystem::path& path) : m_path(path), m_context(open_input(path)) {
  m_video_index = find_stream(*m_context, AVMEDIA_TYPE_VIDEO);
  m_audio_index = find_stream(*m_context, AVMEDIA_TYPE_AUDIO);
}

void Demuxer::keep_only(int video_index, int audio_index) {
  for (unsigned i = 0; i < m_context->nb_streams; ++i) {
    const int index = static_cast<int>(i);
    const bool keep = index == video_index || index == audio_index;
    m_context->streams[i]->discard = keep ? AVDISCARD_DEFAULT : AVDISCARD_ALL;
  }
}

double Demuxer::origin_s() const {
  if (m_video_index >= 0) {
    const AVStream& video = *m_context->streams[m_video_index];
    if (video.start_time != AV_NOPTS_VALUE) return static_cast<double>(video.start_time) * av_q2d(video.time_base);
  }
  if (m_context->start_time != AV_NOPTS_VALUE) return static_cast<double>(m_context->start_time) / AV_TIME_BASE;
  return 0.0;
}

double Demuxer::duration_s() const {
  if (m_context->duration == AV_NOPTS_VALUE || m_context->duration <= 0) return 0.0;
  return static_cast<double>(m_context->duration) / AV_TIME_BASE;
}

double Demuxer::stream_duration_s(int index) const {
  const AVStream& stream = *m_context->streams[index];
  if (stream.duration != AV_NOPTS_VALUE && stream.duration > 0) {
    return static_cast<double>(stream.duration) * av_q2d(stream.time_base);
  }
  return duration_s();
}

bool Demuxer::read(AVPacket* packet) {
  const int result = av_read_frame(m_context.get(), packet);
  if (result == AVERROR_EOF) return false;
  check(result, fmt::format("cannot read '{}'", m_path.string()));
  return true;
}

bool Demuxer::seek(int stream_index, int64_t stream_pts) {
  return av_seek_frame(m_context.get(), stream_index, stream_pts, AVSEEK_FLAG_BACKWARD) >= 0;
}

void Demuxer::seek_to_beginning() {
  // A stream format (MPEG-TS, MPEG-PS) seeks by timestamp by searching the bytes for a keyframe at
  // or before it: before its first keyframe there is none, and it lands on the next one.
  if ((m_context->iformat->flags & AVFMT_TS_DISCONT) && av_seek_frame(m_context.get(), -1, 0, AVSEEK_FLAG_BYTE) >= 0) {
    return;
  }
  if (avformat_seek_file(m_context.get(), -1, INT64_MIN,
                         m_context->start_time == AV_NOPTS_VALUE ? 0 : m_context->start_time, INT64_MAX, 0) >= 0) {
    return;
  }
  check(av_seek_frame(m_context.get(), -1, 0, AVSEEK_FLAG_BYTE), fmt::format("cannot seek in '{}'", m_path.string()));
}

}  // namespace clipper::media
