"""What the end-to-end tests share: the real mock_zhihu process, the real daemon, scratch
folders, waits, and SQL on an archive.

MockServer is the one way the tests start mock_zhihu: on 127.0.0.1 with an ephemeral port
(the number it prints first), serving the given dump folders, which it re-reads on every
request. Faults are set through its control endpoint (PUT /_mock/faults, docs/fetch.md lists
them); its request log through /_mock/requests. FixtureMock serves copies of fixture
questions that a test may edit.

Daemon is the one way the tests run `archivist daemon`: stdout and stderr to a log file, its
one-line refresh log parsed. Waits (wait_until) are hang guards, not timing assertions.

PgServer is the one way the tests start a PostgreSQL server: Debian's postgresql 15 in a fresh
folder, on a Unix socket there only (tests/support/pg_server.h is its C++ twin).

sql() runs one statement on an archive file over a connection of its own, committed and
closed at once, so that no lock or open WAL is left behind for the archivist under test;
check_whole() asserts that an archive holds only whole refreshes.
"""
import argparse
import contextlib
import json
import fcntl
import os
import pty
import re
import resource
import shutil
import sqlite3
import struct
import subprocess
import sys
import tempfile
import termios
import time
import unittest
import urllib.error
import urllib.request

GUARD = 30  # seconds: the longest a single wait may take before the test gives up
REFRESH_RE = re.compile(r"refresh zhihu:(\d+) (\w+) http=(\d+) pages=(\d+) answers=(\d+) "
                        r"events=(\d+) \((.*?)\) fetch=(\d+)ms next_in=(-?\d+)s")


def parse_args(*names, keep=False, **defaults):
    """(options, rest): the test's required --NAME PATH options, --NAME options with the given
    defaults (underscores as dashes), --keep (keep the scratch folder) if `keep`, and what is
    left for unittest (test names, -k, …)."""
    parser = argparse.ArgumentParser()
    for name in names:
        parser.add_argument("--" + name, required=True)
    for name, default in defaults.items():
        parser.add_argument("--" + name.replace("_", "-"), default=default)
    if keep:
        parser.add_argument("--keep", action="store_true",
                            help="keep the scratch folder (logs, archive)")
    return parser.parse_known_args()


@contextlib.contextmanager
def scratch(prefix, keep=False, mode=None):
    """A fresh folder under $TMPDIR, removed on exit unless `keep` (then its path is printed);
    `mode` (e.g. 0o711 for the browser user) is set on it."""
    tmp = tempfile.mkdtemp(prefix=prefix)
    if mode is not None:
        os.chmod(tmp, mode)
    try:
        yield tmp
    finally:
        if keep:
            print("kept " + tmp)
        else:
            shutil.rmtree(tmp, ignore_errors=True)


def wait_until(pred, what, timeout=GUARD, on_fail=None, interval=0.05):
    """pred()'s first true value, polled every `interval` s; AssertionError naming `what` (and
    on_fail()'s text) after `timeout` s."""
    deadline = time.monotonic() + timeout
    while True:
        value = pred()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError("gave up waiting for %s%s" % (what, on_fail() if on_fail else ""))
        time.sleep(interval)


def run_unittest(rest):
    """Runs the unittest cases of the calling script, with `rest` as their arguments."""
    unittest.main(module="__main__", argv=[sys.argv[0]] + rest, verbosity=2)


def main(scope, *names, private_cache=False, **kw):
    """A unittest script's main: parse_args(*names, **kw) into scope["ARGS"] (pass the
    script's globals()), then its test cases; with `private_cache` the keyword tagger's cache
    ($XDG_CACHE_HOME) is a scratch folder, not the user's."""
    scope["ARGS"], rest = parse_args(*names, **kw)
    if not private_cache:
        run_unittest(rest)
        return
    with scratch("archivist_cache.") as cache:
        os.environ["XDG_CACHE_HOME"] = cache
        run_unittest(rest)


def read(path, mode="r"):
    """The whole file."""
    with open(path, mode) as f:
        return f.read()


def file_tree(root):
    """{relative path: bytes} of every file under root."""
    out = {}
    for d, _, files in os.walk(root):
        for f in files:
            path = os.path.join(d, f)
            out[os.path.relpath(path, root)] = read(path, "rb")
    return out


def write_question(root, qid, answers, title=None):
    """Replaces the dump of question `qid` under `root` at once (the mock re-reads it on every
    request): its answers, and its title when given. Returns the title served now."""
    qpath = os.path.join(root, qid, "question.json")
    q = json.loads(read(qpath))
    if title is not None:
        q["title"] = title
    for path, obj in ((qpath, q), (os.path.join(root, qid, "answers.json"), answers)):
        with open(path + ".new", "w") as f:
            json.dump(obj, f, ensure_ascii=False)
        os.replace(path + ".new", path)
    return q["title"]


def sql(db, query, args=()):
    """The rows of one statement on `db` (committed; the connection is closed after). `db` is
    an SQLite file or a PostgreSQL URI of a PgServer's (pg_sql; no `args` there)."""
    if db.startswith("postgresql://"):
        assert not args, "pg_sql takes no parameters"
        return pg_sql(db, query)
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
            return r.status, r.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode("utf-8", "replace")


def metrics(status_url):
    """The samples of the daemon's /metrics: {name with labels: value}."""
    code, body = http("GET", status_url + "/metrics")
    assert code == 200, (code, body)
    return {n: float(v) for n, v in (line.rsplit(" ", 1) for line in body.splitlines()
                                     if line and not line.startswith("#"))}


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


class FixtureMock(MockServer):
    """mock_zhihu (quiet) over copies, in tmp/root, of the named fixture questions of `data`,
    so that a test may edit them; the other arguments are MockServer's."""

    def __init__(self, mock, data, tmp, questions, **kw):
        self.root = os.path.join(tmp, "root")
        os.makedirs(self.root, exist_ok=True)
        for q in questions:
            shutil.copytree(os.path.join(data, "zhihu", "questions", q),
                            os.path.join(self.root, q), ignore=shutil.ignore_patterns("expected"))
        kw.setdefault("quiet", True)
        super().__init__(mock, [self.root], **kw)

    def dump(self, q, name="answers.json"):
        with open(os.path.join(self.root, q, name), encoding="utf-8") as f:
            return json.load(f)

    def write_dump(self, q, value, name="answers.json"):
        """Replaces the file at once (the mock re-reads it on every request)."""
        path = os.path.join(self.root, q, name)
        with open(path + ".new", "w", encoding="utf-8") as f:
            json.dump(value, f, ensure_ascii=False)
        os.replace(path + ".new", path)


def write_config(path, db, base_url, threads, min_i="1s", init_i="1s", max_i="2s",
                 listen="127.0.0.1:0", workers=2, page_size=3, extra=""):
    """A daemon's configuration at `path` (replaced at once): `db`, the mock at `base_url`, no
    per-host delay, the given schedule and threads (question ids)."""
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


def daemon_env(home, **extra):
    """The environment of a daemon run outside a service manager, with HOME `home` and its
    default archive under home/data; `extra` is added."""
    env = {k: v for k, v in os.environ.items()
           if k not in ("XDG_CONFIG_HOME", "JOURNAL_STREAM", "NOTIFY_SOCKET", "WATCHDOG_USEC",
                        "WATCHDOG_PID", "LISTEN_FDS", "STATE_DIRECTORY")}
    env.update({"HOME": home, "XDG_DATA_HOME": os.path.join(home, "data")}, **extra)
    return env


class Daemon:
    """One run of `argv` (an `archivist … daemon` command line), stdout and stderr to
    `log_path`, in `env`, optionally under a lowered RLIMIT_NOFILE. ready() waits for the
    ready line and reads the status address from it."""

    def __init__(self, argv, log_path, env, nofile=None, tail_lines=30):
        self.log_path = log_path
        self.tail_lines = tail_lines
        self.status_url = None

        def limits():
            if nofile:
                hard = resource.getrlimit(resource.RLIMIT_NOFILE)[1]
                resource.setrlimit(resource.RLIMIT_NOFILE, (nofile, hard))

        self.log_file = open(self.log_path, "w")
        self.proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=self.log_file,
                                     stderr=self.log_file, env=env, preexec_fn=limits)

    def ready(self, timeout=GUARD):
        at = self.wait_log("archivist daemon ready", "the daemon's ready line", timeout=timeout)
        m = re.search(r"status (\S+):(\d+)", self.log()[at:].splitlines()[0])
        self.status_url = "http://%s:%s" % (m.group(1), m.group(2)) if m else None
        return self

    def log(self):
        with open(self.log_path, encoding="utf-8", errors="replace") as f:
            return f.read()

    def raw_log(self):
        with open(self.log_path, "rb") as f:
            return f.read()

    def tail(self):
        return ("\n--- daemon log (tail) ---\n"
                + "\n".join(self.log().splitlines()[-self.tail_lines:]))

    def wait_log(self, needle, what, after=0, timeout=GUARD):
        """Waits for `needle` in the log after offset `after`; returns the offset of its start."""
        def found():
            if self.proc.poll() is not None and needle not in self.log()[after:]:
                raise AssertionError("the daemon exited (%s) before %s%s"
                                     % (self.proc.returncode, what, self.tail()))
            i = self.log().find(needle, after)
            return i + 1 if i >= 0 else None
        return wait_until(found, what, timeout=timeout, on_fail=self.tail) - 1

    def refreshes(self, after=0):
        """The refresh lines after offset `after`: {q, outcome, http, pages, answers, events,
        kinds, fetch_ms, next_in, at, line}."""
        return [dict(zip(("q", "outcome", "http", "pages", "answers", "events", "kinds",
                          "fetch_ms", "next_in"), m.groups()), at=m.start(), line=m.group(0))
                for m in REFRESH_RE.finditer(self.log(), after)]

    def wait_refresh(self, pred, what, after=0, timeout=GUARD):
        """The first refresh line after `after` for which pred(line) holds."""
        return wait_until(lambda: next((r for r in self.refreshes(after) if pred(r)), None),
                          what, timeout=timeout, on_fail=self.tail)

    def metrics(self):
        return metrics(self.status_url)

    def cpu_seconds(self):
        with open("/proc/%d/stat" % self.proc.pid) as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def signal(self, sig):
        self.proc.send_signal(sig)

    def end(self, sig, rc=0, timeout=GUARD):
        """Sends `sig`, waits for the exit and asserts its status is `rc`."""
        self.proc.send_signal(sig)
        self.proc.wait(timeout=timeout)
        self.log_file.close()
        assert self.proc.returncode == rc, (self.proc.returncode, self.tail())

    def stop(self):
        """Kills the daemon if it still runs."""
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        self.log_file.close()


def archivist_daemon(archivist, tmp, config, name="daemon", nofile=None, **env):
    """`archivist --config CONFIG daemon` with HOME `tmp` (daemon_env, plus `env`), its log in
    tmp/<name>.log; waits for its ready line."""
    return Daemon([archivist, "--config", config, "daemon"], os.path.join(tmp, name + ".log"),
                  daemon_env(tmp, **env), nofile=nofile).ready()


PG_BIN = os.environ.get("ARCHIVIST_PG_BIN") or "/usr/lib/postgresql/15/bin"


class PgServer:
    """A throwaway PostgreSQL server (Debian's postgresql 15) in a fresh folder, listening on a
    Unix socket in that folder only (listen_addresses is empty: no TCP). Run as root, the folder
    is given to `nobody` and the server programs run as that user (PostgreSQL refuses root).
    Use as a context manager: the server is stopped and the folder removed on exit.
    The C++ tests' twin is tests/support/pg_server.h."""

    def __init__(self, keep=False):
        self.keep = keep
        self.dir = None
        self.running = False

    def _run(self, *argv):
        if os.geteuid() == 0:
            argv = ("/usr/sbin/runuser", "-u", "nobody", "--") + argv
        proc = subprocess.run(argv, cwd=self.dir, stdin=subprocess.DEVNULL,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        if proc.returncode != 0:
            raise AssertionError("%s failed (%d): %s" % (argv, proc.returncode, proc.stdout[-2000:]))
        return proc.stdout

    def __enter__(self):
        if not os.access(os.path.join(PG_BIN, "initdb"), os.X_OK):
            raise unittest.SkipTest("no PostgreSQL server programs in " + PG_BIN)
        self.dir = tempfile.mkdtemp(prefix="archivist_pg")
        try:
            if os.geteuid() == 0:
                import pwd
                nobody = pwd.getpwnam("nobody")
                os.chown(self.dir, nobody.pw_uid, nobody.pw_gid)
            data = os.path.join(self.dir, "data")
            self._run(os.path.join(PG_BIN, "initdb"), "-D", data, "-U", "archivist", "-A",
                      "trust", "-E", "UTF8", "--locale=C", "--no-sync")
            self.start()
        except BaseException:
            self.__exit__(None, None, None)
            raise
        return self

    def start(self):
        """Starts the server (again, after stop())."""
        options = ("-c listen_addresses='' -c unix_socket_directories='%s' -c fsync=off "
                   "-c synchronous_commit=off -c full_page_writes=off" % self.dir)
        self._run(os.path.join(PG_BIN, "pg_ctl"), "-D", os.path.join(self.dir, "data"), "-l",
                  os.path.join(self.dir, "server.log"), "-w", "-t", "60", "-o", options, "start")
        self.running = True

    def stop(self, mode="immediate"):
        """Stops the server (`mode`: pg_ctl's -m; immediate is a crash as far as clients see)."""
        if self.running:
            self._run(os.path.join(PG_BIN, "pg_ctl"), "-D", os.path.join(self.dir, "data"),
                      "-m", mode, "-w", "stop")
            self.running = False

    def __exit__(self, *exc):
        self.stop()
        if self.keep:
            print("kept " + self.dir)
        else:
            shutil.rmtree(self.dir, ignore_errors=True)
        return False

    def create_database(self, name):
        self._run(os.path.join(PG_BIN, "createdb"), "-h", self.dir, "-U", "archivist", name)

    def uri(self, database):
        return "postgresql://archivist@/%s?host=%s" % (database, self.dir)

    def psql(self, database, sql):
        """Rows of `sql` as 'col|col' lines (psql -At), run as the test's own connection."""
        return self._run(os.path.join(PG_BIN, "psql"), "-h", self.dir, "-U", "archivist",
                         "-d", database, "-At", "-v", "ON_ERROR_STOP=1", "-c", sql)


def pg_sql(uri, query):
    """The rows of one SELECT on the PostgreSQL archive `uri` (postgresql://user@/db?host=DIR, as
    PgServer.uri gives) as tuples of Python values: each row goes through row_to_json, so
    integers stay integers and text stays text."""
    m = re.match(r"postgresql://([^@/:]+)@/([^?]+)\?host=(.+)$", uri)
    assert m, "not a PgServer URI: " + uri
    user, database, host = m.groups()
    p = subprocess.run([os.path.join(PG_BIN, "psql"), "-h", host, "-U", user, "-d", database,
                        "-At", "-v", "ON_ERROR_STOP=1", "-c",
                        "SELECT row_to_json(q) FROM (%s) q" % query],
                       capture_output=True, text=True)
    assert p.returncode == 0, "psql: %s: %s" % (query, p.stderr)
    return [tuple(json.loads(line).values()) for line in p.stdout.splitlines()]


@contextlib.contextmanager
def archive_location(backend, tmp, name="archive"):
    """Where a test's archive lives on `backend`: "sqlite" (a file NAME.db in `tmp`) or
    "postgres" (a fresh database NAME on a PgServer of its own, stopped on exit). Yields the
    location to pass to --db; harness.sql works on either."""
    if backend == "sqlite":
        yield os.path.join(tmp, name + ".db")
        return
    assert backend == "postgres", "unknown backend " + backend
    with PgServer() as pg:
        pg.create_database(name)
        yield pg.uri(name)


def on_a_terminal(argv, env, rows=0, cols=80, stderr_too=False):
    """Runs argv with stdout (and, with stderr_too, stderr) on a pseudo-terminal of `rows` x
    `cols` (rows 0: the size left unset). Returns (exit status, what the terminal received
    with CRLF as LF, stderr when not on the terminal)."""
    master, slave = pty.openpty()
    if rows:
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
    p = subprocess.Popen(argv, stdout=slave, stderr=slave if stderr_too else subprocess.PIPE,
                         stdin=subprocess.DEVNULL, env=env)
    os.close(slave)
    chunks = []
    while True:
        try:
            data = os.read(master, 65536)
        except OSError:
            break
        if not data:
            break
        chunks.append(data)
    os.close(master)
    err = "" if stderr_too else p.stderr.read().decode("utf-8", "replace")
    if not stderr_too:
        p.stderr.close()
    return p.wait(), b"".join(chunks).decode("utf-8", "replace").replace("\r\n", "\n"), err
