#!/usr/bin/env bash
# Workers on one queue: N = 1, 2, 4, 8 `clipper worker` processes on simulated work (each video
# analysed for ANALYSIS_MS and encoded for ENCODE_MS, as sleeps, so that the machine's cores do not
# limit them), against a Redis server of its own. Prints throughput against N x one worker's, and
# the latency percentiles of the merged report (`clipper status --report`).
#   scripts/bench_workers.sh [JOBS_PER_WORKER] [ANALYSIS_MS,ENCODE_MS]
set -euo pipefail
cd "$(dirname "$0")/.."
per_worker=${1:-40}
simulate=${2:-50,100}
clipper=$PWD/build/src/cli/clipper
[ -x "$clipper" ] || bash scripts/build.sh >/dev/null

work=$(mktemp -d)
redis_pid=
cleanup() {
  [ -n "$redis_pid" ] && kill "$redis_pid" 2>/dev/null && wait "$redis_pid" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT

redis-server --port 0 --unixsocket "$work/redis.sock" --dir "$work" --save '' --appendonly no >"$work/redis.log" 2>&1 &
redis_pid=$!
for _ in $(seq 100); do [ -S "$work/redis.sock" ] && break; sleep 0.05; done

echo "simulated work: analysis,encode = $simulate ms per video, one clip each; $per_worker jobs per worker"
echo
echo "| workers | clips | wall (s) | clips/min | x one worker | p50 (s) | p95 (s) | p99 (s) |"
echo "|---:|---:|---:|---:|---:|---:|---:|---:|"
one=
for workers in 1 2 4 8; do
  queue="unix://$work/redis.sock?name=bench-$workers"
  videos="$work/videos-$workers"
  mkdir -p "$videos"
  jobs=$((per_worker * workers))
  for n in $(seq "$jobs"); do : >"$videos/v$n.mp4"; done  # never opened: the work is simulated
  "$clipper" submit "$videos" --queue "$queue" >/dev/null
  pids=()
  for w in $(seq "$workers"); do
    "$clipper" worker --queue "$queue" -o "$work/out" --id "w$w" --simulate "$simulate" --drain \
      --analyzers 1 --encoders 1 -q &
    pids+=($!)
  done
  for pid in "${pids[@]}"; do wait "$pid"; done
  "$clipper" status --queue "$queue" --report "$work/report-$workers.json" >/dev/null
  python3 - "$work/report-$workers.json" "$workers" "${one:-0}" <<'PY'
import json, sys
report, workers, one = json.load(open(sys.argv[1])), int(sys.argv[2]), float(sys.argv[3])
s = report["summary"]
rate = s["throughput_per_min"]
ratio = rate / (one * workers) if one else 1.0
l = s["latency_s"]
print(f'| {workers} | {s["clips_ok"]} | {s["wall_s"]:.2f} | {rate:.1f} | {ratio:.2f} | {l["p50"]:.3f} | {l["p95"]:.3f} | {l["p99"]:.3f} |')
PY
  if [ -z "$one" ]; then
    one=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["summary"]["throughput_per_min"])' \
      "$work/report-1.json")
  fi
done
echo
echo "x one worker: throughput / (workers x one worker's throughput)"
