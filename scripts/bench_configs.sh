#!/usr/bin/env bash
# Several clipper configurations against each other and against the script of ffmpeg commands of
# scripts/bench_batch.sh (scripts/lib/ffmpeg_script.sh), in rounds:
# each round runs every configuration once, then the script. Prints medians of wall, CPU seconds,
# utilisation and the highest peak RSS.
#   scripts/bench_configs.sh FOLDER ROUNDS "" "--decode-once" ...   ("" is the defaults)
set -uo pipefail
cd "$(dirname "$0")/.."
folder=$1; runs=$2; shift 2
C=build/src/cli/clipper
[ -x "$C" ] || bash scripts/build.sh >/dev/null
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mapfile -t videos < <(find "$folder" -type f \( -name '*.mp4' -o -name '*.mkv' -o -name '*.webm' \) | sort)
clipper=$C
# shellcheck source=scripts/lib/ffmpeg_script.sh
source scripts/lib/ffmpeg_script.sh
write_ffmpeg_script "${videos[@]}"
n=$(wc -l <"$work/clips.txt")
for r in $(seq $runs); do
  k=0
  for opts in "$@" script; do
    k=$((k+1)); rm -rf $work/o $work/out; mkdir -p $work/out
    if [ "$opts" = script ]; then cmd=(bash $work/script.sh); else cmd=($C -q "${videos[@]}" -o $work/o $opts); fi
    /usr/bin/time -f "%e %U %S %M" -o $work/t "${cmd[@]}" >/dev/null 2>&1 || echo "FAILED: $opts" >&2
    read -r w u s m < $work/t
    made=$(find $work/o $work/out -name '*.mp4' -size +0 2>/dev/null | wc -l)
    [ "$made" = "$n" ] || { echo "round $r, ${opts:-(defaults)}: $made of $n clips made" >&2; exit 1; }
    echo "$k|$opts|$w|$(echo "$u+$s"|bc)|$((m/1024))"
  done
done > $work/results
python3 - $work/results "$(nproc)" <<'PY'
import sys, statistics as st
rows={}
cores=int(sys.argv[2])
for line in open(sys.argv[1]):
    k,o,w,c,m=line.strip().split('|'); rows.setdefault((int(k),o),[]).append((float(w),float(c),int(m)))
for (k,o),v in sorted(rows.items()):
    w=st.median(x[0] for x in v); c=st.median(x[1] for x in v); m=max(x[2] for x in v)
    print(f"{o or '(defaults)':45s} wall {w:6.2f}  cpu {c:6.2f}  busy {100*c/(cores*w):3.0f}%  rss {m} MiB   walls {' '.join(str(x[0]) for x in v)}")
PY
