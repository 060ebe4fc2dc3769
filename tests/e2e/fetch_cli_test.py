#!/usr/bin/env python3
"""End-to-end tests of `archivist fetch` against the real mock_zhihu server on 127.0.0.1.

One mock process serves the fixtures for the whole run; each test sets the mock's faults and
runs the real archivist binary.

usage: fetch_cli_test.py --archivist PATH --mock PATH --data tests/data
"""
import json
import os
import subprocess
import tempfile
import unittest

from harness import MockServer, main

ARGS = None
SEED = "1968000000000000001"  # 185 answers: 37 pages at page size 5


class FetchCliTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()
        cls.scratch = os.path.join(cls.tmp.name, "questions")  # dumps a test may edit
        os.makedirs(cls.scratch)
        cls.mock = MockServer(ARGS.mock, [cls.scratch, os.path.join(ARGS.data, "zhihu/questions"),
                                          os.path.join(ARGS.data, "seed/questions")])
        cls.base = cls.mock.base

    @classmethod
    def tearDownClass(cls):
        cls.mock.stop()
        cls.tmp.cleanup()

    def tearDown(self):
        self.set_faults("")

    def set_faults(self, text):
        self.mock.set_faults(text)

    def run_fetch(self, question, *extra, faults="", json_out=True):
        self.set_faults(faults)
        cmd = [ARGS.archivist, "--zhihu-base-url", self.base, "fetch", question,
               "--delay", "0", "--retries", "0", *extra]
        if json_out:
            cmd.append("--json")
        p = subprocess.run(cmd, capture_output=True, text=True, timeout=60)
        out = json.loads(p.stdout) if json_out and p.stdout.strip() else None
        return p.returncode, out, p

    def expected_ids(self, qid):
        for root in ("zhihu/questions", "seed/questions"):
            path = os.path.join(ARGS.data, root, qid, "answers.json")
            if os.path.exists(path):
                with open(path) as f:
                    return [str(a["id"]) for a in json.load(f)]
        raise AssertionError("no fixture " + qid)

    def assert_outcome(self, out, rc, outcome, status, code, page, message_part, answers=None):
        self.assertEqual(rc, 1, out)
        self.assertEqual(out["outcome"], outcome)
        self.assertFalse(out["complete"])
        err = out["error"]
        self.assertEqual(err["http_status"], status, err)
        self.assertEqual(err["code"], code, err)
        self.assertEqual(err["page"], page, err)
        self.assertIn(message_part, err["message"])
        if answers is not None:
            self.assertEqual([a["id"] for a in out["answers"]], self.expected_ids(SEED)[:answers])

    # --- complete snapshots -------------------------------------------------------------

    def test_every_fixture_question_is_complete(self):
        qids = []
        for root in ("zhihu/questions", "seed/questions"):
            qids += sorted(os.listdir(os.path.join(ARGS.data, root)))
        self.assertEqual(len(qids), 248)
        for qid in qids:
            rc, out, p = self.run_fetch("https://www.zhihu.com/question/" + qid)
            self.assertEqual(rc, 0, (qid, p.stderr, out and out.get("error")))
            self.assertEqual(out["outcome"], "complete")
            self.assertTrue(out["complete"])
            self.assertNotIn("error", out)
            self.assertEqual(out["question"]["id"], qid)
            self.assertEqual([a["id"] for a in out["answers"]], self.expected_ids(qid), qid)

    def test_answer_fields_and_url_forms(self):
        rc, out, _ = self.run_fetch("zhihu.com/question/%s/answer/1?utm=x" % SEED, "--page-size", "7")
        self.assertEqual(rc, 0)
        with open(os.path.join(ARGS.data, "seed/questions", SEED, "answers.json")) as f:
            first = json.load(f)[0]
        a = out["answers"][0]
        self.assertEqual(a["id"], str(first["id"]))
        self.assertEqual(a["author"]["name"], first["author"]["name"])
        self.assertEqual(a["created_time"], first["created_time"])
        self.assertEqual(a["updated_time"], first["updated_time"])
        self.assertEqual(a["content"], first["content"])
        self.assertEqual(out["question"]["title"], "当年任由马云做那个蚂蚁金服的话，后果有多严重？")
        self.assertEqual(out["pages"], 27)

    def test_text_output(self):
        rc, _, p = self.run_fetch(SEED, json_out=False)
        self.assertEqual(rc, 0)
        self.assertIn("outcome: complete (185 answers, 10 pages)", p.stdout)

    def test_gzip_foreign_cards_and_retried_failure_stay_complete(self):
        for faults, extra in (("action=gzip\n", ()),
                              ("route=feeds action=foreign_card\n", ()),
                              ("route=feeds page=2 times=1 action=status status=503\n",
                               ("--retries", "1"))):
            rc, out, p = self.run_fetch(SEED, "--page-size", "5", *extra, faults=faults)
            self.assertIsNotNone(out, (faults, p.stderr))
            self.assertEqual((rc, out["outcome"]), (0, "complete"), (faults, out.get("error")))
            self.assertEqual([a["id"] for a in out["answers"]], self.expected_ids(SEED))

    def test_feeds_gone_falls_back_to_answers(self):
        rc, out, _ = self.run_fetch(SEED, faults="route=feeds action=status status=404\n")
        self.assertEqual((rc, out["outcome"]), (0, "complete"), out.get("error"))
        self.assertEqual([a["id"] for a in out["answers"]], self.expected_ids(SEED))

    def test_access_options_reach_the_server(self):
        self.mock.clear_requests()
        rc, out, p = self.run_fetch("10487240977", "--cookie", "z_c0=tok", "--user-agent", "ua/9",
                                    "--header", "X-A: 1", "--header", "X-B: 2")
        self.assertEqual(rc, 0, p.stderr)
        log = self.mock.request_log()
        self.assertEqual(len(log), 2)  # the question and one listing page
        for entry in log:
            h = entry["headers"]
            self.assertEqual((h["cookie"], h["user-agent"], h["x-a"], h["x-b"]), ("z_c0=tok", "ua/9", "1", "2"))

    def test_rate_limit_with_short_retry_after_is_waited_out(self):
        rc, out, _ = self.run_fetch(SEED, "--page-size", "20", "--retries", "1",
                                    faults="route=feeds page=2 times=1 action=status status=429 retry_after=1\n")
        self.assertEqual((rc, out["outcome"]), (0, "complete"), out.get("error"))
        self.assertEqual(len(out["answers"]), 185)

    def test_dump_edits_between_fetches_are_seen(self):
        with open(os.path.join(ARGS.data, "seed/questions", SEED, "answers.json")) as f:
            answers = json.load(f)[:3]
        qdir = os.path.join(self.scratch, "123")
        os.makedirs(qdir, exist_ok=True)
        with open(os.path.join(qdir, "question.json"), "w") as f:
            json.dump({"id": "123", "title": "scratch", "created": 1, "updated_time": 1}, f)

        def write(items):
            with open(os.path.join(qdir, "answers.json.new"), "w") as f:
                json.dump(items, f, ensure_ascii=False)
            os.replace(os.path.join(qdir, "answers.json.new"), os.path.join(qdir, "answers.json"))

        write(answers)
        rc, out, _ = self.run_fetch("123", "--page-size", "2")
        self.assertEqual([a["id"] for a in out["answers"]], [str(a["id"]) for a in answers])
        answers[1]["content"] = "<p>edited</p>"
        answers.append(dict(answers[0], id=9000000000000000001))
        del answers[0]
        write(answers)
        rc, out, _ = self.run_fetch("123", "--page-size", "2")
        self.assertEqual(rc, 0)
        self.assertEqual([a["id"] for a in out["answers"]], [str(a["id"]) for a in answers])
        self.assertEqual(out["answers"][0]["content"], "<p>edited</p>")
        self.assertEqual(out["answers"][-1]["id"], "9000000000000000001")

    # --- every fault has its own outcome --------------------------------------------------

    def test_blocked_403_40362(self):
        rc, out, _ = self.run_fetch(SEED, "--page-size", "5",
                                    faults="route=feeds page=2 action=status status=403 code=40362\n")
        self.assert_outcome(out, rc, "blocked", 403, "40362", 2, "您当前请求存在异常", answers=5)

    def test_blocked_codes_10003_and_40352(self):
        for code in ("10003", "40352"):
            rc, out, _ = self.run_fetch(SEED, faults="route=question action=status status=403 code=%s\n" % code)
            self.assert_outcome(out, rc, "blocked", 403, code, 0, "")
            self.assertEqual(out["answers"], [])

    def test_blocked_by_captcha_redirect(self):
        rc, out, _ = self.run_fetch(SEED, "--page-size", "5", faults="route=feeds page=2 action=captcha\n")
        self.assert_outcome(out, rc, "blocked", 200, "", 2, "/account/unhuman", answers=5)

    def test_auth_required_401(self):
        rc, out, _ = self.run_fetch(SEED, faults="route=feeds action=status status=401 code=100\n")
        self.assert_outcome(out, rc, "auth_required", 401, "100", 1, "请求需要登录", answers=0)

    def test_auth_required_need_force_login_from_page_3(self):
        rc, out, _ = self.run_fetch(SEED, "--page-size", "5", faults="route=feeds from_page=3 action=force_login\n")
        self.assert_outcome(out, rc, "auth_required", 200, "", 3, "need_force_login", answers=10)

    def test_auth_required_truncated_content(self):
        rc, out, _ = self.run_fetch(SEED, "--page-size", "5", faults="route=feeds page=2 action=truncate_content\n")
        ids = self.expected_ids(SEED)
        self.assert_outcome(out, rc, "auth_required", 200, "", 2, "content_need_truncated for answer " + ids[5])
        self.assertEqual([a["id"] for a in out["answers"]], ids[:5] + ids[6:10])

    def test_not_found(self):
        rc, out, _ = self.run_fetch("999")
        self.assert_outcome(out, rc, "not_found", 404, "", 0, "问题不存在")

    def test_rate_limited_with_retry_after_seconds_and_date(self):
        rc, out, _ = self.run_fetch(SEED, "--page-size", "5",
                                    faults="route=feeds page=4 action=status status=429 retry_after=3600\n")
        self.assert_outcome(out, rc, "rate_limited", 429, "", 4, "请求过于频繁", answers=15)
        self.assertEqual(out["retry_after_seconds"], 3600)
        rc, out, _ = self.run_fetch(SEED, faults='route=question action=status status=429 '
                                                 'retry_after="Fri, 01 Jan 2100 00:00:00 GMT"\n')
        self.assert_outcome(out, rc, "rate_limited", 429, "", 0, "")
        self.assertGreater(out["retry_after_seconds"], 10**9)

    def test_transient_5xx(self):
        for status in ("500", "502", "503"):
            rc, out, _ = self.run_fetch(SEED, "--page-size", "5",
                                        faults="route=feeds page=2 action=status status=%s\n" % status)
            self.assert_outcome(out, rc, "transient", int(status), "", 2, "", answers=5)

    def test_transient_timeout(self):
        rc, out, _ = self.run_fetch(SEED, "--page-size", "5", "--timeout", "0.3",
                                    faults="route=feeds page=2 action=delay ms=2000\n")
        self.assert_outcome(out, rc, "transient", 0, "", 2, "timeout", answers=5)

    def test_transient_connection_reset(self):
        rc, out, _ = self.run_fetch(SEED, "--page-size", "5", faults="route=feeds page=3 action=reset\n")
        self.assert_outcome(out, rc, "transient", 0, "", 3, "reset", answers=10)

    def test_transient_body_cut_off_mid_json(self):
        rc, out, _ = self.run_fetch(SEED, "--page-size", "5", faults="route=feeds page=2 action=cut\n")
        self.assert_outcome(out, rc, "transient", 200, "", 2, "truncated", answers=5)

    def test_invalid_response_malformed_json(self):
        rc, out, _ = self.run_fetch(SEED, "--page-size", "5", faults="route=feeds page=2 action=bad_json\n")
        self.assert_outcome(out, rc, "invalid_response", 200, "", 2, "not valid JSON", answers=5)

    def test_invalid_response_truncated_json(self):
        rc, out, _ = self.run_fetch(SEED, "--page-size", "5", faults="route=feeds page=3 action=truncated_json\n")
        self.assert_outcome(out, rc, "invalid_response", 200, "", 3, "not valid JSON", answers=10)

    def test_too_large(self):
        rc, out, _ = self.run_fetch(SEED, "--page-size", "5", "--max-body", "1000000",
                                    faults="route=feeds page=2 action=huge bytes=67108864\n")
        self.assert_outcome(out, rc, "too_large", 200, "", 2, "too_large", answers=5)

    def test_endless_next_loop_stops_with_bounded_pages(self):
        rc, out, _ = self.run_fetch(SEED, "--page-size", "5", faults="route=feeds page=3 action=loop\n")
        self.assert_outcome(out, rc, "partial", 0, "", 3, "pagination loop", answers=15)
        self.assertEqual(out["pages"], 3)
        rc, out, _ = self.run_fetch(SEED, "--page-size", "5", faults="route=feeds action=loop_forward\n")
        self.assert_outcome(out, rc, "partial", 200, "", 40, "added no new answer", answers=185)
        self.assertEqual(out["pages"], 40)
        rc, out, _ = self.run_fetch(SEED, "--page-size", "5", "--max-pages", "12",
                                    faults="route=feeds action=loop_forward\n")
        self.assert_outcome(out, rc, "partial", 0, "", 12, "did not end after 12 pages", answers=60)

    # --- usage errors -------------------------------------------------------------------

    def test_bad_question_and_bad_options_exit_2(self):
        rc, out, p = self.run_fetch("https://example.com/question/1")
        self.assertEqual(rc, 2)
        self.assertIn("'https://example.com/question/1' is not a Zhihu question URL or id", p.stderr)
        rc, out, p = self.run_fetch(SEED, "--cookies-file", "/nonexistent/c.txt")
        self.assertEqual(rc, 2)
        self.assertIn("/nonexistent/c.txt", p.stderr)
        rc, out, p = self.run_fetch(SEED, "--page-size", "0")
        self.assertEqual(rc, 2)
        self.assertIn("--page-size 0 is out of range: it must be between 1 and 100", p.stderr)


if __name__ == "__main__":
    main(globals(), "archivist", "mock", "data")
