#include "clipper/media/clip.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <cmath>
#include <optional>

#include "audio_track.hpp"
#include "clipper/media/demuxer.hpp"
#include "clipper/util/atomic_file.hpp"
#include "clipper/util/cancellation.hpp"
#include "clipper/util/error.hpp"
#include "video_track.hpp"

namespace clipper::media {
namespace {

// A clip that ends this much before its requested end means the input is damaged.
constexpr double kTruncationTolerance_s = 1.0;

std::string quoted(const std::filesystem::path& path) { return fmt::format("'{}'", path.string()); }

double stream_duration_s(const Demuxer& demuxer, int index) {
  const AVStream& stream = *demuxer.stream(index);
  if (stream.duration != AV_NOPTS_VALUE && stream.duration > 0) {
    return static_cast<double>(stream.duration) * av_q2d(stream.time_base);
  }
  return demuxer.duration_s();
}

void reject_shorter_than_a_frame(const ClipRequest& request, const ClipTiming& timing) {
  if (timing.frame_count() < 1) {
    throw util::UsageError(fmt::format("cannot cut {}: the clip is shorter than one frame", quoted(request.input)));
  }
}

ClipTiming plan_timing(Demuxer& demuxer, const ClipRequest& request) {
  const int video = demuxer.video_stream_index();
  const double duration_s = request.from_start ? 0.0 : stream_duration_s(demuxer, video);
  ClipTiming timing{.origin_s = demuxer.origin_s(),
                    .start_s = request.start_s,
                    .end_s = request.end_s,
                    .frame_rate = clip_frame_rate(demuxer.context(), demuxer.stream(video))};
  if (duration_s > 0.0 && request.start_s >= duration_s) {
    throw util::UsageError(fmt::format("cannot cut {}: start {} s is past its end, {:.3f} s", quoted(request.input),
                                       request.start_s, duration_s));
  }
  if (duration_s > 0.0 && request.end_s > duration_s) {
    // Less than a frame over is the container's rounding, not worth a word.
    if (request.end_s - duration_s > timing.frame_period_s()) {
      spdlog::warn("{}: end {} s is past its end: the clip stops at {:.3f} s", quoted(request.input), request.end_s,
                   duration_s);
    }
    timing.end_s = duration_s;
  }
  reject_shorter_than_a_frame(request, timing);
  return timing;
}

int64_t to_stream_pts(double seconds, const AVStream& stream) {
  return std::llround(seconds / av_q2d(stream.time_base));
}

// Decodes from the current position to the first picture and returns its clip time.
std::optional<double> probe_first_picture(Demuxer& demuxer, VideoTrack& video) {
  PacketPtr packet = make_packet();
  std::optional<double> time_s;
  while (!time_s && demuxer.read(packet.get())) {
    if (packet->stream_index == demuxer.video_stream_index()) time_s = video.first_picture_time(packet.get());
    av_packet_unref(packet.get());
  }
  video.reset_decoder();
  return time_s;
}

// Seeks to the keyframe before the clip start. A seek that lands after the start (files without an
// index seek by guessing) is detected on the first picture and retried further back.
void seek_to_start(Demuxer& demuxer, VideoTrack& video, const ClipTiming& timing) {
  const AVStream& stream = *demuxer.stream(demuxer.video_stream_index());
  for (double back_s = 0.0;; back_s = back_s == 0.0 ? 1.0 : back_s * 2.0) {
    const double target_s = timing.origin_s + timing.start_s - back_s;
    if (target_s <= timing.origin_s || !demuxer.seek(stream.index, to_stream_pts(target_s, stream))) break;
    const std::optional<double> first_s = probe_first_picture(demuxer, video);
    if (first_s && *first_s <= timing.half_frame_s() + 1e-6) {
      if (!demuxer.seek(stream.index, to_stream_pts(target_s, stream))) break;
      return;
    }
    spdlog::debug("{}: seek to {:.3f} s landed late, retrying further back", quoted(demuxer.path()),
                  target_s - timing.origin_s);
  }
  demuxer.seek_to_beginning();
}

// The sound of a clip whose pictures come from a ClipFeed, read as `clipper cut` reads it (from the
// keyframe before the start, the video's packets passed over: the sound decodes the same), up to
// where its pictures have come.
class SoundReader {
 public:
  SoundReader(Demuxer& demuxer, VideoTrack& video, AudioTrack& audio, const ClipTiming& timing)
      : m_demuxer(demuxer), m_audio(audio), m_timing(timing), m_index(demuxer.audio_stream_index()) {
    demuxer.keep_only(demuxer.video_stream_index(), m_index);
    seek_to_start(demuxer, video, timing);
  }

  void read_until(double clip_time_s) {
    while (!m_ended && !m_audio.done() && m_read_s < clip_time_s) {
      util::throw_if_stop_requested();
      if (!m_demuxer.read(m_packet.get())) {
        m_ended = true;
        break;
      }
      if (m_packet->stream_index == m_index) {
        if (m_packet->pts != AV_NOPTS_VALUE) {
          m_read_s =
              m_timing.clip_time_s(static_cast<double>(m_packet->pts) * av_q2d(m_demuxer.stream(m_index)->time_base));
        }
        m_audio.feed(m_packet.get());
      }
      av_packet_unref(m_packet.get());
    }
  }

 private:
  Demuxer& m_demuxer;
  AudioTrack& m_audio;
  ClipTiming m_timing;
  int m_index;
  PacketPtr m_packet = make_packet();
  double m_read_s = -1e9;
  bool m_ended = false;
};

void check_complete(const ClipRequest& request, const VideoTrack& video, const ClipTiming& timing) {
  if (!video.saw_picture()) {
    throw nothing_decoded(request.input.string(), video.decoder().last_error(),
                          fmt::format("no picture between {} s and {} s", timing.start_s, timing.end_s));
  }
  const double written_s = static_cast<double>(video.frames_written()) * timing.frame_period_s();
  const double missing_s = timing.duration_s() - written_s;
  if (missing_s > kTruncationTolerance_s) {
    throw util::Error(fmt::format("cannot read {}: it ends at {:.3f} s, before the clip end {:.3f} s (truncated?)",
                                  quoted(request.input), timing.start_s + written_s, timing.end_s));
  }
  if (missing_s > 2 * timing.frame_period_s()) {
    spdlog::warn("{}: pictures end at {:.3f} s, the clip is {:.3f} s short", quoted(request.input),
                 timing.start_s + written_s, missing_s);
  }
}

void warn_about_damage(const ClipRequest& request, int corrupt_packets) {
  if (corrupt_packets > 0) {
    spdlog::warn("{}: skipped {} corrupt packet{}", quoted(request.input), corrupt_packets,
                 corrupt_packets == 1 ? "" : "s");
  }
}

ClipResult result_of(const VideoTrack& video, bool has_audio, const ClipTiming& timing, int corrupt_packets) {
  return {.size = video.output_size(),
          .video_frames = video.frames_written(),
          .duration_s = static_cast<double>(video.frames_written()) * timing.frame_period_s(),
          .has_audio = has_audio,
          .corrupt_packets = corrupt_packets};
}

void reject_overwriting_input(const ClipRequest& request) {
  std::error_code error;
  if (std::filesystem::equivalent(request.input, request.output, error)) {
    throw util::UsageError(fmt::format("cannot write output {}: it is the input", quoted(request.output)));
  }
}

}  // namespace

void validate(const EncodeSettings& settings) {
  if (!is_x264_preset(settings.preset)) {
    throw util::UsageError(
        fmt::format("preset '{}' is not a libx264 preset ({})", settings.preset, x264_presets_text()));
  }
  if (settings.crf < 0 || settings.crf > 51) throw util::UsageError(fmt::format("crf {} is outside 0-51", settings.crf));
  if (settings.height < 16) throw util::UsageError(fmt::format("height {} is below 16", settings.height));
  if (settings.threads < 0) throw util::UsageError(fmt::format("threads {} is negative", settings.threads));
}

void validate_times(double start_s, double end_s) {
  if (!std::isfinite(start_s) || !std::isfinite(end_s)) {
    throw util::UsageError(fmt::format("start {} s or end {} s is not a time", start_s, end_s));
  }
  if (start_s < 0) throw util::UsageError(fmt::format("start {} s is negative", start_s));
  if (end_s <= start_s) throw util::UsageError(fmt::format("end {} s is not after start {} s", end_s, start_s));
}

ClipResult transcode_clip(const ClipRequest& request) {
  validate(request.encode);
  validate_times(request.start_s, request.end_s);
  reject_overwriting_input(request);

  Demuxer demuxer(request.input);
  require_video_stream(demuxer);
  const ClipTiming timing = plan_timing(demuxer, request);

  util::AtomicFile file(request.output);
  Muxer muxer(file.temp_path(), request.output);
  const std::string source = request.input.string();
  VideoTrack video(*demuxer.stream(demuxer.video_stream_index()), source, timing, request.encode, muxer);
  std::optional<AudioTrack> audio;
  if (demuxer.audio_stream_index() >= 0)
    audio.emplace(*demuxer.stream(demuxer.audio_stream_index()), source, timing, muxer);
  demuxer.keep_only(demuxer.video_stream_index(), demuxer.audio_stream_index());

  if (!request.from_start) seek_to_start(demuxer, video, timing);  // a demuxer just opened reads from the start
  muxer.start();
  PacketPtr packet = make_packet();
  while (!(video.done() && (!audio || audio->done())) && demuxer.read(packet.get())) {
    util::throw_if_stop_requested();
    if (packet->stream_index == demuxer.video_stream_index() && !video.done()) video.feed(packet.get());
    if (audio && packet->stream_index == demuxer.audio_stream_index() && !audio->done()) audio->feed(packet.get());
    av_packet_unref(packet.get());
  }
  video.finish();
  check_complete(request, video, timing);
  if (audio) audio->finish();
  muxer.finish();
  file.commit();

  const int corrupt = video.decoder().corrupt_packets() + (audio ? audio->decoder().corrupt_packets() : 0);
  warn_about_damage(request, corrupt);
  return result_of(video, audio.has_value(), timing, corrupt);
}

ClipResult transcode_fed_clip(const ClipRequest& request, ClipFeed& feed) {
  validate(request.encode);
  validate_times(request.start_s, request.end_s);
  reject_overwriting_input(request);

  Demuxer demuxer(request.input);
  const int video_index = require_video_stream(demuxer);
  ClipTiming timing{.origin_s = demuxer.origin_s(),
                    .start_s = request.start_s,
                    .end_s = request.end_s,
                    .frame_rate = clip_frame_rate(demuxer.context(), demuxer.stream(video_index))};

  util::AtomicFile file(request.output);
  Muxer muxer(file.temp_path(), request.output);
  const std::string source = request.input.string();
  VideoTrack video(*demuxer.stream(video_index), source, timing, request.encode, muxer);
  std::optional<AudioTrack> audio;
  std::optional<SoundReader> sound;
  if (demuxer.audio_stream_index() >= 0) {
    audio.emplace(*demuxer.stream(demuxer.audio_stream_index()), source, timing, muxer);
    sound.emplace(demuxer, video, *audio, timing);
  }
  video.close_decoder();
  const auto extend_to = [&](double end_s) {
    timing.end_s = end_s;
    video.extend_to(end_s);
    if (audio) audio->extend_to(end_s);
  };

  muxer.start();
  while (std::optional<FedPicture> picture = feed.pop()) {
    extend_to(picture->end_s);
    const double clip_time_s = picture->time_s - timing.start_s;
    video.feed_picture(*picture->frame, clip_time_s);
    // Sound only well before the end known so far: what is queued past the end is lost.
    if (sound) sound->read_until(std::min(clip_time_s + 0.5, timing.duration_s() - 1.0));
  }
  extend_to(feed.end_s());
  reject_shorter_than_a_frame(request, timing);
  video.finish();
  check_complete(request, video, timing);
  if (sound) sound->read_until(timing.duration_s() + 1.0);
  if (audio) audio->finish();
  muxer.finish();
  file.commit();

  const int corrupt = audio ? audio->decoder().corrupt_packets() : 0;
  warn_about_damage(request, corrupt);
  return result_of(video, audio.has_value(), timing, corrupt);
}

}  // namespace clipper::media
