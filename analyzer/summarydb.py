"""Summaries of functions defined in other files, built from a source tree.

A driver hands its objects to its subsystem's core: `drm_connector_init()`
links the connector into the device's list, `clk_hw_register()` keeps the
clock, `rtw_enqueue_cmd()` queues the command or frees it. Seen from the
driver file alone these are unknown callees that borrow, so memory they
keep is reported as leaking when the driver later fails; triage found this
to be the largest class of false DML001 findings.

`devmlint summarize TREE -o DB` runs the same engine over a whole tree and
records, for every function with external linkage (and every function a
header defines: its `static inline` helpers), what it does to the memory
its arguments reach: frees it, keeps it (stores it somewhere that
outlives the call, queues or links it), split by the class of its return
value. `devmlint check` then applies those effects to callees that the
checked file does not define and that `rules/apis.toml` does not know.

Memory a function returns is recorded only when the function's own file
also exports its undoing, a function that frees a parameter of the very
type the allocator returns (`video_device_alloc()` and
`video_device_release()`, `mlx4_alloc_cmd_mailbox()` and
`mlx4_free_cmd_mailbox()`), or when the tree's callers mostly free what it
returns (`_callers_free_it`); never a `devm_*` one. A kernel function that returns a new object
without such a pair usually comes with a put/release discipline the file at
hand cannot see, so taking it for a kmalloc-family allocation would report
every refcounted object as a leak. Memory left in an argument is recorded
only for failures (what a failing function leaves in its caller's
structure), for `lost_leftovers`: `--leftovers` runs one more round that
records which of those leftovers a caller in another file loses, and which
callers would lose anything a function left (`_WhatIf`). Even so,
returned objects come with their subsystem's conventions (a completion
that frees the command, a release on -ERESTARTSYS): DML001 shows leaks of
them only at low confidence (`Site.foreign`).
"""

from __future__ import annotations

import dataclasses
import functools
import json
import os
import re
import sys
from collections import Counter
from collections.abc import Iterable
from concurrent.futures import ProcessPoolExecutor
from importlib import resources
from typing import NamedTuple

from analyzer import apis as apis_mod
from analyzer.frontend import kbuild
from analyzer.members import (
    defined_structs,
    filled_members,
    freed_members,
    linked_members,
    loosely_freed,
    released_members,
)
from analyzer.ownership import ANY_MEMBER, Effect, Summary

# 2: effects may carry a fifth field, the family of what a failure leaves
# behind, and the database `lost_leftovers`; a format-1 database reads as one
# without them
FORMAT = 2
_READABLE = (1, 2)
_KEPT_EFFECTS = ("freed", "escaped", "lent", "dropped")
# A failing callee that freed its argument, or put its reference on every
# failing exit (`put_device(&x->dev)`), leaves the caller nothing to free.
_UNDONE = ("freed", "dropped")
BUILTIN_NAME = "summaries-linux-6.1.json"


class SummaryDbError(ValueError):
    """A summary database that cannot be read; the message names the file."""


class SummaryDb:
    """Function name -> summary, for callees defined outside the checked file.

    A database read from JSON keeps its entries as parsed (checked at load)
    and makes each `Summary` when it is first asked for: a file calls a few
    dozen of the database's 24,000 functions, and making them all cost more
    than the rest of a one-file run's start.  `functions` makes them all.
    """

    def __init__(
        self,
        functions: dict[str, Summary] | None = None,
        source: str = "",
        never_fail: frozenset[str] = frozenset(),
        entries: dict[str, dict] | None = None,
        fails_if_null: dict[str, int] | None = None,
        member_frees: dict[str, list[str]] | None = None,
        member_fills: dict[str, list[tuple[str, str]]] | None = None,
        inert: frozenset[str] = frozenset(),
        inert_zero: frozenset[str] = frozenset(),
        member_links: frozenset[str] = frozenset(),
        member_releases: dict[str, list[str]] | None = None,
        member_defs: dict[str, list[str]] | None = None,
        member_loose: dict[str, list[str]] | None = None,
        lost_leftovers: dict[str, set[tuple[int, str]]] | None = None,
    ) -> None:
        self._functions: dict[str, Summary] = functions if functions is not None else {}
        self.source = source
        # int functions whose every return is a literal 0 (`ir.Function.never_fails`),
        # whether or not they touch memory
        self.never_fail = never_fail
        # int functions that fail only when this pointer parameter is NULL
        # (`ir.Function.fails_only_if_null`)
        self.fails_if_null = fails_if_null or {}
        # "T.member" -> the files that free that member of a `struct T`
        # (`kfree(x->buf)`): whether a member one file fills has a teardown
        # in another (`members.lost_members`)
        self.member_frees = member_frees or {}
        # "T.member" -> (file, function) of each function that fills that
        # member with new memory and leaves it there for good, its file
        # freeing it only in its fillers (`members.filled_members`): a release
        # in another file that frees a `struct T` without it loses it
        self.member_fills = member_fills or {}
        # functions the engine analysed, every definition, and found to do
        # nothing to the memory their arguments reach (no effect, no new
        # memory): a release-named one (`dmub_srv_destroy()`) frees no member
        # of what it is given (`members.lost_members`)
        self.inert = inert
        # those of `inert` that fail by returning 0 or NULL (a bool or a
        # pointer): the class a caller's test of them reads (`_WhatIf`)
        self.inert_zero = inert_zero
        # "T.member" of the filled members (`member_fills`) that some file
        # points at memory not their own (`members.linked_members`)
        self.member_links = member_links
        # "T.member" -> the files of `member_frees` that free it only in
        # releases of their own structures (`members.released_members`)
        self.member_releases = member_releases or {}
        # "T.field" -> the files that define a `struct T` with that field, for
        # the fields `member_fills` names (`members.sees_filled`)
        self.member_defs = member_defs or {}
        # member name -> the files that free a member of that name through a
        # root of unknown type (`kfree(o->dev->label)`), for the names of
        # `member_fills` (`members.loosely_freed`)
        self.member_loose = member_loose or {}
        # function -> (parameter, chain) of what it leaves there when it fails
        # and some caller in another file loses (frees the structure holding
        # it, or lets it go out of scope): its own report of that leftover
        # stands (`engine.analyse`); the chain ANY_MEMBER: whatever it leaves
        # in that parameter, a caller loses (`_WhatIf`)
        self.lost_leftovers = lost_leftovers or {}
        self._entries = entries  # name -> JSON entry (checked) not made yet

    @property
    def functions(self) -> dict[str, Summary]:
        entries = self._entries
        if entries is not None:  # in the file's order, the summaries made so far kept
            made = self._functions
            self._functions = {
                name: made[name] if name in made else _summary(name, entry)
                for name, entry in entries.items()
            }
            self._entries = None
        return self._functions

    def get(self, name: str) -> Summary | None:
        found = self._functions.get(name)
        if found is None and self._entries is not None:
            entry = self._entries.get(name)
            if entry is not None:
                found = self._functions[name] = _summary(name, entry)
        return found

    def allocators(self) -> frozenset[str]:
        """Functions that return new memory or leave it in an argument on success
        (made or not)."""
        # (`exported` keeps no success-class `alloc`, so for a built database
        # only `returns_alloc` counts; the effect test is for summaries made here)
        names = {
            name
            for name, s in self._functions.items()
            if s.returns_alloc is not None
            or any(_succeeds_with(e.on_zero, e.on_nonzero, s.error_class) for e in s.effects)
        }
        if self._entries is not None:
            names |= {
                name
                for name, entry in self._entries.items()
                if name not in self._functions
                and (
                    "returns_alloc" in entry
                    or any(
                        _succeeds_with(e[2], e[3], entry["error_class"]) for e in entry["effects"]
                    )
                )
            }
        return frozenset(names)


def exported(summary: Summary, keep_alloc: bool = False) -> Summary | None:
    """The part of a summary that another file may rely on (see the module doc);
    `keep_alloc`: with the memory it returns (whether to rely on that is
    decided over the whole tree, in `build`)."""
    effects = []
    for e in summary.effects:
        on_zero = e.on_zero if e.on_zero in _KEPT_EFFECTS else None
        on_nonzero = e.on_nonzero if e.on_nonzero in _KEPT_EFFECTS else None
        # A kernel function that fails leaves its arguments to its caller
        # (what it "kept" on that path went into objects it tore down again,
        # e.g. a put_device() of a half-built device): only a free counts,
        # and what it leaves there (`alloc`, for lost_leftovers).
        if summary.error_class == "zero" and on_zero not in _UNDONE:
            on_zero = "alloc" if e.on_zero == "alloc" else None
        if summary.error_class == "nonzero" and on_nonzero not in _UNDONE:
            on_nonzero = "alloc" if e.on_nonzero == "alloc" else None
        if on_zero or on_nonzero:
            # (what a failure leaves in a parameter's field is recorded, that a
            # caller in another file may lose it: see `lost_leftovers`)
            family = e.family if "alloc" in (on_zero, on_nonzero) else ""
            effects.append(Effect(e.index, e.chain, on_zero, on_nonzero, family))
    returns_alloc = summary.returns_alloc if keep_alloc else None
    if not effects and returns_alloc is None:
        return None
    return Summary(
        summary.name,
        effects=effects,
        returns_alloc=returns_alloc,
        returns_pointer=summary.returns_pointer,
        error_class=summary.error_class,
    )


def _base_type(text: str) -> str:
    """A type as a pairing key: `const struct foo *` -> `foo`."""
    words = text.replace("*", " ").split()
    return " ".join(w for w in words if w not in ("const", "volatile", "struct", "union"))


# Types too general to tie an allocator to a releaser: a `void *` or string
# maker and a function that frees some `void *` need not be a pair.
_GENERIC = frozenset({"void", "char", "u8", "unsigned char", "int", "u32", "unsigned long"})


def paired_allocators(functions: list, summaries) -> set[str]:
    """Exported functions returning new memory of a type some exported function
    of the same file frees through a parameter (see the module doc)."""
    freed_types = set()
    for f in functions:
        s = summaries.get(f.name)
        if s is None:
            continue
        for e in s.effects:
            if e.chain == "" and e.on_zero == e.on_nonzero == "freed" and e.index < len(f.params):
                p = f.params[e.index]
                freed_types.add((_base_type(p.type_text), p.depth))
    # (`struct vdev **vdev_alloc_arr()` makes no `struct vdev *` that
    # `vdev_release(struct vdev *)` frees: the pointer levels must agree too)
    return {
        f.name
        for f in functions
        if f.returns_pointer
        and (s := summaries.get(f.name)) is not None
        and s.returns_alloc is not None
        and (t := _base_type(f.return_type)) not in _GENERIC
        and (t, f.return_depth) in freed_types
    }


def to_json(db: SummaryDb) -> dict:
    return {
        "format": FORMAT,
        "source": db.source,
        "functions": {
            name: {
                "effects": [
                    [e.index, e.chain, e.on_zero, e.on_nonzero] + ([e.family] if e.family else [])
                    for e in s.effects
                ],
                "error_class": s.error_class,
                "returns_pointer": s.returns_pointer,
            }
            | ({"returns_alloc": list(s.returns_alloc)} if s.returns_alloc else {})
            for name, s in sorted(db.functions.items())
        },
        "never_fail": sorted(db.never_fail),
        "fails_if_null": dict(sorted(db.fails_if_null.items())),
        "member_frees": dict(sorted(db.member_frees.items())),
        "member_fills": {m: sorted(map(list, f)) for m, f in sorted(db.member_fills.items())},
        "inert": sorted(db.inert),
        "inert_zero": sorted(db.inert_zero),
        "member_links": sorted(db.member_links),
        "member_releases": dict(sorted(db.member_releases.items())),
        "member_defs": dict(sorted(db.member_defs.items())),
        "member_loose": dict(sorted(db.member_loose.items())),
        "lost_leftovers": {
            name: sorted([i, c] for i, c in keys)
            for name, keys in sorted(db.lost_leftovers.items())
        },
    }


def from_json(data: dict, origin: str) -> SummaryDb:
    """The database of a parsed JSON document; a malformed entry is an error here,
    though summaries are made on first use (`SummaryDb`)."""
    if not isinstance(data, dict) or data.get("format") not in _READABLE:
        raise SummaryDbError(f"{origin}: not a devmlint summary database (format {FORMAT})")
    try:
        entries = data["functions"]
        for entry in entries.values():
            # What _summary reads, in its order: the same errors, none of the objects.
            for effect in entry["effects"]:
                if len(effect) not in (4, 5):
                    raise ValueError(f"an effect of {len(effect)} fields")
                if len(effect) == 5 and not (isinstance(effect[4], str) and effect[4]):
                    raise ValueError(f"an effect's family {effect[4]!r}")
                int(effect[0])
            entry["returns_pointer"]
            entry["error_class"]
            if "returns_alloc" in entry:
                family, failure = entry["returns_alloc"]
                if failure not in ("null", "err_ptr"):
                    raise ValueError(f"returns_alloc failure {failure!r}")
        never_fail = frozenset(str(n) for n in data.get("never_fail", ()))
        fails_if_null = {str(n): int(i) for n, i in data.get("fails_if_null", {}).items()}
        if any(i < 0 for i in fails_if_null.values()):
            raise ValueError("a negative parameter index in fails_if_null")
        member_frees = {
            str(m): [str(p) for p in paths] for m, paths in data.get("member_frees", {}).items()
        }
        member_fills = {
            str(m): [(str(p), str(f)) for p, f in fills]
            for m, fills in data.get("member_fills", {}).items()
        }
        if any("." not in m for m in member_fills):
            raise ValueError("a member_fills key that is not struct.member")
        inert = frozenset(str(n) for n in data.get("inert", ()))
        inert_zero = frozenset(str(n) for n in data.get("inert_zero", ()))
        member_links = frozenset(str(m) for m in data.get("member_links", ()))
        member_defs = {
            str(m): [str(p) for p in paths] for m, paths in data.get("member_defs", {}).items()
        }
        member_loose = {
            str(m): [str(p) for p in paths] for m, paths in data.get("member_loose", {}).items()
        }
        member_releases = {
            str(m): [str(p) for p in paths] for m, paths in data.get("member_releases", {}).items()
        }
        lost_leftovers = {
            str(n): {(int(i), str(c)) for i, c in keys}
            for n, keys in data.get("lost_leftovers", {}).items()
        }
    except (KeyError, TypeError, ValueError) as exc:
        raise SummaryDbError(f"{origin}: malformed entry ({exc})") from None
    return SummaryDb(
        source=str(data.get("source", "")),
        never_fail=never_fail,
        fails_if_null=fails_if_null,
        member_frees=member_frees,
        member_fills=member_fills,
        inert=inert,
        inert_zero=inert_zero,
        member_links=member_links,
        member_releases=member_releases,
        member_defs=member_defs,
        member_loose=member_loose,
        lost_leftovers=lost_leftovers,
        entries=dict(entries),
    )


# How many leading arguments of a call `_WhatIf` leaves memory in.
_WHAT_IF_ARGS = 6


class _WhatIf:
    """The database as the `--leftovers` round sees it: each function it
    knows (summarised, or analysed and inert) also leaves new memory in some
    member of each argument when it fails (the chain ANY_MEMBER).

    A caller that then frees that argument whole, or lets it leak, loses
    whatever the function may leave there: `rsi_91x_init()` kfree()s its
    `common` when `rsi_coex_attach(common)` fails. The tree's function may
    leave nothing there; a change that makes it leave something (the bug an
    upstream fix closed, a patch under review) is judged by this record: its
    own report of the leftover stands (`engine.analyse`). Only a block the
    caller allocated, and frees no member of, takes it
    (`Analysis._alloc_into`)."""

    def __init__(self, db: SummaryDb) -> None:
        self._db = db
        self._made: dict[str, Summary | None] = {}

    def __getattr__(self, name: str):
        return getattr(self._db, name)

    def get(self, name: str) -> Summary | None:
        if name not in self._made:
            self._made[name] = _leaving_anything(name, self._db)
        return self._made[name]


def _leaving_anything(name: str, db: SummaryDb) -> Summary | None:
    """The function's summary with an ANY_MEMBER leftover in each argument
    its failure does not free (see `_WhatIf`)."""
    found = db.get(name)
    if found is None:
        if name not in db.inert:
            return None
        found = Summary(name, error_class="zero" if name in db.inert_zero else "nonzero")
    zero = found.error_class == "zero"
    undone = {
        e.index
        for e in found.effects
        if not e.chain and (e.on_zero if zero else e.on_nonzero) in _UNDONE
    }
    leftovers = [
        Effect(i, ANY_MEMBER, "alloc" if zero else None, None if zero else "alloc", "kmalloc")
        for i in range(_WHAT_IF_ARGS)
        if i not in undone
    ]
    return dataclasses.replace(found, effects=found.effects + leftovers)


def _succeeds_with(on_zero: str | None, on_nonzero: str | None, error_class: str) -> bool:
    """Does the callee leave new memory in an argument when it succeeds? (What a
    failure leaves, the database records for `lost_leftovers` only: a file that
    merely calls such a callee holds nothing new.)"""
    return (on_nonzero if error_class == "zero" else on_zero) == "alloc"


def _summary(name: str, entry: dict) -> Summary:
    """The summary of one checked JSON entry."""
    # (memory a failing callee of another file leaves behind: Site.foreign)
    effects = [
        Effect(int(e[0]), str(e[1]), e[2], e[3], *([str(e[4]), True] if len(e) > 4 else []))
        for e in entry["effects"]
    ]
    alloc = entry.get("returns_alloc")
    return Summary(
        name,
        effects=effects,
        returns_alloc=(str(alloc[0]), str(alloc[1])) if alloc else None,
        foreign_alloc=bool(alloc),
        returns_pointer=bool(entry["returns_pointer"]),
        error_class=str(entry["error_class"]),
    )


_LOADED: dict[str, SummaryDb] = {}


def load(path: str | None) -> SummaryDb:
    """The database at `path`, the built-in one for None, an empty one for "none"."""
    key = path or ""
    if key in _LOADED:
        return _LOADED[key]
    if path == "none":
        db = SummaryDb()
    else:
        try:
            if path is None:
                text = resources.files("rules").joinpath(BUILTIN_NAME).read_text("utf-8")
            else:
                with open(path, encoding="utf-8") as f:
                    text = f.read()
            db = from_json(json.loads(text), path or f"rules/{BUILTIN_NAME}")
        except FileNotFoundError:
            if path is None:
                db = SummaryDb()  # a checkout without the generated file still works
            else:
                raise SummaryDbError(f"{path}: no such file") from None
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise SummaryDbError(f"{path}: cannot read summary database: {exc}") from None
    _LOADED[key] = db
    return db


def surely_no_allocators(path: str | None) -> bool:
    """Does the database certainly record no allocator, told without decoding it?

    The prefilter needs only the database's allocators: when the built-in
    database records none, a process that checks one file the prefilter
    skips (a one-file change) need not spend 0.06 s decoding it. Told from
    the text only for the built-in database, which `write` produced (an
    "alloc" effect is spelled `"alloc"` there, an allocator has a
    `"returns_alloc"` key); False when unsure, and once the database is
    loaded (its allocators are known then).
    """
    return path is None and "" not in _LOADED and _builtin_names_no_allocator()


@functools.cache
def _builtin_names_no_allocator() -> bool:
    try:
        text = resources.files("rules").joinpath(BUILTIN_NAME).read_text("utf-8")
    except (OSError, UnicodeDecodeError):
        return False
    return '"alloc"' not in text and '"returns_alloc"' not in text


def forget(path: str) -> None:
    """Drop a cached database (it was rewritten)."""
    _LOADED.pop(path, None)


# ------------------------------------------------------------------ building


_ASSIGNED_CALL = re.compile(
    r"([A-Za-z_]\w*(?:(?:->|\.)[A-Za-z_]\w*)*)\s*=\s*(?:\([^()]*\)\s*)?([A-Za-z_]\w*)\s*\("
)


_CALL = re.compile(r"\b([A-Za-z_]\w*)\s*\(([^()]*)\)")


def _callers_free(unit) -> Counter:
    """For each callee, how often a function here stores its result (`x = f(..)`)
    and how often the same function also gives that `x` to a free: a free API
    or a callee named like one (`*free*`, rules/apis.toml [[frees]]).

    Read from the text: a tally over a whole tree, where a few misread
    lines do not move the ratio `build` asks for."""
    table = apis_mod.load()
    frees = table.names("free")
    tally: Counter = Counter()
    for fn in unit.functions:
        body = "\n".join(unit.lines[fn.span.line - 1 : fn.span.end_line])
        freed = {
            arg.replace(" ", "")
            for m in _CALL.finditer(body)
            if m.group(1) in frees or table.frees(m.group(1))
            for arg in m.group(2).split(",")
        }
        freed.discard("")
        for m in _ASSIGNED_CALL.finditer(body):
            tally[(m.group(2), False)] += 1
            if m.group(1).replace(" ", "") in freed:
                tally[(m.group(2), True)] += 1
    return tally


class _FileFacts(NamedTuple):
    """What one file tells the database (`_summarise_file`)."""

    defined: list[str]  # names with external linkage defined here
    summaries: dict[str, dict]  # their exported summaries, as JSON entries
    never_fail: set[str]  # those that never fail
    guarded: dict[str, int]  # those that fail only on this NULL parameter
    paired: set[str]  # those returning memory with a releaser beside them
    callers: Counter  # the tally of `_callers_free`
    member_frees: set[str]  # "T.member" of the struct members it frees
    member_fills: dict[str, str]  # "T.member" -> the function that fills it for good
    inert: set[str]  # those analysed, with no effect on their arguments' memory
    inert_zero: set[str]  # those of them that fail with 0 or NULL
    member_links: set[str]  # "T.member" pointed at memory not its own
    member_releases: set[str]  # "T.member" freed only with a structure of its own
    structs: dict[str, set[str]]  # the structures it defines, with their fields
    loose: set[str]  # member names it frees through a root of unknown type
    lost: set[tuple[str, int, str]]  # other files' leftovers its functions lose


def _no_facts() -> _FileFacts:
    """The facts of a file that cannot be read: none."""
    return _FileFacts(
        defined=[],
        summaries={},
        never_fail=set(),
        guarded={},
        paired=set(),
        callers=Counter(),
        member_frees=set(),
        member_fills={},
        inert=set(),
        inert_zero=set(),
        member_links=set(),
        member_releases=set(),
        structs={},
        loose=set(),
        lost=set(),
    )


def _summarise_file(path: str, base: str, what_if: bool = False) -> _FileFacts:
    """What the file at `path` tells the database (nothing if it cannot be
    read); `what_if`: with the callees of `_WhatIf`, for `lost_leftovers`."""
    from analyzer.checker import read_source
    from analyzer.engine import analyse
    from analyzer.frontend import treesitter

    try:
        source = read_source(path, 4 * 1024 * 1024)
        unit = treesitter.parse(path, source)
        db = load(base)
        result = analyse(unit, apis_mod.load(), _WhatIf(db) if what_if else db)
    except Exception:  # noqa: BLE001 - one bad file costs only itself
        return _no_facts()
    # A header's `static inline` helpers are seen by every file that includes it.
    header = path.endswith(".h")
    exported_fns = [f for f in unit.functions if header or not f.static]
    defined = {f.name for f in unit.functions}
    out = {}
    inert, inert_zero = set(), set()
    truncated = {fr.function.name for fr in result.functions if fr.truncated}
    for f in exported_fns:
        s = result.summaries.get(f.name)
        if s is not None and exported(s, keep_alloc=True) is None and f.name not in truncated:
            inert.add(f.name)
            if s.error_class == "zero":
                inert_zero.add(f.name)
        # (every allocator's memory is recorded; `build` keeps it only with
        # a releaser or callers that free it)
        e = exported(s, keep_alloc=True) if s is not None else None
        if e is not None:
            out[f.name] = to_json(SummaryDb({f.name: e}))["functions"][f.name]
    return _FileFacts(
        defined=[f.name for f in exported_fns],
        summaries=out,
        never_fail={f.name for f in exported_fns if f.never_fails()},
        guarded={f.name: i for f in exported_fns if (i := f.fails_only_if_null()) is not None},
        paired=paired_allocators(exported_fns, result.summaries),
        callers=_callers_free(unit),
        member_frees=freed_members(unit, apis_mod.load()),
        member_fills=filled_members(unit, result.functions, apis_mod.load()),
        inert=inert,
        inert_zero=inert_zero,
        member_links=linked_members(unit, apis_mod.load()),
        member_releases=released_members(unit, apis_mod.load()),
        structs=defined_structs(unit),
        loose=loosely_freed(unit, apis_mod.load()),
        lost={k for k in result.leftovers.confirmed if k[0] not in defined},
    )


def _lost_json(lost: dict[str, set[tuple[int, str]]], definitions: Counter[str]) -> dict:
    """`lost_leftovers` as the database stores it. What-if losses (ANY_MEMBER)
    are kept only for a name defined once in the tree: two drivers' functions
    of one name are two functions, and a caller of one says nothing of the
    other's leftovers (a real leftover was seen in the function called)."""
    out = {}
    for name, keys in sorted(lost.items()):
        kept = [k for k in keys if k[1] != ANY_MEMBER or definitions[name] == 1]
        if kept:
            out[name] = sorted(map(list, kept))
    return out


def build_lost_leftovers(
    files: Iterable[str], jobs: int, base: str, source: str = ""
) -> dict[str, set[tuple[int, str]]]:
    """The `--leftovers` round over `files`, with the database at `base`:
    which callers in other files lose what a failing function leaves, or
    would leave (`_WhatIf`). Only this is kept of the round: its summaries
    were made with `_WhatIf`'s callees."""
    return build(files, jobs, base, source, what_if=True).lost_leftovers


def build(
    files: Iterable[str], jobs: int, base: str = "none", source: str = "", what_if: bool = False
) -> SummaryDb:
    """Summaries of every external function in `files`.

    A name defined in several files (per-architecture or per-config
    variants) keeps only the effects all its definitions agree on.
    `what_if`: callees of `base` as `_WhatIf` gives them (see
    `build_lost_leftovers`).
    """
    kbuild.forget()  # Makefiles are read afresh each run (a process may run again)
    files = list(files)
    definitions: Counter[str] = Counter()
    agreed: dict[str, list[dict]] = {}
    never_fail: Counter[str] = Counter()
    guarded: dict[str, list[int]] = {}
    paired: set[str] = set()
    callers: Counter = Counter()
    member_frees: dict[str, list[str]] = {}
    member_fills: dict[str, list[tuple[str, str]]] = {}
    inert: Counter[str] = Counter()
    inert_zero: Counter[str] = Counter()
    links: set[str] = set()
    member_releases: dict[str, list[str]] = {}
    defined: dict[str, list[str]] = {}  # "T.field" -> the files defining it
    loose: dict[str, list[str]] = {}
    lost: dict[str, set[tuple[int, str]]] = {}
    with ProcessPoolExecutor(max_workers=max(1, jobs)) as pool:
        chunk = max(1, min(64, len(files) // (max(1, jobs) * 8)))
        facts_of = pool.map(
            _summarise_file, files, [base] * len(files), [what_if] * len(files), chunksize=chunk
        )
        for path, facts in zip(files, facts_of, strict=True):
            path = os.path.normpath(
                path
            )  # (`./drivers/x.c` is drivers/x.c: see members.sees_filled)
            never_fail.update(facts.never_fail)
            paired |= facts.paired
            callers.update(facts.callers)
            for member in facts.member_frees:
                member_frees.setdefault(member, []).append(path)
            for member, filler in facts.member_fills.items():
                member_fills.setdefault(member, []).append((path, filler))
            inert.update(facts.inert)
            inert_zero.update(facts.inert_zero)
            links |= facts.member_links
            for member in facts.member_releases:
                member_releases.setdefault(member, []).append(path)
            for name in facts.loose:
                loose.setdefault(name, []).append(path)
            for struct, fields in facts.structs.items():
                for f in fields:
                    defined.setdefault(f"{struct}.{f}", []).append(path)
            for name, index, chain in facts.lost:
                lost.setdefault(name, set()).add((index, chain))
            for name, index in facts.guarded.items():
                guarded.setdefault(name, []).append(index)
            definitions.update(facts.defined)
            for name, entry in facts.summaries.items():
                agreed.setdefault(name, []).append(entry)
    data = {}
    for name, entries in agreed.items():
        if len(entries) != definitions[name]:
            continue  # some definition does nothing to its arguments
        if any(e != entries[0] for e in entries[1:]):
            continue
        entry = entries[0]
        if "returns_alloc" in entry and not _trusted_allocator(name, paired, callers):
            entry = {k: v for k, v in entry.items() if k != "returns_alloc"}
            if not entry["effects"]:
                continue
        data[name] = entry
    sure = sorted(n for n, k in never_fail.items() if k == definitions[n])
    inert_names = sorted(n for n, k in inert.items() if k == definitions[n] and n not in data)
    null_only = {
        n: i[0] for n, i in guarded.items() if len(i) == definitions[n] and len(set(i)) == 1
    }
    return from_json(
        {
            "format": FORMAT,
            "source": source,
            "functions": dict(sorted(data.items())),
            "never_fail": sure,
            "fails_if_null": null_only,
            "member_frees": dict(sorted(member_frees.items())),
            "member_fills": {m: sorted(map(list, f)) for m, f in sorted(member_fills.items())},
            "inert": inert_names,
            "inert_zero": [n for n in inert_names if inert_zero[n] == definitions[n]],
            "member_links": sorted(links & set(member_fills)),
            "member_releases": {
                m: p for m, p in sorted(member_releases.items()) if m in member_fills
            },
            "member_loose": {
                n: loose[n]
                for n in sorted({m.rsplit(".", 1)[-1] for m in member_fills})
                if n in loose
            },
            "member_defs": {
                k: sorted(set(defined[k]))
                for k in sorted({".".join(m.split(".")[:2]) for m in member_fills})
                if k in defined
            },
            "lost_leftovers": _lost_json(lost, definitions),
        },
        "build",
    )


def _trusted_allocator(name: str, paired: set[str], callers: Counter) -> bool:
    """May callers in other files take what `name`, which the engine saw return
    new memory, for their own? Not when a manager releases it (devm_*)."""
    if apis_mod.load().manages_result(name):
        return False
    return name in paired or _callers_free_it(name, callers)


def _callers_free_it(name: str, callers: Counter) -> bool:
    """Do the tree's callers that keep what `name` returns mostly free it?

    The callers' convention is the evidence that its result is theirs to
    free (`drm_get_edid()`, `kobject_get_path()`), as in Engler's "bugs as
    deviant behaviour": at least two freeing callers, so one caller's habit
    is not taken for the rule, and half of them. (Only for functions the
    engine saw return new memory: on its own the tally also takes lookups
    whose callers free what they remove, `edac_mc_del_mc()`, for allocators.)
    """
    freed, calls = callers[(name, True)], callers[(name, False)]
    return freed >= 2 and 2 * freed >= calls


def write(db: SummaryDb, path: str) -> None:
    tmp = f"{path}.tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        json.dump(to_json(db), f, separators=(",", ":"))
        f.write("\n")
    os.replace(tmp, path)


sys.setrecursionlimit(max(sys.getrecursionlimit(), 20000))
