#!/usr/bin/env python3
"""Peak memory of the real binary on one very large answer (numbers for docs/operations.md).

Builds a question whose one answer is SIZE MiB of HTML (the HTTP body stays under
fetch.max_body's 32 MiB default), serves it with mock_zhihu, and prints the peak resident set
size (ru_maxrss of the child) of: `add`, the first `refresh` (a new answer), an unchanged
`refresh`, a `refresh` after an edit, `show`, `export`, `diff`, `history`, and a `refresh
--export-dir` after another edit (the daemon's work: refresh, then the document with tags).

--kind fixture: the fixture answers of tests/data/zhihu (real answers: mixed Chinese text in
paragraphs, figures, links, bold, lists) repeated until the size is reached. --kind dense:
markup as dense as answers get (a dozen elements per 200 bytes). With -gumbo, one element
the converter's fast path refuses (as hostile markup may) sends the whole answer to gumbo.

usage: bench/memory_bench.py [--build build] [--data tests/data] [--size 30] [--kind K]
Not a test: prints numbers (docs/operations.md quotes them).
"""
import argparse
import json
import os
import shutil
import subprocess
import tempfile

QID = "1900000000000000001"
AID = "1900000000000000002"


def answer_html(data, size):
    """SIZE bytes (at most) of real answer HTML, whole answers repeated in a fixed order."""
    root = os.path.join(data, "zhihu/questions")
    parts = []
    for q in sorted(os.listdir(root)):
        with open(os.path.join(root, q, "answers.json"), encoding="utf-8") as f:
            parts += [a["content"] for a in json.load(f) if a.get("content")]
    out, total, i = [], 0, 0
    while True:
        p = parts[i % len(parts)]
        n = len(p.encode("utf-8"))
        if total + n > size:
            return "".join(out)
        out.append(p)
        total += n
        i += 1


# Markup as dense as answers get: a dozen elements per 200 bytes (normalize's 20 MB test).
DENSE = ('<p>知乎用户的回答，<b>加粗</b>和<a href="/question/1">链接</a>，'
         '<img src="//pic1.zhimg.com/v2-x.jpg"> 还有 <code>code_x</code>。</p>'
         '<ul><li>一</li><li>二</li></ul><blockquote>引用</blockquote>')


def make_answer(kind, data, size):
    # One element outside the converter's fast path makes gumbo parse the whole answer.
    gumbo = "<p><font>gumbo</font></p>" if kind.endswith("-gumbo") else ""
    if kind.startswith("dense"):
        return gumbo + DENSE * ((size - len(gumbo)) // len(DENSE.encode("utf-8")))
    return gumbo + answer_html(data, size - 64)


def write_question(dump, data, html):
    """A question dump for mock_zhihu: the first fixture question's shape, one answer."""
    root = os.path.join(data, "zhihu/questions")
    first = sorted(os.listdir(root))[0]
    with open(os.path.join(root, first, "question.json"), encoding="utf-8") as f:
        question = json.load(f)
    with open(os.path.join(root, first, "answers.json"), encoding="utf-8") as f:
        answer = json.load(f)[0]
    question.update(id=QID, title="memory bench", answer_count=1)
    answer.update(id=AID, content=html, excerpt=html[:100])
    answer["question"] = dict(answer.get("question", {}), id=QID)
    os.makedirs(os.path.join(dump, QID), exist_ok=True)
    with open(os.path.join(dump, QID, "question.json"), "w", encoding="utf-8") as f:
        json.dump(question, f, ensure_ascii=False)
    tmp = os.path.join(dump, QID, "answers.json.tmp")
    with open(tmp, "w", encoding="utf-8") as f:
        json.dump([answer], f, ensure_ascii=False)
    os.rename(tmp, os.path.join(dump, QID, "answers.json"))
    return os.path.getsize(os.path.join(dump, QID, "answers.json"))


def measure(cmd):
    """Peak RSS (MiB) and wall seconds of cmd, run as the only child of a fresh process."""
    wrapper = ("import resource,subprocess,sys,time;s=time.monotonic();"
               "p=subprocess.run(sys.argv[1:],stdout=subprocess.DEVNULL,stderr=subprocess.PIPE);"
               "t=time.monotonic()-s;"
               "r=resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss;"
               "print(r,t,p.returncode);sys.stderr.write(p.stderr.decode(errors='replace')[-2000:])")
    p = subprocess.run(["python3", "-c", wrapper] + cmd, capture_output=True, text=True)
    kb, secs, rc = p.stdout.split()
    if rc != "0":
        raise SystemExit("failed (%s): %s\n%s" % (rc, " ".join(cmd), p.stderr))
    return int(kb) / 1024, float(secs)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", default="build")
    ap.add_argument("--data", default="tests/data")
    ap.add_argument("--size", type=float, default=30, help="answer size in MiB")
    ap.add_argument("--kind", choices=["fixture", "dense", "fixture-gumbo", "dense-gumbo"],
                    default="fixture",
                    help="fixture answers as they are (the converter's fast path) or dense "
                         "markup; -gumbo: with one element that sends the answer to gumbo")
    ap.add_argument("--keep", help="work in this directory and keep it (archive, dump)")
    a = ap.parse_args()
    archivist = os.path.abspath(os.path.join(a.build, "cli/archivist"))
    mock = os.path.join(a.build, "tests/mock_zhihu/mock_zhihu")
    tmp = a.keep or tempfile.mkdtemp(prefix="memory_bench.")
    os.makedirs(tmp, exist_ok=True)
    try:
        dump = os.path.join(tmp, "questions")
        html = make_answer(a.kind, a.data, int(a.size * 1024 * 1024))
        body = write_question(dump, a.data, html)
        print("answer (%s): %.1f MiB of HTML, listing body %.1f MiB" % (
            a.kind, len(html.encode("utf-8")) / 2**20, body / 2**20))
        m = subprocess.Popen([mock, "--port", "0", "--no-log", "--root", dump],
                             stdout=subprocess.PIPE, text=True)
        base = "http://127.0.0.1:" + m.stdout.readline().strip()
        db = os.path.join(tmp, "archive.db")
        common = [archivist, "--db", db, "--zhihu-base-url", base]
        try:
            steps = [("add", common + ["add", QID]),
                     ("refresh (new answer)", common + ["refresh", QID, "--delay", "0"]),
                     ("refresh (unchanged)", common + ["refresh", QID, "--delay", "0"])]
            for name, cmd in steps:
                print("%-34s peak RSS %7.1f MiB  (%.1f s)" % ((name,) + measure(cmd)))
            write_question(dump, a.data, html.replace("</p>", "</p><p>edit</p>", 1))
            for name, cmd in [
                    ("refresh (edited)", common + ["refresh", QID, "--delay", "0"]),
                    ("show", common + ["show", QID]),
                    ("export", common + ["export", os.path.join(tmp, "export")]),
                    ("diff --from 1 --to 2", common + ["diff", AID, "--from", "1", "--to", "2"]),
                    ("history", common + ["history", QID])]:
                print("%-34s peak RSS %7.1f MiB  (%.1f s)" % ((name,) + measure(cmd)))
            write_question(dump, a.data, html.replace("</p>", "</p><p>edit 2</p>", 1))
            cmd = common + ["refresh", QID, "--delay", "0", "--export-dir",
                            os.path.join(tmp, "export2")]
            print("%-34s peak RSS %7.1f MiB  (%.1f s)" % (("refresh --export-dir (edited)",) +
                                                         measure(cmd)))
        finally:
            m.terminate()
            m.wait()
    finally:
        if not a.keep:
            shutil.rmtree(tmp)


if __name__ == "__main__":
    main()
