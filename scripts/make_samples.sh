#!/usr/bin/env bash
# Generates samples/: videos of 20-30 s with known scene changes, made of segments from different
# lavfi sources. Needs the ffmpeg program (scripts/setup.sh installs it). Existing files are kept.
#   scripts/make_samples.sh [--force]
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p samples
force=${1:-}

# segment SOURCE SECONDS FREQUENCY: one lavfi video source and a tone, both SECONDS long.
sources=(
  "testsrc2=s=640x360:r=25"
  "smptehdbars=s=640x360:r=25"
  "mandelbrot=s=480x270:r=25"
  "life=s=320x180:r=25:mold=10:ratio=0.5:death_color=#203040:life_color=#e0c040"
  "gradients=s=640x360:r=25:speed=0.02"
  "cellauto=s=320x180:r=25:rule=110"
)

# make NAME WIDTH HEIGHT AUDIO(yes|no) CODEC_OPTIONS DURATIONS...: one segment per duration, each
# from the next source, with a tone of its own.
make() {
  local name=$1 width=$2 height=$3 audio=$4 codec=$5
  shift 5
  local out="samples/$name"
  if [ -f "$out" ] && [ "$force" != "--force" ]; then return; fi
  local n=$# video_inputs=() audio_inputs=() filters="" concat="" i=0
  for seconds in "$@"; do
    # Sources start 2 s in: life needs that long to settle from its random start.
    video_inputs+=(-ss 2 -t "$seconds" -f lavfi -i "${sources[$((i % ${#sources[@]}))]}")
    audio_inputs+=(-f lavfi -i "sine=f=$((220 + 110 * i)):sample_rate=48000:d=$seconds")
    filters+="[$i:v]scale=${width}:${height}:force_original_aspect_ratio=increase,crop=${width}:${height},"
    filters+="setsar=1,fps=25,format=yuv420p[v$i];"
    concat+="[v$i]"
    if [ "$audio" = yes ]; then
      filters+="[$((n + i)):a]volume=0.5[a$i];"
      concat+="[a$i]"
    fi
    i=$((i + 1))
  done
  local maps=(-map "[v]") streams="v=1:a=0" outputs="[v]"
  if [ "$audio" = yes ]; then
    maps=(-map "[v]" -map "[a]") streams="v=1:a=1" outputs="[v][a]"
  else
    audio_inputs=()
  fi
  filters+="${concat}concat=n=$n:${streams}${outputs}"
  echo "making $out" >&2
  # shellcheck disable=SC2086 # codec options are words
  ffmpeg -nostdin -hide_banner -v error -y "${video_inputs[@]}" "${audio_inputs[@]}" \
    -filter_complex "$filters" "${maps[@]}" $codec "samples/.tmp-$name"
  mv "samples/.tmp-$name" "$out"
}

make landscape-1080p.mp4 1920 1080 yes "-c:v libx264 -preset veryfast -crf 20 -c:a aac -movflags +faststart" 6 5 7 6 6
make portrait-1080x1920.mp4 1080 1920 yes "-c:v libx264 -preset veryfast -crf 20 -c:a aac" 5 6 4 5
make silent-720p.mp4 1280 720 no "-c:v libx264 -preset veryfast -crf 20" 7 6 7
make vp9-opus-480p.mkv 854 480 yes "-c:v libvpx-vp9 -deadline realtime -cpu-used 8 -crf 32 -b:v 0 -c:a libopus" 5 4 6 5
