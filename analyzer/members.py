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

Two strengths: a member some teardown of the file frees ("member-lost",
low: a caller usually ran that teardown first), and a member nothing in
the file frees but the code that filled it, on its own failure, or grown
with krealloc() and freed nowhere ("member-never-freed"): no teardown can
have freed it, so the release loses it on every normal path.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from enum import Enum

from analyzer import ir
from analyzer.apis import ApiTable
from analyzer.failure import null_tested
from analyzer.ownership import Leak, Site

_STRUCT = re.compile(r"\bstruct\s+(\w+)")


def lost_members(
    functions: Iterable, analysed: Iterable, unit: ir.Unit, apis: ApiTable, known, db
) -> None:
    """Add a "member-lost" or "member-never-freed" leak to each function
    result of `functions` that frees a structure whose member some function
    of the file fills with new memory, on a path that never touches that
    member. `known` gives the
    summaries of callees (the file's and the database's); `db`, the summary
    database (or None), which files free which members."""
    holders = apis.holder_families()
    makers: dict[tuple[str, str], Site] = {}  # (struct, member) -> an allocation stored there
    # (struct, member) -> the functions storing there, with one allocation each
    making: dict[tuple[str, str], dict[str, Site]] = {}
    analysed = [fr for fr in analysed if fr is not None]
    allocating = {fr.function.name for fr in analysed if fr.summary.returns_alloc}
    summaries = {fr.function.name: fr.summary for fr in analysed}
    for fr in analysed:
        if fr.function.header:
            continue
        for root, tokens, site in sorted(fr.stores, key=lambda s: (s[2].span.line, s[0], s[1])):
            # `->buf`, or a member of an embedded structure (`->pmu.attr_groups`)
            if (
                not tokens
                or not tokens[0].startswith("->")
                or any(t[:1] != "." for t in tokens[1:])
            ):
                continue
            member = tokens[0][2:] + "".join(tokens[1:])
            if not all(p.isidentifier() for p in member.split(".")):
                continue
            if site.param is not None or not site.api:
                continue
            if site.managed or site.family in holders:
                continue
            struct = _struct_of(unit, fr.function, root)
            if struct is not None:
                makers.setdefault((struct, member), site)
                making.setdefault((struct, member), {}).setdefault(fr.function.name, site)
    if not makers:
        return
    structs = {s for s, _ in makers}
    # members some function frees (`kfree(d->main_status_buf)`): owned, not links;
    # and, per member, the functions that free it
    # (only functions whose text names a free: the others' CFGs are never built)
    free_names = frozenset(apis.names("free"))
    freeing = [other for other in unit.functions if not other.header and other.may_name(free_names)]
    freers: dict[tuple[str, str], set[str]] = {}  # (struct, member) -> functions freeing it
    # member -> functions freeing it through a root of unknown type (`g.admin->sig`)
    loose: dict[str, set[str]] = {}
    for other in freeing:
        for root, m in _member_frees(other, apis):
            struct = _struct_of(unit, other, root) if root is not None else None
            if struct is not None:
                freers.setdefault((struct, m), set()).add(other.name)
            else:
                loose.setdefault(m, set()).add(other.name)
    regrown = _regrown(unit, apis, structs)
    elsewhere = db.member_frees if db is not None else {}
    kept: dict[tuple[str, str], Site | None] = {}  # _never_freed, once per member
    calls = {other.name: other.calls for other in freeing}
    reached = _Reach(unit)
    for fr in functions:
        fn = fr.function
        if fn.header or not fn.may_name(free_names):
            continue  # (a header's helper: its lines are not this file's)
        own = _freed_member_roots(fn, apis)
        text = _source(unit, fn)
        for call, name in _whole_frees(fn, apis):
            struct = _struct_of(unit, fn, name)
            if struct not in structs or _fresh(fn, name, apis, allocating):
                continue
            handed = _handed(fn, name, apis, summaries)
            exit_node = _exit_after(fn, call.span.line)
            if exit_node is None:
                continue  # (`for (;;)`: the function never returns)
            spelled = ir.unshadow(name)  # (`p__shadow1` is `p` in the source)
            for (s, member), site in sorted(makers.items()):
                if s != struct:
                    continue
                key = (s, member)
                if key not in kept:
                    # freers anywhere: this file's, by unknown roots, other files'
                    others = loose.get(member.rsplit(".", 1)[-1], set()) - set(making[key])
                    files = elsewhere.get(f"{s}.{member}", ())
                    if others or any(not _same_file(f, unit.path) for f in files):
                        kept[key] = None
                    else:
                        kept[key] = _never_freed(
                            unit, key, making[key], freers.get(key, set()), key in regrown, apis
                        )
                never = kept[key]
                if _gives_holder(fn, name, member):
                    continue
                if never is not None:
                    site = never
                    if _handed(fn, name, apis, known, member):
                        continue
                    if reached(fn.name) & freers.get(key, set()):
                        # `pvr2_stream_done(sp)` -> `..buffer_count(sp, 0)`, a
                        # filler that frees the member: a teardown after all
                        continue
                elif handed or key not in freers or name not in own:
                    # given to a cleanup helper, not a release that lists the
                    # members it frees, or a member nothing frees (a link)
                    continue
                if any(fn.name in calls.get(f, ()) for f in freers.get(key, ())):
                    # a caller frees the member, then calls this one
                    # (`vfree(lc->clean_bits); destroy_log_context(lc);`)
                    continue
                if re.search(rf"\b{re.escape(spelled)}\s*{_spelled(member)}\b", text):
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
                        reason="member-lost" if never is None else "member-never-freed",
                        error_exit=None,
                        truncated=False,
                    )
                )


def _never_freed(
    unit: ir.Unit,
    key: tuple[str, str],
    makers: dict[str, Site],
    freers: set[str],
    regrown: bool,
    apis: ApiTable,
) -> Site | None:
    """The allocation a function leaves in the member for good, when nothing
    in the file frees what the member holds but the functions that fill it,
    on their own failure, before filling it again, or as scratch they free
    on the way out.  Then a release that frees the structure without it
    loses it for certain, not only when a teardown skipped a step.  A member
    nothing frees counts only when it is grown with krealloc()
    (`icc_link_create`): that makes it the structure's own, not a link to
    another's memory."""
    if freers:
        if not freers <= set(makers):
            return None
    elif not regrown:
        return None
    member = key[1]
    if _in_union(unit, member):
        return None
    keeping = None
    for fn in unit.functions:
        if fn.name not in makers or fn.header:
            continue
        use = _use(fn, member, apis)
        if use is _Use.OTHER:
            return None
        if use is _Use.KEEPS and not makers[fn.name].via_summary:
            keeping = keeping or makers[fn.name]  # (an allocation, not a helper's call)
    if keeping is None or _handed_elsewhere(unit, member, set(makers), apis):
        return None
    return keeping


class _Use(Enum):
    """What a function that stores new memory in a member does with it."""

    KEEPS = "keeps"  # leaves it there when it succeeds
    SCRATCH = "scratch"  # frees it on the way out of every path from the store
    # frees it on a branch the store does not lead to (`s_stream(0)` freeing
    # what `s_stream(1)` made: its own teardown), or returns what it stored
    # (the member borrows its caller's buffer)
    OTHER = "other"


def _use(fn: ir.Function, member: str, apis: ApiTable) -> _Use:
    """What `fn` does with the memory it stores in the member (`_Use`); a
    free of the local it stored (`d->buf = buf; .. kfree(buf)`) frees it too."""
    by_id = {node.id: node for node in fn.nodes}
    stores, frees, stored = set(), set(), set()
    for node in fn.nodes:
        for e in ir.walk(node.expr) if node.expr is not None else ():
            if isinstance(e, ir.Assign) and _is_member(e.target, member):
                value = ir.uncast(e.value)
                if not ir.is_zero(value):
                    stores.add(node.id)
                    if not isinstance(value, ir.Call):
                        # (`d->buf = buf`, `d->bin = temp + off`: the locals it came from)
                        stored |= {n.name for n in ir.walk(value) if isinstance(n, ir.Name)}
    for node in fn.nodes:
        for e in ir.walk(node.expr) if node.expr is not None else ():
            if not isinstance(e, ir.Call):
                continue
            freed = _freed(e, apis)
            if freed is not None:
                given = [freed]
            elif apis.releases(e.func) and not apis.borrows(e.func):
                given = [ir.uncast(a) for a in e.args]  # (`fd_buf_free(md->frame)`)
            else:
                continue
            if any(
                _is_member(a, member) or (isinstance(a, ir.Name) and a.name in stored)
                for a in given
            ):
                frees.add(node.id)
    for node in fn.nodes:
        if node.kind is ir.Kind.RETURN and node.expr is not None:
            value = ir.uncast(node.expr)
            if isinstance(value, ir.Name) and value.name in stored:
                return _Use.OTHER
    if not frees:
        return _Use.KEEPS
    after_store = _reach(by_id, stores, frozenset())
    for f in frees:
        if f not in after_store and not (_reach(by_id, {f}, frozenset()) & stores):
            return _Use.OTHER  # its own teardown branch
    exits = {n.id for n in fn.nodes if n.kind is ir.Kind.EXIT}
    # (not through the branch that found the allocation failed: nothing is kept there)
    found_null = _null_branches(fn, member, apis)
    if _reach(by_id, stores, frozenset(frees), found_null) & exits:
        return _Use.KEEPS
    return _Use.SCRATCH


def _null_branches(fn: ir.Function, member: str, apis: ApiTable) -> set[tuple[int, int]]:
    """(branch, successor) edges taken when the member is found NULL (`if (!d->buf)`)."""
    edges = set()
    for node in fn.nodes:
        if node.kind is not ir.Kind.BRANCH or node.expr is None or len(node.succs) != 2:
            continue
        for truth, succ in ((True, node.succs[0]), (False, node.succs[1])):
            tested = null_tested(node.expr, truth, apis)
            if tested is not None and re.search(rf"{_spelled(member)}$", tested):
                edges.add((node.id, succ))
    return edges


def _reach(
    by_id: dict,
    start: set[int],
    avoid: frozenset[int],
    cut: set[tuple[int, int]] = frozenset(),
) -> set[int]:
    """Nodes reachable from `start` (successors on) without entering `avoid`
    or taking an edge of `cut`."""
    seen: set[int] = set()
    todo = [(n, s) for n in start if n in by_id for s in by_id[n].succs]
    while todo:
        came, n = todo.pop()
        if n in seen or n in avoid or n not in by_id or (came, n) in cut:
            continue
        seen.add(n)
        todo.extend((n, s) for s in by_id[n].succs)
    return seen


def _handed_elsewhere(unit: ir.Unit, member: str, makers: set[str], apis: ApiTable) -> bool:
    """Does a function other than the makers hand the member to a call
    that may release it (`foo_free_bufs(d->buf)`), copy it into another
    structure (`e->buf = d->buf`), copy it out (`buf = d->buf`) and hand
    the copy to such a call, or give the embedded structure that holds it
    to a call that may keep it (`i2c_new_client_device(.., &d->board)`)?
    Any of these may free it unseen."""
    for fn in unit.functions:
        if fn.header or fn.name in makers or not fn.may_name((member.rsplit(".", 1)[-1],)):
            continue
        copies: set[str] = set()
        for node in fn.nodes:
            target, value = None, None
            if node.kind is ir.Kind.DECL:
                target, value = node.name, node.expr
            for e in ir.walk(node.expr) if node.expr is not None else ():
                if isinstance(e, ir.Assign):
                    target, value = e.target, e.value
            if value is None or not _is_member(ir.uncast(value), member):
                continue
            if isinstance(target, ir.Name):
                copies.add(target.name)
            elif isinstance(target, str):
                copies.add(target)
            else:
                return True  # (stored in another structure: it may own it now)
        for call in ir.call_exprs(fn):
            if apis.borrows(call.func):
                continue
            if apis.releases(call.func) and any(_hands(a, member, copies) for a in call.args):
                return True
            if any(_holds(ir.uncast(a), member) for a in call.args):
                return True
    return False


class _Reach:
    """The file's functions a function calls, directly or not (memoised)."""

    def __init__(self, unit: ir.Unit) -> None:
        # (`calls` builds a function's CFG: asked only of functions reached)
        self.functions = {fn.name: fn for fn in unit.functions if not fn.header}
        self.memo: dict[str, set[str]] = {}

    def __call__(self, name: str) -> set[str]:
        found = self.memo.get(name)
        if found is None:
            found, todo = set(), [name]
            while todo:
                fn = self.functions.get(todo.pop())
                for callee in fn.calls if fn is not None else ():
                    if callee in self.functions and callee not in found:
                        found.add(callee)
                        todo.append(callee)
            self.memo[name] = found
        return found


def _holds(arg: ir.Expr, member: str) -> bool:
    """Is `arg` the address of an embedded structure holding the member
    (`&d->board` for `d->board.platform_data`)?"""
    if not (isinstance(arg, ir.Unary) and arg.op == "&"):
        return False
    path = _path(arg.operand)
    return path is not None and member.startswith(path[1] + ".")


def _same_file(recorded: str, path: str) -> bool:
    """Is `path` (the checked file) the file the database recorded as
    `recorded` (relative to the tree it was built from: `drivers/x/a.c`)?"""
    here, recorded = os.path.abspath(path), os.path.normpath(recorded)
    return here == os.path.abspath(recorded) or here.endswith(os.sep + recorded)


def _in_union(unit: ir.Unit, member: str) -> bool:
    """Is the member reached through a union the file declares
    (`union msg_body body;`, `msg->body.net_info.buf`)?  Then a structure
    freed elsewhere may hold another variant, never this memory."""
    text = "\n".join(unit.lines)
    parts = member.split(".")
    for part in parts[:-1]:
        if re.search(rf"\bunion\s+(?:\w+\s*)?(?:\{{[^{{}}]*\}}\s*)?\b{part}\s*;", text):
            return True
    # (declared inside a union's body, named or not: `union { T *a; U *b; };`)
    return bool(re.search(rf"\bunion\s*(?:\w+\s*)?\{{[^{{}}]*\b{parts[0]}\s*;", text))


def _hands(arg: ir.Expr, member: str, copies: set[str]) -> bool:
    """Does a call's argument give the member (or a copy of it) away:
    itself, or something it points to (`&d->sub->dev`), but not one of its
    elements (`d->groups[i]`)?"""
    todo = [arg]
    while todo:  # (a loop, not recursion: arguments may nest deeply)
        e = todo.pop()
        if _is_member(e, member) or (isinstance(e, ir.Name) and e.name in copies):
            return True
        if isinstance(e, ir.Unary) and e.op == "&":
            path = _path(e.operand)  # (the embedded structure that holds it: `&d->alg`)
            if path is not None and _within("->" + member, "->" + path[1]):
                return True
        todo.extend([e.index] if isinstance(e, ir.Index) else ir.children(e))
    return False


def _is_member(e: ir.Expr, member: str) -> bool:
    path = _path(e)
    return path is not None and path[1] == member


def _path(e: ir.Expr) -> tuple[str, str] | None:
    """`d->buf` -> ("d", "buf"); `d->pmu.groups` -> ("d", "pmu.groups")."""
    fields = []
    while isinstance(e, ir.Field) and not e.arrow:
        fields.append(e.field)
        e = e.base
    if isinstance(e, ir.Field) and e.arrow and isinstance(e.base, ir.Name):
        return e.base.name, ".".join([e.field, *reversed(fields)])
    return None


def _spelled(member: str) -> str:
    """A regular expression for `->member` as source text spells it."""
    return r"->\s*" + r"\s*\.\s*".join(member.split("."))


def _regrown(unit: ir.Unit, apis: ApiTable, structs: set[str]) -> set[tuple[str, str]]:
    """(struct, member) of each member grown in place (`krealloc(n->links, ..)`)."""
    names = frozenset(apis.names("reallocator"))
    grown = set()
    for fn in unit.functions:
        if fn.header or not fn.may_name(names):
            continue
        for call in ir.call_exprs(fn):
            api = apis.role(call.func, "reallocator")
            if api is None or api.pointer is None or api.pointer >= len(call.args):
                continue
            path = _path(ir.uncast(call.args[api.pointer]))
            if path is not None:
                struct = _struct_of(unit, fn, path[0])
                if struct in structs:
                    grown.add((struct, path[1]))
    return grown


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


def _freed(call: ir.Call, apis: ApiTable, managed: bool = True) -> ir.Expr | None:
    """What a call of a free API frees (`x` of `kfree(x)`), if it is one
    (with `managed` False, not `devm_kfree`)."""
    api = apis.role(call.func, "free")
    if api is None or api.pointer is None or api.pointer >= len(call.args):
        return None
    if api.managed and not managed:
        return None
    return ir.uncast(call.args[api.pointer])


def _whole_frees(fn: ir.Function, apis: ApiTable) -> list[tuple[ir.Call, str]]:
    """`kfree(x)` of a plain name x, once per name (its first free)."""
    seen: dict[str, ir.Call] = {}
    for call in ir.call_exprs(fn):
        arg = _freed(call, apis, managed=False)
        if isinstance(arg, ir.Name) and arg.name not in seen:
            seen[arg.name] = call
    return [(call, name) for name, call in seen.items()]


def _handed(
    fn: ir.Function, name: str, apis: ApiTable, summaries, member: str | None = None
) -> bool:
    """Is `name` given whole to a call that may free its members
    (`foo_cleanup(x)`), or returned?  A callee with a summary says so by an
    effect on that argument (with `member`: an effect that reaches
    `name->member`); another callee is taken to when x is its first argument
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
                if any(
                    e.index == i and (member is None or _within(e.chain, "->" + member))
                    for e in summary.effects
                ):
                    return True
            elif i == 0 or call.func is None:
                return True
    return any(
        node.kind is ir.Kind.RETURN
        and node.expr is not None
        and any(isinstance(e, ir.Name) and e.name == name for e in ir.walk(node.expr))
        for node in fn.nodes
    )


def _gives_holder(fn: ir.Function, name: str, member: str) -> bool:
    """Is the embedded structure that holds the member given to a call
    (`free_alg(&ic->alg)` for `ic->alg.key`)?  It may free the member."""
    for call in ir.call_exprs(fn):
        for arg in map(ir.uncast, call.args):
            if isinstance(arg, ir.Unary) and arg.op == "&":
                path = _path(arg.operand)
                if path is not None and path[0] == name and _within("->" + member, "->" + path[1]):
                    return True
    return False


def _within(chain: str, member: str) -> bool:
    """Is `chain` the member or reached through it (`->buf`, `->buf->x`),
    not one of its elements (`->buf[]`)?"""
    return chain == member or chain.startswith((member + "->", member + "."))


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


def freed_members(unit: ir.Unit, apis: ApiTable) -> set[str]:
    """ "T.member" of each `struct T` member some function of the file frees:
    the summary database's record of who frees what, across files."""
    free_names = frozenset(apis.names("free"))
    found = set()
    for fn in unit.functions:
        if fn.header or not fn.may_name(free_names):
            continue
        for root, member in _member_frees(fn, apis):
            struct = _struct_of(unit, fn, root) if root is not None else None
            if struct is not None:
                found.add(f"{struct}.{member}")
    return found


def _member_frees(fn: ir.Function, apis: ApiTable):
    """(root, member) of each free of a member (`kfree(d->buf)`); the root
    is None when it is not a plain name (`kfree(g.admin->sig)`)."""
    for call in ir.call_exprs(fn):
        arg = _freed(call, apis)
        if arg is None:
            continue
        path = _path(arg)
        if path is not None:
            yield path
        elif isinstance(arg, ir.Field):  # (`kfree(g.admin->sig)`, `kfree(chans[i].buf)`)
            yield None, arg.field


def _freed_member_roots(fn: ir.Function, apis: ApiTable) -> set[str]:
    return {root for root, _ in _member_frees(fn, apis) if root is not None}
