#!/usr/bin/env python3
"""End-to-end tests that the archive survives its own tools: the real archivist binary and
mock_zhihu on 127.0.0.1.

- OutputTargetTest: `backup`, `export` and `convert --out-dir` never replace the archive (under
  any name: itself, a hard or symbolic link, its -wal/-shm files), an input, or anything that
  is not a regular file; the archive stays the live file (a later commit is visible).
- DamageTest: pages in the middle of a real archive overwritten: add/remove/renormalize/
  refresh refuse it naming the file and what to do, backup fails and writes nothing, the
  daemon refuses to start (exit 3); damage appearing under a running daemon turns /healthz
  to 503 "archive damaged: …".
- ConcurrentRefreshTest: two `archivist refresh` processes on one thread, the first one's
  listing held back 5 s by the mock after it read the old content, the second recording an
  edit meanwhile: the first stores nothing (superseded, exit 1), history has one edit, show
  the new text, and the next refresh records no edit back.
- SharedAnswerIdTest: one answer id under two questions, edited under the second: history,
  diff (--question; ambiguous without it), show and export each use the named question's
  answer.
- ExportFailureTest: `export DIR` with one thread's file in the way (a directory) writes the
  other threads, reports that one, and exits 1.

usage: archive_safety_test.py --archivist PATH --mock PATH --data tests/data
"""
import json
import os
import random
import shutil
import signal
import socket
import sqlite3
import stat
import subprocess
import time
import unittest

from harness import (Daemon, FixtureMock, http, main, read, scratch, sql, wait_until)

ARGS = None
Q1, Q2, Q3 = "1982867494206211639", "664360260", "305246901"


class Archivist:
    def __init__(self, db, base):
        self.db, self.base = db, base

    def cmd(self, *args):
        return [ARGS.archivist, "--db", self.db, "--zhihu-base-url", self.base, *args]

    def run(self, *args, check=None, timeout=60, **kw):
        p = subprocess.run(self.cmd(*args), capture_output=True, text=True, timeout=timeout, **kw)
        if check is not None:
            assert p.returncode == check, "%s -> %d\nstdout: %s\nstderr: %s" % (
                args, p.returncode, p.stdout, p.stderr)
        return p

    def refresh(self, *questions, check=0):
        return self.run("refresh", *questions, "--delay", "0", "--retries", "0",
                        "--page-size", "3", check=check)


class Fixture(unittest.TestCase):
    """A temporary directory, a mock on three fixture questions, an archive of them."""

    QUESTIONS = (Q1, Q2, Q3)

    @classmethod
    def setUpClass(cls):
        cls.tmp = cls.enterClassContext(scratch("archive_safety."))
        cls.mock = cls.enterClassContext(
            FixtureMock(ARGS.mock, ARGS.data, cls.tmp, cls.QUESTIONS))
        cls.db = os.path.join(cls.tmp, "archive.db")
        cls.cli = Archivist(cls.db, cls.mock.base)
        cls.prepare()
        cls.cli.refresh(*cls.QUESTIONS)

    @classmethod
    def prepare(cls):
        """Edits the served dumps before the first refresh."""

    def answer_count(self, db=None):
        return sql(db or self.db, "SELECT count(*) FROM answers")[0][0]


class OutputTargetTest(Fixture):
    def test_backup_refuses_the_archive_under_any_name(self):
        os.link(self.db, os.path.join(self.tmp, "hard.db"))
        os.symlink(self.db, os.path.join(self.tmp, "soft.db"))
        os.mkdir(os.path.join(self.tmp, "adir"))
        # Special files of our own: a build without the check would replace them.
        fifo = os.path.join(self.tmp, "fifo")
        os.mkfifo(fifo)
        sock = socket.socket(socket.AF_UNIX)
        sock.bind(os.path.join(self.tmp, "sock"))
        specials = [(fifo, "a FIFO"), (os.path.join(self.tmp, "sock"), "a socket")]
        if os.geteuid() == 0:  # a null device node of our own
            os.mknod(os.path.join(self.tmp, "null"), 0o666 | stat.S_IFCHR, os.makedev(1, 3))
            specials.append((os.path.join(self.tmp, "null"), "a character device"))
        inode = os.stat(self.db).st_ino
        cases = [(self.db, "it is the archive"),
                 (os.path.join(self.tmp, "adir", "..", "archive.db"), "it is the archive"),
                 (os.path.join(self.tmp, "hard.db"), "it is the archive"),
                 (os.path.join(self.tmp, "soft.db"), "it is the archive"),
                 (self.db + "-wal", "write-ahead log"),
                 (self.db + "-shm", "shared-memory index"),
                 (os.path.join(self.tmp, "adir"), "a directory, not a regular file")]
        cases += [(path, kind + ", not a regular file") for path, kind in specials]
        for target, why in cases:
            with self.subTest(target=target):
                p = self.cli.run("backup", target)
                self.assertEqual(p.returncode, 2, p.stderr)
                self.assertIn("refusing to replace", p.stderr)
                self.assertIn(why, p.stderr)
                self.assertEqual(p.stdout, "")
        self.assertEqual(os.stat(self.db).st_ino, inode)
        self.assertTrue(os.path.islink(os.path.join(self.tmp, "soft.db")))
        for path, _ in specials:
            self.assertFalse(stat.S_ISREG(os.stat(path).st_mode), path)
        sock.close()
        # The file at the path is still the one writers use: a later commit reaches it.
        before = self.answer_count()
        self.cli.run("add", "24657141", check=0)
        self.assertEqual(sql(self.db, "SELECT count(*) FROM threads WHERE source_id = 24657141")
                         [0][0], 1)
        self.assertEqual(self.answer_count(), before)
        self.assertEqual(sql(self.db, "PRAGMA integrity_check")[0][0], "ok")
        # A real backup still works, and a link to another file is followed.
        other = os.path.join(self.tmp, "other.db")
        with open(other, "w") as f:
            f.write("old")
        os.symlink(other, os.path.join(self.tmp, "latest.db"))
        p = self.cli.run("backup", os.path.join(self.tmp, "latest.db"), check=0)
        self.assertIn("backed up", p.stdout)
        self.assertEqual(self.answer_count(other), before)
        self.assertTrue(os.path.islink(os.path.join(self.tmp, "latest.db")))

    def test_export_never_replaces_the_archive(self):
        # An archive named like an export file, in the export directory.
        d = os.path.join(self.tmp, "exp")
        os.mkdir(d)
        db = os.path.join(d, Q2 + ".md")
        shutil.copy(self.db, db)
        inode = os.stat(db).st_ino
        p = Archivist(db, self.mock.base).run("export", d)
        self.assertEqual(p.returncode, 1, p.stderr)
        self.assertIn("refusing to replace %s: it is the archive" % db, p.stderr)
        self.assertEqual(os.stat(db).st_ino, inode)
        self.assertEqual(sql(db, "PRAGMA integrity_check")[0][0], "ok")

    def test_convert_never_replaces_an_input_or_a_special_file(self):
        d = os.path.join(self.tmp, "conv")
        os.makedirs(os.path.join(d, "s1"))
        os.makedirs(os.path.join(d, "s2"))
        for name, text in (("a.html", "<p>x</p>"), ("a.md", "keep me"),
                           ("s1/x.html", "<b>1</b>"), ("s2/x.html", "<b>2</b>")):
            with open(os.path.join(d, name), "w") as f:
                f.write(text)
        os.mkfifo(os.path.join(d, "out.md"))
        with open(os.path.join(d, "out.html"), "w") as f:
            f.write("<i>o</i>")
        p = self.cli.run("convert", "a.html", "a.md", "s1/x.html", "s2/x.html", "out.html",
                         "--out-dir", ".", cwd=d)
        self.assertEqual(p.returncode, 1, p.stderr)
        self.assertIn("a.html: refusing to replace ./a.md: it is an input file", p.stderr)
        self.assertIn("s2/x.html: refusing to replace ./x.md: it is the output of s1/x.html",
                      p.stderr)
        self.assertIn("out.html: refusing to replace ./out.md: it is a FIFO", p.stderr)
        self.assertEqual(read(os.path.join(d, "a.md")), "keep me")
        self.assertEqual(read(os.path.join(d, "x.md")), "**1**")
        self.assertTrue(os.path.exists(os.path.join(d, "out.md")))
        self.assertFalse([n for n in os.listdir(d) if ".tmp" in n])


def damage_pages(path, first, count, seed=1):
    """Overwrites `count` 4 KiB pages from page index `first` with pseudo-random bytes."""
    rng = random.Random(seed)
    with open(path, "r+b") as f:
        f.seek(first * 4096)
        f.write(bytes(rng.getrandbits(8) for _ in range(count * 4096)))


def checkpoint(db):
    """Moves everything from the WAL into the file; retried while a reader holds it back."""
    for _ in range(200):
        c = sqlite3.connect(db, timeout=10)
        try:
            busy, _, _ = c.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
        finally:
            c.close()
        if busy == 0:
            return
        time.sleep(0.05)
    raise AssertionError("could not checkpoint " + db)


class DamageTest(Fixture):
    """Pages in the middle of a real archive overwritten: every writer refuses, naming the
    file and what to do; backup fails; the daemon refuses to start (exit 3), and damage
    that appears while it runs turns /healthz to 503 with the reason."""

    QUESTIONS = (Q1, Q2, Q3, "1902011696", "1516709032", "14245636151", "11781460794")

    def setUp(self):
        checkpoint(self.db)
        self.damaged = os.path.join(self.tmp, "damaged-%s.db" % self._testMethodName)
        shutil.copy(self.db, self.damaged)
        pages = os.path.getsize(self.damaged) // 4096
        self.assertGreater(pages, 40)
        damage_pages(self.damaged, pages // 2, 6)
        self.before = read(self.damaged, "rb")

    def assert_damage_reported(self, p, rc=1):
        self.assertEqual(p.returncode, rc, p.stdout + p.stderr)
        self.assertIn("the archive %s is damaged" % self.damaged, p.stderr)
        self.assertIn("restore the latest backup", p.stderr)
        self.assertIn("sqlite3 %s .recover" % self.damaged, p.stderr)
        self.assertEqual(read(self.damaged, "rb"), self.before)

    def config(self, db, name):
        path = os.path.join(self.tmp, name + ".toml")
        with open(path, "w") as f:
            f.write('[store]\npath = "%s"\n[fetch]\nper_host_delay = "0s"\n'
                    '[zhihu]\nbase_url = "%s"\npage_size = 3\n'
                    '[schedule]\nmin_interval = "1h"\ninitial_interval = "1h"\n'
                    'max_interval = "2h"\n[daemon]\nstatus_listen = "127.0.0.1:0"\n'
                    % (db, self.mock.base))
            for q in self.QUESTIONS:
                f.write('[[thread]]\nurl = "https://www.zhihu.com/question/%s"\n' % q)
        return path

    def test_writers_refuse_a_damaged_archive(self):
        cli = Archivist(self.damaged, self.mock.base)
        for args in (["add", "24657141"], ["remove", Q1], ["renormalize"],
                     ["refresh", Q1, "--delay", "0"]):
            with self.subTest(verb=args[0]):
                self.assert_damage_reported(cli.run(*args))

    def test_backup_of_a_damaged_archive_fails_and_writes_nothing(self):
        target = os.path.join(self.tmp, "backup.db")
        with open(target, "w") as f:
            f.write("an older backup")
        p = Archivist(self.damaged, self.mock.base).run("backup", target)
        self.assert_damage_reported(p)
        self.assertIn("nothing was written", p.stderr)
        self.assertEqual(read(target), "an older backup")
        self.assertFalse([n for n in os.listdir(self.tmp) if "archivist-tmp" in n])

    def test_the_daemon_refuses_to_start(self):
        cfg = self.config(self.damaged, "damaged")
        p = subprocess.run([ARGS.archivist, "--config", cfg, "daemon"], capture_output=True,
                           text=True, timeout=60, stdin=subprocess.DEVNULL)
        self.assert_damage_reported(p, rc=3)
        self.assertNotIn("ready", p.stderr)

    def test_damage_found_while_running_makes_healthz_say_so(self):
        live = os.path.join(self.tmp, "live.db")
        shutil.copy(self.db, live)
        log_path = os.path.join(self.tmp, "daemon.log")
        d = Daemon([ARGS.archivist, "--config", self.config(live, "live"), "daemon"], log_path,
                   dict(os.environ))
        proc = d.proc
        try:
            url = d.ready().status_url + "/healthz"
            self.assertTrue(url.startswith("http://127.0.0.1:"), url)
            # The configured threads have no schedule yet: all are refreshed once, then idle.
            wait_until(lambda: read(log_path).count("refresh zhihu:") == len(self.QUESTIONS),
                       "the first refreshes")
            self.assertEqual(http("GET", url), (200, "ok\n"))
            checkpoint(live)
            pages = os.path.getsize(live) // 4096
            damage_pages(live, 1, pages - 1)  # everything after the header page
            proc.send_signal(signal.SIGHUP)  # reload: the next reads meet the damage
            status, body = wait_until(lambda: (lambda r: r if r[0] == 503 else None)(
                http("GET", url)), "/healthz to report the damage", timeout=15)
            self.assertTrue(body.startswith("archive damaged: "), body)
            self.assertIn(live, body)
            self.assertIn("the archive is damaged", read(log_path))
            self.assertEqual(proc.poll(), None)  # still up, answering /healthz
        finally:
            proc.send_signal(signal.SIGTERM)
            proc.wait(timeout=30)
            d.stop()


class ConcurrentRefreshTest(Fixture):
    """Two `archivist refresh` processes on one thread; the first one's listing is slow."""

    QUESTIONS = (Q1,)

    def test_a_slow_refresh_overtaken_by_another_records_nothing(self):
        answers = self.mock.dump(Q1)
        edited = answers[0]
        fetches = sql(self.db, "SELECT count(*) FROM fetches")[0][0]
        self.mock.set_faults("route=feeds qid=%s page=1 action=delay ms=5000 times=1\n" % Q1)
        self.mock.clear_requests()
        slow = subprocess.Popen(self.cli.cmd("refresh", Q1, "--delay", "0", "--retries", "0",
                                             "--page-size", "3"),
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        try:
            # Page 1 is read (old content) and held back by the mock: now the answer changes
            # and a second refresh records the edit while the first one still waits.
            wait_until(lambda: any(Q1 in t and "feeds" in t for t in self.mock.requests()),
                       "the slow refresh to request its first listing page")
            answers[0] = dict(edited, content=edited["content"] + "<p>后来补充的一段。</p>",
                              updated_time=edited["updated_time"] + 100)
            self.mock.write_dump(Q1, answers)
            fast = self.cli.refresh(Q1)
            self.assertIn("+0 ~1 -0", fast.stdout)
            out, err = slow.communicate(timeout=60)
        finally:
            if slow.poll() is None:
                slow.kill()
        self.assertEqual(slow.returncode, 1, out + err)
        self.assertIn("+0 ~0 -0  answers 7  complete, superseded (not stored)", out)
        self.assertIn("not stored: another refresh of this thread committed", err)
        history = [json.loads(l) for l in
                   self.cli.run("history", Q1, "--json", check=0).stdout.splitlines()]
        edits = [e for e in history if e["kind"] == "answer_edited"]
        self.assertEqual([(e["answer"], e["revision"]) for e in edits], [(str(edited["id"]), 2)])
        self.assertEqual(sql(self.db, "SELECT count(*) FROM fetches")[0][0], fetches + 1)
        self.assertIn("后来补充的一段。", self.cli.run("show", Q1, check=0).stdout)
        # The next refresh finds nothing to record: no phantom edit back.
        self.assertIn("+0 ~0 -0  answers 7  complete\n", self.cli.refresh(Q1).stdout)


class SharedAnswerIdTest(Fixture):
    """One answer id under two questions (never expected from Zhihu, allowed by the archive):
    every lookup that names a question finds that question's answer."""

    QUESTIONS = (Q1, Q2)

    @classmethod
    def prepare(cls):
        a1, a2 = cls.mock.dump(Q1), cls.mock.dump(Q2)
        cls.X = str(a1[0]["id"])
        a2[0] = dict(a2[0], id=a1[0]["id"], content="<p>第二个问题下的回答。</p>")
        cls.mock.write_dump(Q2, a2)
        cls.cli.refresh(Q1, Q2)
        a2[0] = dict(a2[0], content="<p>第二个问题下的回答，改过了。</p>",
                     updated_time=a2[0]["updated_time"] + 100)
        cls.mock.write_dump(Q2, a2)

    def history(self, q, *extra):
        p = self.cli.run("history", q, "--json", "--answer", self.X, *extra, check=0)
        return [(e["question"], e["kind"], e["revision"]) for e in map(json.loads, p.stdout.splitlines())]

    def test_history_of_the_answer_under_each_question(self):
        self.assertEqual(self.history(Q2), [(Q2, "answer_added", 1), (Q2, "answer_edited", 2)])
        self.assertEqual(self.history(Q1), [(Q1, "answer_added", 1)])

    def test_diff_names_the_question(self):
        p = self.cli.run("diff", self.X)
        self.assertEqual(p.returncode, 2, p.stderr)
        self.assertIn("answer zhihu:%s is under more than one question (%s, %s)" % (
            self.X, Q2, Q1), p.stderr)
        self.assertIn("--question", p.stderr)
        d2 = self.cli.run("diff", self.X, "--question", Q2, check=0).stdout
        self.assertTrue(d2[d2.index("--- "):].startswith("--- %s@r1\n+++ %s@r2\n" % (self.X, self.X)),
                        d2)
        self.assertIn("-第二个问题下的回答。", d2)
        self.assertIn("+第二个问题下的回答，改过了。", d2)
        d1 = self.cli.run("diff", self.X, "--question", Q1, check=0).stdout
        self.assertTrue(d1[d1.index("--- "):].startswith("--- %s@r0\n+++ %s@r1\n" % (self.X, self.X)),
                        d1)
        self.assertNotIn("第二个问题", d1)
        p = self.cli.run("diff", self.X, "--question", Q3)
        self.assertEqual(p.returncode, 2, p.stderr)
        self.assertIn("answer %s is not an answer of question %s" % (self.X, Q3), p.stderr)

    def test_show_and_export_use_the_questions_own_revision(self):
        shown = self.cli.run("show", Q2, check=0).stdout
        self.assertIn("第二个问题下的回答，改过了。", shown)
        out = os.path.join(self.tmp, "out")
        self.cli.run("export", out, check=0)
        self.assertEqual(read(os.path.join(out, Q2 + ".md")), shown)
        self.assertNotIn("第二个问题", read(os.path.join(out, Q1 + ".md")))


class ExportFailureTest(Fixture):
    """One thread that cannot be written does not stop the export of the others."""

    def test_export_goes_on_past_a_thread_it_cannot_write(self):
        out = os.path.join(self.tmp, "out")
        os.makedirs(os.path.join(out, Q2 + ".md"))  # in the middle of the listing order
        p = self.cli.run("export", out)
        for q in (Q1, Q3):  # before and after the one in the way
            shown = self.cli.run("show", q, check=0).stdout
            self.assertTrue(os.path.exists(os.path.join(out, q + ".md")), q + " " + p.stderr)
            self.assertEqual(read(os.path.join(out, q + ".md")), shown)
        self.assertEqual(p.returncode, 1, p.stderr)
        self.assertIn("archivist export: %s: refusing to replace %s" % (
            Q2, os.path.join(out, Q2 + ".md")), p.stderr)
        self.assertIn("it is a directory", p.stderr)
        self.assertIn("exported 2 threads to %s (0 not archived at " % out, p.stdout)
        self.assertIn("; 1 failed)", p.stdout)
        self.assertTrue(os.path.isdir(os.path.join(out, Q2 + ".md")))


if __name__ == "__main__":
    main(globals(), "archivist", "mock", "data", private_cache=True)
