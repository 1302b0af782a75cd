#!/usr/bin/env bash
# Quick start: sets up, builds, generates the samples and makes highlight clips of all of them.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build.sh
bash scripts/make_samples.sh
build/src/cli/clipper samples/ -o clips --topology pool --report clips/report.json
