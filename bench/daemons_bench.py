#!/usr/bin/env python3
"""Refresh throughput of several daemons on one PostgreSQL archive, beside one daemon on
SQLite, in one run.

THREADS synthetic questions (copies of the fixture questions under new ids, answers renumbered)
are served by mock_zhihu on 127.0.0.1 (no request log). For each setup — one daemon on an
SQLite file, then 1, 2 and 4 daemons on one PostgreSQL database (tests/e2e/harness.py
PgServer: a Unix socket, fsync off) — a fresh archive gets every thread (`archivist add`),
the daemons start together (concurrency CONCURRENCY each, per-host concurrency the same, no
per-host delay, a first refresh due at once and the next an hour later), and the time until
every thread has its first complete fetch record is taken. Prints threads per second and, for
PostgreSQL, how the refreshes were shared between the daemons (from their logs).

usage: bench/daemons_bench.py --build build --data tests/data [--threads 1000]
       [--concurrency 4] [--daemons 1,2,4]
Not a test: prints numbers. Needs a quiet machine to mean much.
"""
import argparse
import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "e2e"))
import harness  # noqa: E402

FIRST_ID = 900_000_000


def synthetic_questions(data, root, count):
    """count question folders under root, ids FIRST_ID…, each a fixture question renumbered."""
    source = os.path.join(data, "zhihu", "questions")
    fixtures = sorted(os.listdir(source))
    for i in range(count):
        qid = str(FIRST_ID + i)
        src = os.path.join(source, fixtures[i % len(fixtures)])
        with open(os.path.join(src, "question.json"), encoding="utf-8") as f:
            question = json.load(f)
        with open(os.path.join(src, "answers.json"), encoding="utf-8") as f:
            answers = json.load(f)
        question["id"] = int(qid)
        for n, a in enumerate(answers):
            a["id"] = str(int(qid) * 1000 + n)
            if isinstance(a.get("question"), dict):
                a["question"]["id"] = qid
        os.makedirs(os.path.join(root, qid))
        for name, value in (("question.json", question), ("answers.json", answers)):
            with open(os.path.join(root, qid, name), "w", encoding="utf-8") as f:
                json.dump(value, f, ensure_ascii=False)
    return [str(FIRST_ID + i) for i in range(count)]


def config_text(location, base, concurrency):
    return ('[store]\npath = "%s"\n[fetch]\nper_host_delay = "0s"\nconcurrency = %d\n'
            'per_host_concurrency = %d\n[zhihu]\nbase_url = "%s"\n'
            '[schedule]\nmin_interval = "1h"\ninitial_interval = "1h"\nmax_interval = "2h"\n'
            '[daemon]\nstatus_listen = ""\n' % (location, concurrency, concurrency, base))


def fetched(location, pg):
    sql = "SELECT count(DISTINCT thread_id) FROM fetches WHERE outcome = 'complete'"
    if pg:
        return int(pg.psql("bench", sql))
    with sqlite3.connect("file:%s?mode=ro" % location, uri=True, timeout=10) as db:
        return db.execute(sql).fetchone()[0]


def run_setup(args, tmp, base, qids, location, daemons, pg=None):
    archivist = os.path.join(args.build, "cli", "archivist")
    for i in range(0, len(qids), 500):
        subprocess.run([archivist, "--db", location, "add"] + qids[i:i + 500],
                       stdout=subprocess.DEVNULL, check=True)
    procs = []
    started = time.monotonic()
    for n in range(daemons):
        home = os.path.join(tmp, "d%d" % n)
        os.makedirs(home, exist_ok=True)
        config = os.path.join(home, "archivist.toml")
        with open(config, "w") as f:
            f.write(config_text(location, base, args.concurrency))
        log = open(os.path.join(home, "daemon.log"), "w")
        procs.append((subprocess.Popen([archivist, "--config", config, "daemon"],
                                       stdout=log, stderr=log, env=harness.daemon_env(home)),
                      log, home))
    try:
        while fetched(location, pg) < len(qids):
            if any(p.poll() is not None for p, _, _ in procs):
                raise SystemExit("a daemon exited early: see " + tmp)
            time.sleep(0.1)
        seconds = time.monotonic() - started
    finally:
        for p, log, _ in procs:
            p.terminate()
            p.wait()
            log.close()
    shares = []
    for _, _, home in procs:
        with open(os.path.join(home, "daemon.log"), encoding="utf-8", errors="replace") as f:
            shares.append(len(re.findall(r" info refresh zhihu:\d+ complete ", f.read())))
    return seconds, shares


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--build", default="build")
    parser.add_argument("--data", default="tests/data")
    parser.add_argument("--threads", type=int, default=1000)
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--daemons", default="1,2,4")
    args = parser.parse_args()
    mock = os.path.join(args.build, "tests", "mock_zhihu", "mock_zhihu")
    with harness.scratch("archivist_daemons_bench.") as tmp:
        root = os.path.join(tmp, "root")
        qids = synthetic_questions(args.data, root, args.threads)
        with harness.MockServer(mock, [root], log=False, quiet=True) as server:
            print("%d threads, concurrency %d per daemon" % (len(qids), args.concurrency))
            db = os.path.join(tmp, "archive.db")
            seconds, _ = run_setup(args, os.path.join(tmp, "sqlite"), server.base, qids, db, 1)
            print("SQLite, 1 daemon: %.1f s, %.0f threads/s" % (seconds, len(qids) / seconds))
            for daemons in (int(n) for n in args.daemons.split(",")):
                with harness.PgServer() as pg:
                    pg.create_database("bench")
                    work = os.path.join(tmp, "pg%d" % daemons)
                    seconds, shares = run_setup(args, work, server.base, qids, pg.uri("bench"),
                                                daemons, pg)
                    print("PostgreSQL, %d daemon(s): %.1f s, %.0f threads/s; refreshes per "
                          "daemon %s" % (daemons, seconds, len(qids) / seconds, shares))
            shutil.rmtree(root)


if __name__ == "__main__":
    main()
