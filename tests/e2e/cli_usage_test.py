#!/usr/bin/env python3
"""The command line behaves like the tools people know, through the real binary.

- The default User-Agent names archivist and libcurl and nothing else, and a copy of the
  example configuration tracks no question.

usage: cli_usage_test.py --archivist PATH --mock PATH --data tests/data --source .
"""
import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import unittest
import urllib.request

ARGS = None
QID = "1982867494206211639"  # 7 short answers


def run(*args, env=None, **kw):
    return subprocess.run([ARGS.archivist, *args], capture_output=True, text=True, timeout=60,
                          env=env, **kw)


class MockFixture(unittest.TestCase):
    """One mock_zhihu (request log on) over a copy of one fixture question."""

    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="cli_usage_test.")
        root = os.path.join(cls.tmp, "questions")
        shutil.copytree(os.path.join(ARGS.data, "zhihu/questions", QID), os.path.join(root, QID))
        cls.mock = subprocess.Popen([ARGS.mock, "--root", root, "--port", "0"],
                                    stdout=subprocess.PIPE, text=True)
        port = cls.mock.stdout.readline().strip()
        assert port.isdigit(), port
        cls.base = "http://127.0.0.1:" + port
        cls.env = dict(os.environ, HOME=cls.tmp, XDG_CACHE_HOME=os.path.join(cls.tmp, "cache"))
        cls.env.pop("XDG_CONFIG_HOME", None)
        cls.env.pop("XDG_DATA_HOME", None)
        cls.db = os.path.join(cls.tmp, "archive.db")

    @classmethod
    def tearDownClass(cls):
        cls.mock.terminate()
        cls.mock.wait()
        shutil.rmtree(cls.tmp)

    def a(self, *args):
        return run("--db", self.db, "--zhihu-base-url", self.base, *args, env=self.env)

    def requests(self, clear=False):
        req = urllib.request.Request(self.base + "/_mock/requests",
                                     method="DELETE" if clear else "GET")
        with urllib.request.urlopen(req) as r:
            return json.loads(r.read())


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


def main():
    global ARGS
    parser = argparse.ArgumentParser()
    parser.add_argument("--archivist", required=True)
    parser.add_argument("--mock", required=True)
    parser.add_argument("--data", required=True)
    parser.add_argument("--source", required=True)
    ARGS, rest = parser.parse_known_args()
    unittest.main(argv=[sys.argv[0]] + rest, verbosity=2)


if __name__ == "__main__":
    main()
