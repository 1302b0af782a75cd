#!/usr/bin/env bash
# Sets up the machine (scripts/setup.sh) and builds clipper.
#   scripts/build.sh               Release build in build/
#   scripts/build.sh --sanitize    Debug build with ASan+UBSan in build-asan/
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup.sh

build_dir=build
cmake_args=(-DCMAKE_BUILD_TYPE=Release -DCLIPPER_WERROR=ON)
if [ "${1:-}" = "--sanitize" ]; then
  build_dir=build-asan
  cmake_args=(-DCMAKE_BUILD_TYPE=Debug -DCLIPPER_SANITIZE=ON -DCLIPPER_WERROR=ON)
fi

cmake -S . -B "$build_dir" -G Ninja "${cmake_args[@]}" >/dev/null
cmake --build "$build_dir" --parallel "$(nproc)"
