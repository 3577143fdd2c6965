"""Analyse one file: summaries bottom-up, then the facts rules read.

Rules never walk syntax: they get a `UnitResult` with, per function, the
leaks the ownership dataflow found and the summary of the function.
"""

from __future__ import annotations

import dataclasses
import re
from collections import Counter
from dataclasses import dataclass, field

from analyzer import ir, iterators, slots
from analyzer.apis import Api, ApiTable
from analyzer.members import lost_members
from analyzer.ownership import (
    ANY_MEMBER,
    Analysis,
    Effect,
    FreeCall,
    Leak,
    Leftovers,
    Site,
    Summary,
    core_drops,
    root_name,
)
from analyzer.prefilter import db_allocators
from analyzer.summaries import call_order, summarize
from analyzer.summarydb import SummaryDb

_INTERESTING = ("allocator", "reallocator", "free", "sink", "transfer", "fills", "empties")


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
    # What rules derive from this result once per file (the driver model):
    # kept here, not in a module global that would hold the last file alive.
    derived: dict[str, object] = field(default_factory=dict, repr=False, compare=False)
    # what callers here do with memory failing callees left in their structures
    leftovers: Leftovers = field(default_factory=Leftovers, repr=False, compare=False)

    def release(self) -> None:
        """Break the cycles through this result once nothing will read it again.

        The on-demand summaries hold the analysis step, whose closure holds
        this result, and the derived facts hold it too: without this the
        file's whole IR waits for the cycle collector, which then walks it
        all; with it, dropping the result frees the IR at once.
        """
        self.derived.clear()
        if isinstance(self.summaries, _Lazy):
            self.summaries.step = None


class _Known(dict):
    """The file's own summaries, then for callees the file does not define
    those the API tables imply ([[fills]], [[empties]]), then the database's."""

    def __init__(self, db: SummaryDb | None, defined: frozenset[str], apis: ApiTable) -> None:
        super().__init__()
        self.db = db
        self.defined = defined
        self.structs = apis.structs

    def get(self, name, default=None):
        found = super().get(name)
        if found is None and name not in self.defined:
            api = self.structs.get(name)
            if api is not None:
                found = _struct_summary(api)
            elif self.db is not None:
                found = self.db.get(name)
        return default if found is None else found


def _struct_summary(api: Api) -> Summary:
    """`sg_alloc_table(t, ..)` as a summary: on success (0) new memory in `*t`
    (or in its `member`); `sg_free_table(t)` frees what `*t` (or the member)
    holds."""
    chain = f"->{api.member}" if api.member else "*"
    if api.role == "fills":
        effect = Effect(api.pointer, chain, "alloc", None, api.family)
    else:
        effect = Effect(api.pointer, chain, "freed", "freed")
    return Summary(api.name, effects=[effect], error_class="nonzero")


class _NeverFails:
    """Does a callee never fail (`ir.Function.never_fails`)? The file's own
    definitions answer for themselves (all of them, if several); the
    database for the others."""

    def __init__(self, unit: ir.Unit, db: SummaryDb | None) -> None:
        self._fns: dict[str, list[ir.Function]] = {}
        for fn in unit.functions:
            self._fns.setdefault(fn.name, []).append(fn)
        self._db = db.never_fail if db is not None else frozenset()
        self._db_guards = db.fails_if_null if db is not None else {}
        self._seen: dict[str, bool] = {}
        self._guards: dict[str, int | None] = {}
        self._switches: dict[str, tuple[int, frozenset[str]] | None] = {}

    def __call__(self, name: str | None) -> bool:
        if name is None:
            return False
        try:
            return self._seen[name]
        except KeyError:
            fns = self._fns.get(name)
            sure = all(f.never_fails() for f in fns) if fns else name in self._db
            self._seen[name] = sure
            return sure

    def switch_guard(self, name: str | None) -> tuple[int, frozenset[str]] | None:
        """The integer parameter and case labels outside which alone the
        callee fails (`ir.Function.fails_unless_cased`), if all of the file's
        definitions agree (the database records none)."""
        return self._agreed(self._switches, name, ir.Function.fails_unless_cased, {})

    def null_guard(self, name: str | None) -> int | None:
        """The pointer parameter whose NULL is the only way the callee fails
        (`ir.Function.fails_only_if_null`), if all its definitions agree."""
        return self._agreed(self._guards, name, ir.Function.fails_only_if_null, self._db_guards)

    def _agreed(self, cache: dict, name: str | None, ask, db: dict):
        """What `ask` says of the file's definitions of `name` when they all
        agree (else None), or the database's answer for another file's."""
        if name is None:
            return None
        if name not in cache:
            fns = self._fns.get(name)
            if fns:
                found = {ask(f) for f in fns}
                cache[name] = found.pop() if len(found) == 1 else None
            else:
                cache[name] = db.get(name)
        return cache[name]


def analyse(
    unit: ir.Unit,
    apis: ApiTable,
    db: SummaryDb | None = None,
    demand: bool = False,
    only: frozenset[str] | None = None,
) -> UnitResult:
    """The facts rules read.

    With `demand`, only functions that may hold an allocation or a free
    (and their callers through same-file allocating helpers) are analysed
    up front and listed in `result.functions`; any other function is
    analysed when its summary is first asked for (by a caller's analysis,
    or by a rule through `result.summaries`), seeing exactly the summaries
    it would have seen in call order.  Every summary and every listed
    function's result is the same as without `demand`; the rules that
    declare `needs` read nothing else.

    With `only`, functions of other names are not listed (nor analysed,
    unless a listed one's analysis asks for their summaries): a second
    reading of the file wants the findings of a few functions only.
    """
    slots.rewrite(unit, apis)  # (`set_dma_data(dai, ss, p)` is `dai->dma_data = p`)
    result = UnitResult(unit)
    names = frozenset(fn.name for fn in unit.functions)
    result.summaries = _Known(db, names, apis)
    never_fails = _NeverFails(unit, db)
    frees = _alloc_free_names(apis, db)[1]
    releasers = frozenset(fn.name for fn in unit.functions if not frees.isdisjoint(fn.call_hint()))
    # `static const struct foo_ops ops = { .cleanup = foo_cleanup }` with a
    # releaser among its release-named callbacks: a block given the table
    # carries its own release (`inst->ops = &ops;`)
    by_name = {fn.name: fn for fn in unit.functions}
    freeing = {
        init.variable: [
            _frees_own_arg(by_name[value], apis)
            for path, value in init.fields
            if value in releasers and apis.releases(path.rsplit(".", 1)[-1])
        ]
        for init in unit.initializers
    }
    release_tables = frozenset(table for table, own in freeing.items() if any(own))
    loaders = frozenset(fn.name for fn in unit.functions if _loads_a_field(fn))
    # ... or whose releaser frees what the object it serves carries
    # (`kfree(cec_get_drvdata(adap))`): see Analysis.private_tables
    private_tables = frozenset(table for table, own in freeing.items() if own)
    interesting = _interesting(apis)
    file_vars = frozenset(unit.globals - names)
    global_frees = _global_frees(unit, apis, file_vars)
    initcalls = _initcalls(unit.lines)
    probes = _probes(unit, apis)
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
    called = _CalledIn(needed)
    order = call_order(needed)
    deferred: list[tuple[FunctionResult, tuple[int, str] | None, Leak, bool]] = []
    leftovers = result.leftovers
    lazy = _Lazy(result.summaries, order)
    eager = _eager(unit.functions, apis, db) if demand else None
    barren: set[str] = set()

    overwrite = _CallersOverwrite(unit.functions)
    listing = _Listing(unit.functions, apis, db)

    def new_analysis(fn: ir.Function, summaries) -> Analysis:
        a = Analysis(
            fn,
            apis,
            summaries,
            result.sites,
            fn.name in called,
            names,
            never_fails,
            releasers,
            never_fails.null_guard,
            release_tables,
            private_tables,
            file_vars,
            loaders,
            never_fails.switch_guard,
        )
        a.callers_overwrite = overwrite
        a.listing = listing
        a.init_entry = fn.name in initcalls and _init_section(fn, unit.lines)
        a.global_frees = global_frees
        a.probe = fn.name in probes
        return a

    def step(fn: ir.Function, summaries) -> FunctionResult | None:
        """Analyse one function as the loop in call order would (None: skipped)."""
        if id(fn) not in candidates:
            return None
        releasing = any(apis.releases(c) for c in fn.calls)
        if not (
            fn.calls & interesting
            or releasing
            or (fn.keeps_hint() is not False and _keeps_memory(fn))  # (False: surely not)
            or any(c in names and _relevant(summaries.get(c)) for c in sorted(fn.calls))
        ):
            return None
        a = new_analysis(fn, summaries)
        a.run()
        summary = summarize(a)
        fr = FunctionResult(
            fn, list(a.leaks.values()), summary, a.truncated, list(a.free_calls.values())
        )
        fr.stores = a.field_stores
        deferred.extend((fr, key, leak, a.cleans_up) for key, leak in a.deferred.values())
        leftovers.update(a.leftovers)
        return fr

    lazy.step = step
    for fn in order:
        if only is not None and fn.name not in only:
            continue
        if eager is not None and id(fn) not in eager[0]:
            # A caller of a same-file allocating function holds memory only if
            # some callee's summary (as this function's analysis sees it) gives
            # it some; otherwise it is analysed if and when its summary is asked for.
            if id(fn) not in eager[1]:
                continue
            limit = lazy.position[id(fn)]
            if not any(
                c in eager[2] and c not in barren and _gives_memory(lazy.summary(c, limit))
                for c in sorted(fn.calls)
            ):
                if defined[fn.name] == 1:
                    barren.add(fn.name)  # holds no memory, so its summary gives none
                continue
        fr = lazy.force(fn)
        if fr is not None:
            result.functions.append(fr)
    if demand:
        result.summaries = lazy  # the rest on demand (the driver model asks)
    else:
        for fn in order:
            s = lazy.get(fn.name)
            if s is not None:
                result.summaries.setdefault(fn.name, s)
    # A failing helper's leftovers count where a caller loses the structure
    # holding them (frees it, or leaks it); where no caller in the file sees
    # them, or callers only pass them up or drop a local structure holding
    # them, tentatively, unless the helper frees its own work on another
    # failing path. Such a helper's leftovers count too where a caller's error
    # path only runs some teardown that is taken to cover them.
    undone_by = _counterparts(unit, apis)
    for fr, key, leak, cleans_up in deferred:
        ident = (fr.function.name, *key) if key is not None else None
        if leak.reason == "left-in-global":
            fr.leaks.append(leak)  # no caller judges a global (see Analysis.run)
            continue
        kept = _kept_across_calls(fr.function, leak)
        if not kept and key is not None and fr.function.name in probes and core_drops(key[1]):
            fr.leaks.append(leak)  # (see core_drops)
            continue
        if not kept and key is not None and fr.function.name not in called:
            # `.open` leaves runtime->private_data, which `.close` frees: the
            # framework closes only what opened, so a failed open leaks it
            undoers = [lazy.get(u) for u in sorted(undone_by.get(fr.function.name, ()))]
            if any(u is not None and _frees_member(u, key) for u in undoers):
                fr.leaks.append(leak)
                continue
        if not kept and (
            ident in leftovers.confirmed
            or (cleans_up and ident in leftovers.assumed)
            or ident in leftovers.disowned
            or (
                # (the database knows functions of external linkage only)
                key is not None
                and db is not None
                and not fr.function.static
                and _lost_elsewhere(key, db.lost_leftovers.get(ident[0], ()))
            )
        ):
            fr.leaks.append(leak)
        elif (
            fr.function.name not in called
            or ident in leftovers.propagated
            or ident in leftovers.dropped
            or ident in leftovers.confirmed
        ):
            sure = cleans_up and not kept
            fr.leaks.append(leak if sure else dataclasses.replace(leak, tentative=True))
    dropped = lost_members(result.functions, lazy.done.values(), unit, apis, result.summaries, db)

    def rerun(fn: ir.Function, given: dict[int, dict]) -> Analysis:
        a = new_analysis(fn, lazy)
        a.given = given
        a.run()
        return a

    dropped += iterators.dropped_state(unit, apis, lazy, rerun)
    results = {id(fr.function): fr for fr in result.functions}
    for fn, leaks in dropped:  # (a teardown, an iterator's step: no memory of its own)
        if id(fn) in results:
            results[id(fn)].leaks.extend(leaks)
            continue
        summary = result.summaries.get(fn.name) or Summary(fn.name)
        result.functions.append(FunctionResult(fn, leaks, summary, truncated=False))
    for fr in result.functions:
        fr.leaks.sort(key=_leak_order)
    result.functions.sort(key=lambda r: r.function.span.line)
    return result


class _CallersOverwrite:
    """`overwrite(name, k)`: is `name` called in the file, and does every call
    assign its result to the expression it passes as argument k
    (`sids = grow_sids(sids, n)`)? Then a failing call that returns NULL
    loses what that argument held, unless the function freed it.

    Asked only where a function reallocates a parameter (rare), so worked out
    per name, reading only functions whose text names it."""

    def __init__(self, functions: list[ir.Function]) -> None:
        self.functions = functions
        self.known: dict[tuple[str, int], bool] = {}

    def __call__(self, name: str, index: int) -> bool:
        key = (name, index)
        if key not in self.known:
            self.known[key] = self._every_call_overwrites(name, index)
        return self.known[key]

    def _every_call_overwrites(self, name: str, index: int) -> bool:
        calls = overwriting = 0
        for fn in self.functions:
            if not fn.may_name((name,)):
                continue
            for node in fn.nodes:
                if node.expr is None:
                    continue
                for e in ir.walk(node.expr):
                    if isinstance(e, ir.Call) and e.func == name:
                        calls += 1
                    elif isinstance(e, ir.Assign) and e.op == "=":
                        call = ir.uncast(e.value)
                        overwriting += (
                            isinstance(call, ir.Call)
                            and call.func == name
                            and index < len(call.args)
                            and ir.uncast(call.args[index]).text == e.target.text
                        )
        return calls > 0 and overwriting == calls


class _CalledIn:
    """`name in called`: does some function of `functions` call `name`?

    Asked only of the functions analysed, so worked out per name, reading the
    CFG only of functions whose text names it (`ir.Function.may_name`), not
    of every function up front.
    """

    def __init__(self, functions: list[ir.Function]) -> None:
        self.functions = functions
        self.known: dict[str, bool] = {}
        self._complete: dict[str, bool] = {}

    def __contains__(self, name: str) -> bool:
        hit = self.known.get(name)
        if hit is None:
            hit = self.known[name] = any(
                name in fn.calls for fn in self.functions if fn.may_name((name,))
            )
        return hit


def _relevant(summary: Summary | None) -> bool:
    return summary is not None and summary.relevant


class _Lazy:
    """The file's summaries in call order, each function analysed at most once.

    `upto(fn)` is what the loop in call order showed `fn`'s analysis: the
    summary of a name is that of its first definition before `fn` in the
    order that was analysed (callees after it, in a cycle, are unknown).
    Forcing a function forces only functions before it, so any order of
    forcing gives the loop's results.
    """

    def __init__(self, known: _Known, order: list[ir.Function]) -> None:
        self.known = known
        self.position = {id(fn): i for i, fn in enumerate(order)}
        self.defs: dict[str, list[ir.Function]] = {}
        for fn in order:
            self.defs.setdefault(fn.name, []).append(fn)
        self.done: dict[int, FunctionResult | None] = {}
        self.step = None

    def force(self, fn: ir.Function) -> FunctionResult | None:
        key = id(fn)
        if key not in self.done:
            self.done[key] = None  # a cycle reaching back here sees no summary
            self.done[key] = self.step(fn, _Upto(self, self.position[key]))
        return self.done[key]

    def summary(self, name: str, limit: int) -> Summary | None:
        for fn in self.defs.get(name, ()):
            if self.position[id(fn)] >= limit:
                break
            fr = self.force(fn)
            if fr is not None:
                return fr.summary
        return None

    def get(self, name, default=None):
        if name in self.known.defined:
            found = self.summary(name, len(self.position))
        else:
            found = self.known.get(name)
        return default if found is None else found


class _Upto:
    """The summaries one function's analysis sees (see `_Lazy`)."""

    __slots__ = ("lazy", "limit")

    def __init__(self, lazy: _Lazy, limit: int) -> None:
        self.lazy = lazy
        self.limit = limit

    def get(self, name, default=None):
        lazy = self.lazy
        if name in lazy.known.defined:
            found = lazy.summary(name, self.limit)
        else:
            found = lazy.known.get(name)
        return default if found is None else found


def _gives_memory(summary: Summary | None) -> bool:
    """Does calling it leave new memory with the caller (returned, or in an argument)?"""
    return summary is not None and (
        summary.returns_alloc is not None
        or any("alloc" in (e.on_zero, e.on_nonzero) for e in summary.effects)
    )


def _eager(
    functions: list[ir.Function], apis: ApiTable, db: SummaryDb | None
) -> tuple[set[int], set[int], set[str]]:
    """Which functions rules may read results of: (ids that name an allocator or a
    free, ids that call a same-file function that may allocate, the names of
    the functions that may allocate).

    A function holds allocations only if it names an allocator (or a database
    function that leaves new memory) or a same-file callee's summary gives it
    memory, and such a callee names an allocator or calls one that may; it
    records frees only if it names a free API.  Hints are supersets of calls.
    """
    allocators, frees = _alloc_free_names(apis, db)
    hints = {id(fn): fn.call_hint() for fn in functions}
    direct = {id(fn) for fn in functions if hints[id(fn)] & (allocators | frees)}
    allocating = {id(fn) for fn in functions if hints[id(fn)] & allocators}
    names = {fn.name for fn in functions if id(fn) in allocating}
    callers: set[int] = set()
    grew = True
    while grew:
        grew = False
        for fn in functions:
            if id(fn) not in callers and hints[id(fn)] & names:
                callers.add(id(fn))
                if id(fn) not in allocating:
                    allocating.add(id(fn))
                    names.add(fn.name)
                    grew = True
    return direct, callers, names


_ALLOC_FREE_CACHE: list[tuple[ApiTable, SummaryDb | None, frozenset[str], frozenset[str]]] = []


def _frees_own_arg(fn: ir.Function, apis: ApiTable) -> bool:
    """Does `fn` free its first argument itself (`kfree(inst)`, not `kfree(inst->priv)`)?"""
    if not fn.params or not fn.params[0].pointer:
        return False
    first = fn.params[0].name
    for node in fn.nodes:
        for e in ir.walk(node.expr) if node.expr is not None else ():
            if isinstance(e, ir.Call):
                api = apis.role(e.func, "free")
                if api is not None and api.pointer is not None and api.pointer < len(e.args):
                    arg = ir.uncast(e.args[api.pointer])
                    if isinstance(arg, ir.Name) and arg.name == first:
                        return True
    return False


class _Listing:
    """`name in listing`: is `name` a function of this file whose summary's
    member frees can be taken as the whole of what it frees? One that gives
    its parameters (or what they hold) only to free APIs and to functions
    whose summaries it carries (this file's, the database's): not
    `ds_free(info)` calling `ds_release_resources(info)`, of which nothing is
    known, and which may free any member.
    Worked out per name, when a destructor's summary lists member frees."""

    def __init__(self, functions: list[ir.Function], apis: ApiTable, db: SummaryDb | None) -> None:
        self.by_name = {fn.name: fn for fn in functions if fn.header is None}
        self.apis = apis
        self.db = db
        self.known: dict[str, bool] = {}
        self._complete: dict[str, bool] = {}

    def __contains__(self, name: str) -> bool:
        hit = self.known.get(name)
        if hit is None:
            fn = self.by_name.get(name)
            self.known[name] = False  # (while it is worked out: a cycle is not known)
            hit = self.known[name] = fn is not None and self._hands_only_to_known(fn)
        return hit

    def complete(self, name: str) -> bool:
        """In the listing, and frees nothing but through its parameters' own
        names (not `while (ptr->cda) { kfree(ptr->cda); ptr++; }` through a
        local walking the array, which its summary may not follow).
        (Asked at every call of a summary: worked out once per name.)"""
        hit = self._complete.get(name)
        if hit is None:
            hit = self._complete[name] = name in self and self._frees_through_params(
                self.by_name[name]
            )
        return hit

    def _frees_through_params(self, fn: ir.Function) -> bool:
        params = {p.name for p in fn.params if p.pointer}
        for call in ir.call_exprs(fn):
            api = self.apis.role(call.func, "free")
            if api is None or api.pointer is None or api.pointer >= len(call.args):
                continue
            if root_name(call.args[api.pointer]) not in params:
                return False
        return True

    def _hands_only_to_known(self, fn: ir.Function) -> bool:
        params = {p.name for p in fn.params if p.pointer}
        # (and the locals set from them: `void *b = s->buf; vendor_release(b);`)
        for n in fn.nodes:
            if n.kind is ir.Kind.DECL and n.name and n.expr is not None:
                if root_name(n.expr) in params:
                    params.add(n.name)
        for call in ir.call_exprs(fn):
            if not any(root_name(arg) in params for arg in call.args):
                continue
            if self.apis.role(call.func, "free") is not None:
                continue
            if call.func in self.by_name:
                if call.func in self:
                    continue  # (a function of the file that itself gives them to known code)
                return False
            if self.db is None or self.db.get(call.func) is None:
                return False
        return True


def _alloc_free_names(apis: ApiTable, db: SummaryDb | None) -> tuple[frozenset, frozenset]:
    """Allocator names (with database functions that leave new memory), free names."""
    for table, known, allocators, frees in _ALLOC_FREE_CACHE:
        if table is apis and known is db:
            return allocators, frees
    names = apis.names("allocator") | apis.names("reallocator") | apis.names("fills")
    if db is not None:
        names |= db_allocators(db)
    frees = apis.names("free") | apis.names("empties")
    entry = (apis, db, frozenset(names), frozenset(frees))
    _ALLOC_FREE_CACHE[:] = [entry]
    return entry[2], entry[3]


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
    known = fn.keeps_known()  # (a lazy frontend's answer without the CFG)
    if known is not None:
        return known
    pointers = {p.name for p in fn.params if p.pointer}
    for node in fn.nodes:
        if node.cleanup:
            return True
        if node.expr is None or not pointers:
            continue
        for e in ir.walk(node.expr):
            if isinstance(e, ir.Assign) and not isinstance(e.target, ir.Name):
                value = ir.uncast(e.value)
                if isinstance(value, ir.Binary) and value.op == "|":
                    value = ir.uncast(value.left)  # `(unsigned long)spec | flags`
                if isinstance(value, ir.Name) and value.name in pointers:
                    return True
    return False


def _lost_elsewhere(key: tuple[int, str], lost) -> bool:
    """Does a caller in another file lose the leftover `key` (parameter,
    chain), by the database's `lost_leftovers`: that very leftover, or
    anything left in that parameter's own structure (ANY_MEMBER, see
    summarydb._WhatIf): `->log`, `->u.phy`, `->vcs[]`, not `->dev->buf`,
    which hangs off another object the caller does not free."""
    if key in lost:
        return True
    return (key[0], ANY_MEMBER) in lost and _IN_STRUCTURE.fullmatch(key[1]) is not None


# A chain that stays in the structure a parameter points to: one step into
# it, then only embedded members or array elements.
_IN_STRUCTURE = re.compile(r"(->\w+|\*)(\.\w+|\[\])*")


def _kept_across_calls(fn: ir.Function, leak: Leak) -> bool:
    """`if (!cep->mpa.pdata) cep->mpa.pdata = kmalloc(..)`: a member the
    function fills only when it is empty is kept for its next call (a
    partial read returning -EAGAIN), whatever its callers free elsewhere.
    (A test of the member being set, `if (f->buf) kfree(f->buf);` before a
    new one, is not such a guard.)"""
    before = leak.site.span.line
    guards = [
        n
        for n in fn.nodes
        if n.kind is ir.Kind.BRANCH
        and n.expr is not None
        and n.span.line < before
        and _tests_empty(n.expr, leak.holder)
    ]
    if not guards:
        return False
    # (`wa->address = dma_pool_zalloc(..); if (!wa->address)` checks a fill
    # of another branch, not whether the member is still empty)
    filled = {s for n in fn.nodes if _assigns(n, leak.holder) for s in n.succs}
    return any(n.id not in filled for n in guards)


def _assigns(node: ir.Node, holder: str) -> bool:
    """Does this statement store into `holder` (`holder = ..`)?"""
    e = node.expr
    return isinstance(e, ir.Assign) and ir.uncast(e.target).text == holder


def _tests_empty(cond: ir.Expr, holder: str) -> bool:
    """`!holder`, `holder == NULL`, `NULL == holder`, or one of them and'ed."""
    cond = ir.uncast(cond)
    if isinstance(cond, ir.Binary) and cond.op == "&&":
        return _tests_empty(cond.left, holder) or _tests_empty(cond.right, holder)
    if isinstance(cond, ir.Unary) and cond.op == "!":
        return ir.uncast(cond.operand).text == holder
    if isinstance(cond, ir.Binary) and cond.op == "==":
        left, right = ir.uncast(cond.left), ir.uncast(cond.right)
        return (left.text == holder and ir.is_zero(right)) or (
            right.text == holder and ir.is_zero(left)
        )
    return False


def _loads_a_field(fn: ir.Function) -> bool:
    """`return (void *)desc_info->desc->cookie;`: every return reads a pointer
    out of memory, so the result is another object than the argument, not
    a view into it (Analysis.loaders)."""
    returned = [n.expr for n in fn.nodes if n.kind is ir.Kind.RETURN]
    return bool(returned) and all(
        e is not None and isinstance(v := ir.uncast(e), ir.Field) and v.arrow for e in returned
    )


def _probes(unit: ir.Unit, apis: ApiTable) -> frozenset[str]:
    """The functions the file binds as a driver's probe ([[driver]]: `.probe`,
    an ACPI driver's `.ops.add`)."""
    out: set[str] = set()
    for init in unit.initializers:
        dt = apis.driver_type(init.struct_type)
        if dt is not None:
            values = dict(init.fields)
            out.update(values[k] for k in dt.probe if values.get(k))
    return frozenset(out)


_MODULE_INIT = re.compile(r"\bmodule_init\(\s*(\w+)\s*\)")


def _initcalls(lines: list[str]) -> frozenset[str]:
    """Functions the file registers as its module's init (`module_init(foo_init)`):
    when one fails, the module is not loaded and nothing of the file runs
    again. (Not the built-in initcalls, `early_initcall()` and kin: the rest
    of the file may still run, and use what the global holds.)"""
    return frozenset(m.group(1) for line in lines for m in _MODULE_INIT.finditer(line))


def _global_frees(
    unit: ir.Unit, apis: ApiTable, file_vars: frozenset[str]
) -> dict[str, frozenset[str]]:
    """Function -> the file's globals it frees by name (`kfree(stub_chips)`),
    itself or through the file's functions it calls (`i2c_stub_free()`).
    Summaries say what a function does to its arguments, not to globals."""
    if not file_vars:
        return {}
    direct: dict[str, set[str]] = {}
    for fn in unit.functions:
        if not any(api.role == "free" for c in fn.call_hint() for api in apis.lookup(c)):
            continue
        params = {p.name for p in fn.params}  # (a parameter named as a global hides it)
        for call in ir.call_exprs(fn):
            for api in apis.lookup(call.func):
                if api.role != "free" or api.pointer is None or api.pointer >= len(call.args):
                    continue
                arg = ir.uncast(call.args[api.pointer])
                if isinstance(arg, ir.Name) and arg.name in file_vars and arg.name not in params:
                    direct.setdefault(fn.name, set()).add(arg.name)
    if not direct:
        return {}
    out = {name: set(g) for name, g in direct.items()}
    changed = True
    while changed:  # (callers of a function that frees one, to a fixed point)
        changed = False
        for fn in unit.functions:
            got = out.get(fn.name, set())
            more = set().union(*(out[c] for c in fn.call_hint() if c in out and c != fn.name))
            if not more <= got:
                out[fn.name] = got | more
                changed = True
    return {name: frozenset(g) for name, g in out.items()}


def _init_section(fn: ir.Function, lines: list[str]) -> bool:
    """Is the function declared `__init` (`static int __init foo_init(void)`)?
    Read from the source lines, which both frontends keep: tree-sitter's text
    has the annotation blanked, and clang's stub headers define it away."""
    head = "\n".join(lines[fn.span.line - 1 : fn.span.line + 2])
    at = re.search(r"\b" + re.escape(fn.name) + r"\s*\(", head)  # (`foo_init (void)` too)
    return at is not None and re.search(r"\b__init\b", head[: at.start()]) is not None


def _counterparts(unit: ir.Unit, apis: ApiTable) -> dict[str, set[str]]:
    """Function -> the functions of this file that undo it, by the ops tables
    that hold both (`.open = foo_open, .close = foo_close`: [[counterparts]]),
    static or filled in at run time (`f->bind = foo_bind; f->unbind =
    foo_unbind;` in one function)."""
    tables = [list(init.fields) for init in unit.initializers]
    names = {fn.name for fn in unit.functions}
    for fn in unit.functions:
        filled: dict[str, list[tuple[str, str]]] = {}  # object -> (field, function)
        for node in fn.nodes:
            for e in ir.walk(node.expr) if node.expr is not None else ():
                if (
                    isinstance(e, ir.Assign)
                    and isinstance(e.target, ir.Field)
                    and isinstance(v := ir.uncast(e.value), ir.Name)
                    and v.name in names
                ):
                    filled.setdefault(e.target.base.text, []).append((e.target.field, v.name))
        tables.extend(filled.values())
    out: dict[str, set[str]] = {}
    for fields in tables:
        for setup_path, setup in fields:
            for undo_path, undo in fields:
                if setup != undo and apis.counterparts(
                    setup_path.rsplit(".", 1)[-1], undo_path.rsplit(".", 1)[-1]
                ):
                    out.setdefault(setup, set()).add(undo)
    return out


def _frees_member(summary: Summary, key: tuple[int, str]) -> bool:
    """Does the function summarised free what parameter key[0] reaches by key[1]?"""
    return any(
        (e.index, e.chain) == key and "freed" in (e.on_zero, e.on_nonzero) for e in summary.effects
    )
