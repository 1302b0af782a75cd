#include "audio_track.hpp"

#include "clipper/util/cancellation.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <new>

#include "clipper/media/av_error.hpp"

namespace clipper::media {
namespace {

constexpr AVChannelLayout kMono = AV_CHANNEL_LAYOUT_MONO;
constexpr AVChannelLayout kStereo = AV_CHANNEL_LAYOUT_STEREO;
constexpr int kBitRatePerChannel = 64000;

// Mono stays mono; everything else is mixed to stereo.
const AVChannelLayout& output_layout(const AVCodecParameters& source) {
  return source.ch_layout.nb_channels == 1 ? kMono : kStereo;
}

AVChannelLayout input_layout(const AVCodecContext& decoder) {
  AVChannelLayout layout{};
  if (decoder.ch_layout.order == AV_CHANNEL_ORDER_UNSPEC || decoder.ch_layout.nb_channels <= 0) {
    av_channel_layout_default(&layout, std::max(1, decoder.ch_layout.nb_channels));
  } else {
    av_channel_layout_copy(&layout, &decoder.ch_layout);
  }
  return layout;
}

SwrPtr make_resampler(const AVCodecContext& decoder, const AVChannelLayout& output, int output_rate) {
  AVChannelLayout in_layout = input_layout(decoder);
  AVChannelLayout out_layout = output;
  SwrContext* raw = nullptr;
  const int result = swr_alloc_set_opts2(&raw, &out_layout, AV_SAMPLE_FMT_FLTP, output_rate, &in_layout,
                                         decoder.sample_fmt, decoder.sample_rate, 0, nullptr);
  av_channel_layout_uninit(&in_layout);
  SwrPtr resampler(raw);
  check(result, "cannot set up the audio resampler");
  check(swr_init(resampler.get()), "cannot set up the audio resampler");
  return resampler;
}

AudioFifoPtr make_fifo(int channels, int frame_size) {
  AudioFifoPtr fifo(av_audio_fifo_alloc(AV_SAMPLE_FMT_FLTP, channels, std::max(frame_size, 1) * 4));
  if (!fifo) throw std::bad_alloc();
  return fifo;
}

}  // namespace

AudioTrack::AudioTrack(const AVStream& stream, const std::string& source, const ClipTiming& timing, Muxer& muxer)
    : m_stream(stream),
      m_timing(timing),
      m_layout(output_layout(*stream.codecpar)),
      m_decoder(stream, source, {.threads = 1}),
      m_encoder(Encoder::aac({.sample_rate = aac_sample_rate_for(stream.codecpar->sample_rate),
                              .channels = m_layout.nb_channels,
                              .bit_rate = kBitRatePerChannel * m_layout.nb_channels},
                             muxer.needs_global_header())),
      m_stream_index(muxer.add_stream(*m_encoder.context())),
      m_sample_rate(m_encoder.context()->sample_rate),
      m_total_samples(std::llround(timing.duration_s() * m_sample_rate)),
      m_resampler(make_resampler(*m_decoder.context(), m_layout, m_sample_rate)),
      m_fifo(make_fifo(m_layout.nb_channels, m_encoder.frame_size())),
      m_muxer(muxer) {}

void AudioTrack::feed(const AVPacket* packet) {
  m_decoder.send(packet);
  take_decoded_frames();
  encode_queued(false);
}

void AudioTrack::extend_to(double end_s) {
  m_timing.end_s = end_s;
  m_total_samples = std::llround(m_timing.duration_s() * m_sample_rate);
}

void AudioTrack::finish() {
  m_decoder.send(nullptr);
  take_decoded_frames();
  queue_silence(m_total_samples - m_samples_queued);
  encode_queued(true);
  m_encoder.send(nullptr);
  m_encoder.write_ready_packets(m_muxer, m_stream_index, m_packet.get());
}

void AudioTrack::take_decoded_frames() {
  while (!done() && m_decoder.receive(m_decoded.get())) {
    const bool timed = m_decoded->best_effort_timestamp != AV_NOPTS_VALUE;
    const double time_s =
        timed ? m_timing.clip_time_s(
                    m_clock.place(static_cast<double>(m_decoded->best_effort_timestamp) * av_q2d(m_stream.time_base)))
              : 0.0;
    av_frame_unref(m_converted.get());
    m_converted->ch_layout = m_layout;
    m_converted->format = AV_SAMPLE_FMT_FLTP;
    m_converted->sample_rate = m_sample_rate;
    check(swr_convert_frame(m_resampler.get(), m_converted.get(), m_decoded.get()), "cannot convert audio");
    av_frame_unref(m_decoded.get());
    place(*m_converted, timed ? std::llround(time_s * m_sample_rate) : m_samples_queued);
  }
}

// Puts the samples at their place on the clip's clock: the first frame is aligned exactly (trimmed
// or preceded by silence); later ones only when their timestamps drift by more than 20 ms, so that
// timestamp rounding in containers does not cut or pad sound.
void AudioTrack::place(const AVFrame& converted, long long first_sample) {
  const long long drift = first_sample - m_samples_queued;
  const bool align = m_samples_queued == 0 || std::llabs(drift) > m_sample_rate / 50;
  long long skip = 0;
  if (align && drift > 0) queue_silence(drift);
  if (align && drift < 0) skip = -drift;
  if (skip >= converted.nb_samples) return;
  const long long room = m_total_samples - m_samples_queued;
  const long long count = std::min<long long>(converted.nb_samples - skip, room);
  if (count > 0) queue_samples(converted, static_cast<int>(skip), static_cast<int>(count));
}

void AudioTrack::queue_samples(const AVFrame& frame, int offset, int count) {
  std::array<void*, 2> planes{};
  for (size_t channel = 0; channel < static_cast<size_t>(m_layout.nb_channels); ++channel) {
    planes[channel] = reinterpret_cast<float*>(frame.extended_data[channel]) + offset;
  }
  check(av_audio_fifo_write(m_fifo.get(), planes.data(), count), "cannot queue audio");
  m_samples_queued += count;
}

void AudioTrack::queue_silence(long long count) {
  static const std::array<float, 4096> silence{};
  count = std::min(count, m_total_samples - m_samples_queued);
  while (count > 0) {
    const int chunk = static_cast<int>(std::min<long long>(count, silence.size()));
    std::array<void*, 2> planes{const_cast<float*>(silence.data()), const_cast<float*>(silence.data())};
    check(av_audio_fifo_write(m_fifo.get(), planes.data(), chunk), "cannot queue audio");
    m_samples_queued += chunk;
    count -= chunk;
  }
}

void AudioTrack::encode_queued(bool final) {
  const int frame_size = m_encoder.frame_size();
  while (av_audio_fifo_size(m_fifo.get()) >= frame_size || (final && av_audio_fifo_size(m_fifo.get()) > 0)) {
    av_frame_unref(m_encoder_input.get());
    m_encoder_input->nb_samples = std::min(frame_size, av_audio_fifo_size(m_fifo.get()));
    m_encoder_input->format = AV_SAMPLE_FMT_FLTP;
    m_encoder_input->sample_rate = m_sample_rate;
    check(av_channel_layout_copy(&m_encoder_input->ch_layout, &m_layout), "cannot encode audio");
    check(av_frame_get_buffer(m_encoder_input.get(), 0), "cannot encode audio");
    av_audio_fifo_read(m_fifo.get(), reinterpret_cast<void**>(m_encoder_input->extended_data),
                       m_encoder_input->nb_samples);
    m_encoder_input->pts = m_samples_encoded;
    m_samples_encoded += m_encoder_input->nb_samples;
    m_encoder.send(m_encoder_input.get());
    m_encoder.write_ready_packets(m_muxer, m_stream_index, m_packet.get());
  }
}

}  // namespace clipper::media
