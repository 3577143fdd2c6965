#!/usr/bin/env bash
# DML001 recall on real upstream leak fixes taken back out of Linux 6.1.
#
#   bench/reverted_recall.sh [LABELS.jsonl] [KERNEL_DIR]
#
# Copies only the labelled files into a scratch tree, runs the corpus'
# make-reverted-tree.py on it (deleting the lines each fix added), and
# scores devmlint on the result with bench/score.py.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
labels=${1:-$here/reverted-labels.jsonl}
kernel=${2:-$("$here/../../shared/corpus/get-kernel.sh")}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 - "$labels" "$kernel" "$work/mini" <<'PY'
import json, os, shutil, sys
labels, kernel, mini = sys.argv[1:4]
for line in open(labels):
    if line.strip():
        rel = json.loads(line)["file"]
        os.makedirs(os.path.join(mini, os.path.dirname(rel)), exist_ok=True)
        shutil.copy2(os.path.join(kernel, rel), os.path.join(mini, rel))
PY
out=$(python3 "$here/../../shared/corpus/make-reverted-tree.py" "$labels" "$work/mini" "$work/reverted")
python3 "$here/score.py" "$out" "$work/reverted" "${@:3}"
