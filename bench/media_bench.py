#!/usr/bin/env python3
"""Benchmark of the images of the answers (numbers for docs/media.md).

Every fixture question (zhihu + seed) served by mock_zhihu; their pictures served by a local
image server (tests/e2e/image_server.py) with synthetic bodies of realistic sizes (20–400 KB,
a deterministic function of the path, as Zhihu's full-size `_r` pictures run). One run
measures:

1. storage: bytes referenced (the size of the image behind every link of every revision) vs
   bytes stored (each image once), the dedup ratio, and how much the archive file grew over
   the same refresh with media off;
2. refresh throughput of the first refresh (everything new) with `[media] archive = false`
   and with it on (fetching every image), threads per second of wall time; and the unchanged
   refresh after each.

usage: bench/media_bench.py --build build --data tests/data
Not a test: prints numbers. Needs a quiet machine to mean much.
"""
import argparse
import hashlib
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "e2e"))
from image_server import ImageServer  # noqa: E402


def realistic_size(path):
    h = int(hashlib.sha256(path.encode()).hexdigest()[:8], 16)
    return 20_000 + h % 380_000


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", default="build")
    ap.add_argument("--data", default="tests/data")
    a = ap.parse_args()
    archivist = os.path.join(a.build, "cli/archivist")
    mock = os.path.join(a.build, "tests/mock_zhihu/mock_zhihu")
    tmp = tempfile.mkdtemp(prefix="media_bench.")
    images = ImageServer()

    class Sized(dict):  # every path is an image of its realistic size
        def get(self, path, default=None):
            return ("size", realistic_size(path))
    images.rules = Sized()
    roots = [os.path.join(a.data, "zhihu/questions"), os.path.join(a.data, "seed/questions")]
    qids = sorted(q for r in roots for q in os.listdir(r))
    m = subprocess.Popen([mock, "--port", "0", "--no-log"] + sum((["--root", r] for r in roots), []),
                         stdout=subprocess.PIPE, text=True)
    base = "http://127.0.0.1:" + m.stdout.readline().strip()
    try:
        sizes = {}
        for media in (False, True):
            db = os.path.join(tmp, "media%d.db" % media)
            config = os.path.join(tmp, "media%d.toml" % media)
            with open(config, "w") as f:
                f.write('[fetch]\nper_host_delay = "0s"\n[media]\narchive = %s\nbudget = 100000\n'
                        % ("true" if media else "false"))
            subprocess.run([archivist, "--config", config, "--db", db, "add", *qids],
                           capture_output=True, check=True)
            cmd = [archivist, "--config", config, "--db", db, "--zhihu-base-url", base,
                   "--media-base-url", images.base, "refresh", "--delay", "0", *qids]
            for what in ("first refresh (all new)", "unchanged refresh"):
                s = time.monotonic()
                p = subprocess.run(cmd, capture_output=True, text=True)
                t = time.monotonic() - s
                assert p.returncode == 0, p.stderr[-2000:]
                n = len(p.stdout.splitlines())
                print("media %s, %s: %d threads in %.2f s = %.1f threads/s" % (
                    "on" if media else "off", what, n, t, n / t))
            con = sqlite3.connect(db)
            con.execute("VACUUM")
            con.close()
            sizes[media] = os.path.getsize(db)
        con = sqlite3.connect(os.path.join(tmp, "media1.db"))
        links, urls = con.execute("SELECT count(*), count(DISTINCT url) FROM media_refs").fetchone()
        referenced = con.execute(
            "SELECT COALESCE(SUM(m.size), 0) FROM media_refs r JOIN media m ON m.sha256 = r.sha256"
        ).fetchone()[0]
        stored_n, stored = con.execute("SELECT count(*), COALESCE(SUM(size), 0) FROM media").fetchone()
        statuses = con.execute("SELECT status, count(*) FROM media_refs GROUP BY status").fetchall()
        con.close()
        print("image links: %d (%d distinct URLs), statuses %s" % (links, urls, dict(statuses)))
        print("bytes referenced %.1f MB, stored %.1f MB in %d images: dedup ratio %.3f" % (
            referenced / 1e6, stored / 1e6, stored_n, referenced / stored if stored else 0))
        print("archive (vacuumed): media off %.1f MB, on %.1f MB: +%.1f MB" % (
            sizes[False] / 1e6, sizes[True] / 1e6, (sizes[True] - sizes[False]) / 1e6))
    finally:
        m.terminate()
        m.wait()
        images.stop()
        shutil.rmtree(tmp)


if __name__ == "__main__":
    main()
