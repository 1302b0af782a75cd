#include "media_probe.hpp"

#include <cmath>
#include <fstream>
#include <iterator>
#include <string>

#include "clipper/media/decoder.hpp"
#include "clipper/media/demuxer.hpp"

extern "C" {
#include <libavutil/display.h>
}

namespace clipper::testing {
namespace {

double mean_luma(const AVFrame& frame) {
  double sum = 0.0;
  for (int y = 0; y < frame.height; ++y) {
    const uint8_t* row = frame.data[0] + static_cast<ptrdiff_t>(y) * frame.linesize[0];
    for (int x = 0; x < frame.width; ++x) sum += row[x];
  }
  return sum / (static_cast<double>(frame.width) * frame.height);
}

double frame_time_s(const AVFrame& frame, const AVStream& stream) {
  return static_cast<double>(frame.best_effort_timestamp) * av_q2d(stream.time_base);
}

void keep_luma_plane(const AVFrame& frame, ProbedVideo& video) {
  for (int y = 0; y < frame.height; ++y) {
    const uint8_t* row = frame.data[0] + static_cast<ptrdiff_t>(y) * frame.linesize[0];
    video.first_luma.insert(video.first_luma.end(), row, row + frame.width);
  }
}

void read_video_frame(const AVFrame& frame, const AVStream& stream, ProbedVideo& video) {
  if (video.frame_times_s.empty()) keep_luma_plane(frame, video);
  video.width = frame.width;
  video.height = frame.height;
  video.frame_times_s.push_back(frame_time_s(frame, stream));
  video.frame_lumas.push_back(mean_luma(frame));
}

void read_audio_frame(const AVFrame& frame, const AVStream& stream, ProbedAudio& audio) {
  if (audio.samples.empty()) audio.first_time_s = frame_time_s(frame, stream);
  audio.sample_rate = frame.sample_rate;
  audio.channels = frame.ch_layout.nb_channels;
  const auto* samples = reinterpret_cast<const float*>(frame.extended_data[0]);
  audio.samples.insert(audio.samples.end(), samples, samples + frame.nb_samples);
}

bool moov_before_mdat(const std::filesystem::path& path) {
  std::ifstream file(path, std::ios::binary);
  const std::string bytes((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
  const auto moov = bytes.find("moov");
  const auto mdat = bytes.find("mdat");
  return moov != std::string::npos && mdat != std::string::npos && moov < mdat;
}

}  // namespace

ProbedFile probe_file(const std::filesystem::path& path) {
  media::Demuxer demuxer(path);
  ProbedFile probed;
  const int video_index = demuxer.video_stream_index();
  const int audio_index = demuxer.audio_stream_index();
  const AVStream& video_stream = *demuxer.stream(video_index);
  probed.video.format_name = demuxer.context()->iformat->name;
  probed.video.index_first = moov_before_mdat(path);
  probed.video.sample_aspect_ratio = av_q2d(media::sample_aspect_ratio(video_stream));
  probed.video.has_rotation = av_stream_get_side_data(&video_stream, AV_PKT_DATA_DISPLAYMATRIX, nullptr) != nullptr;
  media::Decoder video_decoder(video_stream, path.string());
  std::optional<media::Decoder> audio_decoder;
  if (audio_index >= 0) {
    audio_decoder.emplace(*demuxer.stream(audio_index), path.string());
    probed.audio.emplace();
  }
  media::PacketPtr packet = media::make_packet();
  media::FramePtr frame = media::make_frame();
  auto drain = [&](media::Decoder& decoder, int index) {
    while (decoder.receive(frame.get())) {
      if (index == video_index)
        read_video_frame(*frame, video_stream, probed.video);
      else
        read_audio_frame(*frame, *demuxer.stream(index), *probed.audio);
      av_frame_unref(frame.get());
    }
  };
  while (demuxer.read(packet.get())) {
    if (packet->stream_index == video_index) {
      video_decoder.send(packet.get());
      drain(video_decoder, video_index);
    } else if (audio_decoder && packet->stream_index == audio_index) {
      audio_decoder->send(packet.get());
      drain(*audio_decoder, audio_index);
    }
    av_packet_unref(packet.get());
  }
  video_decoder.send(nullptr);
  drain(video_decoder, video_index);
  if (audio_decoder) {
    audio_decoder->send(nullptr);
    drain(*audio_decoder, audio_index);
  }
  return probed;
}

double ProbedVideo::first_luma_mean(int x0, int y0, int x1, int y1) const {
  double sum = 0.0;
  for (int y = y0; y < y1; ++y) {
    for (int x = x0; x < x1; ++x) sum += first_luma[static_cast<size_t>(y) * static_cast<size_t>(width) + x];
  }
  return sum / (static_cast<double>(x1 - x0) * (y1 - y0));
}

double first_bright_picture_s(const ProbedVideo& video, double threshold) {
  for (size_t i = 0; i < video.frame_lumas.size(); ++i) {
    if (video.frame_lumas[i] > threshold) return video.frame_times_s[i];
  }
  return -1.0;
}

double first_loud_sample_s(const ProbedAudio& audio, float threshold) {
  for (size_t i = 0; i < audio.samples.size(); ++i) {
    if (std::fabs(audio.samples[i]) > threshold) return audio.first_time_s + static_cast<double>(i) / audio.sample_rate;
  }
  return -1.0;
}

}  // namespace clipper::testing
