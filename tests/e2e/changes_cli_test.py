#!/usr/bin/env python3
"""Seeing what changed, through the real binary and mock_zhihu.

A scripted timeline over three threads — answers added, one edited by a single Chinese
character, one deleted, a title changed — then:
  - `changes --json` equals the union of every thread's `history --json` (same times, kinds,
    answers, revisions, details), with titles and authors; `--since` filters;
  - `history` and `diff` show the author, the source's edit time and the size of each edit;
  - `diff --words` marks the one-character edit as exactly that character.
Notifications: [[notify]] exec hooks get the JSON of a refresh's events; a hook that exits 3
and one that sleeps past its timeout are logged, the refresh still succeeds with its events
recorded, and the hooks after them run; a url hook gets the POST, and one answering 500 is
retried.

The archive is an SQLite file, or with --backend postgres a database on a throwaway PostgreSQL
server named by `[store] path` as a postgresql:// URI (harness.archive_location).

usage: changes_cli_test.py --archivist PATH --mock PATH --data tests/data [--backend postgres]
"""
import contextlib
import datetime
import http.server
import json
import os
import shutil
import subprocess
import tempfile
import threading
import time
import unittest

from harness import MockServer, archive_location, parse_args, run_unittest

ARGS = None
Q1, Q2, Q3 = "10487240977", "1907498915755979433", "22509401"
NEW_ANSWER = 1999000000000000001
BEFORE = "<p>我今天去了北京，天气很好。</p><p>第二段也在这里。</p>"
AFTER = "<p>我今天去了南京，天气很好。</p><p>第二段也在这里。</p>"
EDITED_AT = 1767225600  # 2026-01-01T00:00:00Z, the source's updated_time of the edit


def now_iso():
    return datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%f+00:00")


def iso(seconds):
    return datetime.datetime.fromtimestamp(seconds, datetime.timezone.utc).strftime(
        "%Y-%m-%dT%H:%M:%S.%f+00:00")


def read_json(path):
    with open(path) as f:
        return json.load(f)


def write_json(path, obj):
    with open(path + ".new", "w") as f:
        json.dump(obj, f, ensure_ascii=False)
    os.replace(path + ".new", path)


class Env:
    """A temporary folder with the three questions served by mock_zhihu and a config file."""

    def __init__(self, prefix):
        self.tmp = tempfile.mkdtemp(prefix=prefix)
        self.root = os.path.join(self.tmp, "questions")
        for q in (Q1, Q2, Q3):
            shutil.copytree(os.path.join(ARGS.data, "zhihu/questions", q),
                            os.path.join(self.root, q))
        self.mock = MockServer(ARGS.mock, [self.root], log=False)
        self.env = dict(os.environ, HOME=self.tmp, XDG_CACHE_HOME=os.path.join(self.tmp, "cache"))
        for k in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "TZ"):
            self.env.pop(k, None)
        self.resources = contextlib.ExitStack()
        self.db = self.resources.enter_context(archive_location(ARGS.backend, self.tmp))
        self.configure("")

    def configure(self, extra):
        self.config = os.path.join(self.tmp, "archivist.toml")
        with open(self.config, "w") as f:
            f.write('[store]\npath = "%s"\n[fetch]\nper_host_delay = "0s"\nretries = 0\n'
                    '[zhihu]\nbase_url = "%s"\n%s' % (self.db, self.mock.base, extra))

    def answers(self, q):
        return read_json(os.path.join(self.root, q, "answers.json"))

    def set_answers(self, q, answers):
        write_json(os.path.join(self.root, q, "answers.json"), answers)

    def set_title(self, q, title):
        path = os.path.join(self.root, q, "question.json")
        question = read_json(path)
        question["title"] = title
        write_json(path, question)

    def run(self, *args, check=0, timeout=120):
        p = subprocess.run([ARGS.archivist, "--config", self.config, *args], capture_output=True,
                           text=True, timeout=timeout, env=self.env)
        if check is not None:
            assert p.returncode == check, "%s -> %d\nstdout: %s\nstderr: %s" % (
                args, p.returncode, p.stdout, p.stderr)
        return p

    def lines(self, *args):
        return [json.loads(line) for line in self.run(*args).stdout.splitlines()]

    def stop(self):
        self.mock.stop()
        self.resources.close()
        shutil.rmtree(self.tmp)


class ChangesTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        e = cls.e = Env("changes_cli_test.")
        a1 = e.answers(Q1)
        cls.A = str(a1[0]["id"])
        cls.author = a1[0]["author"]["name"]
        a1[0] = dict(a1[0], content=BEFORE)
        e.set_answers(Q1, a1)
        e.run("refresh", Q1, Q2, "--delete-confirmations", "1")
        cls.t_mid = now_iso()
        time.sleep(0.01)
        # Q1: one character edited; Q2: an answer added; Q3 archived.
        a1[0] = dict(a1[0], content=AFTER, updated_time=EDITED_AT)
        e.set_answers(Q1, a1)
        a2 = e.answers(Q2)
        new = dict(a2[0], id=NEW_ANSWER, content="<p>新的回答。</p>")
        new["author"] = dict(a2[0]["author"], name="新作者")
        e.set_answers(Q2, a2 + [new])
        e.run("refresh", Q1, Q2, Q3, "--delete-confirmations", "1")
        cls.t_late = now_iso()
        time.sleep(0.01)
        # Q2: its first answer deleted; Q3: a new title.
        e.set_answers(Q2, [new])
        e.set_title(Q3, "一个新的标题")
        e.run("refresh", Q1, Q2, Q3, "--delete-confirmations", "1")

    @classmethod
    def tearDownClass(cls):
        cls.e.stop()

    def union_of_histories(self):
        events = []
        for q in (Q1, Q2, Q3):
            events += self.e.lines("history", q, "--json")
        events.sort(key=lambda e: e["time"])  # stable: one thread's events keep their order
        return events

    @staticmethod
    def key(e):
        return (e["time"], e["kind"], e["question"], e["answer"], e["revision"], e["details"])

    def test_changes_is_the_union_of_every_history(self):
        changes = self.e.lines("changes", "--since", "2000-01-01T00:00:00Z", "--json")
        union = self.union_of_histories()
        self.assertEqual([self.key(c) for c in changes], [self.key(h) for h in union])
        kinds = [c["kind"] for c in changes]
        for kind in ("thread_added", "answer_added", "answer_edited", "answer_deleted",
                     "title_changed"):
            self.assertIn(kind, kinds)
        titles = {c["question"]: c["title"] for c in changes}
        self.assertEqual(titles[Q3], "一个新的标题")
        for c in changes:
            self.assertEqual(set(c), {"time", "kind", "question", "title", "answer", "revision",
                                      "author", "details"})
            self.assertEqual(c["author"] is None, c["answer"] is None, c)
        edited = [c for c in changes if c["kind"] == "answer_edited"]
        self.assertEqual([(c["answer"], c["revision"], c["author"]) for c in edited],
                         [(self.A, 2, self.author)])
        added = [c for c in changes if c["answer"] == str(NEW_ANSWER)]
        self.assertEqual([c["author"] for c in added], ["新作者"])
        # The default window is the last 24 hours: all of it happened just now.
        self.assertEqual(self.e.lines("changes", "--json"), changes)

    def test_since_filters(self):
        union = self.union_of_histories()
        for since in (self.t_mid, self.t_late):
            got = self.e.lines("changes", "--since", since, "--json")
            want = [self.key(h) for h in union if h["time"] >= since]
            self.assertEqual([self.key(c) for c in got], want)
            self.assertTrue(0 < len(want) < len(union))
        self.assertEqual(self.e.run("changes", "--since", "1h", "--json").stdout.count("\n"),
                         len(union))
        p = self.e.run("changes", "--since", "soon", check=2)
        self.assertIn("--since", p.stderr)

    def test_human_output_is_grouped_by_thread(self):
        out = self.e.run("changes", "--since", "2000-01-01T00:00:00Z").stdout
        blocks = out.strip("\n").split("\n\n")
        self.assertEqual(len(blocks), 3, out)
        headings = [b.splitlines()[0] for b in blocks]
        self.assertEqual([h.split()[0] for h in headings], [Q1, Q2, Q3])
        self.assertTrue(headings[2].endswith("一个新的标题"), headings)
        union = self.union_of_histories()
        for q, block in zip((Q1, Q2, Q3), blocks):
            events = block.splitlines()[1:]
            self.assertEqual(len(events), len([h for h in union if h["question"] == q]), block)
            self.assertTrue(all(line.startswith("  ") for line in events), block)
        self.assertIn("answer_edited  answer %s r2  by %s" % (self.A, self.author), blocks[0])

    def test_history_shows_who_when_and_how_much(self):
        events = self.e.lines("history", Q1, "--json")
        edit = [e for e in events if e["kind"] == "answer_edited"]
        self.assertEqual(len(edit), 1)
        self.assertEqual(edit[0]["author"], self.author)
        self.assertEqual(edit[0]["updated_time"], iso(EDITED_AT))
        self.assertEqual((edit[0]["added"], edit[0]["removed"]), (1, 1))
        first = [e for e in events if e["kind"] == "answer_added"][0]
        self.assertEqual((first["added"], first["removed"]), (len("我今天去了北京，天气很好。") +
                                                              len("第二段也在这里。") + 2, 0))
        thread = [e for e in events if e["kind"] == "thread_added"][0]
        self.assertEqual((thread["author"], thread["added"], thread["updated_time"]),
                         (None, None, None))
        text = self.e.run("history", Q1).stdout
        line = [l for l in text.splitlines() if "answer_edited" in l][0]
        self.assertIn("by %s  +1 -1  edited at the source 2026-01-01T00:00:00" % self.author, line)
        deleted = [e for e in self.e.lines("history", Q2, "--json")
                   if e["kind"] == "answer_deleted"]
        self.assertEqual(len(deleted), 1)
        self.assertIsNotNone(deleted[0]["author"])
        self.assertIsNone(deleted[0]["added"])

    def test_diff_shows_who_and_how_much(self):
        out = self.e.run("diff", self.A).stdout
        head = out[:out.index("--- ")]
        self.assertIn("answer %s by %s" % (self.A, self.author), head)
        self.assertIn("r2  seen ", head)
        self.assertIn("edited at the source 2026-01-01T00:00:00", head)
        self.assertIn("size +1 -1", head)
        self.assertIn("--- %s@r1\n+++ %s@r2\n" % (self.A, self.A), out)
        self.assertIn("-我今天去了北京，天气很好。", out)

    def test_diff_words_marks_one_character(self):
        out = self.e.run("diff", self.A, "--words").stdout
        body = out[out.index("@@"):]
        self.assertIn("我今天去了[-北-]{+南+}京，天气很好。", body)
        self.assertEqual(body.count("[-"), 1, body)
        self.assertEqual(body.count("{+"), 1, body)
        self.assertIn("第二段也在这里。", body)


class Recorder(http.server.BaseHTTPRequestHandler):
    """POST /ok → 200, POST /fail → 500; every body is kept in `server.bodies` by path."""

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        self.server.bodies.setdefault(self.path, []).append(body.decode())
        self.send_response(200 if self.path == "/ok" else 500)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


class NotifyTest(unittest.TestCase):
    def setUp(self):
        self.e = Env("changes_cli_test.notify.")
        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Recorder)
        self.server.bodies = {}
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        self.url = "http://127.0.0.1:%d" % self.server.server_address[1]

    def tearDown(self):
        self.server.shutdown()
        self.server.server_close()
        self.e.stop()

    def payload_matches_history(self, payload, q):
        self.assertEqual(payload["question"], q)
        history = self.e.lines("history", q, "--json")
        self.assertEqual([(p["time"], p["kind"], p["answer"], p["revision"])
                          for p in payload["events"]],
                         [(h["time"], h["kind"], h["answer"], h["revision"]) for h in history])
        for p in payload["events"]:
            self.assertEqual(set(p), {"time", "kind", "answer", "revision", "author", "details"})

    def test_exec_hooks_fail_time_out_and_the_rest_still_run(self):
        got = os.path.join(self.e.tmp, "got.json")
        self.e.configure(
            '[[notify]]\nexec = "exit 3"\n'
            '[[notify]]\nexec = "sleep 30"\ntimeout = "1s"\n'
            '[[notify]]\nexec = "cat > \'%s\'"\n' % got)
        start = time.monotonic()
        p = self.e.run("refresh", Q1)
        self.assertLess(time.monotonic() - start, 20)
        self.assertIn("exec hook \"exit 3\" for zhihu:%s: exit status 3" % Q1, p.stderr)
        self.assertIn("exec hook \"sleep 30\" for zhihu:%s: timed out after 1s" % Q1, p.stderr)
        self.assertTrue(p.stdout.rstrip().endswith("complete"), p.stdout)
        payload = read_json(got)
        self.payload_matches_history(payload, Q1)
        self.assertEqual(payload["events"][0]["kind"], "thread_added")
        # A refresh that records nothing notifies nobody.
        os.remove(got)
        p = self.e.run("refresh", Q1)
        self.assertFalse(os.path.exists(got))
        self.assertNotIn("exec hook", p.stderr)
        # check-config validates the tables.
        self.e.configure('[[notify]]\nurl = "ftp://example/"\n')
        p = self.e.run("check-config", check=2)
        self.assertIn("notify.url", p.stderr + p.stdout)

    def test_the_daemon_runs_the_hooks(self):
        got = os.path.join(self.e.tmp, "daemon.json")
        self.e.configure('[daemon]\nstatus_listen = ""\n[[thread]]\nurl = "%s"\n'
                         '[[notify]]\nexec = "exit 3"\n'
                         '[[notify]]\nexec = "cat > \'%s.new\' && mv \'%s.new\' \'%s\'"\n'
                         % (Q3, got, got, got))
        log = open(os.path.join(self.e.tmp, "daemon.log"), "w+")
        d = subprocess.Popen([ARGS.archivist, "--config", self.e.config, "daemon"],
                             stdout=log, stderr=subprocess.STDOUT, env=self.e.env)
        try:
            deadline = time.monotonic() + 30
            while not os.path.exists(got) and time.monotonic() < deadline:
                time.sleep(0.1)
        finally:
            d.terminate()
            self.assertEqual(d.wait(timeout=30), 0)
            log.seek(0)
            text = log.read()
            log.close()
        self.assertTrue(os.path.exists(got), text)
        self.payload_matches_history(read_json(got), Q3)
        self.assertIn("notify: exec hook \"exit 3\" for zhihu:%s: exit status 3" % Q3, text)

    def test_url_hooks_post_and_retry(self):
        self.e.configure('[[notify]]\nurl = "%s/fail"\ntimeout = "2s"\n'
                         '[[notify]]\nurl = "%s/ok"\n' % (self.url, self.url))
        p = self.e.run("refresh", Q2)
        self.assertIn("HTTP status 500 (attempt 1 of 4; retrying)", p.stderr)
        self.assertIn("HTTP status 500 (attempt 4 of 4; giving up)", p.stderr)
        self.assertEqual(len(self.server.bodies["/fail"]), 4)
        self.assertEqual(len(self.server.bodies["/ok"]), 1)
        payload = json.loads(self.server.bodies["/ok"][0])
        self.payload_matches_history(payload, Q2)
        self.assertEqual(json.loads(self.server.bodies["/fail"][3]), payload)


if __name__ == "__main__":
    ARGS, rest = parse_args("archivist", "mock", "data", backend="sqlite")
    run_unittest(rest)
