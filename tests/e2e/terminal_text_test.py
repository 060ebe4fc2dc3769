#!/usr/bin/env python3
"""Server text never drives the terminal: the real `archivist` with a hostile mock dump.

The mock serves a question whose title carries an OSC window-title sequence ended by BEL,
a screen clear, a carriage return, a line feed followed by a forged `refresh` line, a C1
CSI (U+009B) and a right-to-left override (U+202E); an answer author named with escape
sequences; and a second question whose reply is a Zhihu error object with such a message
and code. Then, through the real binary:

  - `refresh`, `list`, `history` (a title change), `fetch` print one line per record, with
    every control character as a visible escape (\\x1b, \\x07, \\r, \\n, \\u009b, \\u202e);
  - `refresh` and `fetch` of the failing question print the server's message escaped, on
    one stderr / stdout line;
  - `show` piped is the export document byte for byte (its front matter flattens C0 controls
    itself); `show` on a terminal (a pty) escapes what is left (C1, bidi);
  - `archivist daemon` logs both refreshes with no raw control character and no forged line;
  - `archivist status` against a listener whose health reason and metric names hold escape
    sequences prints them escaped.

usage: terminal_text_test.py --archivist PATH --mock PATH --data tests/data [--keep]
"""
import http.server
import os
import re
import signal
import subprocess
import sys
import threading

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import (FixtureMock, archivist_daemon, on_a_terminal, parse_args, scratch, wait_until,  # noqa: E402
                     write_config)

Q, QERR = "1982867494206211639", "1924958977629884887"
EVIL = ("T\x1b]0;pwned\x07\x1b[2J\rforged\nrefresh %s (untitled)  +0 ~0 -0  answers 0  complete"
        "\u009b2J\u202eevil" % Q)
EVIL_AUTHOR = "au\x1b[31mthor\x07"
EVIL_MESSAGE = "boom\x1b[2J\r\narchivist refresh: all good\x07"
RAW = ("\x1b", "\x07", "\r", "\u009b", "\u202e")
ARGS = None


def assert_clean(text, what):
    bad = [c for c in RAW if c in text]
    assert not bad, "%s holds raw control characters %r:\n%r" % (what, bad, text)


def lines(text):
    return text.splitlines()


class Run:
    def __init__(self, tmp, base_url):
        self.db = os.path.join(tmp, "archive.db")
        self.base = base_url
        self.env = dict(os.environ, HOME=tmp)
        self.env.pop("XDG_CONFIG_HOME", None)

    def __call__(self, *args, code=0):
        r = subprocess.run([ARGS.archivist, "--db", self.db, "--zhihu-base-url", self.base, *args],
                           capture_output=True, env=self.env)
        out, err = r.stdout.decode("utf-8", "replace"), r.stderr.decode("utf-8", "replace")
        assert r.returncode == code, (args, r.returncode, err)
        return out, err

    def on_a_terminal(self, *args):
        """Runs with stdout on a pty; returns what the terminal received."""
        rc, text, err = on_a_terminal([ARGS.archivist, "--db", self.db, *args], self.env)
        assert rc == 0, err
        return text


def cli_outputs(run, mock, tmp):
    out, _ = run("refresh", Q)
    assert_clean(out, "refresh")
    assert len(lines(out)) == 1 and out.startswith(Q + "  T\\x1b]0;pwned\\x07\\x1b[2J\\rforged\\n"), out
    assert "\\u009b2J\\u202eevil" in out, out
    out, _ = run("list")
    assert_clean(out, "list")
    assert len(lines(out)) == 1 and "T\\x1b]0;pwned\\x07" in out, out

    question = mock.dump(Q, "question.json")
    question["title"] = "second\x1b[8m title\r\n2026-01-01T00:00:00Z  thread_gone \u202eevil"
    mock.write_dump(Q, question, "question.json")
    run("refresh", Q)
    out, _ = run("history", Q)
    assert_clean(out, "history")
    assert all(re.match(r"\d{4}-\d\d-\d\dT", line) for line in lines(out)), out
    changed = [line for line in lines(out) if "title_changed" in line]
    assert len(changed) == 1 and "second\\x1b[8m title\\r\\n2026-01-01" in changed[0], out

    out, _ = run("fetch", Q)
    assert_clean(out, "fetch")
    assert "question %s: second\\x1b[8m title\\r\\n2026" % Q in out, out
    assert "au\\x1b[31mthor\\x07" in out, out
    print("refresh, list, history, fetch: every control character escaped, no forged line")

    out, err = run("refresh", QERR, code=1)
    assert_clean(out + err, "refresh of the failing question")
    assert len(lines(err)) == 1, err
    assert err.startswith("archivist refresh: %s: invalid_response (HTTP 200, page 0, code 7\\x1b[1m7)"
                          % QERR), err
    assert "boom\\x1b[2J\\r\\narchivist refresh: all good\\x07" in err, err
    out, err = run("fetch", QERR, code=1)
    assert_clean(out + err, "fetch of the failing question")
    assert "error: HTTP 200, code '7\\x1b[1m7', page 0: " in out and "boom\\x1b[2J\\r\\n" in out, out
    print("refresh, fetch of an error object: the message escaped, on one line")


def show(run, tmp):
    export = os.path.join(tmp, "export")
    run("export", export)
    with open(os.path.join(export, Q + ".md"), encoding="utf-8") as f:
        exported = f.read()
    piped, _ = run("show", Q)
    assert piped == exported, "show piped differs from the export"
    front = piped.split("\n---\n", 1)[0]
    for c in ("\x1b", "\x07", "\r"):
        assert c not in front, (c, front)
    assert "\u202eevil" in front, front  # the document keeps it (docs/format.md §1 quoting)
    tty = run.on_a_terminal("show", Q)
    assert_clean(tty, "show on a terminal")
    assert "\\u202eevil" in tty, tty[:400]
    assert tty.count("\n") == piped.count("\n"), "show on a terminal changed the layout"
    print("show: piped = the export byte for byte; on a terminal, escaped (%d lines)"
          % tty.count("\n"))


def daemon_log(mock, tmp):
    cfg = os.path.join(tmp, "archivist.toml")
    write_config(cfg, os.path.join(tmp, "daemon.db"), mock.base, [Q, QERR])
    d = archivist_daemon(ARGS.archivist, tmp, cfg)
    try:
        wait_until(lambda: {r["q"] for r in d.refreshes()} >= {Q, QERR}, "both refreshes",
                   on_fail=d.tail)
        d.proc.send_signal(signal.SIGTERM)
        assert d.proc.wait(timeout=30) == 0, d.tail()
        raw = d.raw_log().decode("utf-8", "replace")
        assert_clean(raw, "the daemon's log")
        for line in lines(raw):
            assert re.match(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}[+-]\d\d:\d\d \w+ ", line), line
        failed = [r for r in d.refreshes() if r["q"] == QERR]
        assert failed and failed[0]["outcome"] == "invalid_response", failed
        assert "boom\\x1b[2J\\r\\narchivist refresh: all good\\x07" in raw, raw
        print("daemon log: %d lines, each a line of its own, the server's message escaped"
              % len(lines(raw)))
    finally:
        d.stop()


class EvilListener(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        body = ("ok\x1b]0;pwned\x07\r\nhealth:    healthy" if self.path == "/healthz" else
                'archivist_threads_tracked 1\x1b[2J\narchivist_refreshes_total{outcome="x\x1b[31m"} 4\n')
        self.send_response(200)
        self.end_headers()
        self.wfile.write(body.encode())

    def log_message(self, *args):
        pass


def status():
    server = http.server.HTTPServer(("127.0.0.1", 0), EvilListener)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        r = subprocess.run([ARGS.archivist, "status", "--listen",
                            "127.0.0.1:%d" % server.server_address[1]], capture_output=True)
        out = r.stdout.decode("utf-8", "replace")
        assert r.returncode == 0, r.stderr
        assert_clean(out, "status")
        assert "health:    healthy (ok\\x1b]0;pwned\\x07\\r\\nhealth:    healthy)" in out, out
        assert "x\\x1b[31m 4" in out and "1\\x1b[2J tracked" in out, out
        print("status: the listener's text escaped")
    finally:
        server.shutdown()


def main():
    global ARGS
    ARGS, _ = parse_args("archivist", "mock", "data", keep=True)
    with scratch("archivist-terminal-", ARGS.keep) as tmp, \
            FixtureMock(ARGS.mock, ARGS.data, tmp, [Q, QERR]) as mock:
        question = mock.dump(Q, "question.json")
        question["title"] = EVIL
        mock.write_dump(Q, question, "question.json")
        answers = mock.dump(Q)
        answers[0]["author"]["name"] = EVIL_AUTHOR
        mock.write_dump(Q, answers)
        mock.write_dump(QERR, {"error": {"code": "7\x1b[1m7", "message": EVIL_MESSAGE}},
                        "question.json")
        run = Run(tmp, mock.base)
        cli_outputs(run, mock, tmp)
        show(run, tmp)
        daemon_log(mock, tmp)
        status()
        print("OK")
        return 0


if __name__ == "__main__":
    sys.exit(main())
