#!/usr/bin/env bash
# Mutation fuzzing of clipper's inputs under ASan+UBSan. Small seed files (H.264/MP4, VP9/WebM,
# MPEG-4/AVI, HEVC/MKV, with audio) are mutated (bit flips, truncation, chunks duplicated, zeroed or
# deleted); each mutant goes through `clipper analyze`, `clipper cut` and the main command (every other
# one decoding each picture once), each under a time limit. A finding is a crash, a sanitizer
# report, a hang, a temporary file left behind, or an exit code other than 0, 1 or 2; each is kept
# in build/fuzz/findings/ with the command that reproduces it. Exit 1 when there is any finding.
#   scripts/fuzz.sh [N] [SEED]        N mutants (default 200), SEED for the mutations (default 1)
set -euo pipefail
cd "$(dirname "$0")/.."
count=${1:-200}
seed=${2:-1}
limit_s=${FUZZ_TIME_LIMIT:-30}
clipper=build-asan/src/cli/clipper
bash scripts/build.sh --sanitize >/dev/null
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0:exitcode=86
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1:exitcode=87

work=build/fuzz
findings=$work/findings
mkdir -p "$work/seeds" "$findings"

make_seed() {
  local name=$1
  shift
  [ -f "$work/seeds/$name" ] && return
  ffmpeg -nostdin -v error -y -t 1.5 -f lavfi -i testsrc2=s=160x120:r=10 -t 1.5 -f lavfi -i mandelbrot=s=160x120:r=10 \
    -f lavfi -i sine=f=440:sample_rate=48000:d=3 \
    -filter_complex "[0:v][1:v]concat=n=2:v=1,format=yuv420p[v]" -map "[v]" -map 2:a "$@" "$work/seeds/.tmp-$name"
  mv "$work/seeds/.tmp-$name" "$work/seeds/$name"
}
make_seed h264.mp4 -c:v libx264 -preset ultrafast -bf 2 -g 10 -c:a aac
make_seed vp9.webm -c:v libvpx-vp9 -deadline realtime -cpu-used 8 -g 10 -c:a libopus
make_seed mpeg4.avi -c:v mpeg4 -g 10 -c:a mp3
make_seed hevc.mkv -c:v libx265 -preset ultrafast -x265-params keyint=10:bframes=2:log-level=error -c:a aac
seeds=("$work"/seeds/*)

# mutate SEED_FILE OUT N: the N-th mutation of SEED_FILE, reproducible from (seed, N).
mutate() {
  python3 - "$1" "$2" "$seed" "$3" <<'EOF'
import random, sys
source, out, seed, n = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
rng = random.Random(seed * 1_000_003 + n)
data = bytearray(open(source, "rb").read())
for _ in range(rng.randint(1, 4)):
    kind = rng.choice(["flip", "flip", "truncate", "duplicate", "zero", "delete"])
    at = rng.randrange(len(data))
    size = rng.randint(1, max(1, len(data) // 20))
    if kind == "flip":
        for _ in range(rng.randint(1, 16)):
            i = rng.randrange(len(data))
            data[i] ^= 1 << rng.randrange(8)
    elif kind == "truncate":
        del data[max(16, at):]
    elif kind == "duplicate":
        data[at:at] = data[at:at + size]
    elif kind == "zero":
        data[at:at + size] = bytes(len(data[at:at + size]))
    else:
        del data[at:at + size]
open(out, "wb").write(data)
EOF
}

crashes=0 hangs=0 sanitizer=0 leftovers=0 odd_exits=0
# check NAME INPUT COMMAND...: runs one clipper command on a mutant and records what went wrong.
check() {
  local name=$1 input=$2
  shift 2
  local out=$work/out log=$work/stderr code=0
  rm -rf "$out" && mkdir -p "$out"
  timeout -s KILL "$limit_s" "$clipper" "$@" >/dev/null 2>"$log" || code=$?
  local what=""
  if [ "$code" = 137 ]; then
    what=hang && hangs=$((hangs + 1))
  elif grep -qE "ERROR: AddressSanitizer|ERROR: LeakSanitizer|runtime error:" "$log"; then
    what=sanitizer && sanitizer=$((sanitizer + 1))
  elif [ "$code" -gt 128 ]; then
    what=crash && crashes=$((crashes + 1))
  elif [ "$code" -gt 2 ]; then
    what="exit-$code" && odd_exits=$((odd_exits + 1))
  elif [ -n "$(find "$out" -name '*.part' -print -quit)" ]; then
    what=leftover && leftovers=$((leftovers + 1))
  fi
  [ -z "$what" ] && return
  local kept="$findings/$name-$what${input##*/mutant}"
  cp "$input" "$kept"
  cp "$log" "$kept.stderr"
  echo "finding ($what): $clipper ${*//$input/$kept}" | tee -a "$findings/README.txt"
}

start=$(date +%s)
for n in $(seq "$count"); do
  source=${seeds[$((n % ${#seeds[@]}))]}
  mutant="$work/mutant.${source##*.}"
  mutate "$source" "$mutant" "$n"
  name="$seed-$n"
  check "$name-analyze" "$mutant" analyze "$mutant"
  check "$name-cut" "$mutant" -q cut "$mutant" --start 0.5 --end 2.0 --preset ultrafast -o "$work/out/cut.mp4"
  # Every other run decodes once, as a batch of several videos does by default.
  once=()
  [ $((n % 2)) = 1 ] && once=(--decode-once)
  check "$name-run" "$mutant" -q "$mutant" -o "$work/out" --preset ultrafast "${once[@]}"
  [ $((n % 50)) = 0 ] && echo "fuzz: $n of $count mutants, $(($(date +%s) - start)) s"
done
total=$((crashes + hangs + sanitizer + leftovers + odd_exits))
echo "fuzz: $count mutants (seed $seed) in $(($(date +%s) - start)) s: $crashes crashes, $hangs hangs," \
  "$sanitizer sanitizer reports, $leftovers leftovers, $odd_exits other exit codes"
[ "$total" = 0 ]
