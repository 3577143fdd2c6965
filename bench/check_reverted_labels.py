#!/usr/bin/env python3
"""Sanity-check a reverted-label file (see /work/shared/corpus/README.md).

usage: check_reverted_labels.py [LABELS.jsonl] [KERNEL_DIR] [-q]

For every row:
  * the file exists and its sha256 matches;
  * the `delete` lines exist, are not blank-only unless neighbours are too,
    and are printed (they are what the upstream fix added);
  * the function name occurs near the allocation;
  * after removing this row's `delete` lines, `alloc_line` mentions `var`
    (or the statement spanning it does) and every line in `lines` is a
    return / goto / break or a closing brace of the function;
  * braces of the function stay balanced after the deletion;
  * delete sets of rows on the same file do not overlap.
Context around alloc_line and each of `lines` is printed (numbered as in
the singly-reverted file) so the labels can be eyeballed.  Exit status is
non-zero if any hard check fails.
"""

import hashlib
import json
import re
import sys

REQUIRED = [
    "id",
    "file",
    "function",
    "rule",
    "kind",
    "expect",
    "origin",
    "source",
    "note",
    "delete",
    "lines",
    "alloc_line",
    "var",
    "sha256",
    "confidence",
]
EXIT_RE = re.compile(r"^\s*(return\b|goto\s+\w+\s*;|break\s*;|\})")


def reverted(lines, delete):
    dele = set(delete)
    return [line_ for i, line_ in enumerate(lines, 1) if i not in dele]


def func_span(lines, name, anchor):
    """Best-effort [start, end] (1-based) of the function `name` containing anchor."""
    start = None
    pat = re.compile(rf"\b{re.escape(name)}\s*\(")
    for i in range(anchor - 1, -1, -1):
        line_ = lines[i]
        if (
            pat.search(line_)
            and not line_.rstrip().endswith(";")
            and not line_.startswith((" ", "\t"))
        ):
            start = i + 1
            break
    if start is None:
        return None
    depth, seen = 0, False
    for j in range(start - 1, len(lines)):
        code = re.sub(r'"(\\.|[^"\\])*"|\'(\\.|[^\'\\])*\'', '""', lines[j])
        code = re.sub(r"//.*", "", code)
        for ch in code:
            if ch == "{":
                depth += 1
                seen = True
            elif ch == "}":
                depth -= 1
        if seen and depth == 0:
            return start, j + 1
    return start, len(lines)


def show(lines, n, radius, mark):
    lo, hi = max(1, n - radius), min(len(lines), n + radius)
    for k in range(lo, hi + 1):
        print(f"   {'>>' if k in mark else '  '} {k:6d}: {lines[k - 1]}")


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("-")]
    quiet = "-q" in sys.argv
    labels = args[0] if args else "/work/main/bench/reverted-labels.jsonl"
    kdir = args[1] if len(args) > 1 else "/var/tmp/linux-source-6.1"
    rows = [json.loads(line_) for line_ in open(labels) if line_.strip()]
    errors = 0
    ids = set()
    per_file = {}

    def err(row, msg):
        nonlocal errors
        errors += 1
        print(f"ERROR {row.get('id')}: {msg}")

    for row in rows:
        rid = row.get("id")
        print("=" * 78)
        print(f"{rid}  {row.get('file')}  {row.get('function')}  [{row.get('confidence')}]")
        print(f"   source: {row.get('source')}")
        for k in REQUIRED:
            if k not in row:
                err(row, f"missing field {k}")
        if rid in ids:
            err(row, "duplicate id")
        ids.add(rid)
        if (
            row.get("rule") != "DML001"
            or row.get("kind") != "leak-error-path"
            or row.get("expect") != "report"
            or row.get("origin") != "fix-reverted"
        ):
            err(row, "rule/kind/expect/origin not as required")
        if row.get("confidence") not in ("high", "medium"):
            err(row, "confidence must be high or medium")
        path = f"{kdir}/{row['file']}"
        try:
            data = open(path, "rb").read()
        except OSError as e:
            err(row, f"cannot read {path}: {e}")
            continue
        if hashlib.sha256(data).hexdigest() != row["sha256"]:
            err(row, "sha256 mismatch")
        orig = data.decode("utf-8", "replace").split("\n")
        dele = sorted(row["delete"])
        if not dele or dele != sorted(set(dele)):
            err(row, "delete must be a non-empty set of line numbers")
        for d in dele:
            if not 1 <= d <= len(orig):
                err(row, f"delete line {d} out of range")
        prev = per_file.setdefault(row["file"], set())
        if prev & set(dele):
            err(
                row,
                f"delete lines overlap another row on the same file: {sorted(prev & set(dele))}",
            )
        prev.update(dele)
        print("   deleted (6.1 numbering):")
        for d in dele:
            print(f"      -{d:6d}: {orig[d - 1]}")
        if all(not orig[d - 1].strip() for d in dele):
            err(row, "only blank lines deleted")
        new = reverted(orig, dele)

        alloc = row["alloc_line"]
        var = row["var"]
        if not 1 <= alloc <= len(new):
            err(row, "alloc_line out of range")
            continue
        stmt = " ".join(new[alloc - 1 : alloc + 2])
        base = re.split(r"[\[\-.>]", var)[0]
        if var not in stmt and base not in stmt:
            err(row, f"alloc_line {alloc} does not mention {var!r}")
        span = func_span(new, row["function"], alloc)
        if span is None:
            err(row, f"function {row['function']} not found above alloc_line")
        else:
            fs, fe = span
            print(f"   function span (reverted numbering): {fs}-{fe}")
            if not fs <= alloc <= fe:
                err(row, "alloc_line outside function")
            for n in row["lines"]:
                if not fs <= n <= fe:
                    err(row, f"line {n} outside function {fs}-{fe}")
        # brace balance of the function after deletion
        if span:
            body = "\n".join(new[fs - 1 : fe])
            body = re.sub(r'"(\\.|[^"\\])*"|\'(\\.|[^\'\\])*\'', '""', body)
            body = re.sub(r"//[^\n]*|/\*.*?\*/", "", body, flags=re.S)
            if body.count("{") != body.count("}"):
                err(row, "unbalanced braces in reverted function")
        for n in row["lines"]:
            if not 1 <= n <= len(new):
                err(row, f"line {n} out of range")
                continue
            if not EXIT_RE.match(new[n - 1]):
                err(
                    row,
                    f"line {n} is not a return/goto/break/closing brace: {new[n - 1].strip()!r}",
                )
        if not quiet:
            print(f"   alloc_line {alloc} (var {var}):")
            show(new, alloc, 2, {alloc})
            # where the deleted lines used to be
            spots = sorted({d - sum(1 for x in dele if x < d) for d in dele})
            print("   around the removed lines:")
            for s in spots:
                show(new, s, 2, set())
                print("      ...")
            print("   exits:")
            for n in row["lines"]:
                show(new, n, 1, {n})
                print("      ...")
    print("=" * 78)
    by = {}
    for r in rows:
        by[r.get("confidence")] = by.get(r.get("confidence"), 0) + 1
    print(f"{len(rows)} rows, confidence: {by}, errors: {errors}")
    sys.exit(1 if errors else 0)


if __name__ == "__main__":
    main()
