#!/usr/bin/env python3
"""The images of the answers (docs/media.md) through the real archivist binary, against
mock_zhihu for the thread and a local image server (image_server.py) for its pictures
(--media-base-url): images of new revisions stored byte for byte, one image of two answers
stored once, 404 / 403 / a timeout / a body over max_size (with and without a length) / a
non-image type / a redirect to another host each recorded without failing the refresh or
adding an event, `export --media local` and `show --media local --at` linking files whose
hash is their name (the images of that time), the viewer serving /media/<sha256> and no
source or proxy URL, `media --check`, `backup` carrying the images, `[media] budget`, the
daemon storing the images of its refreshes, a SIGKILL while images are fetched losing
nothing committed, and the archive copied into PostgreSQL answering with the same images.

usage: media_cli_test.py --archivist PATH --mock PATH --data tests/data
"""
import datetime
import glob
import hashlib
import json
import os
import re
import signal
import sqlite3
import subprocess
import tempfile
import time
import unittest
import urllib.request

from harness import (FixtureMock, PgServer, archivist_daemon, file_tree, main, read, scratch,
                     sql, wait_until, write_config)
from image_server import ImageServer, image_bytes

ARGS = None
QID = "1982867494206211639"  # 7 short answers, no pictures of their own


def picture(name):
    """A Zhihu figure as served: a noscript copy and a lazy placeholder of one picture."""
    full = "https://pic1.zhimg.com/v2-%s_r.jpg" % name
    small = "https://pic1.zhimg.com/50/v2-%s_720w.jpg" % name
    return ('<figure><noscript><img src="%s" data-original="%s"/></noscript>'
            '<img src="data:image/svg+xml;utf8,&lt;svg&gt;&lt;/svg&gt;" data-original="%s" '
            'data-actualsrc="%s" class="origin_image lazy"/></figure>' % (small, full, full, small))


def path_of(name):
    return "/v2-%s_r.jpg" % name


def sha(data):
    return hashlib.sha256(data).hexdigest()


CONTENTS = [
    "<p>zero</p>" + picture("shared") + picture("alpha"),
    "<p>one</p>" + picture("shared") + picture("missing"),
    "<p>two</p>" + picture("forbidden") + picture("slow"),
    "<p>three</p>" + picture("big") + picture("chunked"),
    "<p>four</p>" + picture("html") + picture("redirect"),
    '<p>five</p><p><img src="http://pic1.zhimg.com/v2-plain_r.jpg"/>'
    '<img src="https://example.com/v2-other_r.jpg"/></p>',
    "<p>six, no picture</p>",
]


def now_iso():
    return datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%f+00:00")


class MediaTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="archivist_media.")
        cls.mock = FixtureMock(ARGS.mock, ARGS.data, cls.tmp, [QID])
        cls.images = ImageServer()
        port = cls.images.base.rsplit(":", 1)[1]
        cls.images.rules.update({
            path_of("missing"): ("status", 404), path_of("forbidden"): ("status", 403),
            path_of("slow"): ("slow", 3), path_of("big"): ("big", 100000),
            path_of("chunked"): ("chunked", 100000), path_of("html"): ("type", "text/html"),
            path_of("redirect"): ("redirect", "http://localhost:%s/v2-else_r.jpg" % port)})
        answers = cls.mock.dump(QID)
        for a, content in zip(answers, CONTENTS):
            a["content"] = content
        cls.mock.write_dump(QID, answers)
        cls.db = os.path.join(cls.tmp, "archive.db")
        cls.config = os.path.join(cls.tmp, "archivist.toml")
        with open(cls.config, "w") as f:
            f.write('[fetch]\ntimeout = "1s"\nper_host_delay = "0s"\n'
                    '[media]\nmax_size = "64KiB"\n')
        cls.first = cls.refresh()
        cls.t1 = now_iso()
        answers[0]["content"] = "<p>zero v2</p>" + picture("shared") + picture("beta")
        answers[0]["updated_time"] += 60
        cls.mock.write_dump(QID, answers)
        cls.second = cls.refresh()

    @classmethod
    def tearDownClass(cls):
        cls.images.stop()
        cls.mock.stop()
        subprocess.run(["rm", "-rf", cls.tmp])

    @classmethod
    def run_a(cls, *args, db=None, check=0, config=None, timeout=60):
        cmd = [ARGS.archivist, "--config", config or cls.config, "--db", db or cls.db,
               "--zhihu-base-url", cls.mock.base, "--media-base-url", cls.images.base, *args]
        p = subprocess.run(cmd, capture_output=True, timeout=timeout)
        if check is not None:
            assert p.returncode == check, "%s -> %d\n%s\n%s" % (cmd, p.returncode, p.stdout,
                                                               p.stderr.decode(errors="replace"))
        return p

    @classmethod
    def refresh(cls, db=None):
        p = cls.run_a("refresh", QID, "--retries", "0", "--json", db=db)
        return json.loads(p.stdout.decode().splitlines()[0])

    def media(self):
        p = self.run_a("media", QID, "--json")
        return [json.loads(line) for line in p.stdout.decode().splitlines()]

    def by_name(self):
        out = {}
        for r in self.media():
            m = re.search(r"/v2-(\w+)_r\.jpg$", r["url"])
            out.setdefault(m.group(1), []).append(r)
        return out

    def test_refresh_outcome_and_events_are_untouched_by_images(self):
        self.assertEqual(self.first["outcome"], "complete")
        self.assertTrue(self.first["committed"])
        self.assertEqual((self.first["added"], self.first["thread_added"]), (7, True))
        self.assertEqual(self.first["media"], {"stored": 2, "failed": 6, "retry": 1, "left": 0,
                                               "error": None})
        kinds = sql(self.db, "SELECT kind, count(*) FROM events GROUP BY kind ORDER BY kind")
        self.assertEqual(kinds, [("answer_added", 7), ("answer_edited", 1), ("thread_added", 1)])
        self.assertEqual(self.second["media"]["stored"], 1)  # beta; shared was linked at once

    def test_each_image_is_stored_or_recorded_with_its_reason(self):
        refs = self.by_name()
        self.assertEqual(sorted(refs), ["alpha", "beta", "big", "chunked", "forbidden", "html",
                                        "missing", "redirect", "shared", "slow"])
        status = {name: [(r["status"], r["reason"]) for r in rs] for name, rs in refs.items()}
        self.assertEqual(status["missing"], [("not_found", "HTTP 404")])
        self.assertEqual(status["forbidden"], [("forbidden", "HTTP 403")])
        self.assertEqual(status["big"][0][0], "too_large")
        self.assertEqual(status["chunked"][0][0], "too_large")
        self.assertEqual(status["html"][0][0], "failed")
        self.assertIn("not an image", status["html"][0][1])
        self.assertEqual(status["redirect"][0][0], "failed")
        self.assertIn("redirected to another host", status["redirect"][0][1])
        self.assertEqual(status["slow"][0][0], "pending")
        self.assertIn("timeout", status["slow"][0][1])
        for name in ("alpha", "beta"):
            r = refs[name][0]
            self.assertEqual(r["status"], "stored")
            self.assertEqual(r["sha256"], sha(image_bytes(path_of(name))))
            self.assertEqual((r["size"], r["media_type"]), (3000, "image/jpeg"))
        # Not linked: an http image and one on another host.
        self.assertFalse(any("plain" in r["url"] or "example.com" in r["url"] for r in self.media()))
        # The history keeps every fetch; the too-large chunked body was cut off, not read.
        self.assertEqual(self.images.hits[path_of("shared")], 1)
        self.assertEqual(sql(self.db, "SELECT count(*) FROM media_fetches WHERE url LIKE '%missing%'"),
                         [(1,)])

    def test_one_image_of_two_answers_is_stored_once_byte_for_byte(self):
        refs = self.by_name()["shared"]
        self.assertEqual(len(refs), 3)  # answer 0 r1 and r2, answer 1 r1
        self.assertEqual({r["status"] for r in refs}, {"stored"})
        want = image_bytes(path_of("shared"))
        rows = sql(self.db, "SELECT data, size FROM media WHERE sha256 = ?", (sha(want),))
        self.assertEqual(rows, [(want, 3000)])
        self.assertEqual(sql(self.db, "SELECT count(*) FROM media"), [(3,)])

    def check_local_links(self, text, folder, prefix):
        links = re.findall(r"\]\((%s[0-9a-f]{64}\.jpg)\)" % re.escape(prefix), text)
        for link in links:
            data = read(os.path.join(folder, link[len(prefix):]), "rb")
            self.assertEqual(sha(data), os.path.basename(link)[:64])
        return [os.path.basename(l)[:64] for l in links]

    def test_export_media_local_links_resolve_to_files_of_their_hash(self):
        out = os.path.join(self.tmp, "export-local")
        self.run_a("export", out, "--media", "local")
        doc = read(os.path.join(out, QID + ".md"))
        hashes = self.check_local_links(doc, os.path.join(out, "media"), "media/")
        want = {sha(image_bytes(path_of(n))) for n in ("shared", "beta")}
        self.assertEqual(set(hashes), want)
        self.assertNotIn("v2-shared_r.jpg", doc)
        self.assertIn("v2-missing_r.jpg", doc)  # not stored: its link stays as it was
        # The default export is as before: proxy links, no media folder, show's bytes.
        plain = os.path.join(self.tmp, "export-plain")
        self.run_a("export", plain)
        self.assertFalse(os.path.exists(os.path.join(plain, "media")))
        text = read(os.path.join(plain, QID + ".md"))
        self.assertIn("https://images.weserv.nl/?url=https%3A//pic1.zhimg.com/v2-shared_r.jpg", text)
        self.assertEqual(text, self.run_a("show", QID).stdout.decode())

    def test_show_media_local_at_a_past_time_uses_the_images_of_then(self):
        folder = os.path.join(self.tmp, "show-media")
        then = self.run_a("show", QID, "--at", self.t1, "--media", "local",
                          "--media-dir", folder).stdout.decode()
        hashes = self.check_local_links(then, folder, folder + "/")
        self.assertIn(sha(image_bytes(path_of("alpha"))), hashes)
        self.assertNotIn(sha(image_bytes(path_of("beta"))), hashes)
        now = self.run_a("show", QID, "--media", "local", "--media-dir", folder).stdout.decode()
        hashes = self.check_local_links(now, folder, folder + "/")
        self.assertIn(sha(image_bytes(path_of("beta"))), hashes)
        self.assertNotIn(sha(image_bytes(path_of("alpha"))), hashes)

    def test_viewer_serves_images_from_the_archive_only(self):
        serve = subprocess.Popen([ARGS.archivist, "--db", self.db, "serve", "--listen",
                                  "127.0.0.1:0"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                 text=True)
        try:
            line = serve.stdout.readline()
            base = re.search(r"(http://127\.0\.0\.1:\d+)/", line).group(1)
            page = urllib.request.urlopen(base + "/question/" + QID, timeout=10)
            html = page.read().decode()
            self.assertIn("img-src 'self'", page.headers["Content-Security-Policy"])
            shared = sha(image_bytes(path_of("shared")))
            self.assertIn('src="/media/%s"' % shared, html)
            self.assertNotIn("weserv", html)
            self.assertNotIn("zhimg", html)
            r = urllib.request.urlopen(base + "/media/" + shared, timeout=10)
            self.assertEqual(r.read(), image_bytes(path_of("shared")))
            self.assertEqual(r.headers["Content-Type"], "image/jpeg")
            self.assertIn("immutable", r.headers["Cache-Control"])
            with self.assertRaises(urllib.error.HTTPError) as e:
                urllib.request.urlopen(base + "/media/" + "0" * 64, timeout=10)
            self.assertEqual(e.exception.code, 404)
        finally:
            serve.send_signal(signal.SIGTERM)
            serve.communicate(timeout=10)

    def test_check_and_backup(self):
        copy = os.path.join(self.tmp, "check.db")
        self.run_a("backup", copy)
        self.assertEqual(sql(copy, "SELECT count(*) FROM media"), [(3,)])
        p = self.run_a("media", "--check", db=copy)
        self.assertIn(b"checked 3 images: 0 damaged", p.stdout)
        beta = sha(image_bytes(path_of("beta")))
        con = sqlite3.connect(copy)
        con.execute("UPDATE media SET data = X'00' WHERE sha256 = ?", (beta,))
        con.commit()
        con.close()
        p = self.run_a("media", "--check", db=copy, check=1)
        self.assertIn(beta.encode(), p.stderr)

    def test_a_postgresql_archive_keeps_the_same_images(self):
        # The archive copied into PostgreSQL answers with the same images, byte for byte.
        with PgServer() as pg:
            pg.create_database("media")
            uri = pg.uri("media")
            self.run_a("copy-archive", self.db, uri)
            on_pg = self.run_a("media", QID, "--json", db=uri).stdout
            self.assertEqual(on_pg, self.run_a("media", QID, "--json").stdout)
            self.assertEqual(pg.psql("media", "SELECT count(*) FROM media"), "3\n")
            p = self.run_a("media", "--check", db=uri)
            self.assertIn(b"checked 3 images: 0 damaged", p.stdout)
            trees = []
            for name, db in (("export-lite", self.db), ("export-pg", uri)):
                out = os.path.join(self.tmp, name)
                self.run_a("export", out, "--media", "local", db=db)
                trees.append(file_tree(out))
            self.assertEqual(trees[0], trees[1])
            self.assertEqual(len([k for k in trees[0] if k.startswith("media/")]), 2)

    def test_media_off_links_and_fetches_nothing(self):
        config = os.path.join(self.tmp, "off.toml")
        with open(config, "w") as f:
            f.write('[fetch]\nper_host_delay = "0s"\n[media]\narchive = false\n')
        db = os.path.join(self.tmp, "off.db")
        before = dict(self.images.hits)
        p = self.run_a("refresh", QID, "--json", db=db, config=config)
        self.assertIsNone(json.loads(p.stdout)["media"])
        self.assertEqual(sql(db, "SELECT count(*) FROM media_refs"), [(0,)])
        self.assertEqual(self.images.hits, before)

    def test_media_of_one_answer(self):
        first = self.media()[0]["answer"]
        p = self.run_a("media", "https://www.zhihu.com/question/%s/answer/%s" % (QID, first))
        lines = p.stdout.decode().splitlines()
        self.assertTrue(lines)
        self.assertTrue(all(line.startswith(first + "  r") for line in lines), lines)
        self.assertIn("stored", lines[0])
        self.assertEqual(self.run_a("media", first).stdout.decode().splitlines(), lines)
        self.assertEqual(self.run_a("media", check=2).returncode, 2)

    def test_the_daemon_stores_the_images_of_its_refreshes(self):
        home = os.path.join(self.tmp, "daemon")
        os.makedirs(home)
        db = os.path.join(home, "archive.db")
        config = os.path.join(home, "archivist.toml")
        write_config(config, db, self.mock.base, [QID],
                     extra='[media]\nbase_url = "%s"\n' % self.images.base)
        daemon = archivist_daemon(ARGS.archivist, home, config)
        try:
            daemon.wait_log("images=stored:", "a refresh that stored images")
            stored = sql(db, "SELECT count(*) FROM media")[0][0]
            self.assertGreaterEqual(stored, 1)
            daemon.end(signal.SIGTERM)
        finally:
            daemon.stop()
        self.assertEqual(sql(db, "SELECT count(*) FROM events WHERE kind = 'answer_added'"), [(7,)])

    def test_the_budget_bounds_the_fetches_of_a_refresh(self):
        config = os.path.join(self.tmp, "budget.toml")
        with open(config, "w") as f:
            f.write('[fetch]\ntimeout = "1s"\nper_host_delay = "0s"\n[media]\nbudget = 1\n')
        db = os.path.join(self.tmp, "budget.db")
        first = json.loads(self.run_a("refresh", QID, "--json", db=db, config=config).stdout)
        self.assertEqual(first["media"], {"stored": 1, "failed": 0, "retry": 0, "left": 8,
                                          "error": None})
        second = json.loads(self.run_a("refresh", QID, "--json", db=db, config=config).stdout)
        self.assertEqual(second["media"]["left"], 7)
        self.assertEqual(sql(db, "SELECT count(*) FROM media_fetches"), [(2,)])

    def test_sigkill_while_fetching_images_loses_nothing_committed(self):
        db = os.path.join(self.tmp, "killed.db")
        config = os.path.join(self.tmp, "kill.toml")
        with open(config, "w") as f:
            f.write('[fetch]\ntimeout = "30s"\nper_host_delay = "0s"\n')
        self.images.rules[path_of("beta")] = ("slow", 20)
        hits = self.images.hits.get(path_of("beta"), 0)
        cmd = [ARGS.archivist, "--config", config, "--db", db, "--zhihu-base-url",
               self.mock.base, "--media-base-url", self.images.base, "refresh", QID]
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            wait_until(lambda: self.images.hits.get(path_of("beta"), 0) > hits,
                       "the refresh to ask for the slow image")
        finally:
            proc.send_signal(signal.SIGKILL)
            proc.wait()
        del self.images.rules[path_of("beta")]
        self.assertEqual(sql(db, "PRAGMA integrity_check"), [("ok",)])
        self.assertEqual(sql(db, "SELECT count(*) FROM events"), [(8,)])
        pending = sql(db, "SELECT status FROM media_refs WHERE url LIKE '%beta%'")
        self.assertEqual(pending, [("pending",)])
        # The next refresh, with nothing new in the thread, fetches what was left.
        again = self.run_a("refresh", QID, "--json", db=db, config=config)
        self.assertEqual(json.loads(again.stdout)["added"], 0)
        self.assertEqual(sql(db, "SELECT status FROM media_refs WHERE url LIKE '%beta%'"),
                         [("stored",)])


if __name__ == "__main__":
    main(globals(), "archivist", "mock", "data")
