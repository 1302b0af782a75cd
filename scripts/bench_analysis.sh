#!/usr/bin/env bash
# Analysis speed against plain decoding: `clipper analyze` next to `ffmpeg -i IN -an -f null -` on the
# same file with the same decoder thread count, plus peak memory on a 1x and a 4x long input.
#   scripts/bench_analysis.sh [INPUT] [RUNS]     (default: samples/landscape-1080p.mp4, 3 runs)
# Prints a Markdown table of the median wall time of RUNS runs.
set -euo pipefail
cd "$(dirname "$0")/.."
# `scripts/bench_analysis.sh long` makes and uses a 60 s 1920x1080 H.264 file with B-frames
# (veryfast, -bf 3, light grain): four scenes of lavfi sources.
input=${1:-samples/landscape-1080p.mp4}
runs=${2:-3}
clipper=build/src/cli/clipper
[ -x "$clipper" ] || bash scripts/build.sh >/dev/null
if [ "$input" = long ]; then
  input=build/bench-1080p/long-60s.mp4
  if [ ! -f "$input" ]; then
    mkdir -p "$(dirname "$input")"
    ffmpeg -nostdin -v error -y -t 15 -f lavfi -i testsrc2=s=1920x1080:r=25 -t 15 -f lavfi -i mandelbrot=s=1920x1080:r=25 \
      -t 15 -f lavfi -i "life=s=480x270:r=25:mold=10:ratio=0.5,scale=1920:1080" -t 15 -f lavfi -i smptehdbars=s=1920x1080:r=25 \
      -filter_complex "[0:v][1:v][2:v][3:v]concat=n=4:v=1,noise=alls=3:allf=t,format=yuv420p[v]" -map "[v]" \
      -c:v libx264 -preset veryfast -bf 3 -crf 23 "$input.tmp.mp4"
    mv "$input.tmp.mp4" "$input"
  fi
fi
[ -f "$input" ] || bash scripts/make_samples.sh

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# shellcheck source=scripts/lib/timing.sh
source scripts/lib/timing.sh

# median_run COMMAND...: runs it $runs times; prints the median line.
median_run() {
  rm -f "$work/single"
  for _ in $(seq "$runs"); do timed single "$@"; done
  median single
}

duration=$(ffprobe -v error -show_entries format=duration -of csv=p=0 "$input")
echo "input: $input (${duration%.*} s), $runs runs each, median wall"
echo
echo "| threads | clipper analyze wall (s) | CPU (s) | ffmpeg -f null wall (s) | CPU (s) | speed-up | clipper x real time |"
echo "|---|---:|---:|---:|---:|---:|---:|"
for threads in 1 2 0; do
  # Interleaved, so that a slower moment of the machine falls on both.
  rm -f "$work/clipper" "$work/ffmpeg"
  for _ in $(seq "$runs"); do
    timed clipper "$clipper" analyze --threads "$threads" "$input"
    timed ffmpeg ffmpeg -nostdin -v error -threads "$threads" -i "$input" -an -f null -
  done
  read -r c_wall c_cpu _ < <(median clipper)
  read -r f_wall f_cpu _ < <(median ffmpeg)
  label=$threads
  [ "$threads" = 0 ] && label=auto
  awk -v t="$label" -v cw="$c_wall" -v cc="$c_cpu" -v fw="$f_wall" -v fc="$f_cpu" -v d="$duration" \
    'BEGIN { printf "| %s | %.2f | %.2f | %.2f | %.2f | %.2fx | %.1fx |\n", t, cw, cc, fw, fc, fw / cw, d / cw }'
done

printf "file '%s'\n" "$(realpath "$input")" "$(realpath "$input")" "$(realpath "$input")" "$(realpath "$input")" \
  >"$work/list.txt"
ffmpeg -nostdin -v error -f concat -safe 0 -i "$work/list.txt" -c copy "$work/long.mp4"
read -r _ _ rss_1x < <(median_run "$clipper" analyze "$input")
read -r _ _ rss_4x < <(median_run "$clipper" analyze "$work/long.mp4")
echo
echo "peak RSS: $((rss_1x / 1024)) MiB on the input, $((rss_4x / 1024)) MiB on it 4 times over"
