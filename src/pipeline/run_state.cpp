#include "run_state.hpp"

namespace clipper::pipeline {
namespace {

void raise_peak(std::atomic<int>& peak, int value) {
  int seen = peak.load();
  while (value > seen && !peak.compare_exchange_weak(seen, value)) {
  }
}

}  // namespace

int SlotPool::acquire() {
  std::lock_guard lock(m_mutex);
  for (size_t slot = 0; slot < m_busy.size(); ++slot) {
    if (!m_busy[slot]) {
      m_busy[slot] = true;
      return static_cast<int>(slot);
    }
  }
  m_busy.push_back(true);  // only when more bodies run than slots: the report then shows it
  return static_cast<int>(m_busy.size() - 1);
}

void SlotPool::release(int slot) {
  std::lock_guard lock(m_mutex);
  m_busy[static_cast<size_t>(slot)] = false;
}

RunState::RunState(size_t expected, Progress* progress, bool keep_records)
    : m_progress(progress),
      m_expected(expected),
      m_keep_records(keep_records),
      m_videos_not_started(static_cast<long>(expected)),
      m_videos_not_analysed(static_cast<long>(expected)) {}

size_t RunState::add(const VideoJob& video) {
  std::lock_guard lock(m_mutex);
  if (m_videos_seen >= m_expected) {
    ++m_videos_not_started;
    ++m_videos_not_analysed;
  }
  const size_t id = m_videos_seen++;
  Video& entry = m_videos[id];
  entry.job = video;
  entry.job.id = id;
  entry.record.source = video.source;
  return id;
}

VideoJob RunState::job(size_t id) {
  std::lock_guard lock(m_mutex);
  return m_videos.at(id).job;
}

void RunState::add_never_admitted(const std::vector<VideoJob>& videos) {
  std::lock_guard lock(m_mutex);
  for (const VideoJob& video : videos) m_videos[m_videos_seen++].record.source = video.source;
}

VideoRecord RunState::video(size_t id) {
  std::lock_guard lock(m_mutex);
  return m_videos.at(id).record;
}

void RunState::admit(size_t video) {
  const double now = m_clock.now_s();
  raise_peak(m_peak_videos_in_flight, ++m_videos_in_flight);
  std::lock_guard lock(m_mutex);
  VideoRecord& record = m_videos.at(video).record;
  record.admitted = now;
  record.admitted_at_all = true;
}

void RunState::start_analysis(size_t video) {
  const double now = m_clock.now_s();
  --m_videos_not_started;
  std::lock_guard lock(m_mutex);
  m_videos.at(video).record.analysis_start = now;
}

ClipJob RunState::plan_clip(const VideoJob& video, const plan::ClipWindow& window) {
  const double now = m_clock.now_s();
  ++m_clips_in_flight;
  ++m_clips_waiting;
  if (m_progress) ++m_progress->clips_planned;
  std::lock_guard lock(m_mutex);
  Video& entry = m_videos.at(video.id);
  const int index = window.number ? *window.number - 1 : entry.record.clips_planned;
  ++entry.record.clips_planned;
  return {.video_id = video.id,
          .source = video.source,
          .index = index,
          .window = window,
          .times = {.admitted = entry.record.admitted, .analysis_start = entry.record.analysis_start, .detected = now},
          .tag = video.tag};
}

bool RunState::finish_analysis(size_t video, const AnalysisOutcome& outcome) {
  const std::optional<std::string>& error = outcome.error;
  const double now = m_clock.now_s();
  --m_videos_not_analysed;
  std::lock_guard lock(m_mutex);
  Video& entry = m_videos.at(video);
  VideoRecord& record = entry.record;
  record.analysis_end = now;
  record.error = error;
  record.warning = outcome.warning;
  record.thumbnails = outcome.thumbnails;
  entry.analysed = true;
  if (error && record.clips_planned == 0) {
    record_clip({.video_id = video,
                 .source = record.source,
                 .status = ClipStatus::failed,
                 .error = error,
                 .times = {.admitted = record.admitted, .analysis_start = record.analysis_start},
                 .tag = entry.job.tag});
  }
  return finish_video_if_done(video);
}

void RunState::interrupt(size_t video) {
  std::lock_guard lock(m_mutex);
  m_videos.at(video).record.interrupted = true;
}

void RunState::forget(size_t video) {
  if (m_keep_records) return;
  std::lock_guard lock(m_mutex);
  m_videos.erase(video);
}

bool RunState::finish_clip(ClipRecord record) {
  --m_clips_in_flight;
  if (m_progress) ++m_progress->clips_done;
  const size_t video = record.video_id;
  std::lock_guard lock(m_mutex);
  record_clip(std::move(record));
  ++m_videos.at(video).clips_done;
  return finish_video_if_done(video);
}

void RunState::record_clip(ClipRecord record) {
  switch (record.status) {
    case ClipStatus::ok:
      ++m_clip_counts.ok;
      break;
    case ClipStatus::failed:
      ++m_clip_counts.failed;
      break;
    case ClipStatus::skipped:
      ++m_clip_counts.skipped;
      break;
    case ClipStatus::interrupted:
      ++m_clip_counts.interrupted;
      break;
  }
  if (m_keep_records) m_clips.push_back(std::move(record));
}

bool RunState::finish_video_if_done(size_t video) {
  Video& entry = m_videos.at(video);
  if (!entry.analysed || entry.clips_done < entry.record.clips_planned) return false;
  entry.record.finished = m_clock.now_s();
  --m_videos_in_flight;
  if (m_progress) ++m_progress->videos_done;
  return true;
}

void RunState::never_started(size_t videos) {
  m_videos_not_started -= static_cast<long>(videos);
  m_videos_not_analysed -= static_cast<long>(videos);
}

void RunState::encoder_started() {
  --m_clips_waiting;
  raise_peak(m_peak_encoders, ++m_encoders_busy);
}

void RunState::encoder_stopped() { --m_encoders_busy; }

RunResult RunState::take_result(double wall_s) {
  std::lock_guard lock(m_mutex);
  std::vector<VideoRecord> videos;
  videos.reserve(m_videos.size());
  for (auto& [id, entry] : m_videos) videos.push_back(std::move(entry.record));
  return {.clips = std::move(m_clips),
          .videos = std::move(videos),
          .clip_counts = m_clip_counts,
          .videos_seen = static_cast<long>(m_videos_seen),
          .wall_s = wall_s,
          .peak_encoders = m_peak_encoders.load(),
          .peak_videos_in_flight = m_peak_videos_in_flight.load()};
}

}  // namespace clipper::pipeline
