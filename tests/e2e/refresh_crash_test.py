#!/usr/bin/env python3
"""Crash test of the real `archivist refresh`: SIGKILL at random points, then check the store.

Several fixture questions are copied to a scratch root served by mock_zhihu with a small delay
on every listing page and probe, so a refresh of all of them takes a while and the kills land
everywhere: during fetches, between threads, inside commits, during export writes. Between
runs the dumps are edited at random (answers edited, removed — their probe then 404s —, put
back). After every batch of kills, and at the end, the archive must:

  - pass PRAGMA integrity_check and foreign_key_check;
  - hold only whole refreshes: every revision was written with an event of its own fetch
    that references it, every answer_added/edited/restored event references a revision of its
    own answer (no event without its revision), every fetch with events recorded its order,
    revision numbers are dense, every answer has a revision;
  - after one last uninterrupted refresh, agree exactly with the dumps: the present answers
    are the dump's answers and each one's latest revision hashes the dump's content;
  - and every export file present is a whole document (written by rename).

usage: refresh_crash_test.py --archivist PATH --mock PATH --data tests/data [--kills N]
"""
import argparse
import hashlib
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time

from harness import MockServer, check_whole, sql

QUESTIONS = ["1982867494206211639", "664360260", "305246901", "598873550",
             "1924958977629884887", "418593757"]


def check_exports(export_dir):
    for name in os.listdir(export_dir):
        if not name.endswith(".md"):
            continue  # a temporary file of a killed export (never renamed into place)
        with open(os.path.join(export_dir, name), "rb") as f:
            doc = f.read()
        assert doc.startswith(b"---\nlayout: default\n") and doc.endswith(b"\n"), name
        assert doc.count(b"\n---\n") >= 1, name
    feeds = os.path.join(export_dir, "feeds")
    for name in os.listdir(feeds) if os.path.isdir(feeds) else []:
        if not name.endswith(".atom"):
            continue  # a temporary file of a killed write
        with open(os.path.join(feeds, name), "rb") as f:
            feed = f.read()
        assert feed.startswith(b"<?xml") and feed.rstrip().endswith(b"</feed>"), name


def agrees_with_dumps(db, root):
    for qid in QUESTIONS:
        with open(os.path.join(root, qid, "answers.json")) as f:
            answers = json.load(f)
        want = {int(a["id"]): hashlib.sha256(a["content"].encode()).hexdigest() for a in answers}
        rows = sql(db, """SELECT a.source_id, r.content_hash FROM answers a
                          JOIN threads t ON t.id = a.thread_id
                          JOIN revisions r ON r.answer_id = a.id
                          WHERE t.source_id = %d AND a.state = 'present'
                            AND r.number = (SELECT max(number) FROM revisions WHERE answer_id = a.id)
                       """ % int(qid))
        got = {(i + (1 << 64) if i < 0 else i): h for i, h in rows}
        assert got == want, "question %s: archive %d answers, dump %d" % (qid, len(got), len(want))


def mutate(root, rng, stash):
    qid = rng.choice(QUESTIONS)
    path = os.path.join(root, qid, "answers.json")
    with open(path) as f:
        answers = json.load(f)
    r = rng.random()
    if r < 0.6 and answers:
        a = rng.choice(answers)
        a["content"] += "<p>edit %d</p>" % rng.randrange(10 ** 9)
        a["updated_time"] += 1
    elif r < 0.8 and len(answers) > 1:
        stash.setdefault(qid, []).append(answers.pop(rng.randrange(len(answers))))
    elif stash.get(qid):
        answers.insert(rng.randrange(len(answers) + 1), stash[qid].pop())
    with open(path + ".new", "w") as f:
        json.dump(answers, f, ensure_ascii=False)
    os.replace(path + ".new", path)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--archivist", required=True)
    p.add_argument("--mock", required=True)
    p.add_argument("--data", required=True)
    p.add_argument("--kills", type=int, default=200)
    p.add_argument("--seed", type=int, default=20260117)
    p.add_argument("--max-seconds", type=int, default=150)
    args = p.parse_args()
    rng = random.Random(args.seed)
    tmp = tempfile.mkdtemp(prefix="refresh_crash_test.")
    os.environ["XDG_CACHE_HOME"] = os.path.join(tmp, "cache")
    mock = None
    try:
        root = os.path.join(tmp, "questions")
        for qid in QUESTIONS:
            os.makedirs(os.path.join(root, qid))
            for name in ("question.json", "answers.json"):
                shutil.copy(os.path.join(args.data, "zhihu/questions", qid, name),
                            os.path.join(root, qid, name))
        mock = MockServer(args.mock, [root], log=False)
        mock.set_faults("route=feeds action=delay ms=4\nroute=answer action=delay ms=4\n")
        base = mock.base
        db = os.path.join(tmp, "archive.db")
        export = os.path.join(tmp, "export")
        cmd = [args.archivist, "--db", db, "--zhihu-base-url", base, "refresh", *QUESTIONS,
               "--delay", "0", "--retries", "0", "--page-size", "5", "--export-dir", export]
        subprocess.run(cmd, check=True, capture_output=True)  # also builds the tags cache
        timings = []
        for _ in range(3):  # warm, unchanged runs: how long a refresh of them all takes
            start = time.monotonic()
            subprocess.run(cmd, check=True, capture_output=True)
            timings.append(time.monotonic() - start)
        duration = sorted(timings)[1]
        stash, kills, runs = {}, 0, 0
        deadline = time.monotonic() + args.max_seconds
        while kills < args.kills:
            assert time.monotonic() < deadline, "only %d kills in %d s" % (kills, args.max_seconds)
            for _ in range(rng.randrange(1, 4)):
                mutate(root, rng, stash)
            proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            runs += 1
            time.sleep(rng.uniform(0, duration))
            if proc.poll() is None:
                proc.send_signal(signal.SIGKILL)
                kills += 1
            proc.wait()
            if runs % 40 == 0:
                check_whole(db)
                check_exports(export)
        check_whole(db)
        check_exports(export)
        final = subprocess.run(cmd, capture_output=True, text=True)
        assert final.returncode == 0, final.stderr
        check_whole(db)
        agrees_with_dumps(db, root)
        fetches = sql(db, "SELECT count(*) FROM fetches")[0][0]
        events = sql(db, "SELECT count(*) FROM events")[0][0]
        leftovers = [n for n in os.listdir(export) if not n.endswith(".md") and n != "feeds"]
        print("%d runs, %d SIGKILLs (one uninterrupted run %.2f s); %d fetch records, %d events; "
              "archive whole and equal to the dumps; %d temporary export files left by kills"
              % (runs, kills, duration, fetches, events, len(leftovers)))
        print("checked every 40 runs and at the end")
        return 0
    finally:
        if mock:
            mock.stop()
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
