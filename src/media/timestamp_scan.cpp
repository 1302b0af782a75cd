#include "clipper/media/timestamp_scan.hpp"

#include "clipper/media/demuxer.hpp"
#include "clipper/media/monotonic_clock.hpp"
#include "clipper/util/cancellation.hpp"

namespace clipper::media {
namespace {

bool indexed_timestamps_jump_back(const AVStream& stream) {
  const int entries = avformat_index_get_entries_count(&stream);
  MonotonicClock clock(0.0);
  for (int i = 0; i < entries; ++i) {
    const AVIndexEntry* entry = avformat_index_get_entry(const_cast<AVStream*>(&stream), i);
    if (entry->timestamp != AV_NOPTS_VALUE) clock.place(static_cast<double>(entry->timestamp) * av_q2d(stream.time_base));
  }
  return clock.jumps() > 0;
}

bool packet_timestamps_jump_back(Demuxer& demuxer) {
  const int video = demuxer.video_stream_index();
  const AVRational time_base = demuxer.stream(video)->time_base;
  demuxer.keep_only(video, -1);
  MonotonicClock clock(0.0);
  PacketPtr packet = make_packet();
  while (demuxer.read(packet.get())) {
    util::throw_if_stop_requested();
    const int64_t timestamp = packet->pts != AV_NOPTS_VALUE ? packet->pts : packet->dts;
    if (packet->stream_index == video && timestamp != AV_NOPTS_VALUE) {
      clock.place(static_cast<double>(timestamp) * av_q2d(time_base));
    }
    av_packet_unref(packet.get());
  }
  return clock.jumps() > 0;
}

}  // namespace

bool timestamps_jump_back(const std::filesystem::path& path) {
  Demuxer demuxer(path);
  if (demuxer.video_stream_index() < 0) return false;
  const AVStream& stream = *demuxer.stream(demuxer.video_stream_index());
  if (demuxer.context()->iformat->flags & AVFMT_TS_DISCONT) return packet_timestamps_jump_back(demuxer);
  return indexed_timestamps_jump_back(stream);
}

}  // namespace clipper::media
