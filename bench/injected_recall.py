#!/usr/bin/env python3
"""DML001 recall on leaks injected into real drivers: delete one error-path free.

    python3 bench/injected_recall.py KERNEL_DIR [--subdir drivers] [-n 200]
                                     [--seed 1] [--min-confidence medium] [-v]

The reverted labels are the real bugs the project has read, and each was
studied when it was missed: recall on them says little about the next bug.
This takes real driver code the tool has never been tuned to and makes a
leak in it the way the real ones look: in a function that allocates a block
with a kmalloc-family allocator (`x = kzalloc(..)`, `priv->buf = kstrdup(..)`)
and frees it on an error path, one such free is replaced by an empty
statement (`;`, so numbering holds and an `if` keeps its body). The free is
on an error path when it is followed in its block by an error return or a
`goto`, or when it sits under a label
(`err_free:`) below the allocation. A function where the unmodified file
already has a finding about the block is left out, and so is a block freed
twice in the function under the same name on the same path (the deleted free
would not be missed); each function gives at most one case.

A case is found when the modified file has a DML001 finding, at the level
asked, in that function whose allocation (related) line is one of the
block's allocations. Misses are printed with `-v`, for reading: not every
injected case is a real leak (the block may be NULL on every path through
the free, or freed again below under another name), so a miss is a question,
not a verdict.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from analyzer.checker import Options, check_source  # noqa: E402
from analyzer.findings import CONFIDENCES  # noqa: E402
from analyzer.frontend import treesitter  # noqa: E402
from analyzer.frontend.flags import resolve  # noqa: E402
from analyzer.plugins import discover  # noqa: E402

# A fixed list, not rules/apis.toml's allocators: a sample drawn from the table
# would change whenever the table grows, and seeds would stop being comparable.
ALLOCATORS = (
    "kmalloc kzalloc kcalloc kmalloc_array kzalloc_node kmalloc_node kmemdup kstrdup "
    "kstrndup kasprintf kvmalloc kvzalloc kvcalloc kvmalloc_array vmalloc vzalloc vmalloc_user"
).split()
FREES = ("kfree", "kvfree", "vfree", "kfree_sensitive")
_FREE = re.compile(r"^\s*(?:" + "|".join(FREES) + r")\(\s*([A-Za-z_][\w>.\-]*)\s*\);\s*$")
_LABEL = re.compile(r"^[A-Za-z_]\w*:\s*$")
_ERROR_EXIT = re.compile(
    r"^\s*(?:return\s+(?:-E\w+|-\d+|NULL|ERR_PTR\(.*\)|\w+)\s*;|goto\s+\w+\s*;)"
)


def _alloc_lines(lines: list[str], lo: int, hi: int, var: str) -> list[int]:
    """1-based lines in [lo, hi] that assign `var` a kmalloc-family allocation."""
    calls = "|".join(ALLOCATORS)
    cast = r"(?:\([^)]*\)\s*)?"
    pat = re.compile(r"(?<![\w>.])" + re.escape(var) + r"\s*=\s*" + cast + "(?:" + calls + r")\(")
    return [i for i in range(lo, hi + 1) if pat.search(lines[i - 1])]


def _on_error_path(lines: list[str], at: int, first_alloc: int) -> bool:
    """Is line `at` (1-based) a free on an error path? (see the module doc)"""
    for i in range(at + 1, min(at + 4, len(lines)) + 1):
        text = lines[i - 1]
        if _ERROR_EXIT.match(text) and not re.match(r"^\s*return\s+0\s*;", text):
            return True
        if text.strip() == "}" or _LABEL.match(text):
            break
    for i in range(at - 1, first_alloc, -1):
        text = lines[i - 1]
        if _LABEL.match(text):
            return True
        if re.match(r"^\s*return\b", text):
            return False
    return False


def cases(path: str, source: bytes) -> list[tuple[str, int, str, list[int]]]:
    """(function, free line, freed expression, allocation lines) per function."""
    text = source.decode("utf-8", "replace")
    lines = text.split("\n")
    unit = treesitter.parse(path, source)
    out = []
    for fn in unit.functions:
        lo, hi = fn.span.line, fn.span.end_line
        found = []
        for at in range(lo, hi + 1):
            m = _FREE.match(lines[at - 1])
            if not m:
                continue
            var = m.group(1)
            allocs = [a for a in _alloc_lines(lines, lo, hi, var) if a < at]
            if not allocs or not _on_error_path(lines, at, allocs[0]):
                continue
            found.append((fn.name, at, var, allocs))
        if found:
            out.append(found[len(found) // 2])
    return out


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("kernel")
    ap.add_argument("--subdir", default="drivers")
    ap.add_argument("-n", type=int, default=200, help="cases to draw")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--min-confidence", choices=CONFIDENCES, default="medium")
    ap.add_argument("-v", "--verbose", action="store_true")
    args = ap.parse_args()
    files = []
    for root, _, names in os.walk(os.path.join(args.kernel, args.subdir)):
        files += [os.path.join(root, n) for n in names if n.endswith(".c")]
    files.sort()
    random.Random(args.seed).shuffle(files)
    rules, _ = discover()
    frontend = resolve("treesitter", None, None, [args.kernel])
    options = Options(list(rules.values()), frontend=frontend)
    floor = CONFIDENCES.index(args.min_confidence)
    drawn = found = low = skipped = 0
    for path in files:
        if drawn >= args.n:
            break
        source = open(path, "rb").read()
        try:
            candidates = cases(path, source)
        except Exception:  # (a file the frontend rejects: not a case)
            continue
        if not candidates:
            continue
        before = check_source(path, source, options).findings
        fn, at, var, allocs = random.Random(f"{args.seed}:{path}").choice(candidates)
        if any(f.function == fn and any(r.line in allocs for r in f.related) for f in before):
            skipped += 1
            continue
        lines = source.split(b"\n")
        # (an empty statement, not an empty line: `if (IS_ERR(clk)) kfree(p);`
        # must keep its body)
        lines[at - 1] = re.sub(rb"\S.*", b";", lines[at - 1])
        after = check_source(path, b"\n".join(lines), options).findings
        hits = [
            f
            for f in after
            if f.rule == "DML001" and f.function == fn and any(r.line in allocs for r in f.related)
        ]
        shown = [f for f in hits if CONFIDENCES.index(f.confidence) >= floor]
        drawn += 1
        found += bool(shown)
        low += bool(hits) and not shown
        rel = os.path.relpath(path, args.kernel)
        verdict = "found" if shown else "low" if hits else "MISSED"
        print(f"{verdict:7} {rel}:{at} {fn} {var} (alloc {','.join(map(str, allocs))})")
        if args.verbose and not shown:
            for f in hits:
                print(f"        {f.line}: {f.confidence}: {f.message}")
    print(
        f"injected recall: {found}/{drawn} = {100 * found / max(drawn, 1):.0f} % "
        f"({low} more at lower confidence; {skipped} cases already reported before deletion)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
