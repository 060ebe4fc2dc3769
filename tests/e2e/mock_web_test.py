#!/usr/bin/env python3
"""The mock Zhihu server's web mode, over HTTP: the pages, their js-initialData, the signed
/feeds walk, the redirects and the hot list; and the real `archivist fetch` (the HTTP
backend), which is refused without signatures and complete with them off. The request log
and the web faults are mock_web_faults_test.py's.

usage: mock_web_test.py --mock PATH --archivist PATH --data tests/data
"""
import json
import os
import subprocess
import unittest
import urllib.parse

import mock_web
from mock_web import ERROR_10003, INITIAL_DATA, MULTI, SMALL, WebMock, WebModeCase, dump, main


class WebModeTest(WebModeCase):
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
            qids += sorted(os.listdir(os.path.join(mock_web.ARGS.data, root)))
        self.assertEqual(len(qids), 248)
        for qid in qids:
            ids, _, _ = self.walk(qid, sign=False)
            self.assertEqual(ids, [a["id"] for a in dump(qid)[1]], qid)
        self.assertEqual(self.mock.request("PUT", "/_mock/signatures", body="maybe")[0], 400)

    def test_http_backend_is_blocked_and_reads_the_same_server_with_signatures_off(self):
        def fetch():
            p = subprocess.run([mock_web.ARGS.archivist, "--zhihu-base-url", self.mock.base, "fetch", MULTI,
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


class PlainModeTest(unittest.TestCase):
    def test_without_web_there_are_no_pages_and_no_signatures(self):
        mock = WebMock()
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
    main()
