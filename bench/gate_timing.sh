#!/usr/bin/env bash
# Time `devmlint check --diff-base` for a one-file change on Linux 6.1 drivers/.
#
#   bench/gate_timing.sh [KERNEL_TREE] [WORK_DIR]
#
# Copies KERNEL_TREE/drivers to WORK_DIR (default /var/tmp/gate-linux), makes
# it a git repository with one commit, commits a change to one driver that
# adds a function with a leak (gate_write() of tests/fixtures/gate/after.c),
# and times five runs of `devmlint check --diff-base HEAD~1`.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
tree="${1:-/var/tmp/linux-source-6.1}"
work="${2:-/var/tmp/gate-linux}"
file=drivers/iio/adc/ad7192.c
git_id=(-c user.name=gate -c user.email=gate@localhost)

if [ ! -d "$work/.git" ]; then
    mkdir -p "$work"
    cp -r "$tree/drivers" "$work/"
    git -C "$work" init -q
    git -C "$work" -c core.looseCompression=0 add -A
    git -C "$work" "${git_id[@]}" commit -qm "Linux 6.1 drivers/"
fi
if [ "$(git -C "$work" rev-list --count HEAD)" = 1 ]; then
    { echo; sed -n '/^static int gate_write/,$p' "$here/tests/fixtures/gate/after.c"; } \
        >> "$work/$file"
    git -C "$work" "${git_id[@]}" commit -qam "iio: ad7192: add gate_write()"
fi
echo "files in the tree: $(git -C "$work" ls-files | wc -l)"
cd "$work"
for _ in 1 2 3 4 5; do
    /usr/bin/time -f "%e s wall, %U s user, %S s sys" devmlint check --diff-base HEAD~1 -q \
        > /tmp/gate-timing.out || true
done
cat /tmp/gate-timing.out
