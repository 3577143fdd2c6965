"""Analyse one file: summaries bottom-up, then the facts rules read.

Rules never walk syntax: they get a `UnitResult` with, per function, the
leaks the ownership dataflow found and the summary of the function.
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from dataclasses import dataclass, field

from analyzer import ir
from analyzer.apis import ApiTable
from analyzer.ownership import Analysis, FreeCall, Leak, Site, Summary
from analyzer.summaries import call_order, summarize
from analyzer.summarydb import SummaryDb

_INTERESTING = ("allocator", "reallocator", "free", "sink", "transfer")


@dataclass
class FunctionResult:
    function: ir.Function
    leaks: list[Leak]
    summary: Summary
    truncated: bool
    # For the driver-model rules: free calls and what reached them, and the
    # allocations stored into fields ((root, field tokens, site)).
    frees: list[FreeCall] = field(default_factory=list)
    stores: set[tuple[str, tuple[str, ...], Site]] = field(default_factory=set)


@dataclass
class UnitResult:
    unit: ir.Unit
    functions: list[FunctionResult] = field(default_factory=list)
    summaries: dict[str, Summary] = field(default_factory=dict)
    sites: dict[tuple, Site] = field(default_factory=dict)


class _Known(dict):
    """The file's own summaries, then the database's for callees the file does not define."""

    def __init__(self, db: SummaryDb | None, defined: frozenset[str]) -> None:
        super().__init__()
        self.db = db
        self.defined = defined

    def get(self, name, default=None):
        found = super().get(name)
        if found is None and self.db is not None and name not in self.defined:
            found = self.db.get(name)
        return default if found is None else found


def analyse(unit: ir.Unit, apis: ApiTable, db: SummaryDb | None = None) -> UnitResult:
    result = UnitResult(unit)
    names = frozenset(fn.name for fn in unit.functions)
    result.summaries = _Known(db, names)
    interesting = _interesting(apis)
    if db is not None:
        # Other files' functions the database knows, called here (by the hints:
        # a superset of the calls, so no function the loop analyses is missed,
        # and a name no function calls changes no `fn.calls & relevant`).
        hinted = {c for fn in unit.functions for c in fn.call_hint()}
        interesting = interesting | {c for c in hinted - names if db.get(c) is not None}
    candidates = _candidates(unit.functions, interesting, apis)
    # A function that calls a candidate is one itself, so the others reach no
    # candidate: leaving them out of the call order changes neither the order
    # of the candidates nor which of them are called, and spares their CFGs.
    # (A name defined twice stays: the call order resolves it to one definition.)
    defined = Counter(fn.name for fn in unit.functions)
    needed = [fn for fn in unit.functions if id(fn) in candidates or defined[fn.name] > 1]
    called = {c for fn in needed for c in fn.calls}
    deferred: list[tuple[FunctionResult, tuple[int, str] | None, Leak]] = []
    confirmed: set[tuple[str, int, str]] = set()
    propagated: set[tuple[str, int, str]] = set()
    for fn in call_order(needed):
        if id(fn) not in candidates:
            continue
        relevant = interesting | {n for n, s in result.summaries.items() if s.relevant}
        releasing = any(apis.releases(c) for c in fn.calls)
        if not (fn.calls & relevant) and not releasing and not _keeps_memory(fn):
            continue
        a = Analysis(fn, apis, result.summaries, result.sites, fn.name in called, names)
        a.run()
        summary = summarize(a)
        if fn.name not in result.summaries:
            result.summaries[fn.name] = summary
        fr = FunctionResult(
            fn, list(a.leaks.values()), summary, a.truncated, list(a.free_calls.values())
        )
        fr.stores = a.field_stores
        result.functions.append(fr)
        deferred.extend((fr, key, leak) for key, leak in a.deferred.values())
        confirmed |= a.confirmed
        propagated |= a.propagated
    # A failing helper's leftovers count where a caller drops them; where no
    # caller in the file sees them (or callers only pass them up), tentatively.
    for fr, key, leak in deferred:
        ident = (fr.function.name, *key) if key is not None else None
        if ident in confirmed:
            fr.leaks.append(leak)
        elif fr.function.name not in called or ident in propagated:
            fr.leaks.append(dataclasses.replace(leak, tentative=True))
    for fr in result.functions:
        fr.leaks.sort(key=_leak_order)
    result.functions.sort(key=lambda r: r.function.span.line)
    return result


_INTERESTING_CACHE: dict[int, tuple[ApiTable, frozenset[str]]] = {}


def _interesting(apis: ApiTable) -> frozenset[str]:
    """Names of every API with a memory role (asked once per table, not per function)."""
    hit = _INTERESTING_CACHE.get(id(apis))
    if hit is not None and hit[0] is apis:
        return hit[1]
    names: set[str] = set()
    for role in _INTERESTING:
        names |= apis.names(role)
    frozen = frozenset(names)
    _INTERESTING_CACHE.clear()
    _INTERESTING_CACHE[id(apis)] = (apis, frozen)
    return frozen


def _candidates(functions: list[ir.Function], interesting, apis: ApiTable) -> set[int]:
    """ids of the functions the analysis loop may analyse: a superset, from cheap hints.

    The loop analyses a function that calls an API with a memory role, a
    same-file function whose summary matters, a release-named callee, or
    that keeps memory.  Every hint is a superset of the fact it stands for,
    and same-file summaries matter only for functions analysed, so a
    function outside this set would be skipped by the loop as well.
    """
    hints = {id(fn): fn.call_hint() for fn in functions}
    chosen: set[int] = set()
    for fn in functions:
        hint = hints[id(fn)]
        keeps = fn.keeps_hint()
        if (
            hint & interesting
            or any(apis.releases(c) for c in hint)
            or (keeps if keeps is not None else _keeps_memory(fn))
        ):
            chosen.add(id(fn))
    chosen_names = {fn.name for fn in functions if id(fn) in chosen}
    grew = True
    while grew:
        grew = False
        for fn in functions:
            if id(fn) not in chosen and hints[id(fn)] & chosen_names:
                chosen.add(id(fn))
                chosen_names.add(fn.name)
                grew = True
    return chosen


def _leak_order(leak: Leak):
    where = leak.via or leak.exit
    return (where.line, where.col, leak.site.span.line, leak.site.span.col)


def _keeps_memory(fn: ir.Function) -> bool:
    """Has `__free()` locals, or stores a pointer parameter somewhere: worth a summary."""
    pointers = {p.name for p in fn.params if p.pointer}
    for node in fn.nodes:
        if node.cleanup:
            return True
        if node.expr is None or not pointers:
            continue
        for e in ir.walk(node.expr):
            if isinstance(e, ir.Assign) and not isinstance(e.target, ir.Name):
                value = e.value
                while isinstance(value, ir.Cast):
                    value = value.operand
                if isinstance(value, ir.Name) and value.name in pointers:
                    return True
    return False
