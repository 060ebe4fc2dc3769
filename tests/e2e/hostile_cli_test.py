#!/usr/bin/env python3
"""The real archivist (fetch, refresh, daemon, check-config) against a hostile server.

hostile_server.py serves one question on 127.0.0.1 with one knob per misbehaviour, and
"elsewhere" listeners on 127.0.0.2 and another loopback port that log what reaches them.
Each test is the end-to-end regression test of one class of defect: a crash on deep JSON,
unbounded echoes, cookies sent off the base host, header injection, numbers out of range,
listings whose items are not answers.

usage: hostile_cli_test.py --archivist PATH
"""
import json
import os
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import main  # noqa: E402
from hostile_server import QID, HostileServer  # noqa: E402

ARGS = None
DEEP = 70000  # ~140 KB of brackets: deep enough to overflow a recursive walk
SECRET = "z_c0=s3cret-session"


class HostileCliTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = HostileServer()
        cls.base = HostileServer.url(cls.server.base)
        cls.elsewhere_host = HostileServer.url(cls.server.other_host)
        cls.elsewhere_port = HostileServer.url(cls.server.other_port)

    @classmethod
    def tearDownClass(cls):
        cls.server.close()

    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.db = os.path.join(self.tmp.name, "archive.db")
        self.server.set_knobs({})
        self.server.clear()

    def tearDown(self):
        self.tmp.cleanup()

    def env(self):
        env = {k: v for k, v in os.environ.items()
               if k not in ("XDG_CONFIG_HOME", "JOURNAL_STREAM", "NOTIFY_SOCKET")}
        env["HOME"] = self.tmp.name
        return env

    def run_a(self, *args, timeout=60):
        return subprocess.run([ARGS.archivist, *args], capture_output=True, env=self.env(),
                              timeout=timeout)

    def fetch(self, *extra, knobs=None):
        if knobs is not None:
            self.server.set_knobs(knobs)
        p = self.run_a("--zhihu-base-url", self.base, "fetch", str(QID), "--delay", "0",
                       "--retries", "0", "--json", *extra)
        out = json.loads(p.stdout) if p.stdout.strip() else None
        return p, out

    def refresh(self, *extra, knobs=None):
        if knobs is not None:
            self.server.set_knobs(knobs)
        return self.run_a("--db", self.db, "--zhihu-base-url", self.base, "refresh", str(QID),
                          "--delay", "0", "--retries", "0", *extra)

    def fetch_records(self):
        with sqlite3.connect(self.db) as c:
            return c.execute("SELECT outcome, error_code, error_message FROM fetches "
                             "ORDER BY rowid").fetchall()

    def assert_contains(self, text, needle):
        """assertIn that never prints more than the head of a hostile text."""
        if needle not in text:
            self.fail("%r not in %r... (%d bytes)" % (needle, text[:300], len(text)))

    def assert_not_crashed(self, p):
        self.assertGreaterEqual(p.returncode, 0, "killed by signal %d; stderr: %s"
                                % (-p.returncode, p.stderr[-500:]))

    # --- deep JSON ----------------------------------------------------------------------

    def test_deeply_nested_values_are_invalid_responses_not_crashes(self):
        for field in ("id", "created_time", "question_id"):
            p, out = self.fetch(knobs={"nest": {"field": field, "depth": DEEP}})
            self.assert_not_crashed(p)
            self.assertEqual(p.returncode, 1, field)
            self.assertEqual(out["outcome"], "invalid_response", field)
            self.assert_contains(out["error"]["message"], "nest deeper than 64 levels")
            self.assertLess(len(out["error"]["message"]), 1024)

    def test_refresh_survives_a_deep_listing(self):
        p = self.refresh(knobs={"nest": {"field": "id", "depth": DEEP}})
        self.assert_not_crashed(p)
        self.assertEqual(p.returncode, 1)
        self.assert_contains(p.stderr, b"invalid_response")
        self.assertEqual(self.fetch_records()[-1][0], "invalid_response")

    def test_refresh_survives_a_deep_probe_reply(self):
        # A complete listing missing answer 12 makes refresh probe it; the probe reply is deep.
        self.assertEqual(self.refresh(knobs={}).returncode, 0)
        p = self.refresh(knobs={"answers": [11], "nest": {"field": "probe", "depth": DEEP}})
        self.assert_not_crashed(p)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertEqual(self.fetch_records()[-1][0], "complete")

    def run_daemon(self, knobs, needle):
        """Runs `archivist daemon` on the thread until `needle` is logged; returns the log
        and whether the daemon was still alive then."""
        cfg = os.path.join(self.tmp.name, "archivist.toml")
        with open(cfg, "w") as f:
            f.write('[store]\npath = "%s"\n[fetch]\nper_host_delay = "0s"\n'
                    '[zhihu]\nbase_url = "%s"\n[daemon]\nstatus_listen = ""\n'
                    '[[thread]]\nurl = "https://www.zhihu.com/question/%d"\n'
                    % (self.db, self.base, QID))
        self.server.set_knobs(knobs)
        if os.path.exists(self.db):  # a refresh by hand scheduled the thread: due now
            with sqlite3.connect(self.db) as c:
                c.execute("UPDATE threads SET next_due_at = NULL")
            c.close()
        log = open(os.path.join(self.tmp.name, "daemon.log"), "w+b")
        d = subprocess.Popen([ARGS.archivist, "--config", cfg, "daemon"], stdout=log,
                             stderr=log, env=self.env())
        try:
            deadline = time.time() + 30
            while time.time() < deadline and d.poll() is None:
                log.seek(0)
                if needle in log.read():
                    break
                time.sleep(0.1)
            time.sleep(0.3)
            alive = d.poll() is None
            log.seek(0)
            return log.read(), alive, d.returncode
        finally:
            if d.poll() is None:
                d.send_signal(signal.SIGTERM)
                d.wait(timeout=30)
            log.close()

    def test_daemon_survives_a_deep_listing(self):
        text, alive, rc = self.run_daemon({"nest": {"field": "id", "depth": DEEP}},
                                          b"refresh zhihu:%d invalid_response" % QID)
        self.assertTrue(alive, "the daemon died (%s): %s" % (rc, text[-800:]))
        self.assert_contains(text, b"nest deeper than 64 levels")

    # --- unbounded echoes ---------------------------------------------------------------

    def test_a_huge_bogus_id_gives_bounded_messages_everywhere(self):
        knobs = {"huge_id": 20 << 20}
        p, out = self.fetch(knobs=knobs)
        self.assertEqual(p.returncode, 1)
        self.assertEqual(out["outcome"], "invalid_response")
        self.assertLessEqual(len(out["error"]["message"].encode()), 1024)
        self.assert_contains(out["error"]["message"], "is not a 64-bit id: a string of 20971520 bytes")
        self.assertLess(len(p.stdout), 4096)
        p = self.refresh(knobs=knobs)
        self.assertEqual(p.returncode, 1)
        self.assertLess(len(p.stderr), 4096)
        outcome, code, message = self.fetch_records()[-1]
        self.assertEqual(outcome, "invalid_response")
        self.assertLessEqual(len(message.encode()), 1024)
        text, alive, _ = self.run_daemon(knobs, b"refresh zhihu:%d invalid_response" % QID)
        self.assertTrue(alive)
        self.assert_contains(text, b"a string of 20971520 bytes")
        self.assertLess(len(text), 8192)

    def test_a_huge_title_is_bounded_in_the_archive_and_the_output(self):
        p = self.refresh(knobs={"huge_title": 8 << 20})
        self.assertEqual(p.returncode, 0, p.stderr[-300:])
        self.assertLess(len(p.stdout), 2048)
        with sqlite3.connect(self.db) as c:
            (title,) = c.execute("SELECT title FROM threads").fetchone()
        self.assertLessEqual(len(title.encode()), 1024)
        self.assertTrue(title.startswith("TTTT"))
        p = self.run_a("--db", self.db, "list")
        self.assertEqual(p.returncode, 0)
        self.assertLess(len(p.stdout), 2048)

    def test_huge_error_objects_are_bounded(self):
        p, out = self.fetch(knobs={"huge_error": 1 << 20})
        self.assertEqual(out["outcome"], "transient")
        self.assertLessEqual(len(out["error"]["code"].encode()), 64)
        self.assertLessEqual(len(out["error"]["message"].encode()), 1024)
        p = self.run_a("--zhihu-base-url", self.base, "fetch", str(QID), "--delay", "0",
                       "--retries", "0")
        self.assertLess(len(p.stdout), 4096)

    # --- listings whose items are not answers -------------------------------------------

    def test_a_listing_of_unknown_cards_is_invalid_and_deletes_nothing(self):
        self.assertEqual(self.refresh(knobs={}).returncode, 0)
        for cards in ("unknown", "bare_ids"):
            # /answers (the fallback) serves no answers either: the listing format changed.
            p, out = self.fetch(knobs={"cards": cards})
            self.assertEqual(p.returncode, 1, cards)
            self.assertEqual(out["outcome"], "invalid_response", cards)
            self.assert_contains(out["error"]["message"], "none of the page's 2 items is an answer")
            p = self.refresh()
            self.assertEqual(p.returncode, 1, cards)
        with sqlite3.connect(self.db) as c:
            kinds = [k for (k,) in c.execute("SELECT kind FROM events ORDER BY id")]
        self.assertNotIn("answer_deleted", kinds)
        self.assertEqual([o for (o, _, _) in self.fetch_records()],
                         ["complete", "invalid_response", "invalid_response"])

    def test_unknown_cards_among_answers_are_skipped_and_counted(self):
        p, out = self.fetch(knobs={"cards": "mixed"})
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertEqual(out["outcome"], "complete")
        self.assertEqual([a["id"] for a in out["answers"]], ["11", "12"])
        self.assertEqual(out["skipped_items"], 2)
        p = self.run_a("--zhihu-base-url", self.base, "fetch", str(QID), "--delay", "0")
        self.assert_contains(p.stdout, b"(2 answers, 1 pages, 2 items that are not answers skipped)")
        p = self.refresh()
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assert_contains(p.stderr, b"skipped 2 listing items that are not answers")


    # --- cookies and other hosts ---------------------------------------------------------

    def cookies_by_listener(self):
        return [(r["listener"], r["headers"].get("Cookie")) for r in self.server.requests()]

    def test_the_cookie_goes_to_the_base_host(self):
        p, out = self.fetch("--cookie", SECRET, knobs={})
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertEqual(set(self.cookies_by_listener()), {("base", SECRET)})

    def test_next_links_off_the_base_origin_are_not_followed(self):
        for target in (self.elsewhere_host, self.elsewhere_port, "http://169.254.169.254"):
            self.server.clear()
            url = target + "/api/v4/questions/%d/feeds?page=2" % QID
            p, out = self.fetch("--cookie", SECRET, knobs={"next": url})
            self.assertEqual(p.returncode, 1, target)
            self.assertEqual(out["outcome"], "invalid_response", target)
            self.assert_contains(out["error"]["message"], "'paging.next' leaves %s: %s" % (self.base, url))
            self.assertEqual({l for l, _ in self.cookies_by_listener()}, {"base"}, target)

    def test_redirects_off_the_base_origin_are_not_followed(self):
        cfg = os.path.join(self.tmp.name, "cookie.toml")
        with open(cfg, "w") as f:
            f.write('[zhihu]\ncookie = "%s"\n' % SECRET)
        for target in (self.elsewhere_host, self.elsewhere_port):
            self.server.clear()
            url = target + "/api/v4/questions/%d" % QID
            p, out = self.fetch("--cookie", SECRET, knobs={"redirect": url})
            self.assertEqual(p.returncode, 1, target)
            self.assertEqual(out["outcome"], "invalid_response")
            self.assert_contains(out["error"]["message"],
                                 "302 redirect to another origin not followed: " + url)
            self.server.set_knobs({"redirect": url})
            p = self.run_a("--config", cfg, "--db", self.db, "--zhihu-base-url", self.base,
                           "refresh", str(QID), "--delay", "0", "--retries", "0")
            self.assertEqual(p.returncode, 1)
            self.assertEqual({l for l, _ in self.cookies_by_listener()}, {"base"}, target)


    # --- header injection ----------------------------------------------------------------

    INJECTED = "z_c0=x\r\nX-Evil: injected"

    def assert_refused_before_any_request(self, p, needle):
        self.assertEqual(p.returncode, 2, p.stderr)
        self.assert_contains(p.stderr, needle)
        self.assertEqual(self.server.requests(), [])

    def test_control_characters_in_header_options_are_refused(self):
        for option in ("--cookie", "--user-agent"):
            self.server.clear()
            p = self.run_a("--zhihu-base-url", self.base, "fetch", str(QID), "--delay", "0",
                           option, self.INJECTED)
            self.assert_refused_before_any_request(
                p, option.encode() + b" contains a control character (0x0d) at byte 6")
            p = self.run_a("--db", self.db, "--zhihu-base-url", self.base, "refresh", str(QID),
                           "--delay", "0", option, self.INJECTED)
            self.assert_refused_before_any_request(p, option.encode() + b" contains a control character")
        p = self.run_a("--zhihu-base-url", self.base, "fetch", str(QID), "--delay", "0",
                       "--header", "X-A: b\r\nX-Evil: injected")
        self.assert_refused_before_any_request(p, b"--header X-A: the value contains a control character")

    def test_control_characters_in_header_keys_of_the_configuration_are_refused(self):
        cfg = os.path.join(self.tmp.name, "evil.toml")
        for key, table in (("cookie", "zhihu"), ("user_agent", "fetch")):
            with open(cfg, "w") as f:
                f.write('[%s]\n%s = "z_c0=x\\r\\nX-Evil: injected"\n' % (table, key))
            self.server.clear()
            p = self.run_a("--config", cfg, "check-config")
            self.assert_refused_before_any_request(
                p, b"%s.%s contains a control character (0x0d) at byte 6" % (table.encode(), key.encode()))
            p = self.run_a("--config", cfg, "--db", self.db, "--zhihu-base-url", self.base,
                           "refresh", str(QID), "--delay", "0")
            self.assert_refused_before_any_request(p, b"%s.%s contains a control character" % (table.encode(), key.encode()))


    # --- numbers out of range -------------------------------------------------------------

    def test_numeric_options_out_of_range_are_refused_naming_the_range(self):
        cases = [
            (("--delay", "nan"), b"--delay nan is not a number of seconds: it must be between 0s and 1h"),
            (("--delay", "1e16"), b"--delay 1e+16 is out of range: it must be between 0s and 1h"),
            (("--retries", "2147483647"), b"--retries 2147483647 is out of range: it must be between 0 and 10"),
            (("--timeout", "1e300"), b"--timeout 1e+300 is out of range: it must be between 100ms and 1h"),
            (("--timeout", "-inf"), b"--timeout -inf is out of range: it must be between 100ms and 1h"),
            (("--connect-timeout", "0"), b"--connect-timeout 0s is out of range: it must be between 100ms and 10m"),
            (("--max-body", "-1"), b"--max-body -1 is out of range: it must be between 1KiB and 1GiB"),
            (("--page-size", "0"), b"--page-size 0 is out of range: it must be between 1 and 100"),
            (("--max-pages", "0"), b"--max-pages 0 is out of range: it must be between 1 and 100000"),
        ]
        for args, message in cases:
            self.server.clear()
            p = self.run_a("--zhihu-base-url", self.base, "fetch", str(QID), *args)
            self.assert_refused_before_any_request(p, message)
        for args, message in cases[:4] + [(("--delete-confirmations", "0"),
                                           b"--delete-confirmations 0 is out of range")]:
            p = self.run_a("--db", self.db, "--zhihu-base-url", self.base, "refresh", str(QID), *args)
            self.assert_refused_before_any_request(p, message)

    def test_numbers_of_the_configuration_out_of_range_are_refused(self):
        cfg = os.path.join(self.tmp.name, "numbers.toml")
        with open(cfg, "w") as f:
            f.write('[fetch]\nper_host_delay = "10000000000000s"\ntimeout = "30000w"\n')
        p = self.run_a("--config", cfg, "check-config")
        self.assertEqual(p.returncode, 2, p.stdout[-300:])
        self.assert_contains(p.stderr, b":2:18: fetch.per_host_delay = 115740740d17h46m40s is out "
                                       b"of range: it must be between 0s and 1h")
        self.assert_contains(p.stderr, b":3:11: fetch.timeout = 210000d is out of range: it must "
                                       b"be between 100ms and 1h")
        p = self.run_a("--config", cfg, "--db", self.db, "--zhihu-base-url", self.base,
                       "refresh", str(QID))
        self.assert_refused_before_any_request(p, b"fetch.per_host_delay")

if __name__ == "__main__":
    main(globals(), "archivist")
