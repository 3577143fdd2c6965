#!/usr/bin/env bash
# Rebuild the built-in summary database (rules/summaries-linux-6.1.json).
#
#   bench/build_summary_db.sh KERNEL_DIR [OUT.json] [-j N]
#
# One pass of the engine over the parts of the tree that drivers call into,
# and the headers whose `static inline` helpers every driver sees; then one
# more that records only which failure leftovers callers in other files lose. A name
# defined in several places keeps only the effects all definitions agree on
# (analyzer/summarydb.build). About 30 minutes on 2 cores (the second round, which
# also asks what callers would lose if a function left memory behind, is the longer).
set -euo pipefail
kernel=${1:?usage: build_summary_db.sh KERNEL_DIR [OUT.json] [-j N]}
out=$(realpath -m "${2:-rules/summaries-linux-6.1.json}")
shift $(( $# >= 2 ? 2 : 1 ))
cd "$kernel"
exec devmlint summarize block certs crypto drivers fs init io_uring ipc kernel lib mm net \
  security sound virt arch/x86 arch/arm64 include \
  -o "$out" --passes 1 --leftovers "$@"
