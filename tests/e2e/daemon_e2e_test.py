#!/usr/bin/env python3
"""End-to-end test of the real `archivist daemon` against mock_zhihu.

One scripted run, in order, on copies of five fixture questions served by mock_zhihu on
127.0.0.1, with a temporary TOML config (short intervals: min 1s, initial 1s, max 4s;
fetch.per_host_delay 0s; zhihu.page_size 3; daemon.status_listen 127.0.0.1:0) and a unix
datagram socket of ours as NOTIFY_SOCKET:

 1. start: READY=1 with STATUS= ("2 threads, …"), WATCHDOG=1 (WATCHDOG_USEC given); the two
    configured threads are refreshed: export files appear, `archivist history` shows
    thread_added and one answer_added per answer of the dump, one log line per refresh;
 2. a scripted edit (one answer's content changed in the copied answers.json) is recorded
    as answer_edited (revision 2) by a later refresh, and the export file follows;
 3. a failed fetch (the mock answers 404 once) is logged as not_found and deletes nothing;
 4. SIGHUP with a broken config: the error is logged with file:line, the daemon keeps
    running and keeps refreshing on the old schedule (next_in within the old max);
 5. SIGHUP with a good config (a third thread, intervals 10m..1h): the new thread is tracked
    and refreshed, the others are rescheduled ≥ 9 minutes out, STATUS= says 0 due;
 6. /healthz is 200 "ok"; /metrics counts refreshes by outcome exactly as the log lines do,
    events by kind as the dumps imply, threads tracked/due; `archivist status` agrees;
 7. SIGTERM while a refresh is in flight (a fourth thread added by SIGHUP, its listing pages
    delayed 1.5 s each by the mock): STOPPING=1, the refresh is cancelled, exit status 0
    within seconds; the store passes integrity_check and the whole-refresh checks of
    refresh_crash_test, every fetch record is whole, and nothing of the cancelled refresh is
    stored (the slow thread has no fetch record, no event);
 8. restart with one more thread added meanwhile by `archivist add`: READY says 2 due (that
    one and the slow thread, still due), only those two are fetched (the mock's request
    log), the recently refreshed ones are not (their fetch records unchanged, STATUS=
    reaches 0 due); SIGTERM again, exit 0, store whole.

The waits below are hang guards (generous), not timing assertions.

usage: daemon_e2e_test.py --archivist PATH --mock PATH --data tests/data [--keep]
"""
import json
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time

from harness import (Daemon, FixtureMock, check_whole, daemon_env, http, metrics, parse_args,
                     scratch, sql, wait_until)

QA, QB, QC, QSLOW, QNEW = ("1982867494206211639", "664360260", "305246901", "598873550",
                           "1924958977629884887")
ARGS = None


class NotifySocket:
    """The NOTIFY_SOCKET a service manager would provide: collects every datagram."""

    def __init__(self, path):
        self.path = path
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        self.sock.bind(path)
        self.lock = threading.Lock()
        self.messages = []
        self.thread = threading.Thread(target=self._read, daemon=True)
        self.thread.start()

    def _read(self):
        while True:
            try:
                data = self.sock.recv(65536)
            except OSError:
                return
            with self.lock:
                self.messages.append(data.decode())

    def all(self):
        with self.lock:
            return list(self.messages)

    def clear(self):
        with self.lock:
            self.messages.clear()

    def wait(self, pred, what, daemon=None):
        return wait_until(lambda: next((m for m in self.all() if pred(m)), None), what,
                          on_fail=lambda: "; got %r%s" % (self.all()[-20:],
                                                          daemon.tail() if daemon else ""))

    def close(self):
        self.sock.close()


class Scenario:
    def __init__(self, tmp):
        self.tmp = tmp
        # No store.path in the config: the default location, $XDG_DATA_HOME/archivist/, whose
        # folder does not exist yet (the daemon creates it, as the CLI's writing verbs do).
        self.db = os.path.join(tmp, "data", "archivist", "archive.db")
        self.out = os.path.join(tmp, "export")  # created by the daemon
        self.cfg = os.path.join(tmp, "archivist.toml")
        self.mock = FixtureMock(ARGS.mock, ARGS.data, tmp, (QA, QB, QC, QSLOW, QNEW))
        self.notify = NotifySocket(os.path.join(tmp, "notify.sock"))
        self.daemon = None
        self.status_url = None

    def close(self):
        if self.daemon:
            self.daemon.stop()
        self.mock.stop()
        self.notify.close()

    # --- helpers -----------------------------------------------------------------------

    def dump(self, q):
        return self.mock.dump(q)

    def write_dump(self, q, answers):
        self.mock.write_dump(q, answers)

    def write_config(self, threads, min_i="1s", init_i="1s", max_i="4s", delay="0s", workers=2):
        text = ('[export]\ndir = "%s"\n'
                '[fetch]\nper_host_delay = "%s"\nconcurrency = %d\n'
                '[zhihu]\nbase_url = "%s"\npage_size = 3\n'
                '[schedule]\nmin_interval = "%s"\ninitial_interval = "%s"\nmax_interval = "%s"\n'
                '[daemon]\nstatus_listen = "127.0.0.1:0"\n'
                % (self.out, delay, workers, self.mock.base, min_i, init_i, max_i))
        for q in threads:
            text += '[[thread]]\nurl = "https://www.zhihu.com/question/%s"\n' % q
        with open(self.cfg + ".new", "w") as f:
            f.write(text)
        os.replace(self.cfg + ".new", self.cfg)

    def archivist(self, *args):
        r = subprocess.run([ARGS.archivist, "--db", self.db, *args], capture_output=True,
                           text=True, env=dict(os.environ, HOME=self.tmp))
        assert r.returncode == 0, "archivist %s: %d %s" % (args, r.returncode, r.stderr)
        return r.stdout

    def history(self, q, *extra):
        return [json.loads(line) for line in self.archivist("history", q, "--json", *extra).splitlines()]

    def export_text(self, q):
        path = os.path.join(self.out, q + ".md")
        if not os.path.exists(path):
            return None
        with open(path, encoding="utf-8") as f:
            return f.read()

    def metrics(self):
        return metrics(self.status_url)

    def fetch_counts(self):
        return dict(sql(self.db, "SELECT t.source_id, count(f.id) FROM threads t "
                                 "LEFT JOIN fetches f ON f.thread_id = t.id GROUP BY t.id"))

    def start_daemon(self, name):
        self.notify.clear()
        env = daemon_env(self.tmp, NOTIFY_SOCKET=self.notify.path, WATCHDOG_USEC="1000000")
        self.daemon = Daemon([ARGS.archivist, "--config", self.cfg, "daemon"],
                             os.path.join(self.tmp, name + ".log"), env, tail_lines=40)
        ready = self.notify.wait(lambda m: "READY=1" in m.split("\n"), "READY=1", self.daemon)
        port = self.daemon.wait_log("status 127.0.0.1:", "the ready log line") + len("status 127.0.0.1:")
        m = re.match(r"\d+", self.daemon.log()[port:])
        self.status_url = "http://127.0.0.1:%s" % m.group(0)
        return ready

    def check_store(self):
        assert sql(self.db, "PRAGMA integrity_check") == [("ok",)]
        check_whole(self.db)
        outcomes = {"complete", "partial", "not_modified", "not_found", "rate_limited",
                    "blocked", "auth_required", "transient", "invalid_response", "too_large"}
        for fid, outcome, started, pages, count, err in sql(
                self.db, "SELECT id, outcome, started_at, pages, answer_count, error_message "
                         "FROM fetches"):
            assert outcome in outcomes and started > 0, (fid, outcome, started)
            if outcome == "complete":
                assert pages >= 1 and count >= 1 and err == "", (fid, pages, count, err)
            else:
                assert err != "", (fid, outcome, "a failed fetch without its error")

    # --- the steps ----------------------------------------------------------------------

    def step1_start_and_first_refreshes(self):
        self.write_config([QA, QB])
        ready = self.start_daemon("run1")
        assert "STATUS=2 threads, " in ready, ready
        assert "archivist daemon ready: store %s, 2 threads tracked" % self.db in self.daemon.log()
        self.notify.wait(lambda m: m == "WATCHDOG=1", "WATCHDOG=1")
        d = self.daemon
        for q in (QA, QB):
            wait_until(lambda: self.export_text(q), "the export of %s" % q, on_fail=d.tail)
            kinds = [e["kind"] for e in self.history(q)]
            assert kinds.count("thread_added") == 1, kinds
            assert kinds.count("answer_added") == len(self.dump(q)), kinds
            first = d.refreshes()[[r["q"] for r in d.refreshes()].index(q)]
            n = len(self.dump(q))
            assert (first["outcome"], first["http"], first["pages"], first["answers"]) == \
                ("complete", "200", str((n + 2) // 3), str(n)), first
            assert first["kinds"] == "thread_added=1 answer_added=%d" % n, first
            assert self.export_text(q).startswith("---\n"), q
        print("1. READY/STATUS/WATCHDOG; %s and %s refreshed and exported" % (QA, QB))

    def step2_scripted_edit(self):
        answers = self.dump(QA)
        aid = str(answers[2]["id"])
        answers[2]["content"] += "<p>edited by the daemon end-to-end test</p>"
        answers[2]["updated_time"] += 60
        self.write_dump(QA, answers)
        edited = wait_until(
            lambda: [e for e in self.history(QA, "--answer", aid) if e["kind"] == "answer_edited"],
            "answer_edited of %s" % aid, on_fail=self.daemon.tail)
        assert edited[0]["revision"] == 2 and edited[0]["answer"] == aid, edited
        wait_until(lambda: "edited by the daemon end-to-end test" in self.export_text(QA),
                   "the edit in the export of %s" % QA, on_fail=self.daemon.tail)
        r = self.daemon.wait_refresh(lambda r: r["q"] == QA and "answer_edited=1" in r["kinds"],
                                     "the log line of the edit")
        assert r["kinds"] == "answer_edited=1" and r["outcome"] == "complete", r
        print("2. scripted edit recorded as answer_edited r2 and exported")

    def step3_failed_fetch_deletes_nothing(self):
        self.mock.set_faults("route=question qid=%s times=1 action=status status=404\n" % QB)
        at = len(self.daemon.log())
        bad = self.daemon.wait_refresh(lambda r: r["q"] == QB and r["outcome"] != "complete",
                                       "the failed refresh of %s" % QB, after=at)
        assert (bad["outcome"], bad["http"], bad["events"]) == ("not_found", "404", "0"), bad
        self.daemon.wait_refresh(lambda r: r["q"] == QB and r["outcome"] == "complete",
                                 "the recovery of %s" % QB, after=bad["at"])
        kinds = [e["kind"] for e in self.history(QB)]
        assert "answer_deleted" not in kinds and "thread_gone" not in kinds, kinds
        present = sql(self.db, "SELECT count(*) FROM answers a JOIN threads t ON t.id = a.thread_id "
                               "WHERE t.source_id = ? AND a.state = 'present'", (int(QB),))
        assert present == [(len(self.dump(QB)),)], present
        print("3. a 404 fetch logged as not_found; nothing deleted")

    def step4_sighup_with_a_broken_config(self):
        with open(self.cfg, "w") as f:
            f.write('[schedule]\nmin_interval = "soon"\n[fetch]\nbogus = 1\n')
        at = len(self.daemon.log())
        self.daemon.signal(signal.SIGHUP)
        refused = "the new configuration is refused, the old one stays"
        end = self.daemon.wait_log(refused, "the refusal of the broken config", after=at) + len(refused)
        text = self.daemon.log()[end:]
        assert "%s:2:" % self.cfg in text and "min_interval" in text, text[:500]
        assert "%s:4:1: unknown key fetch.bogus" % self.cfg in text, text[:500]
        # Still running, still refreshing on the old schedule (max 4s: next_in at most 4s).
        later = wait_until(lambda: len(self.daemon.refreshes(end)) >= 3 and self.daemon.refreshes(end),
                           "refreshes after the refused reload", on_fail=self.daemon.tail)
        assert self.daemon.proc.poll() is None
        assert all(int(r["next_in"]) <= 5 and r["outcome"] == "complete" for r in later), later
        assert http("GET", self.status_url + "/healthz") == (200, "ok\n")
        print("4. broken config refused with file:line, old one kept (%d refreshes since)" % len(later))

    def step5_sighup_with_a_good_config(self):
        # Also a new per-host delay and more workers: only a restart applies those, and the
        # daemon says so instead of ignoring them silently.
        self.write_config([QA, QB, QC], min_i="10m", init_i="10m", max_i="1h", delay="1ms",
                          workers=3)
        at = len(self.daemon.log())
        self.daemon.signal(signal.SIGHUP)
        reloaded = "configuration reloaded from " + self.cfg
        end = self.daemon.wait_log(reloaded, "the reload", after=at) + len(reloaded)
        reload_log = self.daemon.log()[at:end]
        assert "tracking zhihu:%s (from the configuration)" % QC in reload_log, reload_log
        assert "warning fetch.per_host_delay stays 0s until a restart" in reload_log, reload_log
        assert "warning fetch.concurrency stays 2 until a restart" in reload_log, reload_log
        for q in (QA, QB, QC):
            r = self.daemon.wait_refresh(lambda r: r["q"] == q, "a refresh of %s after the reload" % q,
                                         after=end)
            assert r["outcome"] == "complete" and int(r["next_in"]) >= 500, r
        wait_until(lambda: self.export_text(QC), "the export of %s" % QC, on_fail=self.daemon.tail)
        self.notify.wait(lambda m: "STATUS=3 threads, 0 due, 0 failing, 0 in flight" in m,
                         "STATUS= with 0 due after the reload")
        print("5. good config applied: %s tracked and refreshed, others rescheduled >= 500 s" % QC)

    def step6_health_and_metrics(self):
        assert http("GET", self.status_url + "/healthz") == (200, "ok\n")
        m = self.metrics()
        lines = self.daemon.refreshes()
        by_outcome = {}
        for r in lines:
            by_outcome[r["outcome"]] = by_outcome.get(r["outcome"], 0) + 1
        assert by_outcome.get("not_found") == 1, by_outcome
        for outcome, n in by_outcome.items():
            assert m.get('archivist_refreshes_total{outcome="%s"}' % outcome) == n, (outcome, n, m)
        assert sum(v for k, v in m.items() if k.startswith("archivist_refreshes_total{")) == len(lines)
        added = sum(len(self.dump(q)) for q in (QA, QB, QC))
        for kind, n in (("thread_added", 3), ("answer_added", added), ("answer_edited", 1),
                        ("answer_deleted", 0)):
            assert m.get('archivist_events_total{kind="%s"}' % kind, 0) == n, (kind, n, m)
        assert m["archivist_threads_tracked"] == 3 and m["archivist_threads_due"] == 0, m
        assert m["archivist_threads_failing"] == 0 and m["archivist_refreshes_in_flight"] == 0, m
        assert m["archivist_up"] == 1 and m["archivist_store_size_bytes"] > 0, m
        assert m["archivist_fetch_duration_seconds_count"] == len(lines), m
        listen = self.status_url[len("http://"):]
        r = subprocess.run([ARGS.archivist, "status", "--listen", listen], capture_output=True,
                           text=True)
        assert r.returncode == 0, r.stderr
        assert "health:    healthy (ok)" in r.stdout, r.stdout
        assert "threads:   3 tracked, 0 due, 0 failing, 0 refreshing now" in r.stdout, r.stdout
        print("6. /healthz 200; /metrics: %s; `archivist status` agrees" % by_outcome)

    def step7_sigterm_during_a_slow_refresh(self):
        pages = (len(self.dump(QSLOW)) + 2) // 3
        self.mock.set_faults("route=feeds qid=%s action=delay ms=1500\n" % QSLOW)
        self.mock.clear_requests()
        self.write_config([QA, QB, QC, QSLOW], min_i="10m", init_i="10m", max_i="1h")
        at = len(self.daemon.log())
        self.daemon.signal(signal.SIGHUP)
        self.daemon.wait_log("configuration reloaded", "the reload adding %s" % QSLOW, after=at)
        wait_until(lambda: any("/questions/%s/feeds" % QSLOW in t for t in self.mock.requests()),
                   "the first listing request of %s" % QSLOW, on_fail=self.daemon.tail)
        assert not any(r["q"] == QSLOW for r in self.daemon.refreshes(at)), "not slow enough"
        t0 = time.monotonic()
        self.daemon.signal(signal.SIGTERM)
        stopping = self.notify.wait(lambda m: "STOPPING=1" in m.split("\n"), "STOPPING=1")
        assert "STATUS=stopping: 1 in flight" in stopping, stopping
        try:
            rc = self.daemon.proc.wait(timeout=10)  # the refresh alone takes pages x 1.5 s
        except subprocess.TimeoutExpired:
            raise AssertionError("the daemon did not exit after SIGTERM" + self.daemon.tail())
        took = time.monotonic() - t0
        assert rc == 0, "exit status %d%s" % (rc, self.daemon.tail())
        log = self.daemon.log()
        assert "SIGTERM: stopping; cancelling 1 refresh(es) in flight" in log, self.daemon.tail()
        assert "refresh zhihu:%s cancelled by the stop: nothing of it was stored" % QSLOW in log
        assert not [r for r in self.daemon.refreshes(at) if r["q"] == QSLOW], self.daemon.tail()
        assert log.rstrip().endswith("info stopped"), self.daemon.tail()
        self.daemon.log_file.close()
        # The store: intact, only whole refreshes, nothing of the cancelled one.
        self.check_store()
        rows = sql(self.db, "SELECT f.outcome FROM fetches f "
                            "JOIN threads t ON t.id = f.thread_id WHERE t.source_id = ?",
                   (int(QSLOW),))
        assert rows == [], rows
        assert self.history(QSLOW) == []
        print("7. SIGTERM mid-refresh (%d pages of 1.5 s): STOPPING=1, the refresh cancelled, "
              "exit 0 after %.2f s, nothing of it stored, store intact" % (pages, took))

    def step8_restart_resumes(self):
        before = self.fetch_counts()
        now_us = int(time.time() * 1e6)
        due = dict(sql(self.db, "SELECT source_id, next_due_at FROM threads"))
        assert due.pop(int(QSLOW)) is None, due  # its refresh was cancelled: still due
        assert all(n is not None and n > now_us + 300 * 10**6 for n in due.values()), (due, now_us)
        assert self.archivist("add", QNEW) == "tracking zhihu:%s\n" % QNEW
        self.mock.set_faults("")
        self.mock.clear_requests()
        ready = self.start_daemon("run2")
        assert "STATUS=5 threads, 2 due, " in ready, ready
        for q in (QNEW, QSLOW):
            r = self.daemon.wait_refresh(lambda r: r["q"] == q, "the refresh of %s" % q)
            assert r["outcome"] == "complete", r
        self.notify.wait(lambda m: "STATUS=5 threads, 0 due, 0 failing, 0 in flight" in m,
                         "STATUS= with 0 due after the restart")
        targets = self.mock.requests()
        others = [t for t in targets if QNEW not in t and QSLOW not in t]
        assert targets and not others, "requests for threads not due: %r" % others
        after = self.fetch_counts()
        assert after[int(QNEW)] == 1 and after[int(QSLOW)] == 1, after
        assert {q: n for q, n in after.items() if q not in (int(QNEW), int(QSLOW))} == \
            {q: n for q, n in before.items() if q != int(QSLOW)}, (before, after)
        assert len(self.daemon.refreshes()) == 2, self.daemon.refreshes()
        self.daemon.signal(signal.SIGTERM)
        self.notify.wait(lambda m: "STOPPING=1" in m.split("\n"), "STOPPING=1 (second run)")
        assert self.daemon.proc.wait(timeout=60) == 0, self.daemon.tail()
        self.check_store()
        print("8. restart: READY with 2 due, only %s and %s fetched (%d requests), others not "
              "due; clean stop" % (QNEW, QSLOW, len(targets)))


def main():
    global ARGS
    ARGS, _ = parse_args("archivist", "mock", "data", keep=True)
    with scratch("archivist-daemon-e2e-", ARGS.keep) as tmp:
        s = Scenario(tmp)
        try:
            for step in (s.step1_start_and_first_refreshes, s.step2_scripted_edit,
                         s.step3_failed_fetch_deletes_nothing, s.step4_sighup_with_a_broken_config,
                         s.step5_sighup_with_a_good_config, s.step6_health_and_metrics,
                         s.step7_sigterm_during_a_slow_refresh, s.step8_restart_resumes):
                step()
            print("OK")
            return 0
        finally:
            s.close()


if __name__ == "__main__":
    sys.exit(main())
