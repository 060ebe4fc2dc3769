"""What the tests of several daemons on one PostgreSQL archive share (pg_daemons_test.py,
pg_daemons_crash_test.py): a mock root of many small generated questions, the daemons'
configuration, and the archive's checks in PostgreSQL's SQL (the twins of harness.check_whole).
"""
import copy
import hashlib
import json
import os
import subprocess

from harness import Daemon, daemon_env

TEMPLATE = "664360260"  # a fixture question whose first answers are copied into every thread
FIRST_QID = 700000000


def make_questions(data, root, count, answers=3):
    """`count` questions under `root` (ids FIRST_QID…), each with `answers` answers copied from
    the template with ids and texts of their own; returns the question ids."""
    src = os.path.join(data, "zhihu", "questions", TEMPLATE)
    with open(os.path.join(src, "question.json"), encoding="utf-8") as f:
        question = json.load(f)
    with open(os.path.join(src, "answers.json"), encoding="utf-8") as f:
        template = json.load(f)[:answers]
    qids = []
    for n in range(count):
        qid = str(FIRST_QID + n)
        os.makedirs(os.path.join(root, qid))
        q = dict(question, id=qid, title="question %d" % n, answer_count=len(template))
        listing = []
        for k, a in enumerate(template):
            a = copy.deepcopy(a)
            a["id"] = str(int(qid) * 10 + k)
            a["url"] = "https://www.zhihu.com/api/v4/answers/" + a["id"]
            a["question"] = dict(a["question"], id=qid)
            a["content"] = "<p>answer %s of question %s</p>" % (a["id"], qid)
            listing.append(a)
        for name, value in (("question.json", q), ("answers.json", listing)):
            with open(os.path.join(root, qid, name), "w", encoding="utf-8") as f:
                json.dump(value, f, ensure_ascii=False)
        qids.append(qid)
    return qids


def write_config(path, uri, base_url, lease="5s", workers=3, min_i="2s", max_i="4s",
                 discovery=False):
    text = ('[store]\npath = "%s"\nlease = "%s"\n'
            '[fetch]\nper_host_delay = "0s"\nconcurrency = %d\nper_host_concurrency = %d\n'
            'retries = 0\n'
            '[zhihu]\nbase_url = "%s"\npage_size = 5\n'
            '[schedule]\nmin_interval = "%s"\ninitial_interval = "%s"\nmax_interval = "%s"\n'
            '[daemon]\nstatus_listen = "127.0.0.1:0"\n'
            % (uri, lease, workers, workers, base_url, min_i, min_i, max_i))
    if discovery:  # the hot list every hour: one poll in a test, by one daemon of them all
        text += '[discovery]\nzhihu_hot = true\ninterval = "1h"\ntrack_for = "2d"\n'
    with open(path + ".new", "w") as f:
        f.write(text)
    os.replace(path + ".new", path)


def start_daemon(archivist, tmp, config, name):
    """`archivist --config CONFIG daemon` (not waited for), its log in tmp/<name>.log."""
    return Daemon([archivist, "--config", config, "daemon"], os.path.join(tmp, name + ".log"),
                  daemon_env(tmp))


def rows(pg, db, query):
    out = pg.psql(db, query).strip()
    return [line.split("|") for line in out.splitlines()] if out else []


def check_whole(pg, db):
    """Only whole refreshes (as harness.check_whole; PostgreSQL enforces the foreign keys and
    CHECKs itself), and no duplicated or lost event: every revision has exactly one
    added/edited event, of its own refresh; consecutive revisions differ; one answer_added
    per answer."""
    checks = {
        "events without their revision": """
            SELECT e.id FROM events e LEFT JOIN revisions r ON r.id = e.revision_id
            WHERE e.kind IN ('answer_added','answer_edited','answer_restored')
              AND (r.id IS NULL OR r.answer_id <> e.answer_id)""",
        "revisions without the event of their refresh": """
            SELECT r.id FROM revisions r WHERE NOT EXISTS (
              SELECT 1 FROM events e WHERE e.revision_id = r.id AND e.fetch_id = r.fetch_id
                AND e.kind IN ('answer_added','answer_edited','answer_restored'))""",
        "refreshes with events but no recorded order": """
            SELECT DISTINCT e.fetch_id FROM events e WHERE e.kind <> 'thread_gone'
            AND NOT EXISTS (SELECT 1 FROM orders o WHERE o.thread_id = e.thread_id
                            AND o.at = e.at)""",
        "revision numbers with gaps": """
            SELECT answer_id FROM revisions GROUP BY answer_id
            HAVING min(number) <> 1 OR max(number) <> count(*)""",
        "answers without a revision": """
            SELECT a.id FROM answers a WHERE NOT EXISTS
            (SELECT 1 FROM revisions r WHERE r.answer_id = a.id)""",
        "events not matching their fetch": """
            SELECT e.id FROM events e JOIN fetches f ON f.id = e.fetch_id
            WHERE e.at < f.started_at OR e.thread_id <> f.thread_id""",
        "revisions recorded by two events (a duplicated refresh)": """
            SELECT revision_id FROM events WHERE kind IN ('answer_added','answer_edited')
            GROUP BY revision_id HAVING count(*) > 1""",
        "consecutive revisions with the same content (a duplicated edit)": """
            SELECT a.answer_id, a.number FROM revisions a JOIN revisions b
              ON b.answer_id = a.answer_id AND b.number = a.number + 1
            WHERE a.content_hash = b.content_hash""",
        "answers added twice or never": """
            SELECT a.id FROM answers a WHERE (SELECT count(*) FROM events e
              WHERE e.answer_id = a.id AND e.kind = 'answer_added') <> 1""",
        "edits without their revision number": """
            SELECT e.id FROM events e JOIN revisions r ON r.id = e.revision_id
            WHERE (e.kind = 'answer_added') <> (r.number = 1) AND e.kind <> 'answer_restored'""",
    }
    for what, query in checks.items():
        bad = rows(pg, db, query)
        assert bad == [], "%s: %r" % (what, bad[:10])


def overlapping_fetches(pg, db):
    """Pairs of fetch records of one thread whose times overlap: (thread, start, end, start)."""
    return rows(pg, db, """
        SELECT a.thread_id, a.started_at, a.started_at + a.duration_ms * 1000, b.started_at
        FROM fetches a JOIN fetches b ON b.thread_id = a.thread_id AND b.id <> a.id
        WHERE b.started_at >= a.started_at AND b.started_at < a.started_at + a.duration_ms * 1000
          AND NOT (b.started_at = a.started_at AND b.id < a.id)""")


def content_hash(html):
    return hashlib.sha256(html.encode()).hexdigest()


def refresh_all(archivist, uri, base, qids):
    """One uninterrupted one-shot refresh of every question (named: no claims needed)."""
    return subprocess.run([archivist, "--db", uri, "--zhihu-base-url", base, "refresh", *qids,
                           "--delay", "0", "--retries", "0", "--page-size", "5", "--quiet"],
                          capture_output=True, text=True)
