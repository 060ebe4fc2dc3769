#!/usr/bin/env python3
"""A question that disappears and comes back, through the real binary and mock_zhihu.

The question's dump is moved out of the mock's root (the mock then answers 404, the outcome
`not_found`), refreshed, and put back. With `[schedule] gone_after = "0s"` the second
not_found records `thread_gone` and the refresh after the return records `thread_returned`,
so `history` ends with the return and `list` shows the thread active again. With the default
`gone_after` (1d) not_found outcomes seconds apart record nothing at all.

usage: thread_returned_cli_test.py --archivist PATH --mock PATH --data tests/data
"""
import json
import os
import subprocess
import unittest

from harness import FixtureMock, main, scratch

ARGS = None
QID = "1982867494206211639"


class ThreadReturnedTest(unittest.TestCase):
    def setUp(self):
        self.tmp = self.enterContext(scratch("thread_returned_cli_test."))
        self.away = os.path.join(self.tmp, "away")
        self.mock = self.enterContext(FixtureMock(ARGS.mock, ARGS.data, self.tmp, [QID], log=False))
        self.root = self.mock.root
        self.base = self.mock.base
        self.env = dict(os.environ, HOME=self.tmp, XDG_CACHE_HOME=os.path.join(self.tmp, "cache"))
        for k in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "TZ"):
            self.env.pop(k, None)

    def config(self, schedule):
        path = os.path.join(self.tmp, "archivist.toml")
        with open(path, "w") as f:
            f.write('[store]\npath = "%s/archive.db"\n[fetch]\nper_host_delay = "0s"\n'
                    '[zhihu]\nbase_url = "%s"\n[schedule]\n%s\n' % (self.tmp, self.base, schedule))
        return path

    def a(self, cfg, *args):
        return subprocess.run([ARGS.archivist, "--config", cfg, *args], capture_output=True,
                              text=True, timeout=60, env=self.env)

    def refresh(self, cfg, outcome):
        p = self.a(cfg, "refresh", QID, "--retries", "0")
        self.assertEqual(p.returncode, 0 if outcome == "complete" else 1, p.stderr)
        self.assertTrue(p.stdout.rstrip().endswith(outcome), p.stdout)
        return p.stdout

    def remove_question(self):
        os.rename(os.path.join(self.root, QID), self.away)

    def put_back(self):
        os.rename(self.away, os.path.join(self.root, QID))

    def history(self, cfg):
        p = self.a(cfg, "history", QID, "--json")
        self.assertEqual(p.returncode, 0, p.stderr)
        return [json.loads(line) for line in p.stdout.splitlines()]

    def listed(self, cfg):
        p = self.a(cfg, "list", "--json")
        self.assertEqual(p.returncode, 0, p.stderr)
        return json.loads(p.stdout)

    def test_gone_then_returned(self):
        cfg = self.config('gone_after = "0s"')
        self.refresh(cfg, "complete")
        self.remove_question()
        self.assertNotIn("thread gone", self.refresh(cfg, "not_found"))
        self.assertIn("thread gone", self.refresh(cfg, "not_found"))
        self.assertTrue(self.listed(cfg)["gone"])
        self.assertIn("(gone)", self.a(cfg, "list").stdout)
        self.put_back()
        out = self.refresh(cfg, "complete")
        self.assertIn("thread returned", out)
        events = self.history(cfg)
        self.assertEqual([e["kind"] for e in events[-2:]], ["thread_gone", "thread_returned"])
        gone, back = events[-2:]
        self.assertRegex(gone["details"], r"^2 consecutive not_found outcomes since \d{4}-")
        self.assertEqual(back["details"], "gone since " + gone["time"])
        self.assertEqual((back["answer"], back["revision"]), (None, None))
        listed = self.listed(cfg)
        self.assertFalse(listed["gone"])
        self.assertEqual(listed["tracking"], "active")
        self.assertNotIn("(gone)", self.a(cfg, "list").stdout)
        text = self.a(cfg, "history", QID).stdout.splitlines()
        self.assertIn("  thread_returned  gone since ", text[-1])
        # The return is a change of the document's history: show at that time works.
        p = self.a(cfg, "show", QID, "--at", back["time"])
        self.assertEqual(p.returncode, 0, p.stderr)
        # A later refresh records nothing more.
        self.refresh(cfg, "complete")
        self.assertEqual(len(self.history(cfg)), len(events))

    def test_not_found_seconds_apart_is_not_gone_by_default(self):
        cfg = self.config("")  # gone_after defaults to 1d
        self.refresh(cfg, "complete")
        kinds = [e["kind"] for e in self.history(cfg)]
        self.remove_question()
        for _ in range(3):
            self.assertNotIn("thread gone", self.refresh(cfg, "not_found"))
        self.assertFalse(self.listed(cfg)["gone"])
        self.put_back()
        self.assertNotIn("thread returned", self.refresh(cfg, "complete"))
        self.assertEqual([e["kind"] for e in self.history(cfg)], kinds)
        self.assertNotIn("gone_after", self.a(cfg, "check-config").stderr)
        self.assertIn('gone_after = "1d"', self.a(cfg, "check-config").stdout)


if __name__ == "__main__":
    main(globals(), "archivist", "mock", "data")
