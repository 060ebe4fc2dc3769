#!/usr/bin/env python3
"""Three `archivist daemon`s on one PostgreSQL archive (docs/postgresql.md "Several daemons on
one archive"), against mock_zhihu serving 200 small questions, intervals of 2–4 s, a lease of
5 s:

  - they share the work: every daemon refreshes threads (its /metrics count claims and
    refreshes), and every thread is refreshed;
  - no thread is ever refreshed by two at once: no two fetch records of one thread overlap in
    time (a fetch record is its start and duration), no daemon's refresh was superseded (a
    refresh that overlapped another of its thread is dropped at its commit, fetch record
    included, so only the daemons' logs and /metrics can tell), and the archive holds only
    whole refreshes with no duplicated event;
  - the hot list (every hour) is polled once, by the one holding the discovery lock, and the
    poll's time is the archive's `hot-list` mark;
  - a one-shot `archivist refresh` of the due threads beside them claims each thread as
    they do: it completes with nothing superseded;
  - `archivist status` names the three (host, pid, threads held) and /metrics never shows the
    URI's password;
  - a daemon killed with SIGKILL while it holds threads: the others take each of them over
    once its lease ends and within one lease of the kill (never before the lease ends), and
    count the takeovers;
  - SIGTERM releases a daemon's leases and removes its record at once.

usage: pg_daemons_test.py --archivist PATH --mock PATH --data tests/data [--keep]
"""
import os
import signal
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import FixtureMock, PgServer, parse_args, scratch, wait_until  # noqa: E402
import pg_fleet  # noqa: E402

ARGS = None
LEASE_S = 5


def micros_now():
    return int(time.time() * 1_000_000)


def main():
    global ARGS
    ARGS, _ = parse_args("archivist", "mock", "data", keep=True)
    with scratch("pg_daemons_test.", keep=ARGS.keep) as tmp, PgServer() as pg:
        os.environ["XDG_CACHE_HOME"] = os.path.join(tmp, "cache")
        pg.create_database("fleet")
        # A password in the URI (the server trusts local connections and ignores it): it must
        # never reach a log or /metrics.
        uri = pg.uri("fleet").replace("archivist@", "archivist:s3cret-pw@")
        mock = FixtureMock(ARGS.mock, ARGS.data, tmp, [], log=False)
        daemons = []
        try:
            qids = pg_fleet.make_questions(ARGS.data, mock.root, 200)
            # Each listing takes a little while, so that refreshes are in flight at a kill.
            # One question answers 3 s late: whoever refreshes it holds it that long, the
            # daemon to kill.
            slow = qids[0]
            mock.set_faults("route=feeds action=delay ms=40\n"
                            "route=question qid=%s action=delay ms=3000\n" % slow)
            subprocess.run([ARGS.archivist, "--db", uri, "add", *qids], check=True,
                           capture_output=True)
            config = os.path.join(tmp, "fleet.toml")
            pg_fleet.write_config(config, uri, mock.base, lease="%ds" % LEASE_S, discovery=True)
            daemons = [pg_fleet.start_daemon(ARGS.archivist, tmp, config, "d%d" % i).ready()
                       for i in range(3)]
            # Every thread refreshed at least twice, by whichever daemon.
            wait_until(lambda: int(pg.psql("fleet", """SELECT count(*) FROM threads t WHERE
                         (SELECT count(*) FROM fetches f WHERE f.thread_id = t.id) >= 2""")) == 200,
                       "every thread refreshed twice", timeout=60,
                       on_fail=lambda: daemons[0].tail())
            for d in daemons:
                m = d.metrics()
                assert m['archivist_claims_total{result="claimed"}'] > 0, d.tail()
                # No refresh was dropped at its commit for another of the same thread.
                assert m["archivist_refreshes_superseded_total"] == 0, d.tail()
                assert sum(v for k, v in m.items() if k.startswith("archivist_refreshes_total")) > 0
                body = "\n".join("%s %s" % kv for kv in m.items())
                assert "s3cret-pw" not in body and "s3cret-pw" not in d.log(), "password leaked"
                assert any(k.startswith("archivist_daemon_info{") and "fleet" in k for k in m), m
            # The hot list was polled once, by one of them (the discovery lock's holder).
            polls = sum(d.metrics()['archivist_discovery_polls_total{result="ok"}'] for d in daemons)
            assert polls == 1, polls
            assert pg.psql("fleet", "SELECT count(*) FROM marks WHERE name = 'hot-list'").strip() == "1"
            # A one-shot refresh of the due threads beside them claims each thread too: it
            # refreshes only what no daemon holds, and nothing of it is superseded.
            once = subprocess.run([ARGS.archivist, "--db", uri, "--zhihu-base-url", mock.base,
                                   "refresh", "--delay", "0", "--retries", "0"],
                                  capture_output=True, text=True, timeout=120)
            assert once.returncode == 0, once.stdout[-2000:] + once.stderr[-2000:]
            assert "superseded" not in once.stdout + once.stderr, once.stdout + once.stderr
            assert "s3cret-pw" not in once.stdout + once.stderr
            status = subprocess.run([ARGS.archivist, "--db", uri, "status", "--listen",
                                     daemons[0].status_url.replace("http://", "")],
                                    capture_output=True, text=True)
            assert "daemons:   3 on the archive" in status.stdout, status.stdout + status.stderr
            for d in daemons:
                assert "pid %d since" % d.proc.pid in status.stdout, status.stdout
            assert "s3cret-pw" not in status.stdout + status.stderr

            # SIGKILL one while it holds threads.
            holder = wait_until(lambda: pg.psql("fleet", """SELECT d.pid || '|' || d.id
                FROM daemons d JOIN threads t ON t.lease_owner = d.id
                WHERE t.source_id = %s""" % slow).strip(), "a daemon refreshing the slow question",
                                timeout=20)
            victim_pid, victim_id = holder.split("|", 1)
            victim = next(d for d in daemons if d.proc.pid == int(victim_pid))
            survivors = [d for d in daemons if d is not victim]
            victim.proc.send_signal(signal.SIGKILL)
            killed_at = micros_now()
            victim.proc.wait()
            held = pg_fleet.rows(pg, "fleet", "SELECT id, lease_until FROM threads "
                                 "WHERE lease_owner = '%s'" % victim_id)
            assert held, "the victim held no thread at its death"

            def taken_over():
                got = {}
                for thread, lease_until in held:
                    first = pg.psql("fleet", "SELECT min(started_at) FROM fetches WHERE "
                                    "thread_id = %s AND started_at > %d" % (thread, killed_at))
                    if not first.strip():
                        return None
                    got[thread] = (int(first), int(lease_until))
                return got
            firsts = wait_until(taken_over, "the others taking the victim's threads over",
                                timeout=LEASE_S * 3)
            for thread, (first, lease_until) in firsts.items():
                assert first >= lease_until - 1000, "thread %s refreshed before the lease ended" % thread
                # The heartbeat renews every third of a lease: the lease ends within one lease
                # of the kill, and another daemon starts the refresh as it ends (allowing 1 s
                # for a refresh to start on two busy cores).
                assert lease_until <= killed_at + LEASE_S * 1_000_000, (lease_until, killed_at)
                assert first <= lease_until + 1_000_000, \
                    "thread %s taken over %.1f s after its lease" % (thread, (first - lease_until) / 1e6)
            takeovers = sum(d.metrics()["archivist_claim_takeovers_total"]
                            for d in survivors)
            assert takeovers >= len(held), (takeovers, len(held))

            # SIGTERM: leases released and record removed at once.
            stopped = survivors[1]
            stopped_id = pg.psql("fleet", "SELECT id FROM daemons WHERE pid = %d"
                                 % stopped.proc.pid).strip()
            stopped.end(signal.SIGTERM)
            assert pg.psql("fleet", "SELECT count(*) FROM threads WHERE lease_owner = '%s'"
                           % stopped_id).strip() == "0"
            assert pg.psql("fleet", "SELECT count(*) FROM daemons WHERE id = '%s'"
                           % stopped_id).strip() == "0"
            assert survivors[0].metrics()["archivist_refreshes_superseded_total"] == 0
            survivors[0].end(signal.SIGTERM)
            for d in daemons:
                assert "superseded" not in d.log(), d.tail()

            overlaps = pg_fleet.overlapping_fetches(pg, "fleet")
            assert overlaps == [], "fetches of one thread overlap: %r" % overlaps[:5]
            pg_fleet.check_whole(pg, "fleet")
            fetches = pg.psql("fleet", "SELECT count(*) FROM fetches").strip()
            print("3 daemons, 200 threads: %s fetch records, none overlapping; %d threads of the "
                  "killed daemon taken over %.1f–%.1f s after the kill (lease %d s); %d takeovers"
                  % (fetches, len(held),
                     min(f for f, _ in firsts.values()) / 1e6 - killed_at / 1e6,
                     max(f for f, _ in firsts.values()) / 1e6 - killed_at / 1e6,
                     LEASE_S, takeovers))
            print("OK")
            return 0
        finally:
            for d in daemons:
                d.stop()
            mock.stop()


if __name__ == "__main__":
    sys.exit(main())
