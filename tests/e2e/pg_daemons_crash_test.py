#!/usr/bin/env python3
"""Crash test of several daemons on one PostgreSQL archive: three `archivist daemon`s share
60 questions of mock_zhihu (intervals of 1–2 s, a lease of 2 s); one of them, at random, is
killed with SIGKILL every few tenths of a second and started again at once, 200 times, while
the answers change (edited, removed — their probe then 404s —, put back). Kills land
everywhere: during fetches, inside commits, between a commit and its release, during a start.
Afterwards (and every 50 kills) the archive must hold:

  - only whole refreshes (pg_fleet.check_whole: every revision with the event of its own
    refresh, an order for every refresh with events, dense revision numbers) and no
    duplicated or lost event (one added/edited event per revision, consecutive revisions
    differ, one answer_added per answer);
  - no two fetch records of one thread overlapping in time, and no refresh superseded in any
    daemon's log (an overlapping refresh is dropped at its commit, so only its log tells);
  - only what the mock served: every stored revision's content is one the dumps held;
  - after the daemons' SIGTERM, none of their leases or records;
  - after one last uninterrupted refresh, exactly the dumps: the present answers are the
    dump's and each one's latest revision hashes the dump's content.

usage: pg_daemons_crash_test.py --archivist PATH --mock PATH --data tests/data [--kills N]
"""
import argparse
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import FixtureMock, PgServer  # noqa: E402
import pg_fleet  # noqa: E402

THREADS = 60


def mutate(root, qids, rng, stash, served):
    qid = rng.choice(qids)
    path = os.path.join(root, qid, "answers.json")
    with open(path, encoding="utf-8") as f:
        answers = json.load(f)
    r = rng.random()
    if r < 0.6 and answers:
        a = rng.choice(answers)
        a["content"] += "<p>edit %d</p>" % rng.randrange(10 ** 9)
        a["updated_time"] += 1
        served.setdefault(int(a["id"]), set()).add(pg_fleet.content_hash(a["content"]))
    elif r < 0.8 and len(answers) > 1:
        stash.setdefault(qid, []).append(answers.pop(rng.randrange(len(answers))))
    elif stash.get(qid):
        answers.insert(rng.randrange(len(answers) + 1), stash[qid].pop())
    with open(path + ".new", "w", encoding="utf-8") as f:
        json.dump(answers, f, ensure_ascii=False)
    os.replace(path + ".new", path)


def served_initially(root, qids):
    served = {}
    for qid in qids:
        with open(os.path.join(root, qid, "answers.json"), encoding="utf-8") as f:
            for a in json.load(f):
                served.setdefault(int(a["id"]), set()).add(pg_fleet.content_hash(a["content"]))
    return served


def only_what_was_served(pg, served):
    for aid, h in pg_fleet.rows(pg, "fleet", """SELECT a.source_id, r.content_hash
                                            FROM revisions r JOIN answers a ON a.id = r.answer_id"""):
        assert h in served.get(int(aid), set()), "answer %s: a revision the mock never served" % aid


def agrees_with_dumps(pg, root, qids):
    for qid in qids:
        with open(os.path.join(root, qid, "answers.json"), encoding="utf-8") as f:
            want = {int(a["id"]): pg_fleet.content_hash(a["content"]) for a in json.load(f)}
        got = {int(aid): h for aid, h in pg_fleet.rows(pg, "fleet", """
            SELECT a.source_id, r.content_hash FROM answers a
            JOIN threads t ON t.id = a.thread_id JOIN revisions r ON r.answer_id = a.id
            WHERE t.source_id = %s AND a.state = 'present'
              AND r.number = (SELECT max(number) FROM revisions WHERE answer_id = a.id)""" % qid)}
        assert got == want, "question %s: archive %r, dump %r" % (qid, got, want)


def check(pg):
    pg_fleet.check_whole(pg, "fleet")
    overlaps = pg_fleet.overlapping_fetches(pg, "fleet")
    assert overlaps == [], "fetches of one thread overlap: %r" % overlaps[:5]


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--archivist", required=True)
    p.add_argument("--mock", required=True)
    p.add_argument("--data", required=True)
    p.add_argument("--kills", type=int, default=200)
    p.add_argument("--seed", type=int, default=20261128)
    p.add_argument("--max-seconds", type=int, default=150)
    args = p.parse_args()
    rng = random.Random(args.seed)
    tmp = tempfile.mkdtemp(prefix="pg_daemons_crash_test.")
    os.environ["XDG_CACHE_HOME"] = os.path.join(tmp, "cache")
    mock, daemons = None, []
    try:
        with PgServer() as pg:
            pg.create_database("fleet")
            uri = pg.uri("fleet")
            mock = FixtureMock(args.mock, args.data, tmp, [], log=False)
            qids = pg_fleet.make_questions(args.data, mock.root, THREADS)
            served = served_initially(mock.root, qids)
            mock.set_faults("route=feeds action=delay ms=10\nroute=answer action=delay ms=10\n")
            subprocess.run([args.archivist, "--db", uri, "add", *qids], check=True,
                           capture_output=True)
            config = os.path.join(tmp, "fleet.toml")
            pg_fleet.write_config(config, uri, mock.base, lease="2s", workers=2, min_i="1s",
                                  max_i="2s")
            generation = [0]

            def start(i):  # every run logs to a file of its own, all read at the end
                generation[0] += 1
                return pg_fleet.start_daemon(args.archivist, tmp, config,
                                             "d%d-%d" % (i, generation[0]))

            daemons = [start(i).ready() for i in range(3)]
            stash, kills = {}, 0
            deadline = time.monotonic() + args.max_seconds
            while kills < args.kills:
                assert time.monotonic() < deadline, "only %d kills in %d s" % (kills, args.max_seconds)
                for _ in range(rng.randrange(0, 3)):
                    mutate(mock.root, qids, rng, stash, served)
                time.sleep(rng.uniform(0.05, 0.45))
                i = rng.randrange(3)
                daemons[i].proc.send_signal(signal.SIGKILL)
                daemons[i].proc.wait()
                daemons[i].stop()
                kills += 1
                daemons[i] = start(i)
                if kills % 50 == 0:
                    check(pg)
            for d in daemons:
                d.ready()
            time.sleep(1)
            ids = [pg.psql("fleet", "SELECT id FROM daemons WHERE pid = %d" % d.proc.pid).strip()
                   for d in daemons]
            for d in daemons:
                d.end(signal.SIGTERM)
            for daemon_id in ids:
                assert daemon_id, "a daemon was not registered"
                left = pg.psql("fleet", "SELECT count(*) FROM threads WHERE lease_owner = '%s'; "
                               "SELECT count(*) FROM daemons WHERE id = '%s'"
                               % (daemon_id, daemon_id)).split()
                assert left == ["0", "0"], "a stopped daemon left leases or its record: %r" % left
            check(pg)
            only_what_was_served(pg, served)
            final = pg_fleet.refresh_all(args.archivist, uri, mock.base, qids)
            assert final.returncode == 0, final.stdout + final.stderr
            check(pg)
            only_what_was_served(pg, served)
            agrees_with_dumps(pg, mock.root, qids)
            fetches = pg.psql("fleet", "SELECT count(*) FROM fetches").strip()
            events = pg.psql("fleet", "SELECT count(*) FROM events").strip()
            logs = [os.path.join(tmp, n) for n in os.listdir(tmp) if n.endswith(".log")]
            takeovers, refreshes = 0, 0
            for path in logs:
                with open(path, encoding="utf-8", errors="replace") as f:
                    text = f.read()
                assert "superseded" not in text, "two refreshes of one thread at once: " + path
                takeovers += text.count("took over ")
                refreshes += text.count("refresh zhihu:")
            assert refreshes > 0
            print("%d SIGKILLs across 3 daemons (%d runs); %s fetch records, %s events, none "
                  "overlapping, no refresh superseded; archive whole, only what the mock served, "
                  "equal to the dumps; %d takeovers logged"
                  % (kills, len(logs), fetches, events, takeovers))
            return 0
    finally:
        for d in daemons:
            d.stop()
        if mock:
            mock.stop()
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
