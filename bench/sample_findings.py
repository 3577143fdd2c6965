#!/usr/bin/env python3
"""Draw a reproducible random sample of findings for triage by reading the code.

    python3 bench/sample_findings.py RESULT.json [--rule DML001] [-n 30] [--seed 1]
                                     [--shown] [--skip-triaged bench/triage-sample-*.txt]

RESULT.json is `devmlint check --format json` output. Prints one block per
finding: location, function, confidence and message, ready to paste into a
triage sheet (bench/triage-*.md).
"""

from __future__ import annotations

import argparse
import json
import random
import re


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("result")
    ap.add_argument("--rule", default="DML001")
    ap.add_argument("-n", type=int, default=30)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument(
        "--shown", action="store_true", help="only findings shown by default (not low confidence)"
    )
    ap.add_argument(
        "--skip-triaged",
        nargs="*",
        default=[],
        metavar="SAMPLE.txt",
        help="leave out locations listed in earlier samples (bench/triage-sample-*.txt), "
        "so a new round reads only findings nobody has triaged",
    )
    args = ap.parse_args()
    findings = [f for f in json.load(open(args.result))["findings"] if f["rule"] == args.rule]
    if args.shown:
        findings = [f for f in findings if f["confidence"] != "low"]
    findings.sort(key=lambda f: (f["file"], f["line"], f["message"]))
    sample = random.Random(args.seed).sample(findings, min(args.n, len(findings)))
    seen = _triaged(args.skip_triaged)
    sample = [f for f in sample if f"{f['file']}:{f['line']}" not in seen]
    for i, f in enumerate(sample, 1):
        related = "; ".join(f"{r['line']}: {r['message']}" for r in f["related"])
        print(f"{i}. {f['file']}:{f['line']} in {f['function']}() [{f['confidence']}]")
        print(f"   {f['message']}")
        print(f"   related: {related}")


def _triaged(paths: list[str]) -> set[str]:
    """The `file:line` of every finding listed in earlier sample files."""
    seen: set[str] = set()
    for path in paths:
        with open(path) as fh:
            seen.update(m.group(1) for m in re.finditer(r"^\d+\. (\S+:\d+) in ", fh.read(), re.M))
    return seen


if __name__ == "__main__":
    main()
