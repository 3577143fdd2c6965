"""Whether a structure member owns its memory outright.

A release that frees a structure without one of its members loses what
the member holds only if no teardown frees it first.  The surest case is a
member nothing in the file frees except the code that fills it, on its own
failure or before filling it again (`usbtest_probe()` frees `dev->buf` only
on its error path), or one grown with krealloc() and freed nowhere
(`node->links`).  This module decides that case for `members`: what each
filler does with the member (`_use`, read from its CFG), and whether any
other function hands it on, copies it out or frees it under another name.
"""

from __future__ import annotations

import os
import re
from enum import Enum

from analyzer import ir
from analyzer.apis import ApiTable
from analyzer.failure import null_tested
from analyzer.ownership import Site


def never_freed(
    unit: ir.Unit,
    key: tuple[str, str],
    makers: dict[str, Site],
    freers: set[str],
    regrown: bool,
    apis: ApiTable,
    clearer: str | None = None,
    known=None,
) -> Site | None:
    """The allocation a function leaves in the member for good, when nothing
    in the file frees what the member holds but the functions that fill it,
    on their own failure, before filling it again, or as scratch they free
    on the way out.  Then a release that frees the structure without it
    loses it for certain, not only when a teardown skipped a step.  A member
    nothing frees counts only when it is grown with krealloc()
    (`icc_link_create`): that makes it the structure's own, not a link to
    another's memory.  With `clearer`, the function that drops the member
    (`x->buf = NULL` with no free): a member nothing frees counts then too,
    the drop being where it is lost; the clearer's own uses of the member
    are left out here (`members._lost_by_clearing` judges them). `known`:
    callee summaries, for `handed_elsewhere`."""
    if freers:
        if not freers <= set(makers):
            return None
    elif not regrown and clearer is None:
        return None
    member = key[1]
    if in_union(unit, member):
        return None
    keeping = None
    for fn in unit.functions:
        if fn.name not in makers or fn.header:
            continue
        use = _use(fn, member, apis)
        if use is _Use.OTHER:
            return None
        site = makers[fn.name]
        if use is _Use.KEEPS and (not site.via_summary or site.directed):
            # (an allocation, or an API that fills the member it is given,
            # `driver_set_override(.., &d->driver_override, ..)`; not a helper's call)
            keeping = keeping or site
    others = set(makers) | ({clearer} if clearer is not None else set())
    if keeping is None or handed_elsewhere(unit, member, others, apis, known):
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
            if (
                isinstance(e, ir.Call)
                and any(_address_of(ir.uncast(a), member) for a in e.args)
                and not (freed_arg(e, apis) is not None or apis.borrows(e.func))
            ):
                stores.add(node.id)  # (`fill(&d->buf)`: an out-parameter)
            if isinstance(e, ir.Assign) and is_member(e.target, member):
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
            freed = freed_arg(e, apis)
            if freed is not None:
                given = [freed]
            elif apis.releases(e.func) and not apis.borrows(e.func):
                given = [ir.uncast(a) for a in e.args]  # (`fd_buf_free(md->frame)`)
            else:
                continue
            if any(
                is_member(a, member) or (isinstance(a, ir.Name) and a.name in stored) for a in given
            ):
                frees.add(node.id)
    for node in fn.nodes:
        if node.kind is ir.Kind.RETURN and node.expr is not None:
            value = ir.uncast(node.expr)
            if isinstance(value, ir.Name) and value.name in stored:
                return _Use.OTHER
    if not frees:
        return _Use.KEEPS
    after_store = ir.reach(by_id, stores, frozenset())
    for f in frees:
        if f not in after_store and not (ir.reach(by_id, {f}, frozenset()) & stores):
            return _Use.OTHER  # its own teardown branch
    exits = {n.id for n in fn.nodes if n.kind is ir.Kind.EXIT}
    # (not through the branch that found the allocation failed: nothing is kept there)
    found_null = _null_branches(fn, member, apis)
    if ir.reach(by_id, stores, frozenset(frees), found_null) & exits:
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
            if tested is not None and re.search(rf"{member_pattern(member)}$", tested):
                edges.add((node.id, succ))
    return edges


def released_without(
    fn: ir.Function, name: str, member: str, fillers: set[str], apis: ApiTable
) -> tuple[ir.Node, list[ir.Node]] | None:
    """A `kfree(name)` that forgets `name->member`, in a function whose
    other path frees the member first (`kfree(d->res); kfree(d);` on one
    error path, `kfree(d);` alone on another): the function itself says
    the member goes with the structure. Returned with the nodes that only
    paths to that free take: a cleanup call there may have freed the
    member, while one before both frees cannot have (the other path would
    free it twice).

    The two frees of `name` are distinct: one after the member's, the
    other on no path from it (`if (x->mode) kfree(x->buf); kfree(x);` is
    one guarded cleanup). None as well when the path found the member
    NULL, when the function fills the member itself (the dataflow judges
    what it stored) or calls a function of the file that does (`fillers`:
    the member may still be empty at the bare free)."""
    if fn.calls & fillers:
        return None
    by_id = {node.id: node for node in fn.nodes}
    member_frees, whole = set(), []
    for node in fn.nodes:
        for e in ir.walk(node.expr) if node.expr is not None else ():
            if isinstance(e, ir.Assign) and member_path(e.target) == (name, member):
                if not ir.is_zero(ir.uncast(e.value)):  # (not `d->res = NULL;`)
                    return None
            if not isinstance(e, ir.Call):
                continue
            freed = freed_arg(e, apis, managed=False)
            if freed is None:
                continue
            if member_path(freed) == (name, member):
                member_frees.add(node.id)
            elif isinstance(freed, ir.Name) and freed.name == name:
                whole.append(node)
    if not member_frees or not whole:
        return None
    avoid = frozenset(member_frees)
    reached = ir.reach(by_id, {fn.entry}, avoid, _null_branches(fn, member, apis))
    after_member = ir.reach(by_id, member_frees, frozenset())
    if not any(node.id in after_member for node in whole):
        return None
    preds = ir.predecessors(fn.nodes)
    before_member = reach_back(preds, member_frees, frozenset())
    for node in whole:
        if node.id in reached and node.id not in after_member:
            leading = reach_back(preds, {node.id}, avoid) | {node.id}
            only = [by_id[n] for n in leading & reached if n not in before_member]
            return node, only
    return None


def reach_back(preds: dict[int, list[int]], start: set[int], avoid: frozenset[int]) -> set[int]:
    """Nodes from which some path reaches `start` without entering `avoid`."""
    seen: set[int] = set()
    todo = [p for n in start for p in preds.get(n, ())]
    while todo:
        n = todo.pop()
        if n in seen or n in avoid:
            continue
        seen.add(n)
        todo.extend(preds.get(n, ()))
    return seen


def handed_elsewhere(
    unit: ir.Unit, member: str, makers: set[str], apis: ApiTable, known=None
) -> bool:
    """Does a function other than the makers hand the member to a call
    that may release it (`foo_free_bufs(d->buf)`), copy it into another
    structure (`e->buf = d->buf`), copy it out (`buf = d->buf`) and hand
    the copy to such a call, or give the embedded structure that holds it
    to a call that may keep it (`i2c_new_client_device(.., &d->board)`)?
    Any of these may free it unseen, unless the callee's summary (in
    `known`) shows it does nothing to that argument
    (`perf_pmu_unregister(&nd_pmu->pmu)`, inert in the database), and the
    callee is a release or is called as a statement, its result dropped
    (not returned, not assigned): a summary does not record
    what a callee copies into the object it returns
    (`client = i2c_new_scanned_device(.., &d->board, ..)` makes a client
    that holds `board.platform_data`, and is inert in the database)."""
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
            if value is None or not is_member(ir.uncast(value), member):
                continue
            if isinstance(target, ir.Name):
                copies.add(target.name)
            elif isinstance(target, str):
                copies.add(target)
            else:
                return True  # (stored in another structure: it may own it now)
        # (calls made as statements, `foo(x);`: not `return foo(x)`, `T *w = foo(x)`)
        dropped = {
            id(n.expr) for n in fn.nodes if n.kind is ir.Kind.EXPR and type(n.expr) is ir.Call
        }
        for call in ir.call_exprs(fn):
            if apis.borrows(call.func):
                continue
            releasing = apis.releases(call.func)
            trusted = releasing or id(call) in dropped
            summary = known.get(call.func) if trusted and known is not None else None
            touched = [
                a
                for i, a in enumerate(call.args)
                if summary is None or any(e.index == i for e in summary.effects)
            ]
            if releasing and any(_hands(a, member, copies) for a in touched):
                return True
            if any(_holds(ir.uncast(a), member) for a in touched):
                return True
    return False


class Reach:
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
    path = member_path(arg.operand)
    return path is not None and member.startswith(path[1] + ".")


def same_file(recorded: str, path: str) -> bool:
    """Is `path` (the checked file) the file the database recorded as
    `recorded` (relative to the tree it was built from: `drivers/x/a.c`)?"""
    here, recorded = os.path.abspath(path), os.path.normpath(recorded)
    return here == os.path.abspath(recorded) or here.endswith(os.sep + recorded)


def in_union(unit: ir.Unit, member: str) -> bool:
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
        if is_member(e, member) or (isinstance(e, ir.Name) and e.name in copies):
            return True
        if isinstance(e, ir.Unary) and e.op == "&":
            path = member_path(e.operand)  # (the embedded structure that holds it: `&d->alg`)
            if path is not None and within("->" + member, "->" + path[1]):
                return True
        todo.extend([e.index] if isinstance(e, ir.Index) else ir.children(e))
    return False


def _address_of(e: ir.Expr, member: str) -> bool:
    """`&d->member`."""
    return isinstance(e, ir.Unary) and e.op == "&" and is_member(e.operand, member)


def is_member(e: ir.Expr, member: str) -> bool:
    path = member_path(e)
    return path is not None and path[1] == member


def member_path(e: ir.Expr) -> tuple[str, str] | None:
    """`d->buf` -> ("d", "buf"); `d->pmu.groups` -> ("d", "pmu.groups")."""
    fields = []
    while isinstance(e, ir.Field) and not e.arrow:
        fields.append(e.field)
        e = e.base
    if isinstance(e, ir.Field) and e.arrow and isinstance(e.base, ir.Name):
        return e.base.name, ".".join([e.field, *reversed(fields)])
    return None


def member_pattern(member: str) -> str:
    """A regular expression for `->member` as source text spells it."""
    return r"->\s*" + r"\s*\.\s*".join(member.split("."))


def freed_arg(call: ir.Call, apis: ApiTable, managed: bool = True) -> ir.Expr | None:
    """What a call of a free API frees (`x` of `kfree(x)`), if it is one
    (with `managed` False, not `devm_kfree`)."""
    api = apis.role(call.func, "free")
    if api is None or api.pointer is None or api.pointer >= len(call.args):
        return None
    if api.managed and not managed:
        return None
    return ir.uncast(call.args[api.pointer])


def within(chain: str, member: str) -> bool:
    """Is `chain` the member or reached through it (`->buf`, `->buf->x`),
    not one of its elements (`->buf[]`)?"""
    return chain == member or chain.startswith((member + "->", member + "."))
