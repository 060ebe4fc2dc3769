#!/usr/bin/env python3
"""The browser backend through the real `archivist` binary, in a real headless Chromium with its
sandbox (as root the browser runs as `nobody`), against `mock_zhihu --web` with signatures on:
the page's own script must sign every /feeds request, so the HTTP backend is blocked.

 - fetch --backend browser reads a multi-page question completely (the dump's ids, in order)
   while --backend http is refused with 10003; the browser runs as nobody, and no browser is
   left when archivist exits;
 - refresh --backend browser twice with an answer edited and another removed in the dump
   between them: answer_edited, and answer_deleted confirmed by the single-answer probe, which
   went through the browser (the answer page, never the API);
 - web faults (captcha, login wall, a block on page 3, 429 on page 2) are recorded as their
   outcomes and delete nothing;
 - SIGKILL of `archivist refresh` mid-fetch leaves no browser process;
 - the daemon: on http it starts no browser (blocked refreshes); a reload switches it to the
   browser (complete refreshes, the hot list read through the browser with a session from
   `archivist login`, /metrics counting browser starts and page loads, /healthz ok); SIGTERM,
   SIGINT, a failed start and SIGKILL leave no browser; a browser that cannot start makes
   /healthz 503 with the reason;
 - archivist login (headless, the person scripted): no session before, a z_c0 cookie after
   submitting the sign-in form, still there in the profile on the next run; no display and a
   missing browser are clear errors.

A browser process is one whose executable is Chromium and whose command line names the test's
profile (--user-data-dir; the browser passes it to every process it starts), so other Chromium
processes on the machine do not count.

usage: browser_cli_test.py --archivist PATH --mock PATH --data tests/data [--keep]
"""
import ctypes
import functools
import json
import os
import pwd
import re
import signal
import subprocess
import sys
import time
import unittest
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402
from harness import (Daemon, FixtureMock, check_whole, http, main,  # noqa: E402
                     scratch, sql)

ARGS = None
MULTI = "651332768"  # 55 answers: the page's 5, then /feeds pages 2..11
SMALL = "355903822"  # 6 answers: the page's 5, then one /feeds page
DRAINED = "553528155"  # 5 answers, all in the page
QUESTIONS = (MULTI, SMALL, DRAINED, "619125262")
GUARD = 60  # seconds: the longest any single wait may take before the test gives up
wait_until = functools.partial(harness.wait_until, timeout=GUARD, interval=0.1)


def browser_processes(profile):
    """Live Chromium processes of `profile` (--user-data-dir, which every process of the
    browser carries on its command line): {pid: uid}."""
    # Chromium rewrites its command line as one string (a process title): match the argument
    # up to a space or NUL.
    needle = re.compile(re.escape(("--user-data-dir=" + os.path.abspath(profile)).encode()) + rb"(?=[ \0]|$)")
    found = {}
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            exe = os.readlink("/proc/%s/exe" % pid)  # fails for zombies
            if "chromium" not in os.path.basename(exe):
                continue
            with open("/proc/%s/cmdline" % pid, "rb") as f:
                if not needle.search(f.read()):
                    continue
            found[int(pid)] = os.stat("/proc/%s" % pid).st_uid
        except OSError:
            continue
    return found


def copy_sockets(pid):
    """Copies of every socket `pid` holds (pidfd_getfd; needs ptrace rights over it)."""
    libc = ctypes.CDLL(None, use_errno=True)
    pidfd = libc.syscall(434, pid, 0)  # pidfd_open
    assert pidfd >= 0, os.strerror(ctypes.get_errno())
    copies = []
    try:
        for name in os.listdir("/proc/%d/fd" % pid):
            try:
                if not os.readlink("/proc/%d/fd/%s" % (pid, name)).startswith("socket:"):
                    continue
            except OSError:
                continue
            fd = libc.syscall(438, pidfd, int(name), 0)  # pidfd_getfd
            assert fd >= 0, os.strerror(ctypes.get_errno())
            copies.append(fd)
    finally:
        os.close(pidfd)
    return copies


def assert_no_browser(profile, what, grace=5.0):
    """No browser process of `profile` within `grace` seconds (renderers leave shortly after)."""
    wait_until(lambda: not browser_processes(profile), "no browser after " + what, timeout=grace,
               on_fail=lambda: ": left %r" % browser_processes(profile))


def mock(tmp):
    """mock_zhihu --web (signatures on) over copies of the fixture questions, so that a test
    may edit them."""
    return FixtureMock(ARGS.mock, ARGS.data, tmp, QUESTIONS, flags=["--web"])


def workdir(parent, name):
    """A folder the browser user may enter (the profile is made inside it)."""
    path = os.path.join(parent, name)
    os.makedirs(path)
    os.chmod(path, 0o711)
    return path


class Cli:
    """`archivist --config <dir>/archivist.toml …` with the archive and profile in <dir>."""

    def __init__(self, directory, mock_url, fetch="", rest=""):
        self.dir = directory
        self.db = os.path.join(directory, "archive.db")
        self.profile = os.path.join(directory, "browser-profile")  # the default: beside the archive
        self.config = os.path.join(directory, "archivist.toml")
        with open(self.config, "w") as f:
            f.write('[store]\npath = "%s"\n[fetch]\nper_host_delay = "0s"\ntimeout = "20s"\n%s'
                    '[zhihu]\nbase_url = "%s"\n%s' % (self.db, fetch, mock_url, rest))

    def edit_config(self, old, new):
        with open(self.config) as f:
            text = f.read()
        assert old in text, (old, text)
        with open(self.config + ".new", "w") as f:
            f.write(text.replace(old, new))
        os.replace(self.config + ".new", self.config)

    def argv(self, *args):
        return [ARGS.archivist, "--config", self.config, *args]

    def run(self, *args, rc=None, env=None):
        p = subprocess.run(self.argv(*args), capture_output=True, text=True, timeout=180, env=env)
        if rc is not None:
            assert p.returncode == rc, "archivist %s: exit %d, want %d\n%s%s" % (
                " ".join(args), p.returncode, rc, p.stdout[-2000:], p.stderr[-2000:])
        return p

    def history(self, q):
        return [json.loads(line) for line in self.run("history", q, "--json", rc=0).stdout.splitlines()]

    def kinds(self, q):
        return [e["kind"] for e in self.history(q)]


class BrowserCliTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = cls.enterClassContext(scratch("browser-cli-", ARGS.keep, mode=0o711))
        cls.mock = cls.enterClassContext(mock(cls.tmp))

    def setUp(self):
        self.mock.set_faults("")

    def test_fetch_browser_complete_while_http_is_blocked(self):
        cli = Cli(workdir(self.tmp, "fetch"), self.mock.base)
        http_run = cli.run("fetch", MULTI, "--json", "--backend", "http", rc=1)
        refused = json.loads(http_run.stdout)
        self.assertEqual((refused["outcome"], refused["error"]["code"]), ("blocked", "10003"))
        self.assertFalse(os.path.exists(cli.profile), "the http backend made a browser profile")

        proc = subprocess.Popen(cli.argv("fetch", MULTI, "--json", "--backend", "browser"),
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        users = set()
        while proc.poll() is None:  # who the browser runs as, while it runs
            users |= set(browser_processes(cli.profile).values())
            time.sleep(0.05)
        out, err = proc.communicate()
        self.assertEqual(proc.returncode, 0, err)
        got = json.loads(out)
        self.assertEqual(got["outcome"], "complete")
        self.assertEqual(got["pages"], 11)
        self.assertEqual([a["id"] for a in got["answers"]], [str(a["id"]) for a in self.mock.dump(MULTI)])
        self.assertTrue(users, "no browser process was seen")
        if os.geteuid() == 0:
            self.assertEqual(users, {pwd.getpwnam("nobody").pw_uid})
            self.assertEqual(os.stat(cli.profile).st_uid, pwd.getpwnam("nobody").pw_uid)
        signed = [r for r in self.mock.request_log() if r["route"] == "feeds" and r["signed"]]
        self.assertTrue(signed and all(r["signature_valid"] for r in signed))
        assert_no_browser(cli.profile, "archivist fetch exited", grace=2)

    def test_refresh_records_an_edit_and_a_probed_deletion(self):
        cli = Cli(workdir(self.tmp, "refresh"), self.mock.base)
        first = cli.run("refresh", SMALL, "--backend", "browser", rc=0)
        self.assertRegex(first.stdout, r"%s .* \+6 ~0 -0  answers 6  complete" % SMALL)
        answers = self.mock.dump(SMALL)
        edited, removed = str(answers[1]["id"]), str(answers[5]["id"])
        answers[1]["content"] += "<p>edited between two browser refreshes</p>"
        answers[1]["updated_time"] += 60
        self.mock.write_dump(SMALL, answers[:5])
        before = len(self.mock.request_log())
        second = cli.run("refresh", SMALL, "--backend", "browser", rc=0)
        self.assertRegex(second.stdout, r"%s .* \+0 ~1 -1  answers 5  complete" % SMALL)
        events = {e["kind"]: e for e in cli.history(SMALL) if e["kind"] in ("answer_edited", "answer_deleted")}
        self.assertEqual(events["answer_edited"]["answer"], edited)
        self.assertEqual(events["answer_deleted"]["answer"], removed)
        paths = [r["path"] for r in self.mock.request_log()[before:]]
        self.assertIn("/answer/" + removed, paths)  # the probe, through the browser
        self.assertNotIn("/api/v4/answers/" + removed, paths)
        check_whole(cli.db)
        assert_no_browser(cli.profile, "archivist refresh exited", grace=2)

    def test_web_faults_are_outcomes_and_delete_nothing(self):
        cli = Cli(workdir(self.tmp, "faults"), self.mock.base)
        cli.run("refresh", MULTI, "--backend", "browser", rc=0)
        cases = [("route=question_page action=captcha", "blocked", 55),
                 ("qid=%s action=login_wall answers=12" % MULTI, "auth_required", 55),
                 ("route=feeds page=3 action=status status=403 code=40362", "blocked", 55),
                 ("route=feeds page=2 action=status status=429 retry_after=30", "rate_limited", 55)]
        for faults, outcome, answers in cases:
            with self.subTest(faults=faults):
                self.mock.set_faults(faults)
                r = cli.run("refresh", MULTI, "--backend", "browser", rc=1)
                self.assertRegex(r.stdout, r"%s .* -0  answers %d  %s\n" % (MULTI, answers, outcome))
        self.assertNotIn("answer_deleted", cli.kinds(MULTI))
        outcomes = [o for (o,) in sql(cli.db, "SELECT outcome FROM fetches ORDER BY id")]
        self.assertEqual(outcomes, ["complete", "blocked", "auth_required", "blocked", "rate_limited"])
        check_whole(cli.db)

    def test_sigkill_of_refresh_mid_fetch_leaves_no_browser(self):
        """The test holds copies of archivist's sockets, its end of the DevTools pipe among
        them, so that the browser cannot see the pipe close and quit by itself: only the
        parent-death signal can take it down."""
        cli = Cli(workdir(self.tmp, "kill-refresh"), self.mock.base)
        self.mock.set_faults("route=feeds action=delay ms=3000")
        before = len(self.mock.request_log())
        proc = subprocess.Popen(cli.argv("refresh", MULTI, "--backend", "browser"),
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        held = []
        try:
            wait_until(lambda: any(r["route"] == "feeds" for r in self.mock.request_log()[before:]),
                       "a /feeds request of the page")
            self.assertTrue(browser_processes(cli.profile))
            held = copy_sockets(proc.pid)
            self.assertTrue(held)
        finally:
            proc.kill()
            proc.wait()
        try:
            assert_no_browser(cli.profile, "SIGKILL of archivist refresh")
        finally:
            for fd in held:
                os.close(fd)
            for pid in browser_processes(cli.profile):  # a failed check leaves nothing behind
                os.kill(pid, signal.SIGKILL)

    def test_login(self):
        cli = Cli(workdir(self.tmp, "login"), self.mock.base)
        env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
        r = cli.run("login", rc=2, env=env)
        self.assertIn("no display", r.stderr)
        self.assertIn("fetch.cookies_file", r.stderr)
        r = cli.run("login", "--headless", "close", rc=1)
        self.assertIn("not logged in", r.stdout)
        r = cli.run("login", "--headless", "submit", rc=0)
        self.assertIn("logged in: the profile %s holds a z_c0 cookie for 127.0.0.1" % cli.profile, r.stdout)
        r = cli.run("login", "--headless", "close", rc=0)  # kept in the profile
        self.assertIn("logged in", r.stdout)
        self.assertTrue(any(r["method"] == "POST" and r["path"] == "/signin" for r in self.mock.request_log()))
        assert_no_browser(cli.profile, "archivist login", grace=2)
        missing = Cli(workdir(self.tmp, "login-missing"), self.mock.base,
                      fetch='browser = "/nonexistent/chromium"\n')
        r = missing.run("login", "--headless", "close", rc=2)
        self.assertIn("install Debian's package 'chromium'", r.stderr)
        r = missing.run("fetch", SMALL, "--backend", "browser", rc=2)
        self.assertIn("install Debian's package 'chromium'", r.stderr)
        missing.run("check-config", rc=0)  # the http backend needs no browser
        missing.run("fetch", DRAINED, "--backend", "http", rc=1)  # blocked, not a usage error
        missing.edit_config('[fetch]\n', '[fetch]\nbackend = "browser"\n')
        r = missing.run("check-config", rc=2)
        self.assertRegex(r.stderr, r"archivist\.toml:\d+:\d+: fetch\.browser: browser "
                                   r"'/nonexistent/chromium' does not exist")
        self.assertIn("install Debian's package 'chromium'", r.stderr)


def daemon(cli, name):
    """`archivist --config … daemon` of `cli`, its log in <dir>/<name>.log (not yet ready)."""
    env = {k: v for k, v in os.environ.items() if k not in ("NOTIFY_SOCKET", "WATCHDOG_USEC")}
    return Daemon(cli.argv("daemon"), os.path.join(cli.dir, name + ".log"), env)


def daemon_cli(directory, mock_url, backend, threads, fetch=""):
    rest = ('[schedule]\nmin_interval = "1s"\ninitial_interval = "1s"\nmax_interval = "2s"\n'
            '[daemon]\nstatus_listen = "127.0.0.1:0"\n')
    rest += "".join('[[thread]]\nurl = "%s"\n' % q for q in threads)
    return Cli(directory, mock_url, 'backend = "%s"\nconcurrency = 2\n%s' % (backend, fetch), rest)


class BrowserDaemonTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = cls.enterClassContext(scratch("browser-daemon-", ARGS.keep, mode=0o711))
        cls.mock = cls.enterClassContext(mock(cls.tmp))

    def test_the_daemon_switches_to_the_browser_and_reaps_it_on_every_exit(self):
        self.mock.set_faults("")
        cli = daemon_cli(workdir(self.tmp, "daemon"), self.mock.base, "http", [SMALL, DRAINED])
        # A session for the hot list, from a scripted login on the daemon's profile.
        cli.run("login", "--headless", "submit", rc=0)
        d = daemon(cli, "http").ready()
        d.wait_refresh(lambda r: r["outcome"] == "blocked", "a blocked refresh on http", timeout=GUARD)
        self.assertEqual(d.metrics()["archivist_browser_starts_total"], 0)
        self.assertFalse(browser_processes(cli.profile), "the http backend started a browser")

        cli.edit_config('backend = "http"', 'backend = "browser"')
        cli.edit_config("[daemon]", '[discovery]\nzhihu_hot = true\ninterval = "1h"\n[daemon]')
        at = len(d.log())
        d.proc.send_signal(signal.SIGHUP)
        wait_until(lambda: sum(r["outcome"] == "complete" for r in d.refreshes(at)) >= 4,
                   "complete refreshes", on_fail=d.tail)
        wait_until(lambda: "discovered zhihu:" in d.log(), "threads discovered on the hot list", on_fail=d.tail)
        m = d.metrics()
        complete = sum(r["outcome"] == "complete" for r in d.refreshes(at))
        self.assertGreaterEqual(m["archivist_browser_starts_total"], 1)
        self.assertGreaterEqual(m["archivist_browser_page_loads_total"], complete + 1)  # + the hot list
        self.assertEqual(m['archivist_discovery_polls_total{result="ok"}'], 1)
        self.assertEqual(http("GET", d.status_url + "/healthz"), (200, "ok\n"))
        self.assertTrue(browser_processes(cli.profile))
        d.end(signal.SIGTERM, timeout=GUARD)
        assert_no_browser(cli.profile, "SIGTERM of the daemon")

        d = daemon(cli, "sigint").ready()
        at = len(d.log())
        d.wait_refresh(lambda r: r["outcome"] == "complete", "a complete refresh", at, timeout=GUARD)
        d.end(signal.SIGINT, timeout=GUARD)
        assert_no_browser(cli.profile, "SIGINT of the daemon")

        # SIGKILL mid-fetch: the browser dies with the daemon (its parent-death signal).
        self.mock.set_faults("route=feeds action=delay ms=4000")
        before = len(self.mock.request_log())
        d = daemon(cli, "sigkill").ready()
        wait_until(lambda: any(r["route"] == "feeds" for r in self.mock.request_log()[before:]),
                   "a /feeds request of the page", on_fail=d.tail)
        self.assertTrue(browser_processes(cli.profile))
        held = copy_sockets(d.proc.pid)  # the browser must not learn of it from its pipe
        d.proc.kill()
        d.proc.wait()
        d.log_file.close()
        try:
            assert_no_browser(cli.profile, "SIGKILL of the daemon")
        finally:
            for fd in held:
                os.close(fd)
        self.mock.set_faults("")

        # A failed start (the status address is taken) starts no browser and leaves none.
        busy = urllib.parse.urlparse(self.mock.base).netloc
        cli.edit_config('status_listen = "127.0.0.1:0"', 'status_listen = "%s"' % busy)
        d = daemon(cli, "failed")
        d.proc.wait(timeout=GUARD)
        d.log_file.close()
        self.assertEqual(d.proc.returncode, 1, d.tail())
        assert_no_browser(cli.profile, "a failed start", grace=1)

    def test_healthz_reports_a_browser_that_cannot_start(self):
        cli = daemon_cli(workdir(self.tmp, "broken"), self.mock.base, "browser", [DRAINED],
                         'browser = "/bin/false"\n')
        d = daemon(cli, "broken").ready()
        d.wait_refresh(lambda r: r["outcome"] == "transient", "a transient refresh", timeout=GUARD)
        code, body = http("GET", d.status_url + "/healthz")
        self.assertEqual(code, 503)
        self.assertIn("browser cannot start: the browser did not start", body)
        self.assertEqual(d.metrics()["archivist_up"], 0)
        d.end(signal.SIGTERM, timeout=GUARD)


if __name__ == "__main__":
    main(globals(), "archivist", "mock", "data", keep=True)
