#!/usr/bin/python3
"""python3-jieba's own answers, for archivist's tags tests and benchmark.

Usage: reference.py IN.json OUT.json [--all-tags]
  IN  is a JSON array of strings.
  OUT becomes a JSON array with, per string, {"cut": jieba.lcut(s),
  "tags": jieba.analyse.extract_tags(s, topK=5)} (ASCII-escaped JSON); with --all-tags, also
  "all_tags": jieba.analyse.extract_tags(s, topK=None), every keyword in order.
Exits non-zero unless the jieba imported is 0.42.1.
"""
import json
import logging
import sys

import jieba
import jieba.analyse


def main():
    if len(sys.argv) not in (3, 4) or sys.argv[3:] not in ([], ["--all-tags"]):
        sys.exit("usage: reference.py IN.json OUT.json [--all-tags]")
    if jieba.__version__ != "0.42.1":
        sys.exit("reference.py: need jieba 0.42.1, found %s at %s" % (jieba.__version__, jieba.__file__))
    jieba.setLogLevel(logging.WARNING)
    with open(sys.argv[1], encoding="utf-8") as f:
        texts = json.load(f)
    out = [{"cut": jieba.lcut(t), "tags": jieba.analyse.extract_tags(t, topK=5)} for t in texts]
    if sys.argv[3:] == ["--all-tags"]:
        for o, t in zip(out, texts):
            o["all_tags"] = jieba.analyse.extract_tags(t, topK=None)
    with open(sys.argv[2], "w", encoding="ascii") as f:
        json.dump(out, f, ensure_ascii=True)


if __name__ == "__main__":
    main()
