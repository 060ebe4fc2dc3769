"""What the end-to-end tests share: the real mock_zhihu process, and SQL on an archive.

MockServer is the one way the tests start mock_zhihu: on 127.0.0.1 with an ephemeral port
(the number it prints first), serving the given dump folders, which it re-reads on every
request. Faults are set through its control endpoint (PUT /_mock/faults, docs/fetch.md lists
them); its request log through /_mock/requests.

sql() runs one statement on an archive file over a connection of its own, committed and
closed at once, so that no lock or open WAL is left behind for the archivist under test;
check_whole() asserts that an archive holds only whole refreshes.
"""
import argparse
import json
import sqlite3
import subprocess
import sys
import unittest
import urllib.error
import urllib.request


def parse_args(*names):
    """(options, rest): the test's required --NAME PATH options, and what is left for
    unittest (test names, -k, …)."""
    parser = argparse.ArgumentParser()
    for name in names:
        parser.add_argument("--" + name, required=True)
    return parser.parse_known_args()


def run_unittest(rest):
    """Runs the unittest cases of the calling script, with `rest` as their arguments."""
    unittest.main(module="__main__", argv=[sys.argv[0]] + rest, verbosity=2)


def sql(db, query, args=()):
    """The rows of one statement on `db` (committed; the connection is closed after)."""
    c = sqlite3.connect(db, timeout=10)
    try:
        rows = c.execute(query, args).fetchall()
        c.commit()
        return rows
    finally:
        c.close()


def check_whole(db):
    """The archive passes integrity_check and foreign_key_check and holds only whole
    refreshes: every revision with the event of its own fetch, every added / edited /
    restored event with a revision of its own answer, an order for every fetch with events,
    dense revision numbers, a revision for every answer, events inside their fetch."""
    assert sql(db, "PRAGMA integrity_check") == [("ok",)], sql(db, "PRAGMA integrity_check")
    assert sql(db, "PRAGMA foreign_key_check") == []
    bad = sql(db, """SELECT e.id, e.kind FROM events e LEFT JOIN revisions r ON r.id = e.revision_id
                     WHERE e.kind IN ('answer_added','answer_edited','answer_restored')
                       AND (r.id IS NULL OR r.answer_id != e.answer_id)""")
    assert bad == [], "events without their revision: %r" % bad
    bad = sql(db, """SELECT r.id FROM revisions r WHERE NOT EXISTS (
                       SELECT 1 FROM events e WHERE e.revision_id = r.id AND e.fetch_id = r.fetch_id
                         AND e.kind IN ('answer_added','answer_edited','answer_restored'))""")
    assert bad == [], "revisions without the event of their refresh: %r" % bad
    bad = sql(db, """SELECT DISTINCT e.fetch_id FROM events e WHERE e.kind != 'thread_gone'
                     AND NOT EXISTS (SELECT 1 FROM orders o WHERE o.thread_id = e.thread_id
                                     AND o.at = e.at)""")
    assert bad == [], "refreshes with events but no recorded order: %r" % bad
    bad = sql(db, """SELECT answer_id FROM revisions GROUP BY answer_id
                     HAVING min(number) != 1 OR max(number) != count(*)""")
    assert bad == [], "revision numbers with gaps: %r" % bad
    bad = sql(db, """SELECT a.id FROM answers a WHERE NOT EXISTS
                     (SELECT 1 FROM revisions r WHERE r.answer_id = a.id)""")
    assert bad == [], "answers without a revision: %r" % bad
    bad = sql(db, """SELECT e.id FROM events e JOIN fetches f ON f.id = e.fetch_id
                     WHERE e.at < f.started_at OR e.thread_id != f.thread_id""")
    assert bad == [], "events not matching their fetch: %r" % bad


def http(method, url, body=None, timeout=10):
    """(status, text) of one request; an HTTP error status is a result, not an exception."""
    req = urllib.request.Request(url, data=body, method=method)
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
            return r.status, r.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode()


class MockServer:
    """mock_zhihu on 127.0.0.1:<ephemeral>, serving `roots`; stop() (or `with`) ends it.

    log=False starts it with --no-log (no request log kept: for long runs); `flags` are added
    as they are (e.g. "--web").
    """

    def __init__(self, mock, roots, log=True, quiet=False, flags=()):
        cmd = [mock, "--port", "0"]
        for root in roots:
            cmd += ["--root", root]
        if not log:
            cmd.append("--no-log")
        cmd += list(flags)
        self.proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True,
                                     stderr=subprocess.DEVNULL if quiet else None)
        port = self.proc.stdout.readline().strip()
        if not port.isdigit():
            self.stop()
            raise AssertionError("mock_zhihu printed %r instead of its port" % port)
        self.base = "http://127.0.0.1:" + port

    def set_faults(self, text):
        """Replaces the faults ("" clears them): one `key=value …` line per fault."""
        code, body = http("PUT", self.base + "/_mock/faults", text.encode())
        assert code == 200, body

    def request_log(self):
        """The requests received since the last clear_requests(): {method, target, headers}."""
        code, body = http("GET", self.base + "/_mock/requests")
        assert code == 200, body
        return json.loads(body)

    def requests(self):
        """The targets (path and query) of request_log()."""
        return [r["target"] for r in self.request_log()]

    def clear_requests(self):
        http("DELETE", self.base + "/_mock/requests")

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
        self.proc.wait()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()
