#!/usr/bin/env bash
# The batch against the script a user would write: clipper on a folder next to a scene pass
# (`ffmpeg -vf select='gt(scene,0.3)'`, one per video) followed by one ffmpeg per clip, both `nproc`
# at a time, on the same clips (clipper's own plan), same preset and CRF. Runs are paired
# (clipper, script, clipper, script, ...); prints the median wall, CPU seconds and utilisation.
#   scripts/bench_batch.sh [FOLDER] [RUNS] [-- CLIPPER_OPTIONS...]
# FOLDER defaults to samples/; `scripts/bench_batch.sh 720p` makes and uses three 12 s 1280x720
# H.264 videos with one 9 s clip each.
set -euo pipefail
cd "$(dirname "$0")/.."
folder=${1:-samples}
runs=${2:-5}
shift $(($# > 2 ? 2 : $#))
[ "${1:-}" = "--" ] && shift
clipper_options=("$@")
clipper=build/src/cli/clipper
[ -x "$clipper" ] || bash scripts/build.sh >/dev/null
cores=$(nproc)

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# Three 12 s 720p videos whose scene changes at 4 s and 8 s give one clip, 3 s to 12 s.
make_720p_folder() {
  mkdir -p "$1"
  local n sources=("testsrc2" "mandelbrot" "smptehdbars")
  for n in 0 1 2; do
    [ -f "$1/video-$n.mp4" ] && continue
    ffmpeg -nostdin -v error -y \
      -t 4 -f lavfi -i "${sources[$n]}=s=1280x720:r=25" \
      -t 4 -f lavfi -i "${sources[$(((n + 1) % 3))]}=s=1280x720:r=25" \
      -t 4 -f lavfi -i "${sources[$(((n + 2) % 3))]}=s=1280x720:r=25" \
      -f lavfi -i "sine=f=$((330 + 110 * n)):sample_rate=48000:d=12" \
      -filter_complex "[0:v]setsar=1[a];[1:v]setsar=1[b];[2:v]setsar=1[c];[a][b][c]concat=n=3:v=1:a=0,format=yuv420p[v]" \
      -map "[v]" -map 3:a -c:v libx264 -preset veryfast -crf 20 -c:a aac "$1/.tmp.mp4"
    mv "$1/.tmp.mp4" "$1/video-$n.mp4"
  done
}

if [ "$folder" = 720p ]; then
  folder=build/bench-720p
  make_720p_folder "$folder"
fi
[ "$folder" = samples ] && [ ! -f samples/silent-720p.mp4 ] && bash scripts/make_samples.sh

mapfile -t videos < <(find "$folder" -type f \( -name '*.mp4' -o -name '*.mkv' -o -name '*.webm' \) | sort)
# shellcheck source=scripts/lib/ffmpeg_script.sh
source scripts/lib/ffmpeg_script.sh
write_ffmpeg_script "${videos[@]}"

# shellcheck source=scripts/lib/timing.sh
source scripts/lib/timing.sh

clips=$(wc -l <"$work/clips.txt")
echo "$folder: ${#videos[@]} videos, $clips clips, $runs paired runs, $cores cores, clipper ${clipper_options[*]:-(defaults)}"
for run in $(seq "$runs"); do
  rm -rf "$work/clips" "$work/out" && mkdir -p "$work/out"
  timed clipper "$clipper" -q "${videos[@]}" -o "$work/clips" "${clipper_options[@]}"
  timed script bash "$work/script.sh"
  made=$(find "$work/clips" -name '*.mp4' | wc -l)
  [ "$made" = "$clips" ] || { echo "run $run: clipper made $made of $clips clips" >&2; exit 1; }
  scripted=$(find "$work/out" -name '*.mp4' -size +0 | wc -l)
  [ "$scripted" = "$clips" ] || { echo "run $run: the script made $scripted of $clips clips" >&2; exit 1; }
  c_round=$(tail -1 "$work/clipper")
  s_round=$(tail -1 "$work/script")
  echo "run $run: clipper $c_round, script $s_round  (wall s, CPU s, peak kB)," \
    "$(awk -v a="${c_round%% *}" -v b="${s_round%% *}" 'BEGIN { printf "%.2fx", a / b }')"
done
read -r c_wall c_cpu c_rss < <(median clipper)
read -r s_wall s_cpu _ < <(median script)
echo
echo "| | wall (s) | CPU (s) | CPU utilisation | peak RSS (MiB) |"
echo "|---|---:|---:|---:|---:|"
awk -v w="$c_wall" -v c="$c_cpu" -v r="$c_rss" -v n="$cores" \
  'BEGIN { printf "| clipper | %.2f | %.2f | %.0f %% | %d |\n", w, c, 100 * c / (w * n), r / 1024 }'
awk -v w="$s_wall" -v c="$s_cpu" -v n="$cores" 'BEGIN { printf "| script | %.2f | %.2f | %.0f %% | |\n", w, c, 100 * c / (w * n) }'
awk -v a="$c_wall" -v b="$s_wall" -v p="$(paired_ratio clipper script)" \
  'BEGIN { printf "\nclipper / script: %.2fx the wall time (medians); %.2fx (median of the rounds\x27 ratios)\n", a / b, p }'
