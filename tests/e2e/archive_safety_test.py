#!/usr/bin/env python3
"""End-to-end tests that the archive survives its own tools: the real archivist binary and
mock_zhihu on 127.0.0.1.

- OutputTargetTest: `backup`, `export` and `convert --out-dir` never replace the archive (under
  any name: itself, a hard or symbolic link, its -wal/-shm files), an input, or anything that
  is not a regular file; the archive stays the live file (a later commit is visible).

usage: archive_safety_test.py --archivist PATH --mock PATH --data tests/data
"""
import argparse
import json
import os
import shutil
import socket
import sqlite3
import stat
import subprocess
import sys
import tempfile
import time
import unittest
import urllib.request

ARGS = None
Q1, Q2, Q3 = "1982867494206211639", "664360260", "305246901"


def sql(db, *statements):
    c = sqlite3.connect(db, timeout=10)
    try:
        rows = [c.execute(st).fetchall() for st in statements]
        c.commit()
        return rows
    finally:
        c.close()


def read(path, mode="r"):
    with open(path, mode) as f:
        return f.read()


def write_json(path, obj):
    with open(path + ".new", "w", encoding="utf-8") as f:
        json.dump(obj, f, ensure_ascii=False)
    os.replace(path + ".new", path)


class MockServer:
    """mock_zhihu on copies of fixture questions (`root`), with its request log."""

    def __init__(self, tmp, questions):
        self.root = os.path.join(tmp, "root")
        for q in questions:
            shutil.copytree(os.path.join(ARGS.data, "zhihu", "questions", q),
                            os.path.join(self.root, q), ignore=shutil.ignore_patterns("expected"))
        self.proc = subprocess.Popen([ARGS.mock, "--root", self.root, "--port", "0"],
                                     stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        port = self.proc.stdout.readline().strip()
        assert port.isdigit(), "mock_zhihu printed %r" % port
        self.base = "http://127.0.0.1:" + port

    def answers_path(self, q):
        return os.path.join(self.root, q, "answers.json")

    def answers(self, q):
        return json.loads(read(self.answers_path(q)))

    def set_answers(self, q, answers):
        write_json(self.answers_path(q), answers)

    def control(self, method, path, body=None):
        req = urllib.request.Request(self.base + path, data=body, method=method)
        with urllib.request.urlopen(req, timeout=10) as r:
            return r.read().decode()

    def set_faults(self, text):
        self.control("PUT", "/_mock/faults", text.encode())

    def requests(self):
        return [r["target"] for r in json.loads(self.control("GET", "/_mock/requests"))]

    def stop(self):
        self.proc.kill()
        self.proc.wait()


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
        cls.tmp = tempfile.mkdtemp(prefix="archive_safety.")
        cls.mock = MockServer(cls.tmp, cls.QUESTIONS)
        cls.db = os.path.join(cls.tmp, "archive.db")
        cls.cli = Archivist(cls.db, cls.mock.base)
        cls.cli.refresh(*cls.QUESTIONS)

    @classmethod
    def tearDownClass(cls):
        cls.mock.stop()
        shutil.rmtree(cls.tmp)

    def answer_count(self, db=None):
        return sql(db or self.db, "SELECT count(*) FROM answers")[0][0][0]


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
                         [0][0][0], 1)
        self.assertEqual(self.answer_count(), before)
        self.assertEqual(sql(self.db, "PRAGMA integrity_check")[0][0][0], "ok")
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
        self.assertEqual(sql(db, "PRAGMA integrity_check")[0][0][0], "ok")

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


def main():
    global ARGS
    parser = argparse.ArgumentParser()
    parser.add_argument("--archivist", required=True)
    parser.add_argument("--mock", required=True)
    parser.add_argument("--data", required=True)
    ARGS, rest = parser.parse_known_args()
    cache = tempfile.mkdtemp(prefix="archive_safety_cache.")
    os.environ["XDG_CACHE_HOME"] = cache  # the keyword tagger's cache
    try:
        unittest.main(argv=[sys.argv[0]] + rest, verbosity=2)
    finally:
        shutil.rmtree(cache, ignore_errors=True)


if __name__ == "__main__":
    main()
