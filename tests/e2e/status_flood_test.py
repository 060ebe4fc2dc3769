#!/usr/bin/env python3
"""The real `archivist daemon` with its status listener flooded: refreshes go on.

The daemon runs under RLIMIT_NOFILE 1024 (the soft limit a systemd service gets unless its
unit says otherwise), refreshing two threads of mock_zhihu every 1-2 s. Then this test opens
2,000 connections to the status port and leaves them idle, and for the next seconds keeps
re-opening those that the daemon closes (a sustained flood of idle connections). During it:

  - the daemon's CPU use stays low (a listener retrying a failed accept at once spins a core);
  - /healthz answers 200 on a fresh connection, promptly, every time it is asked;
  - refreshes keep completing, and none fails (no "Couldn't connect": the descriptors the
    refreshes need are not taken by the listener);
  - SIGHUP reloads the configuration (reading the file needs a descriptor too);
then the flood stops and SIGTERM ends the daemon with exit status 0.

usage: status_flood_test.py --archivist PATH --mock PATH --data tests/data [--keep]
"""
import os
import resource
import signal
import socket
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import (FixtureMock, archivist_daemon, http, parse_args, scratch,  # noqa: E402
                     wait_until, write_config)

QA, QB = "1982867494206211639", "1924958977629884887"
FLOOD = 2000
NOFILE = 1024


class Flood:
    """FLOOD idle connections to host:port, re-opened when closed, until stop()."""

    def __init__(self, host, port):
        self.addr = (host, port)
        self.socks = []
        self.opened = 0
        self.failed = 0
        self.running = True
        for _ in range(FLOOD):
            self._open()
        self.thread = threading.Thread(target=self._reopen, daemon=True)
        self.thread.start()

    def _open(self):
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        s.settimeout(2)
        try:
            s.connect(self.addr)
            s.setblocking(False)
            self.socks.append(s)
            self.opened += 1
        except OSError:
            self.failed += 1
            s.close()

    def _reopen(self):
        while self.running:
            alive = []
            closed = 0
            for s in self.socks:
                try:
                    if s.recv(1) == b"":
                        closed += 1
                        s.close()
                        continue
                except BlockingIOError:
                    pass
                except OSError:
                    closed += 1
                    s.close()
                    continue
                alive.append(s)
            self.socks = alive
            for _ in range(min(closed, 200)):  # at most ~200 new connections per round
                if self.running:
                    self._open()
            time.sleep(0.2)

    def stop(self):
        self.running = False
        self.thread.join()
        for s in self.socks:
            s.close()


def main():
    args, _ = parse_args("archivist", "mock", "data", keep=True)
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    want = min(hard, 3 * FLOOD)
    if soft < want:
        resource.setrlimit(resource.RLIMIT_NOFILE, (want, hard))
    assert want >= FLOOD + 100, "this test needs %d descriptors, the hard limit is %d" % (FLOOD + 100, hard)
    with scratch("archivist-flood-", args.keep) as tmp, \
            FixtureMock(args.mock, args.data, tmp, [QA, QB]) as mock:
        daemon = flood = None
        try:
            cfg = os.path.join(tmp, "archivist.toml")
            write_config(cfg, os.path.join(tmp, "archive.db"), mock.base, [QA, QB])
            daemon = archivist_daemon(args.archivist, tmp, cfg, nofile=NOFILE)
            for q in (QA, QB):
                daemon_refresh = wait_until(
                    lambda: [r for r in daemon.refreshes() if r["q"] == q and r["outcome"] == "complete"],
                    "a first refresh of %s" % q, on_fail=daemon.tail)
                assert daemon_refresh
            assert http("GET", daemon.status_url + "/healthz") == (200, "ok\n")
            host, port = daemon.status_url[len("http://"):].rsplit(":", 1)

            at = len(daemon.log())
            t0 = time.monotonic()
            flood = Flood(host, int(port))
            print("flood: %d connections opened in %.1f s (%d failed)"
                  % (flood.opened, time.monotonic() - t0, flood.failed))
            assert flood.opened >= FLOOD * 0.95, (flood.opened, flood.failed)
            time.sleep(1)  # the first burst is absorbed

            cpu0, w0 = daemon.cpu_seconds(), time.monotonic()
            time.sleep(2)
            cpu = (daemon.cpu_seconds() - cpu0) / (time.monotonic() - w0)
            health = []
            for _ in range(5):
                h0 = time.monotonic()
                try:
                    answer = http("GET", daemon.status_url + "/healthz", timeout=5)
                except OSError as e:
                    answer = ("no answer", str(e))
                health.append((time.monotonic() - h0, answer))
                time.sleep(0.3)
            print("during the flood: daemon CPU %.0f %%, /healthz in %s s (%d connections re-opened)"
                  % (100 * cpu, ", ".join("%.3f" % h for h, _ in health), flood.opened - FLOOD))
            assert cpu < 0.4, "the daemon used %.0f %% CPU during the flood" % (100 * cpu)
            for took, answer in health:
                assert answer == (200, "ok\n") and took < 2.0, health

            hup = len(daemon.log())
            daemon.proc.send_signal(signal.SIGHUP)
            daemon.wait_log("configuration reloaded", "the reload during the flood", after=hup)
            done = wait_until(
                lambda: (lambda rs: len(rs) >= 4 and rs)(
                    [r for r in daemon.refreshes(at) if r["outcome"] == "complete"]),
                "4 complete refreshes during the flood", timeout=30, on_fail=daemon.tail)
            failed = [r["line"] for r in daemon.refreshes(at) if r["outcome"] != "complete"]
            assert not failed, failed
            assert "Couldn't connect" not in daemon.log()[at:], daemon.tail()
            assert flood.running and len(flood.socks) > 0
            print("during the flood: %d refreshes completed, none failed; SIGHUP reloaded"
                  % len(done))
            flood.stop()
            flood = None
            daemon.proc.send_signal(signal.SIGTERM)
            assert daemon.proc.wait(timeout=30) == 0, daemon.tail()
            print("OK")
            return 0
        finally:
            if flood:
                flood.stop()
            if daemon:
                daemon.stop()


if __name__ == "__main__":
    sys.exit(main())
