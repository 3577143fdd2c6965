#!/usr/bin/env python3
"""Re-score DML001 against every finding triaged so far.

usage: triage_rescore.py [KERNEL_DIR] [--summaries DB|none] [--md GLOB]

The triage tables (bench/triage-dml001*.md) hold findings of earlier
versions, each read by hand and judged TRUE or FALSE. This runs the current
DML001 on the files they are in and counts, per verdict, how many are
still reported (shown at the default confidence, or only at `low`) and how
many are gone. A change that removes FALSE rows and keeps TRUE ones helps
precision without costing real leaks; one that removes both in the same
proportion only makes the output shorter.

A row counts as still reported when a finding of the same function leaves
at the same line. The sample is of earlier findings, so it measures what a
change removes, not the precision of what is new.
"""

from __future__ import annotations

import argparse
import glob
import os
import re
import sys
from collections import Counter

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))

from analyzer.checker import Options, check_file  # noqa: E402
from rules.dml001 import LeakOnErrorPath  # noqa: E402

ROW = re.compile(r"\| (\d+) \| ([^:|]+):(\d+) \| (\S+) \| (\w+) \| (TRUE|FALSE|UNSURE)")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("kernel", nargs="?", default="/var/tmp/linux-source-6.1")
    ap.add_argument("--summaries", default=None, help="summary database (default: built-in)")
    ap.add_argument("--md", default=os.path.join(HERE, "triage-dml001*.md"))
    ap.add_argument("-v", "--verbose", action="store_true", help="one line per row")
    args = ap.parse_args()
    rows = []
    for md in sorted(glob.glob(args.md)):
        for line in open(md, encoding="utf-8"):
            m = ROW.match(line)
            if m:
                rows.append((m[2], int(m[3]), m[4], m[6]))
    options = Options([LeakOnErrorPath], summaries=args.summaries)
    cache: dict[str, list] = {}
    counts: Counter = Counter()
    for path, line, function, verdict in rows:
        if path not in cache:
            cache[path] = check_file(os.path.join(args.kernel, path), options).findings
        hits = [f for f in cache[path] if f.function == function and f.line == line]
        state = "gone"
        if hits:
            state = "low" if all(f.confidence == "low" for f in hits) else "shown"
        counts[(verdict, state)] += 1
        if args.verbose:
            print(f"{verdict:6} {state:6} {path}:{line} {function}")
    print(f"{len(rows)} triaged rows ({args.md})")
    for verdict in ("TRUE", "FALSE", "UNSURE"):
        got = {s: counts[(verdict, s)] for s in ("shown", "low", "gone")}
        if any(got.values()):
            print(f"  {verdict:6} shown {got['shown']:3}  low {got['low']:3}  gone {got['gone']:3}")
    shown_true, shown_false = counts[("TRUE", "shown")], counts[("FALSE", "shown")]
    if shown_true + shown_false:
        share = 100 * shown_true / (shown_true + shown_false)
        print(f"  TRUE share of the rows still shown: {share:.0f}%")
    return 0


if __name__ == "__main__":
    sys.exit(main())
