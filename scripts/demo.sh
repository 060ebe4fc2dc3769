#!/usr/bin/env bash
# The main job, run by scripts/setup.sh after the build. Offline by default: it starts the
# project's mock Zhihu server on 127.0.0.1 serving the bundled fixture questions, fetches a
# question through the real HTTP client, converts its answers to the archive's Markdown and
# computes the document's keyword tags. Set ARCHIVIST_DEMO_QUESTION to pick another fixture
# question id.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=build/cli/archivist
mock=build/tests/mock_zhihu/mock_zhihu
qid=${ARCHIVIST_DEMO_QUESTION:-1968000000000000001}
work=$(mktemp -d)
trap 'kill "${mock_pid:-}" 2>/dev/null || true; rm -rf "$work"' EXIT

"$mock" --root tests/data/zhihu/questions --root tests/data/seed/questions --port 0 \
  >"$work/port" 2>"$work/mock.log" &
mock_pid=$!
for _ in $(seq 50); do [ -s "$work/port" ] && break; sleep 0.1; done
port=$(head -n1 "$work/port" | tr -dc 0-9)
base="http://127.0.0.1:$port"
echo "mock Zhihu server on $base"

echo "== archivist fetch $qid"
"$bin" --zhihu-base-url "$base" fetch "$qid" --delay 0 | head -n 5
"$bin" --zhihu-base-url "$base" fetch "$qid" --delay 0 --json >"$work/snapshot.json"

echo "== archivist convert (first answer, first 15 lines of Markdown)"
python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["answers"][0]["content"], end="")' \
  "$work/snapshot.json" | "$bin" convert | head -n 15
echo

echo "== archivist tags (title and answers' visible text)"
"$bin" tags <"tests/data/seed/questions/1968000000000000001/expected/text.txt"
