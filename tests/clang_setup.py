"""Flags for running the precise frontend on the fixtures: the stub kernel headers."""

from __future__ import annotations

import os
import re

from analyzer.frontend.flags import FlagSource, FrontendChoice

STUBS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "stubs", "include")
STUB_ARGS = ("-nostdinc", f"-I{STUBS}", "-std=gnu11", "-D__KERNEL__", '-DKBUILD_MODNAME="t"')


_CONFIG = re.compile(r"^\s*#\s*(?:if|ifdef|elif)\b.*", re.M)
_SYMBOL = re.compile(r"\bCONFIG_\w+")


def clang_choice(*extra: str) -> FrontendChoice:
    return FrontendChoice("clang", FlagSource(args=STUB_ARGS + extra), "clang")


def allyes(path: str) -> tuple[str, ...]:
    """-D for every CONFIG_ symbol the file tests: the configuration tree-sitter reads.

    tree-sitter keeps the first branch of each #if group, as if every option
    were on; defining them all gives clang the same code to compare against.
    """
    with open(path, encoding="utf-8", errors="replace") as f:
        text = f.read()
    symbols = {s for line in _CONFIG.findall(text) for s in _SYMBOL.findall(line)}
    return tuple(f"-D{s}=1" for s in sorted(symbols))
