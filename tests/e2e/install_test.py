#!/usr/bin/env python3
"""archivist installed like a real tool: `cmake --install` into a scratch prefix, then use it.

- `cmake --install BUILD --prefix DIR` installs the binary, the man page, the bash and zsh
  completions, the units and the docs; with `--strip` the binary carries no debug sections
  and is a fraction of the built one.
- The man page renders with `man -l --warnings` without a single warning, and documents
  exactly the verbs `archivist help` lists, each with every option `archivist help <verb>`
  lists.
- The installed bash completion completes verbs (also after global options) and a verb's
  options; the installed zsh completion, in a real interactive zsh on a pseudo-terminal,
  completes a verb and an option so that the completed command runs.
- docs/operations.md's recipe for reaching the daemon's archive holds: root writing with
  --db into an archive that another user owns (the daemon's dynamic user) leaves every file
  with its owner, who can go on writing.

usage: install_test.py --archivist PATH --build BUILD_DIR
"""
import argparse
import os
import pwd
import re
import shutil
import subprocess
import sys
import tempfile
import unittest

ARGS = None
PREFIX = None      # cmake --install BUILD --prefix PREFIX
STRIPPED = None    # cmake --install BUILD --prefix STRIPPED --strip


def run(cmd, **kw):
    return subprocess.run(cmd, capture_output=True, text=True, timeout=120, **kw)


def help_verbs():
    out = run([ARGS.archivist, "help"]).stdout
    return re.findall(r"^  ([a-z][a-z-]*) ", out.split("Subcommands:")[1], re.M)


def help_options(verb):
    out = run([ARGS.archivist, "help", verb]).stdout
    return sorted(set(re.findall(r"^  (?:-\w,)?(--[a-z][a-z-]*)", out, re.M)) - {"--help"})


class InstallTest(unittest.TestCase):
    def test_files_are_installed(self):
        for rel in ("bin/archivist", "share/man/man1/archivist.1",
                    "share/bash-completion/completions/archivist",
                    "share/zsh/site-functions/_archivist",
                    "lib/systemd/system/archivist.service",
                    "lib/systemd/system/archivist-refresh.service",
                    "lib/systemd/system/archivist-refresh.timer",
                    "share/doc/archivist/operations.md",
                    "share/doc/archivist/security.md",
                    "share/doc/archivist/examples/archivist.example.toml"):
            for prefix in (PREFIX, STRIPPED):
                self.assertTrue(os.path.isfile(os.path.join(prefix, rel)), (prefix, rel))
        p = run([os.path.join(STRIPPED, "bin/archivist"), "--version"])
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertEqual(p.stdout, run([ARGS.archivist, "--version"]).stdout)
        # The installed example configuration is valid as copied.
        p = run([os.path.join(STRIPPED, "bin/archivist"), "--config",
                 os.path.join(STRIPPED, "share/doc/archivist/examples/archivist.example.toml"),
                 "check-config"])
        self.assertEqual(p.returncode, 0, p.stderr)

    def test_strip_removes_the_debug_information(self):
        built = os.path.getsize(ARGS.archivist)
        plain = os.path.getsize(os.path.join(PREFIX, "bin/archivist"))
        stripped = os.path.getsize(os.path.join(STRIPPED, "bin/archivist"))
        print("\nbinary: built %d bytes, installed %d, installed --strip %d"
              % (built, plain, stripped), file=sys.stderr)
        self.assertLess(stripped * 4, built)
        sections = run(["readelf", "-S", os.path.join(STRIPPED, "bin/archivist")]).stdout
        self.assertNotIn(".debug_info", sections)
        self.assertNotIn(".symtab", sections)

    def render_man(self, path):
        env = dict(os.environ, MANWIDTH="80", LC_ALL="C.UTF-8", MAN_DISABLE_SECCOMP="1")
        return run(["man", "-l", "--warnings", path], env=env)

    def test_man_page_renders_without_warnings(self):
        p = self.render_man(os.path.join(PREFIX, "share/man/man1/archivist.1"))
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertEqual(p.stderr, "")
        self.assertIn("ARCHIVIST(1)", p.stdout)
        self.assertIn("archivist " + run([ARGS.archivist, "--version"]).stdout.split()[1],
                      p.stdout)
        # The check is not blind: a page with a mistake does warn.
        bad = os.path.join(PREFIX, "bad.1")
        with open(bad, "w") as f:
            f.write('.TH BAD 1\n.SH NAME\nbad \\- x\n.BOGUS macro\n\\f(ZZtext\n')
        self.assertNotEqual(self.render_man(bad).stderr, "")

    def test_man_page_documents_every_verb_and_option(self):
        text = self.render_man(os.path.join(PREFIX, "share/man/man1/archivist.1")).stdout
        text = re.sub(r"\u2010\n\s*", "", text)  # undo hyphenation at line ends
        text = re.sub(r"-\n\s+", "-", text)        # and breaks after a hyphen
        verbs_part = text.split("\nVERBS\n")[1].split("\nQUESTIONS, ANSWERS AND TIMES\n")[0]
        documented = {}
        for entry in verbs_part.split("\n\n"):  # one paragraph per verb
            m = re.match(r"\s*([a-z][a-z-]*)", entry)
            if m:
                documented[m.group(1)] = entry
        self.assertEqual(sorted(documented), sorted(help_verbs()))
        for verb, entry in documented.items():
            for option in help_options(verb):
                self.assertIn(option, entry, "man page: %s lacks %s" % (verb, option))


class CompletionTest(unittest.TestCase):
    def bash_complete(self, *words):
        script = ('source "%s"; COMP_WORDS=(%s); COMP_CWORD=%d; _archivist; '
                  'printf "%%s\\n" "${COMPREPLY[@]}"'
                  % (os.path.join(PREFIX, "share/bash-completion/completions/archivist"),
                     " ".join("'%s'" % w for w in (ARGS.archivist,) + words), len(words)))
        p = run(["bash", "--norc", "-c", script])
        self.assertEqual(p.returncode, 0, p.stderr)
        return sorted(line for line in p.stdout.splitlines() if line)

    def test_bash_completes_verbs_and_options(self):
        self.assertEqual(self.bash_complete(""), sorted(help_verbs()))
        self.assertEqual(self.bash_complete("lis"), ["list"])
        self.assertEqual(self.bash_complete("--db", "x.db", "hist"), ["history"])
        self.assertEqual(self.bash_complete("re"), ["refresh", "remove", "renormalize"])
        self.assertEqual(self.bash_complete("history", "1", "--s"), ["--since"])
        self.assertEqual(self.bash_complete("refresh", "--"),
                         sorted(help_options("refresh") + ["--help"]))
        self.assertEqual(self.bash_complete("help", "di"), ["diff"])
        self.assertEqual(self.bash_complete("--"), ["--config", "--db", "--help",
                                                    "--media-base-url", "--no-pager",
                                                    "--version", "--zhihu-base-url"])
        self.assertEqual(self.bash_complete("export", "out", "--media", "lo"), ["local"])

    def test_zsh_completes_a_verb_and_an_option(self):
        if shutil.which("zsh") is None:
            self.fail("zsh is not installed (scripts/install-deps.sh installs it)")
        tmp = tempfile.mkdtemp(prefix="install_test_zsh.")
        try:
            os.symlink(os.path.abspath(ARGS.archivist), os.path.join(tmp, "archivist"))
            fpath = os.path.join(PREFIX, "share/zsh/site-functions")
            script = os.path.join(tmp, "drive.zsh")
            with open(script, "w") as f:
                f.write(r"""
zmodload zsh/zpty
zpty z 'zsh -f -i'
zpty -w z "PS1='> '; path=(%(bin)s \$path); fpath=(%(fpath)s \$fpath); autoload -Uz compinit; compinit -u -D; unsetopt beep"
zpty -w -n z $'archivist --db %(bin)s/none.db hist\t'
sleep 1
zpty -w -n z $'42 --sin\t'
sleep 1
zpty -w z $'1h; print DONE'
local out chunk
integer tries=0
while (( tries++ < 100 )); do
  zpty -rt z chunk && out+=$chunk
  [[ $out == *DONE*DONE* ]] && break
  sleep 0.1
done
print -r -- "$out"
zpty -d z
""" % {"bin": tmp, "fpath": fpath})
            p = run(["zsh", "-f", script])
            out = re.sub(r"\x1b\[[0-9;?]*[a-zA-Z]|[\r\x08]", "", p.stdout)
            # The completed command ran: `archivist --db …/none.db history 42 --since 1h`.
            self.assertIn("archivist history: no archive at %s/none.db" % tmp, out, out)
        finally:
            shutil.rmtree(tmp)


class DaemonArchiveTest(unittest.TestCase):
    """The `sudo archivist --db /var/lib/archivist/archive.db add …` recipe."""

    def test_root_writes_keep_the_owner(self):
        if os.geteuid() != 0:
            self.skipTest("needs root (the recipe is for root)")
        nobody = pwd.getpwnam("nobody")
        tmp = tempfile.mkdtemp(prefix="install_test_state.")
        try:
            os.chmod(tmp, 0o755)
            state = os.path.join(tmp, "state")
            os.mkdir(state, 0o700)
            os.chown(state, nobody.pw_uid, nobody.pw_gid)
            db = os.path.join(state, "archive.db")
            as_nobody = ["setpriv", "--reuid", str(nobody.pw_uid), "--regid", str(nobody.pw_gid),
                         "--clear-groups", "env", "HOME=" + tmp]
            a = os.path.abspath(ARGS.archivist)
            self.assertEqual(run(as_nobody + [a, "--db", db, "add", "1"]).returncode, 0)
            # The daemon's user holds the archive open (its -wal and -shm exist) or not.
            holder = subprocess.Popen(as_nobody + ["/usr/bin/python3", "-c",
                                      "import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); "
                                      "c.execute('select 1 from threads').fetchall(); "
                                      "sys.stdin.read()", db], stdin=subprocess.PIPE)
            try:
                p = run([a, "--db", db, "add", "2"])
                self.assertEqual(p.returncode, 0, p.stderr)
            finally:
                holder.communicate("", timeout=30)
            p = run([a, "--db", db, "add", "3"])
            self.assertEqual(p.returncode, 0, p.stderr)
            for name in os.listdir(state):
                st = os.stat(os.path.join(state, name))
                self.assertEqual((name, st.st_uid), (name, nobody.pw_uid))
            p = run(as_nobody + [a, "--db", db, "add", "4"])
            self.assertEqual(p.returncode, 0, p.stderr)
            listed = run(as_nobody + [a, "--db", db, "list"]).stdout
            self.assertEqual([line.split()[0] for line in listed.splitlines()],
                             ["1", "2", "3", "4"])
        finally:
            shutil.rmtree(tmp)


def main():
    global ARGS, PREFIX, STRIPPED
    parser = argparse.ArgumentParser()
    parser.add_argument("--archivist", required=True)
    parser.add_argument("--build", required=True)
    ARGS, rest = parser.parse_known_args()
    scratch = tempfile.mkdtemp(prefix="install_test.")
    PREFIX = os.path.join(scratch, "prefix")
    STRIPPED = os.path.join(scratch, "stripped")
    try:
        for prefix, extra in ((PREFIX, []), (STRIPPED, ["--strip"])):
            p = run(["cmake", "--install", ARGS.build, "--prefix", prefix, *extra])
            assert p.returncode == 0, p.stdout + p.stderr
        result = unittest.main(argv=[sys.argv[0]] + rest, verbosity=2, exit=False).result
    finally:
        shutil.rmtree(scratch)
    sys.exit(0 if result.wasSuccessful() else 1)


if __name__ == "__main__":
    main()
