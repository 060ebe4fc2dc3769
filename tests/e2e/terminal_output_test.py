#!/usr/bin/env python3
"""Output for people and for scripts (docs/cli.md "Terminals, colour and the pager", --json).

On a pseudo-terminal: `diff` colours its +/- lines and `history` its event kinds, not with
NO_COLOR set, never into a pipe; a text longer than the terminal goes through $PAGER, not with
--no-pager, not when it fits, never for --json. `refresh --quiet` prints only what changed or
failed and draws no progress bar; `refresh --json`, `show --json` and `diff --json` print
objects with the documented fields.

usage: terminal_output_test.py --archivist PATH --mock PATH --data tests/data
"""
import json
import os
import pty
import shutil
import subprocess
import tempfile
import unittest

from harness import MockServer, on_a_terminal, parse_args, run_unittest

ARGS = None
Q = "1968000000000000001"
MISSING = "1968000000000000999"
GREEN, RED = "\x1b[32m", "\x1b[31m"


class TerminalOutputTest(unittest.TestCase):
    longMessage = False  # a failure quotes a bounded piece of the output, not a whole document

    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()
        root = os.path.join(cls.tmp.name, "dumps")
        shutil.copytree(os.path.join(ARGS.data, "seed", "questions"), root)
        cls.mock = MockServer(ARGS.mock, [root], log=False)
        cls.db = os.path.join(cls.tmp.name, "a.db")
        cls.env = dict(os.environ, HOME=cls.tmp.name)
        for name in ("XDG_CONFIG_HOME", "NO_COLOR", "PAGER", "LESS"):
            cls.env.pop(name, None)
        r = cls.run_a("refresh", Q, "--delay", "0")
        assert r.returncode == 0, r.stderr
        history = cls.run_a("history", Q, "--json")
        cls.answer = [json.loads(l)["answer"] for l in history.stdout.splitlines()
                      if json.loads(l)["kind"] == "answer_added"][0]

    @classmethod
    def tearDownClass(cls):
        cls.mock.stop()
        cls.tmp.cleanup()

    @classmethod
    def run_a(cls, *args, env=None):
        return subprocess.run([ARGS.archivist, "--db", cls.db, "--zhihu-base-url",
                               cls.mock.base, *args], capture_output=True, text=True,
                              env=env or cls.env, timeout=120)

    def on_a_terminal(self, *args, rows=0, cols=80, env=None, stderr_too=False):
        """Runs with stdout (and stderr) on a pty of `rows` x `cols`; what the terminal got."""
        rc, text, err = on_a_terminal(
            [ARGS.archivist, "--db", self.db, "--zhihu-base-url", self.mock.base, *args],
            env or self.env, rows=rows, cols=cols, stderr_too=stderr_too)
        self.assertEqual(rc, 0, (args, err))
        return text

    def test_history_and_diff_in_colour_on_a_terminal_only(self):
        text = self.on_a_terminal("history", Q)
        self.assertIn(GREEN + "answer_added\x1b[m", text, repr(text[:300]))
        text = self.on_a_terminal("diff", self.answer)
        self.assertIn(GREEN + "+", text, repr(text[:300]))
        self.assertIn("\x1b[1m+++ ", text, repr(text[:300]))
        no_colour = dict(self.env, NO_COLOR="1")
        for verb in (["history", Q], ["diff", self.answer]):
            self.assertNotIn("\x1b[", self.on_a_terminal(*verb, env=no_colour), verb)
            piped = self.run_a(*verb)
            self.assertEqual(piped.returncode, 0, piped.stderr)
            self.assertNotIn("\x1b[", piped.stdout, verb)

    def test_a_long_text_goes_through_the_pager(self):
        paged = os.path.join(self.tmp.name, "paged.txt")
        env = dict(self.env, PAGER="cat > '%s'; echo PAGER-RAN" % paged)
        expected = self.run_a("show", Q).stdout
        text = self.on_a_terminal("show", Q, rows=10, env=env)
        self.assertIn("PAGER-RAN", text, repr(text[:300]))
        with open(paged, encoding="utf-8") as f:
            self.assertEqual(f.read(), expected)
        os.remove(paged)
        # The history, coloured, through the pager too.
        text = self.on_a_terminal("history", Q, rows=3, env=env)
        self.assertIn("PAGER-RAN", text, repr(text[:300]))
        with open(paged, encoding="utf-8") as f:
            self.assertIn(GREEN + "answer_added", f.read())
        os.remove(paged)
        # Not with --no-pager, not when it fits, never for --json, never into a pipe.
        for args, rows in ((["--no-pager", "show", Q], 10), (["history", Q], 1000),
                           (["history", Q, "--json"], 3), (["show", Q, "--json"], 1)):
            text = self.on_a_terminal(*args, rows=rows, env=env)
            self.assertNotIn("PAGER-RAN", text, args)
            self.assertFalse(os.path.exists(paged), args)
        self.assertEqual(self.run_a("show", Q, env=env).stdout, expected)
        self.assertFalse(os.path.exists(paged))

    def test_refresh_quiet_prints_only_changes_and_failures(self):
        r = self.run_a("refresh", Q, "--delay", "0", "--quiet")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(r.stdout, "")  # unchanged: no line
        self.assertEqual(r.stderr, "")
        r = self.run_a("refresh", Q, MISSING, "--delay", "0", "--quiet")
        self.assertEqual(r.returncode, 1, r.stderr)
        self.assertNotIn(Q, r.stdout)
        self.assertIn(MISSING, r.stdout)
        self.assertIn("not_found", r.stdout)
        # No progress bar, even on a terminal.
        master, slave = pty.openpty()
        p = subprocess.run([ARGS.archivist, "--db", self.db, "--zhihu-base-url", self.mock.base,
                            "refresh", Q, Q, "--delay", "0", "--quiet"],
                           stdout=subprocess.PIPE, stderr=slave, env=self.env, timeout=120)
        os.close(slave)
        os.set_blocking(master, False)
        try:
            err = os.read(master, 65536).decode()
        except (BlockingIOError, OSError):
            err = ""
        os.close(master)
        self.assertEqual(p.returncode, 0)
        self.assertNotIn("#", err)
        self.assertEqual(p.stdout, b"")

    def test_refresh_show_and_diff_json(self):
        r = self.run_a("refresh", Q, MISSING, "--delay", "0", "--json")
        self.assertEqual(r.returncode, 1, r.stderr)
        rows = [json.loads(l) for l in r.stdout.splitlines()]
        self.assertEqual([row["question"] for row in rows], [Q, MISSING])
        self.assertEqual(rows[0]["outcome"], "complete")
        self.assertEqual(rows[0]["changed"], False)
        self.assertEqual(rows[0]["answers"], 185)
        self.assertIsNone(rows[0]["fetch_error"])
        self.assertEqual(rows[1]["outcome"], "not_found")
        self.assertEqual(rows[1]["fetch_error"]["http_status"], 404)
        for key in ("title", "added", "edited", "deleted", "http_status", "committed", "error"):
            self.assertIn(key, rows[0])

        r = self.run_a("show", Q, "--json")
        self.assertEqual(r.returncode, 0, r.stderr)
        meta = json.loads(r.stdout)
        self.assertEqual(meta["question"], Q)
        self.assertTrue(meta["title"])
        self.assertEqual(len(meta["tags"]), 5)
        self.assertEqual(len(meta["answers"]), 185)
        first = meta["answers"][0]
        self.assertEqual(sorted(first), ["author", "created_time", "id", "observed_at",
                                         "revision", "updated_time"])
        self.assertEqual(first["revision"], 1)
        self.assertNotIn("\n#", r.stdout)  # metadata, not the Markdown

        r = self.run_a("diff", self.answer, "--json")
        self.assertEqual(r.returncode, 0, r.stderr)
        d = json.loads(r.stdout)
        self.assertEqual(d["answer"], self.answer)
        self.assertEqual(d["question"], Q)
        self.assertIsNone(d["from"])  # revision 0: the empty text
        self.assertEqual(d["to"]["revision"], 1)
        plain = self.run_a("diff", self.answer).stdout
        # The human output has the who-and-how-much lines before the diff itself.
        self.assertEqual(d["diff"], plain[plain.index("--- "):])
        self.assertEqual((d["added"] > 0, d["removed"]), (True, 0), d)


def main():
    global ARGS
    ARGS, rest = parse_args("archivist", "mock", "data")
    run_unittest(rest)


if __name__ == "__main__":
    main()
