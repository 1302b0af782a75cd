#include "clipper/media/encoder.hpp"

#include <fmt/format.h>

#include <array>

#include "clipper/media/av_error.hpp"
#include "clipper/media/muxer.hpp"
#include "clipper/util/cancellation.hpp"

extern "C" {
#include <libavutil/opt.h>
}

namespace clipper::media {
namespace {

constexpr std::array<std::string_view, 10> kX264Presets = {"ultrafast", "superfast", "veryfast", "faster",   "fast",
                                                           "medium",    "slow",      "slower",   "veryslow", "placebo"};

const AVCodec* find_encoder(const char* name) {
  const AVCodec* codec = avcodec_find_encoder_by_name(name);
  if (!codec) throw util::Error(fmt::format("cannot encode: this FFmpeg has no '{}' encoder", name));
  return codec;
}

}  // namespace

bool is_x264_preset(std::string_view preset) {
  for (std::string_view known : kX264Presets) {
    if (known == preset) return true;
  }
  return false;
}

std::string_view x264_presets_text() {
  return "ultrafast, superfast, veryfast, faster, fast, medium, slow, slower, veryslow, placebo";
}

int aac_sample_rate_for(int input_sample_rate) {
  constexpr std::array<int, 13> kAacRates = {96000, 88200, 64000, 48000, 44100, 32000, 24000,
                                             22050, 16000, 12000, 11025, 8000,  7350};
  for (int rate : kAacRates) {
    if (rate == input_sample_rate) return rate;
  }
  return 48000;
}

Encoder Encoder::h264(const VideoEncoderSettings& settings, bool global_header) {
  const AVCodec* codec = find_encoder("libx264");
  CodecContextPtr context = make_codec_context(codec);
  context->width = settings.size.width;
  context->height = settings.size.height;
  context->pix_fmt = AV_PIX_FMT_YUV420P;
  context->sample_aspect_ratio = {1, 1};
  context->framerate = settings.frame_rate;
  context->time_base = av_inv_q(settings.frame_rate);
  context->thread_count = settings.threads;
  if (global_header) context->flags |= AV_CODEC_FLAG_GLOBAL_HEADER;
  const std::string what = "cannot set up the H.264 encoder";
  check(av_opt_set(context->priv_data, "preset", settings.preset.c_str(), 0), what);
  check(av_opt_set(context->priv_data, "crf", std::to_string(settings.crf).c_str(), 0), what);
  check(avcodec_open2(context.get(), codec, nullptr), what);
  return Encoder(std::move(context));
}

Encoder Encoder::aac(const AudioEncoderSettings& settings, bool global_header) {
  const AVCodec* codec = find_encoder("aac");
  CodecContextPtr context = make_codec_context(codec);
  context->sample_fmt = AV_SAMPLE_FMT_FLTP;
  context->sample_rate = settings.sample_rate;
  context->bit_rate = settings.bit_rate;
  context->time_base = {1, settings.sample_rate};
  av_channel_layout_default(&context->ch_layout, settings.channels);
  if (global_header) context->flags |= AV_CODEC_FLAG_GLOBAL_HEADER;
  check(avcodec_open2(context.get(), codec, nullptr), "cannot set up the AAC encoder");
  return Encoder(std::move(context));
}

void Encoder::send(const AVFrame* frame) {
  check(avcodec_send_frame(m_context.get(), frame), fmt::format("cannot encode with {}", m_context->codec->name));
}

bool Encoder::receive(AVPacket* packet) {
  const int result = avcodec_receive_packet(m_context.get(), packet);
  if (result == AVERROR(EAGAIN) || result == AVERROR_EOF) return false;
  check(result, fmt::format("cannot encode with {}", m_context->codec->name));
  return true;
}

void Encoder::write_ready_packets(Muxer& muxer, int stream_index, AVPacket* packet) {
  while (receive(packet)) {
    util::throw_if_stop_requested();
    muxer.write(packet, stream_index, m_context->time_base);
  }
}

}  // namespace clipper::media
