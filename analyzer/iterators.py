"""Iteration state a framework hands back to a callback, lost where the walk ends.

seq_file calls `.start`, which may allocate the state it returns; `.next`
gets that state back (`v`) and returns the next one, or NULL at the end;
`.stop` gets the last value returned. A `.stop` that frees `v` frees the
state only when `.next` returned it: a `.next` that returns NULL at the end
must free the state itself, or nothing does (iwlwifi's fw_info `seq_next`).

The calls are the framework's, so no caller in the file shows the hand-off.
This module reads the iterator ops structs the file initialises (apis.toml
[[iterator]]), and where `.start` returns new memory and `.stop` frees its
state parameter, analyses `.next` again with that parameter holding the
memory `.start` returns, and reports where it is dropped.
"""

from __future__ import annotations

from collections.abc import Callable

from analyzer import ir
from analyzer.apis import ApiTable, IteratorType
from analyzer.ownership import Analysis, Leak

# (function, parameter -> Site fields of what it is given) -> the analysis, run
Rerun = Callable[[ir.Function, dict[int, dict]], Analysis]


def dropped_state(
    unit: ir.Unit, apis: ApiTable, summaries, rerun: Rerun
) -> list[tuple[ir.Function, list[Leak]]]:
    """Each `.next` callback that drops the state `.start` allocated, with its leaks."""
    if not apis.iterators:
        return []
    by_name = {fn.name: fn for fn in unit.functions if fn.header is None}
    out: list[tuple[ir.Function, list[Leak]]] = []
    done: set[str] = set()
    for init in unit.initializers:
        kind = next((k for k in apis.iterators if init.struct_type in k.types), None)
        if kind is None:
            continue
        fields = dict(init.fields)
        roles = (kind.start, kind.next, kind.stop)
        start, step, stop = (by_name.get(fields.get(role, "")) for role in roles)
        if start is None or step is None or stop is None or step.name in done:
            continue
        given = _state_given(kind, start, step, stop, summaries)
        if given is None:
            continue
        done.add(step.name)
        analysis = rerun(step, {kind.state: given})
        key = ("given", step.name, kind.state)
        site = analysis.sites.get(key)
        leaks = [leak for leak in analysis.leaks.values() if leak.site is site]
        if leaks:
            out.append((step, leaks))
    return out


def _state_given(
    kind: IteratorType, start: ir.Function, step: ir.Function, stop: ir.Function, summaries
) -> dict | None:
    """The Site fields of the state `.next` is given, when `.start` returns
    new memory of this file's making and `.stop` frees its state parameter."""
    if kind.state >= len(step.params) or not step.params[kind.state].pointer:
        return None
    made, ended = summaries.get(start.name), summaries.get(stop.name)
    if made is None or made.returns_alloc is None or made.foreign_alloc or ended is None:
        return None
    if not any(
        e.index == kind.state and not e.chain and "freed" in (e.on_zero, e.on_nonzero)
        for e in ended.effects
    ):
        return None
    family, failure = made.returns_alloc
    return {
        "span": start.span,
        "api": start.name,
        "family": family,
        "failure": failure,
        "via_summary": True,
    }
