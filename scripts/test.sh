#!/usr/bin/env bash
# Sets up, builds and runs the whole test suite.
#   scripts/test.sh               Release build
#   scripts/test.sh --sanitize    the same suite under ASan+UBSan
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/build.sh "$@"
build_dir=build
[ "${1:-}" = "--sanitize" ] && build_dir=build-asan
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
cd "$build_dir"
ctest --output-on-failure --parallel "$(nproc)" --timeout 600
# The HTML report in a real browser (headless Chromium).
[ "${1:-}" = "--sanitize" ] || { cd .. && bash scripts/check_html_report.sh; }
