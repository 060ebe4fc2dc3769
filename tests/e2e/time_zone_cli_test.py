#!/usr/bin/env python3
"""Every time archivist prints carries its offset; TIME accepts durations, today, yesterday.

- The daemon's log lines on stderr are local time with the UTC offset (run under two TZs).
- `history` (text) and `list` show times in the zone of $TZ when it is set, else UTC, always
  with the offset; `--json` stays UTC.
- `--since` / `--at` accept durations ago (90m, 24h, 7d), now, today and yesterday — midnight
  in the zone of $TZ — and ISO 8601 without an offset read in that zone.

The zones are POSIX TZ strings (XST-8 is UTC+8 with no daylight saving), so no tzdata is needed.

usage: time_zone_cli_test.py --archivist PATH --mock PATH --data tests/data
"""
import datetime
import json
import os
import re
import shutil
import signal
import sqlite3
import subprocess
import tempfile
import time
import unittest

from harness import FixtureMock, main, scratch

ARGS = None
QID = "1982867494206211639"
PLUS8 = datetime.timezone(datetime.timedelta(hours=8))
LOG_LINE = re.compile(r"^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}([+-]\d\d:\d\d)) (info|warning|error|debug) ")


def read(path):
    with open(path, encoding="utf-8", errors="replace") as f:
        return f.read()


def clean_env(tmp, tz):
    env = {k: v for k, v in os.environ.items()
           if k not in ("TZ", "XDG_CONFIG_HOME", "XDG_DATA_HOME", "JOURNAL_STREAM",
                        "NOTIFY_SOCKET", "STATE_DIRECTORY")}
    env.update(HOME=tmp, XDG_CACHE_HOME=os.path.join(tmp, "cache"))
    if tz is not None:
        env["TZ"] = tz
    return env


class TimeZoneTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = cls.enterClassContext(scratch("time_zone_cli_test."))
        cls.mock = cls.enterClassContext(FixtureMock(ARGS.mock, ARGS.data, cls.tmp, [QID], log=False))
        cls.base = cls.mock.base
        cls.db = os.path.join(cls.tmp, "archive.db")
        p = cls.run_a(None, "refresh", QID, "--delay", "0")
        assert p.returncode == 0, p.stderr

    @classmethod
    def run_a(cls, tz, *args, db=None):
        return subprocess.run([ARGS.archivist, "--db", db or cls.db, "--zhihu-base-url", cls.base,
                               *args], capture_output=True, text=True, timeout=60,
                              env=clean_env(cls.tmp, tz))

    def daemon_log(self, tz):
        """Runs the daemon with one thread until its refresh is logged; returns stderr."""
        work = tempfile.mkdtemp(dir=self.tmp)
        cfg = os.path.join(work, "archivist.toml")
        with open(cfg, "w") as f:
            f.write('[store]\npath = "%s/a.db"\n[fetch]\nper_host_delay = "0s"\n'
                    '[zhihu]\nbase_url = "%s"\n[daemon]\nstatus_listen = ""\n'
                    '[[thread]]\nurl = "%s"\n' % (work, self.base, QID))
        log_path = os.path.join(work, "stderr.log")
        with open(log_path, "w") as log:
            proc = subprocess.Popen([ARGS.archivist, "--config", cfg, "daemon"],
                                    stdin=subprocess.DEVNULL, stdout=log, stderr=log,
                                    env=clean_env(work, tz))
            try:
                deadline = time.monotonic() + 30
                while "refresh zhihu:" not in read(log_path):
                    self.assertLess(time.monotonic(), deadline, read(log_path))
                    self.assertIsNone(proc.poll(), read(log_path))
                    time.sleep(0.05)
                proc.send_signal(signal.SIGTERM)
                self.assertEqual(proc.wait(timeout=30), 0)
            finally:
                if proc.poll() is None:
                    proc.kill()
                    proc.wait()
        return read(log_path)

    def test_daemon_log_lines_carry_the_offset(self):
        for tz, offset in (("XST-8", "+08:00"), ("NST3:30", "-03:30"), ("UTC0", "+00:00")):
            before = datetime.datetime.now(datetime.timezone.utc)
            text = self.daemon_log(tz)
            after = datetime.datetime.now(datetime.timezone.utc)
            lines = text.splitlines()
            self.assertGreaterEqual(len(lines), 3, text)  # ready, refresh, stopping, …
            for line in lines:
                m = LOG_LINE.match(line)
                self.assertIsNotNone(m, "%s: %r" % (tz, line))
                self.assertEqual(m.group(2), offset, line)
                at = datetime.datetime.fromisoformat(m.group(1))
                self.assertLessEqual(before - datetime.timedelta(seconds=1), at, line)
                self.assertLessEqual(at, after + datetime.timedelta(seconds=1), line)

    def events(self):
        p = self.run_a(None, "history", QID, "--json")
        self.assertEqual(p.returncode, 0, p.stderr)
        return [json.loads(line) for line in p.stdout.splitlines()]

    def test_history_and_list_show_the_zone_of_tz(self):
        utc_times = [e["time"] for e in self.events()]
        self.assertTrue(all(t.endswith("+00:00") for t in utc_times), utc_times)
        for tz, suffix in ((None, "+00:00"), ("XST-8", "+08:00")):
            p = self.run_a(tz, "history", QID)
            self.assertEqual(p.returncode, 0, p.stderr)
            shown = [line.split("  ")[0] for line in p.stdout.splitlines()]
            self.assertEqual(len(shown), len(utc_times))
            for s, u in zip(shown, utc_times):
                self.assertTrue(s.endswith(suffix), s)
                self.assertEqual(datetime.datetime.fromisoformat(s), datetime.datetime.fromisoformat(u))
            listed = self.run_a(tz, "list")
            self.assertIn("last fetch ", listed.stdout)
            stamps = re.findall(r"\d{4}-\d\d-\d\dT\S+", listed.stdout)
            self.assertTrue(stamps and all(s.endswith(suffix) for s in stamps), listed.stdout)
            # --json stays UTC whatever TZ says.
            self.assertEqual(self.run_a(tz, "history", QID, "--json").stdout,
                             self.run_a(None, "history", QID, "--json").stdout)

    def test_durations_now_and_at(self):
        n = len(self.events())
        for since in ("90m", "24h", "7d", "1h30m", "yesterday", "today"):
            p = self.run_a("XST-8", "history", QID, "--since", since)
            self.assertEqual(p.returncode, 0, (since, p.stderr))
            self.assertEqual(len(p.stdout.splitlines()), n, since)
        p = self.run_a(None, "history", QID, "--since", "now")
        self.assertEqual((p.returncode, p.stdout), (0, ""), p.stderr)
        # The thread was archived moments ago: not yet an hour ago, but now it is.
        p = self.run_a(None, "show", QID, "--at", "1h")
        self.assertEqual(p.returncode, 1, p.stderr)
        self.assertIn("was not archived yet at", p.stderr)
        p = self.run_a(None, "show", QID, "--at", "0s")
        self.assertEqual(p.returncode, 0, p.stderr)
        p = self.run_a(None, "export", os.path.join(self.tmp, "out"), "--at", "2h")
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertIn("exported 0 threads", p.stdout)
        for bad in ("last tuesday", "5", "1h30", "-2h"):
            p = self.run_a(None, "history", QID, "--since", bad)
            self.assertEqual(p.returncode, 2, bad)
            self.assertIn('archivist history: --since: bad time "%s": expected ISO 8601' % bad,
                          p.stderr)
            self.assertIn("24h", p.stderr)

    def test_today_and_offsetless_times_follow_tz(self):
        # A copy of the archive whose events all happened at 00:30 today in UTC+8, which is
        # 16:30 yesterday in UTC.
        now8 = datetime.datetime.now(PLUS8)
        if now8.hour == 0 and now8.minute < 31:
            self.skipTest("too close to midnight in UTC+8")
        at = now8.replace(hour=0, minute=30, second=0, microsecond=0)
        db = os.path.join(self.tmp, "shifted.db")
        shutil.copy(self.db, db)
        c = sqlite3.connect(db)
        c.execute("UPDATE events SET at = ?", (int(at.timestamp()) * 1000000,))
        c.commit()
        c.close()

        def count(tz, since):
            p = self.run_a(tz, "history", QID, "--since", since, db=db)
            self.assertEqual(p.returncode, 0, p.stderr)
            return len(p.stdout.splitlines())

        n = count(None, "2000-01-01")
        self.assertGreater(n, 0)
        self.assertEqual(count("XST-8", "today"), n)      # 00:30 today in UTC+8
        self.assertEqual(count(None, "today"), 0)         # 16:30 yesterday in UTC
        self.assertEqual(count(None, "yesterday"), n)
        wall = at.strftime("%Y-%m-%dT%H:%M:%S")          # no offset: read in $TZ
        self.assertEqual(count("XST-8", wall), n)
        self.assertEqual(count("XST-8", wall[:-2] + "01"), 0)
        self.assertEqual(count(None, wall), 0)            # read as UTC: 8 hours later
        p = self.run_a("XST-8", "history", QID, db=db)
        self.assertTrue(p.stdout.startswith(at.strftime("%Y-%m-%dT00:30:00.000000+08:00")),
                        p.stdout)


if __name__ == "__main__":
    main(globals(), "archivist", "mock", "data")
