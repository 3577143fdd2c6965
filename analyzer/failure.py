"""Does taking this branch mean that a check failed?

An exit whose return value says nothing (a `void` function's `return;`, or
`return ret` where nothing tells what `ret` holds) is an error exit only if
the path got there by failing a check: `if (!p)`, `if (IS_ERR(x))`,
`if (ret < 0)`, `if (regmap_read(...))`. Triage of DML001 findings showed
that leaks reported at such exits reached through any other branch (a loop
ending, a mode flag) are almost always memory handed over on a success
path, so this decides how much such a finding is trusted.

The test is syntactic and knows no kernel API: predicates come from the
API table's `condition` entries (IS_ERR, unlikely, WARN_ON, ...).
"""

from __future__ import annotations

import re

from analyzer import ir
from analyzer.apis import ApiTable

# A member that holds a status (`hdl->error`, `urb->status`): non-zero is a failure.
# The bare names only: `link_status` is a state, `desc_status` a pointer.
STATUS_MEMBER = re.compile(r"^(err|error|errno|status)$")


def failed_check(
    cond: ir.Expr, truth: bool, apis: ApiTable, pointers: set[str], integers: set[str]
) -> bool:
    """True if `cond` evaluating to `truth` is the outcome of a failed check.

    `pointers` are the function's variables that fail by being NULL or false
    (pointers and `bool` flags), `integers` those that fail by being non-zero
    (status codes).
    """

    def value(e: ir.Expr, nonzero: bool) -> bool:
        match e:
            case ir.Name(name=n) if n in pointers:
                return not nonzero
            case ir.Name(name=n) if n in integers:
                return nonzero
            case ir.Field(field=m) if STATUS_MEMBER.search(m):
                return nonzero  # `if (hdl->error)`, `if (urb->status)`: a status
            case ir.Field() | ir.Index():
                return not nonzero  # `!priv->buf`: members tested are mostly pointers
            case ir.Assign(target=t):
                return value(t, nonzero)
            case ir.Call():
                # `if (foo())` / `if (!foo())`: a call's result checked, failing into
                # the if's body; falling past it (`if (has_lbp()) {...}` false) is not
                return truth
            case ir.Cast(operand=o):
                return value(o, nonzero)
        return False

    def test(e: ir.Expr, holds: bool) -> bool:
        match e:
            case ir.Unary(op="!", operand=o):
                return test(o, not holds)
            case ir.Binary(op="||", left=a, right=b) if holds:
                return test(a, True) or test(b, True)
            case ir.Binary(op="&&", left=a, right=b) if holds:
                return test(a, True) or test(b, True)
            case ir.Binary(op=("==" | "!=") as op, left=a, right=b) if _zero(a) or _zero(b):
                other = a if _zero(b) else b
                return value(other, holds == (op == "!="))
            case ir.Binary(op="!="):
                return holds  # `if (ret != len)`: a short read, a mismatch
            case ir.Binary(op="=="):
                return not holds
            case ir.Binary(op="<", right=b) if _zero(b):
                return holds  # `ret < 0`
            case ir.Binary(op=">=", right=b) if _zero(b):
                return not holds
            case ir.Call(func=f, args=args) if (api := apis.role(f, "condition")) is not None:
                if api.test == "value" and api.pointer is not None and api.pointer < len(args):
                    return test(args[api.pointer], holds)
                return holds  # IS_ERR(x), IS_ERR_OR_NULL(x) true
            case ir.Cast(operand=o):
                return test(o, holds)
        return value(e, holds)

    return test(cond, truth)


def _zero(e: ir.Expr) -> bool:
    while isinstance(e, ir.Cast):
        e = e.operand
    return isinstance(e, ir.Const) and e.value == 0  # NULL parses as a zero constant


def null_tested(cond: ir.Expr, truth: bool, apis: ApiTable) -> str | None:
    """The expression `cond` taken as `truth` finds NULL (or an ERR_PTR), if any:
    `!buf` true, `buf == NULL` true, `IS_ERR(buf)` true -> "buf"."""
    while isinstance(cond, ir.Cast):
        cond = cond.operand
    match cond:
        case ir.Unary(op="!", operand=o):
            return _pointer_text(o) if truth else None
        case ir.Binary(op=("==" | "!=") as op, left=a, right=b) if _zero(b):
            return _pointer_text(a) if truth == (op == "==") else None
        case ir.Call(func=f, args=args) if (api := apis.role(f, "condition")) is not None:
            if api.pointer is None or api.pointer >= len(args):
                return None
            if api.test == "value":
                return null_tested(args[api.pointer], truth, apis)
            return _pointer_text(args[api.pointer]) if truth else None
        case ir.Assign(target=t):
            return None if truth else _pointer_text(t)
        case ir.Name() | ir.Field() | ir.Index():
            return None if truth else cond.text
    return None


def _pointer_text(e: ir.Expr) -> str | None:
    while isinstance(e, ir.Cast):
        e = e.operand
    if isinstance(e, ir.Assign):
        e = e.target
    return e.text if isinstance(e, (ir.Name, ir.Field, ir.Index)) else None
