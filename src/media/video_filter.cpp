#include "clipper/media/video_filter.hpp"

#include <fmt/format.h>

#include <new>

#include "clipper/media/av_error.hpp"

extern "C" {
#include <libavfilter/buffersink.h>
#include <libavfilter/buffersrc.h>
#include <libavutil/pixdesc.h>
}

namespace clipper::media {
namespace {

constexpr const char* kWhat = "cannot set up the video filter";

std::string rotation_filters(int rotation_degrees) {
  switch (rotation_degrees) {
    case 90:
      return "transpose=clock,";
    case 180:
      return "hflip,vflip,";
    case 270:
      return "transpose=cclock,";
    default:
      return "";
  }
}

// The first field of an interlaced picture alone, scaled to the clip's height like any picture:
// each picture is deinterlaced by itself, at once, and the same wherever a clip's pictures are
// shaped. Deinterlacers that look at the pictures around (yadif, bwdif) would give the first and
// last pictures of a clip other neighbours when it is cut alone than when it is fed.
std::string deinterlace_filter(const VideoFilterInput& input) {
  if (!input.interlaced) return "";
  return input.top_field_first ? "field=top," : "field=bottom,";
}

std::string source_arguments(const VideoFilterInput& input) {
  const AVRational sar = input.sample_aspect_ratio.num > 0 ? input.sample_aspect_ratio : AVRational{1, 1};
  return fmt::format("video_size={}x{}:pix_fmt={}:time_base={}/{}:pixel_aspect={}/{}", input.size.width,
                     input.size.height, static_cast<int>(input.pixel_format), input.time_base.num, input.time_base.den,
                     sar.num, sar.den);
}

FilterInOutPtr make_endpoint(const char* name, AVFilterContext* filter) {
  FilterInOutPtr endpoint(avfilter_inout_alloc());
  if (!endpoint) throw std::bad_alloc();
  endpoint->name = av_strdup(name);
  if (!endpoint->name) throw std::bad_alloc();
  endpoint->filter_ctx = filter;
  endpoint->pad_idx = 0;
  endpoint->next = nullptr;
  return endpoint;
}

// Links source -> description -> sink; avfilter_graph_parse_ptr takes and frees the endpoint lists.
void parse_chain(AVFilterGraph* graph, const std::string& description, AVFilterContext* source, AVFilterContext* sink) {
  FilterInOutPtr output_endpoint = make_endpoint("in", source);
  FilterInOutPtr input_endpoint = make_endpoint("out", sink);
  AVFilterInOut* outputs = output_endpoint.release();
  AVFilterInOut* inputs = input_endpoint.release();
  const int result = avfilter_graph_parse_ptr(graph, description.c_str(), &inputs, &outputs, nullptr);
  avfilter_inout_free(&inputs);
  avfilter_inout_free(&outputs);
  check(result, kWhat);
}

}  // namespace

VideoFilter::VideoFilter(const VideoFilterInput& input, int rotation_degrees, Size output, int threads)
    : m_graph(avfilter_graph_alloc()) {
  if (!m_graph) throw std::bad_alloc();
  m_graph->nb_threads = threads;
  check(avfilter_graph_create_filter(&m_source, avfilter_get_by_name("buffer"), "in", source_arguments(input).c_str(),
                                     nullptr, m_graph.get()),
        kWhat);
  check(
      avfilter_graph_create_filter(&m_sink, avfilter_get_by_name("buffersink"), "out", nullptr, nullptr, m_graph.get()),
      kWhat);
  const std::string chain =
      fmt::format("{}{}scale={}:{}:flags=bicubic,setsar=1,format=yuv420p", deinterlace_filter(input),
                  rotation_filters(rotation_degrees), output.width, output.height);
  parse_chain(m_graph.get(), chain, m_source, m_sink);
  check(avfilter_graph_config(m_graph.get(), nullptr), kWhat);
}

void VideoFilter::push(AVFrame* frame) { check(av_buffersrc_add_frame(m_source, frame), "cannot filter video"); }

bool VideoFilter::pull(AVFrame* frame) {
  const int result = av_buffersink_get_frame(m_sink, frame);
  if (result == AVERROR(EAGAIN) || result == AVERROR_EOF) return false;
  check(result, "cannot filter video");
  return true;
}

}  // namespace clipper::media
