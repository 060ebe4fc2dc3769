#!/usr/bin/env python3
"""Finds code that is repeated: places in *.cc, *.h and *.py that share six or more lines.

Each file is read as its normalized lines: whitespace stripped, blank lines, lines of only
brackets and semicolons, and #include / import lines dropped (an include block is not code
worth sharing). Every window of N consecutive normalized lines is hashed; two places whose
windows match at consecutive positions form one clone of the length of their run. A clone
is reported once per pair of places, with the original line ranges.

    scripts/duplicates.py [--lines N] [--list] [PATH ...]   (default: the tracked tree)

Prints "clones: C, duplicated lines: L" (L counts each line of the second place once), and
with --list every clone, longest first. Data under tests/data is skipped.
"""
import argparse
import collections
import hashlib
import re
import subprocess
import sys

SKIP = re.compile(r"^([{}()\[\];,]*|#include\b.*|import \S.*|from \S+ import .*)$")


def normalized(path):
    """[(original line number, text)] of the lines that count."""
    out = []
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            for number, line in enumerate(f, 1):
                text = " ".join(line.split())
                if not SKIP.match(text):
                    out.append((number, text))
    except OSError:
        pass
    return out


def tracked_files():
    names = subprocess.run(["git", "ls-files", "*.cc", "*.h", "*.py"], check=True,
                           capture_output=True, text=True).stdout.split()
    return [n for n in names if not n.startswith("tests/data/")]


def clones(files, n):
    lines = {f: normalized(f) for f in files}
    windows = collections.defaultdict(list)
    for f, ls in lines.items():
        for i in range(len(ls) - n + 1):
            key = hashlib.sha1("\n".join(t for _, t in ls[i:i + n]).encode()).digest()
            windows[key].append((f, i))
    # Matches on one diagonal (same pair of files, same offset) at consecutive positions are
    # one clone.
    diagonals = collections.defaultdict(set)
    for places in windows.values():
        if len(places) < 2 or len(places) > 50:
            continue
        for a in range(len(places)):
            for b in range(a + 1, len(places)):
                (fa, ia), (fb, ib) = places[a], places[b]
                if fa == fb and abs(ia - ib) < n:
                    continue  # a window overlapping itself (repeated lines)
                diagonals[(fa, fb, ia - ib)].add(ia)
    found = []
    for (fa, fb, delta), starts in diagonals.items():
        run = []
        for i in sorted(starts) + [None]:
            if run and (i is None or i != run[-1] + 1):
                a0, a1 = run[0], run[-1] + n - 1
                la, lb = lines[fa], lines[fb]
                found.append((a1 - a0 + 1, fa, la[a0][0], la[a1][0],
                              fb, lb[a0 - delta][0], lb[a1 - delta][0]))
                run = []
            if i is not None:
                run.append(i)
    return sorted(found, reverse=True)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--lines", type=int, default=6)
    parser.add_argument("--list", action="store_true")
    parser.add_argument("paths", nargs="*")
    args = parser.parse_args()
    found = clones(args.paths or tracked_files(), args.lines)
    if args.list:
        for size, fa, a0, a1, fb, b0, b1 in found:
            print("%3d  %s:%d-%d  %s:%d-%d" % (size, fa, a0, a1, fb, b0, b1))
    print("clones: %d, duplicated lines: %d" % (len(found), sum(c[0] for c in found)))


if __name__ == "__main__":
    sys.exit(main())
