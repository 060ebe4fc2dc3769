#!/usr/bin/env python3
"""The PostgreSQL archive through the real archivist binary, beside the SQLite one.

ParityTest runs one scripted timeline (answers added, edited, deleted, restored, a title
change, a blocked refresh, over several refreshes of a mock_zhihu thread whose dump is edited
between them) into an SQLite file and a PostgreSQL database at once, and checks that every
verb says the same about both, times aside: history --json, show --at each event, export
trees (documents and feeds), list, changes, diff, renormalize, add/remove, serve. Then
copy-archive SQLite → PostgreSQL → SQLite and PostgreSQL → SQLite, whose copies must say
exactly what their source says, times included; a non-empty destination is refused and left
as it was; a copy killed midway leaves its destination empty. backup of a PostgreSQL archive
is refused, naming pg_dump and copy-archive.

PasswordTest: a URI carrying a password never shows it, on stdout or stderr, in any error
of the verbs (connect failure, another application's database, copy-archive's refusals).

usage: pg_cli_test.py --archivist PATH --mock PATH --data tests/data
"""
import json
import os
import re
import shutil
import signal
import subprocess
import tempfile
import time
import unittest
import urllib.request

from harness import (MockServer, PgServer, file_tree, main, on_a_terminal, read, sql,
                     write_question)

ARGS = None
QID = "1982867494206211639"  # 7 short answers
NEW_ID = "1990000000000000001"
# ISO 8601 times as the outputs print them (documents, JSON, feeds, text lines).
TIME_RE = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)")


# Times in microseconds since the epoch (Atom entry ids): 16 digits, unlike the 19-digit ids.
MICROS_RE = re.compile(r"(?<!\d)1\d{15}(?!\d)")


def untimed(text):
    return MICROS_RE.sub("<us>", TIME_RE.sub("<T>", text))


class Cli:
    def __init__(self, db, base):
        self.db, self.base = db, base

    def run(self, *args, check=None, binary=False):
        cmd = [ARGS.archivist, "--db", self.db, "--zhihu-base-url", self.base, *args]
        p = subprocess.run(cmd, capture_output=True, text=not binary, timeout=120)
        if check is not None:
            assert p.returncode == check, "%s -> %d\nstdout: %s\nstderr: %s" % (
                cmd, p.returncode, p.stdout, p.stderr)
        return p

    def out(self, *args):
        return self.run(*args, check=0).stdout

    def jsonl(self, *args):
        return [json.loads(line) for line in self.out(*args).splitlines()]

    def event_times(self):
        return sorted({e["time"] for e in self.jsonl("history", QID, "--json")})


def copy_archive(src, dst, check=0):
    p = subprocess.run([ARGS.archivist, "copy-archive", src, dst], capture_output=True,
                       text=True, timeout=120)
    assert check is None or p.returncode == check, (src, dst, p.returncode, p.stdout, p.stderr)
    return p


class ParityTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="pg_cli_test.")
        cls.root = os.path.join(cls.tmp, "questions")
        os.makedirs(os.path.join(cls.root, QID))
        src = os.path.join(ARGS.data, "zhihu/questions", QID)
        for name in ("question.json", "answers.json"):
            shutil.copy(os.path.join(src, name), os.path.join(cls.root, QID, name))
        cls.mock = MockServer(ARGS.mock, [cls.root], log=False)
        cls.pg = PgServer().__enter__()
        for name in ("timeline", "copy", "copy_back_src", "busy"):
            cls.pg.create_database(name)
        cls.lite = Cli(os.path.join(cls.tmp, "archive.db"), cls.mock.base)
        cls.post = Cli(cls.pg.uri("timeline"), cls.mock.base)
        cls.run_timeline()

    @classmethod
    def tearDownClass(cls):
        cls.mock.stop()
        cls.pg.__exit__(None, None, None)
        shutil.rmtree(cls.tmp)

    @classmethod
    def step(cls, answers, title=None, faults=""):
        write_question(cls.root, QID, answers, title)
        cls.mock.set_faults(faults)
        for cli in (cls.lite, cls.post):
            p = cli.run("refresh", QID, "--delay", "0", "--retries", "0", "--page-size", "3",
                        "--delete-confirmations", "1")
            cls.refresh_lines.setdefault(cli.db, []).append((p.returncode, untimed(p.stdout)))
        cls.mock.set_faults("")

    @classmethod
    def run_timeline(cls):
        cls.refresh_lines = {}
        a = json.loads(read(os.path.join(cls.root, QID, "answers.json")))
        cls.A, cls.D = str(a[0]["id"]), str(a[3]["id"])
        cls.step(a)
        new = dict(a[1], id=NEW_ID, content="<p>新来的回答，<b>加粗</b>。</p>",
                   updated_time=1767000000, created_time=1767000000)
        a.insert(2, new)
        a[0] = dict(a[0], content=a[0]["content"] + "<p>补充一。</p>",
                    updated_time=a[0]["updated_time"] + 100)
        cls.step(a)
        cls.step(a, faults="route=feeds action=status status=403 code=40362\n")
        a[0] = dict(a[0], content=a[0]["content"] + "<p>补充二。</p>",
                    updated_time=a[0]["updated_time"] + 100)
        removed = [x for x in a if str(x["id"]) == cls.D]
        a = [x for x in a if str(x["id"]) != cls.D]
        cls.step(a)
        a.insert(4, removed[0])
        cls.step(a, title="怎么弥补自己的过错？（新标题）")
        for cli in (cls.lite, cls.post):
            cli.run("add", "24657141", check=0)
            cli.run("remove", "24657141", check=0)

    # -- the same timeline on both backends ------------------------------------------------

    def test_refreshes_print_the_same(self):
        self.assertEqual(self.refresh_lines[self.lite.db], self.refresh_lines[self.post.db])
        self.assertEqual([rc for rc, _ in self.refresh_lines[self.lite.db]], [0, 0, 1, 0, 0])

    def test_history_is_the_same_times_aside(self):
        def strip(cli, *extra):
            events = cli.jsonl("history", QID, "--json", *extra)
            for e in events:
                e.pop("time")
            return events
        lite = strip(self.lite)
        self.assertEqual(len(lite), 14)
        self.assertEqual(lite, strip(self.post))
        self.assertEqual(strip(self.lite, "--answer", self.A), strip(self.post, "--answer", self.A))
        self.assertEqual(untimed(self.lite.out("history", QID)), untimed(self.post.out("history", QID)))

    def test_show_at_every_event_is_the_same_times_aside(self):
        lite_times, post_times = self.lite.event_times(), self.post.event_times()
        self.assertEqual(len(lite_times), 4)
        self.assertEqual(len(post_times), 4)
        for lt, pt in zip(lite_times, post_times):
            with self.subTest(at=lt):
                self.assertEqual(untimed(self.lite.out("show", QID, "--at", lt)),
                                 untimed(self.post.out("show", QID, "--at", pt)))

    def test_export_trees_are_the_same_times_aside(self):
        trees = []
        for cli in (self.lite, self.post):
            out = os.path.join(self.tmp, "export-" + str(len(trees)))
            self.assertRegex(cli.out("export", out), r"exported \d+ threads")
            trees.append({k: untimed(v.decode()) for k, v in file_tree(out).items()})
        self.assertEqual(sorted(trees[0]), [QID + ".md", "feeds/" + QID + ".atom", "feeds/all.atom"])
        self.assertEqual(trees[0], trees[1])

    def test_list_changes_diff_the_same_times_aside(self):
        for args in (["list", "--json"], ["list"], ["changes", "--since", "2000-01-01", "--json"],
                     ["diff", self.A, "--from", "1", "--to", "3"], ["diff", NEW_ID],
                     ["diff", self.A, "--words"]):
            with self.subTest(args=args):
                self.assertEqual(untimed(self.lite.out(*args)), untimed(self.post.out(*args)))

    def test_write_verbs_say_the_same(self):
        for args in (["add", "24657141", "1"], ["add", "1"], ["remove", "1"], ["renormalize"],
                     ["remove", "nope"], ["history", "999"], ["show", QID, "--at", "2000-01-01"]):
            with self.subTest(args=args):
                lp, pp = self.lite.run(*args), self.post.run(*args)
                self.assertEqual((lp.returncode, lp.stdout), (pp.returncode, pp.stdout))
                self.assertEqual(lp.stderr.replace(self.lite.db, "DB"),
                                 pp.stderr.replace(self.post.db, "DB"))
        self.lite.run("remove", "24657141", check=0)
        self.post.run("remove", "24657141", check=0)

    def test_serve_shows_the_same_pages(self):
        pages = []
        for cli in (self.lite, self.post):
            serve = subprocess.Popen([ARGS.archivist, "--db", cli.db, "serve", "--listen",
                                      "127.0.0.1:0"], stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE, text=True)
            try:
                m = re.search(r"http://127\.0\.0\.1:(\d+)/", serve.stdout.readline())
                self.assertTrue(m)
                got = []
                for path in ("/", "/question/" + QID, "/answer/" + self.A, "/changes",
                             "/answer/%s/diff?from=1&to=3" % self.A, "/feeds/all.atom"):
                    url = "http://127.0.0.1:%s%s" % (m.group(1), path)
                    with urllib.request.urlopen(url, timeout=20) as r:
                        page = untimed(r.read().decode())
                    got.append(page.replace("127.0.0.1:" + m.group(1), "127.0.0.1:PORT"))
                pages.append(got)
            finally:
                serve.send_signal(signal.SIGTERM)
                serve.communicate(timeout=10)
        self.assertEqual(pages[0], pages[1])

    def test_backup_of_postgres_is_refused_naming_the_ways(self):
        p = self.post.run("backup", os.path.join(self.tmp, "b.db"), check=2)
        self.assertIn("pg_dump", p.stderr)
        self.assertIn("copy-archive", p.stderr)
        self.assertFalse(os.path.exists(os.path.join(self.tmp, "b.db")))

    # -- copy-archive ------------------------------------------------------------------------

    def exact_views(self, cli):
        """What the verbs say about an archive, times included."""
        views = {"history": cli.out("history", QID, "--json"),
                 "list": cli.out("list", "--json"),
                 "changes": cli.out("changes", "--since", "2000-01-01", "--json"),
                 "fetches": [r for r in sql(cli.db, "SELECT started_at, outcome, http_status, "
                                            "error_code, pages, answer_count, duration_ms "
                                            "FROM fetches ORDER BY id")]}
        for t in cli.event_times():
            views["show " + t] = cli.run("show", QID, "--at", t, check=0, binary=True).stdout
        out = tempfile.mkdtemp(dir=self.tmp)
        cli.out("export", out)
        views["export"] = file_tree(out)
        return views

    def test_copy_sqlite_to_postgres_to_sqlite_is_exact(self):
        original = self.exact_views(self.lite)
        to_pg = self.pg.uri("copy")
        p = copy_archive(self.lite.db, to_pg)
        self.assertRegex(p.stdout, r"^copied .*archive\.db to postgresql://archivist@/copy\?host=.*: "
                                   r"2 threads, 5 fetches, 8 answers, 10 revisions, 14 events, 4 orders, "
                                   r"0 images, 0 image links, 0 image fetches\n$")
        self.assertEqual(p.stderr, "")  # no progress when stderr is not a terminal
        self.assertEqual(self.exact_views(Cli(to_pg, self.mock.base)), original)
        back = os.path.join(self.tmp, "back.db")  # a file that does not exist yet
        copy_archive(to_pg, back)
        self.assertEqual(self.exact_views(Cli(back, self.mock.base)), original)
        # The copy refreshes on from where the source was.
        self.assertIn("+0 ~0 -0", Cli(back, self.mock.base).out(
            "refresh", QID, "--delay", "0", "--retries", "0"))

    def test_copy_shows_progress_on_a_terminal_only(self):
        rc, screen, _ = on_a_terminal([ARGS.archivist, "copy-archive", self.lite.db,
                                       os.path.join(self.tmp, "tty.db")], dict(os.environ),
                                      stderr_too=True)
        self.assertEqual(rc, 0, screen)
        self.assertIn("copying threads 0/2", screen)
        self.assertIn("copying revisions 10/10", screen)
        self.assertIn("\r\x1b[Kcopied ", screen)  # the progress line is cleared first
        p = copy_archive(self.lite.db, os.path.join(self.tmp, "pipe.db"))
        self.assertEqual(p.stderr, "")
        self.assertTrue(p.stdout.startswith("copied "), p.stdout)

    def test_copy_postgres_to_sqlite_is_exact(self):
        original = self.exact_views(self.post)
        out = os.path.join(self.tmp, "from-pg.db")
        copy_archive(self.post.db, out)
        self.assertEqual(self.exact_views(Cli(out, self.mock.base)), original)

    def test_copy_refuses_a_destination_with_rows(self):
        busy = self.pg.uri("busy")
        Cli(busy, self.mock.base).out("add", "5")
        before = sql(busy, "SELECT source_id, added_at FROM threads")
        p = copy_archive(self.lite.db, busy, check=1)
        self.assertEqual(p.stdout, "")
        self.assertIn("archivist copy-archive: copying ", p.stderr)
        self.assertIn("postgresql database busy on ", p.stderr)
        self.assertIn("is not empty (it holds 1 threads", p.stderr)
        self.assertEqual(sql(busy, "SELECT source_id, added_at FROM threads"), before)
        p = copy_archive(self.lite.db, self.lite.db, check=2)
        self.assertIn("the same archive", p.stderr)
        p = copy_archive(os.path.join(self.tmp, "none.db"), os.path.join(self.tmp, "x.db"), check=1)
        self.assertIn("source " + os.path.join(self.tmp, "none.db") + ": no archive at", p.stderr)
        self.assertFalse(os.path.exists(os.path.join(self.tmp, "x.db")))

    def test_a_copy_killed_midway_leaves_the_destination_empty(self):
        # A source big enough that the copy takes a while: the timeline's revisions many times.
        big = os.path.join(self.tmp, "big.db")
        shutil.copy(self.lite.db, big)
        for suffix in ("-wal", "-shm"):
            if os.path.exists(self.lite.db + suffix):
                shutil.copy(self.lite.db + suffix, big + suffix)
        sql(big, "WITH RECURSIVE n(v) AS (SELECT 1 UNION ALL SELECT v + 1 FROM n WHERE v < 60000) "
                 "INSERT INTO fetches (thread_id, started_at, outcome, error_message) "
                 "SELECT 1, 1000 + v, 'transient', hex(randomblob(200)) FROM n")
        target = self.pg.uri("copy_back_src")
        proc = subprocess.Popen([ARGS.archivist, "copy-archive", big, target],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        # Kill it while it sends the fetches: the threads are in its open transaction by then.
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and proc.poll() is None:
            busy = self.pg.psql("copy_back_src", "SELECT count(*) FROM pg_stat_activity "
                                                 "WHERE query LIKE 'COPY fetches%'")
            if busy.strip() != "0":
                break
            time.sleep(0.01)
        self.assertIsNone(proc.poll(), "the copy ended before it could be killed")
        proc.kill()
        proc.communicate()
        time.sleep(0.5)  # the server notices the closed connection and rolls back
        for table in ("threads", "fetches", "answers", "revisions", "events", "orders",
                      "media", "media_refs", "media_fetches"):
            self.assertEqual(sql(target, "SELECT count(*) FROM " + table), [(0,)], table)
        copy_archive(big, target)  # and the empty destination takes the copy after all
        self.assertEqual(sql(target, "SELECT count(*) FROM fetches"),
                         sql(big, "SELECT count(*) FROM fetches"))
        # The same into an SQLite file: killed once its transaction spills pages into the WAL.
        lite = os.path.join(self.tmp, "killed.db")
        proc = subprocess.Popen([ARGS.archivist, "copy-archive", target, lite],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and proc.poll() is None:
            if os.path.exists(lite + "-wal") and os.path.getsize(lite + "-wal") > (4 << 20):
                break
            time.sleep(0.01)
        self.assertIsNone(proc.poll(), "the copy ended before it could be killed")
        proc.kill()
        proc.communicate()
        for table in ("threads", "fetches", "answers", "revisions", "events", "orders",
                      "media", "media_refs", "media_fetches"):
            self.assertEqual(sql(lite, "SELECT count(*) FROM " + table), [(0,)], table)
        copy_archive(target, lite)
        self.assertEqual(sql(lite, "SELECT count(*) FROM fetches"),
                         sql(big, "SELECT count(*) FROM fetches"))


class PasswordTest(unittest.TestCase):
    SECRET = "s3cr3tpw"

    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="pg_cli_pw.")
        cls.pg = PgServer().__enter__()
        cls.pg.create_database("foreign")
        cls.pg.psql("foreign", "CREATE TABLE t (x int)")
        cls.pg.create_database("full")
        cls.pg.create_database("empty")
        subprocess.run([ARGS.archivist, "--db", cls.pg.uri("full"), "add", "5"], check=True,
                       capture_output=True)
        cls.lite = os.path.join(cls.tmp, "a.db")
        subprocess.run([ARGS.archivist, "--db", cls.lite, "add", "5"], check=True,
                       capture_output=True)

    @classmethod
    def tearDownClass(cls):
        cls.pg.__exit__(None, None, None)
        shutil.rmtree(cls.tmp)

    def uri(self, database, how="user"):
        if how == "user":
            return "postgresql://archivist:%s@/%s?host=%s" % (self.SECRET, database, self.pg.dir)
        if how == "param":
            return "postgresql://archivist@/%s?host=%s&password=%s" % (database, self.pg.dir,
                                                                       self.SECRET)
        # A malformed escape after the password: libpq quotes the part it cannot decode.
        return "postgresql://archivist:%s%%zz@/%s?host=%s" % (self.SECRET, database, self.pg.dir)

    def check(self, argv, rc=None):
        p = subprocess.run([ARGS.archivist, *argv], capture_output=True, text=True, timeout=60)
        self.assertNotIn(self.SECRET, p.stdout + p.stderr, argv)
        if rc is not None:
            self.assertEqual(p.returncode, rc, (argv, p.stdout, p.stderr))
        return p

    def test_no_error_shows_the_password(self):
        for how in ("user", "param", "malformed"):
            with self.subTest(how=how):
                gone, foreign = self.uri("nosuchdb", how), self.uri("foreign", how)
                for verb in (["list"], ["history", "5"], ["add", "6"], ["show", "5"],
                             ["changes"], ["export", os.path.join(self.tmp, "e")],
                             ["backup", os.path.join(self.tmp, "b.db")], ["renormalize"]):
                    for db in (gone, foreign):
                        p = self.check(["--db", db] + verb)
                        self.assertNotEqual(p.returncode, 0, (verb, db))
                p = self.check(["--db", foreign, "list"], rc=1)
                if how != "malformed":
                    self.assertIn("not an archivist database", p.stderr)
                for argv in (["copy-archive", gone, self.lite], ["copy-archive", self.lite, gone],
                             ["copy-archive", foreign, self.lite],
                             ["copy-archive", self.lite, foreign],
                             ["copy-archive", self.lite, self.uri("full", how)],
                             ["copy-archive", self.uri("full", how), self.lite]):
                    p = self.check(argv)
                    self.assertNotEqual(p.returncode, 0, argv)

    def test_a_successful_copy_prints_the_uri_redacted(self):
        p = self.check(["copy-archive", self.lite, self.uri("empty")], rc=0)
        self.assertIn("to postgresql://archivist:***@/empty?host=", p.stdout)


if __name__ == "__main__":
    main(globals(), "archivist", "mock", "data", private_cache=True)
