#include "clipper/media/scaler.hpp"

#include "clipper/util/error.hpp"

namespace clipper::media {

void Scaler::to_bgr(const AVFrame& frame, Size output, uint8_t* destination, int stride) {
  if (!m_context || frame.width != m_input_width || frame.height != m_input_height || frame.format != m_input_format ||
      !(output == m_output)) {
    m_context.reset(sws_getContext(frame.width, frame.height, static_cast<AVPixelFormat>(frame.format), output.width,
                                   output.height, AV_PIX_FMT_BGR24, SWS_AREA, nullptr, nullptr, nullptr));
    if (!m_context) throw util::Error("cannot scale pictures: unsupported picture format");
    m_input_width = frame.width;
    m_input_height = frame.height;
    m_input_format = frame.format;
    m_output = output;
  }
  uint8_t* planes[4] = {destination, nullptr, nullptr, nullptr};
  int strides[4] = {stride, 0, 0, 0};
  sws_scale(m_context.get(), frame.data, frame.linesize, 0, frame.height, planes, strides);
}

}  // namespace clipper::media
