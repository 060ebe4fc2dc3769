#!/usr/bin/env python3
"""Benchmarks of the refresh pipeline and the query verbs (numbers for docs/cli.md).

1. history / show latency on an archive holding every fixture question refreshed ROUNDS
   times with random edits (built by store_bench), in process (query_bench) and as a user
   sees it (the real `archivist history` / `archivist show --at` processes, median of 10).
2. Refresh throughput: every fixture question (zhihu + seed) served by mock_zhihu, added to a
   fresh archive, then `archivist refresh` (all due) through the real pipeline: first
   refresh (everything new: normalize every answer), an unchanged refresh, and both again
   with --export-dir (tags + atomic document writes). Threads per second of wall time.

usage: bench/pipeline_bench.py --build build --data tests/data [--rounds 100]
Not a test: prints numbers. Needs a quiet machine to mean much.
"""
import argparse
import json
import os
import shutil
import statistics
import subprocess
import tempfile
import time


def timed(cmd, **kw):
    s = time.monotonic()
    p = subprocess.run(cmd, capture_output=True, text=True, **kw)
    return time.monotonic() - s, p


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", default="build")
    ap.add_argument("--data", default="tests/data")
    ap.add_argument("--rounds", type=int, default=100)
    a = ap.parse_args()
    archivist = os.path.join(a.build, "cli/archivist")
    mock = os.path.join(a.build, "tests/mock_zhihu/mock_zhihu")
    tmp = tempfile.mkdtemp(prefix="pipeline_bench.")
    try:
        db = os.path.join(tmp, "history.db")
        print(subprocess.run([os.path.join(a.build, "bench/store_bench"),
                              os.path.join(a.data, "zhihu/questions"), db, str(a.rounds)],
                             capture_output=True, text=True, check=True).stdout, end="")
        out = subprocess.run([os.path.join(a.build, "bench/query_bench"), db],
                             capture_output=True, text=True, check=True).stdout
        print("in process:\n  " + out.replace("\n", "\n  ").rstrip())
        qid = out.split()[1].rstrip(":")
        events = [json.loads(l) for l in subprocess.run(
            [archivist, "--db", db, "history", qid, "--json"], capture_output=True, text=True,
            check=True).stdout.splitlines()]
        mid = events[len(events) // 2]["time"]
        subprocess.run([archivist, "--db", db, "show", qid], capture_output=True, check=True)
        for name, cmd in (("history --json", ["history", qid, "--json"]),
                          ("show --at (middle)", ["show", qid, "--at", mid]),
                          ("show (latest)", ["show", qid])):
            t = [timed([archivist, "--db", db, *cmd])[0] for _ in range(10)]
            print("process `archivist %s` on %s: median %.1f ms" % (name, qid, statistics.median(t) * 1e3))

        roots = [os.path.join(a.data, "zhihu/questions"), os.path.join(a.data, "seed/questions")]
        qids = sorted(q for r in roots for q in os.listdir(r))
        m = subprocess.Popen([mock, "--port", "0", "--no-log"] + sum((["--root", r] for r in roots), []),
                             stdout=subprocess.PIPE, text=True)
        base = "http://127.0.0.1:" + m.stdout.readline().strip()
        try:
            for export in (False, True):
                rdb = os.path.join(tmp, "refresh%d.db" % export)
                subprocess.run([archivist, "--db", rdb, "add", *qids], capture_output=True, check=True)
                cmd = [archivist, "--db", rdb, "--zhihu-base-url", base, "refresh", "--delay", "0"]
                if export:
                    cmd += ["--export-dir", os.path.join(tmp, "export")]
                for what in ("first refresh (all new)", "unchanged refresh"):
                    t, p = timed(cmd)
                    assert p.returncode == 0, p.stderr[-2000:]
                    n = len(p.stdout.splitlines())
                    print("refresh %s%s: %d threads in %.2f s = %.1f threads/s" % (
                        what, ", with export" if export else "", n, t, n / t))
        finally:
            m.terminate()
            m.wait()
    finally:
        shutil.rmtree(tmp)


if __name__ == "__main__":
    main()
