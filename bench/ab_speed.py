"""A/B speed of two devmlint checkouts on the same files, interleaved.

    python3 bench/ab_speed.py OLD_TREE NEW_TREE PATH... [--repeat 1]

Each checkout runs in a worker process of its own (PYTHONPATH set to the
tree); files are handed to A, then to B, one at a time, so both see the
same machine load, which on shared cores drifts by a factor of several
within minutes.  Prints the CPU seconds (time.process_time of check_file)
of each side, their ratio, and whether the findings (and errors) were identical.
Make OLD_TREE with e.g. `git worktree add /tmp/base REV` or
`git archive REV | tar -x -C /tmp/base`.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys

_WORKER = r"""
import json, sys, time
from analyzer.checker import Options, check_file
from analyzer.plugins import discover
options = Options(list(discover()[0].values()))
for line in sys.stdin:
    path = line.rstrip("\n")
    t0 = time.process_time()
    res = check_file(path, options)
    cpu = time.process_time() - t0
    found = [f.to_json() for f in res.findings]
    print(json.dumps({"cpu": cpu, "findings": found, "error": res.error}), flush=True)
"""


def _files(paths: list[str]) -> list[str]:
    out: list[str] = []
    for p in paths:
        if os.path.isdir(p):
            for d, dirs, names in os.walk(p):
                dirs.sort()
                out += [os.path.join(d, n) for n in sorted(names) if n.endswith((".c", ".h"))]
        else:
            out.append(p)
    return out


def _worker(tree: str) -> subprocess.Popen:
    env = dict(os.environ, PYTHONPATH=os.path.abspath(tree))
    return subprocess.Popen(
        [sys.executable, "-c", _WORKER],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env=env,
        cwd=os.path.abspath(tree),
    )


def _print_diff(old: list[dict], new: list[dict]) -> None:
    """`-` for a finding only OLD reports, `+` for one only NEW reports."""
    for sign, these, others in (("-", old, new), ("+", new, old)):
        for f in these:
            if f not in others:
                where = f"{f['file']}:{f['line']}"
                print(f"{sign} {where} {f['rule']} [{f['confidence']}] {f['message'][:150]}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("old")
    ap.add_argument("new")
    ap.add_argument("paths", nargs="+")
    ap.add_argument("--repeat", type=int, default=1)
    ap.add_argument("--diff", action="store_true", help="print each finding only one side reports")
    args = ap.parse_args()
    files = [os.path.abspath(f) for f in _files(args.paths)]
    a, b = _worker(args.old), _worker(args.new)
    cpu = {"old": 0.0, "new": 0.0}
    differ: list[str] = []
    errors: list[str] = []
    for _ in range(args.repeat):
        for path in files:
            got = {}
            for side, proc in (("old", a), ("new", b)):
                proc.stdin.write(path + "\n")
                proc.stdin.flush()
                got[side] = json.loads(proc.stdout.readline())
                cpu[side] += got[side]["cpu"]
            if got["old"]["findings"] != got["new"]["findings"]:
                differ.append(path)
                if args.diff:
                    _print_diff(got["old"]["findings"], got["new"]["findings"])
            if got["old"]["error"] != got["new"]["error"]:
                # a crash (internal error) in a file with no findings changes none
                errors.append(f"{path}: {got['old']['error']!r} -> {got['new']['error']!r}")
    for proc in (a, b):
        proc.stdin.close()
        proc.wait()
    print(f"files: {len(files)} x {args.repeat}")
    print(f"old: {cpu['old']:.1f} s CPU   new: {cpu['new']:.1f} s CPU")
    print(f"speed-up: {cpu['old'] / max(cpu['new'], 1e-9):.2f}x")
    print(f"files whose findings differ: {len(differ)}")
    for path in differ[:20]:
        print("  " + path)
    print(f"files whose errors differ: {len(errors)}")
    for line in errors[:20]:
        print("  " + line)


if __name__ == "__main__":
    main()
