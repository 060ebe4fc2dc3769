#!/usr/bin/env python3
"""The real `archivist daemon` on a PostgreSQL archive lives through a restart of the database
server (docs/postgresql.md "When the server restarts").

On a throwaway server (harness.PgServer) and mock_zhihu serving copies of two fixture
questions, with short intervals:
 1. the daemon starts on the URI (no lock file beside anything) and records both threads;
 2. the server is stopped: no refresh starts meanwhile (the claims fail and are logged), or
    one caught committing is logged NOT STORED and nothing of it is written; /healthz says
    what is wrong; the daemon keeps running;
 3. the server starts again and one answer is edited at the source: the daemon records the
    edit (answer_edited, revision 2, exactly one such event), /healthz is ok again, and every
    event is whole (each answer has one answer_added).

The waits are hang guards, not timing assertions.

usage: pg_daemon_restart_test.py --archivist PATH --mock PATH --data tests/data
"""
import os
import re
import signal
import subprocess
import unittest

import harness

QA, QB = "1982867494206211639", "664360260"


class PgDaemonRestartTest(unittest.TestCase):
    def test_the_daemon_outlives_a_server_restart(self):
        with harness.scratch("archivist_pgrestart.") as tmp, harness.PgServer() as pg, \
                harness.FixtureMock(ARGS.mock, ARGS.data, tmp, [QA, QB]) as mock:
            pg.create_database("archive")
            uri = pg.uri("archive")
            config = os.path.join(tmp, "archivist.toml")
            harness.write_config(config, uri, mock.base, [QA, QB], min_i="1s", init_i="1s",
                                 max_i="1s")
            daemon = harness.archivist_daemon(ARGS.archivist, tmp, config)
            try:
                self.run_timeline(pg, mock, daemon, uri)
                daemon.end(signal.SIGTERM)
            finally:
                daemon.stop()

    def events(self, pg, kind):
        return int(pg.psql("archive", "SELECT count(*) FROM events WHERE kind = '%s'" % kind))

    def run_timeline(self, pg, mock, daemon, uri):
        for q in (QA, QB):
            daemon.wait_refresh(lambda r, q=q: r["q"] == q and r["outcome"] == "complete",
                                "the first refresh of " + q)
        added = self.events(pg, "answer_added")
        self.assertGreater(added, 0)

        # A clean stop: the test server runs without fsync or synchronous commit (speed), so
        # a crash of it could lose commits the daemon was told were made.
        pg.stop(mode="fast")
        at = len(daemon.log())
        # No refresh starts while the archive cannot be reached: the claim of each due thread
        # fails (a refresh caught committing at that moment would be NOT STORED instead).
        harness.wait_until(lambda: re.search(r"store write failed, claiming threads|NOT STORED",
                                             daemon.log()[at:]),
                           "a claim or a commit refused by the stopped server",
                           on_fail=daemon.tail)
        code, body = harness.http("GET", daemon.status_url + "/healthz")
        self.assertNotEqual(code, 200, body)
        self.assertIsNone(daemon.proc.poll(), daemon.tail())

        answers = mock.dump(QA)
        answers[2]["content"] += "<p>edited while the database was down</p>"
        answers[2]["updated_time"] += 60
        mock.write_dump(QA, answers)
        pg.start()
        harness.wait_until(lambda: self.events(pg, "answer_edited") >= 1,
                           "the edit recorded after the server came back",
                           on_fail=daemon.tail)
        harness.wait_until(lambda: harness.http("GET", daemon.status_url + "/healthz")[0] == 200,
                           "/healthz ok again", on_fail=daemon.tail)
        self.assertEqual(self.events(pg, "answer_edited"), 1)
        self.assertEqual(self.events(pg, "answer_added"), added)
        self.assertEqual(pg.psql("archive", "SELECT max(number) FROM revisions"), "2\n")
        self.assertEqual(pg.psql("archive",
                                 "SELECT count(*) FROM (SELECT answer_id FROM events WHERE "
                                 "kind = 'answer_added' GROUP BY answer_id HAVING count(*) > 1) d"),
                         "0\n")


if __name__ == "__main__":
    harness.main(globals(), "archivist", "mock", "data")
