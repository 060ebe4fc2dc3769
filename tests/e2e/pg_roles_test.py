#!/usr/bin/env python3
"""docs/postgresql.md "Create the database and its roles", run as written: its two SQL blocks
on a throwaway PostgreSQL server (harness.PgServer), then the real archivist as the daemon
role creates the archive and writes, and as the reader role reads and is refused a write.
Archive verbs that only read never migrate: a reader opening an empty database is refused
rather than creating tables it could not own.

The test server's superuser is already called "archivist", so the documented daemon role is
renamed archivist_daemon here (every other word of the SQL is the page's).

usage: pg_roles_test.py --archivist PATH [unittest args]
"""
import os
import re
import subprocess
import unittest

import harness

DOC = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "docs",
                   "postgresql.md")


def documented_sql():
    with open(DOC, encoding="utf-8") as f:
        blocks = re.findall(r"```sql\n(.*?)```", f.read(), re.S)
    renamed = [re.sub(r"\barchivist\b(?!_)", "archivist_daemon", b) for b in blocks]
    return renamed


class PgRolesTest(unittest.TestCase):
    def run_archivist(self, uri, *argv):
        return subprocess.run([ARGS.archivist, "--db", uri] + list(argv), capture_output=True,
                              text=True, timeout=60)

    def psql_as(self, pg, role, database, sql):
        return subprocess.run(
            [os.path.join(harness.PG_BIN, "psql"), "-h", pg.dir, "-U", role, "-d", database,
             "-At", "-v", "ON_ERROR_STOP=1", "-c", sql], capture_output=True, text=True)

    def test_the_documented_roles(self):
        superuser_sql, owner_sql = documented_sql()
        with harness.PgServer() as pg:
            pg.create_database("setup")
            for statement in filter(None, (s.strip() for s in superuser_sql.split(";"))):
                pg.psql("setup", statement)  # CREATE DATABASE cannot run in a transaction block
            daemon = "postgresql://archivist_daemon@/archive?host=" + pg.dir
            reader = "postgresql://archive_reader@/archive?host=" + pg.dir

            # Before any table exists, a reader cannot create them: refused, nothing made.
            empty = self.run_archivist(reader, "list")
            self.assertEqual(empty.returncode, 1, empty.stderr)
            self.assertEqual(pg.psql("archive", "SELECT count(*) FROM pg_tables WHERE "
                                                "schemaname = 'public'"), "0\n")

            granted = self.psql_as(pg, "archivist_daemon", "archive", owner_sql)
            self.assertEqual(granted.returncode, 0, granted.stderr)
            added = self.run_archivist(daemon, "add", "19550225")
            self.assertEqual(added.returncode, 0, added.stderr)
            self.assertEqual(pg.psql("archive", "SELECT tableowner FROM pg_tables WHERE "
                                                "tablename = 'threads'"), "archivist_daemon\n")

            listed = self.run_archivist(reader, "list", "--json")
            self.assertEqual(listed.returncode, 0, listed.stderr)
            self.assertIn('"question":"19550225"', listed.stdout)
            history = self.run_archivist(reader, "history", "19550225")
            self.assertEqual(history.returncode, 0, history.stderr)

            refused = self.run_archivist(reader, "add", "19550226")
            self.assertEqual(refused.returncode, 1)
            self.assertIn("permission denied for table", refused.stderr)
            self.assertEqual(pg.psql("archive", "SELECT count(*) FROM threads"), "1\n")


if __name__ == "__main__":
    harness.main(globals(), "archivist")
