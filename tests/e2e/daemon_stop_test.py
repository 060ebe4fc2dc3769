#!/usr/bin/env python3
"""Stopping the real `archivist daemon` in the middle of a refresh: fast, and nothing half.

1. SIGTERM while a refresh walks a slow listing (mock_zhihu answers each of the 16 pages of
   a thread 3 s late, so that refresh would take ~48 s): the daemon exits 0 within a few
   seconds (a hang guard of 10 s; measured and printed), logs the refresh as cancelled, and
   the archive is whole (integrity_check and the whole-refresh checks of refresh_crash_test)
   with nothing of the cancelled refresh in it: no fetch record, no event, nothing recorded
   as deleted; every answer still present.
2. A refresh that cannot heed the cancellation (its commit waits for the write lock, which
   this test holds): the first SIGTERM is waited on, the second exits at once with status
   128 + 15, and once the lock is released the archive is whole with nothing of that refresh.

usage: daemon_stop_test.py --archivist PATH --mock PATH --data tests/data [--keep]
"""
import os
import signal
import sqlite3
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import (FixtureMock, archivist_daemon, check_whole, parse_args,  # noqa: E402
                     scratch, sql, wait_until, write_config)

QSLOW = "1909560805764077000"  # 48 answers: 16 listing pages of 3
ARGS = None


def archive_state(db):
    """What a cancelled refresh must not change."""
    return {
        "fetches": sql(db, "SELECT count(*) FROM fetches")[0][0],
        "events": sql(db, "SELECT kind, count(*) FROM events GROUP BY kind ORDER BY kind"),
        "answers": sql(db, "SELECT state, count(*) FROM answers GROUP BY state ORDER BY state"),
        "revisions": sql(db, "SELECT count(*) FROM revisions")[0][0],
    }


def feeds_requested(mock, after=0):
    return [t for t in mock.requests()[after:] if "/questions/%s/feeds" % QSLOW in t]


def first_refresh(tmp, mock, db, name):
    cfg = os.path.join(tmp, name + ".toml")
    write_config(cfg, db, mock.base, [QSLOW], min_i="1s", init_i="1s", max_i="2s", workers=1)
    d = archivist_daemon(ARGS.archivist, tmp, cfg, name=name)
    wait_until(lambda: [r for r in d.refreshes() if r["outcome"] == "complete"],
               "the first refresh", on_fail=d.tail)
    # Wait for the schedule of that refresh to be stored (the loop's own small write).
    time.sleep(0.3)
    return d


def sigterm_during_a_slow_listing(tmp, mock):
    db = os.path.join(tmp, "slow.db")
    d = first_refresh(tmp, mock, db, "slow")
    try:
        seen = len(mock.requests())
        mock.set_faults("route=feeds qid=%s action=delay ms=3000\n" % QSLOW)
        wait_until(lambda: len(feeds_requested(mock, seen)) >= 2, "the slow refresh's second page",
                   on_fail=d.tail)
        time.sleep(0.5)  # in the middle of that page's delay
        # One worker, one thread: every earlier refresh is stored, this one is in flight.
        at = len(d.log())
        before = archive_state(db)
        assert before["answers"] == [("present", 48)], before
        t0 = time.monotonic()
        d.proc.send_signal(signal.SIGTERM)
        try:
            rc = d.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            raise AssertionError("the daemon did not exit within 10 s of SIGTERM" + d.tail())
        took = time.monotonic() - t0
        log = d.log()[at:]
        print("1. SIGTERM during a slow 16-page refresh: exit %d after %.2f s" % (rc, took))
        assert rc == 0, d.tail()
        assert took < 5, took
        assert "SIGTERM: stopping; cancelling 1 refresh(es) in flight" in log, d.tail()
        assert "refresh zhihu:%s cancelled by the stop: nothing of it was stored" % QSLOW in log, \
            d.tail()
        assert log.rstrip().endswith("info stopped"), d.tail()
        check_whole(db)
        after = archive_state(db)
        assert after == before, (before, after)
        assert ("answer_deleted", 0) not in after["events"]
        assert not [k for k, _ in after["events"] if k == "answer_deleted"], after
        print("   archive whole; nothing of the cancelled refresh stored: %r" % after)
    finally:
        d.stop()
        mock.set_faults("")


def second_sigterm_while_the_commit_waits(tmp, mock):
    db = os.path.join(tmp, "locked.db")
    d = first_refresh(tmp, mock, db, "locked")
    lock = None
    try:
        lock = sqlite3.connect(db, timeout=10, isolation_level=None)
        lock.execute("BEGIN IMMEDIATE")  # the write lock: the next commit waits for it
        seen = len(mock.requests())
        wait_until(lambda: feeds_requested(mock, seen), "a refresh after the lock", on_fail=d.tail)
        quiet = {"n": -1, "since": time.monotonic()}

        def fetching_done():  # no new request for 1 s: the refresh waits in its commit
            n = len(mock.requests())
            if n != quiet["n"]:
                quiet.update(n=n, since=time.monotonic())
            return time.monotonic() - quiet["since"] > 1
        wait_until(fetching_done, "the refresh to finish fetching", on_fail=d.tail)
        at = len(d.log())
        before = archive_state(db)  # WAL: readers do not wait for the lock
        d.proc.send_signal(signal.SIGTERM)
        time.sleep(0.5)
        assert d.proc.poll() is None, "exited on the first SIGTERM while committing" + d.tail()
        t0 = time.monotonic()
        d.proc.send_signal(signal.SIGTERM)
        try:
            rc = d.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            raise AssertionError("the daemon did not exit within 10 s of the second SIGTERM"
                                 + d.tail())
        took = time.monotonic() - t0
        print("2. second SIGTERM while a commit waits for the lock: exit %d after %.2f s"
              % (rc, took))
        assert rc == 128 + signal.SIGTERM, (rc, d.tail())
        assert took < 1.5, took
        assert "SIGTERM again: exiting now, without waiting for 1 refresh(es) in flight" in \
            d.log()[at:], d.tail()
        lock.rollback()
        lock.close()
        lock = None
        check_whole(db)
        after = archive_state(db)
        assert after == before, (before, after)
        print("   archive whole; nothing of that refresh stored")
    finally:
        if lock:
            lock.close()
        d.stop()


def main():
    global ARGS
    ARGS, _ = parse_args("archivist", "mock", "data", keep=True)
    with scratch("archivist-stop-", ARGS.keep) as tmp, \
            FixtureMock(ARGS.mock, ARGS.data, tmp, [QSLOW]) as mock:
        sigterm_during_a_slow_listing(tmp, mock)
        second_sigterm_while_the_commit_waits(tmp, mock)
        print("OK")
        return 0


if __name__ == "__main__":
    sys.exit(main())
