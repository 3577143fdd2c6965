#!/usr/bin/env python3
"""A/B of the one-file-change run of two devmlint checkouts, interleaved.

    python3 bench/ab_onefile.py OLD_TREE NEW_TREE SUB FILE [--cache DIR] [-n 7]

SUB is a directory checked whole (a copy of a kernel's drivers/, e.g.
`cp -rs $K/drivers /tmp/t` as `speed.py` makes it, or `cp -r` for a real
copy); FILE, a file under it, gets a new comment before every run (make it
a real file, not a symlink into the kernel tree).  Each side runs
`devmlint check -j 2 --min-confidence low --format json SUB` with a warm
cache; OLD, NEW, OLD, NEW ...  so both see the same load.  Prints the
median CPU (user + system of the run, from `RUSAGE_CHILDREN`) and wall
seconds of each side, and whether their findings are identical.

Warming: if OLD has no cache entries yet, one cold run fills them (minutes
over drivers/); NEW's configuration directory is then made a hard-linked
copy of OLD's (`cp -al`), which is valid only when the two report the same
findings: check that with `ab_speed.py` first.  (A configuration's key
hashes the engine's source, so every edit of the code gets a cold cache
otherwise.)
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import time

_KEY = (
    "from analyzer.cache import config_key; from analyzer.checker import Options; "
    "from analyzer.plugins import discover; "
    "print(config_key(Options(list(discover()[0].values()))))"
)


def _env(tree: str) -> dict[str, str]:
    env = dict(os.environ, PYTHONPATH=os.path.abspath(tree))
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # as an install runs: with bytecode
    return env


def _key(tree: str, sub: str) -> str:
    out = subprocess.run(
        [sys.executable, "-c", _KEY], env=_env(tree), cwd=sub, capture_output=True, text=True
    )
    return out.stdout.strip()


def _check(tree: str, sub: str, cache: str) -> tuple[float, float, dict]:
    cmd = [sys.executable, "-m", "analyzer.cli", "check", "-j", "2", "--min-confidence", "low"]
    cmd += ["--format", "json", "--cache-dir", cache, "."]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.monotonic()
    out = subprocess.run(cmd, env=_env(tree), cwd=sub, capture_output=True, text=True)
    wall = time.monotonic() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return cpu, wall, json.loads(out.stdout)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("old")
    ap.add_argument("new")
    ap.add_argument("sub")
    ap.add_argument("file")
    ap.add_argument("--cache", default="/tmp/devmlint-ab-onefile-cache")
    ap.add_argument("-n", type=int, default=7, help="runs of each side (default 7)")
    args = ap.parse_args()
    sub = os.path.abspath(args.sub)
    if os.path.islink(args.file):
        raise SystemExit(f"{args.file} is a symlink: copy it in (cp --remove-destination)")
    old_key, new_key = _key(args.old, sub), _key(args.new, sub)
    old_dir, new_dir = os.path.join(args.cache, old_key), os.path.join(args.cache, new_key)
    if not os.path.isdir(old_dir):
        print("filling the cache with a cold run of OLD ...", flush=True)
        _check(args.old, sub, args.cache)
    if not os.path.isdir(new_dir):
        subprocess.run(["cp", "-al", old_dir, new_dir], check=True)
    figures: dict[str, list[tuple[float, float]]] = {"old": [], "new": []}
    found: dict[str, list] = {}
    for _ in range(args.n):
        for side, tree in (("old", args.old), ("new", args.new)):
            with open(args.file, "a") as f:
                f.write(f"/* {time.time_ns()} */\n")
            time.sleep(2.1)  # past the cache's racy-mtime window
            cpu, wall, doc = _check(tree, sub, args.cache)
            figures[side].append((cpu, wall))
            found[side] = doc["findings"]
    for side in ("old", "new"):
        cpu = statistics.median(c for c, _ in figures[side])
        wall = statistics.median(w for _, w in figures[side])
        print(f"{side}: median {cpu:.3f} s CPU, {wall:.3f} s wall over {args.n} runs")
    print(f"findings identical: {found['old'] == found['new']} ({len(found['new'])})")


if __name__ == "__main__":
    main()
