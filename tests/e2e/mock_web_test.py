#!/usr/bin/env python3
"""The mock Zhihu server's web mode, over HTTP: the pages, their js-initialData, the signed
/feeds walk, the redirects, the request log and every web fault; and the real `archivist
fetch` (the HTTP backend), which is refused without signatures and complete with them off.

usage: mock_web_test.py --mock PATH --archivist PATH --data tests/data
"""
import argparse
import http.client
import json
import os
import re
import socket
import subprocess
import sys
import tempfile
import threading
import time
import unittest
import urllib.parse

ARGS = None
MULTI = "403386078"       # 29 answers: the page's 5, then /feeds pages 1..5
SMALL = "10487240977"     # 1 answer: the page holds all of it
SEED = "1968000000000000001"
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


class Mock:
    def __init__(self, *flags, roots=()):
        self.tmp = tempfile.TemporaryDirectory()
        self.faults = os.path.join(self.tmp.name, "faults.txt")
        open(self.faults, "w").close()
        cmd = [ARGS.mock, "--port", "0", "--faults", self.faults, *flags]
        for root in (*roots, "zhihu/questions", "seed/questions"):
            cmd += ["--root", os.path.join(ARGS.data, root) if not os.path.isabs(root) else root]
        self.proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True)
        self.port = int(self.proc.stdout.readline())
        self.host = "127.0.0.1:%d" % self.port
        self.base = "http://" + self.host

    def close(self):
        self.proc.terminate()
        self.proc.wait()
        self.proc.stdout.close()
        self.tmp.cleanup()

    def set_faults(self, text):
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


class WebModeTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.scratch = tempfile.TemporaryDirectory()
        cls.mock = Mock("--web", roots=(cls.scratch.name,))
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

    # --- the question page ------------------------------------------------------------------

    def test_question_page_holds_the_first_five_answers_in_zhihu_shape(self):
        question, answers = dump(MULTI)
        data, hdrs, body = self.page(MULTI)
        self.assertEqual(data["subAppName"], "main")
        self.assertIn("d_c0=", hdrs.get("set-cookie", ""))
        self.assertIn('<script src="/static/app.js"></script>', body)
        state = data["initialState"]
        self.assertEqual(state["entities"]["users"], {})
        listing = state["question"]["answers"][MULTI]
        self.assertEqual([c["target"] for c in listing["ids"]], [a["id"] for a in answers[:5]])
        for c in listing["ids"]:
            self.assertEqual((c["type"], c["targetType"]), ("question_feed_card", "answer"))
            self.assertRegex(c["cursor"], "^[0-9a-f]{32}$")
        self.assertEqual((listing["isDrained"], listing["needForceLogin"], listing["antiSpider"],
                          listing["isFetching"]), (False, False, False, False))
        nxt = urllib.parse.urlsplit(listing["next"])
        self.assertEqual((nxt.scheme, nxt.netloc, nxt.path),
                         ("http", self.mock.host, "/api/v4/questions/%s/feeds" % MULTI))
        q = urllib.parse.parse_qs(nxt.query)
        self.assertEqual((q["offset"], q["limit"], q["session_id"], q["cursor"]),
                         (["1"], ["5"], [listing["sessionId"]], [listing["ids"][-1]["cursor"]]))
        self.assertRegex(listing["sessionId"], "^[0-9]{19}$")
        entities = state["entities"]["answers"]
        self.assertEqual(sorted(entities), sorted(a["id"] for a in answers[:5]))
        for a in answers[:5]:
            e = entities[a["id"]]
            self.assertEqual((e["id"], e["type"], e["content"]), (a["id"], "answer", a["content"]))
            self.assertEqual((e["createdTime"], e["updatedTime"], e["voteupCount"], e["commentCount"]),
                             (a["created_time"], a["updated_time"], a["voteup_count"], a["comment_count"]))
            self.assertEqual((e["isCollapsed"], e["contentNeedTruncated"]), (False, False))
            au = e["author"]
            self.assertEqual((au["id"], au["name"], au["urlToken"], au["avatarUrl"]),
                             (a["author"]["id"], a["author"]["name"], a["author"]["url_token"],
                              a["author"]["avatar_url"]))
            self.assertEqual((e["question"]["id"], e["question"]["title"], e["question"]["type"]),
                             (MULTI, question["title"], "question"))
            self.assertNotIn("created_time", e)
        qe = state["entities"]["questions"][MULTI]
        self.assertEqual((qe["id"], qe["title"], qe["answerCount"], qe["created"], qe["updatedTime"]),
                         (MULTI, question["title"], question["answer_count"], question["created"],
                          question["updated_time"]))

    def test_a_question_that_fits_the_page_is_drained(self):
        data, _, _ = self.page(SMALL)
        listing = data["initialState"]["question"]["answers"][SMALL]
        self.assertEqual((listing["isDrained"], listing["next"]), (True, ""))
        self.assertEqual([c["target"] for c in listing["ids"]], [a["id"] for a in dump(SMALL)[1]])

    def test_answer_content_cannot_break_out_of_the_script_element(self):
        _, answers = dump(SMALL)
        evil = dict(answers[0], content='<p>a</script><script>alert(1)</script><!-- b</p>')
        qdir = os.path.join(self.scratch.name, "777")
        os.makedirs(qdir, exist_ok=True)
        with open(os.path.join(qdir, "question.json"), "w") as f:
            json.dump({"id": "777", "title": "</title><b>t</b>", "created": 1, "updated_time": 2}, f)
        with open(os.path.join(qdir, "answers.json"), "w") as f:
            json.dump([evil], f)
        data, _, body = self.page("777")
        self.assertEqual(body.count("</script>"), 2)  # js-initialData and app.js, nothing else
        self.assertNotIn("<!--", body)
        self.assertIn("\\u003c/script>", body)
        self.assertIn("<title>&lt;/title&gt;&lt;b&gt;t&lt;/b&gt; - 知乎</title>", body)
        self.assertEqual(data["initialState"]["entities"]["answers"][evil["id"]]["content"], evil["content"])

    # --- signatures ---------------------------------------------------------------------------

    def test_unsigned_or_wrongly_signed_listings_are_refused_with_10003(self):
        data, _, _ = self.page(MULTI)
        url = data["initialState"]["question"]["answers"][MULTI]["next"]
        good = self.signed(url)
        variants = {
            "unsigned": {},
            "no d_c0": {k: v for k, v in good.items() if k != "cookie"},
            "other d_c0": dict(good, cookie="d_c0=Aother|1"),
            "wrong signature": dict(good, **{"x-zse-96": "2.0_" + "0" * 32}),
            "no x-zse-93": {k: v for k, v in good.items() if k != "x-zse-93"},
            "other path": self.signed(url.replace("offset=1", "offset=2"))}
        for name, headers in variants.items():
            status, _, body = self.mock.get(url, headers=headers)
            self.assertEqual((status, json.loads(body)), (403, ERROR_10003), name)
        status, _, body = self.mock.get("/api/v4/questions/%s/answers?limit=5&offset=0" % MULTI)
        self.assertEqual((status, json.loads(body)), (403, ERROR_10003))
        status, _, _ = self.mock.get(url, headers=good)
        self.assertEqual(status, 200)
        # The question and answer APIs need no signature.
        self.assertEqual(self.mock.get("/api/v4/questions/" + MULTI)[0], 200)

    def test_signed_walk_is_the_whole_dump_in_order_with_zhihu_paging(self):
        _, answers = dump(MULTI)
        ids, got, pages = self.walk(MULTI)
        self.assertEqual(ids, [a["id"] for a in answers])
        self.assertEqual([a["content"] for a in got[5:]], [a["content"] for a in answers[5:]])
        self.assertEqual(len(pages), 5)
        sessions = set()
        for n, (url, page) in enumerate(pages, start=1):
            q = urllib.parse.parse_qs(urllib.parse.urlsplit(url).query)
            self.assertEqual(q["offset"], [str(n)])
            self.assertEqual(set(page), {"data", "paging", "session", "finished_reading_filtered_count"})
            self.assertEqual(set(page["paging"]), {"page", "is_end", "next", "need_force_login"})
            self.assertEqual(page["paging"]["page"], n + 1)
            self.assertFalse(page["paging"]["need_force_login"])
            self.assertTrue(page["paging"]["next"])  # present even on the last page
            nq = urllib.parse.parse_qs(urllib.parse.urlsplit(page["paging"]["next"]).query)
            self.assertEqual(nq["cursor"], [page["data"][-1]["cursor"]])
            sessions |= {page["session"]["id"], q["session_id"][0]}
            for card in page["data"]:
                self.assertEqual((card["type"], card["target_type"]), ("question_feed_card", "answer"))
        self.assertEqual(len(sessions), 1)
        self.assertEqual([p["paging"]["is_end"] for _, p in pages], [False] * 4 + [True])

    def test_signatures_off_every_fixture_walks_to_its_whole_dump(self):
        self.assertEqual(self.mock.request("PUT", "/_mock/signatures", body="off")[2], "off\n")
        qids = []
        for root in ("zhihu/questions", "seed/questions"):
            qids += sorted(os.listdir(os.path.join(ARGS.data, root)))
        self.assertEqual(len(qids), 248)
        for qid in qids:
            ids, _, _ = self.walk(qid, sign=False)
            self.assertEqual(ids, [a["id"] for a in dump(qid)[1]], qid)
        self.assertEqual(self.mock.request("PUT", "/_mock/signatures", body="maybe")[0], 400)

    def test_http_backend_is_blocked_and_reads_the_same_server_with_signatures_off(self):
        def fetch():
            p = subprocess.run([ARGS.archivist, "--zhihu-base-url", self.mock.base, "fetch", MULTI,
                                "--delay", "0", "--retries", "0", "--json"],
                               capture_output=True, text=True, timeout=60)
            return p.returncode, json.loads(p.stdout)
        rc, out = fetch()
        self.assertEqual((rc, out["outcome"]), (1, "blocked"))
        self.assertEqual((out["error"]["http_status"], out["error"]["code"]), (403, "10003"))
        self.mock.request("PUT", "/_mock/signatures", body="off")
        rc, out = fetch()
        self.assertEqual((rc, out["outcome"]), (0, "complete"), out.get("error"))
        self.assertEqual([a["id"] for a in out["answers"]], [a["id"] for a in dump(MULTI)[1]])
        self.assertEqual([a["content"] for a in out["answers"]], [a["content"] for a in dump(MULTI)[1]])

    # --- other pages --------------------------------------------------------------------------

    def test_absent_question_and_answer_give_the_404_page(self):
        for target in ("/question/404404", "/answer/404404", "/question/%s/answer/404404" % MULTI):
            status, hdrs, body = self.mock.get(target)
            self.assertEqual(status, 404, target)
            self.assertTrue(hdrs["content-type"].startswith("text/html"))
            self.assertIn("你似乎来到了没有知识存在的荒原", body)

    def test_answer_redirects_to_its_page(self):
        _, answers = dump(MULTI)
        aid = answers[7]["id"]
        for target in ("/answer/" + aid, "/question/%s/answer/%s" % (SMALL, aid)):
            status, hdrs, _ = self.mock.get(target)
            self.assertEqual((status, hdrs["location"]), (302, "/question/%s/answer/%s" % (MULTI, aid)))
        status, _, body = self.mock.get("/question/%s/answer/%s" % (MULTI, aid))
        self.assertEqual(status, 200)
        state = json.loads(INITIAL_DATA.search(body).group(1))["initialState"]
        self.assertEqual(list(state["entities"]["answers"]), [aid])
        self.assertEqual(state["entities"]["answers"][aid]["content"], answers[7]["content"])
        self.assertEqual(state["entities"]["questions"][MULTI]["title"], dump(MULTI)[0]["title"])

    def test_hot_page_needs_a_login(self):
        status, hdrs, _ = self.mock.get("/hot")
        self.assertEqual((status, hdrs["location"]), (302, "/signin?next=%2Fhot"))
        status, hdrs, body = self.mock.get("/signin?next=%2Fhot")
        self.assertEqual(status, 200)
        self.assertIn("登录", body)
        status, hdrs, _ = self.mock.request("POST", "/signin?next=%2Fhot", body="username=a")
        self.assertEqual((status, hdrs["location"]), (302, "/hot"))
        z_c0 = hdrs["set-cookie"].split(";")[0]
        self.assertTrue(z_c0.startswith("z_c0="))
        status, _, body = self.mock.get("/hot", headers={"cookie": z_c0})
        self.assertEqual(status, 200)
        hot = json.loads(INITIAL_DATA.search(body).group(1))["initialState"]["topstory"]["hotList"]
        api = json.loads(self.mock.get("/api/v3/feed/topstory/hot-lists/total?limit=50")[2])["data"]
        self.assertEqual(len(hot), 50)
        self.assertEqual([h["cardId"] for h in hot], [a["card_id"] for a in api])
        for h, a in zip(hot, api):
            qid = a["card_id"][2:]
            self.assertEqual(h["type"], "hot_list_feed")
            self.assertEqual(h["target"]["titleArea"]["text"], a["target"]["title"])
            self.assertEqual(h["target"]["metricsArea"]["text"], a["detail_text"])
            self.assertEqual(h["target"]["link"]["url"], "https://www.zhihu.com/question/" + qid)
            self.assertEqual(h["target"]["excerptArea"]["text"], "")

    def test_request_log_records_paths_queries_cookies_and_signatures(self):
        self.mock.request("DELETE", "/_mock/requests")
        data, _, _ = self.page(MULTI, headers={"cookie": "d_c0=Atest|1; q_c1=x"})
        url = data["initialState"]["question"]["answers"][MULTI]["next"]
        self.mock.get(url, headers=self.signed(url))
        self.mock.get(url)
        log = self.mock.log()
        self.assertEqual([(e["route"], e["status"], e["signed"], e["signature_valid"]) for e in log],
                         [("question_page", 200, False, False), ("feeds", 200, True, True),
                          ("feeds", 403, False, False)])
        self.assertEqual(log[0]["path"], "/question/" + MULTI)
        self.assertEqual(log[0]["cookies"], {"d_c0": "Atest|1", "q_c1": "x"})
        self.assertEqual(log[1]["query"]["offset"], "1")
        self.assertEqual(log[1]["query"]["limit"], "5")
        self.assertIn("x-zse-96", log[1]["headers"])

    # --- faults -------------------------------------------------------------------------------

    def test_fault_captcha_redirects_the_page(self):
        self.mock.set_faults("route=question_page action=captcha\n")
        status, hdrs, _ = self.mock.get("/question/" + MULTI)
        self.assertEqual((status, hdrs["location"]), (302, "/account/unhuman?type=unhuman&need_login=true"))
        status, _, body = self.mock.get(hdrs["location"])
        self.assertEqual(status, 200)
        self.assertIn("captcha", body)

    def test_fault_login_wall_within_the_page(self):
        self.mock.set_faults("qid=%s action=login_wall answers=3\n" % MULTI)
        data, _, _ = self.page(MULTI)
        listing = data["initialState"]["question"]["answers"][MULTI]
        self.assertEqual(len(listing["ids"]), 3)
        self.assertEqual((listing["needForceLogin"], listing["isDrained"]), (True, False))
        self.assertEqual(len(data["initialState"]["entities"]["answers"]), 3)

    def test_fault_login_wall_after_twelve_answers(self):
        self.mock.set_faults("qid=%s action=login_wall answers=12\n" % MULTI)
        self.mock.request("PUT", "/_mock/signatures", body="off")
        data, _, _ = self.page(MULTI)
        listing = data["initialState"]["question"]["answers"][MULTI]
        self.assertEqual((len(listing["ids"]), listing["needForceLogin"]), (5, False))
        seen, url = 5, listing["next"]
        for want in ((5, False), (2, False), (0, True)):
            page = json.loads(self.mock.get(url)[2])
            self.assertEqual((len(page["data"]), page["paging"]["need_force_login"]), want)
            self.assertFalse(page["paging"]["is_end"])
            seen += len(page["data"])
            url = page["paging"]["next"]
        self.assertEqual(seen, 12)

    def test_fault_block_and_rate_limit_on_page_n(self):
        data, _, _ = self.page(MULTI)
        url = data["initialState"]["question"]["answers"][MULTI]["next"]
        page2 = url.replace("offset=1", "offset=2")
        for fault, status, code in (("status=403 code=40362", 403, 40362), ("status=403 code=40352", 403, 40352),
                                    ("status=429 retry_after=30", 429, None)):
            self.mock.set_faults("route=feeds page=3 action=status %s\n" % fault)
            self.assertEqual(self.mock.get(url, headers=self.signed(url))[0], 200)
            got, hdrs, body = self.mock.get(page2, headers=self.signed(page2))
            err = json.loads(body)["error"]
            self.assertEqual((got, err.get("code")), (status, code), fault)
            if code == 40352:
                self.assertTrue(err["need_login"])
                self.assertIn("/account/unhuman?", err["redirect"])
            if status == 429:
                self.assertEqual(hdrs["retry-after"], "30")
        # An unsigned request is refused before any fault is consulted.
        self.mock.set_faults("route=feeds action=status status=429 retry_after=30\n")
        self.assertEqual(self.mock.get(url)[0], 403)

    def test_fault_slow_page(self):
        self.mock.set_faults("route=question_page action=delay ms=800\n")
        start = time.monotonic()
        self.page(MULTI)
        self.assertGreaterEqual(time.monotonic() - start, 0.8)

    def test_fault_never_load_holds_a_subresource_without_blocking_others(self):
        self.mock.set_faults("route=question_page qid=%s action=never_load\n" % MULTI)
        _, _, body = self.page(MULTI)
        self.assertIn('<link rel="stylesheet" href="/static/pending.css">', body)
        held = []

        def pending():
            s = socket.create_connection(("127.0.0.1", self.mock.port))
            s.sendall(b"GET /static/pending.css HTTP/1.1\r\nHost: x\r\n\r\n")
            s.settimeout(2)
            got = b""
            try:
                while True:
                    chunk = s.recv(65536)
                    if not chunk:
                        break
                    got += chunk
            except socket.timeout:
                held.append(got)
            s.close()
        threads = [threading.Thread(target=pending) for _ in range(3)]
        for t in threads:
            t.start()
        time.sleep(0.3)
        start = time.monotonic()
        self.assertEqual(self.mock.get("/question/" + SMALL)[0], 200)  # served while three are held
        self.assertEqual(self.mock.get("/static/app.js")[0], 200)
        self.assertLess(time.monotonic() - start, 1.0)
        for t in threads:
            t.join()
        self.assertEqual(len(held), 3)  # each timed out with the response still open
        for got in held:
            self.assertTrue(got.startswith(b"HTTP/1.1 200"), got)
            length = int(re.search(rb"Content-Length: (\d+)", got).group(1))
            self.assertGreater(length, len(got.split(b"\r\n\r\n", 1)[1]))

    def test_fault_endless_scroll(self):
        self.mock.set_faults("qid=%s action=endless\n" % SMALL)
        self.mock.request("PUT", "/_mock/signatures", body="off")
        data, _, _ = self.page(SMALL)
        listing = data["initialState"]["question"]["answers"][SMALL]
        self.assertFalse(listing["isDrained"])
        url, cursors, urls = listing["next"], set(), set()
        only = dump(SMALL)[1][0]["id"]
        for n in range(1, 21):
            page = json.loads(self.mock.get(url)[2])
            self.assertEqual(page["paging"]["page"], n + 1)
            self.assertFalse(page["paging"]["is_end"])
            self.assertEqual([c["target"]["id"] for c in page["data"]], [only] * 5)
            cursors |= {c["cursor"] for c in page["data"]}
            urls.add(url)
            url = page["paging"]["next"]
        self.assertEqual((len(cursors), len(urls)), (100, 20))

    def test_fault_404_and_truncated_content_on_the_page(self):
        self.mock.set_faults("route=question_page qid=%s action=status status=404\n"
                             "route=question_page qid=%s action=truncate_content\n" % (MULTI, SMALL))
        status, _, body = self.mock.get("/question/" + MULTI)
        self.assertEqual(status, 404)
        self.assertIn("你似乎来到了没有知识存在的荒原", body)
        data, _, _ = self.page(SMALL)
        first = list(data["initialState"]["entities"]["answers"].values())[0]
        self.assertTrue(first["contentNeedTruncated"])

    def test_bad_web_fault_lines_are_refused(self):
        status, _, body = self.mock.request("PUT", "/_mock/faults", body="action=login_wall\n")
        self.assertEqual(status, 400)
        self.assertIn("answers=N", body)


class PlainModeTest(unittest.TestCase):
    def test_without_web_there_are_no_pages_and_no_signatures(self):
        mock = Mock()
        try:
            status, _, body = mock.get("/question/" + MULTI)
            self.assertEqual(status, 404)
            self.assertIn("no such route", body)
            self.assertEqual(mock.get("/static/app.js")[0], 404)
            status, _, body = mock.get("/api/v4/questions/%s/feeds?limit=5&offset=10" % MULTI)
            page = json.loads(body)
            self.assertEqual(status, 200)
            self.assertEqual([c["target"]["id"] for c in page["data"]],
                             [a["id"] for a in dump(MULTI)[1][10:15]])  # offset counts items
        finally:
            mock.close()


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--mock", required=True)
    parser.add_argument("--archivist", required=True)
    parser.add_argument("--data", required=True)
    ARGS, rest = parser.parse_known_args()
    unittest.main(argv=[sys.argv[0]] + rest, verbosity=2)
