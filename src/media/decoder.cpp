#include "clipper/media/decoder.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "clipper/media/av_error.hpp"

namespace clipper::media {
namespace {

CodecContextPtr open_decoder(const AVStream& stream, const std::string& source, const DecoderOptions& options) {
  const std::string what = fmt::format("cannot decode '{}'", source);
  const AVCodec* codec = avcodec_find_decoder(stream.codecpar->codec_id);
  if (stream.codecpar->codec_id == AV_CODEC_ID_NONE) throw util::Error(what + ": its codec is not known");
  if (!codec) {
    throw util::Error(fmt::format("{}: no decoder for codec '{}'", what, avcodec_get_name(stream.codecpar->codec_id)));
  }
  CodecContextPtr context = make_codec_context(codec);
  check(avcodec_parameters_to_context(context.get(), stream.codecpar), what);
  context->pkt_timebase = stream.time_base;
  context->thread_count = options.threads;
  context->thread_type = FF_THREAD_FRAME | FF_THREAD_SLICE;
  if (options.skip_loop_filter) {
    context->skip_loop_filter = AVDISCARD_ALL;
    context->flags2 |= AV_CODEC_FLAG2_FAST;
  }
  if (options.skip_nonref) context->skip_frame = AVDISCARD_NONREF;
  check(avcodec_open2(context.get(), codec, nullptr), what);
  return context;
}

}  // namespace

util::Error nothing_decoded(const std::string& source, const std::string& last_error, const std::string& otherwise) {
  return util::Error(fmt::format("cannot decode '{}': {}", source, last_error.empty() ? otherwise : last_error));
}

Decoder::Decoder(const AVStream& stream, const std::string& source, DecoderOptions options)
    : m_source(source), m_context(open_decoder(stream, source, options)) {}

bool Decoder::is_corrupt_data(int code) {
  if (code != AVERROR_INVALIDDATA && code != AVERROR(EINVAL) && code != AVERROR_BUG && code != -1) return false;
  ++m_corrupt_packets;
  m_last_error = av_error_text(code);
  spdlog::debug("'{}': skipped a corrupt packet: {}", m_source, m_last_error);
  return true;
}

void Decoder::send(const AVPacket* packet) {
  if (!m_context) return;
  if (packet && packet->size == 0) return;  // libav would take it for the end of the stream
  const int result = avcodec_send_packet(m_context.get(), packet);
  if (result >= 0 || result == AVERROR_EOF || result == AVERROR(EAGAIN)) return;
  if (is_corrupt_data(result)) return;
  check(result, fmt::format("cannot decode '{}'", m_source));
}

bool Decoder::receive(AVFrame* frame) {
  if (!m_context) return false;
  for (;;) {
    const int result = avcodec_receive_frame(m_context.get(), frame);
    if (result >= 0) return true;
    if (result == AVERROR(EAGAIN) || result == AVERROR_EOF) return false;
    if (!is_corrupt_data(result)) check(result, fmt::format("cannot decode '{}'", m_source));
  }
}

void Decoder::reset() {
  if (m_context) avcodec_flush_buffers(m_context.get());
}

}  // namespace clipper::media
