#!/usr/bin/env python3
"""How much of each function does the tree-sitter frontend lose?

For every function the frontend finds, count in its source text (comments
and strings removed) the allocations, frees, `return`s, `goto`s and labels,
and count the same events in the IR. A function "loses" an event when the
IR has fewer than the text. Also counts allocator calls outside any
recognised function (whole functions lost).

    python3 bench/parse_coverage.py KERNEL/drivers [--raw]

--raw measures against the raw text; the default measures against the text
after preprocessing, i.e. with the branches of #if groups that devmlint
deliberately does not read removed (the figure for those is printed too).
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from collections import Counter

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from analyzer import apis, ir  # noqa: E402
from analyzer.frontend import treesitter  # noqa: E402
from analyzer.frontend.preprocess import prepare  # noqa: E402

_COMMENT = re.compile(rb"/\*.*?\*/|//[^\n]*|\"(?:\\.|[^\"\\\n])*\"|'(?:\\.|[^'\\\n])*'", re.S)


def _strip(text: bytes) -> bytes:
    return _COMMENT.sub(lambda m: re.sub(rb"[^\n]", b" ", m.group(0)), text)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("root")
    ap.add_argument("--raw", action="store_true")
    args = ap.parse_args()
    table = apis.builtin()
    allocs = table.names("allocator") | table.names("reallocator")
    frees = table.names("free")
    call_re = re.compile(
        rb"\b(" + b"|".join(re.escape(n.encode()) for n in sorted(allocs | frees)) + rb")\s*\("
    )
    ret_re = re.compile(rb"\breturn\b")
    goto_re = re.compile(rb"\bgoto\s+\w+\s*;")
    label_re = re.compile(rb"^[ \t]*(?!default\b)([A-Za-z_]\w*)[ \t]*:(?!:)", re.M)
    totals = Counter()
    lost_kinds = Counter()
    for dirpath, dirnames, filenames in os.walk(args.root):
        dirnames.sort()
        for name in sorted(filenames):
            if not name.endswith(".c"):
                continue
            path = os.path.join(dirpath, name)
            raw = open(path, "rb").read()
            text = _strip(raw if args.raw else prepare(raw).text)
            lines = text.split(b"\n")
            unit = treesitter.parse(path, raw)
            covered = set()
            for fn in unit.functions:
                totals["functions"] += 1
                body = b"\n".join(lines[fn.span.line - 1 : fn.span.end_line])
                covered.update(range(fn.span.line, fn.span.end_line + 1))
                want = Counter()
                for m in call_re.finditer(body):
                    want["alloc" if m.group(1).decode() in allocs else "free"] += 1
                want["return"] = len(ret_re.findall(body))
                want["goto"] = len(goto_re.findall(body))
                want["label"] = sum(
                    1 for m in label_re.finditer(body) if m.group(1) not in (b"case",)
                )
                got = Counter()
                for node in fn.nodes:
                    if node.kind is ir.Kind.RETURN and not node.implicit:
                        got["return"] += 1
                    elif node.kind is ir.Kind.GOTO:
                        got["goto"] += 1
                    elif node.kind is ir.Kind.LABEL and node.name not in (None, "case"):
                        got["label"] += 1
                    if node.expr is not None:
                        for e in ir.walk(node.expr):
                            if isinstance(e, ir.Call) and e.func in allocs:
                                got["alloc"] += 1
                            elif isinstance(e, ir.Call) and e.func in frees:
                                got["free"] += 1
                lost = [k for k in want if got[k] < want[k]]
                if lost:
                    totals["lossy"] += 1
                    lost_kinds.update(lost)
                if fn.parse_errors:
                    totals["with_error_node"] += 1
            for i, line in enumerate(lines, 1):
                if i not in covered:
                    totals["calls_outside_functions"] += len(
                        [m for m in call_re.finditer(line) if m.group(1).decode() in allocs]
                    )
    n = totals["functions"] or 1
    print(f"functions: {totals['functions']}")
    print(
        f"functions with an ERROR/MISSING node: {totals['with_error_node']} "
        f"({100 * totals['with_error_node'] / n:.2f} %)"
    )
    print(
        f"functions losing an allocation/free/return/goto/label: {totals['lossy']} "
        f"({100 * totals['lossy'] / n:.2f} %)  by kind: {dict(lost_kinds)}"
    )
    print(f"allocator calls outside any recognised function: {totals['calls_outside_functions']}")


if __name__ == "__main__":
    main()
