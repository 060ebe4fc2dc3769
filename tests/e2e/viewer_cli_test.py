#!/usr/bin/env python3
"""`archivist serve`, the read-only web viewer, through the real binary: an archive built by
`archivist refresh` against mock_zhihu over two refreshes (an answer edited by one
character, one deleted, hostile answers added), then every route over HTTP, `?at=` showing
the text of that time, the Atom feeds parsed by feedparser (no bozo, the right entries,
newest first, links on the Host the viewer was reached at), `export` writing the same feeds,
and the thread and diff pages in a real headless Chromium over the DevTools protocol: the
hostile answers (<script>, onerror= / onload= handlers, <svg onload>, javascript: links) run
nothing — no dialog, no console message, no DOM change — and screenshots of both pages are
kept in --artefacts (~15 s).

usage: viewer_cli_test.py --archivist PATH --mock PATH --data tests/data --artefacts DIR
"""
import datetime
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import unittest
import base64
import urllib.request

import feedparser

from harness import MockServer, archivist_daemon, main, read, scratch, sql, write_config

ARGS = None
QID = "1982867494206211639"
HOSTILE_ID = "1990000000000000007"
# Answer HTML that turns into Markdown holding markup a careless renderer would run.
HOSTILE_HTML = (
    "<p>&lt;script&gt;window.__pwned=1;alert('script')&lt;/script&gt;</p>"
    "<p>&lt;img src=x onerror=\"window.__pwned=2;alert('img')\"&gt;</p>"
    "<p>&lt;svg onload=\"window.__pwned=3;alert('svg')\"&gt;&lt;/svg&gt;</p>"
    "<p><a href=\"javascript:window.__pwned=4;alert('link')\">点这里 click</a></p>"
    "<p>&lt;a href=\"javascript:alert('raw')\"&gt;raw&lt;/a&gt;"
    "&lt;body onload=\"console.log('PWNED')\"&gt;</p>"
    "<pre><code>&lt;script&gt;console.log('PWNED')&lt;/script&gt;</code></pre>")


def now_iso():
    return datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def get(url, host=None):
    req = urllib.request.Request(url, headers={"Host": host} if host else {})
    try:
        with urllib.request.urlopen(req, timeout=20) as r:
            return r.status, dict(r.headers), r.read().decode("utf-8")
    except urllib.error.HTTPError as e:
        return e.code, dict(e.headers), e.read().decode("utf-8", "replace")


class ViewerTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.scratch = scratch("viewer_cli_test.")
        cls.tmp = cls.scratch.__enter__()
        cls.root = os.path.join(cls.tmp, "questions")
        os.makedirs(os.path.join(cls.root, QID))
        src = os.path.join(ARGS.data, "zhihu/questions", QID)
        for name in ("question.json", "answers.json"):
            shutil.copy(os.path.join(src, name), os.path.join(cls.root, QID, name))
        cls.mock = MockServer(ARGS.mock, [cls.root], log=False, quiet=True)
        cls.db = os.path.join(cls.tmp, "archive.db")
        answers = json.loads(read(os.path.join(cls.root, QID, "answers.json")))
        hostile = dict(answers[1], id=HOSTILE_ID, content=HOSTILE_HTML)
        hostile["author"] = dict(answers[1]["author"], name="<b>坏人</b> evil")
        answers.append(hostile)
        cls.A, cls.D = answers[0]["id"], answers[3]["id"]
        cls.write(answers)
        cls.refresh()
        cls.t1 = now_iso()
        plain = re.sub(r"<[^>]+>", "", answers[0]["content"])
        i = plain.index("的")
        cls.before, cls.after = plain[max(0, i - 4):i + 4], plain[max(0, i - 4):i] + "地" + plain[i + 1:i + 4]
        time.sleep(0.01)
        edited = answers[0]["content"].replace("的", "地", 1)
        assert edited != answers[0]["content"]
        answers[0] = dict(answers[0], content=edited, updated_time=answers[0]["updated_time"] + 60)
        answers = [a for a in answers if a["id"] != cls.D]
        i = next(k for k, a in enumerate(answers) if a["id"] == HOSTILE_ID)
        answers[i] = dict(answers[i], content=HOSTILE_HTML + "<p>&lt;iframe src=\"javascript:alert('frame')\"&gt;</p>",
                          updated_time=answers[i]["updated_time"] + 60)
        cls.write(answers)
        cls.export_dir = os.path.join(cls.tmp, "refresh-export")
        cls.refresh("--delete-confirmations", "1", "--export-dir", cls.export_dir)
        cls.t2 = now_iso()
        cls.serve = subprocess.Popen([ARGS.archivist, "--db", cls.db, "serve", "--listen",
                                      "127.0.0.1:0"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                     text=True)
        line = cls.serve.stdout.readline()
        m = re.search(r"http://127\.0\.0\.1:(\d+)/", line)
        assert m, (line, cls.serve.stderr.read() if cls.serve.poll() is not None else "")
        cls.port = m.group(1)
        cls.base = "http://127.0.0.1:" + cls.port

    @classmethod
    def tearDownClass(cls):
        cls.serve.send_signal(signal.SIGTERM)
        cls.serve.wait(timeout=10)
        cls.mock.stop()
        cls.scratch.__exit__(None, None, None)

    @classmethod
    def write(cls, answers):
        path = os.path.join(cls.root, QID, "answers.json")
        with open(path + ".new", "w") as f:
            json.dump(answers, f, ensure_ascii=False)
        os.replace(path + ".new", path)

    @classmethod
    def refresh(cls, *extra):
        p = subprocess.run([ARGS.archivist, "--db", cls.db, "--zhihu-base-url", cls.mock.base,
                            "refresh", QID, "--delay", "0", "--retries", "0", *extra],
                           capture_output=True, text=True, timeout=60)
        assert p.returncode == 0, p.stderr

    def page(self, path, status=200, host=None):
        code, headers, body = get(self.base + path, host)
        self.assertEqual(code, status, (path, body[:500]))
        csp = headers.get("Content-Security-Policy", "")
        self.assertTrue(csp.startswith("default-src 'none'"), (path, headers))
        self.assertNotIn("script-src", csp)
        return body

    def events(self):
        return sql(self.db, "SELECT kind, answer_id FROM events ORDER BY at DESC, id DESC")

    def test_every_route_answers(self):
        self.assertIn("怎么弥补自己的过错？", self.page("/"))
        thread = self.page("/question/" + QID)
        self.assertIn('<html lang="zh">', thread)
        self.assertIn('name="viewport"', thread)
        answer = self.page("/answer/%s" % self.A)
        self.assertIn("<td>2</td>", answer)
        diff = self.page("/answer/%s/diff?from=1&to=2" % self.A)
        self.assertIn("<del>的</del>", diff)
        self.assertIn("<ins>地</ins>", diff)
        self.assertIn("Changes", self.page("/changes"))
        self.page("/feeds/all.atom")
        self.page("/feeds/%s.atom" % QID)
        self.page("/question/42", status=404)
        self.page("/question/%s?at=tomorrow-ish" % QID, status=400)
        self.page("/nowhere", status=404)

    def test_thread_now_marks_the_deleted_answer_with_its_evidence(self):
        thread = self.page("/question/" + QID)
        m = re.search(r'<article class="answer deleted" id="a%s">.*?</p>' % self.D, thread, re.S)
        self.assertTrue(m, thread[:2000])
        self.assertIn('<span class="badge">deleted</span>', m.group(0))
        self.assertIn("probe: gone", m.group(0))
        self.assertIn("&lt;b&gt;坏人&lt;/b&gt; evil", thread)

    def test_at_shows_the_text_of_that_time(self):
        def text(page):  # the answer text as shown, without markup
            return re.sub(r"<[^>]+>", "", page)
        then = text(self.page("/question/%s?at=%s" % (QID, self.t1)))
        now = text(self.page("/question/" + QID))
        self.assertIn(self.before, then)
        self.assertNotIn(self.after, then)
        self.assertIn(self.after, now)
        self.assertNotIn(self.before, now)
        then = self.page("/question/%s?at=%s" % (QID, self.t1))
        self.assertNotIn('answer deleted', then)  # not yet deleted then
        self.assertIn('rel="next"', then)
        later = re.search(r'rel="next" href="([^"]+)"', then).group(1).replace("&amp;", "&")
        self.assertIn("answer deleted", self.page(later))
        self.assertIn('rel="prev"', self.page(later))

    def test_changes_since(self):
        recent = self.page("/changes?since=" + self.t1)
        self.assertIn("deleted in", recent)
        self.assertNotIn("archived", recent)  # thread_added was before t1
        self.assertIn("archived", self.page("/changes"))

    def check_feed(self, body, expected_kinds, host):
        feed = feedparser.parse(body)
        self.assertFalse(feed.bozo, getattr(feed, "bozo_exception", None))
        self.assertEqual(feed.version, "atom10")
        entries = feed.entries
        self.assertEqual(len(entries), len(expected_kinds))
        self.assertEqual(len({e.id for e in entries}), len(entries))
        stamps = [e.updated_parsed for e in entries]
        self.assertEqual(stamps, sorted(stamps, reverse=True))
        for e in entries:
            self.assertTrue(e.link.startswith("http://%s/" % host), e.link)
        titles = [e.title for e in entries]
        self.assertTrue(any(t.startswith("answer by ") and " edited in «怎么弥补自己的过错？»" in t
                            for t in titles), titles)
        self.assertTrue(any(" deleted in «" in t for t in titles), titles)
        return feed

    def test_feeds_parse_and_hold_every_event(self):
        kinds = self.events()
        host = "localhost:" + self.port
        feed = self.check_feed(self.page("/feeds/all.atom", host=host), kinds, host)
        edit = next(e for e in feed.entries if "/answer/%s/" % self.A in e.link)
        self.assertIn(" edited in ", edit.title)
        self.assertIn("/answer/%s/diff?question=%s&from=1&to=2" % (self.A, QID), edit.link)
        code, _, body = get(edit.link.replace("localhost", "127.0.0.1"))
        self.assertEqual(code, 200)
        self.check_feed(self.page("/feeds/%s.atom" % QID, host=host), kinds, host)
        # A Host that is not a plain host:port is not echoed.
        bad = feedparser.parse(self.page("/feeds/all.atom", host='evil"><x'))
        self.assertTrue(all(e.link.startswith(self.base + "/") for e in bad.entries))

    def test_export_writes_the_same_feeds(self):
        out = os.path.join(self.tmp, "export")
        p = subprocess.run([ARGS.archivist, "--db", self.db, "export", out, "--base-url",
                            "http://archive.example:9185/"], capture_output=True, text=True,
                           timeout=60)
        self.assertEqual(p.returncode, 0, p.stderr)
        kinds = self.events()
        served = feedparser.parse(self.page("/feeds/all.atom"))
        for name in ("all.atom", QID + ".atom"):
            feed = self.check_feed(read(os.path.join(out, "feeds", name)), kinds,
                                   "archive.example:9185")
            if name == "all.atom":
                self.assertEqual([e.id for e in feed.entries], [e.id for e in served.entries])

    def test_a_refresh_with_an_export_folder_writes_the_feeds_too(self):
        # The refresh that recorded the edit and the deletion exported the thread: its document
        # and the feeds, linked to the viewer's default address (no [web] listen configured).
        self.assertTrue(os.path.isfile(os.path.join(self.export_dir, QID + ".md")))
        kinds = self.events()
        served = feedparser.parse(self.page("/feeds/all.atom"))
        for name in ("all.atom", QID + ".atom"):
            feed = self.check_feed(read(os.path.join(self.export_dir, "feeds", name)), kinds,
                                   "127.0.0.1:9185")
            self.assertEqual([e.id for e in feed.entries], [e.id for e in served.entries])

    def test_the_daemon_serves_the_viewer_with_web_listen(self):
        home = os.path.join(self.tmp, "daemon")
        os.makedirs(home)
        db = os.path.join(home, "archive.db")
        shutil.copy(self.db, db)
        config = os.path.join(home, "archivist.toml")
        write_config(config, db, self.mock.base, [], extra='[web]\nlisten = "127.0.0.1:0"\n')
        d = archivist_daemon(ARGS.archivist, home, config)
        try:
            m = re.search(r"archive viewer at (http://127\.0\.0\.1:\d+)/", d.log())
            self.assertTrue(m, d.tail())
            code, headers, body = get(m.group(1) + "/question/" + QID)
            self.assertEqual(code, 200)
            self.assertIn("probe: gone", body)
            self.assertIn("default-src 'none'", headers["Content-Security-Policy"])
            d.end(signal.SIGTERM)
        finally:
            d.stop()

    def test_hostile_answers_run_nothing_in_a_real_browser(self):
        from mock_web_browser_test import Cdp
        b = Cdp(ARGS.chromium)
        try:
            self.browse(b)
        finally:
            b.close()

    def browse(self, b):
        target = b.send("Target.createTarget", {"url": "about:blank"})["targetId"]
        s = b.send("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        for domain in ("Page", "Runtime", "Log"):
            b.send(domain + ".enable", session=s)

        def js(expr):
            return b.send("Runtime.evaluate", {"expression": expr, "returnByValue": True},
                          session=s)["result"].get("value")

        os.makedirs(ARGS.artefacts, exist_ok=True)
        pages = [("viewer-thread.png", "/question/%s#a%s" % (QID, HOSTILE_ID), 412, 1400, True),
                 ("viewer-diff.png", "/answer/%s/diff?from=1&to=2" % self.A, 1100, 1000, False),
                 ("viewer-hostile-diff.png", "/answer/%s/diff?from=1&to=2" % HOSTILE_ID, 1100, 1000,
                  False)]
        for name, path, width, height, mobile in pages:
            b.send("Emulation.setDeviceMetricsOverride",
                   {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": mobile},
                   session=s)
            b.send("Page.navigate", {"url": self.base + path}, session=s)
            b.wait_event("Page.loadEventFired", s)
            time.sleep(0.5)  # any handler that could fire has fired
            self.assertIsNone(js("window.__pwned"), path)
            self.assertEqual(js("document.querySelectorAll('script, svg, iframe, object, embed').length"), 0)
            self.assertEqual(js("[...document.querySelectorAll('*')].flatMap(e => [...e.attributes])"
                                ".filter(a => a.name.startsWith('on')).length"), 0, path)
            self.assertEqual(js("[...document.querySelectorAll('[href],[src]')].filter(e => "
                                "/^\\s*javascript:/i.test(e.getAttribute('href') || e.getAttribute('src')))"
                                ".length"), 0, path)
            if HOSTILE_ID in path:  # shown as text
                self.assertTrue(js("document.body.innerText.includes('pwned=2;alert')"), path)
            shot = b.send("Page.captureScreenshot", {"format": "png"}, session=s)["data"]
            with open(os.path.join(ARGS.artefacts, name), "wb") as f:
                f.write(base64.b64decode(shot))
        dialogs = [e for e in b.events if e.get("method") == "Page.javascriptDialogOpening"]
        console = [e for e in b.events if e.get("method") == "Runtime.consoleAPICalled"]
        errors = [e for e in b.events if e.get("method") == "Runtime.exceptionThrown"]
        self.assertEqual(dialogs, [])
        self.assertEqual(console, [])
        self.assertEqual(errors, [])
        blocked = [e["params"]["entry"]["text"] for e in b.events
                   if e.get("method") == "Log.entryAdded"
                   and "Content Security Policy" in e["params"]["entry"].get("text", "")
                   and "script" in e["params"]["entry"]["text"]]
        self.assertEqual(blocked, [])  # not even a script for the policy to block


if __name__ == "__main__":
    main(globals(), "archivist", "mock", "data", "artefacts", chromium="chromium")
