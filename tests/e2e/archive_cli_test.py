#!/usr/bin/env python3
"""End-to-end tests of the archive verbs through the real archivist binary and mock_zhihu.

TimelineTest drives one thread through a scripted timeline by editing a copy of a fixture
dump between refreshes (the mock re-reads dumps on every request): answers added, one edited
twice, one deleted (its probe 404s because it left answers.json), a blocked refresh, a
login-wall refresh, the answer restored, the title changed. Then history (text and --json),
diff (applied with patch), show --at at several points checked byte for byte against the
export files written at those times and against documents built independently here from
the dump (docs/format.md §1, Markdown from `archivist convert`), and export. ErrorTest checks
every error the verbs report and that the store is left intact.

TimelineTest runs on the backend --backend names: sqlite (default: a file) or postgres (a
database on a throwaway PostgreSQL server, harness.archive_location); ErrorTest is about
SQLite files and runs on sqlite only.

usage: archive_cli_test.py --archivist PATH --mock PATH --data tests/data [--backend postgres]
"""
import contextlib
import datetime
import json
import os
import resource
import shutil
import signal
import sqlite3
import subprocess
import tempfile
import unittest

from harness import MockServer, archive_location, main, read, sql, write_question

ARGS = None
QID = "1982867494206211639"  # 7 short answers: 3 pages at page size 3
NEW_ID = "1990000000000000001"


def now_iso():
    return datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%f+00:00")


class Archivist:
    def __init__(self, db, base):
        self.db, self.base = db, base

    def run(self, *args, input=None, check=None, **kw):
        cmd = [ARGS.archivist, "--db", self.db, "--zhihu-base-url", self.base, *args]
        p = subprocess.run(cmd, capture_output=True, text=True, input=input, timeout=60, **kw)
        if check is not None:
            assert p.returncode == check, "%s -> %d\nstdout: %s\nstderr: %s" % (
                cmd, p.returncode, p.stdout, p.stderr)
        return p

    def refresh(self, export_dir, *extra):
        return self.run("refresh", QID, "--delay", "0", "--retries", "0", "--page-size", "3",
                        "--export-dir", export_dir, *extra)


def yaml_quote(s):
    s = "".join(" " if (ord(c) < 0x20 or c == "\x7f" or c in "\u2028\u2029\x85") else c
                for c in s)
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def build_document(title, date, lastmod, tags, answers):
    """docs/format.md §1, written independently of the C++ renderer."""
    out = "---\nlayout: default\nLastmod: %s\ndate: %s\ntitle: %s\nauthor: \"\"\ntags: [%s]\n---\n\n\n" % (
        lastmod, date, yaml_quote(title), ",".join(tags))
    for name, md in answers:
        out += "    \n### 知乎用户 " + name + " 发表\n    \n" + md + "\n    \n    \n    \n"
    return out + "\n"


class TimelineTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="archive_cli_test.")
        cls.root = os.path.join(cls.tmp, "questions")
        os.makedirs(os.path.join(cls.root, QID))
        src = os.path.join(ARGS.data, "zhihu/questions", QID)
        for name in ("question.json", "answers.json"):
            shutil.copy(os.path.join(src, name), os.path.join(cls.root, QID, name))
        cls.fixture_doc = read(os.path.join(src, "expected/document.md"))
        cls.mock = MockServer(ARGS.mock, [cls.root], log=False)
        cls.resources = contextlib.ExitStack()
        location = cls.resources.enter_context(archive_location(ARGS.backend, cls.tmp))
        cls.cli = Archivist(location, cls.mock.base)
        cls.export = os.path.join(cls.tmp, "export")
        cls.export_file = os.path.join(cls.export, QID + ".md")
        cls.snapshots = {}   # step → export bytes
        cls.times = {}       # step → a time just after that step's refresh
        cls.dumps = {}       # step → (title, answers) as served
        cls.original = json.loads(read(os.path.join(cls.root, QID, "answers.json")))
        cls.run_timeline()

    @classmethod
    def tearDownClass(cls):
        cls.mock.stop()
        cls.resources.close()
        shutil.rmtree(cls.tmp)

    @classmethod
    def step(cls, name, answers, title=None, faults="", extra=()):
        t = write_question(cls.root, QID, answers, title)
        cls.mock.set_faults(faults)
        p = cls.cli.refresh(cls.export, *extra)
        cls.results[name] = p
        cls.snapshots[name] = read(cls.export_file, "rb") if os.path.exists(cls.export_file) else None
        cls.times[name] = now_iso()
        cls.dumps[name] = (t, [dict(a) for a in answers])
        cls.mock.set_faults("")

    @classmethod
    def run_timeline(cls):
        cls.results = {}
        a = [dict(x) for x in cls.original]
        A, D = a[0]["id"], a[3]["id"]
        cls.A, cls.D = str(A), str(D)
        cls.step("s1_initial", a)
        new = dict(a[1])
        new.update(id=NEW_ID, content="<p>新来的回答，<b>加粗</b>。</p>", updated_time=1767000000,
                   created_time=1767000000)
        new["author"] = dict(a[1]["author"], name="新作者")
        a.insert(2, new)
        a[0] = dict(a[0], content=a[0]["content"] + "<p>补充一：第一次修改。</p>",
                    updated_time=a[0]["updated_time"] + 100)
        cls.step("s2_added_edited", a)
        cls.fetch_count_before_block = cls.count("fetches")
        cls.events_before_block = cls.count("events")
        cls.mtime_before_block = os.stat(cls.export_file).st_mtime_ns
        cls.step("s3_blocked", a, faults="route=feeds action=status status=403 code=40362\n")
        a[0] = dict(a[0], content=a[0]["content"] + "<p>补充二：第二次修改。</p>",
                    updated_time=a[0]["updated_time"] + 100)
        removed = [x for x in a if x["id"] == D]
        a = [x for x in a if x["id"] != D]
        cls.step("s4_edited_deleted", a)
        cls.events_before_wall = cls.count("events")
        # The login wall hides pages 2.. : those answers are absent from the snapshot, yet
        # nothing may be deleted, even with a single confirmation.
        cls.step("s5_login_wall", a, faults="route=feeds from_page=2 action=force_login\n",
                 extra=("--delete-confirmations", "1"))
        a.insert(4, removed[0])
        cls.step("s6_restored_title", a, title="怎么弥补自己的过错？（\"新\"标题）")

    @classmethod
    def count(cls, table):
        return sql(cls.cli.db, "SELECT count(*) FROM " + table)[0][0]

    def history_json(self, *extra):
        p = self.cli.run("history", QID, "--json", *extra, check=0)
        return [json.loads(line) for line in p.stdout.splitlines()]

    def convert(self, html):
        return self.cli.run("convert", input=html, check=0).stdout

    def expected_doc(self, step, date, lastmod, tags):
        title, answers = self.dumps[step]
        return build_document(title, date, lastmod, tags,
                              [(x["author"]["name"], self.convert(x["content"])) for x in answers])

    def tags_of(self, doc):
        line = [l for l in doc.decode().splitlines() if l.startswith("tags: [")][0]
        return line[len("tags: ["):-1].split(",")

    def test_refresh_lines_and_exit_codes(self):
        r = self.results
        self.assertEqual(r["s1_initial"].returncode, 0, r["s1_initial"].stderr)
        self.assertEqual(r["s1_initial"].stdout,
                         QID + "  怎么弥补自己的过错？  +7 ~0 -0  answers 7  complete\n")
        self.assertIn("+1 ~1 -0  answers 8  complete", r["s2_added_edited"].stdout)
        self.assertEqual(r["s3_blocked"].returncode, 1)
        self.assertIn("+0 ~0 -0  answers 8  blocked", r["s3_blocked"].stdout)
        self.assertIn("blocked (HTTP 403, page 1, code 40362", r["s3_blocked"].stderr)
        self.assertIn("+0 ~1 -1  answers 7  complete", r["s4_edited_deleted"].stdout)
        self.assertEqual(r["s5_login_wall"].returncode, 1)
        self.assertIn("+0 ~0 -0  answers 7  auth_required", r["s5_login_wall"].stdout)
        self.assertIn("+0 ~0 -0 restored 1 title changed  answers 8  complete",
                      r["s6_restored_title"].stdout)

    def test_failed_refreshes_record_only_their_fetch(self):
        self.assertEqual(self.count("fetches"), 6)
        self.assertEqual(self.snapshots["s3_blocked"], self.snapshots["s2_added_edited"])
        self.assertEqual(self.snapshots["s5_login_wall"], self.snapshots["s4_edited_deleted"])
        rows = sql(self.cli.db, "SELECT outcome, http_status, error_code, pages, answer_count "
                                "FROM fetches ORDER BY id")
        per_fetch = sql(self.cli.db, "SELECT fetch_id, count(*) FROM events GROUP BY fetch_id "
                                     "ORDER BY fetch_id")
        self.assertEqual([r[0] for r in rows], ["complete", "complete", "blocked", "complete",
                                                "auth_required", "complete"])
        self.assertEqual(rows[2][1:3], (403, "40362"))
        self.assertEqual(rows[4][4], 3)  # page 1 of the login-walled listing
        fetch_ids = [f for f, _ in per_fetch]
        self.assertEqual(len(fetch_ids), 4)  # events only from the four complete fetches

    def test_history_text_and_json(self):
        events = self.history_json()
        kinds = [(e["kind"], e["answer"], e["revision"]) for e in events]
        ids = [str(x["id"]) for x in self.original]
        expected = [("thread_added", None, None)] + [("answer_added", i, 1) for i in ids] + [
            ("answer_edited", self.A, 2), ("answer_added", NEW_ID, 1),
            ("answer_edited", self.A, 3), ("answer_deleted", self.D, None),
            ("title_changed", None, None), ("answer_restored", self.D, 1)]
        self.assertEqual(kinds, expected)
        for e in events:
            self.assertEqual(e["question"], QID)
            self.assertEqual(set(e), {"time", "kind", "question", "answer", "revision", "details",
                                      "author", "updated_time", "added", "removed"})
            self.assertEqual(e["author"] is None, e["answer"] is None, e)
            datetime.datetime.fromisoformat(e["time"])
        self.assertEqual(events[-2]["details"], "怎么弥补自己的过错？（\"新\"标题）")
        self.assertEqual(events[-3]["details"], "probe: gone")
        times = sorted({e["time"] for e in events})
        self.assertEqual(len(times), 4)
        text = self.cli.run("history", QID, check=0).stdout.splitlines()
        self.assertEqual(len(text), len(events))
        author_d = [a for a in self.original if str(a["id"]) == self.D][0]["author"]["name"]
        # A restore of the stored r1: its author and source edit time, not r1's size.
        self.assertTrue(text[-1].startswith(events[-1]["time"] + "  answer_restored  answer " +
                                            self.D + " r1  by " + author_d +
                                            "  edited at the source "), text[-1])
        self.assertEqual((events[-1]["added"], events[-1]["removed"]), (None, None))
        self.assertEqual(text[-3], events[-3]["time"] + "  answer_deleted  answer " + self.D +
                         "  by " + author_d + "  probe: gone")
        only_a = self.history_json("--answer", self.A)
        self.assertEqual([(e["kind"], e["revision"]) for e in only_a],
                         [("answer_added", 1), ("answer_edited", 2), ("answer_edited", 3)])
        since = self.history_json("--since", self.times["s3_blocked"])
        self.assertEqual([e["kind"] for e in since], ["answer_edited", "answer_deleted",
                                                      "title_changed", "answer_restored"])

    def test_diff_applies_with_patch(self):
        r1 = self.convert(self.original[0]["content"])
        r3 = self.convert(self.dumps["s4_edited_deleted"][1][0]["content"])
        d = self.cli.run("diff", self.A, "--from", "1", "--to", "3", check=0).stdout
        # Lines naming the author and the sizes come first; patch skips them.
        self.assertTrue(d.startswith("answer " + self.A + " by "), d)
        self.assertTrue(d[d.index("--- "):].startswith(
            "--- " + self.A + "@r1\n+++ " + self.A + "@r3\n"), d)
        self.assertIn("+补充一：第一次修改。", d)
        self.assertIn("+补充二：第二次修改。", d)
        r2 = self.convert(self.dumps["s2_added_edited"][1][0]["content"])
        latest = self.cli.run("diff", self.A, check=0).stdout  # default: r2 → r3
        self.assertTrue(latest[latest.index("--- "):].startswith(
            "--- " + self.A + "@r2\n+++ " + self.A + "@r3\n"), latest)
        created = self.cli.run("diff", NEW_ID, check=0).stdout  # r0 (nothing) → r1
        for before, patch_text, after in ((r1, d, r3), (r2, latest, r3), ("", created,
                                          self.convert(self.dumps["s2_added_edited"][1][2]["content"]))):
            target = os.path.join(self.tmp, "r.md")
            with open(target, "w") as f:
                f.write(before)
            subprocess.run(["patch", "-s", target], input=patch_text, text=True, check=True)
            self.assertEqual(read(target), after)

    def test_show_at_reproduces_each_export_byte_for_byte(self):
        events = self.history_json()
        t1, t2, t4, t6 = sorted({e["time"] for e in events})
        points = [(t1, "s1_initial"), (self.times["s1_initial"], "s1_initial"),
                  (t2, "s2_added_edited"), (self.times["s3_blocked"], "s2_added_edited"),
                  (t4, "s4_edited_deleted"), (self.times["s5_login_wall"], "s4_edited_deleted"),
                  (t6, "s6_restored_title"), (None, "s6_restored_title")]
        for at, step in points:
            with self.subTest(at=at, step=step):
                args = ["show", QID] + (["--at", at] if at else [])
                shown = subprocess.run([ARGS.archivist, "--db", self.cli.db, *args],
                                       capture_output=True, check=True).stdout
                self.assertEqual(shown, self.snapshots[step])
        # Before the first refresh there was no document.
        before = self.cli.run("show", QID, "--at", "2000-01-01")
        self.assertEqual(before.returncode, 1)
        self.assertIn(QID, before.stderr)
        # Independently built from the dumps: the first document is the fixture's own
        # expected document with our times; the later ones are docs/format.md §1 around
        # `archivist convert` of each answer, in listing order, deleted answers left out.
        first = self.fixture_doc.replace("2026-01-17T08:00:00.000000+00:00", t1)
        self.assertEqual(self.snapshots["s1_initial"].decode(), first)
        for step, lastmod in (("s2_added_edited", t2), ("s4_edited_deleted", t4),
                              ("s6_restored_title", t6)):
            with self.subTest(step=step):
                doc = self.snapshots[step]
                self.assertEqual(doc.decode(), self.expected_doc(step, t1, lastmod, self.tags_of(doc)))
                self.assertEqual(len(self.tags_of(doc)), 5)

    def test_export_at_times(self):
        out = os.path.join(self.tmp, "exported")
        t4 = self.history_json("--since", self.times["s3_blocked"])[0]["time"]
        p = self.cli.run("export", out, "--at", t4, check=0)
        self.assertIn("exported 1 threads", p.stdout)
        self.assertEqual(read(os.path.join(out, QID + ".md"), "rb"), self.snapshots["s4_edited_deleted"])
        self.cli.run("export", out, check=0)
        self.assertEqual(read(os.path.join(out, QID + ".md"), "rb"), self.snapshots["s6_restored_title"])
        self.assertEqual(sorted(os.listdir(out)), [QID + ".md", "feeds"])  # feeds: docs/viewer.md
        self.assertEqual(sorted(os.listdir(os.path.join(out, "feeds"))), [QID + ".atom", "all.atom"])
        p = self.cli.run("export", os.path.join(self.tmp, "early"), "--at", "2000-01-01", check=0)
        self.assertIn("exported 0 threads", p.stdout)

    def test_list(self):
        rows = [json.loads(l) for l in self.cli.run("list", "--json", check=0).stdout.splitlines()]
        self.assertEqual(len(rows), 1)
        self.assertEqual(rows[0]["question"], QID)
        self.assertEqual(rows[0]["answers"], 8)
        self.assertEqual(rows[0]["tracking"], "active")
        self.assertEqual(rows[0]["last_outcome"], "complete")


class ErrorTest(unittest.TestCase):
    """Bad input and bad stores: a clear message naming the input, the right exit status,
    and the store byte for byte as it was."""

    @classmethod
    def setUpClass(cls):
        if ARGS.backend != "sqlite":
            raise unittest.SkipTest("the errors of SQLite files")
        cls.tmp = tempfile.mkdtemp(prefix="archive_cli_err.")
        cls.mock = MockServer(ARGS.mock, [os.path.join(ARGS.data, "zhihu/questions")], log=False)
        cls.db = os.path.join(cls.tmp, "archive.db")
        cls.cli = Archivist(cls.db, cls.mock.base)
        cls.cli.run("refresh", QID, "--delay", "0", check=0)
        sql(cls.db, "PRAGMA wal_checkpoint(TRUNCATE)")

    @classmethod
    def tearDownClass(cls):
        cls.mock.stop()
        shutil.rmtree(cls.tmp)

    def assert_error(self, args, rc, *needles, db=None):
        db = db or self.db
        before = read(db, "rb") if os.path.exists(db) else None
        p = Archivist(db, self.mock.base).run(*args)
        self.assertEqual(p.returncode, rc, p.stderr)
        self.assertEqual(p.stdout, "")
        for n in needles:
            self.assertIn(n, p.stderr)
        self.assertTrue(p.stderr.startswith("archivist "), p.stderr)
        if before is not None:
            self.assertEqual(read(db, "rb"), before)
        return p

    def test_unknown_question_answer_revision(self):
        for verb in (["show", "123"], ["history", "123"], ["remove", "123"]):
            self.assert_error(verb, 2, "question 123 is not in the archive")
        self.assert_error(["show", "not-a-question"], 2, "not-a-question")
        self.assert_error(["diff", "42"], 2, "answer 42 is not in the archive")
        self.assert_error(["diff", "x42"], 2, "'x42' is not a Zhihu answer URL or id")
        self.assert_error(["diff", "1984629036882875779", "--to", "7"], 2, "--to 7",
                          "revisions 1..1")
        self.assert_error(["history", QID, "--answer", "42"], 2,
                          "answer 42 is not an answer of question " + QID)

    def test_malformed_time(self):
        for verb in (["show", QID, "--at", "last tuesday"], ["export", self.tmp + "/x", "--at", "last tuesday"],
                     ["history", QID, "--since", "last tuesday"]):
            self.assert_error(verb, 2, 'bad time "last tuesday": expected ISO 8601')

    def test_not_an_archivist_database(self):
        junk = os.path.join(self.tmp, "junk.db")
        with open(junk, "wb") as f:
            f.write(b"this is not sqlite at all" * 100)
        for verb in (["show", QID], ["add", QID], ["list"]):
            self.assert_error(verb, 1, "not an archivist database", db=junk)
        foreign = os.path.join(self.tmp, "foreign.db")
        sql(foreign, "CREATE TABLE t(x)")
        self.assert_error(["add", QID], 1, "not an archivist database", db=foreign)

    def test_newer_schema(self):
        newer = os.path.join(self.tmp, "newer.db")
        shutil.copy(self.db, newer)
        sql(newer, "PRAGMA user_version = 99")
        for verb in (["show", QID], ["refresh", QID, "--delay", "0"], ["history", QID]):
            self.assert_error(verb, 1, "newer", db=newer)

    def test_missing_archive_for_queries(self):
        missing = os.path.join(self.tmp, "none", "archive.db")
        self.assert_error(["show", QID], 1, "no archive at " + missing, db=missing)
        self.assertFalse(os.path.exists(missing))

    def test_read_only_archive(self):
        ro_dir = os.path.join(self.tmp, "ro")
        os.makedirs(ro_dir)
        ro = os.path.join(ro_dir, "archive.db")
        shutil.copy(self.db, ro)
        os.chmod(ro, 0o444)
        kw = {}
        if os.geteuid() == 0:  # root writes anywhere: run the verbs as nobody
            os.chmod(self.tmp, 0o755)
            os.chmod(ro_dir, 0o777)  # readers of a WAL archive need its -shm file
            kw["user"] = 65534
        before = read(ro, "rb")
        for verb in (["add", "1"], ["refresh", QID, "--delay", "0"], ["remove", QID]):
            p = Archivist(ro, self.mock.base).run(*verb, **kw)
            self.assertEqual(p.returncode, 1, p.stderr)
            self.assertIn("read-only", p.stderr)
        self.assertEqual(read(ro, "rb"), before)
        shown = Archivist(ro, self.mock.base).run("history", QID, **kw)
        self.assertEqual(shown.returncode, 0, shown.stderr)

    def test_full_disk(self):
        full = os.path.join(self.tmp, "full.db")
        shutil.copy(self.db, full)
        Archivist(full, self.mock.base).run("add", "24657141", check=0)
        sql(full, "PRAGMA wal_checkpoint(TRUNCATE)")
        c = sqlite3.connect(full)
        dump_before = list(c.iterdump())
        c.close()
        size = os.path.getsize(full)

        def limit():  # the file may not grow past its size: writes fail as on a full disk
            signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
            resource.setrlimit(resource.RLIMIT_FSIZE, (size, size))

        p = Archivist(full, self.mock.base).run("refresh", "24657141", "--delay", "0",
                                                 preexec_fn=limit)
        self.assertEqual(p.returncode, 1, p.stderr)
        self.assertIn("archivist refresh:", p.stderr)
        # ENOSPC reads "the disk is full"; the file-size limit used here surfaces as EFBIG.
        self.assertTrue("disk is full" in p.stderr or "I/O error" in p.stderr, p.stderr)
        self.assertIn(full, p.stderr)
        c = sqlite3.connect(full)
        self.assertEqual(c.execute("PRAGMA integrity_check").fetchone()[0], "ok")
        self.assertEqual(list(c.iterdump()), dump_before)
        c.close()

    def test_bad_usage(self):
        self.assert_error(["refresh", "nope", "--delay", "0"], 2, "nope")
        self.assert_error(["add", QID, "nope"], 2, "nope")
        p = self.cli.run("history")
        self.assertEqual(p.returncode, 2)


if __name__ == "__main__":
    main(globals(), "archivist", "mock", "data", private_cache=True, backend="sqlite")
