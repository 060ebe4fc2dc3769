#!/usr/bin/env bash
# Configures and builds archivist in build/ (Release with debug info). Extra arguments go to
# cmake's configure step, e.g. -DARCHIVIST_SANITIZE=address,undefined.
set -euo pipefail
cd "$(dirname "$0")/.."
build_dir=${BUILD_DIR:-build}
cmake -S . -B "$build_dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo "$@" >/dev/null
cmake --build "$build_dir" -j "$(nproc)"
