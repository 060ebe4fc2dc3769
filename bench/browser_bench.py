#!/usr/bin/env python3
"""Benchmark of the browser backend beside the HTTP backend (numbers for docs/browser.md).

1. Throughput and peak memory, in one run, on the same fixture questions served by
   `mock_zhihu --web --no-signatures` (so that the HTTP backend can read them too): one
   `archivist refresh <questions…> --backend B --delay 0` per backend into a fresh archive.
   Threads per minute of wall time; peak memory of archivist plus every process below it (the
   whole browser tree), sampled every 100 ms: the sum of RSS (shared pages counted in every
   process) and the sum of PSS (shared pages divided among their users). The browser runs
   jitless (browser_jit = false, the default) and, for comparison, with its JIT ("+JIT").
2. A long-running daemon on the browser backend: a handful of threads refreshed over and over
   (intervals of 1 s) until SAMPLES refreshes are logged, the memory of archivist plus its
   browser tree sampled every EVERY refreshes; the mean of the first 100 refreshes' samples
   against the last 100's shows growth, if any. /metrics gives the browser's starts, crashes
   and page loads.

usage: bench/browser_bench.py --build build --data tests/data [--questions 60]
                              [--refreshes 500] [--every 10] [--concurrency 2] [--parts 1,2]
Not a test: prints numbers. Needs a quiet machine to mean much. As root the browser runs as
nobody, so the scratch folder is made enterable by it.
"""
import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import tempfile
import threading
import time
import urllib.request

PAGE = os.sysconf("SC_PAGE_SIZE")


def tree(root):
    """`root` and every live process below it."""
    children = {}
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            with open("/proc/%s/stat" % pid) as f:
                ppid = int(f.read().rsplit(")", 1)[1].split()[1])
            children.setdefault(ppid, []).append(int(pid))
        except (OSError, ValueError, IndexError):
            continue
    out, todo = [], [root]
    while todo:
        pid = todo.pop()
        out.append(pid)
        todo.extend(children.get(pid, []))
    return out


def memory(root):
    """(sum of RSS, sum of PSS, processes, renderers) of `root`'s tree, RSS and PSS in KiB."""
    rss = pss = n = renderers = 0
    for pid in tree(root):
        try:
            with open("/proc/%d/smaps_rollup" % pid) as f:
                text = f.read()
            rss += int(re.search(r"^Rss:\s+(\d+)", text, re.M).group(1))
            pss += int(re.search(r"^Pss:\s+(\d+)", text, re.M).group(1))
            n += 1
            with open("/proc/%d/cmdline" % pid, "rb") as f:
                renderers += b"--type=renderer" in f.read()
        except (OSError, AttributeError):
            continue
    return rss, pss, n, renderers


class Sampler:
    """Samples memory(pid) every `period` seconds in a thread; keeps the peaks."""

    def __init__(self, pid, period=0.1):
        self.pid, self.period = pid, period
        self.peak_rss = self.peak_pss = self.peak_procs = 0
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self.run, daemon=True)
        self.thread.start()

    def run(self):
        while not self.stop.is_set():
            rss, pss, n, _ = memory(self.pid)
            self.peak_rss = max(self.peak_rss, rss)
            self.peak_pss = max(self.peak_pss, pss)
            self.peak_procs = max(self.peak_procs, n)
            self.stop.wait(self.period)

    def finish(self):
        self.stop.set()
        self.thread.join()


def answers_of(data, q):
    with open(os.path.join(data, "zhihu", "questions", q, "answers.json")) as f:
        return len(json.load(f))


def pick(data, count):
    """`count` questions spread evenly over the fixtures ordered by size."""
    qs = sorted(os.listdir(os.path.join(data, "zhihu", "questions")), key=lambda q: (answers_of(data, q), q))
    if count >= len(qs):
        return qs
    step = len(qs) / count
    return [qs[int(i * step)] for i in range(count)]


def mib(kib):
    return "%.0f MiB" % (kib / 1024)


def throughput(a, tmp, mock_url, questions):
    print("1. %d fixture questions (%d answers), mock_zhihu --web --no-signatures, --delay 0"
          % (len(questions), sum(answers_of(a.data, q) for q in questions)))
    print("   %-8s %10s %12s %14s %14s %6s" % ("backend", "seconds", "threads/min", "peak RSS sum",
                                               "peak PSS sum", "procs"))
    for name, backend, jit in (("http", "http", False), ("browser", "browser", False),
                               ("+JIT", "browser", True)):
        work = os.path.join(tmp, name)
        os.makedirs(work)
        os.chmod(work, 0o711)
        config = os.path.join(work, "archivist.toml")
        with open(config, "w") as f:
            f.write('[store]\npath = "%s/archive.db"\n[fetch]\nbrowser_jit = %s\n[zhihu]\nbase_url = "%s"\n'
                    % (work, "true" if jit else "false", mock_url))
        start = time.monotonic()
        proc = subprocess.Popen([a.archivist, "--config", config, "refresh", *questions,
                                 "--backend", backend, "--delay", "0"],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        sampler = Sampler(proc.pid)
        out, err = proc.communicate()
        seconds = time.monotonic() - start
        sampler.finish()
        complete = sum(1 for line in out.splitlines() if line.endswith(" complete"))
        if complete != len(questions):
            print("   %s: only %d of %d complete\n%s" % (name, complete, len(questions), err[-2000:]))
        print("   %-8s %10.1f %12.1f %14s %14s %6d" % (name, seconds, 60 * len(questions) / seconds,
                                                     mib(sampler.peak_rss), mib(sampler.peak_pss),
                                                     sampler.peak_procs))


def daemon(a, tmp, mock_url, threads):
    work = os.path.join(tmp, "daemon")
    os.makedirs(work)
    os.chmod(work, 0o711)
    config = os.path.join(work, "archivist.toml")
    with open(config, "w") as f:
        f.write('[store]\npath = "%s/archive.db"\n[fetch]\nbackend = "browser"\nconcurrency = %d\n'
                'per_host_concurrency = %d\nper_host_delay = "0s"\n[zhihu]\nbase_url = "%s"\n'
                '[schedule]\nmin_interval = "1s"\ninitial_interval = "1s"\nmax_interval = "1s"\n'
                '[daemon]\nstatus_listen = "127.0.0.1:0"\n' % (work, a.concurrency, a.concurrency, mock_url))
        for q in threads:
            f.write('[[thread]]\nurl = "%s"\n' % q)
    log_path = os.path.join(work, "daemon.log")
    with open(log_path, "w") as log:
        proc = subprocess.Popen([a.archivist, "--config", config, "daemon"], stdout=log, stderr=log)
    samples = []  # (refreshes so far, rss, pss, processes, renderers)
    next_sample = 1
    start = time.monotonic()
    try:
        while True:
            with open(log_path) as f:
                text = f.read()
            done = len(re.findall(r"^.*refresh zhihu:\d+ ", text, re.M))
            if proc.poll() is not None:
                raise SystemExit("the daemon exited:\n" + text[-3000:])
            if done >= next_sample:
                samples.append((done, *memory(proc.pid)))
                next_sample = (done // a.every + 1) * a.every
            if done >= a.refreshes:
                break
            time.sleep(0.05)
        seconds = time.monotonic() - start
        port = re.search(r"status 127\.0\.0\.1:(\d+)", text).group(1)
        with urllib.request.urlopen("http://127.0.0.1:%s/metrics" % port, timeout=10) as r:
            metrics = {n: float(v) for n, v in (l.rsplit(" ", 1) for l in r.read().decode().splitlines()
                                                if l and not l.startswith("#"))}
    finally:
        proc.terminate()
        proc.wait(timeout=60)
    outcomes = {}
    for o in re.findall(r"refresh zhihu:\d+ (\w+)", text):
        outcomes[o] = outcomes.get(o, 0) + 1
    print("2. daemon, browser backend, %d threads (%s), intervals 1 s, concurrency %d: %d refreshes "
          "in %.0f s %s" % (len(threads), " ".join(threads), a.concurrency, done, seconds, outcomes))
    for line in [l for l in text.splitlines() if re.search(r"refresh zhihu:\d+ (?!complete)", l)][:5]:
        print("   not complete: " + line[line.index("refresh zhihu:"):][:300])
    print("   refreshes   RSS sum   PSS sum  processes  renderers")
    for n, rss, pss, procs, renderers in samples:
        print("   %9d %9s %9s %10d %10d" % (n, mib(rss), mib(pss), procs, renderers))
    first = [s for s in samples if s[0] <= 100]
    last = [s for s in samples if s[0] > done - 100]
    for name, i in (("RSS", 1), ("PSS", 2)):
        f, l = statistics.mean(s[i] for s in first), statistics.mean(s[i] for s in last)
        print("   %s sum: first 100 refreshes %s, last 100 %s (%+.1f%%)" % (name, mib(f), mib(l), 100 * (l - f) / f))
    print("   browser: %d starts, %d crashes, %d page loads" % (
        metrics["archivist_browser_starts_total"], metrics["archivist_browser_crashes_total"],
        metrics["archivist_browser_page_loads_total"]))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", default="build")
    ap.add_argument("--data", default="tests/data")
    ap.add_argument("--questions", type=int, default=60)
    ap.add_argument("--refreshes", type=int, default=500)
    ap.add_argument("--every", type=int, default=10)
    ap.add_argument("--concurrency", type=int, default=2, help="the daemon's refreshes (tabs) at once")
    ap.add_argument("--parts", default="1,2", help="1: throughput and peak memory; 2: the daemon")
    ap.add_argument("--daemon-threads", default="355903822,553528155,603611267,403386078,619125262")
    a = ap.parse_args()
    a.archivist = os.path.abspath(os.path.join(a.build, "cli/archivist"))
    mock_bin = os.path.join(a.build, "tests/mock_zhihu/mock_zhihu")
    tmp = tempfile.mkdtemp(prefix="browser_bench.")
    os.chmod(tmp, 0o711)
    mock = subprocess.Popen([mock_bin, "--root", os.path.join(a.data, "zhihu", "questions"), "--port", "0",
                             "--web", "--no-signatures", "--no-log"],
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        mock_url = "http://127.0.0.1:%d" % int(mock.stdout.readline())
        if "1" in a.parts:
            throughput(a, tmp, mock_url, pick(a.data, a.questions))
        if "2" in a.parts:
            daemon(a, tmp, mock_url, a.daemon_threads.split(","))
    finally:
        mock.kill()
        mock.wait()
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
