"""Memory a structure's member holds, lost when a function frees the structure.

`icc_link_create()` grows `node->links` with krealloc(); `icc_node_destroy()`
frees `node` and never mentions `node->links`: what the member held is lost.
Release and destroy functions that forget a member are a common class of
upstream leak fixes, and the dataflow cannot see them: the structure they
free was made elsewhere (looked up, passed in), so no block of the function
holds the member.

The facts come from the whole file: which functions store new memory in
`x->member` for an `x` of `struct T` (the engine records every store of a
tracked block into a field), and which functions free a `struct T` whole
without reading or writing that member. Types come from the declarations
(`struct T *x` of a parameter or a local), read from the source text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from analyzer import ir
from analyzer.apis import ApiTable
from analyzer.ownership import Leak, Site

_STRUCT = re.compile(r"\bstruct\s+(\w+)")


def lost_members(functions: Iterable, analysed: Iterable, unit: ir.Unit, apis: ApiTable) -> None:
    """Add a "member-lost" leak to each function result of `functions` that
    frees a structure whose member some function of the file fills with new
    memory, on a path that never touches that member."""
    holders = apis.holder_families()
    makers: dict[tuple[str, str], Site] = {}  # (struct, member) -> an allocation stored there
    analysed = [fr for fr in analysed if fr is not None]
    allocating = {fr.function.name for fr in analysed if fr.summary.returns_alloc}
    summaries = {fr.function.name: fr.summary for fr in analysed}
    for fr in analysed:
        if fr.function.header:
            continue
        for root, tokens, site in sorted(fr.stores, key=lambda s: (s[2].span.line, s[0], s[1])):
            if len(tokens) != 1 or not tokens[0].startswith("->"):
                continue
            member = tokens[0][2:]
            if not member.isidentifier() or site.param is not None or not site.api:
                continue
            if site.managed or site.family in holders:
                continue
            struct = _struct_of(unit, fr.function, root)
            if struct is not None:
                makers.setdefault((struct, member), site)
    if not makers:
        return
    structs = {s for s, _ in makers}
    # members some function frees (`kfree(d->main_status_buf)`): owned, not links;
    # and, per member, the functions that free it
    # (only functions whose text names a free: the others' CFGs are never built)
    free_names = frozenset(apis.names("free"))
    freeing = [other for other in unit.functions if not other.header and other.may_name(free_names)]
    freers: dict[tuple[str, str], set[str]] = {}  # (struct, member) -> functions freeing it
    for other in freeing:
        for root, m in _member_frees(other, apis):
            struct = _struct_of(unit, other, root)
            if struct is not None:
                freers.setdefault((struct, m), set()).add(other.name)
    calls = {other.name: other.calls for other in freeing}
    for fr in functions:
        fn = fr.function
        if fn.header or not fn.may_name(free_names):
            continue  # (a header's helper: its lines are not this file's)
        own = _freed_member_roots(fn, apis)
        if not own:
            continue
        text = _source(unit, fn)
        for call, name in _whole_frees(fn, apis):
            if name not in own:
                continue  # frees no member of it: not a release that lists them
            struct = _struct_of(unit, fn, name)
            if struct not in structs or _fresh(fn, name, apis, allocating):
                continue
            if _handed_whole(fn, name, apis, summaries):
                continue
            exit_node = _exit_after(fn, call.span.line)
            if exit_node is None:
                continue  # (`for (;;)`: the function never returns)
            spelled = ir.unshadow(name)  # (`p__shadow1` is `p` in the source)
            for (s, member), site in sorted(makers.items()):
                if s != struct or (s, member) not in freers:
                    continue
                if any(fn.name in calls.get(f, ()) for f in freers[(s, member)]):
                    # a caller frees the member, then calls this one
                    # (`vfree(lc->clean_bits); destroy_log_context(lc);`)
                    continue
                if re.search(rf"\b{re.escape(spelled)}\s*->\s*{member}\b", text):
                    continue
                fr.leaks.append(
                    Leak(
                        site=site,
                        exit=exit_node.span,
                        exit_text="end of function"
                        if exit_node.implicit or exit_node.expr is None
                        else f"return {exit_node.expr.text}"[:60],
                        via=None,
                        via_text="",
                        because="",
                        holder=f"{spelled}->{member}",
                        reason="member-lost",
                        error_exit=None,
                        truncated=False,
                    )
                )


def _source(unit: ir.Unit, fn: ir.Function) -> str:
    return "\n".join(unit.lines[fn.span.line - 1 : fn.span.end_line])


def _struct_of(unit: ir.Unit, fn: ir.Function, name: str) -> str | None:
    """`struct T` of a parameter, or of a local declared `struct T *name`."""
    for p in fn.params:
        if p.name == name:
            m = _STRUCT.search(p.type_text)
            return m.group(1) if m and p.pointer else None
    decl = re.search(
        rf"\bstruct\s+(\w+)\s+(?:[^;{{}}()]*?,\s*)?\*\s*{re.escape(ir.unshadow(name))}\s*[,;=)]",
        _source(unit, fn),
    )
    return decl.group(1) if decl else None


def _whole_frees(fn: ir.Function, apis: ApiTable) -> list[tuple[ir.Call, str]]:
    """`kfree(x)` of a plain name x, once per name (its first free)."""
    seen: dict[str, ir.Call] = {}
    for call in ir.call_exprs(fn):
        api = apis.role(call.func, "free")
        if api is None or api.managed or api.pointer is None or api.pointer >= len(call.args):
            continue
        arg = ir.uncast(call.args[api.pointer])
        if isinstance(arg, ir.Name) and arg.name not in seen:
            seen[arg.name] = call
    return [(call, name) for name, call in seen.items()]


def _handed_whole(fn: ir.Function, name: str, apis: ApiTable, summaries: dict) -> bool:
    """Is `name` given whole to a call that may free its members
    (`foo_cleanup(x)`), or returned?  A same-file callee says so by its
    summary; another file's callee is taken to when x is its first argument
    (not `free_irq(irq, x)`, where x is a cookie)."""
    for call in ir.call_exprs(fn):
        if apis.role(call.func, "free") is not None or apis.borrows(call.func):
            continue
        for i, arg in enumerate(call.args):
            a = ir.uncast(arg)
            if not (isinstance(a, ir.Name) and a.name == name):
                continue
            summary = summaries.get(call.func or "")
            if summary is not None:
                if any(e.index == i for e in summary.effects):
                    return True
            elif i == 0 or call.func is None:
                return True
    for node in fn.nodes:
        if node.kind is ir.Kind.RETURN and node.expr is not None:
            if any(isinstance(e, ir.Name) and e.name == name for e in ir.walk(node.expr)):
                return True
    return False


def _fresh(fn: ir.Function, name: str, apis: ApiTable, allocating: set[str]) -> bool:
    """Is `name` given new memory in this function (`x = kzalloc(..)`)? Then
    its members hold what this function put there, which the dataflow judges."""
    for node in fn.nodes:
        value = None
        if node.kind is ir.Kind.DECL and node.name == name:
            value = node.expr
        elif node.expr is not None:
            for e in ir.walk(node.expr):
                if isinstance(e, ir.Assign) and isinstance(e.target, ir.Name):
                    if e.target.name == name:
                        value = e.value
        if value is not None:
            value = ir.uncast(value)
            if isinstance(value, ir.Call) and value.func is not None:
                if apis.role(value.func, "allocator") or apis.role(value.func, "reallocator"):
                    return True
                if value.func in allocating:
                    return True
    return False


def _exit_after(fn: ir.Function, line: int) -> ir.Node | None:
    """The first return after `line`, or the function's end (None: no exit)."""
    returns = [n for n in fn.nodes if n.kind is ir.Kind.RETURN]
    after = [n for n in returns if n.span.line >= line and not n.implicit]
    if after:
        return min(after, key=lambda n: (n.span.line, n.span.col))
    implicit = [n for n in returns if n.implicit]
    if implicit:
        return implicit[0]
    return max(returns, key=lambda n: n.span.line) if returns else None


def _member_frees(fn: ir.Function, apis: ApiTable):
    """(root, member) of each free of a member (`kfree(d->buf)`)."""
    for call in ir.call_exprs(fn):
        api = apis.role(call.func, "free")
        if api is None or api.pointer is None or api.pointer >= len(call.args):
            continue
        arg = ir.uncast(call.args[api.pointer])
        if isinstance(arg, ir.Field) and arg.arrow and isinstance(arg.base, ir.Name):
            yield arg.base.name, arg.field


def _freed_member_roots(fn: ir.Function, apis: ApiTable) -> set[str]:
    return {root for root, _ in _member_frees(fn, apis)}
