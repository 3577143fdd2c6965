"""Analyse one file: summaries bottom-up, then the facts rules read.

Rules never walk syntax: they get a `UnitResult` with, per function, the
leaks the ownership dataflow found and the summary of the function.
"""

from __future__ import annotations

import dataclasses
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
    interesting: set[str] = set()
    for role in _INTERESTING:
        interesting |= apis.names(role)
    called = {c for fn in unit.functions for c in fn.calls}
    if db is not None:
        interesting |= {c for c in called - names if db.get(c) is not None}
    deferred: list[tuple[FunctionResult, tuple[int, str] | None, Leak]] = []
    confirmed: set[tuple[str, int, str]] = set()
    propagated: set[tuple[str, int, str]] = set()
    for fn in call_order(unit.functions):
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
