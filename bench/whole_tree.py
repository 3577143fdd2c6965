#!/usr/bin/env python3
"""Robustness on a whole kernel tree: every .c and .h, counted crashes and hangs.

    python3 bench/whole_tree.py KERNEL [-j 1] [--timeout 30] [--out RESULT.json]
                                       [--skip DIR ...] [--cache-dir DIR]

Runs `devmlint check --no-cache --min-confidence low --format json` over
KERNEL (all of it, not only drivers/) and prints:

- crashes: files whose analysis raised (`internal error: ...`), and
  whether devmlint itself ended with a traceback or an exit code other
  than 0/1/2;
- hangs: files skipped for exceeding the per-file time limit;
- skips by reason (binary, larger than --max-bytes, not a regular file);
- wall time and the number of files and functions.

Nothing is asserted; the counts are the result.  `--skip drivers` leaves
out top-level directories already covered by another run (e.g. the cold
run of bench/speed.py); `--cache-dir` keeps the results for a warm re-run.
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import re
import shutil
import subprocess
import sys
import time

_LINE = re.compile(r"^devmlint: (error|warning): (.*?): (.*)$")


def _has_c(kernel: str, top: str) -> bool:
    path = os.path.join(kernel, top)
    if os.path.isfile(path):
        return top.endswith((".c", ".h"))
    return any(n.endswith((".c", ".h")) for _, _, names in os.walk(path) for n in names)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("kernel")
    ap.add_argument("-j", "--jobs", type=int, default=1)
    ap.add_argument("--timeout", type=float, default=30.0)
    ap.add_argument("--out", help="keep devmlint's JSON result here")
    ap.add_argument("--skip", nargs="*", default=[], help="top-level directories to leave out")
    ap.add_argument("--cache-dir", help="use (and fill) this cache instead of none")
    args = ap.parse_args()
    exe = shutil.which("devmlint")
    cmd = [exe] if exe else [sys.executable, "-m", "analyzer.cli"]
    cmd += ["check", "--min-confidence", "low", "--format", "json"]
    cmd += ["--cache-dir", args.cache_dir] if args.cache_dir else ["--no-cache"]
    cmd += ["-j", str(args.jobs), "--timeout", str(args.timeout)]
    if args.skip:
        tops = sorted(os.listdir(args.kernel))
        cmd += [f"./{t}" for t in tops if t not in args.skip and _has_c(args.kernel, t)]
    else:
        cmd.append(".")
    start = time.monotonic()
    proc = subprocess.run(cmd, cwd=args.kernel, capture_output=True, text=True)
    wall = time.monotonic() - start
    if args.out:
        with open(args.out, "w") as f:
            f.write(proc.stdout)
    crashes: list[str] = []
    hangs: list[str] = []
    skips: collections.Counter[str] = collections.Counter()
    input_errors: list[str] = []
    for line in proc.stderr.splitlines():
        m = _LINE.match(line)
        if not m:
            continue
        kind, path, what = m.groups()
        if kind == "error" and what.startswith("internal error"):
            crashes.append(f"{path}: {what}")
        elif kind == "error":
            input_errors.append(f"{path}: {what}")
        elif what.startswith("skipped: took longer"):
            hangs.append(path)
        elif what.startswith("skipped: "):
            skips[re.sub(r"\d+", "N", what[len("skipped: ") :])] += 1
    try:
        summary = json.loads(proc.stdout)["summary"]
    except (ValueError, KeyError):
        summary = {}
    print(f"tree: {os.path.abspath(args.kernel)}; -j {args.jobs}; --timeout {args.timeout:g}")
    if args.skip:
        print(f"left out: {' '.join(args.skip)}")
    print(f"devmlint exit code: {proc.returncode}; traceback: {'Traceback' in proc.stderr}")
    print(
        f"files: {summary.get('files')}  functions: {summary.get('functions')}  "
        f"findings (all confidences): {summary.get('findings')}"
    )
    print(f"wall: {wall:.0f} s")
    print(f"crashes (internal errors): {len(crashes)}")
    for c in crashes[:20]:
        print("  " + c)
    print(f"hangs (over the time limit): {len(hangs)}")
    for h in hangs[:20]:
        print("  " + h)
    print(f"input errors: {len(input_errors)}")
    for e in input_errors[:20]:
        print("  " + e)
    print(f"skipped: {sum(skips.values())}")
    for reason, n in skips.most_common():
        print(f"  {n:6d}  {reason}")


if __name__ == "__main__":
    main()
