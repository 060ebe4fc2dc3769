#!/usr/bin/env python3
"""The mock's web mode in a real headless Chromium: the page's own script renders the first
answers, fetches every /feeds page with a valid signature only as the reader scrolls, and
renders the whole question. Chromium is driven over the DevTools protocol on a pipe (fds 3
and 4, NUL-separated JSON); as root it runs as `nobody` with its sandbox on (~10 s).

usage: mock_web_browser_test.py --mock PATH --data tests/data [--chromium PATH]
"""
import fcntl
import json
import os
import select
import shutil
import signal
import subprocess
import tempfile
import time
import unittest

from harness import MockServer, main  # noqa: E402

ARGS = None
MULTI = "403386078"  # 29 answers: the page's 5, then /feeds pages 1..5


class Cdp:
    """A Chromium with --remote-debugging-pipe, and a blocking client for it."""

    def __init__(self, chromium):
        # Its own directory: under root it must be reachable by nobody.
        workdir = self.workdir = tempfile.mkdtemp(prefix="mock-web-chromium-")
        self.profile = os.path.join(workdir, "profile")
        os.makedirs(self.profile)
        self.stderr_path = os.path.join(workdir, "chromium.log")
        argv = [chromium, "--headless", "--remote-debugging-pipe", "--user-data-dir=" + self.profile,
                "--no-first-run", "--no-default-browser-check", "--disable-gpu", "--mute-audio",
                "--blink-settings=imagesEnabled=false", "--window-size=800,600",
                "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1", "about:blank"]
        env = dict(os.environ, HOME=self.profile, XDG_CONFIG_HOME=self.profile, XDG_CACHE_HOME=self.profile)
        if os.geteuid() == 0:  # Chromium's sandbox refuses root: run it as nobody
            for d in (workdir, self.profile):
                shutil.chown(d, "nobody", "nogroup")
            argv = ["setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups", "--"] + argv
        to_browser_r, self.to_browser = os.pipe()
        self.from_browser, from_browser_w = os.pipe()

        def child_fds():
            a = fcntl.fcntl(to_browser_r, fcntl.F_DUPFD, 10)
            b = fcntl.fcntl(from_browser_w, fcntl.F_DUPFD, 10)
            os.dup2(a, 3)
            os.dup2(b, 4)

        with open(self.stderr_path, "w") as err:
            self.proc = subprocess.Popen(argv, env=env, preexec_fn=child_fds, close_fds=False,
                                         stdin=subprocess.DEVNULL, stdout=err, stderr=err,
                                         start_new_session=True)
        os.close(to_browser_r)
        os.close(from_browser_w)
        self.buf, self.next_id, self.events = b"", 0, []

    def close(self):
        try:
            self.send("Browser.close", timeout=5)
        except Exception:
            pass
        try:
            self.proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait()
        os.close(self.to_browser)
        os.close(self.from_browser)
        shutil.rmtree(self.workdir, ignore_errors=True)

    def log_tail(self):
        with open(self.stderr_path, errors="replace") as f:
            return f.read()[-3000:]

    def _read(self, deadline):
        while b"\0" not in self.buf:
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError("no message from Chromium\n" + self.log_tail())
            if select.select([self.from_browser], [], [], left)[0]:
                chunk = os.read(self.from_browser, 1 << 20)
                if not chunk:
                    raise EOFError("Chromium closed its pipe\n" + self.log_tail())
                self.buf += chunk
        msg, self.buf = self.buf.split(b"\0", 1)
        return json.loads(msg)

    def send(self, method, params=None, session=None, timeout=15):
        self.next_id += 1
        msg = {"id": self.next_id, "method": method, "params": params or {}}
        if session:
            msg["sessionId"] = session
        os.write(self.to_browser, json.dumps(msg).encode() + b"\0")
        deadline = time.monotonic() + timeout
        while True:
            m = self._read(deadline)
            if m.get("id") == self.next_id:
                if "error" in m:
                    raise RuntimeError("%s: %s" % (method, m["error"]))
                return m["result"]
            self.events.append(m)

    def wait_event(self, method, session, timeout=15):
        deadline = time.monotonic() + timeout
        while True:
            for i, m in enumerate(self.events):
                if m.get("method") == method and m.get("sessionId") == session:
                    return self.events.pop(i)
            self.events.append(self._read(deadline))


class BrowserTest(unittest.TestCase):
    def setUp(self):
        self.mock = MockServer(ARGS.mock, [os.path.join(ARGS.data, "zhihu/questions")],
                               flags=["--web"])
        self.base = self.mock.base
        self.browser = Cdp(ARGS.chromium)

    def tearDown(self):
        self.browser.close()
        self.mock.stop()
        self.mock.proc.stdout.close()

    def log(self):
        return self.mock.request_log()

    def test_page_script_signs_every_feeds_page_as_the_reader_scrolls(self):
        with open(os.path.join(ARGS.data, "zhihu/questions", MULTI, "answers.json")) as f:
            expected = [a["id"] for a in json.load(f)]
        b = self.browser
        target = b.send("Target.createTarget", {"url": "about:blank"})["targetId"]
        s = b.send("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        b.send("Page.enable", session=s)
        b.send("Emulation.setDeviceMetricsOverride",
               {"width": 800, "height": 600, "deviceScaleFactor": 1, "mobile": False}, session=s)

        def js(expr):
            return b.send("Runtime.evaluate", {"expression": expr, "returnByValue": True},
                          session=s)["result"].get("value")

        b.send("Page.navigate", {"url": self.base + "/question/" + MULTI}, session=s)
        b.wait_event("Page.loadEventFired", s)
        rendered = "[...document.querySelectorAll('.AnswerItem')].map(e => e.getAttribute('name'))"
        state = "document.getElementById('js-listEnd').getAttribute('data-state')"
        time.sleep(0.5)
        # Without scrolling the page shows its five and asks for nothing more.
        self.assertEqual(js(rendered), expected[:5])
        self.assertEqual(js(state), "more")
        self.assertEqual([e["route"] for e in self.log() if e["path"] != "/favicon.ico"],
                         ["question_page", "static"])
        page_cookie = js("document.cookie")
        self.assertRegex(page_cookie, r"(^|; )d_c0=A[0-9a-f]{32}\|\d+")  # from the page's Set-Cookie
        # Without the server's cookie, the script makes its own d_c0 and signs with it.
        b.send("Network.clearBrowserCookies", session=s)

        def summary():
            return [(e["path"], e["query"].get("offset"), e["status"], e["signature_valid"])
                    for e in self.log()]

        deadline = time.monotonic() + 20
        while js(state) != "end":
            self.assertNotEqual(js(state), "error", summary())
            self.assertLess(time.monotonic(), deadline, (js(state), len(js(rendered))))
            js("window.scrollBy(0, 600)")
            time.sleep(0.05)
        self.assertEqual(js(rendered), expected)

        log = self.log()
        feeds = [e for e in log if e["route"] == "feeds"]
        self.assertEqual([e["query"]["offset"] for e in feeds], ["1", "2", "3", "4", "5"])
        d_c0 = {e["cookies"].get("d_c0") for e in feeds}
        self.assertEqual(len(d_c0), 1)
        self.assertNotIn(d_c0.pop(), (None, page_cookie.split("d_c0=")[1].split(";")[0]))
        for e in feeds:
            self.assertEqual((e["status"], e["signed"], e["signature_valid"]), (200, True, True), e)
            self.assertEqual(e["headers"]["x-zse-93"], "101_3_3.0")
            self.assertRegex(e["headers"]["x-zse-96"], "^2.0_[0-9a-f]{32}$")
        self.assertEqual({e["headers"]["host"] for e in log}, {self.base[len("http://"):]})
        self.assertTrue(all(e["status"] in (200, 404) for e in log), summary())  # 404: a favicon at most


if __name__ == "__main__":
    main(globals(), "mock", "data", chromium=shutil.which("chromium") or "chromium")
