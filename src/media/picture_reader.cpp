#include "clipper/media/picture_reader.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "clipper/util/cancellation.hpp"
#include "clipper/util/error.hpp"
#include "video_track.hpp"

namespace clipper::media {

Size analysis_picture_size(const AVStream& stream, int longer_side) {
  const double sar = av_q2d(sample_aspect_ratio(stream));
  const double width = stream.codecpar->width * sar;
  const double height = stream.codecpar->height;
  const double scale = std::min(1.0, longer_side / std::max(width, height));
  return {std::max(8, static_cast<int>(std::lround(width * scale))),
          std::max(8, static_cast<int>(std::lround(height * scale)))};
}

PictureReader::PictureReader(const std::filesystem::path& path, const PictureReaderOptions& options)
    : m_demuxer(path),
      m_stream_index(require_video_stream(m_demuxer)),
      m_decoder(*m_demuxer.stream(m_stream_index), path.string(),
                {.threads = options.threads, .skip_loop_filter = options.fast_decode}),
      m_frame_rate(av_q2d(clip_frame_rate(m_demuxer.context(), m_demuxer.stream(m_stream_index)))),
      m_size(analysis_picture_size(*m_demuxer.stream(m_stream_index), options.longer_side)) {
  m_demuxer.keep_only(m_stream_index, -1);
  m_bgr.resize(static_cast<size_t>(m_size.width) * 3 * static_cast<size_t>(m_size.height));
}

bool PictureReader::next_decoded(DecodedPicture& decoded) {
  if (!receive_picture()) {
    if (m_count == 0) throw nothing_decoded(m_demuxer.path().string(), m_decoder.last_error());
    return false;
  }
  m_last_time_s = picture_time_s();
  if (!decoded.frame) decoded.frame = make_frame();
  av_frame_unref(decoded.frame.get());
  av_frame_move_ref(decoded.frame.get(), m_frame.get());
  decoded.index = m_count++;
  decoded.time_s = m_last_time_s;
  decoded.timestamp_jumps = m_clock.jumps();
  return true;
}

Picture PictureReader::shrink(const DecodedPicture& decoded) {
  m_scaler.to_bgr(*decoded.frame, m_size, m_bgr.data(), m_size.width * 3);
  return {.index = decoded.index,
          .time_s = decoded.time_s,
          .timestamp_jumps = decoded.timestamp_jumps,
          .size = m_size,
          .stride = m_size.width * 3,
          .bgr = m_bgr.data()};
}

bool PictureReader::receive_picture() {
  while (!m_decoder.receive(m_frame.get())) {
    if (m_draining) return false;
    util::throw_if_stop_requested();
    if (m_demuxer.read(m_packet.get())) {
      if (m_packet->stream_index == m_stream_index) m_decoder.send(m_packet.get());
      av_packet_unref(m_packet.get());
    } else {
      m_draining = true;
      m_decoder.send(nullptr);
    }
  }
  return true;
}

double PictureReader::picture_time_s() {
  if (m_frame->best_effort_timestamp == AV_NOPTS_VALUE) return m_count == 0 ? 0.0 : m_last_time_s + 1.0 / m_frame_rate;
  const AVStream& stream = *m_demuxer.stream(m_stream_index);
  return m_clock.place(static_cast<double>(m_frame->best_effort_timestamp) * av_q2d(stream.time_base)) -
         m_demuxer.origin_s();
}

}  // namespace clipper::media
