#!/usr/bin/env python3
"""The floor: tree-sitter-c parsing every .c/.h file under a directory, one core.

    python3 bench/bare_parse.py KERNEL/drivers

Prints files, seconds and files/s, to compare `devmlint check` against in
the same session (report the ratio, not the absolute time).
"""

from __future__ import annotations

import os
import sys
import time

import tree_sitter_c
from tree_sitter import Language, Parser


def main() -> None:
    parser = Parser(Language(tree_sitter_c.language()))
    start = time.monotonic()
    files = 0
    for dirpath, dirnames, filenames in os.walk(sys.argv[1]):
        dirnames.sort()
        for name in filenames:
            if name.endswith((".c", ".h")):
                with open(os.path.join(dirpath, name), "rb") as f:
                    parser.parse(f.read())
                files += 1
    seconds = time.monotonic() - start
    print(f"{files} files in {seconds:.1f} s ({files / seconds:.0f} files/s)")


if __name__ == "__main__":
    main()
