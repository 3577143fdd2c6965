#!/usr/bin/env python3
"""Score devmlint on labelled real bugs (../shared/corpus/README.md, "A simple scorer").

    python3 bench/score.py LABELS.jsonl TREE_ROOT [--rule DML001] [-v]
                           [--frontend clang --kernel-tree BUILD_DIR]

`report` rows: found when a finding of the row's rule has its primary line
or a related line among the row's `lines`. `silent` rows: a finding of the
rule whose primary line is among `lines` is a false positive. Prints one
line per row and the totals. A hit whose findings name none of the row's
`var` (by its last identifier) is shown as `found-other`.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
from collections import Counter

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from analyzer.checker import Options, check_file  # noqa: E402
from analyzer.findings import CONFIDENCES  # noqa: E402
from analyzer.frontend.flags import resolve  # noqa: E402
from analyzer.plugins import discover  # noqa: E402


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("labels")
    ap.add_argument("tree")
    ap.add_argument("--rule", help="only rows of this rule")
    ap.add_argument("-v", "--verbose", action="store_true", help="print the findings of misses")
    ap.add_argument(
        "--min-confidence",
        choices=CONFIDENCES,
        default="medium",
        help="count only findings the output would show at this level (default: medium)",
    )
    ap.add_argument("--frontend", choices=("auto", "treesitter", "clang"), default="treesitter")
    ap.add_argument("--kernel-tree", help="prepared kernel tree (O= dir) for --frontend clang")
    ap.add_argument("--compile-commands", help="compile_commands.json for --frontend clang")
    ap.add_argument("--summaries", help="summary database (default: the built-in one)")
    args = ap.parse_args()
    rows = [json.loads(line) for line in open(args.labels) if line.strip()]
    if args.rule:
        rows = [r for r in rows if r["rule"] == args.rule]
    rules, _ = discover()
    choice = resolve(args.frontend, args.compile_commands, args.kernel_tree, [args.tree])
    options = Options(list(rules.values()), frontend=choice, summaries=args.summaries)
    cache: dict[str, list] = {}
    totals: Counter = Counter()
    for row in rows:
        path = os.path.join(args.tree, row["file"])
        if path not in cache:
            result = check_file(path, options)
            if result.error:
                print(f"  error on {row['file']}: {result.error}")
            cache[path] = result.findings
        floor = CONFIDENCES.index(args.min_confidence)
        findings = [
            f
            for f in cache[path]
            if f.rule == row["rule"] and CONFIDENCES.index(f.confidence) >= floor
        ]
        lines = set(row["lines"])
        if row["expect"] == "report":
            hit = [
                f for f in findings if f.line in lines or any(r.line in lines for r in f.related)
            ]
            ok = bool(hit)
            totals["report"] += 1
            totals["found"] += ok
            verdict = "found" if ok else "MISSED"
            # (a hit on the row's lines about some other block: still counted,
            # as the corpus scorer does, but named apart)
            leaf = re.findall(r"[A-Za-z_]\w*", re.sub(r"\[[^\]]*\]", "", row.get("var") or ""))[-1:]
            named = re.compile(rf"(?<!\w){leaf[0]}(\[\])?`") if leaf else None
            if ok and named and not any(named.search(f.message) for f in hit):
                verdict = "found-other"
                totals["other"] += 1
        else:
            bad = [f for f in findings if f.line in lines]
            ok = not bad
            totals["silent"] += 1
            totals["quiet"] += ok
            verdict = "silent" if ok else "FALSE POSITIVE"
        conf = row.get("confidence", "")
        print(f"{verdict:15} {row['id']:40} {row['rule']} {conf:6} {row['file']}:{row['function']}")
        if args.verbose and not ok:
            near = [f for f in findings if f.function == row["function"]]
            for f in near:
                print(f"      {f.line}: {f.message}")
    if totals["report"]:
        print(
            f"recall: {totals['found']}/{totals['report']} "
            f"= {100 * totals['found'] / totals['report']:.0f} %"
            + (f" ({totals['other']} by a finding about another block)" if totals["other"] else "")
        )
    if totals["silent"]:
        print(f"silent rows kept silent: {totals['quiet']}/{totals['silent']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
