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
_ASSIGN = re.compile(r"^\s*(?P<var>[\w.$()-]+)\s*(?P<op>:=|\+=|\?=|=)\s*(?P<value>.*)$")
_FLAG = re.compile(r"(?<!\S)-([DU])\s*([A-Za-z_]\w*)")
_CONDITIONAL = re.compile(r"^\s*(ifeq|ifneq|ifdef|ifndef)\b")
_END = re.compile(r"^\s*endif\b")
_DEFINE = re.compile(r"^\s*define\b")
_ENDEF = re.compile(r"^\s*endef\b")
# A value computed by a make function depends on the configuration.
_FUNCTION = re.compile(r"\$[({](?:if|or|and|call|filter|filter-out|patsubst|subst|shell|foreach)\s")
_OWN = ("ccflags-y", "EXTRA_CFLAGS", "subdir-ccflags-y")
_REMOVE = "ccflags-remove-y"
_VARIABLES = (*_OWN, _REMOVE)

Assignment = tuple[str, str, tuple[tuple[str, str], ...]]  # (variable, operator, flags)
_NONE: frozenset[str] = frozenset()


def defines_for(path: str) -> frozenset[str]:
    """The macros every build of the C file at `path` is given with -D."""
    directory, name = os.path.split(path)
    if not os.path.isabs(directory):  # (the cache is by absolute directory)
        directory = os.path.join(os.getcwd(), directory)
    own, given = _directory(directory)
    if not own and not given:
        return _NONE  # (most files: a warm run asks for each of them)
    stem = name.rsplit(".", 1)[0]
    names = _macros(own, (*_OWN, f"CFLAGS_{stem}.o"), given)
    names -= _macros(own, (_REMOVE, f"CFLAGS_REMOVE_{stem}.o"))
    return frozenset(names)


@cache
def _directory(directory: str) -> tuple[tuple[Assignment, ...], frozenset[str]]:
    """The directory's own flag assignments and what its parents hand down."""
    absolute = os.path.abspath(directory)
    return _directory_flags(absolute), _inherited(os.path.dirname(absolute))


def forget() -> None:
    """Drop what was read of the Makefiles (a new run reads them again)."""
    _directory.cache_clear()
    _inherited.cache_clear()
    _directory_flags.cache_clear()


@cache
def _inherited(directory: str) -> frozenset[str]:
    """What `subdir-ccflags-y` of `directory` and its parents hands down."""
    own = _directory_flags(directory)
    if not own and not any(os.path.isfile(os.path.join(directory, m)) for m in _MAKEFILES):
        return frozenset()
    parent = os.path.dirname(directory)
    given = _inherited(parent) if parent != directory else frozenset()
    return frozenset(_macros(own, ("subdir-ccflags-y",), given))


def _macros(
    assignments: tuple[Assignment, ...], variables: tuple[str, ...], given=frozenset()
) -> set[str]:
    """`given` with what the `-D`/`-U` flags of these variables define and undefine,
    in Makefile order (`:=` and `=` start a variable afresh, `?=` counts only for
    an unset one)."""
    values: dict[str, list[tuple[str, str]]] = {}
    for var, op, flags in assignments:
        if var not in variables:
            continue
        if op in (":=", "="):
            values[var] = list(flags)
        elif op == "+=" or var not in values:
            values.setdefault(var, []).extend(flags)
    names = set(given)
    for var in variables:
        for kind, macro in values.get(var, ()):
            if kind == "D":
                names.add(macro)
            else:
                names.discard(macro)
    return names


@cache
def _directory_flags(directory: str) -> tuple[Assignment, ...]:
    """Each unconditional assignment of a flag variable in the directory's Makefiles."""
    texts = []
    for makefile in _MAKEFILES:
        try:
            with open(os.path.join(directory, makefile), "rb") as f:
                texts.append(f.read(1 << 20))
        except OSError:
            continue
    if not any(b"-D" in raw or b"-U" in raw for raw in texts):
        return ()  # (most directories: a warm run asks for each of them)
    out: list[Assignment] = []
    for raw in texts:
        depth = 0  # inside `ifeq` .. `endif` or `define` .. `endef`
        for line in raw.decode("utf-8", "replace").replace("\\\n", " ").splitlines():
            line = line.split("#")[0]
            if _CONDITIONAL.match(line) or _DEFINE.match(line):
                depth += 1
                continue
            if _END.match(line) or _ENDEF.match(line):
                depth = max(0, depth - 1)
                continue
            m = _ASSIGN.match(line)
            if depth or m is None or _FUNCTION.search(m.group("value")):
                continue
            var = m.group("var")
            if var in _VARIABLES or var.startswith(("CFLAGS_", "CFLAGS_REMOVE_")):
                out.append((var, m.group("op"), tuple(_FLAG.findall(m.group("value")))))
    return tuple(out)
