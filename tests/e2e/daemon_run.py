"""Helpers for end-to-end tests that run the real `archivist daemon` against mock_zhihu.

A Mock serves copies of fixture questions on 127.0.0.1 (faults over PUT /_mock/faults); a
Daemon runs `archivist --config CFG daemon` with stderr in a log file, optionally under a
lowered RLIMIT_NOFILE, and parses its one-line refresh log. Waits are hang guards, not
timing assertions.
"""
import json
import os
import re
import resource
import shutil
import subprocess
import time
import urllib.error
import urllib.request

REFRESH_RE = re.compile(r"refresh zhihu:(\d+) (\w+) http=(\d+) pages=(\d+) answers=(\d+) "
                        r"events=(\d+) \((.*?)\) fetch=(\d+)ms next_in=(-?\d+)s")


def wait_until(pred, what, timeout=30, on_fail=None):
    deadline = time.monotonic() + timeout
    while True:
        value = pred()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError("gave up waiting for %s%s" % (what, on_fail() if on_fail else ""))
        time.sleep(0.05)


def http(method, url, body=None, timeout=10):
    req = urllib.request.Request(url, data=body, method=method)
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
            return r.status, r.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode("utf-8", "replace")


class Mock:
    """mock_zhihu over copies of the named fixture questions, in tmp/root."""

    def __init__(self, mock, data, tmp, questions):
        self.root = os.path.join(tmp, "root")
        os.makedirs(self.root, exist_ok=True)
        for q in questions:
            shutil.copytree(os.path.join(data, "zhihu", "questions", q),
                            os.path.join(self.root, q), ignore=shutil.ignore_patterns("expected"))
        self.proc = subprocess.Popen([mock, "--root", self.root, "--port", "0"],
                                     stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        self.url = "http://127.0.0.1:%d" % int(self.proc.stdout.readline())

    def set_faults(self, text):
        code, body = http("PUT", self.url + "/_mock/faults", text.encode())
        assert code == 200, body

    def requests(self):
        code, body = http("GET", self.url + "/_mock/requests")
        assert code == 200, body
        return [r["target"] for r in json.loads(body)]

    def dump(self, q, name="answers.json"):
        with open(os.path.join(self.root, q, name), encoding="utf-8") as f:
            return json.load(f)

    def write_dump(self, q, value, name="answers.json"):
        path = os.path.join(self.root, q, name)
        with open(path + ".new", "w", encoding="utf-8") as f:
            json.dump(value, f, ensure_ascii=False)
        os.replace(path + ".new", path)

    def close(self):
        self.proc.kill()
        self.proc.wait()


def write_config(path, db, base_url, threads, min_i="1s", init_i="1s", max_i="2s",
                 listen="127.0.0.1:0", workers=2, page_size=3, extra=""):
    text = ('[store]\npath = "%s"\n[fetch]\nper_host_delay = "0s"\nconcurrency = %d\n'
            '[zhihu]\nbase_url = "%s"\npage_size = %d\n'
            '[schedule]\nmin_interval = "%s"\ninitial_interval = "%s"\nmax_interval = "%s"\n'
            '[daemon]\nstatus_listen = "%s"\n%s'
            % (db, workers, base_url, page_size, min_i, init_i, max_i, listen, extra))
    for q in threads:
        text += '[[thread]]\nurl = "https://www.zhihu.com/question/%s"\n' % q
    with open(path + ".new", "w") as f:
        f.write(text)
    os.replace(path + ".new", path)


class Daemon:
    """One run of `archivist --config CFG daemon`, stderr and stdout to tmp/<name>.log."""

    def __init__(self, archivist, tmp, config, name="daemon", nofile=None):
        self.log_path = os.path.join(tmp, name + ".log")
        env = {k: v for k, v in os.environ.items()
               if k not in ("XDG_CONFIG_HOME", "JOURNAL_STREAM", "NOTIFY_SOCKET", "WATCHDOG_USEC",
                            "WATCHDOG_PID", "LISTEN_FDS", "STATE_DIRECTORY")}
        env.update({"HOME": tmp, "XDG_DATA_HOME": os.path.join(tmp, "data")})

        def limits():
            if nofile:
                hard = resource.getrlimit(resource.RLIMIT_NOFILE)[1]
                resource.setrlimit(resource.RLIMIT_NOFILE, (nofile, hard))

        self.log_file = open(self.log_path, "w")
        self.proc = subprocess.Popen([archivist, "--config", config, "daemon"],
                                     stdin=subprocess.DEVNULL, stdout=self.log_file,
                                     stderr=self.log_file, env=env, preexec_fn=limits)
        at = self.wait_log("archivist daemon ready", "the daemon's ready line")
        m = re.search(r"status (\S+):(\d+)", self.log()[at:].splitlines()[0])
        self.status_url = "http://%s:%s" % (m.group(1), m.group(2)) if m else None

    def log(self):
        with open(self.log_path, encoding="utf-8", errors="replace") as f:
            return f.read()

    def raw_log(self):
        with open(self.log_path, "rb") as f:
            return f.read()

    def tail(self):
        return "\n--- daemon log (tail) ---\n" + "\n".join(self.log().splitlines()[-30:])

    def wait_log(self, needle, what, after=0, timeout=30):
        """Waits for `needle` in the log after offset `after`; returns the offset of its start."""
        def found():
            if self.proc.poll() is not None and needle not in self.log()[after:]:
                raise AssertionError("the daemon exited (%s) before %s%s"
                                     % (self.proc.returncode, what, self.tail()))
            i = self.log().find(needle, after)
            return i + 1 if i >= 0 else None
        return wait_until(found, what, timeout=timeout, on_fail=self.tail) - 1

    def refreshes(self, after=0):
        return [dict(zip(("q", "outcome", "http", "pages", "answers", "events", "kinds",
                          "fetch_ms", "next_in"), m.groups()), at=m.start(), line=m.group(0))
                for m in REFRESH_RE.finditer(self.log(), after)]

    def cpu_seconds(self):
        with open("/proc/%d/stat" % self.proc.pid) as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def stop(self):
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        self.log_file.close()
