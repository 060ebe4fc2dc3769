"""What the two tests of mock_zhihu's web mode share: the fixtures, the page script's keyed
hash, a mock started with --web and a faults file, and a test case that reads the question
page, signs /feeds requests and walks a listing as the page script does.

ARGS is set by main(): --mock, --archivist and --data.
"""
import http.client
import json
import os
import re
import tempfile
import unittest
import urllib.parse

from harness import MockServer, parse_args, run_unittest

ARGS = None
MULTI = "403386078"       # 29 answers: the page's 5, then /feeds pages 1..5
SMALL = "10487240977"     # 1 answer: the page holds all of it
INITIAL_DATA = re.compile(r'<script id="js-initialData" type="text/json">(.*?)</script>', re.S)
ERROR_10003 = {"error": {"code": 10003, "message": "请求参数异常，请升级客户端后重试。"}}


def dump(qid):
    for root in ("zhihu/questions", "seed/questions"):
        d = os.path.join(ARGS.data, root, qid)
        if os.path.isdir(d):
            with open(os.path.join(d, "answers.json")) as a, open(os.path.join(d, "question.json")) as q:
                return json.load(q), json.load(a)
    raise AssertionError("no fixture " + qid)


# The page script's keyed hash, written a third time (C++ in web_sign.cc, JS in app.js).
SEEDS = (0x811C9DC5, 0x9747B28C, 0x2F1E3D4C, 0x6B43A9B5)


def fmix(h):
    h ^= h >> 16
    h = (h * 0x85EBCA6B) & 0xFFFFFFFF
    h ^= h >> 13
    h = (h * 0xC2B2AE35) & 0xFFFFFFFF
    return h ^ (h >> 16)


def keyed_hash(key, message):
    data = (key + "\n" + message).encode()
    out = ""
    for seed in SEEDS:
        h = seed
        for b in data:
            h = ((h ^ b) * 0x01000193) & 0xFFFFFFFF
        out += "%08x" % fmix(h ^ len(data))
    return out


class WebMock(MockServer):
    """mock_zhihu with `flags` and a faults file, over `roots` and the fixture questions;
    requests go over http.client, redirects not followed."""

    def __init__(self, *flags, roots=()):
        self.tmp = tempfile.TemporaryDirectory()
        self.faults = os.path.join(self.tmp.name, "faults.txt")
        open(self.faults, "w").close()
        roots = [os.path.join(ARGS.data, root) if not os.path.isabs(root) else root
                 for root in (*roots, "zhihu/questions", "seed/questions")]
        super().__init__(ARGS.mock, roots, flags=["--faults", self.faults, *flags])
        self.host = self.base[len("http://"):]
        self.port = int(self.host.rsplit(":", 1)[1])

    def close(self):
        self.stop()
        self.proc.stdout.close()
        self.tmp.cleanup()

    def set_faults(self, text):
        """Replaces the faults file (the mock re-reads it)."""
        with open(self.faults + ".new", "w") as f:
            f.write(text)
        os.replace(self.faults + ".new", self.faults)

    def request(self, method, target, headers=None, body=None, timeout=10):
        """One request, redirects not followed: (status, headers dict lower-cased, body text)."""
        if target.startswith("http"):
            u = urllib.parse.urlsplit(target)
            target = u.path + ("?" + u.query if u.query else "")
        c = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        c.request(method, target, body=body, headers=headers or {})
        r = c.getresponse()
        out = (r.status, {k.lower(): v for k, v in r.getheaders()}, r.read().decode())
        c.close()
        return out

    def get(self, target, **kw):
        return self.request("GET", target, **kw)

    def log(self):
        return json.loads(self.get("/_mock/requests")[2])


class WebModeCase(unittest.TestCase):
    """One mock_zhihu --web for the class (over a scratch root too), with faults cleared and
    signatures on again after each test."""

    @classmethod
    def setUpClass(cls):
        cls.scratch = tempfile.TemporaryDirectory()
        cls.mock = WebMock("--web", roots=(cls.scratch.name,))
        status, _, js = cls.mock.get("/static/app.js")
        assert status == 200
        cls.key = re.search(r"var KEY = '([0-9a-f]+)'", js).group(1)

    @classmethod
    def tearDownClass(cls):
        cls.mock.close()
        cls.scratch.cleanup()

    def tearDown(self):
        self.mock.set_faults("")
        self.mock.request("PUT", "/_mock/signatures", body="on")


    def page(self, qid, headers=None):
        status, hdrs, body = self.mock.get("/question/" + qid, headers=headers)
        self.assertEqual(status, 200, body[:300])
        self.assertTrue(hdrs["content-type"].startswith("text/html"))
        m = INITIAL_DATA.search(body)
        self.assertIsNotNone(m, body[:500])
        return json.loads(m.group(1)), hdrs, body

    def signed(self, url, d_c0="Atest|1"):
        u = urllib.parse.urlsplit(url)
        target = u.path + "?" + u.query
        sig = "2.0_" + keyed_hash(self.key, "101_3_3.0+" + target + "+" + d_c0)
        return {"cookie": "d_c0=" + d_c0, "x-zse-93": "101_3_3.0", "x-zse-96": sig}

    def walk(self, qid, sign=True, max_pages=200):
        """The page's answers, then /feeds from `next` until is_end: (ids, answers, pages)."""
        data, _, _ = self.page(qid)
        state = data["initialState"]
        listing = state["question"]["answers"][qid]
        answers = [state["entities"]["answers"][c["target"]] for c in listing["ids"]]
        ids = [a["id"] for a in answers]
        pages, url = [], listing["next"]
        if listing["isDrained"]:
            self.assertEqual(url, "")
            return ids, answers, pages
        for _ in range(max_pages):
            status, _, body = self.mock.get(url, headers=self.signed(url) if sign else None)
            self.assertEqual(status, 200, (url, body[:300]))
            page = json.loads(body)
            pages.append((url, page))
            for card in page["data"]:
                ids.append(card["target"]["id"])
                answers.append(card["target"])
            if page["paging"]["is_end"]:
                return ids, answers, pages
            url = page["paging"]["next"]
        self.fail("no is_end after %d pages" % max_pages)


def main():
    global ARGS
    ARGS, rest = parse_args("mock", "archivist", "data")
    run_unittest(rest)
