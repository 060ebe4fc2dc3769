#!/usr/bin/env python3
"""`history` and `changes` latency at 1,000,000 revisions, on SQLite and PostgreSQL in one run.

Builds the same synthetic archive twice with bench/scale_bench.cc — THREADS threads of ANSWERS
answers, every answer edited in each of ROUNDS refreshes (1,000 × 100 × 10 = 1,000,000
revisions and as many events by default) — once in a SQLite file, once in a PostgreSQL
database on a throwaway server (tests/e2e/harness.py PgServer: a Unix socket, fsync off —
this measures reads, not durability). scale_bench prints the in-process latencies of the
store calls; then the real binary runs `archivist history QID --json` (a random thread each
time) and `archivist changes --since T --json` (the newest ~1,000 events) RUNS times each on
both archives, and p50 / p99 of the wall time of the whole process are printed.

usage: bench/scale_bench.py --build build [--threads 1000] [--answers 100] [--rounds 10]
       [--runs 50]
Not a test: prints numbers. Needs a quiet machine to mean much.
"""
import argparse
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "e2e"))
import harness  # noqa: E402

START = 1_768_636_800  # scale_bench.cc kStart
ROUND_SECONDS = 3600


def percentile(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(p * len(values)))]


def build(scale_bench, location, args):
    started = time.monotonic()
    out = subprocess.run([scale_bench, location, str(args.threads), str(args.answers),
                          str(args.rounds), str(args.queries)],
                         stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, check=True)
    print(out.stdout, end="")
    print("  (built and measured in %.0f s)" % (time.monotonic() - started))


def time_verb(archivist, location, argv_of, runs):
    times = []
    for i in range(runs):
        argv = [archivist, "--db", location] + argv_of(i)
        started = time.monotonic()
        subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
        times.append((time.monotonic() - started) * 1000)
    return times


def verbs(archivist, location, args):
    rng = random.Random(11)
    newest = -(-1000 // args.answers)
    since = START + (args.rounds - 1) * ROUND_SECONDS + args.threads - newest
    since_iso = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(since))
    history = time_verb(archivist, location, lambda i: [
        "history", str(100_000_000 + rng.randrange(args.threads)), "--json"], args.runs)
    changes = time_verb(archivist, location,
                        lambda i: ["changes", "--since", since_iso, "--json"], args.runs)
    for name, ms in (("archivist history QID --json", history),
                     ("archivist changes --since (~1,000 events) --json", changes)):
        print("  %-50s p50 %7.1f ms   p99 %7.1f ms" % (name, percentile(ms, 0.5),
                                                       percentile(ms, 0.99)))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--build", default="build")
    parser.add_argument("--threads", type=int, default=1000)
    parser.add_argument("--answers", type=int, default=100)
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--runs", type=int, default=50)
    args = parser.parse_args()
    scale_bench = os.path.join(args.build, "bench", "scale_bench")
    archivist = os.path.join(args.build, "cli", "archivist")
    print("%d threads x %d answers x %d rounds = %d revisions" % (
        args.threads, args.answers, args.rounds, args.threads * args.answers * args.rounds))
    with tempfile.TemporaryDirectory(prefix="archivist_scale") as scratch:
        db = os.path.join(scratch, "archive.db")
        print("SQLite")
        build(scale_bench, db, args)
        verbs(archivist, db, args)
        print("  file: %.0f MB" % (os.path.getsize(db) / 1e6))
        with harness.PgServer() as pg:
            pg.create_database("scale")
            uri = pg.uri("scale")
            print("PostgreSQL")
            build(scale_bench, uri, args)
            verbs(archivist, uri, args)
            size = pg.psql("scale", "SELECT pg_database_size('scale')").strip()
            print("  database: %.0f MB" % (int(size) / 1e6))


if __name__ == "__main__":
    main()
