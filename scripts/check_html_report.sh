#!/usr/bin/env bash
# Opens clipper's HTML report in headless Chromium (Debian's chromium package) and fails on a
# console message, a picture that does not load, or a blank page.
#   scripts/check_html_report.sh [INPUT...]   (default: two small generated videos)
# Keeps the report and its screenshot in build/html-check/.
set -euo pipefail
cd "$(dirname "$0")/.."
clipper=build/src/cli/clipper
[ -x "$clipper" ] || bash scripts/build.sh >/dev/null
browser=$(command -v chromium || true)
[ -n "$browser" ] || { echo "check_html_report: chromium is missing (bash scripts/setup.sh installs it)" >&2; exit 1; }

work=build/html-check
rm -rf "$work"
mkdir -p "$work/in"
inputs=("$@")
if [ ${#inputs[@]} -eq 0 ]; then
  for i in 1 2; do
    ffmpeg -nostdin -v error -y -t 2 -f lavfi -i "testsrc2=s=320x180:r=10" -t 2 -f lavfi -i "smptebars=s=320x180:r=10" \
      -t 2 -f lavfi -i "mandelbrot=s=320x180:r=10" -f lavfi -i "sine=f=$((300 * i)):d=6" \
      -filter_complex "[0:v][1:v][2:v]concat=n=3:v=1[v]" -map "[v]" -map 3:a -c:v libx264 -preset ultrafast -c:a aac \
      "$work/in/video $i.mp4"
  done
  inputs=("$work/in")
fi
"$clipper" "${inputs[@]}" -o "$work/clips" --preset ultrafast -q --html "$work/report.html"

page="file://$(realpath "$work/report.html")"
chromium_flags=(--headless=new --no-sandbox --disable-gpu --hide-scrollbars --virtual-time-budget=5000)
"$browser" "${chromium_flags[@]}" --enable-logging=stderr --v=0 --dump-dom "$page" >"$work/dom.html" 2>"$work/console.txt"
"$browser" "${chromium_flags[@]}" --window-size=1280,1600 --screenshot="$work/screenshot.png" "$page" 2>/dev/null

failures=0
fail() {
  echo "check_html_report: $*" >&2
  failures=$((failures + 1))
}
if grep -q "CONSOLE" "$work/console.txt"; then fail "the page wrote to the console: $(grep CONSOLE "$work/console.txt")"; fi
images=$(grep -o 'data-images="[0-9]*"' "$work/dom.html" | grep -o '[0-9]*' || true)
broken=$(grep -o 'data-broken-images="[0-9]*"' "$work/dom.html" | grep -o '[0-9]*' || true)
[ -n "$images" ] || fail "the page's picture check did not run"
[ "${images:-0}" -gt 0 ] || fail "no picture on the page"
[ "${broken:-1}" = 0 ] || fail "$broken of $images pictures did not load"
grep -q "<svg" "$work/dom.html" || fail "no timeline"
[ -s "$work/screenshot.png" ] || fail "no screenshot"
# A blank page is one colour: the darkest and the lightest pixel are the same.
read -r darkest lightest < <(ffprobe -v error -f lavfi "movie=$work/screenshot.png,signalstats" \
  -show_entries frame_tags=lavfi.signalstats.YMIN,lavfi.signalstats.YMAX -of csv=p=0 | tr ',' ' ')
[ "$darkest" != "$lightest" ] || fail "the page is blank"
[ "$failures" -eq 0 ] || exit 1
echo "check_html_report: $images pictures, none broken, no console message; $work/screenshot.png"
