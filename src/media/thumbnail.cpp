#include "clipper/media/thumbnail.hpp"

#include <algorithm>
#include <cmath>

#include "clipper/media/av_error.hpp"
#include "clipper/media/av_ptr.hpp"
#include "clipper/util/error.hpp"

namespace clipper::media {
namespace {

constexpr int kQuality = 4;  // MJPEG qscale: 2 (best) to 31

CodecContextPtr open_jpeg_encoder(Size size) {
  const AVCodec* codec = avcodec_find_encoder(AV_CODEC_ID_MJPEG);
  if (!codec) throw util::Error("cannot make thumbnails: libav has no MJPEG encoder");
  CodecContextPtr context = make_codec_context(codec);
  context->width = size.width;
  context->height = size.height;
  context->pix_fmt = AV_PIX_FMT_YUVJ420P;
  context->time_base = {1, 25};
  context->flags |= AV_CODEC_FLAG_QSCALE;
  context->global_quality = FF_QP2LAMBDA * kQuality;
  check(avcodec_open2(context.get(), codec, nullptr), "cannot make thumbnails");
  return context;
}

FramePtr scaled_picture(const uint8_t* bgr, Size size, int stride, Size target) {
  SwsPtr scaler(sws_getContext(size.width, size.height, AV_PIX_FMT_BGR24, target.width, target.height,
                               AV_PIX_FMT_YUVJ420P, SWS_AREA, nullptr, nullptr, nullptr));
  if (!scaler) throw util::Error("cannot make thumbnails: cannot scale pictures");
  FramePtr frame = make_frame();
  frame->width = target.width;
  frame->height = target.height;
  frame->format = AV_PIX_FMT_YUVJ420P;
  check(av_frame_get_buffer(frame.get(), 0), "cannot make thumbnails");
  const uint8_t* sources[4] = {bgr, nullptr, nullptr, nullptr};
  const int strides[4] = {stride, 0, 0, 0};
  sws_scale(scaler.get(), sources, strides, 0, size.height, frame->data, frame->linesize);
  return frame;
}

}  // namespace

std::string jpeg_thumbnail(const uint8_t* bgr, Size size, int stride, int width) {
  const int target_width = std::max(2, std::min(width, size.width)) & ~1;
  const int target_height =
      std::max(2, static_cast<int>(std::lround(static_cast<double>(size.height) * target_width / size.width))) & ~1;
  const Size target{target_width, target_height};
  CodecContextPtr encoder = open_jpeg_encoder(target);
  FramePtr frame = scaled_picture(bgr, size, stride, target);
  frame->pts = 0;
  frame->quality = encoder->global_quality;
  check(avcodec_send_frame(encoder.get(), frame.get()), "cannot make thumbnails");
  check(avcodec_send_frame(encoder.get(), nullptr), "cannot make thumbnails");
  PacketPtr packet = make_packet();
  std::string jpeg;
  while (avcodec_receive_packet(encoder.get(), packet.get()) >= 0) {
    jpeg.append(reinterpret_cast<const char*>(packet->data), static_cast<size_t>(packet->size));
    av_packet_unref(packet.get());
  }
  return jpeg;
}

}  // namespace clipper::media
