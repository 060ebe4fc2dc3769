#!/usr/bin/env bash
# The main job, run by scripts/setup.sh after the build: a real refresh into a fresh archive.
# Offline by default: it starts the project's mock Zhihu server on 127.0.0.1 serving the
# bundled fixture questions, refreshes one question through the real HTTP client into a new
# SQLite archive (with an export directory), then asks the archive what it holds. Set
# ARCHIVIST_DEMO_QUESTION to another fixture question id, or ARCHIVIST_DEMO_BASE_URL to a
# real base URL (e.g. https://www.zhihu.com, with cookies configured) to leave the mock out.
# Set ARCHIVIST_DEMO_DIR to a folder to keep the archive and the export there (to browse it
# afterwards with `archivist --db DIR/archive.db serve`); by default all is deleted on exit.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=build/cli/archivist
mock=build/tests/mock_zhihu/mock_zhihu
qid=${ARCHIVIST_DEMO_QUESTION:-1968000000000000001}
keep=${ARCHIVIST_DEMO_DIR:-}
if [ -n "$keep" ]; then
  mkdir -p "$keep"
  work=$(cd "$keep" && pwd)
  rm -f "$work/archive.db" "$work/archive.db-wal" "$work/archive.db-shm" "$work/archive.db.lock"
  trap 'kill "${mock_pid:-}" 2>/dev/null || true' EXIT
else
  work=$(mktemp -d)
  trap 'kill "${mock_pid:-}" 2>/dev/null || true; rm -rf "$work"' EXIT
fi

base=${ARCHIVIST_DEMO_BASE_URL:-}
if [ -z "$base" ]; then
  "$mock" --root tests/data/zhihu/questions --root tests/data/seed/questions --port 0 \
    >"$work/port" 2>"$work/mock.log" &
  mock_pid=$!
  for _ in $(seq 50); do [ -s "$work/port" ] && break; sleep 0.1; done
  base="http://127.0.0.1:$(head -n1 "$work/port" | tr -dc 0-9)"
  echo "mock Zhihu server on $base"
fi
a() { "$bin" --db "$work/archive.db" --zhihu-base-url "$base" "$@"; }

echo "== archivist refresh $qid"
a refresh "$qid" --delay 0 --export-dir "$work/export"
echo "== archivist list"
a list
echo "== archivist history $qid (first 5 events)"
a history "$qid" >"$work/history.txt"
head -n 5 "$work/history.txt"
echo "== archivist show $qid (first 16 lines of the document; also in the export directory)"
a show "$qid" >"$work/show.md"
head -n 16 "$work/show.md"
echo
if [ -n "$keep" ]; then
  echo "demo archive: $work/archive.db ($(du -h "$work/archive.db" | cut -f1)); browse it with"
  echo "  $bin --db $work/archive.db serve     # then open http://127.0.0.1:9185/"
else
  echo "demo archive: $(du -h "$work/archive.db" | cut -f1) (deleted on exit; keep it with ARCHIVIST_DEMO_DIR=DIR)"
fi
