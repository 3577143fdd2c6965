#!/usr/bin/env python3
"""Precise (libclang) vs default (tree-sitter) mode on random drivers/ files.

    python3 bench/clang_compare.py KERNEL_SRC BUILD_DIR [-n 300] [--seed 8] [--out FILE.json]

BUILD_DIR is a configured and prepared tree (`make O=BUILD_DIR allmodconfig
prepare`).  For each sampled file: the kzalloc()/kfree() call sites each
mode sees (tree-sitter reads every one in the text; clang only those in
functions it compiled), the time per file in each mode, and the findings
that differ.  One process, one file at a time: times are per file.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from analyzer import ir  # noqa: E402
from analyzer.checker import Options, check_file  # noqa: E402
from analyzer.frontend import select  # noqa: E402
from analyzer.frontend.flags import FlagSource, FrontendChoice, kernel_tree  # noqa: E402
from analyzer.plugins import discover  # noqa: E402

WATCHED = ("kzalloc", "kfree")


def sample(src: str, n: int, seed: int) -> list[str]:
    files = []
    for dirpath, dirnames, filenames in os.walk(os.path.join(src, "drivers")):
        dirnames.sort()
        files.extend(os.path.join(dirpath, f) for f in sorted(filenames) if f.endswith(".c"))
    return random.Random(seed).sample(files, n)


def watched_calls(unit: ir.Unit, frontend: str | None) -> set[tuple[str, int, int]]:
    out = set()
    for fn in unit.functions:
        if fn.header is not None or (frontend is not None and fn.frontend != frontend):
            continue
        for node in fn.nodes:
            if node.expr is None:
                continue
            for e in ir.walk(node.expr):
                if isinstance(e, ir.Call) and e.func in WATCHED:
                    out.add((e.func, e.span.line, e.span.col))
    return out


def pct(xs: list[float], p: float) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(p / 100 * (len(xs) - 1))))]


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("src")
    ap.add_argument("build")
    ap.add_argument("-n", type=int, default=300)
    ap.add_argument("--seed", type=int, default=8)
    ap.add_argument("--out", default="/tmp/clang_compare.json")
    args = ap.parse_args()
    tree = kernel_tree(args.build)
    precise = FrontendChoice("clang", FlagSource(kernel=tree), "clang")
    rules = list(discover()[0].values())
    rows = []
    captured: list = []
    real_parse = select.parse

    def capture(*a, **kw):  # keep the unit check_file builds: parse each file once per mode
        parsed = real_parse(*a, **kw)
        captured.append(parsed)
        return parsed

    select.parse = capture
    for i, path in enumerate(sample(args.src, args.n, args.seed)):
        rel = os.path.relpath(path, args.src)
        captured.clear()
        c0, t0 = time.process_time(), time.perf_counter()
        ts_res = check_file(path, Options(rules))
        c1, t1 = time.process_time(), time.perf_counter()
        cl_res = check_file(path, Options(rules, frontend=precise))
        c2, t2 = time.process_time(), time.perf_counter()
        if len(captured) != 2:
            print(f"{i + 1:3} {rel}: not parsed ({ts_res.error or cl_res.error})", flush=True)
            continue
        ts_unit, parsed = captured[0].unit, captured[1]
        own = [fn for fn in parsed.unit.functions if fn.header is None]
        seen_ts = watched_calls(ts_unit, None)
        seen_cl = {(f, line) for f, line, _ in watched_calls(parsed.unit, "clang")}
        seen_ts_lines = {(f, line) for f, line, _ in seen_ts}

        def key(f):
            return (f.rule, f.function, f.line, f.confidence, f.message)

        ts_f = {key(f) for f in ts_res.findings}
        cl_f = {key(f) for f in cl_res.findings}
        rows.append(
            {
                "file": rel,
                "ts_seconds": t1 - t0,
                "clang_seconds": t2 - t1,
                "ts_cpu": c1 - c0,
                "clang_cpu": c2 - c1,
                "file_fallback": parsed.file_note,
                "functions": len(own),
                "clang_functions": sum(fn.frontend == "clang" for fn in own),
                "header_helpers": len(parsed.unit.functions) - len(own),
                "watched_ts": len(seen_ts_lines),
                "watched_clang": len(seen_cl & seen_ts_lines),
                "watched_clang_only": len(seen_cl - seen_ts_lines),
                "findings_ts": len(ts_f),
                "findings_clang": len(cl_f),
                "only_ts": sorted(ts_f - cl_f),
                "only_clang": sorted(cl_f - ts_f),
                "frontends": cl_res.frontends,
            }
        )
        print(
            f"{i + 1:3} {rel}: {t2 - t1:.2f}s clang, {len(seen_cl)}/{len(seen_ts_lines)} calls"
            f"{'  [' + parsed.file_note[:60] + ']' if parsed.file_note else ''}",
            flush=True,
        )
    with open(args.out, "w") as f:
        json.dump(rows, f, indent=1)
    report(rows)
    return 0


def report(rows: list[dict]) -> None:
    n = len(rows)
    whole = sum(1 for r in rows if r["file_fallback"])
    watched = sum(r["watched_ts"] for r in rows)
    seen = sum(r["watched_clang"] for r in rows)
    fns = sum(r["functions"] for r in rows)
    cfns = sum(r["clang_functions"] for r in rows)
    cl = [r["clang_seconds"] for r in rows]
    ts = [r["ts_seconds"] for r in rows]
    clc = [r["clang_cpu"] for r in rows]
    tsc = [r["ts_cpu"] for r in rows]
    print(f"files: {n}; parsed by clang: {n - whole}; whole file to tree-sitter: {whole}")
    print(f"functions read by clang: {cfns}/{fns} = {100 * cfns / max(fns, 1):.1f} %")
    print(
        f"kzalloc/kfree call sites clang sees: {seen}/{watched} "
        f"= {100 * seen / max(watched, 1):.1f} %"
    )
    print(f"clang-only call sites (behind macros): {sum(r['watched_clang_only'] for r in rows)}")
    helpers = sum(r.get("header_helpers", 0) for r in rows)
    print(f"header inline helpers summarised: {helpers}")
    print(
        f"seconds per file, clang mode: median {statistics.median(cl):.3f}, p95 {pct(cl, 95):.3f}; "
        f"tree-sitter mode: median {statistics.median(ts):.3f}, p95 {pct(ts, 95):.3f}"
    )
    print(
        f"CPU seconds per file, clang mode: median {statistics.median(clc):.3f}, "
        f"p95 {pct(clc, 95):.3f}; tree-sitter mode: median {statistics.median(tsc):.3f}, "
        f"p95 {pct(tsc, 95):.3f}"
    )
    print(
        f"findings (all confidences): {sum(r.get('findings_ts', 0) for r in rows)} tree-sitter, "
        f"{sum(r.get('findings_clang', 0) for r in rows)} clang mode"
    )
    diff = [r for r in rows if r["only_ts"] or r["only_clang"]]
    print(f"files whose findings differ: {len(diff)}")
    for r in diff:
        for k in r["only_ts"]:
            print(f"  only tree-sitter  {r['file']}:{k[2]} {k[1]} [{k[3]}] {k[4][:110]}")
        for k in r["only_clang"]:
            print(f"  only clang        {r['file']}:{k[2]} {k[1]} [{k[3]}] {k[4][:110]}")


if __name__ == "__main__":
    sys.exit(main())
