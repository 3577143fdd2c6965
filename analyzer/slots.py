"""Calls that stand for a member access, read as that access.

`snd_soc_dai_set_dma_data(dai, ss, p)` stores p in the DAI, as
`dai->dma_data = p` would, and `snd_soc_dai_get_dma_data(dai, ss)` reads it
back. Seen as calls, the first hands p to some keeper and the second returns
memory of unknown origin, so a `.startup` callback that fails after the
store, and the `.shutdown` that frees what it reads, look unrelated.
Rewritten as the member accesses they are (`[[setter]]` and `[[getter]]` in
rules/apis.toml), the engine sees memory left in the caller's structure and
the counterpart that frees it, as it does for a plain `dai->x = p`.
"""

from __future__ import annotations

import dataclasses

from analyzer import ir
from analyzer.apis import Api, ApiTable

# the fields of each expression class that hold sub-expressions
_FIELDS: dict[type, tuple[str, ...]] = {
    ir.Field: ("base",),
    ir.Index: ("base", "index"),
    ir.Call: ("callee", "args"),
    ir.Assign: ("target", "value"),
    ir.Unary: ("operand",),
    ir.Cast: ("operand",),
    ir.Binary: ("left", "right"),
    ir.Conditional: ("test", "then", "other"),
    ir.Opaque: ("parts",),
}


def rewrite(unit: ir.Unit, apis: ApiTable) -> None:
    """Replace, in every function of the unit, each call of a setter or a
    getter by the member access it stands for."""
    names = apis.names("setter") | apis.names("getter")
    if not names:
        return
    for fn in unit.functions:
        if not fn.may_name(names):
            continue  # (the CFG is not built for a function that names none)
        for node in fn.nodes:
            if node.expr is not None and any(
                isinstance(e, ir.Call) and e.func in names for e in ir.walk(node.expr)
            ):
                node.expr = _rewritten(node.expr, apis, names)


def _rewritten(expr: ir.Expr, apis: ApiTable, names: set[str]) -> ir.Expr:
    """`expr` with its setter and getter calls replaced (a copy where
    anything changed: the frontend's expressions are left as they are)."""
    changes = {}
    for name in _FIELDS.get(type(expr), ()):
        old = getattr(expr, name)
        if old is None:
            continue
        if isinstance(old, tuple):
            new = tuple(_rewritten(e, apis, names) for e in old)
            if any(a is not b for a, b in zip(new, old, strict=True)):
                changes[name] = new
        else:
            new = _rewritten(old, apis, names)
            if new is not old:
                changes[name] = new
    if changes:
        expr = dataclasses.replace(expr, **changes)
    if isinstance(expr, ir.Call) and expr.func in names:
        return _access(expr, apis) or expr
    return expr


def _access(call: ir.Call, apis: ApiTable) -> ir.Expr | None:
    """The member access a setter or getter call stands for."""
    for api in apis.lookup(call.func):
        if api.role == "setter" and _has(call, api.into) and _has(call, api.pointer):
            target = _member(call, call.args[api.into], api)
            return ir.Assign(call.span, call.text, target, call.args[api.pointer], "=")
        if api.role == "getter" and _has(call, api.pointer):
            return _member(call, call.args[api.pointer], api)
    return None


def _has(call: ir.Call, index: int | None) -> bool:
    return index is not None and index < len(call.args)


def _member(call: ir.Call, holder: ir.Expr, api: Api) -> ir.Field:
    """`holder->member` (`s.member` for a holder given as `&s`)."""
    holder = ir.uncast(holder)
    if isinstance(holder, ir.Unary) and holder.op == "&":
        base = holder.operand
        return ir.Field(call.span, f"{_operand(base)}.{api.member}", base, api.member, False)
    return ir.Field(call.span, f"{_operand(holder)}->{api.member}", holder, api.member, True)


def _operand(e: ir.Expr) -> str:
    """`e`'s text as the operand of `->` (`(c ? s : t)->x`)."""
    plain = isinstance(e, (ir.Name, ir.Field, ir.Index, ir.Call))
    return e.text if plain else f"({e.text})"
