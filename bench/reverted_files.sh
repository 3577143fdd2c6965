#!/usr/bin/env bash
# The labelled files of a reverted-label set, with each fix taken back out:
# copies only those files of the kernel tree into WORK/mini, runs the
# corpus' make-reverted-tree.py on them into WORK/reverted (deleting the
# lines each fix added) with the tree's MAINTAINERS and Kconfig, and prints
# the labels file it writes for that tree.
# Shared by reverted_recall.sh and reverted_db.sh.
#
#   bench/reverted_files.sh LABELS.jsonl KERNEL_DIR WORK_DIR
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
labels=$1 kernel=$2 work=$3
python3 - "$labels" "$kernel" "$work/mini" <<'PY'
import json, os, shutil, sys
labels, kernel, mini = sys.argv[1:4]
for line in open(labels):
    if line.strip():
        rel = json.loads(line)["file"]
        os.makedirs(os.path.join(mini, os.path.dirname(rel)), exist_ok=True)
        shutil.copy2(os.path.join(kernel, rel), os.path.join(mini, rel))
PY
python3 "$here/../../shared/corpus/make-reverted-tree.py" "$labels" "$work/mini" "$work/reverted"
# (the tree's root files, so that the reverted files are checked as files of a
# kernel tree: see analyzer/members.py, `_tree_path`)
cp "$kernel/MAINTAINERS" "$kernel/Kconfig" "$work/reverted/"
