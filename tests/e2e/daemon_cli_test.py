#!/usr/bin/env python3
"""End-to-end tests of `archivist check-config` and `archivist status` (the real binary).

check-config: every error of a broken file at once with file:line, exit 2; the effective
configuration of a good one, exit 0, cookie hidden; --config naming a missing file.
status: against a stand-in status listener on 127.0.0.1 (Python's http.server) serving the
daemon's /healthz and /metrics formats, healthy and unhealthy; and nothing listening.

usage: daemon_cli_test.py --archivist PATH
"""
import http.server
import os
import subprocess
import tempfile
import threading
import unittest

from harness import parse_args, run_unittest

ARGS = None


def run(*args, env=None):
    e = dict(os.environ)
    e.pop("XDG_CONFIG_HOME", None)
    e["HOME"] = tempfile.gettempdir()
    if env:
        e.update(env)
    return subprocess.run([ARGS.archivist, *args], capture_output=True, text=True, env=e)


class CheckConfigTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()

    def tearDown(self):
        self.tmp.cleanup()

    def write(self, text):
        path = os.path.join(self.tmp.name, "archivist.toml")
        with open(path, "w") as f:
            f.write(text)
        return path

    def test_every_error_at_once(self):
        path = self.write('[fetch]\ntimeout = "30"\nbogus = 1\n[schedule]\n'
                          'min_interval = "2d"\nmax_interval = "1d"\n'
                          '[[thread]]\nurl = "https://example.com/x"\n')
        r = run("--config", path, "check-config")
        self.assertEqual(r.returncode, 2, r.stderr)
        self.assertEqual(r.stdout, "")
        self.assertIn("5 error(s) in " + path, r.stderr)
        for where, what in [("2:11", "fetch.timeout: bad duration \"30\""),
                            ("3:1", "unknown key fetch.bogus"),
                            ("5:16", "schedule.initial_interval (30m) must lie within"),
                            ("6:16", "schedule.min_interval (2d) is above schedule.max_interval (1d)"),
                            ("8:7", "thread.url: ")]:
            self.assertIn("%s:%s: %s" % (path, where, what), r.stderr)

    def test_prints_the_effective_configuration(self):
        path = self.write('[zhihu]\ncookie = "z_c0=secret"\n[fetch]\nmax_body = "1MiB"\n'
                          '[[thread]]\nurl = "https://www.zhihu.com/question/19550225"\n')
        r = run("--config", path, "--db", "/tmp/x.db", "check-config")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("# effective configuration from " + path, r.stdout)
        self.assertIn('path = "/tmp/x.db"', r.stdout)  # --db applied
        self.assertIn('max_body = "1MiB"', r.stdout)
        self.assertIn('min_interval = "10m"', r.stdout)
        self.assertIn('url = "https://www.zhihu.com/question/19550225"', r.stdout)
        self.assertNotIn("secret", r.stdout)

    def test_defaults_without_a_file_and_a_missing_config(self):
        r = run("check-config", env={"XDG_CONFIG_HOME": self.tmp.name})
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("defaults: no config file", r.stdout)
        missing = os.path.join(self.tmp.name, "nope.toml")
        r = run("--config", missing, "check-config")
        self.assertEqual(r.returncode, 2)
        self.assertIn(missing + " (from --config) does not exist", r.stderr)


class FakeListener(http.server.BaseHTTPRequestHandler):
    healthy = True

    def do_GET(self):
        if self.path == "/healthz":
            code, body = (200, "ok\n") if FakeListener.healthy else (503, "store not writable: disk full\n")
        else:
            code, body = 200, ("archivist_up 1\narchivist_threads_tracked 12\narchivist_threads_due 3\n"
                               "archivist_threads_failing 1\narchivist_refreshes_in_flight 1\n"
                               'archivist_refreshes_total{outcome="complete"} 40\n'
                               'archivist_refreshes_total{outcome="rate_limited"} 2\n'
                               'archivist_events_total{kind="answer_added"} 7\n'
                               'archivist_events_total{kind="answer_deleted"} 0\n'
                               "archivist_fetch_duration_seconds_count 42\n"
                               "archivist_fetch_duration_seconds_sum 84.5\n"
                               "archivist_store_size_bytes 2097152\n"
                               "archivist_threads_discovered_total 5\n")
        self.send_response(code)
        self.end_headers()
        self.wfile.write(body.encode())

    def log_message(self, *args):
        pass


class StatusTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = http.server.HTTPServer(("127.0.0.1", 0), FakeListener)
        cls.thread = threading.Thread(target=cls.server.serve_forever, daemon=True)
        cls.thread.start()
        cls.listen = "127.0.0.1:%d" % cls.server.server_address[1]

    @classmethod
    def tearDownClass(cls):
        cls.server.shutdown()

    def test_healthy(self):
        FakeListener.healthy = True
        r = run("status", "--listen", self.listen)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("health:    healthy (ok)", r.stdout)
        self.assertIn("threads:   12 tracked, 3 due, 1 failing, 1 refreshing now", r.stdout)
        self.assertIn("refreshes: complete 40, rate_limited 2", r.stdout)
        self.assertIn("events:    answer_added 7\n", r.stdout)
        self.assertIn("store:     2.0 MiB", r.stdout)

    def test_unhealthy(self):
        FakeListener.healthy = False
        r = run("status", "--listen", self.listen)
        self.assertEqual(r.returncode, 1)
        self.assertIn("health:    UNHEALTHY (store not writable: disk full)", r.stdout)

    def test_nothing_listening(self):
        probe = http.server.HTTPServer(("127.0.0.1", 0), FakeListener)
        port = probe.server_address[1]
        probe.server_close()
        r = run("status", "--listen", "127.0.0.1:%d" % port)
        self.assertEqual(r.returncode, 1)
        self.assertIn("no daemon answers on 127.0.0.1:%d" % port, r.stderr)


if __name__ == "__main__":
    ARGS, rest = parse_args("archivist")
    run_unittest(rest)
