# The script a user would write in ten minutes, for the benchmark scripts; needs $work (a scratch
# folder) and $clipper.

# write_ffmpeg_script VIDEO...: writes $work/script.sh, which runs one scene pass per video
# (`ffmpeg -vf select='gt(scene,0.3)'`), then one ffmpeg per clip into $work/out, both `nproc` at a
# time, on the clips clipper plans (same seconds), with clipper's preset and CRF. The clips, one
# "start<TAB>duration<TAB>video" line each, go to $work/clips.txt.
write_ffmpeg_script() {
  local cores n=0 start duration input
  cores=$(nproc)
  "$clipper" analyze --json "$@" >"$work/plan.json"
  python3 - "$work/plan.json" >"$work/clips.txt" <<'PY'
import json, sys
for video in json.load(open(sys.argv[1]))["videos"]:
    for clip in video["clips"]:
        print(f'{clip["start"]:.3f}\t{clip["end"] - clip["start"]:.3f}\t{video["path"]}')
PY
  {
    echo 'set -euo pipefail'
    echo 'scene() { ffmpeg -nostdin -v error -i "$1" -vf "select='"'"'gt(scene,0.3)'"'"',showinfo" -an -f null -; }'
    echo 'export -f scene'
    printf "printf '%%s\\\\0'"
    printf " %q" "$@"
    echo " | xargs -0 -P $cores -I{} bash -c 'scene \"\$1\"' _ {}"
    echo "xargs -P $cores -L 1 ffmpeg -nostdin -v error -y <<'CLIPS'"
    while IFS=$'\t' read -r start duration input; do
      n=$((n + 1))
      printf -- "-ss %s -i %q -t %s -vf \"scale=w='if(gte(iw,ih),-2,min(720,iw))':h='if(gte(iw,ih),min(720,ih),-2)'\" " \
        "$start" "$input" "$duration"
      printf -- "-c:v libx264 -preset veryfast -crf 23 -c:a aac %q\n" "$work/out/clip-$n.mp4"
    done <"$work/clips.txt"
    echo "CLIPS"
  } >"$work/script.sh"
}
