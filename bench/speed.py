#!/usr/bin/env python3
"""Speed and memory on a kernel tree: cold, warm, one-file change, floor, Coccinelle.

    python3 bench/speed.py KERNEL [--sub drivers] [-j 2] [--no-cocci] [--no-bare]
                           [--json FIGURES] [--keep-cold FINDINGS.json]

(`--keep-cold` keeps the cold run's JSON output, to compare the findings
of two versions over the whole tree.)

Runs, one after the other (never two heavy jobs at once):

1. `devmlint check -j J --min-confidence low --format json SUB` with an
   empty cache (cold), then again (warm);
2. a one-file change: one file of the tree is given new bytes (in a
   symlink copy of SUB, so the kernel tree is not modified) and the whole
   SUB is checked again with the warm cache; and a single-file run with no
   cache (start-up plus one file);
3. the floor: `bench/bare_parse.py SUB` (tree-sitter alone, one core);
4. Coccinelle's `scripts/coccinelle/free/devm_free.cocci` in report mode
   over SUB with `spatch --jobs J`, if spatch is installed
   (`apt-get install coccinelle`).

Prints wall seconds, files/s, and peak RSS: the largest single process,
and the largest sum over devmlint and all its worker processes, sampled
from /proc every 0.1 s; CPU is user + system time of all the run's
processes (on a loaded machine wall time is several times CPU time).
Figures only; nothing is asserted.  On shared cores compare ratios
measured in the same session, not absolute times.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))


def _descendants(pid: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                ppid = int(f.read().rsplit(")", 1)[1].split()[1])
        except (OSError, ValueError, IndexError):
            continue
        children.setdefault(ppid, []).append(int(entry))
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        todo.extend(children.get(p, []))
    return out


_TICK = os.sysconf("SC_CLK_TCK")


def _cpu_seconds(pid: int) -> float:
    """User + system CPU of one live process so far (/proc/PID/stat)."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / _TICK
    except (OSError, ValueError, IndexError):
        return 0.0


def _rss_kib(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def timed(cmd: list[str], cwd: str | None = None, stdout=subprocess.DEVNULL) -> dict:
    """Run cmd; wall seconds, exit code, and peak RSS (one process, whole tree) in MiB."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.monotonic()
    proc = subprocess.Popen(cmd, cwd=cwd, stdout=stdout, stderr=subprocess.PIPE, text=True)
    peak = {"one": 0, "tree": 0}
    cpu_seen: dict[int, float] = {}  # pid -> CPU seconds last seen (workers not waited for)
    done = threading.Event()

    def sample() -> None:
        while not done.is_set():
            pids = _descendants(proc.pid)
            rss = [_rss_kib(p) for p in pids]
            for p in pids:
                cpu_seen[p] = max(cpu_seen.get(p, 0.0), _cpu_seconds(p))
            if rss:
                peak["one"] = max(peak["one"], max(rss))
                peak["tree"] = max(peak["tree"], sum(rss))
            done.wait(0.1)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, err = proc.communicate()
    done.set()
    sampler.join()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    waited = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    # Pool workers are grandchildren that may never be waited for: count what
    # /proc showed of every process of the run, whichever is larger.
    cpu = max(waited, sum(cpu_seen.values()))
    return {
        "seconds": time.monotonic() - start,
        "cpu": cpu,
        "code": proc.returncode,
        "rss_one_mib": peak["one"] / 1024,
        "rss_tree_mib": peak["tree"] / 1024,
        "stderr": err,
    }


def _devmlint() -> list[str]:
    exe = shutil.which("devmlint")
    return [exe] if exe else [sys.executable, "-m", "analyzer.cli"]


def _count(sub: str) -> int:
    n = 0
    for _, _, names in os.walk(sub):
        n += sum(1 for x in names if x.endswith((".c", ".h")))
    return n


def _line(label: str, r: dict, files: int | None = None) -> None:
    rate = f"{files / r['seconds']:8.0f} files/s" if files else " " * 16
    print(
        f"{label:<34} {r['seconds']:8.1f} s {rate}  CPU {r['cpu']:7.1f} s   "
        f"peak RSS {r['rss_one_mib']:6.0f} MiB "
        f"(all processes {r['rss_tree_mib']:6.0f} MiB)   exit {r['code']}",
        flush=True,
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("kernel")
    ap.add_argument("--sub", default="drivers", help="sub-tree of KERNEL (default: drivers)")
    ap.add_argument("-j", "--jobs", type=int, default=2)
    ap.add_argument("--no-cocci", action="store_true")
    ap.add_argument("--no-bare", action="store_true")
    ap.add_argument("--json", help="also write the figures to this file")
    ap.add_argument("--keep-cold", help="copy the cold run's JSON output to this file")
    args = ap.parse_args()
    kernel = os.path.abspath(args.kernel)
    sub = os.path.join(kernel, args.sub)
    files = _count(sub)
    print(f"{args.sub}: {files} .c/.h files; -j {args.jobs}; {os.cpu_count()} cores", flush=True)
    figures: dict[str, dict] = {}
    work = tempfile.mkdtemp(prefix="devmlint-bench-")
    try:
        cache = os.path.join(work, "cache")
        check = [*_devmlint(), "check", "-j", str(args.jobs), "--min-confidence", "low"]
        check += ["--format", "json", "--cache-dir", cache]
        # A symlink copy: the change below must not touch the kernel tree.
        tree = os.path.join(work, "tree")
        subprocess.run(["cp", "-rs", sub, tree], check=True)
        with open(os.path.join(work, "cold.json"), "w") as out:
            figures["cold"] = timed([*check, "."], cwd=tree, stdout=out)
        _line("devmlint cold (empty cache)", figures["cold"], files)
        if args.keep_cold:
            shutil.copyfile(os.path.join(work, "cold.json"), args.keep_cold)
        with open(os.path.join(work, "warm.json"), "w") as out:
            figures["warm"] = timed([*check, "."], cwd=tree, stdout=out)
        _line("devmlint warm (unchanged tree)", figures["warm"], files)
        with open(os.path.join(work, "cold.json")) as a, open(os.path.join(work, "warm.json")) as b:
            same = json.load(a)["findings"] == json.load(b)["findings"]
        print(f"{'':<34} warm findings identical to cold: {same}")
        victim = _changed_file(tree)
        figures["one_change"] = timed([*check, "."], cwd=tree)
        _line(f"one file changed ({os.path.relpath(victim, tree)})", figures["one_change"])
        single = [*_devmlint(), "check", "--no-cache", "--format", "json", victim]
        figures["single_file"] = timed(single, cwd=tree)
        _line("single-file run, no cache", figures["single_file"])
        if not args.no_bare:
            bare = timed([sys.executable, os.path.join(HERE, "bare_parse.py"), sub])
            figures["bare_parse"] = bare
            _line("bare tree-sitter parse, 1 core", bare, files)
        if not args.no_cocci:
            figures.update(_coccinelle(kernel, sub, args.jobs, files))
        cold = figures["cold"]["seconds"]
        if "bare_parse" in figures:
            print(f"cold / bare parse: {cold / figures['bare_parse']['seconds']:.1f}x")
        if "coccinelle" in figures:
            print(
                f"cold / coccinelle devm_free.cocci: {cold / figures['coccinelle']['seconds']:.2f}x"
            )
    finally:
        shutil.rmtree(work, ignore_errors=True)
    if args.json:
        with open(args.json, "w") as f:
            json.dump(
                {k: {x: y for x, y in v.items() if x != "stderr"} for k, v in figures.items()},
                f,
                indent=2,
            )


def _changed_file(tree: str) -> str:
    """Replace one symlinked .c file of the copy by a real file with one more line."""
    for dirpath, dirnames, names in os.walk(tree):
        dirnames.sort()
        for name in sorted(names):
            if name.endswith(".c"):
                path = os.path.join(dirpath, name)
                with open(path, "rb") as f:
                    data = f.read()
                os.unlink(path)
                with open(path, "wb") as f:
                    f.write(data + b"\n/* changed */\n")
                return path
    raise SystemExit("no .c file to change")


def _coccinelle(kernel: str, sub: str, jobs: int, files: int) -> dict:
    spatch = shutil.which("spatch")
    cocci = os.path.join(kernel, "scripts", "coccinelle", "free", "devm_free.cocci")
    if spatch is None or not os.path.exists(cocci):
        print("coccinelle: spatch or devm_free.cocci missing (apt-get install coccinelle)")
        return {}
    cmd = [spatch, "-D", "report", "--very-quiet", "--no-includes", "--include-headers"]
    cmd += ["--cocci-file", cocci, "--dir", sub, "--jobs", str(jobs), "--chunksize", "1"]
    r = timed(cmd, cwd=kernel)
    _line(f"coccinelle devm_free.cocci, -j {jobs}", r, files)
    return {"coccinelle": r}


if __name__ == "__main__":
    main()
