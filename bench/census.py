#!/usr/bin/env python3
"""DML001 precision over every shown finding of a run, from the triage tables.

usage: census.py RUN.json [--md GLOB] [--list]

RUN.json is `devmlint check --format json` over a tree (for the figures in
bench/README.md: `cd $K && devmlint check -j 2 --no-cache --min-confidence
low --format json drivers/`). Each shown DML001 finding (high or medium) is
looked up by file, line and function in the triage tables
(bench/triage-dml001*.md, rows `| # | path:line | function | conf | VERDICT |
reason |`); where several tables judged the same finding, the table that
sorts last wins. Prints the verdict counts and the share of TRUE among the
judged; `--list` also names the findings no table judges yet.
"""

from __future__ import annotations

import argparse
import glob
import json
import os
import re
from collections import Counter

HERE = os.path.dirname(os.path.abspath(__file__))
ROW = re.compile(r"\| (\d+) \| ([^:|]+):(\d+) \| (\S+) \| (\w+) \| (TRUE|FALSE|UNSURE)")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("run")
    ap.add_argument("--md", default=os.path.join(HERE, "triage-dml001*.md"))
    ap.add_argument("--list", action="store_true", help="name the findings not judged yet")
    args = ap.parse_args()
    verdicts: dict[tuple[str, int, str], str] = {}
    for md in sorted(glob.glob(args.md)):
        with open(md, encoding="utf-8") as f:
            for line in f:
                m = ROW.match(line)
                if m:
                    verdicts[(m[2], int(m[3]), m[4])] = m[6]
    with open(args.run, encoding="utf-8") as f:
        findings = json.load(f)["findings"]
    shown = [x for x in findings if x["rule"] == "DML001" and x["confidence"] != "low"]
    keys = [(x["file"], x["line"], x["function"]) for x in shown]
    counts = Counter(verdicts.get(k, "untriaged") for k in keys)
    judged = counts["TRUE"] + counts["FALSE"]
    share = f"{100 * counts['TRUE'] / judged:.1f} %" if judged else "n/a"
    print(f"{len(shown)} shown: {dict(counts)}; TRUE among the judged: {share}")
    if args.list:
        for path, line, function in keys:
            if (path, line, function) not in verdicts:
                print(f"  untriaged {path}:{line} {function}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
