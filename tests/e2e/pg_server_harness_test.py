#!/usr/bin/env python3
"""harness.PgServer, the throwaway PostgreSQL server of the end-to-end tests: it answers on a
Unix socket in its own folder and on no TCP port, runs as nobody under root, takes new
databases, and is gone afterwards.

usage: pg_server_harness_test.py
"""
import os
import socket
import stat
import unittest

import harness


class PgServerHarnessTest(unittest.TestCase):
    def test_socket_only_new_databases_and_nothing_left(self):
        with harness.PgServer() as pg:
            folder = pg.dir
            sock = os.path.join(folder, ".s.PGSQL.5432")
            self.assertTrue(stat.S_ISSOCK(os.stat(sock).st_mode))
            if os.geteuid() == 0:
                self.assertNotEqual(os.stat(os.path.join(folder, "data")).st_uid, 0)
            pg.create_database("archive_one")
            self.assertEqual(pg.psql("archive_one", "SELECT current_database(), 6 * 7"),
                             "archive_one|42\n")
            self.assertEqual(pg.psql("archive_one", "SHOW listen_addresses"), "\n")
            self.assertEqual(pg.uri("archive_one"),
                             "postgresql://archivist@/archive_one?host=" + folder)
            # The socket is a real PostgreSQL endpoint: a connection is accepted.
            with socket.socket(socket.AF_UNIX) as s:
                s.connect(sock)
            with self.assertRaises(AssertionError):
                pg.create_database("archive_one")  # exists already
        self.assertFalse(os.path.exists(folder))


if __name__ == "__main__":
    unittest.main()
