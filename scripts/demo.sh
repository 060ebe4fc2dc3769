#!/usr/bin/env bash
# The main job, run by scripts/setup.sh after the build.
set -euo pipefail
cd "$(dirname "$0")/.."
build/cli/archivist --version
