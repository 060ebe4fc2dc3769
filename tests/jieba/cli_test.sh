#!/bin/sh
# End-to-end test of `archivist tags`: the real binary on fixture texts, a missing data
# directory and input that is not UTF-8.
# Usage: cli_test.sh ARCHIVIST SOURCE_DIR PYTHON3
set -u
archivist=$1
src=$2
python=$3
cache=$(mktemp -d)
trap 'rm -rf "$cache"' EXIT
export XDG_CACHE_HOME="$cache"
fail=0
checked=0
for d in "$src"/tests/data/seed/questions/* "$src"/tests/data/zhihu/questions/1*; do
  want=$("$python" -c 'import json,sys; print(",".join(json.load(open(sys.argv[1], encoding="utf-8"))))' "$d/expected/tags.json")
  got=$("$archivist" tags < "$d/expected/text.txt") || { echo "FAIL: exit $? on $d"; fail=1; }
  [ "$got" = "$want" ] || { echo "FAIL: $d: got '$got', want '$want'"; fail=1; }
  checked=$((checked + 1))
done
[ -n "$(ls "$cache"/archivist/jieba-*.bin 2>/dev/null)" ] || { echo "FAIL: no cache written"; fail=1; }
err=$(echo 文本 | "$archivist" tags --jieba-dir /nonexistent/jieba 2>&1 >/dev/null)
rc=$?
[ $rc -eq 1 ] || { echo "FAIL: missing data dir: exit $rc, want 1"; fail=1; }
case $err in
  *"/nonexistent/jieba/dict.txt"*python3-jieba*) ;;
  *) echo "FAIL: missing data dir: message '$err'"; fail=1 ;;
esac
printf 'ab\377' | "$archivist" tags >/dev/null 2>&1
rc=$?
[ $rc -eq 2 ] || { echo "FAIL: invalid UTF-8: exit $rc, want 2"; fail=1; }
echo "cli_test: $checked fixture texts checked"
exit $fail
