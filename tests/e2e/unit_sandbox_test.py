#!/usr/bin/python3
"""archivist.service and its browser drop-in (systemd/archivist-browser.conf), checked without
systemd as PID 1:

 1. `systemd-analyze security --offline=true` parses the unit alone and the unit with the
    drop-in (combined into one file, as systemd merges them), prints both exposure levels, and
    shows that the drop-in opens only user, PID and network namespaces and chroot/capset, while
    MemoryDenyWriteExecute stays on;
 2. the real `archivist fetch --backend browser` runs in an emulation of the unit's process
    sandbox, built from the unit's own lines: SystemCallFilter (with SystemCallErrorNumber=EPERM),
    RestrictNamespaces, RestrictAddressFamilies and MemoryDenyWriteExecute as seccomp filters the
    way systemd 252 builds them, NoNewPrivileges, ProcSubset=pid with ProtectProc=invisible (a
    private /proc), as an unprivileged user. Without the drop-in Chromium finds no usable sandbox
    and the fetch fails; with it the fetch is complete, the renderers run in their own user and
    PID namespaces under a second seccomp filter (Chromium's), and without the JIT. With
    browser_jit = true, V8 cannot map its code space under MemoryDenyWriteExecute and the fetch
    fails.

Not emulated: the file-system settings (ProtectSystem, PrivateTmp, PrivateDevices, …),
PrivateUsers and the capability bounding set (an unprivileged user has none anyway).
Needs root (a mount namespace for /proc) and libseccomp's Python module (python3-seccomp).

usage: unit_sandbox_test.py --archivist PATH --mock PATH --data tests/data --unit-dir systemd
"""
import errno
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import MockServer, main  # noqa: E402

ARGS = None
QID = "355903822"  # 6 answers: the page's 5, then one /feeds page
NS_FLAGS = {"mnt": 0x20000, "cgroup": 0x02000000, "uts": 0x04000000, "ipc": 0x08000000,
            "user": 0x10000000, "pid": 0x20000000, "net": 0x40000000}
FAMILIES = {"AF_UNIX": 1, "AF_INET": 2, "AF_INET6": 10, "AF_NETLINK": 16, "AF_PACKET": 17}


def unit_text(with_dropin):
    with open(os.path.join(ARGS.unit_dir, "archivist.service")) as f:
        text = f.read().replace("@CMAKE_INSTALL_FULL_BINDIR@", "/usr/bin").replace(
            "@CMAKE_INSTALL_FULL_DOCDIR@", "/usr/share/doc/archivist")
    if with_dropin:
        with open(os.path.join(ARGS.unit_dir, "archivist-browser.conf")) as f:
            text += "\n" + f.read()
    return text


def settings(text):
    """The [Service] assignments, in order: [(key, value)]."""
    out, section = [], None
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("["):
            section = line
        elif section == "[Service]" and "=" in line:
            key, value = line.split("=", 1)
            out.append((key.strip(), value.strip()))
    return out


def syscall_groups():
    out = subprocess.run(["systemd-analyze", "syscall-filter"], capture_output=True, text=True,
                         check=True).stdout
    groups, current = {}, None
    for line in out.splitlines():
        if line.startswith("@"):
            current = groups.setdefault(line.strip(), [])
        elif current is not None and line.strip() and not line.strip().startswith("#"):
            current.append(line.strip())
    return groups


def expand(names, groups):
    out = set()
    for n in names:
        out |= expand(groups.get(n, []), groups) if n.startswith("@") else {n}
    return out


class Sandbox:
    """What the unit's lines ask of the process sandbox, merged as systemd merges them."""

    def __init__(self, text):
        groups = syscall_groups()
        self.allowed, self.namespaces, self.families = None, None, None
        self.mdwe = self.nnp = False
        self.proc_subset = self.proc_invisible = False
        for key, value in settings(text):
            if key == "SystemCallFilter":
                deny = value.startswith("~")
                names = expand(value.lstrip("~").split(), groups)
                if self.allowed is None:  # the first line decides: an allow list here
                    assert not deny, "the unit's filter is expected to start with an allow list"
                    self.allowed = set(names)
                elif deny:
                    self.allowed -= names
                else:
                    self.allowed |= names
            elif key == "RestrictNamespaces":
                if value in ("yes", "true"):
                    self.namespaces = 0 if self.namespaces is None else self.namespaces
                elif value in ("no", "false", ""):
                    self.namespaces = None
                else:
                    for n in value.split():
                        self.namespaces = (self.namespaces or 0) | NS_FLAGS[n]
            elif key == "RestrictAddressFamilies":
                self.families = {FAMILIES[f] for f in value.split()}
            elif key == "MemoryDenyWriteExecute":
                self.mdwe = value == "yes"
            elif key == "NoNewPrivileges":
                self.nnp = value == "yes"
            elif key == "ProcSubset":
                self.proc_subset = value == "pid"
            elif key == "ProtectProc":
                self.proc_invisible = value == "invisible"

    def enter(self, uid):
        """Called in the child before exec."""
        import ctypes
        import seccomp
        libc = ctypes.CDLL(None, use_errno=True)
        if self.proc_subset or self.proc_invisible:
            options = ",".join(o for o, on in (("subset=pid", self.proc_subset),
                                                ("hidepid=invisible", self.proc_invisible)) if on)
            if libc.unshare(NS_FLAGS["mnt"]) != 0 or \
                    libc.mount(b"none", b"/", None, 0x4000 | 0x40000, None) != 0 or \
                    libc.mount(b"proc", b"/proc", b"proc", 0x2 | 0x4 | 0x8, options.encode()) != 0:
                raise OSError(ctypes.get_errno(), "a private /proc")
        os.setgroups([])
        os.setgid(uid)
        os.setuid(uid)
        if self.nnp:
            libc.prctl(38, 1, 0, 0, 0)  # PR_SET_NO_NEW_PRIVS
        f = seccomp.SyscallFilter(seccomp.ERRNO(errno.EPERM))
        arg = seccomp.Arg
        guarded = {"clone", "clone3", "unshare", "setns", "mmap", "mprotect", "pkey_mprotect",
                   "shmat", "socket", "socketpair"}
        for name in sorted(self.allowed - guarded):
            try:
                f.add_rule(seccomp.ALLOW, name)
            except (RuntimeError, ValueError):  # not a system call of this architecture
                pass
        forbidden = sum(NS_FLAGS.values()) & ~(self.namespaces or 0) if self.namespaces is not None else 0
        for name in ("clone", "unshare"):
            if name in self.allowed:
                f.add_rule(seccomp.ALLOW, name, arg(0, seccomp.MASKED_EQ, forbidden, 0))
        if "setns" in self.allowed:
            for flag in NS_FLAGS.values():
                if flag & ~forbidden:
                    f.add_rule(seccomp.ALLOW, "setns", arg(1, seccomp.EQ, flag))
        # clone3 keeps its flags in memory: systemd answers ENOSYS so that libc uses clone.
        f.add_rule(seccomp.ERRNO(errno.ENOSYS), "clone3")
        write, execute = 0x2, 0x4
        if self.mdwe:  # systemd 252: no W+X mapping, no mprotect to X, no SHM_EXEC
            for prot in (0, write, execute):
                f.add_rule(seccomp.ALLOW, "mmap", arg(2, seccomp.MASKED_EQ, write | execute, prot))
            for name in ("mprotect", "pkey_mprotect"):
                f.add_rule(seccomp.ALLOW, name, arg(2, seccomp.MASKED_EQ, execute, 0))
            f.add_rule(seccomp.ALLOW, "shmat", arg(2, seccomp.MASKED_EQ, 0o100000, 0))
        else:
            for name in ("mmap", "mprotect", "pkey_mprotect", "shmat"):
                f.add_rule(seccomp.ALLOW, name)
        for family in sorted(self.families or FAMILIES.values()):
            f.add_rule(seccomp.ALLOW, "socket", arg(0, seccomp.EQ, family))
        f.add_rule(seccomp.ALLOW, "socketpair", arg(0, seccomp.EQ, 1))
        f.load()


def renderers(profile):
    """The renderers of `profile` now: {pid: (Seccomp_filters, user namespace, PID namespace)}."""
    needle = ("--user-data-dir=" + profile).encode()
    found = {}
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            with open("/proc/%s/cmdline" % pid, "rb") as f:
                cmdline = f.read()
            if needle not in cmdline or b"--type=renderer" not in cmdline:
                continue
            with open("/proc/%s/status" % pid) as f:
                filters = int(re.search(r"Seccomp_filters:\s+(\d+)", f.read()).group(1))
            found[pid] = (filters, os.readlink("/proc/%s/ns/user" % pid),
                          os.readlink("/proc/%s/ns/pid" % pid))
        except (OSError, AttributeError):
            continue
    return found


def run_sandboxed(sandbox, uid, argv, profile):
    """argv's exit status, output and the renderers seen while it ran (each as it was last
    seen: it installs its own filter once started), inside `sandbox` as `uid`."""
    with tempfile.TemporaryFile() as out:
        pid = os.fork()
        if pid == 0:
            try:
                os.dup2(out.fileno(), 1)
                os.dup2(out.fileno(), 2)
                sandbox.enter(uid)
                os.execv(argv[0], argv)
            except BaseException as e:  # noqa: B902 — report anything and leave the child
                os.write(2, ("sandbox: %r\n" % e).encode())
            os._exit(127)
        seen = {}
        while True:
            done, status = os.waitpid(pid, os.WNOHANG)
            if done:
                break
            seen.update(renderers(profile))
            time.sleep(0.05)
        out.seek(0)
        return os.waitstatus_to_exitcode(status), out.read().decode(errors="replace"), seen.values()


def exposure(text, path):
    with open(path, "w") as f:
        f.write(text)
    r = subprocess.run(["systemd-analyze", "security", "--offline=true", "--no-pager", path],
                       capture_output=True, text=True)
    m = re.search(r"Overall exposure level for \S+: ([\d.]+)", r.stdout)
    assert m, r.stdout + r.stderr
    assert "Unknown" not in r.stderr and "Failed" not in r.stderr, r.stderr
    return float(m.group(1)), r.stdout


def have_seccomp():
    try:
        import seccomp  # noqa: F401
        return True
    except ImportError:
        return False


@unittest.skipUnless(shutil.which("systemd-analyze"), "needs systemd-analyze (package systemd)")
class UnitSandboxTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="unit-sandbox-")
        os.chmod(cls.tmp, 0o711)

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def test_exposure_with_and_without_the_dropin(self):
        alone, _ = exposure(unit_text(False), os.path.join(self.tmp, "archivist.service"))
        combined_dir = os.path.join(self.tmp, "combined")
        os.makedirs(combined_dir)
        both, report = exposure(unit_text(True), os.path.join(combined_dir, "archivist.service"))
        print("systemd-analyze security --offline=true: %.1f without the drop-in, %.1f with it"
              % (alone, both))
        self.assertLess(alone, both)
        self.assertLessEqual(both, 2.0)
        opened = re.findall(r"^✗ RestrictNamespaces=~(\w+)", report, re.M)
        self.assertEqual(sorted(opened), ["net", "pid", "user"])
        self.assertRegex(report, r"(?m)^✓ MemoryDenyWriteExecute=")
        self.assertRegex(report, r"(?m)^✓ ProcSubset=")

    def test_the_dropin_adds_only_what_chromiums_sandbox_needs(self):
        alone, both = Sandbox(unit_text(False)), Sandbox(unit_text(True))
        self.assertEqual(both.allowed - alone.allowed, {"chroot", "capset"})
        self.assertEqual(alone.namespaces, 0)
        self.assertEqual(both.namespaces, NS_FLAGS["user"] | NS_FLAGS["pid"] | NS_FLAGS["net"])
        self.assertTrue(both.mdwe and both.nnp and both.proc_subset)

    def fetch(self, dropin, extra="", timeout="20s"):
        """`archivist fetch --backend browser` in the emulated unit, as nobody."""
        import pwd
        uid = pwd.getpwnam("nobody").pw_uid
        state = tempfile.mkdtemp(dir=self.tmp)
        os.chown(state, uid, -1)
        config = os.path.join(state, "archivist.toml")
        with open(config, "w") as f:
            f.write('[store]\npath = "%s/archive.db"\n[fetch]\nper_host_delay = "0s"\ntimeout = "%s"\n'
                    'backend = "browser"\nbrowser = "%s"\n%s[zhihu]\nbase_url = "%s"\n'
                    % (state, timeout, ARGS.chromium, extra, self.mock_url))
        return run_sandboxed(Sandbox(unit_text(dropin)), uid,
                             [ARGS.archivist, "--config", config, "fetch", QID, "--json"],
                             os.path.join(state, "browser-profile"))

    @unittest.skipUnless(os.geteuid() == 0, "needs root (a mount namespace for a private /proc)")
    @unittest.skipUnless(have_seccomp(), "needs libseccomp's Python module (python3-seccomp)")
    def test_chromium_runs_sandboxed_inside_the_unit_only_with_the_dropin(self):
        faults = os.path.join(self.tmp, "faults")
        with open(faults, "w") as f:
            f.write("route=feeds action=delay ms=1000\n")  # time to look at the renderers
        mock = MockServer(ARGS.mock, [os.path.join(ARGS.data, "zhihu", "questions")], log=False,
                          quiet=True, flags=["--web", "--faults", faults])
        try:
            self.mock_url = mock.base
            rc, out, _ = self.fetch(dropin=False)
            self.assertEqual(rc, 1, out)
            self.assertIn("No usable sandbox", out)

            rc, out, seen = self.fetch(dropin=True)
            self.assertEqual(rc, 0, out)
            got = json.loads(out[out.index("{"):])
            self.assertEqual((got["outcome"], len(got["answers"])), ("complete", 6))
            own_user, own_pid = os.readlink("/proc/self/ns/user"), os.readlink("/proc/self/ns/pid")
            self.assertTrue(seen, "no renderer was seen")
            for filters, user_ns, pid_ns in seen:  # the unit's filter, then Chromium's
                self.assertGreaterEqual(filters, 2)
                self.assertNotEqual(user_ns, own_user)
                self.assertNotEqual(pid_ns, own_pid)

            rc, out, _ = self.fetch(dropin=True, extra="browser_jit = true\n", timeout="5s")
            self.assertEqual(rc, 1, out)
            self.assertEqual(json.loads(out[out.index("{"):])["outcome"], "transient")
        finally:
            mock.stop()


if __name__ == "__main__":
    main(globals(), "archivist", "mock", "data", "unit-dir",
         chromium="/usr/lib/chromium/chromium")
