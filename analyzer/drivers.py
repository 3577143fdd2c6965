"""The driver model: which functions run only while a device binds or unbinds.

devres frees device-managed memory when probe fails or after remove
returns, so whether a `devm_kfree()` is redundant, or a `kfree()` of devm
memory a double free, depends on where the call runs.  This module links
the driver struct initialisers (`static struct platform_driver foo = {
.probe = foo_probe, .remove = foo_remove }`) to their callbacks, finds the
helpers that only they call, links drvdata set in probe with drvdata read
in remove field by field, and answers the questions the devm rules ask:
is this free on an error exit that fails probe, which device owns the
memory, is the pointer NULLed after the free.

Everything kernel specific (driver struct types and their callback
fields, drvdata setters and getters) is data in `rules/apis.toml`.  The
model reads the IR and the ownership engine's observations; it never
guesses from function names.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from analyzer import ir
from analyzer.apis import ApiTable
from analyzer.engine import FunctionResult, UnitResult
from analyzer.ir import Kind
from analyzer.ownership import MANAGED, OWNED, FreeCall, Site, path_of

PROBE, REMOVE = "probe", "remove"
_MAX_WALK = 4000  # states per forward walk; beyond that the answer is "unknown"
_MAX_DEPTH = 6  # caller chains followed when proving a failure fails probe


@dataclass(frozen=True, slots=True)
class Binding:
    """One driver struct initialiser and the callbacks it binds."""

    variable: str
    struct_type: str
    probe: tuple[str, ...]
    remove: tuple[str, ...]
    shutdown: tuple[str, ...]
    span: ir.Span


@dataclass(frozen=True, slots=True)
class FieldFact:
    """What probe stored in a field of the drvdata object: `->buf` <- devm_kzalloc."""

    chain: str
    sites: tuple[Site, ...]
    managed: bool  # every allocation stored there is device-managed


@dataclass
class DriverModel:
    result: UnitResult
    apis: ApiTable
    bindings: list[Binding] = field(default_factory=list)
    functions: dict[str, ir.Function] = field(default_factory=dict)
    callers: dict[str, set[str]] = field(default_factory=dict)
    callbacks: set[str] = field(default_factory=set)  # referenced as a value
    # Functions every call chain of which starts at probe and/or remove.
    contexts: dict[str, frozenset[str]] = field(default_factory=dict)
    # Per function: locals and parameters that hold the drvdata object.
    roots: dict[str, set[str]] = field(default_factory=dict)
    fields: dict[str, FieldFact] = field(default_factory=dict)
    managed_families: set[str] = field(default_factory=set)
    _fatal: dict[str, bool] = field(default_factory=dict)

    # ------------------------------------------------------------ queries

    def context(self, name: str) -> frozenset[str]:
        """{"probe"}, {"remove"}, both, or empty: reachable from elsewhere (runtime)."""
        return self.contexts.get(name, frozenset())

    def is_managed(self, site: Site) -> bool:
        return site.managed or site.family in self.managed_families

    def drvdata_field(self, fn: ir.Function, expr: ir.Expr) -> FieldFact | None:
        """`priv->buf` where priv is this function's drvdata object: what probe stored there."""
        p = path_of(_strip(expr))
        if p is None or not p[1] or p[0] not in self.roots.get(fn.name, ()):
            return None
        return self.fields.get("".join(p[1]))

    def reached(self, fc: FreeCall) -> Iterator[tuple[Site, str]]:
        """Allocation sites (not parameters) that reached a free, with their status."""
        for site, status in sorted(fc.reached, key=lambda x: (x[0].span.line, x[0].rid, x[1])):
            if site.param is None and site.api:
                yield site, status

    def managed_reach(self, fc: FreeCall) -> list[Site]:
        return [s for s, st in self.reached(fc) if st == MANAGED and self.is_managed(s)]

    def stored_reach(self, fr: FunctionResult, fc: FreeCall) -> list[Site]:
        """When the engine lost the memory (`pf->buf` in a block it does not track):
        the allocations this function stored under the very same access path."""
        if any(self.reached(fc)) or fc.api.pointer is None or fc.api.pointer >= len(fc.call.args):
            return []
        p = path_of(_strip(fc.call.args[fc.api.pointer]))
        if p is None or not p[1]:
            return []
        key = (p[0], tuple(p[1]))
        return sorted(
            {s for root, tokens, s in fr.stores if (root, tokens) == key and s.api},
            key=lambda s: s.rid,
        )

    def unmanaged_reach(self, fc: FreeCall) -> list[Site]:
        return [s for s, st in self.reached(fc) if st in OWNED and not self.is_managed(s)]

    def exit_classes(self, fn: ir.Function, fc: FreeCall) -> set[str]:
        """Exit classes ("error", "success", "unknown", "void") reachable after a free."""
        out: set[str] = set()
        node = fn.nodes[fc.node] if 0 <= fc.node < len(fn.nodes) else None
        if node is None:
            return {"unknown"}
        for snap in fc.vals or {frozenset()}:
            vals = {k: v for k, v in snap if v in ("zero", "nonzero")}
            out |= _walk(self, fn, [(s, vals) for s in node.succs])
        return out

    def failure_fails_probe(self, name: str, depth: int = 0) -> bool:
        """Does every in-file call chain turn a failure of `name` into a failed probe?"""
        if name in self._fatal:
            return self._fatal[name]
        fn = self.functions.get(name)
        if fn is None or depth > _MAX_DEPTH or self.context(name) != {PROBE}:
            return False
        if any(name in b.probe for b in self.bindings):
            return True
        if fn.returns_void:
            return False
        self._fatal[name] = False  # cycles prove nothing
        ok = bool(self.callers.get(name))
        for caller in sorted(self.callers.get(name, ())):
            g = self.functions[caller]
            for node in g.nodes:
                call = _call_in(node, name)
                if call is None:
                    continue
                classes = _walk_from_call(self, g, node, call, _error_value(fn))
                if "error" not in classes or "success" in classes:
                    ok = False
            if ok and not self.failure_fails_probe(caller, depth + 1):
                ok = False
            if not ok:
                break
        self._fatal[name] = ok
        return ok

    def bound_device(self, fn: ir.Function, expr: ir.Expr, depth: int = 0) -> bool:
        """Is expr the device the driver is bound to (`&pdev->dev`, a `dev` set from it)?"""
        expr = _strip(expr)
        if depth > _MAX_DEPTH:
            return False
        if isinstance(expr, ir.Unary) and expr.op == "&":
            inner = _strip(expr.operand)
            if isinstance(inner, ir.Field) and inner.field == "dev":
                base = _strip(inner.base)
                return isinstance(base, ir.Name) and self._bus_device(fn, base.name, depth)
            return False
        if isinstance(expr, ir.Field) and expr.arrow and expr.field == "dev":
            # `priv->dev`: bound when every store of a `->dev` field in the file is.
            values = list(self._field_values("dev"))
            return bool(values) and all(self.bound_device(f, v, depth + 1) for f, v in values)
        if isinstance(expr, ir.Name):
            return self._bound_name(fn, expr.name, depth)
        return False

    def nulled_after(self, fn: ir.Function, fc: FreeCall) -> bool:
        """`devm_kfree(dev, p->buf); p->buf = NULL;`: a pointer kept for later reuse."""
        if fc.api.pointer is None or fc.api.pointer >= len(fc.call.args):
            return False
        target = _strip(fc.call.args[fc.api.pointer]).text
        # Also the longer-lived places it was copied to (`spi->dev.platform_data = pdata`).
        places = {target}
        for node in fn.nodes:
            if node.expr is not None:
                for e in ir.walk(node.expr):
                    if isinstance(e, ir.Assign) and _strip(e.value).text == target:
                        places.add(e.target.text)
        seen: set[int] = set()
        todo = [fc.node]
        while todo:
            nid = todo.pop()
            if nid in seen or not 0 <= nid < len(fn.nodes):
                continue
            seen.add(nid)
            node = fn.nodes[nid]
            if node.expr is not None:
                for e in ir.walk(node.expr):
                    if isinstance(e, ir.Assign) and e.op == "=" and e.target.text in places:
                        if _is_null(e.value):
                            return True
            if node.kind is not Kind.RETURN:
                todo.extend(node.succs)
        return False

    def allocation_call(self, site: Site) -> tuple[ir.Function, ir.Call] | None:
        """The call expression that made an allocation site, and its function."""
        for fn in self.functions.values():
            if not fn.span.line <= site.span.line <= fn.span.end_line:
                continue
            for node in fn.nodes:
                if node.expr is None:
                    continue
                for e in ir.walk(node.expr):
                    if isinstance(e, ir.Call) and e.span == site.span:
                        return fn, e
        return None

    def device_arg(self, call: ir.Call) -> ir.Expr | None:
        for api in self.apis.lookup(call.func):
            if api.device is not None and api.device < len(call.args):
                return call.args[api.device]
        return None

    def binding_of(self, name: str) -> Binding | None:
        """The driver whose probe reaches `name` through probe-only helpers."""
        for b in self.bindings:
            seen: set[str] = set()
            todo = list(b.probe)
            while todo:
                f = todo.pop()
                if f in seen or f not in self.functions:
                    continue
                if f == name:
                    return b
                seen.add(f)
                todo.extend(c for c in self.functions[f].calls if PROBE in self.context(c))
        return None

    def lifetime_stores(self) -> Iterator[tuple[str, str, Site]]:
        """(function, field chain, site): plain allocations probe keeps in the drvdata object."""
        for fr in self.result.functions:
            name = fr.function.name
            if PROBE not in self.context(name):
                continue
            paths: dict[int, set] = {}
            for root, tokens, site in fr.stores:
                paths.setdefault(site.rid, set()).add((root, tokens))
            for root, tokens, site in sorted(fr.stores, key=lambda x: x[2].rid):
                if len(paths[site.rid]) > 1:
                    continue  # also kept elsewhere (`a->x = p; b->y = p;`): whose is it?
                if site.param is None and site.api and not self.is_managed(site):
                    if site.family in self.apis.holder_families():
                        continue  # (a net_device: its framework's puts free it)
                    if root in self.roots.get(name, ()):
                        yield name, "".join(tokens), site

    def field_released(self, chain: str, frees: bool = True) -> bool:
        """Could anything in the file free, hand over or copy a field of this name?

        Deliberately name-based and file-wide: a field is taken as released
        when any function frees a path ending in it, passes it to a callee that
        may keep or release it, copies it elsewhere, or hands the whole
        drvdata object to a release-named callee defined outside the file.
        With `frees=False` (DML006, which itself requires remove to free the
        field directly and accounts for every free of it), free API calls do not
        count, nor does remove handing the device to a release-named function,
        nor a same-file callee that only borrows the field.
        """
        last = _last_field(_tokens(chain))
        if not last or (frees and self._delegates_remove()):
            return True
        for fn in self.functions.values():
            for node in fn.nodes:
                if node.expr is None:
                    continue
                for e in ir.walk(node.expr):
                    if not frees and isinstance(e, ir.Call) and self._frees_field(e, last):
                        continue
                    if isinstance(e, ir.Call) and self._releases_field(fn, e, last, frees):
                        return True
                    if (
                        isinstance(e, ir.Assign)
                        and _ends_with(e.value, last)
                        and not _ends_with(e.target, last)
                    ):
                        return True  # copied elsewhere: ownership may move
                if node.kind is Kind.DECL and node.expr is not None:
                    if _ends_with(node.expr, last):
                        return True
                if node.kind is Kind.RETURN and node.expr is not None:
                    if _ends_with(node.expr, last):
                        return True
        return False

    def _frees_field(self, call: ir.Call, last: str) -> bool:
        """A call of a free API (of the field, or of the object holding it)."""
        return any(a.role == "free" for a in self.apis.lookup(call.func))

    def _delegates_remove(self) -> bool:
        """Remove hands a whole object (`mptscsih_remove(pdev)`) to a release-named
        function of another file, which may free what probe stored."""
        for name, fn in self.functions.items():
            if REMOVE not in self.context(name):
                continue
            for call in _calls(fn):
                if (
                    call.func
                    and call.func not in self.functions
                    and not self.apis.lookup(call.func)
                    and self.apis.releases(call.func)
                    and not self.apis.borrows(call.func)
                    and any(self._whole_device(fn, a) for a in call.args)
                ):
                    return True
        return False

    def _whole_device(self, fn: ir.Function, arg: ir.Expr) -> bool:
        """The bus device a remove callback gets, or this function's drvdata object."""
        arg = _strip(arg)
        if not isinstance(arg, ir.Name):
            return False
        if arg.name in self.roots.get(fn.name, ()):
            return True
        return bool(fn.params) and fn.params[0].name == arg.name and self._is_root(fn.name)

    def _releases_field(
        self, fn: ir.Function, call: ir.Call, last: str, lends: bool = True
    ) -> bool:
        name = call.func
        for index, arg in enumerate(call.args):
            if not _ends_with(arg, last):
                if (
                    isinstance(_strip(arg), ir.Name)
                    and _strip(arg).name in self.roots.get(fn.name, ())
                    and name not in self.functions
                    and self.apis.releases(name)
                    and not self.apis.borrows(name)
                ):
                    return True  # `foo_destroy(priv)`: may free what priv holds
                continue
            if name is None:
                return True  # through a function pointer: anything may happen
            if name in self.functions:
                summary = self.result.summaries.get(name)
                if summary is not None and any(
                    e.index == index and (lends or {e.on_zero, e.on_nonzero} - {None, "lent"})
                    for e in summary.effects
                ):
                    return True  # the callee frees, keeps or lends it
                continue
            apis = self.apis.lookup(name)
            if any(a.role == "sink" and _into_stack(fn, call, a.into) for a in apis):
                continue  # `sg_init_one(&sg, nfc->dma_buf, len)`: a local scatterlist
            roles = {a.role for a in apis}
            if roles & {"free", "sink", "transfer", "reallocator"}:
                return True
            if self.apis.keeps(name) or self.apis.releases(name):
                return True
            if not roles and not self.apis.borrows(name) and self.apis.constructs(name):
                return True
        return False

    # ------------------------------------------------------------ internals

    def _bus_device(self, fn: ir.Function, name: str, depth: int) -> bool:
        """`pdev` in `&pdev->dev`: the bus device a probe/remove callback receives."""
        for i, p in enumerate(fn.params):
            if p.name == name:
                if self._is_root(fn.name) and i == 0:
                    return True
                return self._param_bound(fn, i, depth, bus=True)
        return False

    def _bound_name(self, fn: ir.Function, name: str, depth: int) -> bool:
        for i, p in enumerate(fn.params):
            if p.name == name:
                if self._is_root(fn.name) and i == 0 and "struct device" == p.type_text.strip():
                    return True
                return self._param_bound(fn, i, depth, bus=False)
        values = list(_assigned_values(fn, name))
        return bool(values) and all(self.bound_device(fn, v, depth + 1) for v in values)

    def _param_bound(self, fn: ir.Function, index: int, depth: int, bus: bool) -> bool:
        """A helper's parameter: bound when every in-file caller passes the bound one."""
        if not self.context(fn.name) or fn.name in self.callbacks:
            return False
        sites = [
            (self.functions[c], call)
            for c in sorted(self.callers.get(fn.name, ()))
            for call in _calls_of(self.functions[c], fn.name)
        ]
        if not sites:
            return False
        for caller, call in sites:
            if index >= len(call.args):
                return False
            arg = _strip(call.args[index])
            if bus:
                if not (isinstance(arg, ir.Name) and self._bus_device(caller, arg.name, depth + 1)):
                    return False
            elif not self.bound_device(caller, arg, depth + 1):
                return False
        return True

    def _is_root(self, name: str) -> bool:
        return any(name in b.probe or name in b.remove for b in self.bindings)

    def _field_values(self, name: str) -> Iterator[tuple[ir.Function, ir.Expr]]:
        for fn in self.functions.values():
            for node in fn.nodes:
                if node.expr is None:
                    continue
                for e in ir.walk(node.expr):
                    if (
                        isinstance(e, ir.Assign)
                        and e.op == "="
                        and isinstance(e.target, ir.Field)
                        and e.target.field == name
                        and e.target.arrow
                    ):
                        yield fn, e.value


def model(result: UnitResult, apis: ApiTable) -> DriverModel:
    """The driver model of one analysed file (built once, shared by the rules)."""
    cached = result.derived.get("drivers")
    if isinstance(cached, DriverModel) and cached.apis is apis:
        return cached
    m = _build(result, apis)
    result.derived["drivers"] = m
    return m


def _build(result: UnitResult, apis: ApiTable) -> DriverModel:
    unit = result.unit
    m = DriverModel(result, apis)
    for fn in unit.functions:
        m.functions.setdefault(fn.name, fn)
    m.managed_families = {
        a.family
        for entries in apis.by_name.values()
        for a in entries
        if a.managed and a.role in ("allocator", "reallocator")
    }
    m.bindings = _bindings(unit, apis, m.functions)
    bound = {f for b in m.bindings for f in (*b.probe, *b.remove, *b.shutdown)}
    for fn in m.functions.values():
        if not fn.may_name(m.functions.keys()):
            continue  # calls none of them (by its text): no CFG needed to tell
        for callee in fn.calls:
            if callee in m.functions:
                m.callers.setdefault(callee, set()).add(fn.name)
    m.callbacks = _value_references(unit, m.functions, bound)
    m.contexts = _contexts(m)
    m.roots = _drvdata_roots(m)
    m.fields = _field_facts(m)
    return m


def _bindings(unit: ir.Unit, apis: ApiTable, functions: dict) -> list[Binding]:
    out = []
    for init in unit.initializers:
        dt = apis.driver_type(init.struct_type)
        if dt is None:
            continue
        values = dict(init.fields)

        def pick(keys: tuple[str, ...], values=values) -> tuple[str, ...]:
            return tuple(values[k] for k in keys if values.get(k) in functions)

        probe = pick(dt.probe)
        if probe:
            out.append(
                Binding(
                    init.variable,
                    init.struct_type,
                    probe,
                    pick(dt.remove),
                    pick(dt.shutdown),
                    init.span,
                )
            )
    return out


def _value_references(unit: ir.Unit, functions: dict, bound: set[str]) -> set[str]:
    """Functions used as values (callbacks, ops tables) other than as driver callbacks."""
    out: set[str] = set()
    for init in unit.initializers:
        for _, value in init.fields:
            if value in functions and value not in bound:
                out.add(value)
    for fn in functions.values():
        if fn.may_name(functions.keys()):  # (else it names none of them, by its text)
            out |= fn.names() & functions.keys()
    return out


def _contexts(m: DriverModel) -> dict[str, frozenset[str]]:
    """Greatest fixpoint: a function is lifecycle-only if it is a driver callback or a
    static helper not used as a value, all of whose in-file callers are lifecycle-only."""
    roots: dict[str, set[str]] = {}
    for b in m.bindings:
        for f in b.probe:
            roots.setdefault(f, set()).add(PROBE)
        for f in b.remove:
            roots.setdefault(f, set()).add(REMOVE)
    cand = {
        name
        for name, fn in m.functions.items()
        if name not in m.callbacks and (name in roots or (fn.static and m.callers.get(name)))
    }
    changed = True
    while changed:
        changed = False
        for name in sorted(cand):
            if any(c not in cand for c in m.callers.get(name, ())):
                cand.discard(name)
                changed = True
    ctx: dict[str, set[str]] = {n: set(roots[n]) for n in roots if n in cand}
    changed = True
    while changed:
        changed = False
        for name in sorted(cand):
            fn = m.functions[name]
            for callee in fn.calls if fn.may_name(cand) else ():
                if callee in cand and callee != name:
                    have = ctx.setdefault(callee, set())
                    add = ctx.get(name, set()) - have
                    if add:
                        have |= add
                        changed = True
    return {n: frozenset(c) for n, c in ctx.items() if c}


def _drvdata_roots(m: DriverModel) -> dict[str, set[str]]:
    """Locals set from a drvdata getter, handed to a drvdata setter, and parameters of
    lifecycle helpers that every caller passes such a local."""
    setters = {n for n, entries in m.apis.by_name.items() if any(a.drvdata for a in entries)}
    roots: dict[str, set[str]] = {}
    for fn in m.functions.values():
        if not m.context(fn.name):
            continue
        found = roots.setdefault(fn.name, set())
        for node in fn.nodes:
            if node.kind is Kind.DECL and node.name and node.expr is not None:
                if _getter_call(m, node.expr):
                    found.add(node.name)
            if node.expr is None:
                continue
            for e in ir.walk(node.expr):
                if (
                    isinstance(e, ir.Assign)
                    and isinstance(e.target, ir.Name)
                    and _getter_call(m, e.value)
                ):
                    found.add(e.target.name)
                if isinstance(e, ir.Call) and e.func in setters:
                    for api in m.apis.lookup(e.func):
                        if api.drvdata and api.pointer is not None and api.pointer < len(e.args):
                            arg = _strip(e.args[api.pointer])
                            if isinstance(arg, ir.Name):
                                found.add(arg.name)
    for _ in range(_MAX_DEPTH):
        changed = False
        for fn in m.functions.values():
            if not m.context(fn.name) or not fn.static:
                continue
            sites = [
                (c, call)
                for c in sorted(m.callers.get(fn.name, ()))
                for call in _calls_of(m.functions[c], fn.name)
            ]
            if not sites:
                continue
            for i, p in enumerate(fn.params):
                if not p.pointer or p.name in roots.get(fn.name, ()):
                    continue
                if all(
                    i < len(call.args)
                    and isinstance(_strip(call.args[i]), ir.Name)
                    and _strip(call.args[i]).name in roots.get(c, ())
                    for c, call in sites
                ):
                    roots.setdefault(fn.name, set()).add(p.name)
                    changed = True
        if not changed:
            break
    return roots


def _field_facts(m: DriverModel) -> dict[str, FieldFact]:
    """Allocations probe stores in the drvdata object, by field chain.

    A chain counts only when every allocation stored into a field of that
    name anywhere in the file is of one kind (managed or not): a runtime
    path that re-allocates the field with kmalloc makes the fact unsafe.
    """
    by_chain: dict[str, list[Site]] = {}
    by_last: dict[str, set[bool]] = {}
    for fr in m.result.functions:
        name = fr.function.name
        for root, tokens, site in fr.stores:
            if site.param is not None or not site.api:
                continue
            last = _last_field(tokens)
            by_last.setdefault(last, set()).add(m.is_managed(site))
            if PROBE in m.context(name) and root in m.roots.get(name, ()):
                by_chain.setdefault("".join(tokens), []).append(site)
    out = {}
    for chain, sites in by_chain.items():
        kinds = {m.is_managed(s) for s in sites}
        if len(kinds) != 1 or len(by_last.get(_last_field(_tokens(chain)), kinds)) != 1:
            continue
        out[chain] = FieldFact(chain, tuple(sorted(set(sites), key=lambda s: s.rid)), kinds.pop())
    return out


# ---------------------------------------------------------------- the walk


def _walk(m: DriverModel, fn: ir.Function, start: list[tuple[int, dict[str, str]]]) -> set[str]:
    """Exit classes reachable from `start`, tracking zero/non-zero int variables."""
    out: set[str] = set()
    seen: set[tuple[int, frozenset]] = set()
    todo = list(start)
    while todo:
        if len(seen) > _MAX_WALK:
            out.add("unknown")
            break
        nid, vals = todo.pop()
        key = (nid, frozenset(vals.items()))
        if key in seen or not 0 <= nid < len(fn.nodes):
            continue
        seen.add(key)
        node = fn.nodes[nid]
        if node.kind is Kind.RETURN:
            out.add(_classify_return(m, fn, node.expr, vals, {}))
            continue
        if node.kind is Kind.BRANCH and node.expr is not None:
            truth = _truth(m, node.expr, vals, {})
            for slot, succ in enumerate(node.succs[:2]):
                if truth is None or truth == (slot == 0):
                    todo.append((succ, vals))
            continue
        vals = _assign(m, node, vals, {})
        todo.extend((s, vals) for s in node.succs)
    return out


def _walk_from_call(
    m: DriverModel, fn: ir.Function, node: ir.Node, call: ir.Call, err: str
) -> set[str]:
    """Exit classes of `fn` reachable when `call` (in `node`) returns the error value."""
    subst = {call.span: err}
    if node.kind is Kind.RETURN:
        return {_classify_return(m, fn, node.expr, {}, subst)}
    if node.kind is Kind.BRANCH and node.expr is not None:
        truth = _truth(m, node.expr, {}, subst)
        starts = [
            (succ, {})
            for slot, succ in enumerate(node.succs[:2])
            if truth is None or truth == (slot == 0)
        ]
        return _walk(m, fn, starts)
    vals = _assign(m, node, {}, subst)
    return _walk(m, fn, [(s, vals) for s in node.succs])


def _assign(m: DriverModel, node: ir.Node, vals: dict[str, str], subst) -> dict[str, str]:
    if node.expr is None:
        return vals
    vals = dict(vals)
    if node.kind is Kind.DECL and node.name:
        vals.pop(node.name, None)
        v = _value(m, node.expr, vals, subst)
        if v is not None:
            vals[node.name] = v
        return vals
    for e in ir.walk(node.expr):
        if isinstance(e, ir.Assign) and isinstance(e.target, ir.Name):
            vals.pop(e.target.name, None)
            v = _value(m, e.value, vals, subst) if e.op == "=" else None
            if v is not None:
                vals[e.target.name] = v
        elif isinstance(e, ir.Unary) and e.op == "&" and isinstance(e.operand, ir.Name):
            vals.pop(e.operand.name, None)  # a callee may write it
    return vals


def _value(m: DriverModel, e: ir.Expr, vals: dict[str, str], subst) -> str | None:
    """ "zero" / "nonzero" / None (unknown) for an integer or pointer expression."""
    e = _strip(e)
    if e.span in subst and isinstance(e, ir.Call):
        return subst[e.span]
    match e:
        case ir.Const(value=v) if v is not None:
            return "zero" if v == 0 else "nonzero"
        case ir.Unary(op="-", operand=o):
            inner = _value(m, o, vals, subst)
            return inner if inner is not None else "nonzero"
        case ir.Name(name=n):
            if n in ("NULL", "false"):
                return "zero"
            if n == "true" or (n.startswith("E") and n.isupper()):
                return "nonzero"
            return vals.get(n)
        case ir.Call(func=f) if m.apis.role(f, "error") is not None:
            return "nonzero"
        case ir.Assign(op="=", value=v):
            return _value(m, v, vals, subst)
    return None


def _truth(m: DriverModel, e: ir.Expr, vals: dict[str, str], subst) -> bool | None:
    e = _strip(e)
    match e:
        case ir.Unary(op="!", operand=o):
            t = _truth(m, o, vals, subst)
            return None if t is None else not t
        case ir.Binary(op="&&", left=a, right=b):
            ta, tb = _truth(m, a, vals, subst), _truth(m, b, vals, subst)
            if ta is False or tb is False:
                return False
            return True if ta and tb else None
        case ir.Binary(op="||", left=a, right=b):
            ta, tb = _truth(m, a, vals, subst), _truth(m, b, vals, subst)
            if ta or tb:
                return True
            return False if ta is False and tb is False else None
        case ir.Binary(op=("!=" | "==" | "<"), left=a, right=b) if _is_null(b):
            v = _value(m, a, vals, subst)
            if v is None:
                return None
            return (v == "zero") if e.op == "==" else (v == "nonzero")
        case ir.Call(func=f, args=args) if args and e.span not in subst:
            api = m.apis.role(f, "condition")
            if api is not None and api.test == "value":
                return _truth(m, args[api.pointer or 0], vals, subst)
            return None
    v = _value(m, e, vals, subst)
    return None if v is None else v == "nonzero"


def _classify_return(
    m: DriverModel, fn: ir.Function, expr: ir.Expr | None, vals: dict[str, str], subst
) -> str:
    if fn.returns_void:
        return "void"
    if expr is None:
        return "unknown"
    e = _strip(expr)
    if isinstance(e, ir.Call) and e.span not in subst and m.apis.role(e.func, "error"):
        return "error"
    v = _value(m, e, vals, subst)
    if v is None:
        return "unknown"
    if fn.returns_pointer:
        return "error" if v == "zero" or isinstance(e, ir.Call) and e.span in subst else "unknown"
    if fn.returns_bool:
        return "error" if v == "zero" else "success"
    return "error" if v == "nonzero" else "success"


def _error_value(fn: ir.Function) -> str:
    return "zero" if fn.returns_pointer or fn.returns_bool else "nonzero"


# ---------------------------------------------------------------- small helpers


def _strip(e: ir.Expr) -> ir.Expr:
    while isinstance(e, ir.Cast):
        e = e.operand
    return e


def _is_null(e: ir.Expr) -> bool:
    e = _strip(e)
    return (isinstance(e, ir.Const) and e.value == 0) or (
        isinstance(e, ir.Name) and e.name == "NULL"
    )


def _getter_call(m: DriverModel, e: ir.Expr) -> bool:
    e = _strip(e)
    return isinstance(e, ir.Call) and e.func in m.apis.drvdata_getters


def _calls_of(fn: ir.Function, name: str) -> Iterator[ir.Call]:
    for node in fn.nodes:
        call = _call_in(node, name)
        if call is not None:
            yield call


_calls = ir.call_exprs


def _call_in(node: ir.Node, name: str) -> ir.Call | None:
    if node.expr is None:
        return None
    for e in ir.walk(node.expr):
        if isinstance(e, ir.Call) and e.func == name:
            return e
    return None


def _assigned_values(fn: ir.Function, name: str) -> Iterator[ir.Expr]:
    for node in fn.nodes:
        if node.kind is Kind.DECL and node.name == name and node.expr is not None:
            yield node.expr
        if node.expr is None or node.kind is Kind.DECL and node.name == name:
            continue
        for e in ir.walk(node.expr):
            if isinstance(e, ir.Assign) and isinstance(e.target, ir.Name):
                if e.target.name == name:
                    yield e.value


def _ends_with(e: ir.Expr, last: str) -> bool:
    """Is e (seen through casts and `&`) an access path whose last field is `last`?"""
    e = _strip(e)
    if isinstance(e, ir.Unary) and e.op == "&":
        e = _strip(e.operand)
    p = path_of(e)
    return p is not None and bool(p[1]) and _last_field(p[1]) == last


def _last_field(tokens) -> str:
    for t in reversed(tokens):
        if t.startswith(("->", ".")):
            return t.lstrip("-.>")
    return ""


def _tokens(chain: str) -> list[str]:
    out, cur = [], ""
    i = 0
    while i < len(chain):
        if chain.startswith("->", i) or chain[i] in ".[*":
            if cur:
                out.append(cur)
            if chain.startswith("->", i):
                cur, i = "->", i + 2
                continue
            if chain[i] == "[":
                out.append("[]")
                cur, i = "", i + 2
                continue
            cur, i = chain[i], i + 1
            continue
        cur += chain[i]
        i += 1
    if cur:
        out.append(cur)
    return out


def result_of(result: UnitResult, name: str) -> FunctionResult | None:
    for fr in result.functions:
        if fr.function.name == name:
            return fr
    return None


def _into_stack(fn: ir.Function, call: ir.Call, into: int | None) -> bool:
    """Does a sink written as a call (`sg_init_one(&sg, ..)`) store into an object
    this function declared (`&sg` of a local that is no pointer)?"""
    if into is None or into >= len(call.args):
        return False
    arg = _strip(call.args[into])
    if not (isinstance(arg, ir.Unary) and arg.op == "&" and isinstance(arg.operand, ir.Name)):
        return False
    name = arg.operand.name
    return any(n.kind is ir.Kind.DECL and n.name == name and not n.decl_pointer for n in fn.nodes)
