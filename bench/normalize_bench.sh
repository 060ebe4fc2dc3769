#!/usr/bin/env bash
# Converter throughput beside gumbo's bare parse and turndown 7.2.2, on the same fixture
# answers, in one run. Timing turndown needs the reference normalizer (turndown 7.2.2 on
# Node.js, tests/data/README.md) installed with its packages (npm ci) in a folder of yours:
#   ORACLE_DIR=/path/to/oracle bench/normalize_bench.sh
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${SECONDS_PER_RUN:-5}
ours=$(build/bench/normalize_bench tests/data "$seconds")
echo "$ours"
if [ -n "${ORACLE_DIR:-}" ]; then
  ref=$(node bench/turndown_bench.js "$ORACLE_DIR" tests/data "$seconds")
  echo "$ref"
  a=$(echo "$ours" | awk '/archivist convert/ {print $(NF-1)}')
  t=$(echo "$ref" | awk '{print $(NF-1)}')
  awk -v a="$a" -v t="$t" 'BEGIN { printf "ratio archivist / turndown:        %7.2f\n", a / t }'
else
  echo "(set ORACLE_DIR to also time turndown 7.2.2)"
fi
