#!/usr/bin/env python3
"""`archivist changes --since 7d` on a large archive (numbers for docs/cli.md "Numbers").

The archive is generated directly in SQL over the schema archivist itself creates (`archivist
add` makes the file): THREADS threads with ANSWERS answers each and REVISIONS revisions per
answer (10,000 × 4 × 3 = 120,000 revisions by default), every revision with its answer_added
or answer_edited event, every thread with its thread_added, the events spread evenly over
the last 90 days (so a 7-day window holds ~8% of them). Revisions carry a short Markdown and
an empty compressed HTML: `changes` reads neither.

Then the real `archivist changes --since 7d` (human and --json, output to /dev/null) runs RUNS
times each, and the 24h window too; p50 and p99 of the wall time of the whole process are
printed, with the number of events each window returned and the query plan. Last, `archivist
serve` on the same archive: p50 and p99 of RUNS requests each to the viewer's thread list
(`/`), a thread page (`/question/<qid>`, a different thread each time), `/changes?since=7d`
and the Atom feed of everything (`/feeds/all.atom`), with the size of each reply.

usage: bench/changes_bench.py --archivist build/cli/archivist [--threads 10000]
       [--answers 4] [--revisions 3] [--runs 30] [--drop-index]
Not a test: prints numbers. Needs a quiet machine to mean much.
"""
import argparse
import os
import re
import signal
import urllib.request
import random
import sqlite3
import statistics
import subprocess
import tempfile
import time

DAY_US = 86400 * 1_000_000
# Store::Changes's statement (store/sqlite_store_changes.cc).
CHANGES_SQL = (
    "SELECT e.at, e.kind, t.source, t.source_id, t.title, a.source_id, r.number, "
    "coalesce(r.author_name, a.author_name, ''), e.details FROM events e "
    "JOIN threads t ON t.id = e.thread_id "
    "LEFT JOIN answers a ON a.id = e.answer_id LEFT JOIN revisions r ON r.id = e.revision_id "
    "WHERE e.at >= ? ORDER BY e.at, e.id")


def generate(db, threads, answers, revisions, now_us):
    """Rows are written in time order, as refreshes commit them: the ids of fetches, answers,
    revisions and events follow time, so one time window's rows sit together on disk, as in
    a real archive."""
    random.seed(7)
    c = sqlite3.connect(db)
    c.execute("PRAGMA synchronous = OFF")
    c.execute("DELETE FROM threads")
    span = 90 * DAY_US
    t_rows, rounds = [], []
    for t in range(1, threads + 1):
        start = now_us - span + random.randrange(span // 2)
        t_rows.append((t, "zhihu", 10_000_000 + t, "问题 %d 的标题" % t, start, start))
        # One refresh per round: round 0 adds every answer, round k edits each answer once.
        times = sorted(start + random.randrange(now_us - start) for _ in range(revisions - 1))
        rounds += [(at, t, k) for k, at in enumerate([start] + times)]
    rounds.sort()
    f_rows, a_rows, r_rows, e_rows = [], [], [], []
    base = {}
    for at, t, k in rounds:
        f_rows.append((len(f_rows) + 1, t, at, "complete"))
        fetch_id = len(f_rows)
        if k == 0:
            e_rows.append((t, fetch_id, at, "thread_added", None, None, "问题 %d 的标题" % t))
            base[t] = len(a_rows)
            for a in range(answers):
                aid = len(a_rows) + 1
                a_rows.append((aid, t, 20_000_000 + aid, "作者%d" % aid, "present", at, at, a))
        for a in range(answers):
            aid = base[t] + 1 + a
            rid = len(r_rows) + 1
            r_rows.append((rid, aid, k + 1, fetch_id, at, 1700000000, 1700000000 + k,
                           "h%d" % rid, "作者%d" % aid, 0, b"", "第 %d 版。" % k, 1))
            e_rows.append((t, fetch_id, at, "answer_added" if k == 0 else "answer_edited", aid,
                           rid, ""))
    c.executemany("INSERT INTO threads (id, source, source_id, title, added_at, "
                  "first_archived_at) VALUES (?, ?, ?, ?, ?, ?)", t_rows)
    c.executemany("INSERT INTO fetches (id, thread_id, started_at, outcome) VALUES (?, ?, ?, ?)",
                  f_rows)
    c.executemany("INSERT INTO answers (id, thread_id, source_id, author_name, state, "
                  "first_seen_at, last_seen_at, position) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", a_rows)
    c.executemany("INSERT INTO revisions (id, answer_id, number, fetch_id, observed_at, "
                  "created_time, updated_time, content_hash, author_name, html_size, html_zstd, "
                  "markdown, normalizer_version) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                  r_rows)
    c.executemany("INSERT INTO events (thread_id, fetch_id, at, kind, answer_id, revision_id, "
                  "details) VALUES (?, ?, ?, ?, ?, ?, ?)", e_rows)
    c.commit()
    c.execute("ANALYZE")
    c.close()
    return len(t_rows), len(r_rows), len(e_rows)


def percentile(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def measure(archivist, db, args, runs):
    times, lines = [], 0
    for _ in range(runs):
        s = time.monotonic()
        p = subprocess.run([archivist, "--db", db, *args], stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE)
        times.append((time.monotonic() - s) * 1000)
        assert p.returncode == 0, p.stderr
        lines = p.stdout.count(b"\n")
    return statistics.median(times), percentile(times, 99), lines


def measure_viewer(archivist, db, threads, runs):
    """p50/p99 of GETs to a running `archivist serve` on `db`."""
    serve = subprocess.Popen([archivist, "--db", db, "serve", "--listen", "127.0.0.1:0"],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        m = re.search(r"(http://127\.0\.0\.1:\d+)", serve.stdout.readline())
        assert m, serve.stderr.read()
        base = m.group(1)
        rng = random.Random(11)
        pages = [("/", lambda: "/"),
                 ("/question/<qid>", lambda: "/question/%d" % (10_000_000 + rng.randint(1, threads))),
                 ("/changes?since=7d", lambda: "/changes?since=7d"),
                 ("/feeds/all.atom", lambda: "/feeds/all.atom")]
        for name, path in pages:
            times, size = [], 0
            for _ in range(runs):
                s = time.monotonic()
                with urllib.request.urlopen(base + path(), timeout=60) as r:
                    size = len(r.read())
                times.append((time.monotonic() - s) * 1000)
            print("viewer %-26s p50 %6.1f ms  p99 %6.1f ms  (%d bytes, %d runs)" % (
                name, statistics.median(times), percentile(times, 99), size, runs))
    finally:
        serve.send_signal(signal.SIGTERM)
        serve.wait(timeout=30)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--archivist", required=True)
    ap.add_argument("--threads", type=int, default=10000)
    ap.add_argument("--answers", type=int, default=4)
    ap.add_argument("--revisions", type=int, default=3)
    ap.add_argument("--runs", type=int, default=30)
    ap.add_argument("--drop-index", action="store_true",
                    help="drop events_at after generating (what the index is worth)")
    a = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="changes_bench.") as tmp:
        db = os.path.join(tmp, "archive.db")
        subprocess.run([a.archivist, "--db", db, "add", "1"], check=True,
                       stdout=subprocess.DEVNULL)
        s = time.monotonic()
        n_threads, n_revisions, n_events = generate(db, a.threads, a.answers, a.revisions,
                                                    int(time.time() * 1_000_000))
        print("archive: %d threads, %d revisions, %d events, %.0f MB (generated in %.1f s)" % (
            n_threads, n_revisions, n_events, os.path.getsize(db) / 1e6, time.monotonic() - s))
        c = sqlite3.connect(db)
        if a.drop_index:
            c.execute("DROP INDEX events_at")
            c.commit()
        plan = c.execute("EXPLAIN QUERY PLAN SELECT e.at, t.title, a.source_id, r.number, "
                         "coalesce(r.author_name, a.author_name) FROM events e JOIN threads t ON "
                         "t.id = e.thread_id LEFT JOIN answers a ON a.id = e.answer_id LEFT JOIN "
                         "revisions r ON r.id = e.revision_id WHERE e.at >= 0 "
                         "ORDER BY e.at, e.id").fetchall()
        print("plan: " + "; ".join(row[-1] for row in plan))
        since = int(time.time() * 1_000_000) - 7 * DAY_US
        sql_ms = []
        for _ in range(a.runs):
            s = time.monotonic()
            rows = c.execute(CHANGES_SQL, (since,)).fetchall()
            sql_ms.append((time.monotonic() - s) * 1000)
        c.close()
        print("the query alone (Python sqlite3), 7d: p50 %.1f ms  p99 %.1f ms  (%d rows)" % (
            statistics.median(sql_ms), percentile(sql_ms, 99), len(rows)))
        for args in (["changes", "--since", "7d", "--json"], ["changes", "--since", "7d"],
                     ["changes", "--since", "24h", "--json"]):
            p50, p99, lines = measure(a.archivist, db, args, a.runs)
            print("%-32s p50 %6.1f ms  p99 %6.1f ms  (%d lines, %d runs)" % (
                " ".join(args), p50, p99, lines, a.runs))
        measure_viewer(a.archivist, db, n_threads, a.runs)


if __name__ == "__main__":
    main()
