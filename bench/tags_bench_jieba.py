#!/usr/bin/python3
"""python3-jieba's own load time and throughput, to set beside bench/tags_bench.

Usage: tags_bench_jieba.py [SOURCE_DIR]   (run with the python that has Debian's jieba)
Times, in-process: importing jieba and jieba.analyse (which loads idf.txt), building the
prefix dictionary from dict.txt (jieba's cold path) and from jieba's own marshal cache, and
extract_tags / lcut on the fixture texts (concatenated, and one call per document).
"""
import glob
import logging
import os
import sys
import tempfile
import time

t0 = time.perf_counter()
import jieba  # noqa: E402
import jieba.analyse  # noqa: E402  (constructs TFIDF, which reads idf.txt)
import importlib  # noqa: E402

# jieba.analyse.tfidf is shadowed by a function of that name; get the module itself.
tfidf_module = importlib.import_module("jieba.analyse.tfidf")
t_import = time.perf_counter() - t0


def load_dict(tmp_dir):
    tk = jieba.Tokenizer()
    tk.tmp_dir = tmp_dir
    t = time.perf_counter()
    tk.initialize()
    return time.perf_counter() - t, tk


def throughput(texts, fn, min_seconds=2.0):
    size = sum(len(t.encode("utf-8")) for t in texts)
    rounds = 0
    start = time.perf_counter()
    while True:
        for t in texts:
            fn(t)
        rounds += 1
        elapsed = time.perf_counter() - start
        if elapsed >= min_seconds:
            return size * rounds / 1e6 / elapsed


def main():
    jieba.setLogLevel(logging.WARNING)
    src = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..")
    files = sorted(glob.glob(os.path.join(src, "tests/data/zhihu/questions/*/expected/text.txt")) +
                   glob.glob(os.path.join(src, "tests/data/seed/questions/*/expected/text.txt")))
    docs = [open(f, encoding="utf-8").read() for f in files]
    with tempfile.TemporaryDirectory() as tmp:
        cold, _ = load_dict(tmp)             # no cache: parses dict.txt, writes the cache
        warm, tk = load_dict(tmp)            # from jieba's marshal cache
    jieba.dt = tk
    jieba.analyse.default_tfidf.tokenizer = tk
    t = time.perf_counter()
    tfidf_module.IDFLoader(tfidf_module.DEFAULT_IDF)
    idf = time.perf_counter() - t
    print("python3-jieba %s" % jieba.__version__)
    print("import jieba + jieba.analyse (incl. idf.txt): %7.1f ms" % (t_import * 1e3))
    print("prefix dict from dict.txt (no cache):         %7.1f ms" % (cold * 1e3))
    print("prefix dict from jieba's marshal cache:       %7.1f ms" % (warm * 1e3))
    print("idf.txt load:                                 %7.1f ms" % (idf * 1e3))
    allt = "".join(docs)
    print("input: %d fixture texts, %.2f MB" % (len(docs), len(allt.encode("utf-8")) / 1e6))
    print("tags, concatenated text:  %6.2f MB/s" %
          throughput([allt], lambda s: jieba.analyse.extract_tags(s, topK=5)))
    print("tags, per document:       %6.2f MB/s" %
          throughput(docs, lambda s: jieba.analyse.extract_tags(s, topK=5)))
    print("cut, concatenated text:   %6.2f MB/s" % throughput([allt], jieba.lcut))


if __name__ == "__main__":
    main()
