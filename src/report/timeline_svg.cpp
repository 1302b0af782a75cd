#include "clipper/report/timeline_svg.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "clipper/util/atomic_file.hpp"

namespace clipper::report {
namespace {

constexpr double kWidth = 1100.0;
constexpr double kLeft = 110.0;
constexpr double kRowHeight = 14.0;
constexpr double kQueueHeight = 80.0;

struct Bar {
  double start;
  double end;
};

// +1 when a clip is detected, -1 when its encode starts, in time order.
std::vector<std::pair<double, int>> waiting_changes(const pipeline::RunResult& result) {
  std::vector<std::pair<double, int>> changes;
  for (const auto& clip : result.clips) {
    if (!clip.index || clip.status == pipeline::ClipStatus::skipped) continue;
    changes.emplace_back(clip.times.detected, +1);
    changes.emplace_back(clip.times.encode_start, -1);
  }
  std::sort(changes.begin(), changes.end());
  return changes;
}

int peak_waiting(const pipeline::RunResult& result) {
  int level = 0;
  int peak = 1;
  for (const auto& change : waiting_changes(result)) peak = std::max(peak, level += change.second);
  return peak;
}

// Puts each interval in the first lane free at its start (the analysers are not numbered).
std::vector<std::vector<Bar>> pack_into_lanes(std::vector<Bar> bars) {
  std::sort(bars.begin(), bars.end(), [](const Bar& a, const Bar& b) { return a.start < b.start; });
  std::vector<std::vector<Bar>> lanes;
  for (const Bar& bar : bars) {
    auto free =
        std::find_if(lanes.begin(), lanes.end(), [&](const auto& lane) { return lane.back().end <= bar.start; });
    if (free == lanes.end()) {
      lanes.push_back({bar});
    } else {
      free->push_back(bar);
    }
  }
  return lanes;
}

std::string escape(const std::string& text) {
  std::string out;
  for (char c : text) {
    if (c == '<')
      out += "&lt;";
    else if (c == '>')
      out += "&gt;";
    else if (c == '&')
      out += "&amp;";
    else
      out += c;
  }
  return out;
}

class Panel {
 public:
  Panel(double top, double window_s) : m_top(top), m_window_s(window_s) {}

  double x(double seconds) const { return kLeft + (kWidth - kLeft - 20) * std::min(seconds, m_window_s) / m_window_s; }

  void lane(const std::string& name, const std::vector<Bar>& bars, const char* colour, std::string& svg) {
    const double y = m_top + m_rows * kRowHeight;
    svg += fmt::format("<text x=\"4\" y=\"{:.1f}\" font-size=\"10\">{}</text>\n", y + 10, name);
    for (const Bar& bar : bars) {
      if (bar.start >= m_window_s) continue;
      svg += fmt::format(
          "<rect x=\"{:.2f}\" y=\"{:.1f}\" width=\"{:.2f}\" height=\"11\" fill=\"{}\" stroke=\"#fff\" "
          "stroke-width=\"0.3\"/>\n",
          x(bar.start), y, std::max(0.5, x(bar.end) - x(bar.start)), colour);
    }
    ++m_rows;
  }

  // The number of clips detected and not yet being encoded, as a step area on a scale of peak.
  void waiting_area(const pipeline::RunResult& result, int peak, std::string& svg) {
    const auto changes = waiting_changes(result);
    int level = 0;
    const double base = m_top + m_rows * kRowHeight + kQueueHeight + 6;
    std::string points = fmt::format("{:.1f},{:.1f}", x(0), base);
    level = 0;
    for (const auto& [time, change] : changes) {
      if (time > m_window_s) break;
      const double y_before = base - kQueueHeight * level / peak;
      level += change;
      points +=
          fmt::format(" {:.2f},{:.1f} {:.2f},{:.1f}", x(time), y_before, x(time), base - kQueueHeight * level / peak);
    }
    points += fmt::format(" {:.1f},{:.1f} {:.1f},{:.1f}", x(m_window_s), base - kQueueHeight * level / peak,
                          x(m_window_s), base);
    svg += fmt::format("<polygon points=\"{}\" fill=\"#e8a33d\" fill-opacity=\"0.6\" stroke=\"#b36b00\"/>\n", points);
    svg += fmt::format("<text x=\"4\" y=\"{:.1f}\" font-size=\"10\">waiting for</text>\n", base - kQueueHeight / 2);
    svg += fmt::format("<text x=\"4\" y=\"{:.1f}\" font-size=\"10\">an encoder</text>\n", base - kQueueHeight / 2 + 12);
    svg += fmt::format("<text x=\"{:.1f}\" y=\"{:.1f}\" font-size=\"10\">{} clips</text>\n", kLeft - 48,
                       base - kQueueHeight + 10, peak);
    m_bottom = base + 24;
    svg += fmt::format("<text x=\"{:.1f}\" y=\"{:.1f}\" font-size=\"10\">0 s</text>\n", x(0), base + 14);
    svg += fmt::format("<text x=\"{:.1f}\" y=\"{:.1f}\" font-size=\"10\" text-anchor=\"end\">{:.2f} s</text>\n",
                       x(m_window_s), base + 14, m_window_s);
  }

  double bottom() const { return m_bottom; }

 private:
  double m_top;
  double m_window_s;
  int m_rows = 0;
  double m_bottom = 0.0;
};

double draw_run(const TimelineRun& run, double top, double window_s, int peak, std::string& svg) {
  const pipeline::RunResult& result = *run.result;
  const double shown_s = window_s > 0 ? std::min(window_s, result.wall_s) : result.wall_s;
  svg += fmt::format("<text x=\"4\" y=\"{:.1f}\" font-size=\"13\" font-weight=\"bold\">{}</text>\n", top + 12,
                     escape(run.label));
  Panel panel(top + 20, std::max(shown_s, 1e-3));
  std::vector<Bar> analyses;
  for (const auto& video : result.videos) {
    if (video.analysis_end > 0) analyses.push_back({video.analysis_start, video.analysis_end});
  }
  const auto lanes = pack_into_lanes(analyses);
  for (size_t i = 0; i < lanes.size(); ++i) panel.lane(fmt::format("analysis {}", i + 1), lanes[i], "#4c78a8", svg);
  int slots = 0;
  for (const auto& clip : result.clips) slots = std::max(slots, clip.encoder_slot + 1);
  for (int slot = 0; slot < slots; ++slot) {
    std::vector<Bar> encodes;
    for (const auto& clip : result.clips) {
      if (clip.encoder_slot == slot && clip.status != pipeline::ClipStatus::skipped) {
        encodes.push_back({clip.times.encode_start, clip.times.encode_end});
      }
    }
    panel.lane(fmt::format("encoder {}", slot + 1), encodes, "#54a24b", svg);
  }
  panel.waiting_area(result, peak, svg);
  return panel.bottom();
}

}  // namespace

std::string timeline_svg(const std::vector<TimelineRun>& runs, double window_s) {
  std::string body;
  double top = 10;
  int peak = 1;  // one scale for every panel, so that their queues compare at a glance
  for (const TimelineRun& run : runs) peak = std::max(peak, peak_waiting(*run.result));
  for (const TimelineRun& run : runs) top = draw_run(run, top, window_s, peak, body) + 20;
  return fmt::format(
      "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{:.0f}\" height=\"{:.0f}\" "
      "font-family=\"sans-serif\">\n<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n{}</svg>\n",
      kWidth, top, body);
}

void write_timeline_svg(const std::filesystem::path& path, const std::vector<TimelineRun>& runs, double window_s) {
  util::write_file_atomically(path, timeline_svg(runs, window_s));
}

std::string sweep_svg(const std::vector<SweepPoint>& points) {
  constexpr double kW = 700, kH = 460, kPad = 70;
  double max_x = 1, max_y = 1;
  for (const auto& point : points) {
    max_x = std::max(max_x, point.p95_latency_s * 1.15);
    max_y = std::max(max_y, point.throughput_per_min * 1.15);
  }
  std::string body = fmt::format(
      "<line x1=\"{0}\" y1=\"{1}\" x2=\"{2}\" y2=\"{1}\" stroke=\"black\"/><line x1=\"{0}\" y1=\"{3}\" x2=\"{0}\" "
      "y2=\"{1}\" stroke=\"black\"/>\n<text x=\"{4}\" y=\"{5}\" font-size=\"12\" text-anchor=\"middle\">p95 latency "
      "(s), {6:.1f} at the right edge</text>\n<text x=\"14\" y=\"{7}\" font-size=\"12\" transform=\"rotate(-90 14 "
      "{7})\" "
      "text-anchor=\"middle\">throughput (clips/min), {8:.1f} at the top</text>\n",
      kPad, kH - kPad, kW - 20, 20, (kPad + kW) / 2, kH - 30, max_x, kH / 2, max_y);
  for (size_t i = 0; i < points.size(); ++i) {
    const SweepPoint& point = points[i];
    const double x = kPad + (kW - 20 - kPad) * point.p95_latency_s / max_x;
    const double y = kH - kPad - (kH - kPad - 20) * point.throughput_per_min / max_y;
    const double label_y = y - 4 + 12.0 * static_cast<double>(i % 3) - 12.0;  // staggered: close points stay legible
    body += fmt::format(
        "<circle cx=\"{:.1f}\" cy=\"{:.1f}\" r=\"5\" fill=\"#4c78a8\"/><line x1=\"{:.1f}\" "
        "y1=\"{:.1f}\" x2=\"{:.1f}\" y2=\"{:.1f}\" stroke=\"#aaa\"/><text x=\"{:.1f}\" y=\"{:.1f}\" "
        "font-size=\"10\">{}</text>\n",
        x, y, x, y, x + 7, label_y - 3, x + 8, label_y, escape(point.label));
  }
  return fmt::format(
      "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{:.0f}\" height=\"{:.0f}\" "
      "font-family=\"sans-serif\">\n<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n{}</svg>\n",
      kW, kH, body);
}

}  // namespace clipper::report
