#!/usr/bin/env python3
"""End-to-end tests of `archivist convert` (the real binary).

stdin → stdout for both profiles and --image-proxy, with nothing else on stdout; many FILEs
→ --out-dir in one process, byte-equal to the fixtures' expected Markdown; input that is
not UTF-8 still converts; unreadable input and bad usage give a clear message naming the
input, and the documented exit status.

usage: convert_cli_test.py --archivist PATH --data tests/data
"""
import json
import os
import subprocess
import tempfile
import unittest

from harness import main

ARGS = None


def convert(*args, stdin=b""):
    return subprocess.run([ARGS.archivist, "convert", *args], input=stdin, capture_output=True)


class ConvertCliTest(unittest.TestCase):
    def test_stdin_to_stdout_zhihu_profile(self):
        r = convert(stdin='<p>知乎 <img src="//pic1.zhimg.com/v2-a.jpg?x=1"></p>'.encode())
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(
            r.stdout.decode(),
            "知乎 ![](https://images.weserv.nl/?url=https%3A//pic1.zhimg.com/v2-a.jpg%3Fx%3D1)")
        self.assertEqual(r.stderr, b"")

    def test_plain_profile_and_image_proxy(self):
        html = b'<pre><code>x\n</code></pre><img src="//p/a.jpg">'
        plain = convert("--profile", "plain", stdin=html)
        self.assertEqual(plain.stdout.decode(), "    x\n    \n\n![](//p/a.jpg)")
        no_proxy = convert("--image-proxy", "", stdin=html)
        self.assertEqual(no_proxy.stdout.decode(), "```\nx\n```\n\n![](https://p/a.jpg)")

    def test_many_files_in_one_process(self):
        qdir = os.path.join(ARGS.data, "seed", "questions", "1968000000000000001")
        answers = json.load(open(os.path.join(qdir, "answers.json"), encoding="utf-8"))[:40]
        with tempfile.TemporaryDirectory() as tmp:
            files = []
            for a in answers:
                path = os.path.join(tmp, "%s.html" % a["id"])
                with open(path, "w", encoding="utf-8") as f:
                    f.write(a["content"])
                files.append(path)
            out = os.path.join(tmp, "out")
            r = convert(*files, "--out-dir", out)
            self.assertEqual(r.returncode, 0, r.stderr)
            self.assertEqual(r.stdout, b"")
            for a in answers:
                got = open(os.path.join(out, "%s.md" % a["id"]), "rb").read()
                want = open(os.path.join(qdir, "expected", "%s.md" % a["id"]), "rb").read()
                self.assertEqual(got, want, a["id"])
            self.assertEqual(sorted(os.listdir(out)), sorted("%s.md" % a["id"] for a in answers))

    def test_invalid_utf8_still_converts(self):
        r = convert("--profile", "plain", stdin=b"\xff<p>a\xc3</p>")
        self.assertEqual(r.returncode, 0)
        self.assertEqual(r.stdout.decode(), "\ufffd\n\na\ufffd")

    def test_unreadable_file_names_it_and_exits_1(self):
        with tempfile.TemporaryDirectory() as tmp:
            good = os.path.join(tmp, "good.html")
            with open(good, "w") as f:
                f.write("<b>ok</b>")
            missing = os.path.join(tmp, "missing.html")
            r = convert(good, missing, tmp, "--out-dir", os.path.join(tmp, "out"))
            self.assertEqual(r.returncode, 1)
            err = r.stderr.decode()
            self.assertIn(missing, err)
            self.assertIn("No such file", err)
            self.assertIn("is a directory", err)
            # The readable file was still converted.
            self.assertEqual(open(os.path.join(tmp, "out", "good.md")).read(), "**ok**")

    def test_bad_usage_exits_2(self):
        self.assertEqual(convert("--profile", "fancy").returncode, 2)
        r = convert("a.html")
        self.assertEqual(r.returncode, 2)
        self.assertIn("--out-dir", r.stderr.decode())

    def test_unwritable_output_dir_exits_1(self):
        with tempfile.TemporaryDirectory() as tmp:
            src = os.path.join(tmp, "a.html")
            with open(src, "w") as f:
                f.write("x")
            blocker = os.path.join(tmp, "file")
            with open(blocker, "w") as f:
                f.write("")
            r = convert(src, "--out-dir", os.path.join(blocker, "sub"))
            self.assertEqual(r.returncode, 1)
            self.assertIn(os.path.join(blocker, "sub"), r.stderr.decode())


if __name__ == "__main__":
    main(globals(), "archivist", "data")
