#!/usr/bin/env bash
# Quick start: sets up, builds, generates the samples and cuts a clip from one of them.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build.sh
bash scripts/make_samples.sh
mkdir -p clips
build/src/cli/clipper cut samples/landscape-1080p.mp4 --start 4.5 --end 9.5 -o clips/landscape-cut.mp4
