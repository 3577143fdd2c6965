#!/usr/bin/env bash
# DML001 recall on real upstream leak fixes taken back out of Linux 6.1.
#
#   bench/reverted_recall.sh [LABELS.jsonl] [KERNEL_DIR]
#
# Takes the labelled files' fixes back out (reverted_files.sh) and scores
# devmlint on the result with bench/score.py.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
labels=${1:-$here/reverted-labels.jsonl}
kernel=${2:-$("$here/../../shared/corpus/get-kernel.sh")}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
out=$(bash "$here/reverted_files.sh" "$labels" "$kernel" "$work")
python3 "$here/score.py" "$out" "$work/reverted" "${@:3}"
