#!/usr/bin/env python3
"""End-to-end tests of `archivist check-config` and `archivist status` (the real binary).

check-config: every error of a broken file at once with file:line, exit 2; the effective
configuration of a good one, exit 0, cookie hidden; --config naming a missing file.
daemon.status_listen: check-config and the daemon accept and refuse the same addresses
(localhost is 127.0.0.1; host names and unbracketed IPv6 are refused), and both warn about
an address that is not loopback.
status: against a stand-in status listener on 127.0.0.1 (Python's http.server) serving the
daemon's /healthz and /metrics formats, healthy and unhealthy; and nothing listening.

usage: daemon_cli_test.py --archivist PATH
"""
import http.server
import os
import resource
import socket
import subprocess
import tempfile
import threading
import time
import unittest

import harness
from harness import archivist_daemon, main

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
        self.assertIn("4 error(s) in " + path, r.stderr)
        # The default initial_interval is not blamed for the range the file got wrong.
        self.assertNotIn("initial_interval", r.stderr)
        for where, what in [("2:11", "fetch.timeout: bad duration \"30\""),
                            ("3:1", "unknown key fetch.bogus"),
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


class StatusAddressTest(unittest.TestCase):
    """check-config and the daemon read daemon.status_listen alike, and warn alike."""

    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()

    def tearDown(self):
        self.tmp.cleanup()

    def config(self, listen):
        path = os.path.join(self.tmp.name, "archivist.toml")
        with open(path, "w") as f:
            f.write('[store]\npath = "%s"\n[daemon]\nstatus_listen = "%s"\n'
                    % (os.path.join(self.tmp.name, "archive.db"), listen))
        return path

    def test_check_config_warns_about_addresses_that_are_not_loopback(self):
        for listen in ("0.0.0.0:9184", "[::]:9184", "192.0.2.7:9184"):
            r = run("--config", self.config(listen), "check-config")
            self.assertEqual(r.returncode, 0, r.stderr)
            self.assertIn("archivist check-config: warning: daemon.status_listen: the status "
                          "listener %s is on" % listen, r.stderr)
            self.assertIn("without authentication", r.stderr)
        for listen in ("127.0.0.1:9184", "[::1]:9184", "localhost:9184"):
            r = run("--config", self.config(listen), "check-config")
            self.assertEqual((r.returncode, r.stderr), (0, ""), listen)

    def test_check_config_refuses_what_the_daemon_cannot_bind(self):
        for listen, what in (("example.com:9184", '"example.com" is not an IP address'),
                             ("::1:9184", "an IPv6 address needs brackets"),
                             ("localhost", "not HOST:PORT"),
                             ("127.0.0.1:70000", "the port must be a number from 0 to 65535")):
            path = self.config(listen)
            r = run("--config", path, "check-config")
            self.assertEqual(r.returncode, 2, listen)
            self.assertIn('daemon.status_listen "%s": %s' % (listen, what), r.stderr)
            d = subprocess.run([ARGS.archivist, "--config", path, "daemon"], capture_output=True,
                               text=True, timeout=30)
            self.assertEqual(d.returncode, 2, (listen, d.stderr))
            self.assertIn(what, d.stderr)

    def daemon(self, listen):
        """Starts the daemon on `listen`; returns (ready line, status address, log)."""
        d = archivist_daemon(ARGS.archivist, self.tmp.name, self.config(listen))
        try:
            self.assertIsNotNone(d.status_url, d.tail())
            self.assertEqual(harness.http("GET", d.status_url + "/healthz"), (200, "ok\n"))
            return d.status_url, d.log()
        finally:
            d.proc.terminate()
            d.proc.wait(timeout=30)
            d.stop()

    def test_the_daemon_binds_localhost_as_check_config_accepts_it(self):
        url, log = self.daemon("localhost:0")
        self.assertTrue(url.startswith("http://127.0.0.1:"), url)
        self.assertNotIn("warning", log)

    def test_the_daemon_warns_about_every_interface_at_start(self):
        url, log = self.daemon("0.0.0.0:0")
        self.assertTrue(url.startswith("http://0.0.0.0:"), url)
        self.assertIn("warning daemon.status_listen: the status listener 0.0.0.0:0 is on every "
                      "network interface", log)


def stream_forever(conn):
    conn.sendall(b"HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\n")
    chunk = b"x" * (1 << 20)
    try:
        while True:
            conn.sendall(chunk)
    except OSError:
        pass


class RawServer:
    """A TCP server of the test's on 127.0.0.1 running `talk(conn)` for each connection."""

    def __init__(self, talk):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(8)
        self.listen = "127.0.0.1:%d" % self.sock.getsockname()[1]
        self.talk = talk
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self):
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            threading.Thread(target=self._one, args=(conn,), daemon=True).start()

    def _one(self, conn):
        try:
            self.talk(conn)
        except OSError:
            pass
        finally:
            conn.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.sock.close()


def run_measured(*args):
    """Runs archivist with at most 2 GiB of address space; returns (result, its peak RSS in
    MiB, seconds)."""
    def limit():
        resource.setrlimit(resource.RLIMIT_AS, (2 << 30, 2 << 30))
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        t0 = time.monotonic()
        p = subprocess.Popen([ARGS.archivist, *args], stdout=out, stderr=err, preexec_fn=limit)
        _, status, usage = os.wait4(p.pid, 0)
        took = time.monotonic() - t0
        p.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        result = subprocess.CompletedProcess(p.args, p.returncode, out.read().decode(),
                                             err.read().decode("utf-8", "replace"))
    return result, usage.ru_maxrss / 1024, took


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

    def test_a_reply_that_never_ends_is_cut_off(self):
        """A server at the address that streams for ever: bounded memory and time."""
        with RawServer(lambda conn: stream_forever(conn)) as server:
            r, rss_mib, took = run_measured("status", "--listen", server.listen)
        print("\n`archivist status` against a reply that never ends: peak RSS %.0f MiB, %.1f s"
              % (rss_mib, took))
        self.assertLess(rss_mib, 64, "peak RSS of `archivist status` in MiB")
        self.assertLess(took, 5)
        self.assertEqual(r.returncode, 1, r.stderr)
        self.assertIn("archivist status: the reply from http://%s/healthz exceeds 1 MiB"
                      % server.listen, r.stderr)

    def test_a_server_that_never_answers_is_given_up(self):
        with RawServer(lambda conn: conn.recv(4096) and time.sleep(8)) as server:
            r, _, took = run_measured("status", "--listen", server.listen)
        self.assertEqual(r.returncode, 1, r.stderr)
        self.assertIn("archivist status: no complete reply from http://%s/healthz within 5000 ms"
                      % server.listen, r.stderr)
        self.assertLess(took, 7)

    def test_nothing_listening(self):
        probe = http.server.HTTPServer(("127.0.0.1", 0), FakeListener)
        port = probe.server_address[1]
        probe.server_close()
        r = run("status", "--listen", "127.0.0.1:%d" % port)
        self.assertEqual(r.returncode, 1)
        self.assertIn("no daemon answers on 127.0.0.1:%d" % port, r.stderr)


if __name__ == "__main__":
    main(globals(), "archivist")
