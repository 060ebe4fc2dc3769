#!/usr/bin/env python3
"""What an operator relies on, through the real binary and mock_zhihu:

- a one-shot `refresh` keeps the daemon's schedule: it stores each thread's next due time by
  the same interval policy, refreshes only the due threads, retires discovered threads whose
  time is over and, with discovery.zhihu_hot, polls the hot list once per discovery.interval;
- one daemon per archive: a second daemon is refused naming the first one's pid (exit 4), a
  `refresh` of the due threads beside a daemon is refused, a refresh of named ones is not;
- a removal sticks although the configuration lists the thread, and `remove` says so;
- the export folder and files get export.mode whatever the umask, and a refresh run writes
  the file of every active thread when the export is enabled later;
- a configured file that cannot be read says why, naming the user; a cookies file can come
  from systemd's credentials folder (${CREDENTIALS_DIRECTORY}).

usage: operator_cli_test.py --archivist PATH --mock PATH --data tests/data
"""
import json
import os
import re
import shutil
import stat
import subprocess
import tempfile
import time
import unittest

import harness

ARGS = None
Q1, Q2 = "1516709032", "10487240977"
MIN_INTERVAL = 600       # [schedule] defaults
INITIAL_INTERVAL = 1800


class OperatorTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="operator_cli_test.")
        os.chmod(self.tmp, 0o755)  # another user must reach files here (the permission tests)
        self.mock = harness.FixtureMock(ARGS.mock, ARGS.data, self.tmp, [Q1, Q2])
        self.db = os.path.join(self.tmp, "archive.db")
        self.cfg = os.path.join(self.tmp, "archivist.toml")
        self.env = {k: v for k, v in os.environ.items()
                    if k not in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "STATE_DIRECTORY",
                                 "CREDENTIALS_DIRECTORY", "NOTIFY_SOCKET", "TZ")}
        self.env["HOME"] = self.tmp
        self.daemons = []
        self.config()

    def tearDown(self):
        for d in self.daemons:
            d.stop()
        self.mock.stop()
        shutil.rmtree(self.tmp)

    def config(self, threads=(), extra="", fetch=""):
        text = ('[store]\npath = "%s"\n[fetch]\nper_host_delay = "0s"\nretries = 0\n%s\n'
                '[zhihu]\nbase_url = "%s"\n[daemon]\nstatus_listen = ""\n%s\n'
                % (self.db, fetch, self.mock.base, extra))
        for q in threads:
            text += '[[thread]]\nurl = "https://www.zhihu.com/question/%s"\n' % q
        with open(self.cfg, "w") as f:
            f.write(text)

    def a(self, *args, env=None, umask=None, user=None):
        cmd = [ARGS.archivist, "--config", self.cfg, *args]
        if user:
            cmd = ["setpriv", "--reuid=" + user, "--regid=nogroup", "--clear-groups"] + cmd
        return subprocess.run(cmd, capture_output=True, text=True, timeout=60,
                              env=env or self.env,
                              preexec_fn=(lambda: os.umask(umask)) if umask is not None else None)

    def ok(self, *args, **kw):
        p = self.a(*args, **kw)
        self.assertEqual(p.returncode, 0, "%s\n%s%s" % (args, p.stdout, p.stderr))
        return p

    def row(self, q):
        rows = harness.sql(self.db, "SELECT tracking, next_due_at, interval_s, discovered "
                                    "FROM threads WHERE source_id = ?", (int(q),))
        return rows[0] if rows else None

    def question_fetches(self):
        return [t for t in self.mock.requests() if "/questions/" in t]

    def daemon(self, name="daemon"):
        d = harness.archivist_daemon(ARGS.archivist, self.tmp, self.cfg, name=name)
        self.daemons.append(d)
        return d


class ScheduleTest(OperatorTest):
    def test_one_shot_refresh_stores_the_daemons_next_due_time(self):
        self.ok("add", Q1, Q2)
        before = time.time()
        self.ok("refresh")
        for q in (Q1, Q2):
            tracking, next_due, interval, _ = self.row(q)
            # The first refresh records the thread: a change, so initial ÷ 1.5, ±10% jitter.
            self.assertEqual(interval, round(INITIAL_INTERVAL / 1.5), q)
            in_s = next_due / 1e6 - before
            self.assertGreater(in_s, interval * 0.9 - 5, q)
            self.assertLess(in_s, interval * 1.1 + 5, q)
        listed = {t["question"]: t for t in map(json.loads, self.ok("list", "--json").stdout.split("\n")[:-1])}
        self.assertNotIn("now", listed[Q1]["next_due"])

    def test_a_timer_run_refreshes_only_the_due_threads(self):
        self.ok("add", Q1, Q2)
        self.ok("refresh")
        harness.sql(self.db, "UPDATE threads SET next_due_at = 0 WHERE source_id = ?", (int(Q2),))
        self.mock_clear()
        p = self.ok("refresh")
        self.assertEqual([l.split()[0] for l in p.stdout.splitlines()], [Q2], p.stdout)
        self.assertTrue(all(Q2 in t for t in self.question_fetches()), self.question_fetches())
        # Unchanged: the interval grew (×1.5) as the daemon's would.
        self.assertEqual(self.row(Q2)[2], round(round(INITIAL_INTERVAL / 1.5) * 1.5))
        self.mock_clear()
        p = self.ok("refresh")
        self.assertEqual(p.stdout, "")
        self.assertIn("no thread is due", p.stderr)
        self.assertEqual(self.question_fetches(), [])

    def test_a_failed_refresh_is_retried_after_min_interval_with_its_interval_kept(self):
        self.ok("add", Q1)
        self.ok("refresh")
        interval = self.row(Q1)[2]
        harness.sql(self.db, "UPDATE threads SET next_due_at = 0")
        self.mock.set_faults("route=any action=status status=404")
        before = time.time()
        p = self.a("refresh")
        self.assertEqual(p.returncode, 1, p.stdout + p.stderr)
        _, next_due, kept, _ = self.row(Q1)
        self.assertEqual(kept, interval)
        in_s = next_due / 1e6 - before
        self.assertGreater(in_s, MIN_INTERVAL * 0.9 - 5)
        self.assertLess(in_s, MIN_INTERVAL * 1.1 + 5)

    def mock_clear(self):
        harness.http("DELETE", self.mock.base + "/_mock/requests")

    def test_a_timer_run_polls_the_hot_list_once_per_interval_and_refreshes_what_it_found(self):
        self.config(extra='[discovery]\nzhihu_hot = true\ninterval = "1h"\ntrack_for = "2d"')
        p = self.ok("refresh")
        self.assertIn("hot list: 2 questions, 2 new", p.stderr)
        self.assertEqual(sorted(l.split()[0] for l in p.stdout.splitlines()), sorted([Q1, Q2]))
        for q in (Q1, Q2):
            self.assertEqual(self.row(q)[3], 1, "discovered")
            self.assertGreater(self.row(q)[1] / 1e6, time.time())
        self.mock_clear()
        harness.sql(self.db, "UPDATE threads SET next_due_at = 0")
        p = self.ok("refresh")
        self.assertNotIn("hot list", p.stderr)
        self.assertFalse([t for t in self.mock.requests() if "hot-lists" in t])

    def test_a_timer_run_retires_discovered_threads_whose_time_is_over(self):
        self.config(extra='[discovery]\nzhihu_hot = true\ninterval = "1h"\ntrack_for = "2d"')
        self.ok("refresh")
        harness.sql(self.db, "UPDATE threads SET track_until = 1, next_due_at = 0 "
                             "WHERE source_id = ?", (int(Q1),))
        self.mock_clear()
        p = self.ok("refresh")
        self.assertIn("retired zhihu:%s" % Q1, p.stderr)
        self.assertEqual(self.row(Q1)[0], "retired")
        self.assertFalse([t for t in self.question_fetches() if Q1 in t])


class LockTest(OperatorTest):
    def test_a_second_daemon_on_the_archive_is_refused_naming_the_first(self):
        self.ok("add", Q1)
        first = self.daemon()
        p = self.a("daemon")
        self.assertEqual(p.returncode, 4, p.stderr)
        self.assertIn("archivist daemon: the archive %s is in use by another daemon (pid %d)"
                      % (self.db, first.proc.pid), p.stderr)
        self.assertIsNone(first.proc.poll())
        with open(self.db + ".lock") as f:
            self.assertEqual(f.read().strip(), str(first.proc.pid))

    def test_a_daemon_starts_once_the_other_one_ended(self):
        self.ok("add", Q1)
        self.daemon().stop()
        self.daemon("second")  # ready: the lock ended with its process

    def test_refresh_beside_a_daemon_refreshes_named_threads_only(self):
        self.ok("add", Q1, Q2)
        d = self.daemon()
        p = self.a("refresh")
        self.assertEqual(p.returncode, 1, p.stderr)
        self.assertIn("is kept current by a daemon (pid %d)" % d.proc.pid, p.stderr)
        self.assertEqual(p.stdout, "")
        p = self.ok("refresh", Q1)
        self.assertTrue(p.stdout.startswith(Q1), p.stdout)


class RemoveTest(OperatorTest):
    def test_remove_says_the_configuration_lists_the_thread(self):
        self.config(threads=[Q1, Q2])
        self.ok("add", Q1)
        p = self.ok("remove", Q1)
        self.assertIn("removed zhihu:%s" % Q1, p.stdout)
        self.assertIn("%s:" % self.cfg, p.stdout)
        self.assertIn("stays removed", p.stdout)

    def test_a_removal_sticks_although_the_configuration_lists_the_thread(self):
        self.config(threads=[Q1, Q2])
        self.ok("refresh")
        self.ok("remove", Q1)
        harness.sql(self.db, "UPDATE threads SET next_due_at = 0")
        self.ok("refresh")
        self.assertEqual(self.row(Q1)[0], "removed")
        harness.sql(self.db, "UPDATE threads SET next_due_at = 0")
        d = self.daemon()
        d.wait_log("refresh zhihu:%s" % Q2, "the daemon's refresh of the other thread")
        self.assertEqual(self.row(Q1)[0], "removed")
        self.assertNotIn("zhihu:%s" % Q1, d.log())

    def test_remove_says_nothing_of_a_thread_the_configuration_does_not_list(self):
        self.config(threads=[Q2])
        self.ok("add", Q1)
        p = self.ok("remove", Q1)
        self.assertEqual(p.stdout, "removed zhihu:%s (history kept)\n" % Q1)


class ExportTest(OperatorTest):
    def mode(self, path):
        return stat.S_IMODE(os.stat(path).st_mode)

    def test_the_export_folder_is_readable_under_umask_0077(self):
        out = os.path.join(self.tmp, "export")
        self.config(extra='[export]\ndir = "%s"' % out)
        self.ok("refresh", Q1, umask=0o077)
        self.assertEqual(self.mode(out), 0o755)
        self.assertEqual(self.mode(os.path.join(out, Q1 + ".md")), 0o644)

    def test_export_mode_sets_files_and_folder(self):
        out = os.path.join(self.tmp, "export")
        self.config(extra='[export]\ndir = "%s"\nmode = "0640"' % out)
        self.ok("refresh", Q1, umask=0o077)
        self.assertEqual(self.mode(out), 0o750)
        self.assertEqual(self.mode(os.path.join(out, Q1 + ".md")), 0o640)
        self.assertIn('mode = "0640"', self.ok("check-config").stdout)
        self.config(extra='[export]\ndir = "%s"\nmode = "0444"' % out)
        p = self.a("check-config")
        self.assertEqual(p.returncode, 2)
        self.assertIn("export.mode", p.stderr)

    def test_export_enabled_later_writes_every_threads_file_at_the_next_run(self):
        self.ok("add", Q1, Q2)
        self.ok("refresh")
        out = os.path.join(self.tmp, "export")
        self.config(extra='[export]\ndir = "%s"' % out)
        self.mock_clear()
        p = self.ok("refresh")  # nothing is due
        self.assertEqual(self.question_fetches(), [])
        # Every thread's document, and the feeds written beside them (docs/viewer.md).
        self.assertEqual(sorted(os.listdir(out)), sorted([Q1 + ".md", Q2 + ".md", "feeds"]),
                         p.stderr)
        show = self.ok("show", Q2).stdout
        with open(os.path.join(out, Q2 + ".md")) as f:
            self.assertEqual(f.read(), show)

    def mock_clear(self):
        harness.http("DELETE", self.mock.base + "/_mock/requests")


@unittest.skipUnless(os.geteuid() == 0 and shutil.which("setpriv"),
                     "needs root to run archivist as another user")
class UnreadableFileTest(OperatorTest):
    def test_an_unreadable_config_file_names_the_user_and_the_file(self):
        os.chmod(self.cfg, 0o600)
        p = self.a("check-config", user="nobody")
        self.assertEqual(p.returncode, 2, p.stderr)
        self.assertIn("cannot read config file %s: Permission denied for user nobody (uid 65534)"
                      % self.cfg, p.stderr)
        self.assertIn("owned by root:root with mode 0600", p.stderr)

    def test_an_unreadable_cookies_file_names_the_user(self):
        cookies = os.path.join(self.tmp, "cookies.txt")
        with open(cookies, "w") as f:
            f.write("127.0.0.1\tFALSE\t/\tFALSE\t0\tz_c0\tsecret\n")
        os.chmod(cookies, 0o600)
        os.chmod(self.cfg, 0o644)
        self.config(fetch='cookies_file = "%s"' % cookies)
        p = self.a("check-config", user="nobody")
        self.assertEqual(p.returncode, 2, p.stderr)
        self.assertIn('fetch.cookies_file "%s" cannot be read: Permission denied for user nobody'
                      % cookies, p.stderr)


    def test_an_unreadable_archive_names_the_user_and_is_not_missing(self):
        self.ok("add", Q1)
        os.chmod(self.db, 0o600)
        for verb in (["list"], ["add", Q2], ["refresh", Q1]):
            p = self.a(*verb, user="nobody")
            self.assertEqual(p.returncode, 1, p.stderr)
            self.assertIn("Permission denied for user nobody (uid 65534): the file is owned by "
                          "root:root with mode 0600", p.stderr)
            self.assertNotIn("no archive", p.stderr)


@unittest.skipUnless(os.geteuid() == 0 and shutil.which("setpriv"),
                     "needs root to run archivist as another user")
class RootOnAServiceArchiveTest(OperatorTest):
    def test_root_refreshing_a_services_archive_leaves_every_file_to_the_service(self):
        state = os.path.join(self.tmp, "state")
        os.mkdir(state, 0o700)
        os.chown(state, 65534, 65534)
        db = os.path.join(state, "archive.db")
        self.assertEqual(self.a("--db", db, "add", Q1, user="nobody").returncode, 0)
        self.ok("--db", db, "refresh", Q1)   # root, by hand, a named thread
        harness.sql(db, "UPDATE threads SET next_due_at = 0")
        self.ok("--db", db, "refresh")       # root, the due threads: takes the lock
        owners = {n: os.stat(os.path.join(state, n)).st_uid for n in os.listdir(state)}
        self.assertIn("archive.db.lock", owners)
        self.assertEqual(set(owners.values()), {65534}, owners)
        harness.sql(db, "UPDATE threads SET next_due_at = 0")
        p = self.a("--db", db, "refresh", user="nobody")  # the service's user can lock it
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertTrue(p.stdout.startswith(Q1), p.stdout)


class CredentialsTest(OperatorTest):
    def setUp(self):
        super().setUp()
        self.creds = os.path.join(self.tmp, "credentials")
        os.mkdir(self.creds)
        with open(os.path.join(self.creds, "zhihu-cookies"), "w") as f:
            f.write("127.0.0.1\tFALSE\t/\tFALSE\t0\tz_c0\tfrom-credentials\n")
        self.config(fetch='cookies_file = "${CREDENTIALS_DIRECTORY}/zhihu-cookies"')

    def test_a_cookies_file_in_the_units_credentials_folder_is_sent(self):
        env = dict(self.env, CREDENTIALS_DIRECTORY=self.creds)
        self.ok("refresh", Q1, env=env)
        log = json.loads(harness.http("GET", self.mock.base + "/_mock/requests")[1])
        cookies = [r["headers"].get("cookie", "") for r in log if "/questions/" in r["target"]]
        self.assertTrue(cookies and all("z_c0=from-credentials" in c for c in cookies), cookies)

    def test_outside_the_unit_only_a_fetch_needs_the_credential(self):
        self.ok("add", Q1)
        self.ok("list")
        p = self.a("refresh", Q1)
        self.assertNotEqual(p.returncode, 0)
        self.assertIn("$CREDENTIALS_DIRECTORY is not set", p.stderr)


if __name__ == "__main__":
    ARGS, rest = harness.parse_args("archivist", "mock", "data")
    harness.run_unittest(rest)
