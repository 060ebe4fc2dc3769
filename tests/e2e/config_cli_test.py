#!/usr/bin/env python3
"""One-shot verbs read the configuration file (docs/operations.md "Configure").

`refresh` with no question refreshes the [[thread]]s of the file, into the file's
store.path, exporting into export.dir, against zhihu.base_url; `list` and `show` find that
archive through the same file; command-line options win over it; a broken file is exit 2
for every archive verb, with file:line, and touches nothing.

usage: config_cli_test.py --archivist PATH --mock PATH --data tests/data
"""
import json
import os
import re
import shutil
import subprocess
import tempfile
import unittest

from harness import MockServer, http, main

ARGS = None
QID = "1968000000000000001"


class ConfigCliTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()
        root = os.path.join(cls.tmp.name, "dumps")
        shutil.copytree(os.path.join(ARGS.data, "seed", "questions"), root)
        cls.mock = MockServer(ARGS.mock, [root], log=False)
        cls.base = cls.mock.base

    @classmethod
    def tearDownClass(cls):
        cls.mock.stop()
        cls.tmp.cleanup()

    def run_a(self, *args, home=None):
        env = dict(os.environ)
        env["HOME"] = home or self.tmp.name
        env.pop("XDG_CONFIG_HOME", None)
        env.pop("XDG_DATA_HOME", None)
        return subprocess.run([ARGS.archivist, *args], capture_output=True, text=True, env=env)

    def write_config(self, name, text):
        path = os.path.join(self.tmp.name, name)
        with open(path, "w") as f:
            f.write(text)
        return path

    def test_refresh_list_show_from_the_file(self):
        work = tempfile.mkdtemp(dir=self.tmp.name)
        db = os.path.join(work, "archive.db")
        export = os.path.join(work, "export")
        cfg = self.write_config("good.toml", f"""
[store]
path = "{db}"
[export]
dir = "{export}"
[fetch]
per_host_delay = "0s"
[zhihu]
base_url = "{self.base}"
[[thread]]
url = "https://www.zhihu.com/question/{QID}"
""")
        r = self.run_a("--config", cfg, "refresh")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn(QID, r.stdout)
        self.assertIn("+185", r.stdout)
        self.assertTrue(os.path.exists(db))
        self.assertTrue(os.path.exists(os.path.join(export, QID + ".md")))
        listed = self.run_a("--config", cfg, "list")
        self.assertEqual(listed.returncode, 0, listed.stderr)
        self.assertIn("185 answers", listed.stdout)
        shown = self.run_a("--config", cfg, "show", QID)
        self.assertEqual(shown.returncode, 0, shown.stderr)
        with open(os.path.join(export, QID + ".md")) as f:
            self.assertEqual(shown.stdout, f.read())
        # --db wins over store.path.
        other = os.path.join(work, "other.db")
        r = self.run_a("--config", cfg, "--db", other, "refresh", QID, "--export-dir",
                       os.path.join(work, "export2"))
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertTrue(os.path.exists(other))
        self.assertTrue(os.path.exists(os.path.join(work, "export2", QID + ".md")))

    def test_fetch_uses_the_configured_base_url(self):
        cfg = self.write_config("fetch.toml", f'[zhihu]\nbase_url = "{self.base}"\n'
                                               '[fetch]\nper_host_delay = "0s"\n')
        r = self.run_a("--config", cfg, "fetch", QID, "--json")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn('"outcome":"complete"', r.stdout.replace(" ", ""))

    def test_broken_config_is_exit_2_and_touches_nothing(self):
        work = tempfile.mkdtemp(dir=self.tmp.name)
        db = os.path.join(work, "archive.db")
        cfg = self.write_config("bad.toml", f"""
[store]
path = "{db}"
[fetch]
timeout = "soon"
""")
        for verb in (["refresh"], ["add", QID], ["fetch", QID]):
            r = self.run_a("--config", cfg, *verb)
            self.assertEqual(r.returncode, 2, (verb, r.stderr))
            self.assertIn("bad.toml:5:", r.stderr)
        self.assertFalse(os.path.exists(db))

    def test_read_only_verbs_need_only_store_path(self):
        work = tempfile.mkdtemp(dir=self.tmp.name)
        db = os.path.join(work, "archive.db")
        r = self.run_a("--db", db, "--zhihu-base-url", self.base, "refresh", QID, "--delay", "0")
        self.assertEqual(r.returncode, 0, r.stderr)
        answer = json.loads(self.run_a("--db", db, "history", QID, "--json").stdout
                            .splitlines()[-1]).get("answer")
        cfg = self.write_config("unrelated.toml", f"""
[store]
path = "{db}"
[fetch]
timeout = "soon"
[daemon]
status_listen = "127.0.0.1:1"
""")
        verbs = [["list"], ["history", QID], ["show", QID], ["export", os.path.join(work, "x")],
                 ["backup", os.path.join(work, "b.db")]]
        if answer:
            verbs.append(["diff", str(answer)])
        for verb in verbs:
            r = self.run_a("--config", cfg, *verb)
            self.assertEqual(r.returncode, 0, (verb, r.stderr))
            self.assertIn("warning: " + cfg + ":5:", r.stderr, verb)
            self.assertEqual(r.stderr.count("warning"), 1, (verb, r.stderr))
        # status needs daemon.status_listen only: no daemon there is exit 1, not a usage error.
        r = self.run_a("--config", cfg, "status")
        self.assertEqual(r.returncode, 1, r.stderr)
        self.assertIn("warning: " + cfg + ":5:", r.stderr)
        # A problem with store.path itself still stops them.
        bad = self.write_config("bad-store.toml", '[store]\npath = 5\n[fetch]\ntimeout = "soon"\n')
        r = self.run_a("--config", bad, "list")
        self.assertEqual(r.returncode, 2, r.stderr)
        self.assertIn("bad-store.toml:2:", r.stderr)

    def test_list_never_shows_a_change_after_the_last_fetch(self):
        work = tempfile.mkdtemp(dir=self.tmp.name)
        db = os.path.join(work, "archive.db")
        # Each page 400 ms late: the fetch takes seconds, its events are stamped at its end.
        http("PUT", self.base + "/_mock/faults", b"route=any action=delay ms=400\n")
        try:
            r = self.run_a("--db", db, "--zhihu-base-url", self.base, "refresh", QID,
                           "--delay", "0")
        finally:
            http("DELETE", self.base + "/_mock/faults")
        self.assertEqual(r.returncode, 0, r.stderr)
        listed = self.run_a("--db", db, "list", "--json")
        self.assertEqual(listed.returncode, 0, listed.stderr)
        row = json.loads(listed.stdout.splitlines()[0])
        self.assertIsNotNone(row["last_change"])
        self.assertLessEqual(row["last_change"], row["last_fetch"], row)

    def test_defaults_follow_the_given_values(self):
        cfg = self.write_config("min-only.toml", '[schedule]\nmin_interval = "8d"\n')
        r = self.run_a("--config", cfg, "check-config")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn('max_interval = "8d"', r.stdout)
        self.assertIn('initial_interval = "8d"', r.stdout)

    def test_one_bad_value_is_one_error(self):
        cfg = self.write_config("one-bad.toml", '[schedule]\nmin_interval = "9000d"\n'
                                'max_interval = "1h"\ninitial_interval = "2h"\n'
                                '[fetch]\nconcurrency = "2"\nper_host_concurrency = 3\n')
        r = self.run_a("--config", cfg, "check-config")
        self.assertEqual(r.returncode, 2, r.stderr)
        errors = [l for l in r.stderr.splitlines() if re.search(r"one-bad\.toml:\d+:", l)]
        self.assertEqual(len(errors), 2, r.stderr)
        self.assertIn("one-bad.toml:2:", errors[0])
        self.assertIn("min_interval", errors[0])
        self.assertIn("one-bad.toml:6:", errors[1])
        self.assertIn("concurrency", errors[1])

    def test_default_config_location(self):
        home = tempfile.mkdtemp(dir=self.tmp.name)
        os.makedirs(os.path.join(home, ".config", "archivist"))
        db = os.path.join(home, "from-default-config.db")
        with open(os.path.join(home, ".config", "archivist", "archivist.toml"), "w") as f:
            f.write(f'[store]\npath = "{db}"\n[zhihu]\nbase_url = "{self.base}"\n'
                    '[fetch]\nper_host_delay = "0s"\n')
        r = self.run_a("refresh", QID, home=home)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertTrue(os.path.exists(db))


if __name__ == "__main__":
    main(globals(), "archivist", "mock", "data")
