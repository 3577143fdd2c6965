"""Macros a driver's kbuild Makefile defines for every build of its files.

The default frontend reads a file without a build, so it cannot know the
configuration; but some drivers define macros unconditionally in their
Makefile (`ccflags-y += -DJACKSON_NEW_RX`), and their code is written
around them (`#ifndef JACKSON_NEW_RX` ... dead code ... `#else`).  Those
flags are part of every build, whatever the configuration, so the
preprocessor step (`preprocess.prepare`) takes them as defined.

Read: `Makefile` and `Kbuild` of the file's directory (`ccflags-y`,
`EXTRA_CFLAGS`, `CFLAGS_<file>.o`, `subdir-ccflags-y`) and of each parent
directory up to the first one without either (`subdir-ccflags-y`, which
kbuild hands down).  Flags under a configuration option
(`ccflags-$(CONFIG_FOO_DEBUG)`) depend on the configuration and are left
out; so are lines inside Makefile conditionals (`ifeq`, `ifdef`).
"""

from __future__ import annotations

import os
import re
from functools import cache

_MAKEFILES = ("Makefile", "Kbuild")
_ASSIGN = re.compile(r"^\s*(?P<var>[\w.$()-]+)\s*(?::=|\+=|\?=|=)\s*(?P<value>.*)$")
_FLAG = re.compile(r"(?<!\S)-([DU])\s*([A-Za-z_]\w*)")
_CONDITIONAL = re.compile(r"^\s*(ifeq|ifneq|ifdef|ifndef)\b")
_END = re.compile(r"^\s*endif\b")


def defines_for(path: str) -> frozenset[str]:
    """The macros every build of the C file at `path` is given with -D."""
    directory, name = os.path.split(os.path.abspath(path))
    stem = name.rsplit(".", 1)[0]
    own = _directory_flags(directory)
    names = set(_inherited(os.path.dirname(directory)))
    for var, flags in own:
        if var in ("ccflags-y", "EXTRA_CFLAGS", "subdir-ccflags-y", f"CFLAGS_{stem}.o"):
            _apply(names, flags)
    return frozenset(names)


def forget() -> None:
    """Drop what was read of the Makefiles (a new run reads them again)."""
    _inherited.cache_clear()
    _directory_flags.cache_clear()


@cache
def _inherited(directory: str) -> frozenset[str]:
    """What `subdir-ccflags-y` of `directory` and its parents hands down."""
    own = _directory_flags(directory)
    if not own and not any(os.path.isfile(os.path.join(directory, m)) for m in _MAKEFILES):
        return frozenset()
    parent = os.path.dirname(directory)
    names = set(_inherited(parent)) if parent != directory else set()
    for var, flags in own:
        if var == "subdir-ccflags-y":
            _apply(names, flags)
    return frozenset(names)


def _apply(names: set[str], flags: tuple[tuple[str, str], ...]) -> None:
    for kind, macro in flags:
        if kind == "D":
            names.add(macro)
        else:
            names.discard(macro)


@cache
def _directory_flags(directory: str) -> tuple[tuple[str, tuple[tuple[str, str], ...]], ...]:
    """(variable, ((D|U, macro), ...)) of each unconditional flag assignment."""
    out = []
    for makefile in _MAKEFILES:
        try:
            with open(os.path.join(directory, makefile), encoding="utf-8", errors="replace") as f:
                text = f.read(1 << 20)
        except OSError:
            continue
        depth = 0
        for line in text.replace("\\\n", " ").splitlines():
            if _CONDITIONAL.match(line):
                depth += 1
                continue
            if _END.match(line):
                depth = max(0, depth - 1)
                continue
            m = _ASSIGN.match(line)
            if depth or m is None or "-D" not in line and "-U" not in line:
                continue
            flags = tuple((k, name) for k, name in _FLAG.findall(m.group("value").split("#")[0]))
            if flags:
                out.append((m.group("var"), flags))
    return tuple(out)
