#!/usr/bin/env python3
"""The command line behaves like the tools people know, through the real binary.

- A mistyped verb is named with the closest verbs; `archivist help [verb]` works; errors of
  the argument parser read `archivist <verb>: …` (docs/cli.md), with exit status 2.
- Answer URLs are accepted wherever an answer id is (`diff`, `history --answer`), and give
  the same output as the id; a column article URL is refused as what it is.
- The default User-Agent names archivist and libcurl and nothing else, and a copy of the
  example configuration tracks no question.

usage: cli_usage_test.py --archivist PATH --mock PATH --data tests/data --source .
"""
import json
import os
import re
import shutil
import subprocess
import unittest

from harness import FixtureMock, main, scratch

ARGS = None
QID = "1982867494206211639"  # 7 short answers


def run(*args, env=None, **kw):
    return subprocess.run([ARGS.archivist, *args], capture_output=True, text=True, timeout=60,
                          env=env, **kw)


class MockFixture(unittest.TestCase):
    """One mock_zhihu (request log on) over a copy of one fixture question."""

    @classmethod
    def setUpClass(cls):
        cls.tmp = cls.enterClassContext(scratch("cli_usage_test."))
        cls.mock = cls.enterClassContext(FixtureMock(ARGS.mock, ARGS.data, cls.tmp, [QID]))
        cls.base = cls.mock.base
        cls.env = dict(os.environ, HOME=cls.tmp, XDG_CACHE_HOME=os.path.join(cls.tmp, "cache"))
        cls.env.pop("XDG_CONFIG_HOME", None)
        cls.env.pop("XDG_DATA_HOME", None)
        cls.db = os.path.join(cls.tmp, "archive.db")

    def a(self, *args):
        return run("--db", self.db, "--zhihu-base-url", self.base, *args, env=self.env)

    def requests(self, clear=False):
        if clear:
            self.mock.clear_requests()
            return None
        return self.mock.request_log()


class VerbTest(unittest.TestCase):
    def test_mistyped_verb_suggests_the_closest(self):
        for args, needle in ((["lsit"], 'archivist: unknown verb "lsit"; did you mean "list"?'),
                             (["--db", "x.db", "shwo", "1"],
                              'archivist: unknown verb "shwo"; did you mean "show"?'),
                             (["refesh"], 'did you mean "refresh"?'),
                             (["frobnicate"], 'archivist: unknown verb "frobnicate"')):
            p = run(*args)
            self.assertEqual(p.returncode, 2, (args, p.stderr))
            self.assertEqual(p.stdout, "")
            self.assertIn(needle, p.stderr)
            self.assertEqual(len(p.stderr.strip().splitlines()), 1, p.stderr)

    def test_help_and_help_verb(self):
        p = run("help")
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertIn("Usage: archivist", p.stdout)
        for verb in ("add", "list", "refresh", "history", "diff", "show", "daemon", "help"):
            self.assertRegex(p.stdout, r"\n  %s\b" % verb)
        p = run("help", "history")
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertIn("Usage: archivist history", p.stdout)
        self.assertIn("--since", p.stdout)
        self.assertEqual(p.stdout, run("history", "--help").stdout)
        p = run("help", "histroy")
        self.assertEqual(p.returncode, 2)
        self.assertIn('archivist help: unknown verb "histroy"; did you mean "history"?', p.stderr)

    def test_parse_errors_carry_the_verb(self):
        cases = ((["history"], "archivist history: question is required"),
                 (["history", "1", "--bogus"], "archivist history: "),
                 (["diff", "1", "--from", "-1"], "archivist diff: --from: '-1' is not a revision"),
                 (["show", "1", "--at"], "archivist show: "),
                 (["refresh", "--retries", "many"], "archivist refresh: "),
                 ([], "archivist: no verb given"))
        for args, prefix in cases:
            p = run(*args)
            self.assertEqual(p.returncode, 2, (args, p.stderr))
            self.assertTrue(p.stderr.startswith(prefix), (args, p.stderr))
            self.assertNotIn("Run with --help", p.stderr)

    def test_version(self):
        p = run("--version")
        self.assertEqual(p.returncode, 0)
        self.assertRegex(p.stdout, r"^archivist \d+\.\d+\.\d+\n$")


class AnswerUrlTest(MockFixture):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        p = run("--db", cls.db, "--zhihu-base-url", cls.base, "refresh", QID, "--delay", "0",
                env=cls.env)
        assert p.returncode == 0, p.stderr
        events = [json.loads(line) for line in run("--db", cls.db, "history", QID, "--json",
                                                   env=cls.env).stdout.splitlines()]
        cls.answer = next(e["answer"] for e in events if e["kind"] == "answer_added")

    def test_diff_accepts_answer_urls(self):
        by_id = self.a("diff", self.answer)
        self.assertEqual(by_id.returncode, 0, by_id.stderr)
        self.assertIn("+++ %s@r1" % self.answer, by_id.stdout)
        for url in ("https://www.zhihu.com/question/%s/answer/%s" % (QID, self.answer),
                    "http://zhihu.com/question/%s/answer/%s/?utm_psn=1" % (QID, self.answer),
                    "https://www.zhihu.com/answer/%s" % self.answer,
                    "zhihu.com/answer/%s#comments" % self.answer):
            p = self.a("diff", url)
            self.assertEqual((p.returncode, p.stdout, p.stderr), (0, by_id.stdout, ""), url)

    def test_history_answer_accepts_answer_urls(self):
        by_id = self.a("history", QID, "--answer", self.answer)
        self.assertEqual(by_id.returncode, 0, by_id.stderr)
        self.assertIn("answer_added  answer %s r1" % self.answer, by_id.stdout)
        url = "https://www.zhihu.com/question/%s/answer/%s" % (QID, self.answer)
        p = self.a("history", url, "--answer", url)
        self.assertEqual((p.returncode, p.stdout), (0, by_id.stdout), p.stderr)

    def test_mismatched_question_and_articles_are_refused(self):
        other = "https://www.zhihu.com/question/19550225/answer/%s" % self.answer
        p = self.a("diff", other)
        self.assertEqual(p.returncode, 2)
        # Answer lookups are scoped by the question the URL names.
        self.assertIn("archivist diff: answer %s is not an answer of question 19550225 in the "
                      "archive" % self.answer, p.stderr)
        p = self.a("history", QID, "--answer", other)
        self.assertEqual(p.returncode, 2)
        self.assertIn("names question 19550225, not " + QID, p.stderr)
        article = "https://zhuanlan.zhihu.com/p/123456789"
        for args in (["diff", article], ["history", QID, "--answer", article],
                     ["add", article], ["show", article]):
            p = self.a(*args)
            self.assertEqual(p.returncode, 2, (args, p.stderr))
            self.assertIn("'%s' is not a Zhihu" % article, p.stderr)
            self.assertIn("column article", p.stderr)
        p = self.a("diff", "https://www.zhihu.com/question/" + QID)
        self.assertEqual(p.returncode, 2)
        self.assertIn("question URL without an answer", p.stderr)


class DefaultsTest(MockFixture):
    def test_default_user_agent_is_archivist_and_libcurl(self):
        self.requests(clear=True)
        p = self.a("fetch", QID, "--json", "--delay", "0")
        self.assertEqual(p.returncode, 0, p.stderr)
        version = run("--version").stdout.split()[1]
        agents = {{k.lower(): v for k, v in r["headers"].items()}.get("user-agent")
                  for r in self.requests()}
        self.assertEqual(len(agents), 1, agents)
        agent = agents.pop()
        self.assertRegex(agent, r"^archivist/%s libcurl/\d+\.\d+\.\d+$" % re.escape(version))
        # A configured one is sent as it is.
        cfg = os.path.join(self.tmp, "ua.toml")
        with open(cfg, "w") as f:
            f.write('[fetch]\nuser_agent = "my-archive/1 (ops@example.org)"\n')
        self.requests(clear=True)
        p = self.a("--config", cfg, "fetch", QID, "--delay", "0")
        self.assertEqual(p.returncode, 0, p.stderr)
        agents = {{k.lower(): v for k, v in r["headers"].items()}.get("user-agent")
                  for r in self.requests()}
        self.assertEqual(agents, {"my-archive/1 (ops@example.org)"})

    def test_the_example_configuration_tracks_nothing(self):
        cfg = os.path.join(self.tmp, "copied.toml")
        shutil.copy(os.path.join(ARGS.source, "config/archivist.example.toml"), cfg)
        checked = run("--config", cfg, "check-config", env=self.env)
        self.assertEqual(checked.returncode, 0, checked.stderr)
        self.assertNotIn("[[thread]]", checked.stdout)
        self.assertNotIn("(+http", checked.stdout)
        db = os.path.join(self.tmp, "example.db")
        self.requests(clear=True)
        p = run("--config", cfg, "--db", db, "--zhihu-base-url", self.base, "refresh",
                "--delay", "0", env=self.env)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertEqual(p.stdout, "")
        self.assertEqual(self.requests(), [])
        listed = run("--config", cfg, "--db", db, "list", env=self.env)
        self.assertEqual((listed.returncode, listed.stdout), (0, ""), listed.stderr)


if __name__ == "__main__":
    main(globals(), "archivist", "mock", "data", "source")
