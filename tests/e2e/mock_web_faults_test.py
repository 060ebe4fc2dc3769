#!/usr/bin/env python3
"""The mock Zhihu server's web mode, over HTTP: the request log and every web fault (captcha,
login walls, blocks and rate limits on page N, slow and never-loading pages, endless scroll,
404 and truncated content, refused fault lines).

usage: mock_web_faults_test.py --mock PATH --archivist PATH --data tests/data
"""
import json
import re
import socket
import threading
import time

from mock_web import MULTI, SMALL, WebModeCase, dump, main


class WebFaultsTest(WebModeCase):
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



if __name__ == "__main__":
    main()
