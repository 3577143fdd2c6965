"""Does the CI gate catch real leaks when a patch brings them in?

Each label of `make-reverted-tree.py`'s output is a real upstream leak fix
taken back out. The diff from the fixed file (Linux 6.1) to the reverted
one is a patch that *introduces* that leak. This applies each such patch
with `--patch` semantics (in memory, to the pristine tree) and counts:

- found by the gate: a new finding on one of the label's lines;
- found by a full check of the reverted file (the most the gate can see);
- other new findings the gate reports for the patch (noise it adds).

    python bench/gate_reverted.py [PRISTINE_TREE] [REVERTED_TREE] [LABELS]

Defaults: /var/tmp/linux-source-6.1, /var/tmp/linux-reverted,
/var/tmp/linux-reverted.labels.jsonl. One core, about a minute.
"""

from __future__ import annotations

import difflib
import json
import sys
import time

from analyzer import gate
from analyzer.checker import Options, check_source
from analyzer.plugins import discover


def _hit(finding, label) -> bool:
    lines = set(label["lines"])
    return finding.rule == label["rule"] and (
        finding.line in lines or any(r.line in lines for r in finding.related)
    )


def main() -> None:
    pristine = sys.argv[1] if len(sys.argv) > 1 else "/var/tmp/linux-source-6.1"
    reverted = sys.argv[2] if len(sys.argv) > 2 else "/var/tmp/linux-reverted"
    labels_path = sys.argv[3] if len(sys.argv) > 3 else "/var/tmp/linux-reverted.labels.jsonl"
    with open(labels_path, encoding="utf-8") as f:
        labels = [json.loads(line) for line in f if line.strip()]
    options = Options(list(discover()[0].values()))
    by_file: dict[str, list[dict]] = {}
    for label in labels:
        if label.get("expect") == "report":
            by_file.setdefault(label["file"], []).append(label)
    gate_found = full_found = noise = total = 0
    start = time.monotonic()
    for path, file_labels in sorted(by_file.items()):
        with open(f"{pristine}/{path}", encoding="utf-8", errors="surrogateescape") as f:
            fixed = f.read()
        with open(f"{reverted}/{path}", encoding="utf-8", errors="surrogateescape") as f:
            leaky = f.read()
        patch = "".join(
            difflib.unified_diff(
                fixed.splitlines(True), leaky.splitlines(True), f"a/{path}", f"b/{path}"
            )
        )
        changes = gate.from_patch(patch, cwd=pristine)
        new = gate.run(changes, options).findings
        full = check_source(path, leaky.encode("utf-8", "surrogateescape"), options).findings
        for label in file_labels:
            total += 1
            g = any(_hit(f, label) for f in new)
            a = any(_hit(f, label) for f in full)
            gate_found += g
            full_found += a
            shown = ("yes" if g else "no", "yes" if a else "no")
            print(f"{label['id']:<32} gate={shown[0]:<3} full-check={shown[1]}")
        for f in new:
            if not any(_hit(f, lb) for lb in file_labels):
                noise += 1
                print(f"  other new finding: {f.file}:{f.line}: {f.message[:110]}")
    print(
        f"\n{total} reverted fixes: the gate reports {gate_found}, a full check of the "
        f"reverted files {full_found}; {noise} other new findings; "
        f"{time.monotonic() - start:.1f} s"
    )


if __name__ == "__main__":
    main()
