#!/usr/bin/env bash
# The summary database a user of the reverted tree would have: built (as
# build_summary_db.sh builds the shipped one) from the whole kernel tree with
# every labelled file reverted, rather than from the fixed 6.1 tree.
#
#   bench/reverted_db.sh [LABELS.jsonl] [KERNEL_DIR] [OUT.json]
#   bench/reverted_recall.sh LABELS.jsonl KERNEL_DIR --summaries OUT.json
#
# The shipped database comes from the fixed tree, where a function the fix
# changed (rsi_coex_attach) leaves nothing behind on failure, so it cannot
# tell that a caller in another file loses what the reverted function leaves.
# About 30 minutes on 2 cores; the tree is hard-linked where it can be.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
labels=${1:-$here/reverted-labels.jsonl}
kernel=${2:-$("$here/../../shared/corpus/get-kernel.sh")}
out=$(realpath -m "${3:-reverted-summaries.json}")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp -al "$kernel" "$work/tree" 2>/dev/null || { rm -rf "$work/tree"; cp -a "$kernel" "$work/tree"; }
bash "$here/reverted_files.sh" "$labels" "$kernel" "$work" >/dev/null
(cd "$work/reverted" && find . -type f -name '*.[ch]' -print0) |
  while IFS= read -r -d '' rel; do
    cp --remove-destination "$work/reverted/$rel" "$work/tree/$rel"  # (not through the link)
  done
bash "$here/build_summary_db.sh" "$work/tree" "$out"
