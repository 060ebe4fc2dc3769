#!/usr/bin/env python3
"""Retries, waits and stalled hosts are visible (docs/operations.md "Logs", "Metrics").

1. `refresh` and `fetch` against a question that answers 429 with Retry-After: 1 once: the
   retry, which ended well, is one line on stderr with its reason, status and delay; exit 0;
   with --quiet there is no such line.
2. The daemon, same fault: the retry is logged at info, and /metrics counts it by reason, the
   429 by status and the second waited under backoff.
3. The daemon against a host that answers every request 503: after three failed attempts in
   a row `status` (and `status --json`) shows the host as stalled while /healthz stays ok,
   /metrics says how many, and the log says "host stalled" while it lasts and "answers
   again" after.

4. A request that hangs for 20 s: while it hangs the log says "host stalled: … a request in
   flight for 16s" and `status` shows it; when it ends, "slow response" and "answers again".

usage: fetch_visibility_test.py --archivist PATH --mock PATH --data tests/data
"""
import json
import os
import re
import subprocess
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import (FixtureMock, archivist_daemon, http, parse_args, run_unittest,  # noqa: E402
                     wait_until, write_config)

ARGS = None
Q = "1909560805764077000"
RETRY_429 = re.compile(r"retry http://127\.0\.0\.1:\d+/api/v4/questions/%s\S* in 1s: "
                       r"reason=http_429 status=429 retry_after=1s attempt=1/3" % Q)


def metric(body, name):
    for line in body.splitlines():
        if line.startswith(name + " "):
            return float(line.split()[-1])
    return None


class FetchVisibilityTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.mock = FixtureMock(ARGS.mock, ARGS.data, self.tmp.name, [Q])
        self.daemon = None

    def tearDown(self):
        if self.daemon:
            self.daemon.stop()
        self.mock.stop()
        self.tmp.cleanup()

    def run_a(self, *args):
        env = dict(os.environ, HOME=self.tmp.name)
        env.pop("XDG_CONFIG_HOME", None)
        return subprocess.run([ARGS.archivist, "--db", os.path.join(self.tmp.name, "a.db"),
                               "--zhihu-base-url", self.mock.base, *args],
                              capture_output=True, text=True, env=env, timeout=60)

    def test_one_shot_verbs_tell_of_a_retry_that_ended_well(self):
        for verb in (["refresh", Q], ["fetch", Q]):
            self.mock.set_faults("route=question qid=%s times=1 action=status status=429 "
                                 "retry_after=1\n" % Q)
            r = self.run_a(*verb, "--delay", "0")
            self.assertEqual(r.returncode, 0, r.stderr)
            self.assertRegex(r.stderr, RETRY_429)
            self.assertIn("archivist %s: retry " % verb[0], r.stderr)
            self.mock.set_faults("route=question qid=%s times=1 action=status status=429 "
                                 "retry_after=1\n" % Q)
            r = self.run_a(*verb, "--delay", "0", "--quiet")
            self.assertEqual(r.returncode, 0, r.stderr)
            self.assertNotIn("retry", r.stderr)

    def start_daemon(self):
        cfg = os.path.join(self.tmp.name, "d.toml")
        write_config(cfg, os.path.join(self.tmp.name, "d.db"), self.mock.base, [Q],
                     min_i="1s", init_i="1s", max_i="2s", workers=1)
        self.daemon = archivist_daemon(ARGS.archivist, self.tmp.name, cfg)
        return cfg

    def metrics(self):
        code, body = http("GET", self.daemon.status_url + "/metrics")
        self.assertEqual(code, 200, body)
        return body

    def test_the_daemon_logs_and_counts_retries_and_waits(self):
        self.mock.set_faults("route=question qid=%s times=1 action=status status=429 "
                             "retry_after=1\n" % Q)
        self.start_daemon()
        self.daemon.wait_log("refresh zhihu:%s complete" % Q, "the refresh after the 429")
        log = self.daemon.log()
        self.assertRegex(log, r" info " + RETRY_429.pattern, self.daemon.tail())
        body = self.metrics()
        self.assertEqual(metric(body, 'archivist_fetch_retries_total{reason="http_429"}'), 1, body)
        self.assertEqual(metric(body, 'archivist_http_responses_total{status="429"}'), 1, body)
        self.assertGreaterEqual(metric(body, 'archivist_http_responses_total{status="200"}'), 1)
        self.assertGreaterEqual(metric(body, 'archivist_fetch_wait_seconds_total{kind="backoff"}'),
                                0.9, body)

    def test_status_shows_a_host_that_keeps_failing(self):
        cfg = self.start_daemon()
        self.daemon.wait_log("refresh zhihu:%s complete" % Q, "the first refresh")
        self.mock.set_faults("route=any action=status status=503\n")

        def stalled():
            r = subprocess.run([ARGS.archivist, "--config", cfg, "status", "--listen",
                                self.daemon.status_url[len("http://"):]],
                               capture_output=True, text=True, timeout=30)
            return r if "STALLED" in r.stdout else None
        r = wait_until(stalled, "status to show the stalled host", timeout=40,
                       on_fail=self.daemon.tail)
        self.assertRegex(r.stdout, r"hosts: +STALLED 127\.0\.0\.1:\d+: \d+ failed attempts in a row")
        self.assertGreaterEqual(metric(self.metrics(), "archivist_hosts_stalled"), 1)
        r = subprocess.run([ARGS.archivist, "--config", cfg, "status", "--json", "--listen",
                            self.daemon.status_url[len("http://"):]],
                           capture_output=True, text=True, timeout=30)
        status = json.loads(r.stdout)
        self.assertTrue(status["healthy"], r.stdout)  # the daemon is fine; the site is not
        host = [h for h in status["hosts"] if h["stalled"]]
        self.assertEqual(len(host), 1, r.stdout)
        self.assertGreaterEqual(host[0]["consecutive_failures"], 3)
        self.assertGreaterEqual(status["retries"]["http_503"], 2)
        self.daemon.wait_log("host stalled: 127.0.0.1", "the stall in the log")
        # And it recovers.
        self.mock.set_faults("")
        self.daemon.wait_log("host answers again: 127.0.0.1", "the recovery in the log",
                             timeout=40)

    def test_a_hung_request_is_a_stalled_host_while_it_hangs(self):
        cfg = self.start_daemon()
        self.daemon.wait_log("refresh zhihu:%s complete" % Q, "the first refresh")
        after = len(self.daemon.log())
        self.mock.set_faults("route=feeds times=1 action=delay ms=20000\n")
        self.daemon.wait_log("host stalled: 127.0.0.1", "the hung request in the log",
                             after=after, timeout=40)
        self.assertRegex(self.daemon.log()[after:],
                         r" warning host stalled: 127\.0\.0\.1:\d+: a request in flight for 1\d+s")
        r = subprocess.run([ARGS.archivist, "--config", cfg, "status", "--listen",
                            self.daemon.status_url[len("http://"):]],
                           capture_output=True, text=True, timeout=30)
        self.assertRegex(r.stdout, r"hosts: +STALLED 127\.0\.0\.1:\d+: a request in flight for \d+s")
        self.daemon.wait_log("slow response from 127.0.0.1", "the slow response", after=after,
                             timeout=40)
        self.daemon.wait_log("host answers again", "the recovery", after=after, timeout=40)


def main():
    global ARGS
    ARGS, rest = parse_args("archivist", "mock", "data")
    run_unittest(rest)


if __name__ == "__main__":
    main()
